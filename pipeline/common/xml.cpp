#include "common/xml.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <unordered_set>
#include <vector>

namespace factsheet {

namespace {
bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_xml_space(char c) {
    return is_blank(c);
}

bool is_xml_char(unsigned long c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

// Checks the reference `body` (what lies between '&' and ';'); returns what is wrong, or "".
std::string check_reference(std::string_view body) {
    std::string written = "&" + std::string(body) + ";";
    if (body.starts_with('#')) {
        std::string_view digits = body.substr(1);
        int base = 10;
        if (digits.starts_with('x')) {
            digits.remove_prefix(1);
            base = 16;
        }
        unsigned long value = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
            !is_xml_char(value))
            return written + " is not a character XML allows";
        return "";
    }
    for (std::string_view known : {"amp", "lt", "gt", "quot", "apos"})
        if (body == known) return "";
    return "unknown entity \"" + written +
           "\": write the character itself or a numeric reference "
           "such as &#160; (XML knows only &amp; &lt; &gt; &quot; &apos;)";
}

// A reference is short and made of name characters; anything longer is a bare '&'.
constexpr std::size_t longest_reference = 32;

// The reference starting at the '&' at `at`: nothing when it is fine, else what is wrong. Looks at
// most longest_reference bytes ahead, so that a text of many '&' stays linear.
std::optional<BadReference> check_reference_at(std::string_view xml, std::size_t at) {
    std::string_view ahead = xml.substr(at + 1, longest_reference + 1);
    std::size_t semicolon = ahead.find(';');
    bool bare = semicolon == std::string_view::npos || semicolon == 0;
    std::string_view body = bare ? std::string_view() : ahead.substr(0, semicolon);
    for (char c : body)
        if (is_xml_space(c) || c == '&' || c == '<' || c == '"' || c == '\'') bare = true;
    if (bare) return BadReference{at, "a bare \"&\" must be written &amp;"};
    if (std::string problem = check_reference(body); !problem.empty()) return BadReference{at, problem};
    return std::nullopt;
}

std::string hex_code_point(long code_point) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "U+%04lX", static_cast<unsigned long>(code_point));
    return buffer;
}

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

// One pass over a document pugixml accepted, following XML 1.0's grammar far enough to find what
// pugixml lets through. Never reads past the text, whatever it holds.
class WellFormedness {
public:
    WellFormedness(std::string_view xml, std::string_view file_kind) : x_(xml), kind_(file_kind) {}

    std::optional<BadReference> run() {
        long code_point = 0;
        if (auto bad = find_invalid_character(x_, code_point))
            return BadReference{
                *bad, code_point < 0
                          ? "the text is not valid UTF-8 here; save the file as UTF-8"
                          : "character " + hex_code_point(code_point) + " is not allowed in XML; remove it"};
        if (at(byte_order_mark)) i_ = byte_order_mark.size();
        if (at("<?xml") && i_ + 5 < x_.size() && is_xml_space(x_[i_ + 5]) && !declaration()) return problem_;
        while (i_ < x_.size() && !problem_) {
            if (x_[i_] == '<')
                markup();
            else
                text();
        }
        return problem_;
    }

private:
    bool at(std::string_view s) const { return x_.substr(i_, s.size()) == s; }

    void fail(std::size_t offset, std::string message) {
        if (!problem_) problem_ = BadReference{offset, std::move(message)};
        i_ = x_.size();
    }

    void skip_spaces() {
        while (i_ < x_.size() && is_xml_space(x_[i_])) ++i_;
    }

    std::string_view name() {
        std::size_t start = i_;
        while (i_ < x_.size() && !is_xml_space(x_[i_]) && x_[i_] != '=' && x_[i_] != '>' && x_[i_] != '/' &&
               x_[i_] != '?' && x_[i_] != '"' && x_[i_] != '\'' && x_[i_] != '<')
            ++i_;
        return x_.substr(start, i_ - start);
    }

