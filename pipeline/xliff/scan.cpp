#include "xliff/scan.hpp"

#include <algorithm>
#include <string>

namespace factsheet::xliff {

namespace {

bool is_tag_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// One past the end of `closing` found from `from`, or the end of the text.
std::size_t past(std::string_view xml, std::size_t from, std::string_view closing) {
    std::size_t at = xml.find(closing, from);
    return at == std::string_view::npos ? xml.size() : at + closing.size();
}

}  // namespace

StartTag scan_start_tag(std::string_view xml, std::size_t at) {
    StartTag tag;
    std::size_t i = at + 1;
    auto at_end = [&] { return i >= xml.size(); };
    while (!at_end() && !is_tag_space(xml[i]) && xml[i] != '>' && xml[i] != '/') ++i;
    tag.name_end = i;
    while (true) {
        while (!at_end() && is_tag_space(xml[i])) ++i;
        if (at_end()) break;
        if (xml[i] == '>') {
            tag.end = i + 1;
            return tag;
        }
        if (xml[i] == '/') {
            tag.self_closing = true;
            tag.end = std::min(xml.size(), i + 2);
            return tag;
        }
        std::size_t name_start = i;
        while (!at_end() && !is_tag_space(xml[i]) && xml[i] != '=' && xml[i] != '>') ++i;
        TagAttribute attribute;
        attribute.name = xml.substr(name_start, i - name_start);
        while (!at_end() && is_tag_space(xml[i])) ++i;
        if (at_end() || xml[i] != '=') break;
        ++i;
        while (!at_end() && is_tag_space(xml[i])) ++i;
        if (at_end() || (xml[i] != '"' && xml[i] != '\'')) break;
        std::size_t close = xml.find(xml[i], i + 1);
        if (close == std::string_view::npos) break;
        attribute.value_start = i + 1;
        attribute.value_end = close;
        tag.attributes.push_back(attribute);
        i = close + 1;
    }
    tag.end = xml.size();
    return tag;
}

ElementEnd scan_element_end(std::string_view xml, std::size_t content_start) {
    std::size_t i = content_start;
    int depth = 0;
    while (true) {
        std::size_t lt = xml.find('<', i);
        if (lt == std::string_view::npos) return {xml.size(), xml.size()};
        std::string_view rest = xml.substr(lt);
        if (rest.starts_with("<!--")) {
            i = past(xml, lt + 4, "-->");
        } else if (rest.starts_with("<![CDATA[")) {
            i = past(xml, lt + 9, "]]>");
        } else if (rest.starts_with("<?")) {
            i = past(xml, lt + 2, "?>");
        } else if (rest.starts_with("</")) {
            std::size_t end = past(xml, lt, ">");
            if (depth == 0) return {lt, end};
            --depth;
            i = end;
        } else {
            StartTag tag = scan_start_tag(xml, lt);
            if (!tag.self_closing) ++depth;
            i = tag.end;
        }
    }
}

std::size_t offset_at(std::string_view text, int line, int col) {
    std::size_t i = 0;
    for (int l = 1; l < line && i < text.size(); ++l) {
        std::size_t newline = text.find('\n', i);
        if (newline == std::string_view::npos) return text.size();
        i = newline + 1;
    }
    for (int c = 1; c < col && i < text.size(); ++c) {
        ++i;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
}

std::size_t doctype_start(std::string_view xml, std::ptrdiff_t value_offset) {
    if (value_offset < 0) return 0;
    std::size_t found = xml.rfind("<!", static_cast<std::size_t>(value_offset));
    return found == std::string_view::npos ? 0 : found;
}

}  // namespace factsheet::xliff
