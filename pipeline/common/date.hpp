// Days of the Gregorian calendar and dates written YYYY-MM-DD (ISO 8601): the one check every
// stage dates things by.
#pragma once

#include <optional>
#include <string_view>

namespace factsheet {

/// A day of the Gregorian calendar: year, month 1 to 12, day of the month from 1.
struct Date {
    int year = 0;
    int month = 1;
    int day = 1;
    bool operator==(const Date&) const = default;
};

/// True for a leap year of the Gregorian calendar: divisible by 4, and not by 100 unless by 400
/// (2000 and 2024, not 1900 or 2023).
bool is_leap_year(int year);

/// The number of days of a month (1 to 12) of a year: 28 to 31.
int days_in_month(int year, int month);

/// True when `month` is 1 to 12 and `day` a day of that month of `year`.
bool is_real_day(int year, int month, int day);

/// Why a text was refused as a date.
enum class DateProblem {
    not_iso_form,  // not four digits, '-', two digits, '-', two digits
    no_such_day,   // in that form, but no such month or day (2023-02-29, 2024-13-01)
};

/// Parses a date written YYYY-MM-DD (year 0000 to 9999) that exists in the Gregorian calendar:
/// 2024-02-29 but not 2023-02-29, "2024-1-01" or "2024-01-01T00:00". Returns the date, or sets
/// `problem` and returns nothing.
std::optional<Date> parse_iso_date(std::string_view text, DateProblem& problem);

/// parse_iso_date for a caller that needs no reason.
std::optional<Date> parse_iso_date(std::string_view text);

}  // namespace factsheet