    // name="value" at i_; returns the value's bounds, or nothing (and gives up on the text) when it
    // is not written so, which pugixml would have refused.
    std::optional<std::pair<std::size_t, std::size_t>> value() {
        skip_spaces();
        if (i_ >= x_.size() || x_[i_] != '=') return give_up();
        ++i_;
        skip_spaces();
        if (i_ >= x_.size() || (x_[i_] != '"' && x_[i_] != '\'')) return give_up();
        std::size_t close = x_.find(x_[i_], i_ + 1);
        if (close == std::string_view::npos) return give_up();
        std::pair<std::size_t, std::size_t> bounds{i_ + 1, close};
        i_ = close + 1;
        return bounds;
    }

    std::nullopt_t give_up() {
        i_ = x_.size();
        return std::nullopt;
    }

    // <?xml version="1.0" encoding="UTF-8" standalone="yes"?>, at the very start (XML 1.0, 2.8).
    bool declaration() {
        std::size_t start = i_;
        i_ += 5;
        static constexpr std::string_view order[] = {"version", "encoding", "standalone"};
        std::size_t next = 0;  // the first of `order` still allowed
        for (;;) {
            skip_spaces();
            if (at("?>")) break;
            std::size_t name_at = i_;
            std::string_view pseudo = name();
            if (pseudo.empty()) return give_up(), true;
            std::size_t k = next;
            while (k < std::size(order) && order[k] != pseudo) ++k;
            if (k == std::size(order) || (next == 0 && k != 0)) {
                fail(name_at,
                     "malformed XML: the XML declaration holds version, then optionally encoding and "
                     "standalone, in that order; " +
                         std::string(next == 0 && k != 0 && k < std::size(order)
                                         ? "write version=\"1.0\" first"
                                         : "remove " + std::string(pseudo)));
                return false;
            }
            next = k + 1;
            if (!value()) return true;
        }
        if (next == 0) {
            fail(start, "malformed XML: the XML declaration needs version=\"1.0\"");
            return false;
        }
        i_ += 2;
        return true;
    }

    void text() {
        std::size_t end = std::min(x_.find('<', i_), x_.size());
        if (depth_ == 0) {
            for (std::size_t k = i_; k < end; ++k) {
                if (is_xml_space(x_[k])) continue;
                if (x_.substr(k, byte_order_mark.size()) == byte_order_mark)
                    return fail(k,
                                "malformed XML: a second byte-order mark (U+FEFF); a file may start with one "
                                "only: remove it");
                return fail(k, root_closed_ ? "malformed XML: text after the end of the root element <" +
                                                  std::string(root_) + ">; remove it"
                                            : "malformed XML: text before the root element; remove it");
            }
        } else {
            for (std::size_t k = i_; k < end; ++k) {
                if (x_[k] == '&') {
                    if (auto bad = check_reference_at(x_, k)) return fail(bad->offset, bad->message);
                } else if (x_[k] == ']' && x_.substr(k, 3) == "]]>") {
                    return fail(k, "malformed XML: \"]]>\" cannot be written in text; write ]]&gt;");
                }
            }
        }
        i_ = end;
    }

    void markup() {
        std::size_t start = i_;
        if (at("<!--")) {
            // XML 1.0, 2.5: "--" may not occur inside a comment, nor may one end in "--->".
            std::size_t dashes = x_.find("--", i_ + 4);
            if (dashes == std::string_view::npos) return void(give_up());
            if (dashes + 2 >= x_.size() || x_[dashes + 2] != '>')
                return fail(dashes,
                            "malformed XML: \"--\" cannot be written inside a comment; write a "
                            "single '-' or another character");
            i_ = dashes + 3;
        } else if (at("<![CDATA[")) {
            if (depth_ == 0)
                return fail(start, "malformed XML: a CDATA section outside the root element; remove it");
            std::size_t end = x_.find("]]>", i_ + 9);
            i_ = end == std::string_view::npos ? x_.size() : end + 3;
        } else if (at("<!DOCTYPE")) {
            fail(start, "a DOCTYPE is not allowed in " + std::string(kind_) +
                            "; remove the <!DOCTYPE ...> declaration");
        } else if (at("<?")) {
            i_ += 2;
            std::string_view target = name();
            std::string lower(target);
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (lower == "xml")
                return fail(start,
                            "malformed XML: the XML declaration <?xml ...?> must open the file, before "
                            "anything else (a line break, a space, a comment, a second byte-order "
                            "mark); move it to the very start or remove it");
            std::size_t end = x_.find("?>", i_);
            i_ = end == std::string_view::npos ? x_.size() : end + 2;
        } else if (at("<!")) {
            give_up();  // nothing else pugixml accepts starts so
        } else if (at("</")) {
            std::size_t end = x_.find('>', i_);
            i_ = end == std::string_view::npos ? x_.size() : end + 1;
            if (depth_ > 0 && --depth_ == 0) root_closed_ = true;
        } else {
            start_tag();
        }
    }

