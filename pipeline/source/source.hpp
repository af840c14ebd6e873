// Stage 1: reads an operation's XML source and validates it completely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "source/operation.hpp"

namespace factsheet {

/// The source formats this program reads: format="1" (or none) and format="2".
inline constexpr int newest_source_format = 2;

/// What one factsheet has room for; a source with more is refused at the first one too many.
inline constexpr std::size_t max_areas = 12;
inline constexpr std::size_t max_figures = 8;
inline constexpr std::size_t max_team_members = 16;

/// The largest figure value: no count of people or money comes near it, and every value up to it
/// is printed in full and in compact form ("999.9T").
inline constexpr std::int64_t max_figure_value = 999'999'999'999'999;

/// The largest funding coverage, funding-received over funding-required: 10 is 1000 %. More is
/// a typing mistake (a figure in thousands beside one in units), not an overfunded appeal.
inline constexpr std::int64_t max_funding_coverage = 10;

/// Lengths in characters beyond which a value is refused. Past them a text would overflow the
/// PDF's strings (65,535 bytes), or a box that cannot break across pages (a card, a figure) would
/// run thousands of points past the page; no real source comes near them.
inline constexpr std::size_t max_text_chars = 10000;      // a paragraph, a title, the source line
inline constexpr std::size_t max_short_text_chars = 300;  // names, roles, labels: set in boxes
inline constexpr std::size_t max_acronym_chars = 40;      // "UNHCR", "LAMH"
inline constexpr std::size_t max_word_chars = 100;        // a hyphenation exception
inline constexpr std::size_t max_attribute_chars = 2000;  // any attribute value, urls included
inline constexpr std::size_t max_email_chars = 254;       // RFC 5321's longest address
inline constexpr std::size_t max_phone_chars = 40;

/// What a source is read for: the editions to be made from it, and whether they are drafts. A
/// text missing in one language stops only the editions in that language; in a draft, not even
/// those when the other language has the text, which stands in for it.
struct EditionPlan {
    std::vector<Lang> langs{Lang::en, Lang::fr};
    bool draft = false;
};

/// Whether an edition of `plan` cannot be made without the text `missing`.
bool stops(const MissingText& missing, const EditionPlan& plan);

/// The problems of the texts `op` lacks that stop an edition of `plan`, in document order, with
/// the messages parse_operation gives them; empty when every edition of `plan` can be made.
std::vector<Diagnostic> missing_text_errors(const Operation& op, const EditionPlan& plan);

/// Parses and validates a source held in memory; `file` names it in diagnostics.
/// Throws Error listing every problem found (up to a cap) when the source is invalid, texts
/// missing that an edition of `plan` needs among them. The texts missing that `plan` can do
/// without are listed in the result's missing_texts.
Operation parse_operation(std::string_view xml, const std::string& file, const EditionPlan& plan = {});

/// The bytes of the source file `path`, refused (Error) when unreadable or larger than a source
/// may be; a huge file is not read to its end.
std::string read_source_file(const std::string& path);

/// Reads `path` and parses it (see parse_operation). Unreadable files are an Error too.
Operation read_operation(const std::string& path, const EditionPlan& plan = {});

}  // namespace factsheet
