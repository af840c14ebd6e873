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

TEST(identity_to_unicode_cmap, maps_each_bmp_block_to_itself_in_blocks_of_100) {
    const std::string& cmap = identity_to_unicode_cmap();
    EXPECT_EQ(cmap.rfind("/CIDInit /ProcSet findresource begin\n", 0), 0u);
    EXPECT_NE(cmap.find("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
                        "100 beginbfrange\n<0000> <00FF> <0000>\n<0100> <01FF> <0100>\n"),
              std::string::npos);
    EXPECT_NE(cmap.find("<D700> <D7FF> <D700>\n<E000> <E0FF> <E000>\n"), std::string::npos);
    EXPECT_EQ(cmap.find("<D800>"), std::string::npos);
    EXPECT_NE(cmap.find("48 beginbfrange\n"), std::string::npos);
    EXPECT_NE(cmap.find("<FF00> <FFFF> <FF00>\nendbfrange\nendcmap\n"
                        "CMapName currentdict /CMap defineresource pop\nend\nend\n"),
              std::string::npos);
}
