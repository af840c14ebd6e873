// The value rules of the source format, one function at a time.
#include <gtest/gtest.h>

#include "source/syntax.hpp"

using namespace factsheet::detail;

TEST(syntax, ids) {
    EXPECT_TRUE(is_valid_id("mali"));
    EXPECT_TRUE(is_valid_id("burkina-faso-2"));
    EXPECT_TRUE(is_valid_id("2023"));
    EXPECT_FALSE(is_valid_id(""));
    EXPECT_FALSE(is_valid_id("-mali"));
    EXPECT_FALSE(is_valid_id("Mali"));
    EXPECT_FALSE(is_valid_id("../mali"));
    EXPECT_FALSE(is_valid_id("mali/x"));
    EXPECT_FALSE(is_valid_id("ma li"));
    EXPECT_FALSE(is_valid_id("mal\xC3\xAF"));
    EXPECT_TRUE(is_valid_id(std::string(64, 'a')));
    EXPECT_FALSE(is_valid_id(std::string(65, 'a')));
}

TEST(syntax, counts) {
    CountProblem problem{};
    EXPECT_EQ(parse_count("3900000", problem), 3900000);
    EXPECT_EQ(parse_count("0", problem), 0);
    EXPECT_EQ(parse_count("9223372036854775807", problem), INT64_MAX);
    for (const char* bad : {"", "3.9M", "3,900,000", "-5", "+5", " 5", "5 ", "1e6", "0x10"}) {
        problem = CountProblem::too_large;
        EXPECT_EQ(parse_count(bad, problem), std::nullopt) << bad;
        EXPECT_EQ(problem, CountProblem::not_digits) << bad;
    }
    EXPECT_EQ(parse_count("9223372036854775808", problem), std::nullopt);
    EXPECT_EQ(problem, CountProblem::too_large);
}

TEST(syntax, years_dates_currencies) {
    EXPECT_TRUE(is_four_digit_year("2023"));
    EXPECT_FALSE(is_four_digit_year("23"));
    EXPECT_FALSE(is_four_digit_year("20234"));
    EXPECT_FALSE(is_four_digit_year("20a3"));
    EXPECT_TRUE(is_real_date("2023-09-30"));
    EXPECT_TRUE(is_real_date("2024-02-29"));
    EXPECT_TRUE(is_real_date("2000-02-29"));
    EXPECT_FALSE(is_real_date("1900-02-29"));
    EXPECT_FALSE(is_real_date("2023-02-29"));
    EXPECT_FALSE(is_real_date("2023-06-31"));
    EXPECT_FALSE(is_real_date("2023-00-10"));
    EXPECT_FALSE(is_real_date("2023-12-00"));
    EXPECT_FALSE(is_real_date("0000-01-01"));
    EXPECT_FALSE(is_real_date("2023-9-30"));
    EXPECT_FALSE(is_real_date("2023-09-30Z"));
    EXPECT_FALSE(is_real_date("2023/09/30"));
    EXPECT_TRUE(is_currency_code("USD"));
    EXPECT_FALSE(is_currency_code("usd"));
    EXPECT_FALSE(is_currency_code("US$"));
    EXPECT_FALSE(is_currency_code("USDX"));
}

TEST(syntax, emails_and_urls) {
    EXPECT_TRUE(is_valid_email("ouattaal@unhcr.org"));
    EXPECT_TRUE(is_valid_email("azetocarine.ouedraogo@drc.ngo"));
    EXPECT_TRUE(is_valid_email("a+b@mail.example.org"));
    EXPECT_FALSE(is_valid_email("koti"));
    EXPECT_FALSE(is_valid_email("@unhcr.org"));
    EXPECT_FALSE(is_valid_email("koti@unhcr"));
    EXPECT_FALSE(is_valid_email("koti@unhcr."));
    EXPECT_FALSE(is_valid_email("koti@.org"));
    EXPECT_FALSE(is_valid_email("koti@unhcr..org"));
    EXPECT_FALSE(is_valid_email("ko ti@unhcr.org"));
    EXPECT_FALSE(is_valid_email("koti@un hcr.org"));
    EXPECT_FALSE(is_valid_email("koti@@unhcr.org"));
    EXPECT_FALSE(is_valid_email("a@b@unhcr.org"));
    EXPECT_TRUE(is_web_url("https://www.unhcr.org/"));
    EXPECT_TRUE(is_web_url("http://example.org"));
    EXPECT_FALSE(is_web_url("https://"));
    EXPECT_FALSE(is_web_url("www.unhcr.org"));
    EXPECT_FALSE(is_web_url("javascript:alert(1)"));
    EXPECT_FALSE(is_web_url("https://a b"));
}

