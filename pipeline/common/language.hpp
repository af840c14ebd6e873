// The two languages the project publishes in, and the codes that name them and its editions in
// sources, file names, the archive and the command line.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace factsheet {

/// The two editions the project publishes.
enum class Lang { en, fr };

/// "en" or "fr": the language's ISO 639-1 code, also its BCP 47 tag and the element of its text in
/// a source.
constexpr const char* lang_code(Lang lang) {
    return lang == Lang::en ? "en" : "fr";
}

/// The language a code names, "en" or "fr" exactly; nothing for any other.
std::optional<Lang> lang_from_code(std::string_view code);

/// The other edition's language.
inline Lang other_lang(Lang lang) {
    return lang == Lang::en ? Lang::fr : Lang::en;
}

/// "English", "French": the language's name in messages.
const char* english_name(Lang lang);

/// The code of the combined edition, both languages in one file, in file names and the archive:
/// "en-fr" (no language tag: as one it would read "English of France").
inline constexpr const char* combined_code = "en-fr";

/// The codes of the languages, in the order the program lists them.
inline constexpr std::array<const char*, 2> lang_codes{lang_code(Lang::en), lang_code(Lang::fr)};

/// The codes of the editions an archive holds: each language's and the combined edition's.
inline constexpr std::array<const char*, 3> edition_codes{lang_code(Lang::en), lang_code(Lang::fr),
                                                          combined_code};

/// True for "en", "fr" and "en-fr" (combined_code).
bool is_edition_code(std::string_view code);

}  // namespace factsheet
