// The localized view: plain data in one language, ready for template expansion.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace factsheet {

/// A value the templates can read: a string, a flag, a list or an object.
struct View {
    enum class Kind { string, boolean, list, object };
    Kind kind = Kind::object;
    std::string str;
    bool flag = false;
    std::vector<View> items;
    std::map<std::string, View> fields;

    View() = default;
    View(std::string s) : kind(Kind::string), str(std::move(s)) {}  // NOLINT: implicit by design
    View(const char* s) : kind(Kind::string), str(s) {}             // NOLINT
    static View boolean(bool b) {
        View v;
        v.kind = Kind::boolean;
        v.flag = b;
        return v;
    }
    static View list(std::vector<View> items = {}) {
        View v;
        v.kind = Kind::list;
        v.items = std::move(items);
        return v;
    }

    /// Sets a field of an object view and returns it, for chaining.
    View& set(const std::string& key, View value) {
        fields[key] = std::move(value);
        return *this;
    }
};

/// In a draft, a text the edition lacks is shown in the other language, and travels through the
/// view between these marks: Unicode noncharacters, which are never text (no font has them, so a
/// source holding one is refused where its characters are checked against the layout's fonts).
/// Template::render turns the marked text into a span of its language in the markup.
inline constexpr std::string_view fallback_open = "\xEF\xB7\x90";   // U+FDD0, then the language code
inline constexpr std::string_view fallback_start = "\xEF\xB7\x91";  // U+FDD1, then the text
inline constexpr std::string_view fallback_close = "\xEF\xB7\x92";  // U+FDD2, after the text

/// `text` (in the language `lang`, "en") marked as standing in for a text the edition lacks.
inline std::string fallback_text(std::string_view text, std::string_view lang) {
    std::string out;
    out.reserve(text.size() + lang.size() + 9);
    out.append(fallback_open).append(lang).append(fallback_start).append(text).append(fallback_close);
    return out;
}

}  // namespace factsheet
