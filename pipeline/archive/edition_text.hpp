// What the archive's search index holds of a file: its text and its key figures. Part of the
// archive stage's interface (archive.hpp, search.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace factsheet {

/// A stretch of a file's text: a factsheet's section (by its heading), or a page of a PDF.
struct SectionText {
    std::string section;  // the heading; empty for a page's text, or the text before the first heading
    int page = 0;         // where it starts, from 1
    std::string text;     // UTF-8, words separated by spaces
};

/// A key figure of an edition, as the source gives it (a number, never formatted).
struct FigureValue {
    std::string id;    // "pin"
    std::string kind;  // "people" | "money" | "percentage" | "count"
    std::int64_t value = 0;
    int decimals = 0;         // a percentage's: value / 10^decimals percent
    std::string currency;     // money's ISO 4217 code; empty otherwise
    std::optional<int> year;  // the year the figure refers to
    bool operator==(const FigureValue&) const = default;
};

/// What the search index holds of one file.
struct EditionText {
    std::vector<SectionText> sections;
    std::vector<FigureValue> figures;
    /// False for a PDF whose pages hold no text (a scan): cataloged, recorded as such, unsearchable.
    bool has_text = true;
};

}  // namespace factsheet
