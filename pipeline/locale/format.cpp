// Numbers, money, percentages and dates as each edition writes them.
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "common/date.hpp"
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

// Wide enough for funded × 10,000 with funded up to 2^63 (the ratios below never overflow).
__extension__ using uint128 = unsigned __int128;

std::string to_decimal(uint128 value) {
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
        value /= 10;
    } while (value > 0);
    return digits;
}

// Digits with a separator every three from the right: "3900000" -> "3,900,000".
std::string group_digits(const std::string& digits, std::string_view separator) {
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

std::string group_digits(std::uint64_t value, std::string_view separator) {
    return group_digits(std::to_string(value), separator);
}

// 10^n for n in 0..3.
std::uint64_t power_of_ten(int n) {
    std::uint64_t p = 1;
    while (n-- > 0) p *= 10;
    return p;
}

// 10232 with two decimals -> "102.32" / "102,32", the whole part grouped; no decimals -> "102".
std::string fixed_point(uint128 scaled, int decimals, Lang lang) {
    uint128 scale = power_of_ten(decimals);
    std::string whole = group_digits(to_decimal(scaled / scale), thousands_separator(lang));
    if (decimals == 0) return whole;
    std::string fraction = to_decimal(scaled % scale);
    fraction.insert(0, static_cast<std::size_t>(decimals) - fraction.size(), '0');
    return whole + decimal_separator(lang) + fraction;
}

// part / whole × 10^digits, rounded half up, for part >= 0 and whole > 0: exact for every int64.
uint128 scaled_ratio(std::int64_t part, std::int64_t whole, int digits) {
    uint128 numerator = static_cast<uint128>(part) * power_of_ten(digits);
    auto denominator = static_cast<uint128>(whole);
    uint128 q = numerator / denominator;
    return (numerator % denominator) * 2 >= denominator ? q + 1 : q;
}

void check_ratio_operands(std::int64_t part, std::int64_t whole) {
    if (part < 0 || whole <= 0)
        throw Error(SourcePos{}, "cannot compute the ratio of " + std::to_string(part) + " to " +
                                     std::to_string(whole) +
                                     ": the part must be 0 or more and the whole above 0");
}

bool is_symbol_glued(const std::string& currency) {
    // Letter codes (CHF, XOF) need a space before the number in English; symbols do not.
    return currency == "USD" || currency == "EUR" || currency == "GBP";
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
    if (std::optional<Lang> lang = lang_from_code(code)) return *lang;
    throw Error(SourcePos{}, "unknown language \"" + std::string(code) + "\": use en or fr");
}

std::string format_integer(std::int64_t value, Lang lang) {
    std::string sign = value < 0 ? "-" : "";
    return sign + group_digits(magnitude(value), thousands_separator(lang));
}

std::string format_compact(std::int64_t value, Quantity quantity, Lang lang) {
    std::uint64_t mag = magnitude(value);
    if (mag < 10000) return format_integer(value, lang);

    // French has no abbreviation for 10^12 ("billion" would read as the English 10^9): its
    // largest unit is the milliard, and 1,000 of them are written "1 000 Md".
    static constexpr std::array<std::string_view, 4> en_units{"K", "M", "B", "T"};
    static constexpr std::array<std::string_view, 3> fr_units{"k", "M", "Md"};
    const std::size_t units = lang == Lang::en ? en_units.size() : fr_units.size();
    std::size_t level = 0;  // 0: thousands, 1: millions, 2: billions, 3: trillions
    std::uint64_t unit = 1000;
    while (level + 1 < units && mag / 1000 >= unit) {
        unit *= 1000;
        ++level;
    }
    // Money from a million up keeps two decimals (US$102.32M); everything else three
    // significant digits (840K, 12.3K, 3.90M).
    auto decimals_for = [&](std::uint64_t whole_units) {
        if (quantity == Quantity::money && unit >= 1000000) return 2;
        return whole_units >= 100 ? 0 : whole_units >= 10 ? 1 : 2;
    };
    int decimals = decimals_for(mag / unit);
    std::uint64_t scaled = divide_rounded(mag, unit / power_of_ten(decimals));
    // 99,950 is 99.95K, which rounds to 100.0K: three significant digits make it 100K.
    bool significant = !(quantity == Quantity::money && unit >= 1000000);  // not the two decimals
    while (decimals > 0 && scaled >= 1000 && significant) {
        --decimals;
        scaled = divide_rounded(mag, unit / power_of_ten(decimals));
    }
    // 999,999 rounds to 1,000K: write it in the next unit, 1.00M.
    if (scaled >= 1000 * power_of_ten(decimals) && level + 1 < units) {
        unit *= 1000;
        ++level;
        decimals = 2;
        scaled = divide_rounded(mag, unit / 100);
    }
    // Past the largest unit, whole units, grouped: "1 000 Md", "9,223,372T".
    if (scaled >= 1000 * power_of_ten(decimals)) {
        decimals = 0;
        scaled = divide_rounded(mag, unit);
    }

    std::string out = value < 0 ? "-" : "";
    out += fixed_point(scaled, decimals, lang);
    if (lang == Lang::fr) {
        out += nbsp;
        out += fr_units[level];
    } else {
        out += en_units[level];
    }
    return out;
}

std::string format_percentage(std::int64_t scaled, int decimals, Lang lang) {
    std::string out = scaled < 0 ? "-" : "";
    out += fixed_point(magnitude(scaled), decimals, lang);
    out += lang == Lang::fr ? std::string(nbsp) + "%" : std::string("%");
    return out;
}

std::string format_figure(const Figure& figure, Lang lang) {
    switch (figure.kind) {
        case FigureKind::money:
            return detail::with_currency(format_compact(figure.value, Quantity::money, lang), figure.currency,
                                         lang);
        case FigureKind::percentage: return format_percentage(figure.value, figure.decimals, lang);
        case FigureKind::people:
        case FigureKind::count: break;
    }
    return format_compact(figure.value, Quantity::count, lang);
}

std::string format_percent(std::int64_t part, std::int64_t whole, Lang lang) {
    check_ratio_operands(part, whole);
    std::string out = fixed_point(scaled_ratio(part, whole, 3), 1, lang);
    out += lang == Lang::fr ? std::string(nbsp) + "%" : std::string("%");
    return out;
}

std::string format_ratio(std::int64_t part, std::int64_t whole) {
    check_ratio_operands(part, whole);
    uint128 scaled = scaled_ratio(part, whole, 4);
    std::string fraction = to_decimal(scaled % 10000);
    fraction.insert(0, 4 - fraction.size(), '0');
    return to_decimal(scaled / 10000) + "." + fraction;
}

std::string format_date(std::string_view iso_date, Lang lang) {
    std::string quoted = "date \"" + std::string(iso_date) + "\"";
    DateProblem problem{};
    std::optional<Date> date = parse_iso_date(iso_date, problem);
    if (!date && problem == DateProblem::not_iso_form)
        throw Error(SourcePos{}, quoted + " is not in the form YYYY-MM-DD");
    if (!date) throw Error(SourcePos{}, quoted + " does not exist");
    auto [year, month, day] = *date;

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
