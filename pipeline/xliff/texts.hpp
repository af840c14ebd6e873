// The translatable texts of a source, found where they are written in its bytes: what the XLIFF
// round trip exports and edits, and what the staleness check reads (docs/translation.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "source/operation.hpp"

namespace factsheet::xliff {

/// One language of a text (<en> or <fr>) as its bytes are written in the source.
struct LanguageElement {
    bool present = false;
    std::size_t start = 0;          // its '<'
    std::size_t end = 0;            // one past its end tag (or past "/>")
    std::size_t name_end = 0;       // one past its name in the start tag, where attributes go
    std::size_t content_start = 0;  // its character data, [content_start, content_end)
    std::size_t content_end = 0;
    bool self_closing = false;  // <fr/>
    std::string text;           // whitespace collapsed, as the reader reads it
    /// from="3f2a9c1e": the fingerprint of the other language's text it was translated from,
    /// with where its value is written ([from_start, from_end), inside the quotes).
    std::optional<std::string> fingerprint;
    std::size_t from_start = 0, from_end = 0;
    SourcePos pos;  // its '<'
};

/// A translatable text of a source: an element holding <en> and <fr>.
struct SourceText {
    /// Stable across exports while the source keeps its shape: by the ids of the elements that
    /// have one, by position otherwise ("intro/p[2]", "organisation[unhcr]/name",
    /// "figure[pin]/label", "team/member[3]/role").
    std::string id;
    std::string context;  // what it is, for translators: "Introduction, paragraph 2"
    std::size_t max_chars = 0;
    std::size_t start = 0;  // the text element's '<'
    SourcePos pos;
    LanguageElement en, fr;

    const LanguageElement& in(Lang lang) const { return lang == Lang::en ? en : fr; }
};

/// A source's bytes and its texts, in the order they are written.
struct SourceTexts {
    std::string file;          // as diagnostics name it
    std::string bytes;         // the whole source
    std::string operation_id;  // <operation id>, as written
    std::vector<SourceText> texts;
};

/// Finds every translatable text of a source held in memory. It checks only what finding them
/// needs (UTF-8, well-formed XML, no DOCTYPE or undefined entity, an <operation> root) and
/// throws Error located in the source otherwise; the source's other rules are the reader's
/// (parse_operation). A text whose language is missing lists it absent (drafts).
SourceTexts locate_texts(std::string bytes, const std::string& file);

/// The fingerprint of a text: the first 8 hex digits of the SHA-256 of its UTF-8 bytes, its
/// whitespace collapsed first as the reader does.
std::string text_fingerprint(std::string_view text);

/// Where a translation stands against the text it translates.
enum class TranslationState {
    missing,    // no text in the language, or an empty one
    stale,      // its fingerprint is not that of the other language's text: that text changed
    fresh,      // its fingerprint is that of the other language's text
    unchecked,  // no fingerprint: translated before fingerprints were recorded, or by hand
};

/// The state of a text in `lang`, translated from the other language.
TranslationState translation_state(const SourceText& text, Lang lang);

/// The translations of one language of a source, counted, and the missing and stale ones as
/// problems at their place (the language's element, or the text's when the language is absent).
struct TranslationReport {
    std::size_t texts = 0, fresh = 0, stale = 0, missing = 0, unchecked = 0;
    std::vector<Diagnostic> problems;
};

/// Checks the translations into `lang` of every text of a source.
TranslationReport check_translations(const SourceTexts& source, Lang lang);

}  // namespace factsheet::xliff
