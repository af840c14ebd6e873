// The layout's font metrics, checked against FreeType reading the same fonts.
#include "layout/fonts.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using factsheet::TrueTypeFont;

// Every character a font maps has the advance FreeType gives its glyph, unscaled, in whole
// thousandths of an em; a character the font lacks has the .notdef glyph's.
TEST(fonts, advances_match_freetype_for_every_character) {
    const std::string dir = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/";
    FT_Library library = nullptr;
    ASSERT_EQ(FT_Init_FreeType(&library), 0);
    for (const char* name : {"Roboto-Regular.ttf", "Roboto-Bold.ttf", "Roboto-Italic.ttf"}) {
        SCOPED_TRACE(name);
        const TrueTypeFont font(dir + name);
        FT_Face face = nullptr;
        ASSERT_EQ(FT_New_Face(library, (dir + name).c_str(), 0, &face), 0);
        ASSERT_EQ(FT_Select_Charmap(face, FT_ENCODING_UNICODE), 0);
        auto expected = [&](FT_UInt glyph) {
            FT_Fixed advance = 0;
            EXPECT_EQ(FT_Get_Advance(face, glyph, FT_LOAD_NO_SCALE, &advance), 0);
            return std::trunc(static_cast<double>(advance) * 1000.0 / face->units_per_EM);
        };
        std::size_t checked = 0;
        FT_UInt glyph = 0;
        for (FT_ULong cp = FT_Get_First_Char(face, &glyph); glyph != 0;
             cp = FT_Get_Next_Char(face, cp, &glyph)) {
            ASSERT_EQ(font.advance(static_cast<char32_t>(cp)), expected(glyph)) << "U+" << std::hex << cp;
            ++checked;
        }
        EXPECT_GT(checked, 1000u);
        EXPECT_FALSE(font.has_glyph(U'\u4E2D'));
        EXPECT_EQ(font.advance(U'\u4E2D'), expected(0));
        FT_Done_Face(face);
    }
    FT_Done_FreeType(library);
}
