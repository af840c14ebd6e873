// Positions and parse errors of pugixml documents, the same way in every reader.
#pragma once

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

/// The error for a failed parse: "<what>: <pugixml's description, lowercased>" at its offset.
Error parse_error(const LineMap& map, const pugi::xml_parse_result& result,
                  const std::string& what = "malformed XML");

}  // namespace factsheet
