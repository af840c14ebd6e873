// Knuth & Plass total-fit line breaking and a greedy first-fit fallback.
//
// References are to D. E. Knuth and M. F. Plass, "Breaking Paragraphs into Lines",
// Software—Practice and Experience 11 (1981) 1119–1184, and to TeX's implementation of it
// (TeX: The Program, §813–§890), whose plain-format defaults Params follows.
//
// Conventions shared by both breakers:
//  - A break at item b ends a line with the items [start, b): a glue break drops the glue, a penalty
//    break adds the penalty's width (the hyphen). The next line starts at the first box or forced
//    break after b: glue and ordinary penalties after a break are discarded, as in the paper.
//  - A glue with infinite stretch (std::numeric_limits<double>::infinity()) is "fil" glue: a line that
//    contains one is never stretched (ratio 0) and has badness 0. The paper models the end of the
//    paragraph the same way; TeX keeps separate orders of infinity, one order is enough here.
//  - Widths are assumed non-negative and shrink finite, so a line only grows as its end moves right.
//  - A line's adjustment ratio r: (W - L) / stretch when L < W, (W - L) / shrink when L > W, 0 when
//    L == W, where L is the natural width and W the available width; the justified line has width
//    L + r * stretch (r >= 0) or L + r * shrink (r < 0).
//
// Where break_optimal departs from the paper:
//  - Params::tolerance bounds the ratio itself (feasible lines have -1 <= r <= tolerance) rather
//    than TeX's badness, and no line may shrink beyond r = -1.
//  - max_consecutive_hyphens is a hard limit the paper does not have: each node carries the count
//    of flagged breaks in a row that led to it, and nodes with different counts are kept apart.
//    0 allows no hyphenated line at all; a negative value means no limit.
//  - Line numbers are kept exactly until the last change of width among the lines the paragraph
//    could have, then merged; the paper's j0 is found by asking LineWidths, not given.
//  - A node is deactivated when its content alone, fully shrunk, is too long (see below), not when
//    r < -1 with a penalty's width included.
//  - No looseness, no final-hyphen demerits (TeX's \finalhyphendemerits), no emergency pass: an
//    empty result tells the caller to try a larger tolerance or break_first_fit.
//  - The last line is not stretched (fil glue) but may shrink when it is too long; its ratio is
//    then negative instead of 0.
// The work is linear in the items times the active nodes; the active list stays small (the breaks
// that fit on one line, times fitness classes and hyphen counts) once the widths stop changing,
// and grows with the paragraph when every line has a width of its own.

#include "layout/linebreak.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace factsheet::linebreak {
namespace {

constexpr std::size_t none = static_cast<std::size_t>(-1);
constexpr double infinity = std::numeric_limits<double>::infinity();

// Fitness classes of the paper (section "Fitness classes"), numbered so that two classes are adjacent
// when their numbers differ by one: a line is very loose above r = 1, loose above r = 0.5, tight
// below r = -0.5 and decent otherwise (the same thresholds as TeX §817).
constexpr int very_loose = 0;
constexpr int loose = 1;
constexpr int decent = 2;
constexpr int tight = 3;

int fitness_class(double ratio) {
    if (ratio > 1) return very_loose;
    if (ratio > 0.5) return loose;
    if (ratio < -0.5) return tight;
    return decent;
}

bool is_box(const Item& item) {
    return item.type == Item::Type::box;
}

bool is_forced(const Item& item) {
    return item.type == Item::Type::penalty && item.penalty <= -infinity_penalty;
}

bool is_flagged(const Item& item) {
    return item.type == Item::Type::penalty && item.flagged;
}

// A legal breakpoint (paper, "The algorithm"): a penalty below infinity, or a glue right after a box.
bool is_legal_break(const std::vector<Item>& items, std::size_t i) {
    const Item& item = items[i];
    if (item.type == Item::Type::penalty) return item.penalty < infinity_penalty;
    if (item.type == Item::Type::glue) return i > 0 && is_box(items[i - 1]);
    return false;
}

// Running totals of the items before each index, so any line's totals are two subtractions.
// Infinite stretch is counted apart (fil) so that sums stay finite and differences never give NaN.
class Totals {
public:
    explicit Totals(const std::vector<Item>& items) : sums_(items.size() + 1) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            const Item& item = items[i];
            Sums& next = sums_[i + 1];
            next = sums_[i];
            if (item.type == Item::Type::penalty) continue;
            next.width += item.width;
            if (item.type != Item::Type::glue) continue;
            if (std::isinf(item.stretch))
                ++next.fil;
            else
                next.stretch += item.stretch;
            next.shrink += item.shrink;
        }
    }

    double width(std::size_t from, std::size_t to) const { return sums_[to].width - sums_[from].width; }
    double stretch(std::size_t from, std::size_t to) const { return sums_[to].stretch - sums_[from].stretch; }
    double shrink(std::size_t from, std::size_t to) const { return sums_[to].shrink - sums_[from].shrink; }
    bool has_fil(std::size_t from, std::size_t to) const { return sums_[to].fil > sums_[from].fil; }

