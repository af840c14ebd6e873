// Operation ids: the one rule every stage checks them by, since ids become parts of file names.
#pragma once

#include <cstddef>
#include <string_view>

namespace factsheet {

/// Longest id accepted.
inline constexpr std::size_t max_id_length = 64;

/// True for words of a-z and 0-9 joined by single '-' ("[a-z0-9]+(-[a-z0-9]+)*"), at most
/// max_id_length characters: safe inside a file name (no '/', '.', NUL or space can reach a path
/// through an id), and never "x-", "-x" or "x--y" (docs/archive.md, docs/source-format.md).
inline bool is_valid_id(std::string_view id) {
    if (id.empty() || id.size() > max_id_length || id.front() == '-' || id.back() == '-') return false;
    char previous = 0;
    for (char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
        if (c == '-' && previous == '-') return false;
        previous = c;
    }
    return true;
}

}  // namespace factsheet
