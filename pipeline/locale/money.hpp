// Private to the locale stage: attaching a currency to an amount already written in words.
#pragma once

#include <string>

#include "source/operation.hpp"

namespace factsheet::detail {

/// Puts a currency around a formatted amount: EN "US$102.32M" (symbol first, sign before it),
/// FR "102,32 M US$" (symbol last, after a no-break space). An empty currency leaves it bare.
/// The symbol a reader expects for an ISO 4217 code ("USD" -> "US$"); the code itself otherwise.
std::string currency_symbol(const std::string& currency);

/// Puts a currency around a formatted amount (see above).
std::string with_currency(const std::string& amount, const std::string& currency, Lang lang);

}  // namespace factsheet::detail
