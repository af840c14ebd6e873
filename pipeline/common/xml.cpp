#include "common/xml.hpp"

#include <algorithm>
#include <cctype>

namespace factsheet {

namespace {
bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
}  // namespace

std::size_t node_offset(const pugi::xml_node& node, std::string_view text) {
    std::ptrdiff_t raw = node.offset_debug();
    if (raw < 0) return 0;
    auto at = std::min(static_cast<std::size_t>(raw), text.size());
    if (node.type() == pugi::node_element) {
        if (at > 0 && text[at - 1] == '<') --at;
    } else if (node.type() == pugi::node_declaration) {
        if (at > 1 && text.substr(at - 2, 2) == "<?") at -= 2;
    } else if (node.type() == pugi::node_pcdata) {
        while (at < text.size() && is_blank(text[at])) ++at;
    }
    return at;
}

SourcePos node_pos(const LineMap& map, const pugi::xml_node& node, std::string_view text) {
    return map.at(node_offset(node, text));
}

std::string collapse_whitespace(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (char c : text) {
        if (is_blank(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

std::string escape_xml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

Error parse_error(const LineMap& map, const pugi::xml_parse_result& result, const std::string& what) {
    std::string description = result.description();
    if (!description.empty())
        description[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(description[0])));
    return Error(map.at(result.offset < 0 ? 0 : static_cast<std::size_t>(result.offset)),
                 what + ": " + description);
}

}  // namespace factsheet