private:
    // One array of the four sums rather than four arrays: one allocation per paragraph, and a
    // line's totals read from two places in memory instead of eight.
    struct Sums {
        double width = 0, stretch = 0, shrink = 0;
        std::size_t fil = 0;
    };
    std::vector<Sums> sums_;
};

// The measures of one candidate line [start, end).
struct LineFit {
    double ratio = 0;           // the adjustment ratio; +/-infinity when it cannot be reached
    double shrunk_content = 0;  // the items' width at full shrink, without the break's penalty width
};

LineFit fit_line(const std::vector<Item>& items, const Totals& totals, std::size_t start, std::size_t end,
                 double line_width) {
    double content = totals.width(start, end);
    double shrink = totals.shrink(start, end);
    double natural = content + (items[end].type == Item::Type::penalty ? items[end].width : 0);
    LineFit fit;
    fit.shrunk_content = content - shrink;
    if (natural < line_width) {
        double stretch = totals.stretch(start, end);
        if (totals.has_fil(start, end))
            fit.ratio = 0;
        else
            fit.ratio = stretch > 0 ? (line_width - natural) / stretch : infinity;
    } else if (natural > line_width) {
        fit.ratio = shrink > 0 ? (line_width - natural) / shrink : -infinity;
    }
    return fit;
}

// The first item of the line that follows a break at `b`: the next box or forced break (paper,
// "the next line begins with the first box or forced break after b").
std::size_t line_start_after(const std::vector<Item>& items, std::size_t b) {
    std::size_t i = b + 1;
    while (i < items.size() && !is_box(items[i]) && !is_forced(items[i])) ++i;
    return i;
}

void check_paragraph_end(const std::vector<Item>& items) {
    if (!is_forced(items.back()))
        throw Error(SourcePos{},
                    "paragraph items do not end with a forced break; append "
                    "glue(0, infinity, 0) and a penalty of -infinity_penalty");
}

// Total-fit search state: one node per feasible break, keyed as the paper describes.
struct Node {
    std::size_t position = none;  // item index of the break; none for the paragraph start
    std::size_t start = 0;        // first item of the line after this break
    std::size_t line_class = 0;   // lines before this break, capped where the widths stop changing
    int fitness = decent;         // fitness class of the line ending here
    int hyphens = 0;              // flagged breaks in a row ending here
    double demerits = 0;          // total demerits from the paragraph start
    double ratio = 0;             // adjustment ratio of the line ending here
    std::size_t previous = none;  // the node of the previous break, in the node pool
};

// Two nodes at the same break compete only if their futures are the same: same line class (so the
// same widths ahead), same fitness (adjacency demerits) and same count of hyphens in a row (the hard
// limit and the flagged demerits).
using NodeKey = std::tuple<std::size_t, int, int>;

// A feasible line to the current break, from the active node `previous`; `found` counts the
// candidates before it at this break.
struct Candidate {
    NodeKey key;
    double demerits = 0;
    double ratio = 0;
    std::size_t previous = none;
    std::size_t found = 0;
};

// The demerits of one line (paper, formula (11) of "The algorithm", with TeX's line penalty):
// (l + b)^2 + p^2 for p >= 0, (l + b)^2 - p^2 for a penalty between -infinity and 0, and (l + b)^2
// for a forced break.
double line_demerits(double line_penalty, double badness, const Item& at) {
    double base = (line_penalty + badness) * (line_penalty + badness);
    if (at.type != Item::Type::penalty || is_forced(at)) return base;
    return at.penalty >= 0 ? base + at.penalty * at.penalty : base - at.penalty * at.penalty;
}

}  // namespace