    void start_tag() {
        std::size_t start = i_;
        ++i_;
        std::string_view element = name();
        if (depth_ == 0) {
            if (root_closed_)
                return fail(start, "malformed XML: <" + std::string(element) +
                                       "> comes after the end of the root element <" + std::string(root_) +
                                       ">; a file holds one root element");
            root_ = element;
        }
        attributes_.clear();
        many_attributes_.clear();
        for (;;) {
            skip_spaces();
            if (i_ >= x_.size()) return;
            if (at("/>")) {
                i_ += 2;
                if (depth_ == 0) root_closed_ = true;
                return;
            }
            if (x_[i_] == '>') {
                ++i_;
                ++depth_;
                return;
            }
            std::size_t name_at = i_;
            std::string_view attribute = name();
            if (attribute.empty()) return void(give_up());
            if (!add_attribute(attribute))
                return fail(name_at, "malformed XML: attribute \"" + std::string(attribute) +
                                         "\" is written twice on <" + std::string(element) + ">; keep one");
            auto bounds = value();
            if (!bounds) return;
            for (std::size_t k = bounds->first; k < bounds->second; ++k) {
                if (x_[k] == '<')
                    return fail(k, "malformed XML: '<' cannot be written in an attribute value; write &lt;");
                if (x_[k] == '&')
                    if (auto bad = check_reference_at(x_, k)) return fail(bad->offset, bad->message);
            }
        }
    }

    std::string_view x_;
    std::string_view kind_;
    std::size_t i_ = 0;
    std::size_t depth_ = 0;
    bool root_closed_ = false;
    std::string_view root_;
    // The attributes of the start tag being read: the first few in a list searched in turn (its
    // room kept from tag to tag, where a set allocated for every attribute of every tag), the
    // rest in a set, so that a tag of thousands of attributes is not quadratic.
    static constexpr std::size_t kListedAttributes = 16;
    std::vector<std::string_view> attributes_;
    std::unordered_set<std::string_view> many_attributes_;

    // Whether `attribute` is new on this tag; it is then recorded.
    bool add_attribute(std::string_view attribute) {
        if (std::find(attributes_.begin(), attributes_.end(), attribute) != attributes_.end()) return false;
        if (attributes_.size() < kListedAttributes) {
            attributes_.push_back(attribute);
            return true;
        }
        return many_attributes_.insert(attribute).second;
    }
    std::optional<BadReference> problem_;
};

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

namespace {

std::string escape(std::string_view text, bool quotes) {
    std::string out;
    out.reserve(text.size());
    std::size_t plain = 0;  // the start of the characters not yet written, none to escape
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::string_view entity;
        switch (text[i]) {
            case '&': entity = "&amp;"; break;
            case '<': entity = "&lt;"; break;
            case '>': entity = "&gt;"; break;
            case '"': entity = quotes ? "&quot;" : ""; break;
            case '\'': entity = quotes ? "&apos;" : ""; break;
            default: break;
        }
        if (entity.empty()) continue;
        out.append(text, plain, i - plain);
        out += entity;
        plain = i + 1;
    }
    out.append(text, plain);
    return out;
}

}  // namespace

std::string escape_xml(std::string_view text) {
    return escape(text, true);
}

std::string escape_xml_text(std::string_view text) {
    return escape(text, false);
}

std::optional<BadReference> find_not_well_formed(std::string_view xml, std::string_view file_kind) {
    return WellFormedness(xml, file_kind).run();
}

void check_well_formed(std::string_view xml, const LineMap& map, std::string_view file_kind) {
    if (auto bad = find_not_well_formed(xml, file_kind)) throw Error(map.at(bad->offset), bad->message);
}

