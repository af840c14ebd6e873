#include "source/syntax.hpp"

#include "common/date.hpp"

#include <charconv>
#include <cstdio>

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

// A label of an address: anything but '@', '.' and whitespace, at least one character.
bool is_address_label(std::string_view label) {
    if (label.empty()) return false;
    for (char c : label)
        if (c == '@' || c == '.' || is_xml_space(c)) return false;
    return true;
}

}  // namespace

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
    std::optional<Date> date = parse_iso_date(text);
    return date && date->year >= 1;
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

namespace {
// Unicode's format characters (category Cf) and its spaces other than U+0020 (category Zs, Zl, Zp),
// which no address may hold, with the other invisible ones (Hangul fillers, U+3164, U+FFA0).
bool is_invisible(char32_t c) {
    return c == 0x00A0 || c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 ||
           c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
           (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0x3164 || c == 0xFEFF || c == 0xFFA0 ||
           (c >= 0xFFF0 && c <= 0xFFFB) || (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE0FFF) ||
           (c >= 0xFE00 && c <= 0xFE0F);
}
}  // namespace

std::optional<char32_t> find_invisible_character(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto byte = static_cast<unsigned char>(text[i]);
        std::size_t length = byte < 0x80 ? 1 : (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : 4;
        char32_t c = length == 1   ? byte
                     : length == 2 ? byte & 0x1Fu
                     : length == 3 ? byte & 0x0Fu
                                   : byte & 0x07u;
        for (std::size_t k = 1; k < length && i + k < text.size(); ++k)
            c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
        if (is_invisible(c)) return c;
        i += length;
    }
    return std::nullopt;
}

std::string code_point_name(char32_t c) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
    return buffer;
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

}  // namespace factsheet::detail
