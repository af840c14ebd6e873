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
