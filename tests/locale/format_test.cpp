#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "locale/locale.hpp"

using namespace factsheet;

namespace {

// Runs `f` and returns the message of the Error it throws ("" when it does not throw).
template <typename F>
std::string error_of(F f) {
    try {
        f();
    } catch (const Error& e) {
        return e.diagnostics().front().message;
    }
    return "";
}

Figure money(std::int64_t value, std::string currency) {
    Figure f;
    f.kind = FigureKind::money;
    f.value = value;
    f.currency = std::move(currency);
    return f;
}

}  // namespace

TEST(format, parse_lang) {
    EXPECT_EQ(parse_lang("en"), Lang::en);
    EXPECT_EQ(parse_lang("fr"), Lang::fr);
    EXPECT_EQ(error_of([] { parse_lang("de"); }), "unknown language \"de\": use en or fr");
    EXPECT_EQ(error_of([] { parse_lang("EN"); }), "unknown language \"EN\": use en or fr");
    EXPECT_EQ(error_of([] { parse_lang(""); }), "unknown language \"\": use en or fr");
}

TEST(format, integer) {
    EXPECT_EQ(format_integer(3900000, Lang::en), "3,900,000");
    EXPECT_EQ(format_integer(3900000, Lang::fr), "3\u202F900\u202F000");
    EXPECT_EQ(format_integer(0, Lang::en), "0");
    EXPECT_EQ(format_integer(999, Lang::fr), "999");
    EXPECT_EQ(format_integer(1000, Lang::en), "1,000");
    EXPECT_EQ(format_integer(1000, Lang::fr), "1\u202F000");
    EXPECT_EQ(format_integer(-1234567, Lang::en), "-1,234,567");
    EXPECT_EQ(format_integer(-1234567, Lang::fr), "-1\u202F234\u202F567");
    EXPECT_EQ(format_integer(std::numeric_limits<std::int64_t>::min(), Lang::en),
              "-9,223,372,036,854,775,808");
}

namespace {

// Both editions of a compact count: {EN, FR}.
std::pair<std::string, std::string> count(std::int64_t value) {
    return {format_compact(value, Quantity::count, Lang::en),
            format_compact(value, Quantity::count, Lang::fr)};
}

std::pair<std::string, std::string> cash(std::int64_t value) {
    return {format_compact(value, Quantity::money, Lang::en),
            format_compact(value, Quantity::money, Lang::fr)};
}

using Pair = std::pair<std::string, std::string>;

}  // namespace

TEST(format, compact_under_ten_thousand_is_written_in_full) {
    EXPECT_EQ(count(0), (Pair{"0", "0"}));
    EXPECT_EQ(count(999), (Pair{"999", "999"}));
    EXPECT_EQ(count(1000), (Pair{"1,000", "1\u202F000"}));
    EXPECT_EQ(count(9999), (Pair{"9,999", "9\u202F999"}));
    EXPECT_EQ(cash(1000), (Pair{"1,000", "1\u202F000"}));
    EXPECT_EQ(cash(9999), (Pair{"9,999", "9\u202F999"}));
    EXPECT_EQ(count(-1000), (Pair{"-1,000", "-1\u202F000"}));
}

TEST(format, compact_counts_keep_three_significant_digits) {
    EXPECT_EQ(count(10000), (Pair{"10.0K", "10,0\u00A0k"}));
    EXPECT_EQ(count(12345), (Pair{"12.3K", "12,3\u00A0k"}));
    EXPECT_EQ(count(840000), (Pair{"840K", "840\u00A0k"}));
    EXPECT_EQ(count(3900000), (Pair{"3.90M", "3,90\u00A0M"}));
    EXPECT_EQ(count(3200000), (Pair{"3.20M", "3,20\u00A0M"}));
    EXPECT_EQ(count(2200000), (Pair{"2.20M", "2,20\u00A0M"}));
    EXPECT_EQ(count(102320000), (Pair{"102M", "102\u00A0M"}));
    EXPECT_EQ(count(1200000000), (Pair{"1.20B", "1,20\u00A0Md"}));
    EXPECT_EQ(count(-12345), (Pair{"-12.3K", "-12,3\u00A0k"}));
}

TEST(format, compact_money_keeps_two_decimals_from_a_million) {
    EXPECT_EQ(cash(102320000), (Pair{"102.32M", "102,32\u00A0M"}));
    EXPECT_EQ(cash(26240000), (Pair{"26.24M", "26,24\u00A0M"}));
    EXPECT_EQ(cash(1000000), (Pair{"1.00M", "1,00\u00A0M"}));
    EXPECT_EQ(cash(840000), (Pair{"840K", "840\u00A0k"}));
    EXPECT_EQ(cash(12345), (Pair{"12.3K", "12,3\u00A0k"}));
    EXPECT_EQ(cash(1234567890), (Pair{"1.23B", "1,23\u00A0Md"}));
}

