#include "common/date.hpp"

#include <array>
#include <cstddef>

namespace factsheet {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

int digits_value(std::string_view digits) {
    int value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

}  // namespace

bool is_leap_year(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap_year(year)) return 29;
    return days[static_cast<std::size_t>(month - 1)];
}

bool is_real_day(int year, int month, int day) {
    return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

std::optional<Date> parse_iso_date(std::string_view text, DateProblem& problem) {
    bool iso_form = text.size() == 10 && text[4] == '-' && text[7] == '-';
    for (std::size_t i = 0; iso_form && i < text.size(); ++i)
        if (i != 4 && i != 7 && !is_digit(text[i])) iso_form = false;
    if (!iso_form) {
        problem = DateProblem::not_iso_form;
        return std::nullopt;
    }
    Date date{digits_value(text.substr(0, 4)), digits_value(text.substr(5, 2)),
              digits_value(text.substr(8, 2))};
    if (!is_real_day(date.year, date.month, date.day)) {
        problem = DateProblem::no_such_day;
        return std::nullopt;
    }
    return date;
}

std::optional<Date> parse_iso_date(std::string_view text) {
    DateProblem ignored{};
    return parse_iso_date(text, ignored);
}

}  // namespace factsheet
