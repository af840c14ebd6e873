// The edition's typography: curly apostrophes and quotes, and French spacing around punctuation.
//
// French rules follow the Lexique des règles typographiques en usage à l'Imprimerie nationale:
// a narrow no-break space before ; ! ? and inside « », a no-break space before : and %, and
// narrow no-break spaces between digit groups. Every rule looks at what the text already holds,
// so a second pass finds nothing to change (the function is idempotent).
#include <string>
#include <vector>

#include "common/utf8.hpp"
#include "locale/locale.hpp"

namespace factsheet {

namespace {

constexpr char32_t nbsp_cp = 0x00A0;
constexpr char32_t narrow_nbsp_cp = 0x202F;
constexpr char32_t apostrophe_cp = 0x2019;
constexpr char32_t open_guillemet = 0x00AB;
constexpr char32_t close_guillemet = 0x00BB;
constexpr char32_t open_double_quote = 0x201C;
constexpr char32_t close_double_quote = 0x201D;
// Bytes that are not valid UTF-8 are carried as U+DC80..U+DCFF (never valid code points in
// UTF-8 themselves) and written back unchanged, so bad input passes through instead of throwing.
constexpr char32_t raw_byte_base = 0xDC00;

/// One code point of the text; literal ones (URLs, e-mail addresses) are never rewritten.
struct Unit {
    char32_t cp;
    bool literal;
};

std::vector<Unit> decode(std::string_view text) {
    std::vector<Unit> units;
    units.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t cp = 0;
        if (utf8::next_strict(text, i, cp)) {
            units.push_back({cp, false});
        } else {
            units.push_back({raw_byte_base + static_cast<unsigned char>(text[i]), true});
            ++i;
        }
    }
    return units;
}

std::string encode(const std::vector<Unit>& units) {
    std::string out;
    out.reserve(units.size());
    for (const Unit& u : units) {
        char32_t cp = u.cp;
        if (cp >= raw_byte_base + 0x80 && cp <= raw_byte_base + 0xFF)
            out += static_cast<char>(cp - raw_byte_base);
        else
            utf8::append(out, cp);
    }
    return out;
}

bool is_line_break(char32_t c) {
    return c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x2028 || c == 0x2029;
}

bool is_space(char32_t c) {
    return c == ' ' || c == '\t' || is_line_break(c) || c == nbsp_cp || c == narrow_nbsp_cp ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x205F || c == 0x3000;
}

/// Spaces the rules may replace: ordinary ones and those a previous pass put there.
bool is_replaceable_space(char32_t c) {
    return c == ' ' || c == '\t' || c == nbsp_cp || c == narrow_nbsp_cp || c == 0x2009;
}

bool is_digit(char32_t c) {
    return c >= '0' && c <= '9';
}

bool is_ascii_alnum(char32_t c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_high_punctuation(char32_t c) {
    return c == ';' || c == '!' || c == '?' || c == ':';
}

/// What may directly follow ; ! ? : for it to be sentence punctuation (not "10:30", "https://").
bool ends_punctuation(char32_t c) {
    return is_space(c) || is_high_punctuation(c) || c == '.' || c == ',' || c == ')' || c == ']' ||
           c == '}' || c == close_guillemet || c == close_double_quote || c == apostrophe_cp || c == '"' ||
           c == '\'' || c == 0x2026;
}

/// What may precede an opening straight quote.
bool opens_quote_after(char32_t c) {
    return is_space(c) || c == '(' || c == '[' || c == '{' || c == open_guillemet || c == open_double_quote ||
           c == 0x2014 || c == 0x2013;
}

bool matches_at(const std::vector<Unit>& u, std::size_t at, std::u32string_view s) {
    if (at + s.size() > u.size()) return false;
    for (std::size_t k = 0; k < s.size(); ++k)
        if (u[at + k].cp != s[k]) return false;
    return true;
}

/// Marks words that are addresses (URLs, e-mail) as literal: typography must not alter them.
void protect_addresses(std::vector<Unit>& units) {
    std::size_t i = 0;
    while (i < units.size()) {
        if (is_space(units[i].cp)) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < units.size() && !is_space(units[end].cp)) ++end;
        bool address = matches_at(units, i, U"www.");
        for (std::size_t k = i; !address && k < end; ++k)
            address = units[k].cp == '@' || matches_at(units, k, U"://");
        if (address)
            for (std::size_t k = i; k < end; ++k) units[k].literal = true;
        i = end;
    }
}

/// Both languages: ' becomes ’; straight double quotes become “ ” (EN) or « » (FR).
std::vector<Unit> curl_quotes(const std::vector<Unit>& in, Lang lang) {
    std::vector<Unit> out = in;
    bool inside = false;  // decides a quote with spaces on both sides: it closes an open one
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i].literal) continue;
        if (out[i].cp == '\'') {
            out[i].cp = apostrophe_cp;
        } else if (out[i].cp == '"') {
            bool after_opener = i == 0 || opens_quote_after(in[i - 1].cp);
            bool before_text = i + 1 < in.size() && !is_space(in[i + 1].cp);
            bool opening = after_opener && (before_text || !inside);
            inside = opening;
            if (lang == Lang::fr)
                out[i].cp = opening ? open_guillemet : close_guillemet;
            else
                out[i].cp = opening ? open_double_quote : close_double_quote;
        }
    }
    return out;
}

