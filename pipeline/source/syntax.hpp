// The syntax of the values a source holds (ids, numbers, dates, addresses), checked without XML.
// docs/schema/operation.xsd states the same rules as patterns; keep the two in step.
#pragma once

#include "common/ids.hpp"
#include "common/xml.hpp"  // collapse_whitespace

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace factsheet::detail {

using factsheet::is_valid_id;
using factsheet::max_id_length;  // the id rule is shared with the archive (common/ids.hpp)

/// Why a whole number was rejected.
enum class CountProblem { not_digits, too_large };

/// Parses a non-negative whole number written with digits only (no sign, separator or suffix).
/// Returns the value, or sets `problem` and returns nothing.
std::optional<std::int64_t> parse_count(std::string_view text, CountProblem& problem);

/// A number written with its decimals: 38.5 is {385, 1}, 38 is {38, 0}.
struct Decimal {
    std::int64_t scaled;  // the digits without the decimal point
    int decimals;         // how many of them come after it
};

/// Parses a percentage from 0 to 1000 written with digits and at most one decimal after a dot
/// ("38.5", "100", "0.5"); nothing for anything else ("38,5", ".5", "38.", "38.55", "1000.5").
std::optional<Decimal> parse_percentage(std::string_view text);

/// True for a telephone number as people write it: digits, spaces, '-', '.', and parentheses in
/// pairs, with an optional '+' first; between 4 and 20 digits ("+223 20 22 55 80", "(0)20-22").
bool is_phone_number(std::string_view text);

/// The number of characters (code points) of UTF-8 text.
std::size_t count_chars(std::string_view text);

/// True for exactly four digits ("2023").
bool is_four_digit_year(std::string_view text);

/// True for a date written YYYY-MM-DD that exists in the Gregorian calendar (year 0001 or later).
bool is_real_date(std::string_view text);

/// True for three uppercase ASCII letters, the shape of an ISO 4217 code ("USD").
bool is_currency_code(std::string_view text);

/// True for local@domain.tld: one '@', no whitespace, a domain of at least two non-empty labels.
bool is_valid_email(std::string_view text);

/// The first character of `text` that is invisible or a space other than ' ' (format characters
/// such as U+200B ZERO WIDTH SPACE and U+00AD SOFT HYPHEN, bidirectional controls U+202A-U+202E
/// and U+2066-U+2069, U+FEFF, no-break and typographic spaces), or nothing. An address holding
/// one looks right and leads elsewhere, or nowhere.
std::optional<char32_t> find_invisible_character(std::string_view text);

/// "U+200B", as messages name a character.
std::string code_point_name(char32_t c);

/// True for an http:// or https:// address with something after the scheme and no whitespace.
bool is_web_url(std::string_view text);

// The character and reference checks every XML reader shares (common/xml.hpp).
using factsheet::BadReference;
using factsheet::find_bad_reference;
using factsheet::find_invalid_character;

}  // namespace factsheet::detail
