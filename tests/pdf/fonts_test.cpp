// The pdf stage's private font helpers: the ToUnicode map and the widths it writes.
#include "pdf/fonts.hpp"

#include <gtest/gtest.h>
#include <hpdf_fontdef.h>

#include <string>

using namespace factsheet::pdf_detail;

TEST(to_unicode_cmap, maps_each_block_used_to_itself_in_groups_of_100) {
    std::string cmap = to_unicode_cmap({0x00, 0x01, 0x20});
    EXPECT_EQ(cmap,
              "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
              "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
              "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
              "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
              "3 beginbfrange\n<0000> <00FF> <0000>\n<0100> <01FF> <0100>\n<2000> <20FF> <2000>\n"
              "endbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");

    // A bfrange section holds at most 100 ranges (Adobe Technical Note #5411).
    std::vector<unsigned> blocks;
    for (unsigned b = 0; b < 150; ++b) blocks.push_back(b);
    std::string big = to_unicode_cmap(blocks);
    EXPECT_NE(big.find("100 beginbfrange\n<0000> <00FF> <0000>\n"), std::string::npos);
    EXPECT_NE(big.find("<6300> <63FF> <6300>\nendbfrange\n50 beginbfrange\n<6400> <64FF> <6400>\n"),
              std::string::npos);
    EXPECT_NE(big.find("<9500> <95FF> <9500>\nendbfrange\nendcmap\n"), std::string::npos);
}

// The widths the font dictionaries list are those libharu's font definition gives (the
// dictionaries were libharu's before this stage wrote them), for every glyph of the fonts the
// layouts use, and the missing width is glyph 0's.
TEST(pdf_width, matches_libharu_for_every_glyph) {
    const std::string dir = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/";
    HaruDocument haru;
    for (const char* name : {"Roboto-Regular.ttf", "Roboto-Bold.ttf", "Roboto-Italic.ttf"}) {
        std::unique_ptr<LoadedFont> font = load_font(haru, dir + name);
        const TrueTypeFile& program = font->program;
        for (unsigned g = 0; g < program.glyph_count(); ++g)
            ASSERT_EQ(pdf_width(program, static_cast<std::uint16_t>(g)),
                      HPDF_TTFontDef_GetGidWidth(font->def, static_cast<HPDF_UINT16>(g)))
                << name << ", glyph " << g;
        EXPECT_EQ(pdf_width(program, program.glyph_count()), font->def->missing_width) << name;
        EXPECT_EQ(pdf_width(program, 0), font->def->missing_width) << name;
    }
    std::unique_ptr<LoadedFont> regular = load_font(haru, dir + "Roboto-Regular.ttf");
    EXPECT_EQ(pdf_width(regular->program, 0), 443);  // 908 units of 2,048
}
