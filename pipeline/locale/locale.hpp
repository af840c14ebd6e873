// Stage 2: everything that depends on the edition's language — numbers, dates, typography,
// labels — and the localized view of an operation that the templates read.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "locale/view.hpp"
#include "source/operation.hpp"

namespace factsheet {

/// U+00A0 NO-BREAK SPACE and U+202F NARROW NO-BREAK SPACE, in UTF-8.
inline constexpr std::string_view nbsp = "\xC2\xA0";
inline constexpr std::string_view narrow_nbsp = "\xE2\x80\xAF";

/// Parses "en" or "fr"; throws Error otherwise.
Lang parse_lang(std::string_view code);

/// A whole number with grouped thousands: EN "3,900,000", FR "3 900 000" (narrow no-break spaces).
std::string format_integer(std::int64_t value, Lang lang);

/// What a compact number counts, which sets how precise it is (see format_compact).
enum class Quantity { count, money };

/// A number written compactly, by one rule per language:
/// - under 10,000, in full with grouped thousands: "0", "1,000", "9,999" (FR "1 000", with a
///   narrow no-break space);
/// - from 10,000 up, in thousands, millions, billions or trillions: EN K, M, B, T glued to the
///   number ("840K"); FR k, M, Md after a no-break space ("840 k"). A count (of people or of
///   anything) keeps three significant digits: 12345 -> "12.3K", 840000 -> "840K", 3900000 ->
///   "3.90M". Money keeps three significant digits below a million ("840K") and two decimals from
///   a million up: 102320000 -> "102.32M", FR "102,32 M";
/// - rounding is half away from zero; a value that rounds to 1,000 of a unit is written in the
///   next: 999999 -> "1.00M", 999999999999 -> "1.00T";
/// - past the largest unit the number of that unit is written whole and grouped: French has no
///   unit above the milliard ("billion" would read as the English 10^9), so 999999999999 is
///   FR "1 000 Md"; 10^15 is EN "1,000T".
std::string format_compact(std::int64_t value, Quantity quantity, Lang lang);

/// A percentage written with `decimals` decimals of `scaled` (385 and 1: EN "38.5%", FR "38,5 %"
/// with a no-break space), the whole part grouped ("1,000%").
std::string format_percentage(std::int64_t scaled, int decimals, Lang lang);

/// A key figure as printed in its box: people and counts compact (format_compact), money with
/// its currency (EN "US$102.32M", FR "102,32 M US$"), a percentage as format_percentage.
std::string format_figure(const Figure& figure, Lang lang);

/// part / whole as a percentage with one decimal, rounded half up: EN "25.6%", FR "25,6 %"
/// (no-break space); "118.0%" for an overfunded appeal. Exact for every int64 (no overflow).
/// Throws Error unless part >= 0 and whole > 0.
std::string format_percent(std::int64_t part, std::int64_t whole, Lang lang);

/// part / whole with four decimals and a dot whatever the language, for <bar value>: "0.2565",
/// "1.1800"; never clamped. Throws Error unless part >= 0 and whole > 0.
std::string format_ratio(std::int64_t part, std::int64_t whole);

/// An ISO 8601 date (YYYY-MM-DD) in words: EN "30 September 2023", FR "30 septembre 2023",
/// FR "1er mars 2024". Throws Error for a malformed or impossible date.
std::string format_date(std::string_view iso_date, Lang lang);

/// Applies the edition's typography to plain source text. Both languages: straight apostrophes
/// become ’. French: narrow no-break space before ; ! ? and inside « », no-break space before :
/// and %, digit groups joined with narrow no-break spaces; ordinary spaces there are replaced, and
/// missing ones added. Idempotent.
std::string apply_typography(std::string_view text, Lang lang);

/// The labels of a layout (headings, captions) in both languages, by key.
using Labels = std::map<std::string, Text>;

/// Reads a labels file: <labels><label key="..."><en>..</en><fr>..</fr></label>...</labels>.
/// Throws Error with file:line:col for malformed files, duplicate keys or a missing language.
Labels read_labels(const std::string& path);

/// Builds the localized view of an operation for one edition (see docs/layout-markup.md for its
/// fields). Every text has had apply_typography applied; numbers and dates are formatted. A
/// `draft` shows a text the source lacks in `lang` in the other language, typeset in that
/// language and marked as such (fallback_text), and sets the view's `draft` flag.
View build_view(const Operation& op, const Labels& labels, Lang lang, bool draft = false);

}  // namespace factsheet
