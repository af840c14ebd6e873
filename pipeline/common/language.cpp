#include "common/language.hpp"

namespace factsheet {

std::optional<Lang> lang_from_code(std::string_view code) {
    for (Lang lang : {Lang::en, Lang::fr})
        if (code == lang_code(lang)) return lang;
    return std::nullopt;
}

const char* english_name(Lang lang) {
    return lang == Lang::en ? "English" : "French";
}

bool is_edition_code(std::string_view code) {
    return lang_from_code(code) || code == combined_code;
}

}  // namespace factsheet
