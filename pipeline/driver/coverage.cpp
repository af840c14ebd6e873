#include "driver/coverage.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#include "common/files.hpp"
#include "common/utf8.hpp"
#include "common/xml.hpp"

namespace factsheet {

namespace {

// What the program writes into the texts it sets, whatever the source says: French typography
// (locale/typography.cpp), numbers and dates (locale/format.cpp), the title's separators and the
// hyphen of a hyphenated line.
struct ProgramCharacter {
    char32_t cp;
    const char* what;
};
constexpr ProgramCharacter program_characters[] = {
    {U' ', "the space"},
    {0x00A0, "the no-break space French typography puts before : and %"},
    {0x202F, "the narrow no-break space French typography puts before ; ! ? and inside \u00AB \u00BB"},
    {0x2019, "the apostrophe that replaces '"},
    {0x00AB, "the opening French quotation mark"},
    {0x00BB, "the closing French quotation mark"},
    {0x201C, "the opening English quotation mark"},
    {0x201D, "the closing English quotation mark"},
    {0x2014, "the em dash of titles"},
    {0x00B7, "the middle dot of titles"},
    {0x2026, "the ellipsis that ends a running line shortened to fit"},
    {U'-', "the hyphen of hyphenated lines"},
    {U'.', "the full stop of numbers"},
    {U',', "the comma of numbers"},
    {U'%', "the percent sign"},
    {U'$', "the dollar sign"},
    {U'0', "a digit"},
    {U'1', "a digit"},
    {U'2', "a digit"},
    {U'3', "a digit"},
    {U'4', "a digit"},
    {U'5', "a digit"},
    {U'6', "a digit"},
    {U'7', "a digit"},
    {U'8', "a digit"},
    {U'9', "a digit"},
};

// The names of the sheet's fonts by index, as styles.xml writes them.
std::vector<std::string> font_names(const StyleSheet& sheet) {
    std::vector<std::string> names(sheet.fonts.size());
    for (const auto& [name, index] : sheet.font_names) names.at(static_cast<std::size_t>(index)) = name;
    return names;
}

// Where the <font name="..."> element is in the styles file; the file alone when it cannot be found.
SourcePos font_pos(const StyleSheet& sheet, const std::string& name) {
    try {
        std::string text = read_whole_file(sheet.file);
        pugi::xml_document doc;
        if (doc.load_buffer(text.data(), text.size()))
            for (pugi::xml_node font : doc.child("styles").children("font"))
                if (name == font.attribute("name").value())
                    return node_pos(LineMap(sheet.file, text), font, text);
    } catch (const Error&) {
        // The file was read a moment ago; without it, the file's name is place enough.
    }
    return SourcePos{sheet.file, 0, 0};
}

// "U+0645 ("م")": the code point and the character itself.
std::string describe(char32_t cp) {
    std::string ch;
    utf8::append(ch, cp);
    return utf8::code_point_name(cp) + " (\"" + ch + "\")";
}

// The text fonts lacking a character, as a message names them: the font "regular"
// (Roboto-Regular.ttf), or the fonts "regular" (...) and "bold" (...).
class MissingFonts {
public:
    explicit MissingFonts(const StyleSheet& sheet)
        : sheet_(sheet), fonts_(text_fonts(sheet)), names_(font_names(sheet)) {}

    // Empty when every text font has the character.
    const std::string& of(char32_t cp) {
        // Asked for every character of a source: those all fonts have are answered from a bit
        // per BMP code point (a map lookup each was 85 instructions).
        if (cp < covered_.size() && covered_[cp]) return none_;
        auto found = known_.find(cp);
        if (found != known_.end()) return found->second;
        std::vector<std::string> lacking;
        for (int index : fonts_) {
            const FontMetrics& font = *sheet_.fonts[static_cast<std::size_t>(index)];
            if (font.has_glyph(cp)) continue;
            std::string file = std::filesystem::path(font.path()).filename().string();
            lacking.push_back("\"" + names_[static_cast<std::size_t>(index)] + "\"" +
                              (file.empty() ? "" : " (" + file + ")"));
        }
        std::string text;
        for (std::size_t k = 0; k < lacking.size(); ++k)
            text += (k == 0 ? "" : k + 1 == lacking.size() ? " and " : ", ") + lacking[k];
        if (!text.empty()) text = (lacking.size() == 1 ? "the layout's font " : "the layout's fonts ") + text;
        if (text.empty() && cp < covered_.size()) {
            covered_[cp] = true;
            return none_;
        }
        return known_.emplace(cp, std::move(text)).first->second;
    }

private:
    const StyleSheet& sheet_;
    std::vector<int> fonts_;
    std::vector<std::string> names_;
    std::map<char32_t, std::string> known_;
    std::vector<bool> covered_ = std::vector<bool>(0x10000, false);  // BMP characters every font has
    const std::string none_;
};

// The character an entity or character reference at text[i] ('&') stands for; i moves past its
// ';'. The source was validated: only the five XML entities and numeric references are left.
std::optional<char32_t> reference(std::string_view text, std::size_t& i) {
    std::size_t end = text.find(';', i);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view name = text.substr(i + 1, end - i - 1);
    i = end + 1;
    if (name == "amp") return U'&';
    if (name == "lt") return U'<';
    if (name == "gt") return U'>';
    if (name == "quot") return U'"';
    if (name == "apos") return U'\'';
    if (name.size() > 1 && name[0] == '#') {
        bool hex = name[1] == 'x' || name[1] == 'X';
        std::string digits(name.substr(hex ? 2 : 1));
        if (digits.empty() || digits.size() > 8) return std::nullopt;
        char* stop = nullptr;
        unsigned long value = std::strtoul(digits.c_str(), &stop, hex ? 16 : 10);
        if (*stop != '\0') return std::nullopt;
        return static_cast<char32_t>(value);
    }
    return std::nullopt;
}

struct SourceScan {
    std::string_view xml;
    LineMap lines;
    MissingFonts& missing;
    DiagnosticSink& sink;

