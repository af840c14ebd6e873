// Small UTF-8 helpers shared by the stages.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace factsheet::utf8 {

/// Decodes the code point starting at text[i] and advances i past it. Invalid or truncated
/// sequences yield U+FFFD and advance by one byte.
inline char32_t next(std::string_view text, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) {
        ++i;
        return c;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || c >= 0xF8 || i + len > text.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = c & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    i += len;
    return cp;
}

/// Decodes the code point starting at text[i] strictly (no overlong forms, surrogates or values
/// beyond U+10FFFF); on success stores it in cp, advances i and returns true. On malformed input
/// returns false and leaves i where it was.
inline bool next_strict(std::string_view text, std::size_t& i, char32_t& cp) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t len = lead < 0x80           ? 1
                      : (lead >> 5) == 0x6  ? 2
                      : (lead >> 4) == 0xE  ? 3
                      : (lead >> 3) == 0x1E ? 4
                                            : 0;
    if (len == 0 || i + len > text.size()) return false;
    char32_t value = len == 1 ? lead : lead & (0x7Fu >> len);
    for (std::size_t k = 1; k < len; ++k) {
        auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xC0) != 0x80) return false;
        value = (value << 6) | (b & 0x3Fu);
    }
    static constexpr char32_t min_for_length[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (value < min_for_length[len] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
    cp = value;
    i += len;
    return true;
}

/// Appends the UTF-8 encoding of a code point.
inline void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// Lower case for the Latin letters of English and French (Basic Latin, Latin-1, Latin Extended-A);
/// other characters are returned as they are, which is enough for the en and fr dictionaries.
inline char32_t to_lower(char32_t c) {
    if (c >= U'A' && c <= U'Z') return c + 0x20;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
    if (c == 0x178) return 0xFF;  // Ÿ
    const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    const bool even_upper = (c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
    if (odd_upper && c % 2 == 1) return c + 1;
    if (even_upper && c % 2 == 0) return c + 1;
    return c;
}

/// A capital letter of those scripts.
inline bool is_upper(char32_t c) {
    return to_lower(c) != c;
}

/// Letters of the Latin, Greek and Cyrillic blocks and beyond; punctuation, symbols and spaces
/// (including U+00A0 and the U+2000 block: quotes, dashes, narrow no-break space) are not letters.
inline bool is_letter(char32_t c) {
    if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) return true;
    if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;
    return c >= 0x370 && c < 0x2000;
}

/// "U+00E9" for a code point.
inline std::string code_point_name(char32_t cp) {
    static const char* hex = "0123456789ABCDEF";
    std::string digits;
    for (char32_t v = cp; v != 0 || digits.size() < 4; v >>= 4) digits.insert(digits.begin(), hex[v & 0xF]);
    return "U+" + digits;
}

/// A character that text bound for XML, HTML or JSON may not hold, and where it starts.
struct Unsafe {
    std::size_t offset = 0;  // of its first byte
    long code_point = -1;    // -1: the bytes there are not UTF-8
};

/// The first character of `text` that the archive's exports (XML, HTML, JSON) and a terminal do
/// not take as text: bytes that are not UTF-8, C0 controls (but tab, LF and CR when `line_breaks`),
/// DEL, C1 controls, U+FFFE and U+FFFF (not XML characters). Nothing when the whole text is fine.
inline std::optional<Unsafe> find_unsafe(std::string_view text, bool line_breaks = false) {
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t at = i;
        char32_t cp = 0;
        if (!next_strict(text, i, cp)) return Unsafe{at, -1};
        bool line_break = cp == '\t' || cp == '\n' || cp == '\r';
        if ((cp < 0x20 && !(line_breaks && line_break)) || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE ||
            cp == 0xFFFF)
            return Unsafe{at, static_cast<long>(cp)};
    }
    return std::nullopt;
}

/// What find_unsafe found, for a message: "a byte that is not UTF-8 (0xFF)", "control character U+001B".
inline std::string describe(std::string_view text, const Unsafe& unsafe) {
    if (unsafe.code_point < 0) {
        static const char* hex = "0123456789ABCDEF";
        auto byte = static_cast<unsigned char>(text[unsafe.offset]);
        return std::string("a byte that is not UTF-8 (0x") + hex[byte >> 4] + hex[byte & 0xF] + ")";
    }
    auto cp = static_cast<char32_t>(unsafe.code_point);
    return (cp >= 0xFFFE ? "noncharacter " : "control character ") + code_point_name(cp);
}

/// One line of text safe for every export: each character find_unsafe refuses (line breaks too)
/// becomes U+FFFD. The one sanitiser the archive's exports go through.
inline std::string safe_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (std::optional<Unsafe> bad = find_unsafe(text.substr(i))) {
        out.append(text.substr(i, bad->offset));
        append(out, 0xFFFD);
        i += bad->offset;
        char32_t cp = 0;
        if (!next_strict(text, i, cp)) ++i;  // one replacement per byte that is not UTF-8
    }
    out.append(text.substr(i));
    return out;
}

}  // namespace factsheet::utf8