/// Index just past the last non-space unit of `out`, looking back over replaceable spaces.
std::size_t trim_point(const std::vector<Unit>& out) {
    std::size_t k = out.size();
    while (k > 0 && !out[k - 1].literal && is_replaceable_space(out[k - 1].cp)) --k;
    return k;
}

/// Replaces the spaces `out` ends with by one `space`, when a word (not a line start) precedes.
bool respace_before(std::vector<Unit>& out, char32_t space) {
    std::size_t k = trim_point(out);
    if (k == 0 || is_line_break(out[k - 1].cp)) return false;
    out.resize(k);
    out.push_back({space, false});
    return true;
}

/// The length of the run of digits `out` ends with.
std::size_t trailing_digits(const std::vector<Unit>& out) {
    std::size_t n = 0;
    while (n < out.size() && !out[out.size() - 1 - n].literal && is_digit(out[out.size() - 1 - n].cp)) ++n;
    return n;
}

/// A space between digit groups, as in "3 900 000": 1 to 3 digits before (not the decimals of a
/// number, not a year like "2023"), exactly 3 digits after.
bool joins_digit_groups(const std::vector<Unit>& out, const std::vector<Unit>& in, std::size_t i) {
    std::size_t left = trailing_digits(out);
    if (left == 0 || left > 3) return false;
    if (left < out.size()) {
        char32_t before = out[out.size() - 1 - left].cp;
        if (before == ',' || before == '.') return false;
    }
    for (std::size_t k = 1; k <= 3; ++k)
        if (i + k >= in.size() || in[i + k].literal || !is_digit(in[i + k].cp)) return false;
    return i + 4 >= in.size() || !is_digit(in[i + 4].cp);
}

std::vector<Unit> french_spacing(const std::vector<Unit>& in) {
    std::vector<Unit> out;
    out.reserve(in.size() + in.size() / 8);
    for (std::size_t i = 0; i < in.size(); ++i) {
        const Unit u = in[i];
        if (u.literal) {
            out.push_back(u);
            continue;
        }
        char32_t next = i + 1 < in.size() ? in[i + 1].cp : U' ';
        if (u.cp == open_guillemet) {
            out.push_back(u);
            std::size_t j = i + 1;
            while (j < in.size() && !in[j].literal && is_replaceable_space(in[j].cp)) ++j;
            if (j < in.size() && !is_line_break(in[j].cp)) {
                out.push_back({narrow_nbsp_cp, false});
                i = j - 1;
            }
        } else if (u.cp == close_guillemet) {
            respace_before(out, narrow_nbsp_cp);
            out.push_back(u);
        } else if (is_high_punctuation(u.cp) && ends_punctuation(next)) {
            std::size_t k = trim_point(out);
            char32_t prev = k > 0 ? out[k - 1].cp : U'\n';
            // "?!" takes one space before the group; an opening bracket or « takes none.
            bool after_word =
                !is_high_punctuation(prev) && prev != '(' && prev != '[' && prev != open_guillemet;
            if (after_word) respace_before(out, u.cp == ':' ? nbsp_cp : narrow_nbsp_cp);
            out.push_back(u);
        } else if (u.cp == '%' && !is_ascii_alnum(next)) {
            std::size_t k = trim_point(out);
            if (k > 0 && !out[k - 1].literal && is_digit(out[k - 1].cp)) respace_before(out, nbsp_cp);
            out.push_back(u);
        } else if ((u.cp == ' ' || u.cp == nbsp_cp || u.cp == narrow_nbsp_cp) &&
                   joins_digit_groups(out, in, i)) {
            out.push_back({narrow_nbsp_cp, false});
        } else {
            out.push_back(u);
        }
    }
    return out;
}

/// Whether a rule may apply to the text, judged from its bytes alone and erring on the side of
/// yes: a straight apostrophe or quote; in French also ; ! ? : %, a guillemet, or a space (' ',
/// U+00A0, U+202F: their first bytes) after a digit. Every other character is decoded and
/// encoded back to the same bytes, bad ones included, so a text without these is already right.
/// Six texts in seven of a factsheet are (most are names, labels and figures); they are copied
/// without the four passes over their code points, which cost 5,500 instructions a text.
bool rules_may_apply(std::string_view text, Lang lang) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\'' || c == '"') return true;
        if (lang != Lang::fr) continue;
        if (c == ';' || c == '!' || c == '?' || c == ':' || c == '%') return true;
        char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if (c == '\xC2' && (next == '\xAB' || next == '\xBB')) return true;  // « »
        if (c >= '0' && c <= '9' && (next == ' ' || next == '\xC2' || next == '\xE2')) return true;
    }
    return false;
}

}  // namespace

std::string apply_typography(std::string_view text, Lang lang) {
    if (!rules_may_apply(text, lang)) return std::string(text);
    std::vector<Unit> units = decode(text);
    protect_addresses(units);
    units = curl_quotes(units, lang);
    if (lang == Lang::fr) units = french_spacing(units);
    return encode(units);
}

}  // namespace factsheet
