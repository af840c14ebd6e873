// Positions and parse errors of pugixml documents, the same way in every reader.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace factsheet {

/// Byte offset of a node in its text, as diagnostics name it: an element at its '<' (pugixml
/// points one past it, at the name), a declaration at its "<?", text at its first visible character.
std::size_t node_offset(const pugi::xml_node& node, std::string_view text);

/// The position of a node for diagnostics (see node_offset).
SourcePos node_pos(const LineMap& map, const pugi::xml_node& node, std::string_view text);

/// Text as XML folds it for reading: runs of spaces, tabs and line breaks become one space, and
/// none is kept at either end. Other spaces (U+00A0...) are the writer's and stay.
std::string collapse_whitespace(std::string_view text);

/// Escapes text for XML (and HTML) character data and attribute values: & < > " '.
std::string escape_xml(std::string_view text);

/// Escapes text for character data only: & < >. Quotes and apostrophes stay as written
/// (l'enfance), for XML people read and edit, such as the XLIFF translators work in.
std::string escape_xml_text(std::string_view text);

/// The error for a failed parse: "<what>: <pugixml's description, lowercased>" at its offset.
Error parse_error(const LineMap& map, const pugi::xml_parse_result& result,
                  const std::string& what = "malformed XML");

/// The offset of the first byte that is not valid UTF-8 or is a character XML 1.0 forbids
/// (control characters other than tab, LF and CR, U+FFFE, U+FFFF), or nothing when the whole text
/// is fine. `code_point` receives the forbidden character, or -1 when the bytes were not UTF-8.
std::optional<std::size_t> find_invalid_character(std::string_view text, long& code_point);

/// A place where a text is not well-formed XML, and what is wrong there.
struct BadReference {
    std::size_t offset;   // of the '&' (or of what else is wrong)
    std::string message;  // what is wrong and how to write it instead
};

/// Finds the first '&' in markup or text (not in comments, CDATA or processing instructions)
/// that does not start one of the five predefined entities or a numeric reference to a character
/// XML allows. pugixml leaves such text as it is, where XML 1.0 calls it not well-formed.
std::optional<BadReference> find_bad_reference(std::string_view xml);

/// The first thing in `xml` that XML 1.0 calls not well-formed but pugixml accepts: bytes that are
/// not UTF-8 and characters XML forbids, a byte-order mark anywhere but first, an XML declaration
/// anywhere but at the very start or with other pseudo-attributes than version, encoding and
/// standalone in that order, an attribute written twice on one element, '<' in an attribute value,
/// an undefined entity or a bad character reference, "--" inside a comment, "]]>" in text, text,
/// CDATA or a second element outside the root element, and a DOCTYPE (which the program never
/// reads: `file_kind`, "a source", names the file in its message). Linear in the text's length.
/// Run on text pugixml parsed without error: what pugixml itself refuses is left to it.
std::optional<BadReference> find_not_well_formed(std::string_view xml, std::string_view file_kind);

/// Throws Error at the place of find_not_well_formed's problem, when there is one.
void check_well_formed(std::string_view xml, const LineMap& map, std::string_view file_kind);

/// Parses a whole XML file held in `text` into `doc` (pugixml's `options`, UTF-8), refusing with
/// its place what pugixml refuses (as parse_error) and what check_well_formed does.
void load_xml(pugi::xml_document& doc, std::string_view text, const LineMap& map, std::string_view file_kind,
              unsigned options = pugi::parse_default);

}  // namespace factsheet
