// JSON for the archive: writing strings, and a strict RFC 8259 reader for sidecar files (and for
// tests that check index.json). Private to the archive stage.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace factsheet::archive_json {

/// A JSON string literal, quotes included; control characters escaped, UTF-8 kept as is.
std::string quote(std::string_view text);

/// A parsed JSON value.
struct Value {
    Value() = default;  // clang 14 needs it spelt out for a vector of the type being defined
    enum class Kind { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    bool flag = false;
    std::string text;  // a string's value, or a number as written
    std::vector<Value> items;
    std::vector<std::pair<std::string, Value>> members;  // in file order

    /// The member named `key`, or nullptr.
    const Value* find(std::string_view key) const;
};

/// Parses one JSON text strictly (no trailing commas, no comments). Throws Error at `name`,
/// with line and column, when it is not JSON.
Value parse(std::string_view text, const std::string& name);

}  // namespace factsheet::archive_json
