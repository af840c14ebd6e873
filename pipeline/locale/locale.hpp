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

/// A compact number with two decimals and a magnitude suffix (K, M, B; FR k, M, Md):
/// EN "3.90M", FR "3,90 M" (no-break space). Values under 1,000 are written whole.
std::string format_compact(std::int64_t value, Lang lang);

/// A key figure as printed in its box: people as format_compact; money with its currency,
/// EN "US$102.32M", FR "102,32 M US$".
std::string format_figure(const Figure& figure, Lang lang);

/// A ratio as a percentage with one decimal: EN "25.6%", FR "25,6 %" (no-break space).
std::string format_percent(double ratio, Lang lang);

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
/// fields). Every text has had apply_typography applied; numbers and dates are formatted.
View build_view(const Operation& op, const Labels& labels, Lang lang);

}  // namespace factsheet
