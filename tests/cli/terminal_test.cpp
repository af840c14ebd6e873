// Colour rules and the progress bar's text.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <thread>

#include "cli/terminal.hpp"

using namespace factsheet;

TEST(terminal, colour_only_on_a_terminal_and_never_with_no_color) {
    EXPECT_TRUE(colour_wanted(true, nullptr));
    EXPECT_TRUE(colour_wanted(true, ""));  // no-color.org: an empty NO_COLOR does not count
    EXPECT_FALSE(colour_wanted(true, "1"));
    EXPECT_FALSE(colour_wanted(false, nullptr));
    EXPECT_FALSE(colour_wanted(false, "1"));
}

TEST(terminal, a_pipe_is_not_a_terminal) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    EXPECT_FALSE(is_terminal(fds[1]));
    EXPECT_FALSE(colour_wanted(fds[1]));
    close(fds[0]);
    close(fds[1]);
}

TEST(terminal, paint_wraps_in_ansi_codes_only_when_enabled) {
    EXPECT_EQ(paint("failed", Colour::error, false), "failed");
    EXPECT_EQ(paint("failed", Colour::error, true), "\x1b[1;31mfailed\x1b[0m");
    EXPECT_EQ(paint("built", Colour::success, true), "\x1b[32mbuilt\x1b[0m");
    EXPECT_EQ(paint("skipped", Colour::skipped, true), "\x1b[2mskipped\x1b[0m");
}

TEST(terminal, paint_diagnostic_colours_the_severity_word_only) {
    EXPECT_EQ(paint_diagnostic("in/a.xml:3:7: error: bad value", true),
              "in/a.xml:3:7: \x1b[1;31merror\x1b[0m: bad value");
    EXPECT_EQ(paint_diagnostic("in/a.xml:3:7: warning: loose line", true),
              "in/a.xml:3:7: \x1b[1;33mwarning\x1b[0m: loose line");
    EXPECT_EQ(paint_diagnostic("in/a.xml:3:7: error: bad value", false), "in/a.xml:3:7: error: bad value");
    EXPECT_EQ(paint_diagnostic("no severity here", true), "no severity here");
}

TEST(terminal, format_seconds_reads_well_at_every_scale) {
    EXPECT_EQ(format_seconds(0.4213), "0.42 s");
    EXPECT_EQ(format_seconds(12.34), "12.3 s");
    EXPECT_EQ(format_seconds(125.2), "2 min 05 s");
    EXPECT_EQ(format_seconds(-1), "0.00 s");
}

TEST(terminal, progress_line_shows_count_rate_and_time_left) {
    std::string line = progress_line(45, 100, 22.5, 80);
    EXPECT_EQ(line.size(), 80u);
    // 45 of 100 done at 22.5 a second: 55 left take 2.44 s.
    std::string tail = " 45/100  22.5/s  2.44 s left";
    std::size_t cells = 80 - 2 - (2 * 3 + 31);
    std::size_t filled = cells * 45 / 100;
    std::string expected = "[" + std::string(filled, '#') + std::string(cells - filled, '.') + "]" + tail;
    expected.resize(80, ' ');
    EXPECT_EQ(line, expected);
}

TEST(terminal, progress_line_without_rate_before_the_first_step_and_without_time_left_at_the_end) {
    EXPECT_EQ(progress_line(0, 4, 0.0, 10), "0/4");  // too narrow for a bar: numbers only
    EXPECT_EQ(progress_line(4, 4, 2.0, 23), "[##########] 4/4  2.0/s");
}

TEST(terminal, progress_bar_estimates_nothing_from_the_time_before_its_first_step) {
    std::ostringstream out;
    ProgressBar bar(out, 10, 80);
    // However long the start took, one step says nothing of the rate.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    bar.update(1);
    EXPECT_NE(out.str().find(" 1/10 "), std::string::npos) << out.str();
    EXPECT_EQ(out.str().find("/s"), std::string::npos) << out.str();
    EXPECT_EQ(out.str().find("left"), std::string::npos) << out.str();
    // A second step at once is not enough either.
    bar.update(2);
    EXPECT_EQ(out.str().find("left"), std::string::npos) << out.str();
    // Two steps in 0.6 s after the first: about 3.3 a second, 7 steps left take about 2 s.
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    out.str("");
    bar.update(3);
    std::smatch m;
    std::string line = out.str();
    ASSERT_TRUE(std::regex_search(line, m, std::regex(R"( 3/10  ([0-9.]+)/s  ([0-9.]+) s left)"))) << line;
    EXPECT_NEAR(std::stod(m[1]), 3.3, 0.5);
    EXPECT_NEAR(std::stod(m[2]), 2.1, 0.4);
}

TEST(terminal, progress_bar_redraws_in_place_and_clears) {
    std::ostringstream out;
    ProgressBar bar(out, 2, 25);
    bar.update(2);  // the last step is always drawn
    EXPECT_EQ(out.str().substr(0, 1), "\r");
    EXPECT_NE(out.str().find("2/2"), std::string::npos);
    EXPECT_EQ(out.str().substr(out.str().size() - 3), "\x1b[K");
    out.str("");
    bar.finish();
    EXPECT_EQ(out.str(), "\r\x1b[K");
    out.str("");
    bar.finish();  // nothing left to erase
    EXPECT_EQ(out.str(), "");
}