TEST(syntax, invalid_characters) {
    long code_point = 0;
    EXPECT_EQ(find_invalid_character("S\xC3\xA9gou\t\r\n\xE2\x80\xAF \xF0\x9F\x98\x80", code_point),
              std::nullopt);
    EXPECT_EQ(find_invalid_character("ab\x01", code_point), 2u);
    EXPECT_EQ(code_point, 1);
    EXPECT_EQ(find_invalid_character(std::string_view("a\0b", 3), code_point), 1u);
    EXPECT_EQ(code_point, 0);
    EXPECT_EQ(find_invalid_character("a\xE9z", code_point), 1u);  // Latin-1, not UTF-8
    EXPECT_EQ(code_point, -1);
    EXPECT_EQ(find_invalid_character("\xC0\xAF", code_point), 0u);      // overlong '/'
    EXPECT_EQ(find_invalid_character("\xED\xA0\x80", code_point), 0u);  // surrogate
    EXPECT_EQ(find_invalid_character("ab\xC3", code_point), 2u);        // cut short
    EXPECT_EQ(find_invalid_character("\xEF\xBF\xBF", code_point), 0u);
    EXPECT_EQ(code_point, 0xFFFF);
}

// A character is found wherever it stands in a long text, at the start, inside or at the end of
// a run of eight plain bytes the search steps over at once; the bytes that end such a run but
// are allowed (line ends, tabs, DEL, letters of other scripts) are passed over.
TEST(syntax, invalid_characters_are_found_at_every_position_of_a_long_text) {
    const std::string plain = "Protection Cluster <b>Mali</b> 2024 ~ {x} | y;";
    struct Case {
        std::string bytes;
        long code_point;  // what is reported
        bool allowed = false;
    };
    const std::vector<Case> cases = {{"\x01", 1},
                                     {std::string(1, '\0'), 0},
                                     {"\x1F", 0x1F},
                                     {"\xE9", -1},
                                     {"\xC3", -1},
                                     {"\xEF\xBF\xBE", 0xFFFE},
                                     {"\n", 0, true},
                                     {"\t", 0, true},
                                     {"\r", 0, true},
                                     {"\x7F", 0, true},
                                     {"\xC3\xA9", 0, true},
                                     {"\xE2\x80\xAF", 0, true},
                                     {"\xF0\x9F\x98\x80", 0, true}};
    for (const Case& c : cases) {
        for (std::size_t at = 0; at <= plain.size(); ++at) {
            std::string text = plain.substr(0, at) + c.bytes + plain.substr(at);
            long code_point = 12345;
            std::optional<std::size_t> found = find_invalid_character(text, code_point);
            if (c.allowed) {
                EXPECT_EQ(found, std::nullopt) << "allowed, at " << at;
            } else {
                EXPECT_EQ(found, at) << "code point " << c.code_point << " at " << at;
                EXPECT_EQ(code_point, c.code_point) << "at " << at;
            }
        }
    }
}

TEST(syntax, references) {
    EXPECT_EQ(find_bad_reference("<a b=\"&amp;&quot;\">&lt;&gt;&apos;&#233;&#xE9;</a>"), std::nullopt);
    EXPECT_EQ(find_bad_reference("<!-- & --><![CDATA[ & ]]><?pi & ?><a/>"), std::nullopt);
    auto bad = find_bad_reference("<a>x &nbsp;</a>");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->offset, 5u);
    bad = find_bad_reference("<a t=\"A & B\"/>");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->message, "a bare \"&\" must be written &amp;");
    bad = find_bad_reference("<a>&#0;</a>");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->message, "&#0; is not a character XML allows");
    EXPECT_TRUE(find_bad_reference("<a>&#xD800;</a>"));
    EXPECT_TRUE(find_bad_reference("<a>&#99999999999999999999;</a>"));
    EXPECT_TRUE(find_bad_reference("<a>&;</a>"));
    EXPECT_TRUE(find_bad_reference("<a>&</a>"));
}

TEST(syntax, percentages) {
    auto scaled = [](std::string_view text) {
        auto p = parse_percentage(text);
        return p ? std::to_string(p->scaled) + "/" + std::to_string(p->decimals) : std::string("none");
    };
    EXPECT_EQ(scaled("38.5"), "385/1");
    EXPECT_EQ(scaled("38"), "38/0");
    EXPECT_EQ(scaled("0"), "0/0");
    EXPECT_EQ(scaled("0.5"), "5/1");
    EXPECT_EQ(scaled("100.0"), "1000/1");
    EXPECT_EQ(scaled("1000"), "1000/0");
    EXPECT_EQ(scaled("1000.0"), "10000/1");
    for (const char* bad :
         {"", "1000.1", "1001", "10000", "38.55", "38,5", ".5", "38.", "-1", "+1", "1e2", " 5"})
        EXPECT_EQ(scaled(bad), "none") << bad;
}

TEST(syntax, phone_numbers) {
    for (const char* good :
         {"+223 20 22 55 80", "(0)20-22.55.80", "1234", "+1 (201) 555-0123", "12345678901234567890"})
        EXPECT_TRUE(is_phone_number(good)) << good;
    for (const char* bad : {"", "123", "+", "+223+1", "2+23", "(223 20", "223) 20", "((1)) 2345",
                            "1234 ext. 5", "123456789012345678901", "1234\t5"})
        EXPECT_FALSE(is_phone_number(bad)) << bad;
}

TEST(syntax, characters_are_counted_not_bytes) {
    EXPECT_EQ(count_chars(""), 0u);
    EXPECT_EQ(count_chars("Mali"), 4u);
    EXPECT_EQ(count_chars("Ségou"), 5u);
    EXPECT_EQ(count_chars("\xF0\x9F\x98\x80"), 1u);
}
