#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

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

TEST(format, compact_english) {
    EXPECT_EQ(format_compact(3900000, Lang::en), "3.90M");
    EXPECT_EQ(format_compact(3200000, Lang::en), "3.20M");
    EXPECT_EQ(format_compact(102320000, Lang::en), "102.32M");
    EXPECT_EQ(format_compact(26240000, Lang::en), "26.24M");
    EXPECT_EQ(format_compact(1200000000, Lang::en), "1.20B");
    EXPECT_EQ(format_compact(12500, Lang::en), "12.50K");
    EXPECT_EQ(format_compact(1500, Lang::en), "1.50K");
}

TEST(format, compact_french) {
    EXPECT_EQ(format_compact(3900000, Lang::fr), "3,90\u00A0M");
    EXPECT_EQ(format_compact(26240000, Lang::fr), "26,24\u00A0M");
    EXPECT_EQ(format_compact(1200000000, Lang::fr), "1,20\u00A0Md");
    EXPECT_EQ(format_compact(12500, Lang::fr), "12,50\u00A0k");
}

TEST(format, compact_edges) {
    EXPECT_EQ(format_compact(0, Lang::en), "0");
    EXPECT_EQ(format_compact(950, Lang::en), "950");
    EXPECT_EQ(format_compact(999, Lang::fr), "999");
    EXPECT_EQ(format_compact(-999, Lang::en), "-999");
    EXPECT_EQ(format_compact(1000, Lang::en), "1.00K");
    EXPECT_EQ(format_compact(1000, Lang::fr), "1,00\u00A0k");
    EXPECT_EQ(format_compact(999999, Lang::en), "1.00M");
    EXPECT_EQ(format_compact(-2500000, Lang::en), "-2.50M");
    // Beyond billions there is no larger suffix: the whole part is grouped instead.
    EXPECT_EQ(format_compact(1000000000000, Lang::en), "1,000.00B");
    EXPECT_EQ(format_compact(1000000000000, Lang::fr), "1\u202F000,00\u00A0Md");
    EXPECT_EQ(format_compact(std::numeric_limits<std::int64_t>::max(), Lang::en), "9,223,372,036.85B");
}

TEST(format, compact_rounds_half_away_from_zero_and_carries) {
    EXPECT_EQ(format_compact(1005, Lang::en), "1.01K");
    EXPECT_EQ(format_compact(1004, Lang::en), "1.00K");
    EXPECT_EQ(format_compact(-1005, Lang::en), "-1.01K");
    EXPECT_EQ(format_compact(3895000, Lang::en), "3.90M");
    EXPECT_EQ(format_compact(3894999, Lang::en), "3.89M");
    EXPECT_EQ(format_compact(999994, Lang::en), "999.99K");
    EXPECT_EQ(format_compact(999995, Lang::en), "1.00M");
    EXPECT_EQ(format_compact(999995, Lang::fr), "1,00\u00A0M");
    EXPECT_EQ(format_compact(-999995, Lang::en), "-1.00M");
    EXPECT_EQ(format_compact(999994999, Lang::en), "999.99M");
    EXPECT_EQ(format_compact(999995000, Lang::en), "1.00B");
}

TEST(format, figure_people_and_money) {
    Figure people;
    people.value = 3900000;
    EXPECT_EQ(format_figure(people, Lang::en), "3.90M");
    EXPECT_EQ(format_figure(people, Lang::fr), "3,90\u00A0M");

    EXPECT_EQ(format_figure(money(102320000, "USD"), Lang::en), "US$102.32M");
    EXPECT_EQ(format_figure(money(102320000, "USD"), Lang::fr), "102,32\u00A0M\u00A0US$");
    EXPECT_EQ(format_figure(money(102320000, "EUR"), Lang::en), "\u20AC102.32M");
    EXPECT_EQ(format_figure(money(102320000, "EUR"), Lang::fr), "102,32\u00A0M\u00A0\u20AC");
    EXPECT_EQ(format_figure(money(5000, "GBP"), Lang::en), "\u00A35.00K");
    EXPECT_EQ(format_figure(money(5000, "CHF"), Lang::en), "CHF 5.00K");
    EXPECT_EQ(format_figure(money(5000, "CHF"), Lang::fr), "5,00\u00A0k\u00A0CHF");
    EXPECT_EQ(format_figure(money(26240000, "XOF"), Lang::en), "XOF 26.24M");
    EXPECT_EQ(format_figure(money(26240000, "XOF"), Lang::fr), "26,24\u00A0M\u00A0XOF");
    EXPECT_EQ(format_figure(money(950, "USD"), Lang::en), "US$950");
    EXPECT_EQ(format_figure(money(-1500, "USD"), Lang::en), "-US$1.50K");
    EXPECT_EQ(format_figure(money(950, ""), Lang::en), "950");
}

TEST(format, percent) {
    double ratio = 26.24 / 102.32;
    EXPECT_EQ(format_percent(ratio, Lang::en), "25.6%");
    EXPECT_EQ(format_percent(ratio, Lang::fr), "25,6\u00A0%");
    EXPECT_EQ(format_percent(0.0, Lang::en), "0.0%");
    EXPECT_EQ(format_percent(1.0, Lang::fr), "100,0\u00A0%");
    EXPECT_EQ(format_percent(0.0125, Lang::en), "1.3%");
    EXPECT_EQ(format_percent(12.5, Lang::en), "1,250.0%");
    EXPECT_EQ(format_percent(-0.0004, Lang::en), "0.0%");
    EXPECT_EQ(format_percent(-0.25, Lang::en), "-25.0%");
    EXPECT_EQ(error_of([] { format_percent(std::numeric_limits<double>::infinity(), Lang::en); }),
              "cannot write ratio inf as a percentage: check the figures it is computed from");
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
