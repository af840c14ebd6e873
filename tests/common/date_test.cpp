#include "common/date.hpp"

#include <gtest/gtest.h>

using namespace factsheet;

TEST(date, leap_years_follow_the_gregorian_rule) {
    EXPECT_FALSE(is_leap_year(1900));  // divisible by 100, not by 400
    EXPECT_TRUE(is_leap_year(2000));   // divisible by 400
    EXPECT_TRUE(is_leap_year(2024));
    EXPECT_FALSE(is_leap_year(2023));
    EXPECT_TRUE(is_leap_year(0));
}

TEST(date, days_in_each_month) {
    const int common_year[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int month = 1; month <= 12; ++month) {
        EXPECT_EQ(days_in_month(2023, month), common_year[month - 1]) << "month " << month;
        EXPECT_EQ(days_in_month(2024, month), month == 2 ? 29 : common_year[month - 1]) << "month " << month;
    }
    EXPECT_EQ(days_in_month(1900, 2), 28);
    EXPECT_EQ(days_in_month(2000, 2), 29);
}

TEST(date, real_days) {
    EXPECT_TRUE(is_real_day(2024, 2, 29));
    EXPECT_FALSE(is_real_day(2023, 2, 29));
    EXPECT_FALSE(is_real_day(2023, 4, 31));
    EXPECT_FALSE(is_real_day(2023, 0, 1));
    EXPECT_FALSE(is_real_day(2023, 13, 1));
    EXPECT_FALSE(is_real_day(2023, 1, 0));
    EXPECT_FALSE(is_real_day(2023, -1, 1));
    EXPECT_FALSE(is_real_day(2023, 1, -1));
}

TEST(date, parses_iso_dates) {
    EXPECT_EQ(parse_iso_date("2024-02-29"), (Date{2024, 2, 29}));
    EXPECT_EQ(parse_iso_date("2023-12-31"), (Date{2023, 12, 31}));
    EXPECT_EQ(parse_iso_date("2000-02-29"), (Date{2000, 2, 29}));
    EXPECT_EQ(parse_iso_date("0000-01-01"), (Date{0, 1, 1}));  // callers set their own earliest year
    EXPECT_EQ(parse_iso_date("9999-12-31"), (Date{9999, 12, 31}));
}

TEST(date, refuses_days_that_do_not_exist) {
    for (const char* text :
         {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-12-00", "2024-01-32"}) {
        DateProblem problem = DateProblem::not_iso_form;
        EXPECT_EQ(parse_iso_date(text, problem), std::nullopt) << text;
        EXPECT_EQ(problem, DateProblem::no_such_day) << text;
    }
}

TEST(date, refuses_other_forms) {
    for (const char* text : {"2024-1-01", "2024-01-1", "24-01-01", "2024-01-01Z", "2024-01-01T00:00:00",
                             " 2024-01-01", "2024/01/01", "2024-0a-01", "+024-01-01", "", "2024-01-01\n"}) {
        DateProblem problem = DateProblem::no_such_day;
        EXPECT_EQ(parse_iso_date(text, problem), std::nullopt) << text;
        EXPECT_EQ(problem, DateProblem::not_iso_form) << text;
    }
    EXPECT_EQ(parse_iso_date(std::string_view("2024-01-01\0", 11)), std::nullopt);
}