    void check(char32_t cp, std::size_t offset) {
        // Line breaks and tabs are folded into spaces before anything is set.
        if (cp == U'\n' || cp == U'\r' || cp == U'\t') return;
        const std::string& fonts = missing.of(cp);
        if (fonts.empty()) return;
        sink.add(lines.at(offset), "character " + describe(cp) + " is not in " + fonts +
                                       ": replace it, or use a layout whose fonts have it");
    }

    // Character data as written in the file, from `start` to the next markup: references decoded.
    void pcdata(std::size_t start) {
        for (std::size_t i = start; i < xml.size() && xml[i] != '<';) {
            std::size_t at = i;
            if (xml[i] == '&') {
                if (std::optional<char32_t> cp = reference(xml, i)) check(*cp, at);
                continue;
            }
            check(utf8::next(xml, i), at);
        }
    }

    // A CDATA section's content, taken as written.
    void cdata(std::size_t start) {
        std::size_t end = std::min(xml.find("]]>", start), xml.size());
        for (std::size_t i = start; i < end;) {
            std::size_t at = i;
            check(utf8::next(xml, i), at);
        }
    }

    void walk(pugi::xml_node node) {
        for (pugi::xml_node child : node.children()) {
            std::ptrdiff_t offset = child.offset_debug();
            switch (child.type()) {
                case pugi::node_element:
                    // Hyphenation exceptions are rules for the line breaker, never drawn themselves.
                    if (std::string_view(child.name()) != "hyphenation") walk(child);
                    break;
                case pugi::node_pcdata:
                    if (offset >= 0) pcdata(static_cast<std::size_t>(offset));
                    break;
                case pugi::node_cdata:
                    if (offset >= 0) cdata(static_cast<std::size_t>(offset));
                    break;
                default: break;
            }
        }
    }
};

}  // namespace

std::vector<int> text_fonts(const StyleSheet& sheet) {
    std::vector<bool> used(sheet.fonts.size(), false);
    for (const auto& [name, style] : sheet.styles)
        for (int index : {style.font, style.bold_font})
            if (index >= 0 && static_cast<std::size_t>(index) < used.size())
                used[static_cast<std::size_t>(index)] = true;
    std::vector<int> out;
    for (std::size_t k = 0; k < used.size(); ++k)
        if (used[k]) out.push_back(static_cast<int>(k));
    return out;
}

void check_program_characters(const StyleSheet& sheet) {
    std::vector<std::string> names = font_names(sheet);
    for (int index : text_fonts(sheet)) {
        const FontMetrics& font = *sheet.fonts[static_cast<std::size_t>(index)];
        for (const ProgramCharacter& c : program_characters)
            if (!font.has_glyph(c.cp))
                throw Error(font_pos(sheet, names[static_cast<std::size_t>(index)]),
                            "font \"" + names[static_cast<std::size_t>(index)] + "\" lacks " +
                                describe(c.cp) + ", " + c.what +
                                ": the program writes it into texts, so use a font that has it");
    }
}

void check_source_characters(std::string_view xml, const std::string& file, const StyleSheet& sheet,
                             DiagnosticSink& sink) {
    pugi::xml_document doc;
    // pugixml counts its offsets after a byte order mark.
    std::string_view body = xml.substr(0, 3) == "\xEF\xBB\xBF" ? xml.substr(3) : xml;
    if (!doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8)) return;
    MissingFonts missing(sheet);
    SourceScan scan{body, LineMap(file, body), missing, sink};
    scan.walk(doc);
}

}  // namespace factsheet
