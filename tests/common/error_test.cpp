#include "common/error.hpp"

#include <gtest/gtest.h>

using namespace factsheet;

TEST(error, formats_position_and_message) {
    Error e(SourcePos{"input/mali.xml", 14, 7}, "figure \"pin\" has no French label");
    EXPECT_STREQ(e.what(), "input/mali.xml:14:7: error: figure \"pin\" has no French label");
    ASSERT_EQ(e.diagnostics().size(), 1u);
}

TEST(error, position_without_line_is_the_file_alone) {
    EXPECT_EQ(format_pos(SourcePos{"a.xml", 0, 0}), "a.xml");
    EXPECT_EQ(format_pos(SourcePos{"a.xml", 3, 0}), "a.xml:3");
}

TEST(line_map, counts_lines_and_code_point_columns) {
    std::string text = "ab\nS\xC3\xA9gou x\n";
    LineMap map("f.xml", text);
    SourcePos p = map.at(text.find('x'));
    EXPECT_EQ(p.line, 2);
    EXPECT_EQ(p.col, 7);  // "Ségou " is six code points
    EXPECT_EQ(map.at(0).line, 1);
    EXPECT_EQ(map.at(0).col, 1);
}

TEST(line_map, columns_agree_with_a_plain_count_at_every_offset) {
    // Lines of every length around the map's checkpoints, with characters of 1 to 4 bytes.
    std::string text;
    for (int line = 0; line < 40; ++line) {
        for (int i = 0; i < line * 7; ++i)
            text += i % 5 == 0 ? "\xC3\xA9" : i % 7 == 0 ? "\xF0\x9F\x98\x80" : "a";
        text += '\n';
    }
    text += std::string(256, 'z');  // ends on a checkpoint
    LineMap map("f.xml", text);
    auto starts_char = [&](std::size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80; };
    int line = 1, col = 1;
    for (std::size_t offset = 0; offset <= text.size(); ++offset) {
        if (offset < text.size() && !starts_char(offset)) continue;
        SourcePos p = map.at(offset);
        ASSERT_EQ(p.line, line) << offset;
        ASSERT_EQ(p.col, col) << offset;
        if (offset == text.size()) break;
        if (text[offset] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
}

TEST(diagnostic_sink, keeps_up_to_cap_and_counts_the_rest) {
    DiagnosticSink sink(2);
    for (int i = 0; i < 5; ++i) sink.add(SourcePos{"f", i + 1, 1}, "bad " + std::to_string(i));
    EXPECT_EQ(sink.total(), 5u);
    try {
        sink.throw_if_any();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        ASSERT_EQ(e.diagnostics().size(), 3u);
        EXPECT_EQ(e.diagnostics()[2].message, "3 more errors not shown; fix the ones above first");
    }
}
