#include "common/language.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace factsheet;

TEST(language, codes_round_trip) {
    for (Lang lang : {Lang::en, Lang::fr})
        EXPECT_EQ(lang_from_code(lang_code(lang)), lang) << lang_code(lang);
    EXPECT_STREQ(lang_code(Lang::en), "en");
    EXPECT_STREQ(lang_code(Lang::fr), "fr");
    EXPECT_EQ(lang_from_code("en"), Lang::en);
    EXPECT_EQ(lang_from_code("fr"), Lang::fr);
}

TEST(language, unknown_codes_are_refused) {
    for (const char* code :
         {"", "de", "EN", "Fr", "en-fr", "en+fr", "en-GB", "fr ", " en", "e", "eng", "french"})
        EXPECT_EQ(lang_from_code(code), std::nullopt) << '"' << code << '"';
    EXPECT_EQ(lang_from_code(std::string_view("en\0", 3)), std::nullopt);
}

TEST(language, other_language_and_names) {
    EXPECT_EQ(other_lang(Lang::en), Lang::fr);
    EXPECT_EQ(other_lang(Lang::fr), Lang::en);
    EXPECT_STREQ(english_name(Lang::en), "English");
    EXPECT_STREQ(english_name(Lang::fr), "French");
}

TEST(language, edition_codes) {
    EXPECT_STREQ(combined_code, "en-fr");
    for (const char* code : edition_codes) EXPECT_TRUE(is_edition_code(code)) << code;
    EXPECT_EQ(std::string(edition_codes[0]) + "," + edition_codes[1] + "," + edition_codes[2], "en,fr,en-fr");
    EXPECT_EQ(std::string(lang_codes[0]) + "," + lang_codes[1], "en,fr");
    for (const char* code : {"", "en+fr", "fr-en", "en,fr", "EN-FR", "de", "en-fr "})
        EXPECT_FALSE(is_edition_code(code)) << '"' << code << '"';
}
