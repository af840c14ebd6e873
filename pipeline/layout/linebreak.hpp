// Line breaking over boxes, glue and penalties (Knuth & Plass, "Breaking Paragraphs into Lines",
// Software—Practice and Experience 11, 1981), with a first-fit fallback.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <vector>

namespace factsheet::linebreak {

/// A penalty at or above this value forbids a break; at or below -infinity_penalty forces one.
inline constexpr double infinity_penalty = 10000;

/// One element of a paragraph.
struct Item {
    enum class Type { box, glue, penalty };
    Type type = Type::box;
    double width = 0;    // natural width (for a penalty: width added if the line breaks here, e.g. a hyphen)
    double stretch = 0;  // glue only
    double shrink = 0;   // glue only
    double penalty = 0;  // penalty only
    bool flagged = false;  // penalty only: a hyphenation break

    static Item box(double w) { return {Type::box, w, 0, 0, 0, false}; }
    static Item glue(double w, double stretch, double shrink) {
        return {Type::glue, w, stretch, shrink, 0, false};
    }
    static Item penalty_item(double w, double p, bool flagged) {
        return {Type::penalty, w, 0, 0, p, flagged};
    }
};

/// The tuning of the optimal breaker; defaults follow TeX's plain format.
struct Params {
    double tolerance =
        2.0;  // largest adjustment ratio accepted for a line (TeX \tolerance 200 ~ ratio 1.26..2)
    double line_penalty = 10;         // TeX \linepenalty
    double flagged_demerits = 3000;   // two hyphenated lines in a row (TeX \doublehyphendemerits)
    double fitness_demerits = 100;    // adjacent lines of very different tightness (TeX \adjdemerits)
    int max_consecutive_hyphens = 2;  // hard limit on hyphenated lines in a row
};

/// A chosen break: the index of the item broken at, and the line's adjustment ratio
/// (negative: shrunk, positive: stretched, 0 for the last line).
struct Break {
    std::size_t index = 0;
    double ratio = 0;
};

/// Width available to line `n` (counting from 0).
using LineWidths = std::function<double(std::size_t line)>;

/// The total-fit breaks of a paragraph, or an empty vector when no feasible set exists within
/// the tolerance. The items must end with glue(0, inf, 0) + forced break penalty, as in TeX.
std::vector<Break> break_optimal(const std::vector<Item>& items, const LineWidths& widths,
                                 const Params& params = {});

/// Greedy breaks: as much on each line as fits; never fails (an overfull line is kept whole).
std::vector<Break> break_first_fit(const std::vector<Item>& items, const LineWidths& widths);

}  // namespace factsheet::linebreak
