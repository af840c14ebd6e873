// The pdf stage's private helpers: strict UTF-8 decoding and the ToUnicode map it writes.
#include "pdf/fonts.hpp"

#include <gtest/gtest.h>

using namespace factsheet::pdf_detail;

TEST(decode_utf8, decodes_french_text_and_the_bmp_edge) {
    DecodedText d = decode_utf8("S\xC3\xA9gou \xC5\x93 \xE2\x80\xAF \xEF\xBF\xBD \xF0\x9F\x98\x80");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.code_points, (std::vector<char32_t>{U'S', 0xE9, U'g', U'o', U'u', U' ', 0x153, U' ', 0x202F,
                                                    U' ', 0xFFFD, U' ', 0x1F600}));
}

TEST(decode_utf8, reports_the_offset_of_malformed_sequences) {
    EXPECT_EQ(decode_utf8("ab\xC0\xAF").bad_offset, 2u);            // overlong "/"
    EXPECT_EQ(decode_utf8("a\xE0\x80\xAF").bad_offset, 1u);         // overlong, three bytes
    EXPECT_EQ(decode_utf8("\xED\xA0\x80").bad_offset, 0u);          // a UTF-16 surrogate
    EXPECT_EQ(decode_utf8("x\xF4\x90\x80\x80").bad_offset, 1u);     // above U+10FFFF
    EXPECT_EQ(decode_utf8("xy\xC3").bad_offset, 2u);                // truncated
    EXPECT_EQ(decode_utf8("\xC3(").bad_offset, 0u);                 // bad continuation byte
    EXPECT_EQ(decode_utf8("\x80").bad_offset, 0u);                  // lone continuation byte
    EXPECT_EQ(decode_utf8("\xF8\x88\x80\x80\x80").bad_offset, 0u);  // five-byte form
    EXPECT_TRUE(decode_utf8("").ok());
}

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
