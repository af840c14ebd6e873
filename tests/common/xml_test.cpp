#include "common/xml.hpp"

#include <gtest/gtest.h>

using namespace factsheet;

TEST(xml, collapse_whitespace_trims_and_joins_runs) {
    EXPECT_EQ(collapse_whitespace("  a \n\t b\r\n c  "), "a b c");
    EXPECT_EQ(collapse_whitespace(" \n "), "");
    EXPECT_EQ(collapse_whitespace("a\xC2\xA0 b"), "a\xC2\xA0 b");
}

TEST(xml, elements_are_placed_at_their_angle_bracket_and_text_at_its_first_letter) {
    std::string text = "<a>\n  <b x=\"1\"/>\n  word</a>";
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_buffer(text.data(), text.size()));
    LineMap map("f.xml", text);
    pugi::xml_node b = doc.child("a").child("b");
    EXPECT_EQ(format_pos(node_pos(map, b, text)), "f.xml:2:3");
    EXPECT_EQ(format_pos(node_pos(map, b.next_sibling(), text)), "f.xml:3:3");
}

TEST(xml, parse_errors_are_lowercase_at_the_parser_offset) {
    std::string text = "<a>\n<b></a>";
    pugi::xml_document doc;
    pugi::xml_parse_result result = doc.load_buffer(text.data(), text.size());
    ASSERT_FALSE(result);
    EXPECT_STREQ(parse_error(LineMap("f.xml", text), result).what(),
                 "f.xml:2:6: error: malformed XML: start-end tags mismatch");
}
