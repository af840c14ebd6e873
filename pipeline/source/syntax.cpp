#include "source/syntax.hpp"

#include <charconv>

namespace factsheet::detail {

namespace {

bool is_xml_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
    for (char c : text)
        if (!is_digit(c)) return false;
    return true;
}

int digits_value(std::string_view text) {
    int value = 0;
    for (char c : text) value = value * 10 + (c - '0');
    return value;
}

bool is_leap_year(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// A label of an address: anything but '@', '.' and whitespace, at least one character.
bool is_address_label(std::string_view label) {
    if (label.empty()) return false;
    for (char c : label)
        if (c == '@' || c == '.' || is_xml_space(c)) return false;
    return true;
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

}  // namespace

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

std::optional<std::int64_t> parse_count(std::string_view text, CountProblem& problem) {
    if (text.empty() || !all_digits(text)) {
        problem = CountProblem::not_digits;
        return std::nullopt;
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
        problem = CountProblem::too_large;
        return std::nullopt;
    }
    if (ec != std::errc() || end != text.data() + text.size()) {
        problem = CountProblem::not_digits;
        return std::nullopt;
    }
    return value;
}

std::optional<Decimal> parse_percentage(std::string_view text) {
    std::size_t dot = text.find('.');
    std::string_view whole = text.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 4 || !all_digits(whole)) return std::nullopt;
    if (dot != std::string_view::npos && (fraction.size() != 1 || !all_digits(fraction))) return std::nullopt;
    Decimal out{digits_value(whole), 0};
    if (!fraction.empty()) out = {out.scaled * 10 + (fraction[0] - '0'), 1};
    std::int64_t limit = out.decimals == 1 ? 10000 : 1000;
    if (out.scaled > limit) return std::nullopt;
    return out;
}

bool is_phone_number(std::string_view text) {
    std::size_t digits = 0;
    bool open = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (is_digit(c))
            ++digits;
        else if (c == '+' && i == 0)
            continue;
        else if (c == '(' && !open)
            open = true;
        else if (c == ')' && open)
            open = false;
        else if (c != ' ' && c != '-' && c != '.')
            return false;
    }
    return !open && digits >= 4 && digits <= 20;
}

std::size_t count_chars(std::string_view text) {
    std::size_t chars = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
    return chars;
}

bool is_four_digit_year(std::string_view text) {
    return text.size() == 4 && all_digits(text);
}

bool is_real_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
    if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return false;
    int year = digits_value(y), month = digits_value(m), day = digits_value(d);
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    static constexpr int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = days_in_month[month - 1] + (month == 2 && is_leap_year(year) ? 1 : 0);
    return day <= last;
}

bool is_currency_code(std::string_view text) {
    if (text.size() != 3) return false;
    for (char c : text)
        if (c < 'A' || c > 'Z') return false;
    return true;
}

bool is_valid_email(std::string_view text) {
    std::size_t at = text.find('@');
    if (at == std::string_view::npos) return false;
    std::string_view local = text.substr(0, at), domain = text.substr(at + 1);
    if (local.empty()) return false;
    for (char c : local)
        if (is_xml_space(c)) return false;
    // The domain needs at least one dot ("drc.ngo"), and no label may be empty ("a..b", "a.").
    std::size_t labels = 0;
    while (true) {
        std::size_t dot = domain.find('.');
        if (!is_address_label(domain.substr(0, dot))) return false;
        ++labels;
        if (dot == std::string_view::npos) break;
        domain.remove_prefix(dot + 1);
    }
    return labels >= 2;
}

bool is_web_url(std::string_view text) {
    std::string_view rest;
    if (text.starts_with("https://"))
        rest = text.substr(8);
    else if (text.starts_with("http://"))
        rest = text.substr(7);
    else
        return false;
    if (rest.empty()) return false;
    for (char c : rest)
        if (is_xml_space(c)) return false;
    return true;
}

std::optional<std::size_t> find_invalid_character(std::string_view text, long& code_point) {
    std::size_t i = 0;
    while (i < text.size()) {
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

}  // namespace factsheet::detail