TEST(format, compact_rounds_half_away_from_zero_and_moves_to_the_next_unit) {
    EXPECT_EQ(count(12350), (Pair{"12.4K", "12,4\u00A0k"}));
    EXPECT_EQ(count(12349), (Pair{"12.3K", "12,3\u00A0k"}));
    EXPECT_EQ(count(99949), (Pair{"99.9K", "99,9\u00A0k"}));
    EXPECT_EQ(count(99950), (Pair{"100K", "100\u00A0k"}));
    EXPECT_EQ(cash(99950), (Pair{"100K", "100\u00A0k"}));
    EXPECT_EQ(count(3895000), (Pair{"3.90M", "3,90\u00A0M"}));
    EXPECT_EQ(count(3894999), (Pair{"3.89M", "3,89\u00A0M"}));
    EXPECT_EQ(count(999499), (Pair{"999K", "999\u00A0k"}));
    EXPECT_EQ(count(999500), (Pair{"1.00M", "1,00\u00A0M"}));
    EXPECT_EQ(count(999999), (Pair{"1.00M", "1,00\u00A0M"}));
    EXPECT_EQ(cash(999999), (Pair{"1.00M", "1,00\u00A0M"}));
    EXPECT_EQ(count(-999999), (Pair{"-1.00M", "-1,00\u00A0M"}));
    EXPECT_EQ(cash(999994999), (Pair{"999.99M", "999,99\u00A0M"}));
    EXPECT_EQ(cash(999995000), (Pair{"1.00B", "1,00\u00A0Md"}));
}

TEST(format, compact_trillions_english_and_milliards_french) {
    // French has no unit above the milliard: 1,000 of them are "1 000 Md".
    EXPECT_EQ(count(999999999999), (Pair{"1.00T", "1\u202F000\u00A0Md"}));
    EXPECT_EQ(cash(999999999999), (Pair{"1.00T", "1\u202F000\u00A0Md"}));
    EXPECT_EQ(count(1234567890123), (Pair{"1.23T", "1\u202F235\u00A0Md"}));
    EXPECT_EQ(cash(1234567890123), (Pair{"1.23T", "1\u202F235\u00A0Md"}));
    EXPECT_EQ(count(1000000000000000), (Pair{"1,000T", "1\u202F000\u202F000\u00A0Md"}));
    EXPECT_EQ(count(std::numeric_limits<std::int64_t>::max()),
              (Pair{"9,223,372T", "9\u202F223\u202F372\u202F037\u00A0Md"}));
    EXPECT_EQ(cash(std::numeric_limits<std::int64_t>::max()),
              (Pair{"9,223,372T", "9\u202F223\u202F372\u202F037\u00A0Md"}));
    EXPECT_EQ(format_compact(std::numeric_limits<std::int64_t>::min(), Quantity::count, Lang::en),
              "-9,223,372T");
}

TEST(format, figure_of_every_kind) {
    Figure people;
    people.value = 3900000;
    EXPECT_EQ(format_figure(people, Lang::en), "3.90M");
    EXPECT_EQ(format_figure(people, Lang::fr), "3,90\u00A0M");
    Figure things;
    things.kind = FigureKind::count;
    things.value = 12345;
    EXPECT_EQ(format_figure(things, Lang::en), "12.3K");
    things.value = 9999;
    EXPECT_EQ(format_figure(things, Lang::fr), "9\u202F999");

    EXPECT_EQ(format_figure(money(102320000, "USD"), Lang::en), "US$102.32M");
    EXPECT_EQ(format_figure(money(102320000, "USD"), Lang::fr), "102,32\u00A0M\u00A0US$");
    EXPECT_EQ(format_figure(money(26240000, "USD"), Lang::en), "US$26.24M");
    EXPECT_EQ(format_figure(money(26240000, "USD"), Lang::fr), "26,24\u00A0M\u00A0US$");
    EXPECT_EQ(format_figure(money(840000, "USD"), Lang::en), "US$840K");
    EXPECT_EQ(format_figure(money(840000, "USD"), Lang::fr), "840\u00A0k\u00A0US$");
    EXPECT_EQ(format_figure(money(102320000, "EUR"), Lang::en), "\u20AC102.32M");
    EXPECT_EQ(format_figure(money(102320000, "EUR"), Lang::fr), "102,32\u00A0M\u00A0\u20AC");
    EXPECT_EQ(format_figure(money(5000, "GBP"), Lang::en), "\u00A35,000");
    EXPECT_EQ(format_figure(money(5000, "CHF"), Lang::en), "CHF 5,000");
    EXPECT_EQ(format_figure(money(5000, "CHF"), Lang::fr), "5\u202F000\u00A0CHF");
    EXPECT_EQ(format_figure(money(26240000, "XOF"), Lang::en), "XOF 26.24M");
    EXPECT_EQ(format_figure(money(26240000, "XOF"), Lang::fr), "26,24\u00A0M\u00A0XOF");
    EXPECT_EQ(format_figure(money(950, "USD"), Lang::en), "US$950");
    EXPECT_EQ(format_figure(money(-15000, "USD"), Lang::en), "-US$15.0K");
    EXPECT_EQ(format_figure(money(950, ""), Lang::en), "950");

    Figure share;
    share.kind = FigureKind::percentage;
    share.value = 385;
    share.decimals = 1;
    EXPECT_EQ(format_figure(share, Lang::en), "38.5%");
    EXPECT_EQ(format_figure(share, Lang::fr), "38,5\u00A0%");
    share.value = 1000;
    EXPECT_EQ(format_figure(share, Lang::en), "100.0%");
    share.decimals = 0;
    EXPECT_EQ(format_figure(share, Lang::en), "1,000%");
    EXPECT_EQ(format_figure(share, Lang::fr), "1\u202F000\u00A0%");
    share.value = 0;
    EXPECT_EQ(format_figure(share, Lang::en), "0%");
}