void load_xml(pugi::xml_document& doc, std::string_view text, const LineMap& map, std::string_view file_kind,
              unsigned options) {
    pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
    if (!parsed) throw parse_error(map, parsed);
    check_well_formed(text, map, file_kind);
}

Error parse_error(const LineMap& map, const pugi::xml_parse_result& result, const std::string& what) {
    std::string description = result.description();
    if (!description.empty())
        description[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(description[0])));
    return Error(map.at(result.offset < 0 ? 0 : static_cast<std::size_t>(result.offset)),
                 what + ": " + description);
}

std::optional<BadReference> find_bad_reference(std::string_view xml) {
    // Sections where '&' is plain text: comments, CDATA and processing instructions.
    struct Skip {
        std::string_view open, close;
    };
    static constexpr Skip skips[] = {{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}};
    std::size_t i = 0;
    while (i < xml.size()) {
        bool skipped = false;
        for (const Skip& skip : skips) {
            if (xml.substr(i, skip.open.size()) != skip.open) continue;
            std::size_t end = xml.find(skip.close, i + skip.open.size());
            i = end == std::string_view::npos ? xml.size() : end + skip.close.size();
            skipped = true;
            break;
        }
        if (skipped) continue;
        if (xml[i] != '&') {
            ++i;
            continue;
        }
        // A reference is short and made of name characters; anything else is a bare '&'.
        constexpr std::size_t longest = 32;
        std::size_t semicolon = xml.find(';', i + 1);
        std::string_view body;
        bool bare = semicolon == std::string_view::npos || semicolon - i - 1 > longest || semicolon == i + 1;
        if (!bare) {
            body = xml.substr(i + 1, semicolon - i - 1);
            for (char c : body)
                if (is_xml_space(c) || c == '&' || c == '<' || c == '"' || c == '\'') bare = true;
        }
        if (bare) return BadReference{i, "a bare \"&\" must be written &amp;"};
        if (std::string problem = check_reference(body); !problem.empty()) return BadReference{i, problem};
        i = semicolon + 1;
    }
    return std::nullopt;
}

std::optional<std::size_t> find_invalid_character(std::string_view text, long& code_point) {
    std::size_t i = 0;
    while (i < text.size()) {
        // Eight bytes at a time while all are printable ASCII (0x20 to 0x7F), most of a source or
        // of markup: a byte below 0x20 borrows into its high bit when 0x20 is taken from each,
        // and no byte does when none is below (the first such byte is found one by one below).
        constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
        for (std::uint64_t eight = 0; i + 8 <= text.size(); i += 8) {
            std::memcpy(&eight, text.data() + i, 8);
            if (((eight - ones * 0x20) | eight) & highs) break;
        }
        if (i == text.size()) break;
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') {
                code_point = byte;
                return i;
            }
            ++i;
            continue;
        }
        // Multi-byte sequences per RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF.
        std::size_t length = 0;
        unsigned long value = 0;
        unsigned long minimum = 0;
        if ((byte & 0xE0) == 0xC0) {
            length = 2, value = byte & 0x1Fu, minimum = 0x80;
        } else if ((byte & 0xF0) == 0xE0) {
            length = 3, value = byte & 0x0Fu, minimum = 0x800;
        } else if ((byte & 0xF8) == 0xF0) {
            length = 4, value = byte & 0x07u, minimum = 0x10000;
        } else {
            code_point = -1;
            return i;
        }
        if (i + length > text.size()) {
            code_point = -1;
            return i;
        }
        for (std::size_t k = 1; k < length; ++k) {
            auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) {
                code_point = -1;
                return i;
            }
            value = (value << 6) | (next & 0x3Fu);
        }
        bool surrogate = value >= 0xD800 && value <= 0xDFFF;
        if (value < minimum || surrogate || value > 0x10FFFF) {
            code_point = -1;
            return i;
        }
        // U+FFFE and U+FFFF are not XML characters either.
        if (value == 0xFFFE || value == 0xFFFF) {
            code_point = static_cast<long>(value);
            return i;
        }
        i += length;
    }
    return std::nullopt;
}

}  // namespace factsheet
