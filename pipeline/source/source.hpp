// Stage 1: reads an operation's XML source and validates it completely.
#pragma once

#include <string>
#include <string_view>

#include "source/operation.hpp"

namespace factsheet {

/// Parses and validates a source held in memory; `file` names it in diagnostics.
/// Throws Error listing every problem found (up to a cap) when the source is invalid.
Operation parse_operation(std::string_view xml, const std::string& file);

/// Reads `path` and parses it (see parse_operation). Unreadable files are an Error too.
Operation read_operation(const std::string& path);

}  // namespace factsheet