TEST(format, percent_of_two_figures_is_exact_and_never_overflows) {
    EXPECT_EQ(format_percent(26240000, 102320000, Lang::en), "25.6%");
    EXPECT_EQ(format_percent(26240000, 102320000, Lang::fr), "25,6\u00A0%");
    EXPECT_EQ(format_percent(0, 1, Lang::en), "0.0%");
    EXPECT_EQ(format_percent(1, 1, Lang::fr), "100,0\u00A0%");
    EXPECT_EQ(format_percent(1, 80, Lang::en), "1.3%");  // 1.25 rounds up
    EXPECT_EQ(format_percent(118, 100, Lang::en), "118.0%");
    EXPECT_EQ(format_percent(125, 10, Lang::en), "1,250.0%");
    constexpr std::int64_t largest = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(format_percent(largest, 1, Lang::en), "922,337,203,685,477,580,700.0%");
    EXPECT_EQ(format_percent(largest, largest, Lang::en), "100.0%");
    EXPECT_EQ(format_percent(1, largest, Lang::en), "0.0%");
    EXPECT_EQ(error_of([] { format_percent(1, 0, Lang::en); }),
              "cannot compute the ratio of 1 to 0: the part must be 0 or more and the whole above 0");
    EXPECT_EQ(error_of([] { format_percent(-1, 5, Lang::en); }),
              "cannot compute the ratio of -1 to 5: the part must be 0 or more and the whole above 0");
}

TEST(format, ratio_has_four_decimals_and_may_exceed_one) {
    EXPECT_EQ(format_ratio(26240000, 102320000), "0.2565");
    EXPECT_EQ(format_ratio(0, 5), "0.0000");
    EXPECT_EQ(format_ratio(1, 3), "0.3333");
    EXPECT_EQ(format_ratio(2, 3), "0.6667");
    EXPECT_EQ(format_ratio(118, 100), "1.1800");
    EXPECT_EQ(format_ratio(std::numeric_limits<std::int64_t>::max(), 1), "9223372036854775807.0000");
    EXPECT_EQ(error_of([] { format_ratio(5, 0); }),
              "cannot compute the ratio of 5 to 0: the part must be 0 or more and the whole above 0");
}

TEST(format, date) {
    EXPECT_EQ(format_date("2023-09-30", Lang::en), "30 September 2023");
    EXPECT_EQ(format_date("2023-09-30", Lang::fr), "30 septembre 2023");
    EXPECT_EQ(format_date("2024-03-01", Lang::en), "1 March 2024");
    EXPECT_EQ(format_date("2024-03-01", Lang::fr), "1er mars 2024");
    EXPECT_EQ(format_date("2024-02-29", Lang::fr), "29 f\u00E9vrier 2024");
    EXPECT_EQ(format_date("2000-02-29", Lang::en), "29 February 2000");
    EXPECT_EQ(format_date("2023-08-02", Lang::fr), "2 ao\u00FBt 2023");
    EXPECT_EQ(format_date("2023-12-31", Lang::fr), "31 d\u00E9cembre 2023");
}

TEST(format, date_rejects_malformed_and_impossible) {
    EXPECT_EQ(error_of([] { format_date("2023-02-29", Lang::en); }), "date \"2023-02-29\" does not exist");
    EXPECT_EQ(error_of([] { format_date("1900-02-29", Lang::en); }), "date \"1900-02-29\" does not exist");
    EXPECT_EQ(error_of([] { format_date("2023-13-01", Lang::fr); }), "date \"2023-13-01\" does not exist");
    EXPECT_EQ(error_of([] { format_date("2023-00-10", Lang::fr); }), "date \"2023-00-10\" does not exist");
    EXPECT_EQ(error_of([] { format_date("2023-04-31", Lang::en); }), "date \"2023-04-31\" does not exist");
    EXPECT_EQ(error_of([] { format_date("2023-04-00", Lang::en); }), "date \"2023-04-00\" does not exist");
    EXPECT_EQ(error_of([] { format_date("2023-9-30", Lang::en); }),
              "date \"2023-9-30\" is not in the form YYYY-MM-DD");
    EXPECT_EQ(error_of([] { format_date("30/09/2023", Lang::en); }),
              "date \"30/09/2023\" is not in the form YYYY-MM-DD");
    EXPECT_EQ(error_of([] { format_date("2023-09-30T00", Lang::en); }),
              "date \"2023-09-30T00\" is not in the form YYYY-MM-DD");
    EXPECT_EQ(error_of([] { format_date("", Lang::en); }), "date \"\" is not in the form YYYY-MM-DD");
}
