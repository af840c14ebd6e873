// Numbers, money, percentages and dates as each edition writes them.
#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "locale/locale.hpp"
#include "locale/money.hpp"

namespace factsheet {

namespace {

// Magnitude of a signed value without overflow, even for INT64_MIN.
std::uint64_t magnitude(std::int64_t value) {
    return value < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(value)
                     : static_cast<std::uint64_t>(value);
}

// Digits with a separator every three from the right: 3900000 -> "3,900,000".
std::string group_digits(std::uint64_t value, std::string_view separator) {
    std::string digits = std::to_string(value);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3 * separator.size());
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
        out += digits[i];
    }
    return out;
}

std::string_view thousands_separator(Lang lang) {
    return lang == Lang::en ? std::string_view(",") : narrow_nbsp;
}

char decimal_separator(Lang lang) {
    return lang == Lang::en ? '.' : ',';
}

// Divides and rounds half away from zero (on magnitudes, so "away from zero" is "up").
std::uint64_t divide_rounded(std::uint64_t value, std::uint64_t divisor) {
    std::uint64_t q = value / divisor;
    return (value % divisor) * 2 >= divisor ? q + 1 : q;
}

// "102" + two decimals "32" -> "102.32" / "102,32", the whole part grouped.
std::string fixed_point(std::uint64_t scaled, std::uint64_t scale, int decimals, Lang lang) {
    std::string fraction = std::to_string(scaled % scale);
    fraction.insert(0, static_cast<std::size_t>(decimals) - fraction.size(), '0');
    return group_digits(scaled / scale, thousands_separator(lang)) + decimal_separator(lang) + fraction;
}

bool is_symbol_glued(const std::string& currency) {
    // Letter codes (CHF, XOF) need a space before the number in English; symbols do not.
    return currency == "USD" || currency == "EUR" || currency == "GBP";
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_leap_year(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap_year(year)) return 29;
    return days[static_cast<std::size_t>(month - 1)];
}

int digits_value(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

}  // namespace

namespace detail {

// The symbol a reader of the edition expects for an ISO 4217 code; the code itself otherwise.
std::string currency_symbol(const std::string& currency) {
    if (currency == "USD") return "US$";
    if (currency == "EUR") return "\u20AC";
    if (currency == "GBP") return "\u00A3";
    return currency;
}

std::string with_currency(const std::string& amount, const std::string& currency, Lang lang) {
    if (currency.empty()) return amount;
    std::string symbol = currency_symbol(currency);
    if (lang == Lang::fr) return amount + std::string(nbsp) + symbol;
    if (!is_symbol_glued(currency)) symbol += ' ';
    // "-US$5", not "US$-5": the sign belongs to the whole amount.
    if (!amount.empty() && amount[0] == '-') return "-" + symbol + amount.substr(1);
    return symbol + amount;
}

}  // namespace detail

Lang parse_lang(std::string_view code) {
    if (code == "en") return Lang::en;
    if (code == "fr") return Lang::fr;
    throw Error(SourcePos{}, "unknown language \"" + std::string(code) + "\": use en or fr");
}

std::string format_integer(std::int64_t value, Lang lang) {
    std::string sign = value < 0 ? "-" : "";
    return sign + group_digits(magnitude(value), thousands_separator(lang));
}

std::string format_compact(std::int64_t value, Lang lang) {
    std::uint64_t mag = magnitude(value);
    if (mag < 1000) return format_integer(value, lang);

    static constexpr std::array<std::string_view, 3> en_suffixes{"K", "M", "B"};
    static constexpr std::array<std::string_view, 3> fr_suffixes{"k", "M", "Md"};
    std::size_t level = 0;  // 0: thousands, 1: millions, 2: billions
    std::uint64_t unit = 1000;
    while (level < 2 && mag >= unit * 1000) {
        unit *= 1000;
        ++level;
    }
    std::uint64_t hundredths = divide_rounded(mag, unit / 100);
    // 999,995 rounds to 1000.00K: write it as the next magnitude, 1.00M.
    if (hundredths >= 100000 && level < 2) {
        unit *= 1000;
        ++level;
        hundredths = divide_rounded(mag, unit / 100);
    }

    std::string out = value < 0 ? "-" : "";
    out += fixed_point(hundredths, 100, 2, lang);
    if (lang == Lang::fr) {
        out += nbsp;
        out += fr_suffixes[level];
    } else {
        out += en_suffixes[level];
    }
    return out;
}

std::string format_figure(const Figure& figure, Lang lang) {
    std::string amount = format_compact(figure.value, lang);
    if (figure.kind == FigureKind::money) return detail::with_currency(amount, figure.currency, lang);
    return amount;
}

std::string format_percent(double ratio, Lang lang) {
    double tenths = std::round(ratio * 1000.0);  // half away from zero
    // Beyond 2^53 tenths a double has no exact integer; no real ratio gets there.
    if (!std::isfinite(tenths) || std::fabs(tenths) > 9007199254740992.0)
        throw Error(SourcePos{}, "cannot write ratio " + std::to_string(ratio) +
                                     " as a percentage: check the figures it is computed from");
    auto scaled = static_cast<std::int64_t>(tenths);
    std::string out = scaled < 0 ? "-" : "";
    out += fixed_point(magnitude(scaled), 10, 1, lang);
    out += lang == Lang::fr ? std::string(nbsp) + "%" : std::string("%");
    return out;
}

std::string format_date(std::string_view iso_date, Lang lang) {
    std::string quoted = "date \"" + std::string(iso_date) + "\"";
    bool well_formed = iso_date.size() == 10 && iso_date[4] == '-' && iso_date[7] == '-';
    for (std::size_t i = 0; well_formed && i < iso_date.size(); ++i)
        if (i != 4 && i != 7 && !is_digit(iso_date[i])) well_formed = false;
    if (!well_formed) throw Error(SourcePos{}, quoted + " is not in the form YYYY-MM-DD");

    int year = digits_value(iso_date.substr(0, 4));
    int month = digits_value(iso_date.substr(5, 2));
    int day = digits_value(iso_date.substr(8, 2));
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        throw Error(SourcePos{}, quoted + " does not exist");

    static constexpr std::array<std::string_view, 12> en_months{
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    static constexpr std::array<std::string_view, 12> fr_months{
        "janvier", "f\u00E9vrier", "mars",      "avril",   "mai",      "juin",
        "juillet", "ao\u00FBt",    "septembre", "octobre", "novembre", "d\u00E9cembre"};
    auto m = static_cast<std::size_t>(month - 1);
    std::string out = std::to_string(day);
    if (lang == Lang::fr) {
        if (day == 1) out += "er";  // French writes the first of the month as an ordinal
        out += ' ';
        out += fr_months[m];
    } else {
        out += ' ';
        out += en_months[m];
    }
    out += ' ';
    out += std::to_string(year);
    return out;
}

}  // namespace factsheet