std::vector<Break> break_optimal(const std::vector<Item>& items, const LineWidths& widths,
                                 const Params& params) {
    if (items.empty()) return {};
    check_paragraph_end(items);
    const Totals totals(items);

    // Line numbers matter only while the widths change (paper, "Variable line widths"): find the
    // line j0 after which every width is the same, and treat all lines from j0 on as one class.
    // A paragraph has at most one line per legal breakpoint, so that many widths are enough.
    std::size_t max_lines = 0;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (is_legal_break(items, i)) ++max_lines;
    std::vector<double> line_widths(max_lines);
    for (std::size_t n = 0; n < max_lines; ++n) line_widths[n] = widths(n);
    std::size_t last_class = max_lines - 1;
    while (last_class > 0 && line_widths[last_class - 1] == line_widths[max_lines - 1]) --last_class;

    // Hyphens in a row are counted up to the limit; without a limit (negative) only whether the
    // last break was flagged matters, so the count saturates at 1 and nodes are not split further.
    const int hyphen_cap = params.max_consecutive_hyphens < 0 ? 1 : params.max_consecutive_hyphens;

    std::vector<Node> pool;  // every node ever created; the chosen path is read back through it
    pool.push_back(Node{});
    std::vector<std::size_t> active{0};
    // Every feasible line to the current break; the best of each key becomes a node. Kept from
    // break to break in one vector (a std::map of the best so far allocated a node per key).
    std::vector<Candidate> candidates;

    for (std::size_t b = 0; b < items.size(); ++b) {
        if (!is_legal_break(items, b)) continue;
        const Item& at = items[b];
        const bool forced = is_forced(at);
        const bool flagged = is_flagged(at);
        candidates.clear();

        std::size_t kept = 0;
        for (std::size_t a : active) {
            const Node& node = pool[a];
            if (node.start > b) {  // b lies among the items discarded after the node's break
                active[kept++] = a;
                continue;
            }
            const double line_width = line_widths[node.line_class];
            const LineFit fit = fit_line(items, totals, node.start, b, line_width);
            // Deactivate a node once its line cannot fit even fully shrunk: later breaks only add
            // items. The paper tests r < -1 including the penalty width; a hyphen that overflows
            // here says nothing about the next break, so only the content is tested.
            const bool too_long = fit.shrunk_content > line_width;
            if (!too_long && !forced) active[kept++] = a;
            if (fit.ratio < -1 || fit.ratio > params.tolerance) continue;

            int hyphens = 0;
            if (flagged) {
                hyphens = std::min(node.hyphens + 1, hyphen_cap + 1);
                if (hyphens > hyphen_cap) {
                    if (params.max_consecutive_hyphens >= 0) continue;  // the hard limit
                    hyphens = hyphen_cap;
                }
            }

            const double badness = 100 * std::pow(std::abs(fit.ratio), 3);
            double demerits = line_demerits(params.line_penalty, badness, at);
            // Flagged demerits: two hyphenated lines in a row (paper, parameter alpha).
            if (flagged && node.position != none && is_flagged(items[node.position]))
                demerits += params.flagged_demerits;
            // Fitness demerits: a line next to one more than one class looser or tighter (gamma).
            const int fitness = fitness_class(fit.ratio);
            if (std::abs(fitness - node.fitness) > 1) demerits += params.fitness_demerits;
            demerits += node.demerits;

            const Candidate candidate{{std::min(node.line_class + 1, last_class), fitness, hyphens},
                                      demerits,
                                      fit.ratio,
                                      a,
                                      candidates.size()};
            candidates.push_back(candidate);
        }
        active.resize(kept);

        // One node per key, in key order: the fewest demerits, the first found on a tie.
        std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
            return std::tie(x.key, x.demerits, x.found) < std::tie(y.key, y.demerits, y.found);
        });
        const std::size_t next_start = line_start_after(items, b);
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            const Candidate& best = candidates[i];
            if (i > 0 && candidates[i - 1].key == best.key) continue;
            const auto& [line_class, fitness, hyphens] = best.key;
            active.push_back(pool.size());
            pool.push_back(
                Node{b, next_start, line_class, fitness, hyphens, best.demerits, best.ratio, best.previous});
        }
        if (active.empty()) return {};  // no feasible way past this point
    }

    // The last item is a forced break, so every remaining active node ends the paragraph there.
    // The paper's looseness parameter is not supported: the fewest demerits win, earliest on a tie.
    std::size_t best = active.front();
    for (std::size_t a : active)
        if (pool[a].demerits < pool[best].demerits) best = a;

    std::vector<Break> breaks;
    for (std::size_t n = best; pool[n].position != none; n = pool[n].previous)
        breaks.push_back(Break{pool[n].position, pool[n].ratio});
    std::reverse(breaks.begin(), breaks.end());
    return breaks;
}

std::vector<Break> break_first_fit(const std::vector<Item>& items, const LineWidths& widths) {
    if (items.empty()) return {};
    check_paragraph_end(items);
    const Totals totals(items);

    std::vector<Break> breaks;
    std::size_t start = 0;
    for (std::size_t line = 0;; ++line) {
        const double line_width = widths(line);
        std::size_t first_legal = none;  // the break to take when nothing fits
        std::size_t best = none;         // the furthest break that fits
        double best_ratio = 0;
        for (std::size_t b = start; b < items.size(); ++b) {
            if (!is_legal_break(items, b)) continue;
            if (first_legal == none) first_legal = b;
            const LineFit fit = fit_line(items, totals, start, b, line_width);
            if (fit.shrunk_content > line_width) break;  // nothing further fits either
            if (fit.ratio >= -1) {
                best = b;
                best_ratio = fit.ratio;
            }
            if (is_forced(items[b])) break;
        }

        std::size_t end = best;
        double ratio = best_ratio;
        if (end == none) {
            // An overfull box: it gets a line of its own. If only discardable items follow it up to
            // a forced break, end there instead so that no empty line is left behind.
            end = first_legal;
            const std::size_t next = line_start_after(items, end);
            if (!is_forced(items[end]) && next < items.size() && is_forced(items[next])) end = next;
            ratio = std::max(fit_line(items, totals, start, end, line_width).ratio, -1.0);
        }
        // A line without stretch that falls short cannot be justified: report it unstretched.
        if (std::isinf(ratio)) ratio = 0;
        breaks.push_back(Break{end, ratio});
        if (end + 1 == items.size()) return breaks;
        start = line_start_after(items, end);
    }
}

}  // namespace factsheet::linebreak
