// The translators' round trip: a source's texts out as XLIFF 1.2, the translations back into the
// source's bytes, changing nothing else (docs/translation.md).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "source/operation.hpp"
#include "xliff/texts.hpp"

namespace factsheet::xliff {

inline constexpr std::string_view xliff_namespace = "urn:oasis:names:tc:xliff:document:1.2";
/// The namespace of what the XLIFF says about the source: fs:operation and fs:source-sha256 on
/// <file>.
inline constexpr std::string_view factsheet_namespace = "urn:factsheet:xliff";

/// An XLIFF larger than this is refused before it is read: the texts of a source (at most
/// 1 MiB) in two languages, with notes and a translation tool's additions, stay far below.
inline constexpr std::size_t max_xliff_bytes = 16 * 1024 * 1024;

struct ExportOptions {
    Lang target = Lang::fr;
    std::string original;      // the source's path as <file original> names it
    std::string tool_version;  // the program's version, for <tool>
};

/// How many units an export wrote, by state.
struct ExportCounts {
    std::size_t units = 0;
    std::size_t translated = 0;  // state="translated" (up to date, or without fingerprint)
    std::size_t review = 0;      // state="needs-review-translation": stale
    std::size_t new_units = 0;   // no target yet
};

/// The XLIFF 1.2 document of a source's texts for translation into `options.target`, one
/// <trans-unit> per text (see SourceText::id), in the order they are written.
std::string export_xliff(const SourceTexts& source, const ExportOptions& options,
                         ExportCounts* counts = nullptr);

/// One <trans-unit> of an XLIFF, as import needs it.
struct Unit {
    std::string id;
    SourcePos pos;       // its <trans-unit>
    std::string source;  // whitespace collapsed
    /// The translation, whitespace collapsed; nothing without a <target>.
    std::optional<std::string> target;
    SourcePos target_pos;
    std::string state;  // the <target>'s state attribute, or empty
    bool approved = false;
};

/// What an XLIFF says, checked: one <file> of XLIFF 1.2 naming its source, texts without markup.
struct Xliff {
    std::string file;  // as diagnostics name it
    std::string original;
    Lang source_lang = Lang::en;
    Lang target_lang = Lang::fr;
    std::string operation;  // fs:operation
    SourcePos operation_pos;
    std::string source_sha256;  // fs:source-sha256: the source's bytes when it was exported
    std::vector<Unit> units;
};

/// Reads an XLIFF file's bytes, refusing a file over max_xliff_bytes by its size before reading it.
std::string read_xliff_file(const std::string& path);

/// Parses and checks an XLIFF document. Throws Error listing every problem at its place in it:
/// not UTF-8, not well-formed, a DOCTYPE or an undefined entity, not XLIFF 1.2, not one <file>,
/// a <file> that does not say its languages or operation, units without id or with an id
/// already used, and targets that hold markup (elements, or text that reads as a tag).
Xliff parse_xliff(std::string_view bytes, const std::string& file);

/// Checks a source written in memory (by default parse_operation); throws Error located in it.
using Validator = std::function<void(std::string_view xml, const std::string& file)>;

struct ImportOptions {
    /// Also record the fingerprint of an unchanged text that has none when its unit's state says
    /// it is translated (to start tracking texts translated before fingerprints existed).
    bool confirm = false;
    Validator validate;  // empty: parse_operation
};

/// What import did to one text.
struct UnitChange {
    enum Kind { updated, added, confirmed } kind = updated;
    std::string id;
    SourcePos pos;  // its language element in the new source
};

struct ImportResult {
    std::string bytes;  // the new source; the same bytes when nothing changed
    std::vector<UnitChange> changes;
    /// Texts whose translation changed while their source text is no longer the unit's <source>:
    /// recorded as translated from the XLIFF's, so they stay stale until reviewed.
    std::vector<Diagnostic> warnings;
    std::size_t unchanged = 0;     // units whose target is the text already there
    std::size_t untranslated = 0;  // units without a target (or an empty one, or needs-translation)
    bool source_changed = false;   // the source is not the one exported (fs:source-sha256)
};

/// Writes the targets of an XLIFF into a source's bytes: the character data of each changed
/// language element replaced (a missing one inserted beside the other language), and its from=
/// fingerprint set to that of the unit's <source>; nothing else of the source changes. Throws
/// Error, with nothing changed, for an XLIFF of another operation or other languages, unknown
/// ids, and targets the source's rules refuse (checked by validating the new source in memory),
/// each at its place in the XLIFF.
ImportResult import_xliff(const Xliff& xliff, const SourceTexts& source, const ImportOptions& options = {});

}  // namespace factsheet::xliff
