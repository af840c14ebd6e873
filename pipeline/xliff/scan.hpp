// Reading XML markup byte by byte where pugixml keeps no offsets: the attributes of a start tag
// and the end of an element. Used on documents pugixml has already parsed, so they are
// well-formed; a scan that runs out of text stops at its end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace factsheet::xliff {

/// An attribute as written in a start tag.
struct TagAttribute {
    std::string_view name;
    std::size_t value_start = 0, value_end = 0;  // inside the quotes, not decoded
};

/// A start tag from its '<'.
struct StartTag {
    std::size_t name_end = 0;  // one past the element's name
    std::vector<TagAttribute> attributes;
    std::size_t end = 0;  // one past its '>'
    bool self_closing = false;
};

/// Reads the start tag whose '<' is at `at`, honouring quotes (a value may hold '>' or "/>").
StartTag scan_start_tag(std::string_view xml, std::size_t at);

/// Where an element's content ends: the '<' of its end tag, and one past that tag's '>'.
struct ElementEnd {
    std::size_t content_end = 0;
    std::size_t end = 0;
};

/// Finds the end tag of the element whose content starts at `content_start`, skipping comments,
/// CDATA sections, processing instructions and nested elements (none of whose text may fool it).
ElementEnd scan_element_end(std::string_view xml, std::size_t content_start);

/// The byte offset of a line and column as LineMap gives them (columns count code points).
std::size_t offset_at(std::string_view text, int line, int col);

/// The "<!" of a DOCTYPE whose content pugixml points into (its offset_debug()).
std::size_t doctype_start(std::string_view xml, std::ptrdiff_t value_offset);

}  // namespace factsheet::xliff
