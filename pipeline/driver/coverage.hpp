// Characters against fonts: every character a factsheet draws must be in the fonts its texts may be
// drawn with. Checked before layout, so that a source is refused at each character's own place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "layout/styles.hpp"

namespace factsheet {

/// The fonts a text may be drawn with: every font a style of the sheet names (font or bold-font),
/// in the order the sheet defines them.
std::vector<int> text_fonts(const StyleSheet& sheet);

/// Checks that every text font has the characters the program itself writes into texts (no-break
/// spaces, ’, « », dashes, digits...); throws Error at the <font> of the styles file lacking one.
void check_program_characters(const StyleSheet& sheet);

/// Adds to `sink` one error per occurrence of a character of the source's texts (its character
/// data, outside <hyphenation>) that some text font lacks, at that character's line and column.
/// `xml` is the source's text, already read and validated; `file` names it.
void check_source_characters(std::string_view xml, const std::string& file, const StyleSheet& sheet,
                             DiagnosticSink& sink);

}  // namespace factsheet
