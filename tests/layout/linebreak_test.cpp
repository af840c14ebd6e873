#include "layout/linebreak.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace factsheet;
using namespace factsheet::linebreak;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Fixed metrics: every character is a box 1 unit wide, a space is glue of width 1, stretch 1 and
// shrink 1/3 (a line with s spaces may shrink by s/3), '|' is a hyphenation point (a flagged
// penalty of 50, TeX's \hyphenpenalty, adding a 1-unit hyphen when broken at) and '\n' a forced
// break. The paragraph ends with fil glue and a forced break, as the breaker requires.
struct Paragraph {
    std::vector<Item> items;
    std::string glyphs;  // one character per item: the box's letter, ' ' glue, '-' penalty, '#' end
};

void end_line(Paragraph& p) {
    p.items.push_back(Item::glue(0, inf, 0));
    p.glyphs += '#';
    p.items.push_back(Item::penalty_item(0, -infinity_penalty, false));
    p.glyphs += '#';
}

Paragraph make(std::string_view text) {
    Paragraph p;
    for (char c : text) {
        if (c == ' ') {
            p.items.push_back(Item::glue(1, 1, 1.0 / 3));
            p.glyphs += ' ';
        } else if (c == '|') {
            p.items.push_back(Item::penalty_item(1, 50, true));
            p.glyphs += '-';
        } else if (c == '\n') {
            end_line(p);
        } else {
            p.items.push_back(Item::box(1));
            p.glyphs += c;
        }
    }
    end_line(p);
    return p;
}

LineWidths constant(double w) {
    return [w](std::size_t) { return w; };
}

std::vector<std::size_t> indices(const std::vector<Break>& breaks) {
    std::vector<std::size_t> out;
    for (const Break& b : breaks) out.push_back(b.index);
    return out;
}

bool is_forced(const Item& item) {
    return item.type == Item::Type::penalty && item.penalty <= -infinity_penalty;
}

bool is_legal(const std::vector<Item>& items, std::size_t i) {
    if (items[i].type == Item::Type::penalty) return items[i].penalty < infinity_penalty;
    if (items[i].type == Item::Type::glue) return i > 0 && items[i - 1].type == Item::Type::box;
    return false;
}

std::size_t start_after(const std::vector<Item>& items, std::size_t b) {
    std::size_t i = b + 1;
    while (i < items.size() && items[i].type != Item::Type::box && !is_forced(items[i])) ++i;
    return i;
}

// The text of each line, for readable expectations: unbroken hyphenation points vanish, a line
// broken at one ends with '-'.
std::vector<std::string> line_texts(const Paragraph& p, const std::vector<Break>& breaks) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (const Break& b : breaks) {
        std::string line;
        for (std::size_t i = start; i < b.index; ++i)
            if (p.glyphs[i] != '-' && p.glyphs[i] != '#') line += p.glyphs[i];
        if (p.glyphs[b.index] == '-') line += '-';
        lines.push_back(line);
        start = start_after(p.items, b.index);
    }
    return lines;
}

// A line measured by plain summation, independent of the breaker's running totals.
struct Measure {
    double natural = 0, stretch = 0, shrink = 0;
    bool fil = false;
    std::size_t boxes = 0;
};

Measure measure(const std::vector<Item>& items, std::size_t start, std::size_t end) {
    Measure m;
    for (std::size_t i = start; i < end; ++i) {
        const Item& it = items[i];
        if (it.type == Item::Type::box) {
            m.natural += it.width;
            ++m.boxes;
        } else if (it.type == Item::Type::glue) {
            m.natural += it.width;
            if (std::isinf(it.stretch))
                m.fil = true;
            else
                m.stretch += it.stretch;
            m.shrink += it.shrink;
        }
    }
    if (items[end].type == Item::Type::penalty) m.natural += items[end].width;
    return m;
}

double ratio_of(const Measure& m, double width) {
    if (m.natural < width) {
        if (m.fil) return 0;
        return m.stretch > 0 ? (width - m.natural) / m.stretch : inf;
    }
    if (m.natural > width) return m.shrink > 0 ? (width - m.natural) / m.shrink : -inf;
    return 0;
}

int fitness_of(double r) {
    return r > 1 ? 0 : r > 0.5 ? 1 : r < -0.5 ? 3 : 2;
}

// Demerits of one line after a line of class `prev_fitness` (flagged: whether it ended flagged),
// written out from Knuth & Plass (1981) to check the breaker against.
double demerits_of(const Params& params, double r, const Item& at, bool prev_flagged, int prev_fitness) {
    double badness = 100 * std::pow(std::abs(r), 3);
    double d = (params.line_penalty + badness) * (params.line_penalty + badness);
    if (at.type == Item::Type::penalty && !is_forced(at))
        d += at.penalty >= 0 ? at.penalty * at.penalty : -at.penalty * at.penalty;
    if (at.type == Item::Type::penalty && at.flagged && prev_flagged) d += params.flagged_demerits;
    if (std::abs(fitness_of(r) - prev_fitness) > 1) d += params.fitness_demerits;
    return d;
}

double total_demerits(const std::vector<Item>& items, const std::vector<Break>& breaks,
                      const LineWidths& widths, const Params& params) {
    double total = 0;
    std::size_t start = 0;
    bool flagged = false;
    int fitness = 2;
    for (std::size_t line = 0; line < breaks.size(); ++line) {
        const Item& at = items[breaks[line].index];
        double r = ratio_of(measure(items, start, breaks[line].index), widths(line));
        total += demerits_of(params, r, at, flagged, fitness);
        flagged = at.type == Item::Type::penalty && at.flagged;
        fitness = fitness_of(r);
        start = start_after(items, breaks[line].index);
    }
    return total;
}

// The fewest total demerits over every feasible set of breaks, by exhaustive search: the
// reference the breaker's answer is checked against on small paragraphs. Infinity: no solution.
struct Exhaustive {
    const std::vector<Item>& items;
    const LineWidths& widths;
    const Params& params;
    double best = inf;

    void search(std::size_t start, std::size_t line, bool flagged, int hyphens, int fitness, double so_far) {
        const double w = widths(line);
        for (std::size_t b = start; b < items.size(); ++b) {
            if (!is_legal(items, b)) continue;
            Measure m = measure(items, start, b);
            double content = m.natural - (items[b].type == Item::Type::penalty ? items[b].width : 0);
            if (content - m.shrink > w) return;  // longer lines cannot fit either
            double r = ratio_of(m, w);
            bool at_flag = items[b].type == Item::Type::penalty && items[b].flagged;
            int run = at_flag ? hyphens + 1 : 0;
            bool ok = r >= -1 && r <= params.tolerance &&
                      (params.max_consecutive_hyphens < 0 || run <= params.max_consecutive_hyphens);
            if (ok) {
                double d = so_far + demerits_of(params, r, items[b], flagged, fitness);
                if (b + 1 == items.size())
                    best = std::min(best, d);
                else
                    search(start_after(items, b), line + 1, at_flag, run, fitness_of(r), d);
            }
            if (is_forced(items[b])) return;
        }
    }
};

}  // namespace

TEST(linebreak, total_fit_avoids_the_loose_line_first_fit_leaves) {
    // Width 12. First fit fills line 1 to 13 units, fully shrunk (3 spaces, r = -1), which leaves
    // "eeeeee fff" (10 units, one space) stretched by r = 2 on line 2. Total fit moves "d" down:
    // "aaaa bbbb c" (11 units, r = 0.5) and "d eeeeee fff" (12 units, r = 0).
    Paragraph p = make("aaaa bbbb c d eeeeee fff gg");
    auto first = break_first_fit(p.items, constant(12));
    EXPECT_EQ(indices(first), (std::vector<std::size_t>{13, 24, 28}));
    EXPECT_EQ(line_texts(p, first), (std::vector<std::string>{"aaaa bbbb c d", "eeeeee fff", "gg"}));
    EXPECT_DOUBLE_EQ(first[0].ratio, -1);
    EXPECT_DOUBLE_EQ(first[1].ratio, 2);
    EXPECT_DOUBLE_EQ(first[2].ratio, 0);

    auto best = break_optimal(p.items, constant(12));
    EXPECT_EQ(indices(best), (std::vector<std::size_t>{11, 24, 28}));
    EXPECT_EQ(line_texts(p, best), (std::vector<std::string>{"aaaa bbbb c", "d eeeeee fff", "gg"}));
    EXPECT_DOUBLE_EQ(best[0].ratio, 0.5);
    EXPECT_DOUBLE_EQ(best[1].ratio, 0);
    EXPECT_DOUBLE_EQ(best[2].ratio, 0);
}

TEST(linebreak, breaks_at_a_hyphen_when_no_space_fits) {
    // Width 12: "aaa bbb" (7 units, r = 5) is too loose and "aaa bbb cccddd" (14 units, shrink
    // 2/3) too tight; "aaa bbb ccc-" is exactly 12 with its hyphen.
    Paragraph p = make("aaa bbb ccc|ddd ee");
    auto best = break_optimal(p.items, constant(12));
    EXPECT_EQ(indices(best), (std::vector<std::size_t>{11, 19}));
    EXPECT_EQ(line_texts(p, best), (std::vector<std::string>{"aaa bbb ccc-", "ddd ee"}));
    EXPECT_DOUBLE_EQ(best[0].ratio, 0);
}

TEST(linebreak, prefers_a_space_to_a_hyphen_of_equal_fit) {
    // Width 7: "aaa bbb" (r = 0) and "aaa bb-" (r = 0) fit equally; the hyphen's penalty of 50
    // adds 2500 demerits, so the space wins.
    Paragraph p = make("aaa bb|b ccccc");
    auto best = break_optimal(p.items, constant(7));
    EXPECT_EQ(line_texts(p, best), (std::vector<std::string>{"aaa bbb", "ccccc"}));
}

TEST(linebreak, of_two_paths_of_equal_demerits_the_first_found_wins) {
    // Width 6: "aa aa aa" shrinks by r = -1 and "aa aa" stretches by r = 1, so both ways of
    // setting the first line cost (10 + 100)^2 and the last line 10^2. The two paths meet at the
    // end with the same key; the one through the earlier break was found first and is kept.
    Paragraph p = make("aa aa aa aa");
    auto best = break_optimal(p.items, constant(6));
    EXPECT_EQ(line_texts(p, best), (std::vector<std::string>{"aa aa", "aa aa"}));
    EXPECT_DOUBLE_EQ(best[0].ratio, 1);
}

TEST(linebreak, forced_break_ends_a_line) {
    // "aaa bb" ends at the forced break (index 7) unstretched, though "aaa bb cc" would fit.
    Paragraph p = make("aaa bb\ncc ddd eee");
    auto best = break_optimal(p.items, constant(12));
    EXPECT_EQ(indices(best), (std::vector<std::size_t>{7, 19}));
    EXPECT_EQ(line_texts(p, best), (std::vector<std::string>{"aaa bb", "cc ddd eee"}));
    EXPECT_DOUBLE_EQ(best[0].ratio, 0);
    EXPECT_DOUBLE_EQ(best[1].ratio, 0);
    auto first = break_first_fit(p.items, constant(12));
    EXPECT_EQ(indices(first), (std::vector<std::size_t>{7, 19}));
}

TEST(linebreak, narrower_first_line) {
    // The paragraph of the first test with a first line of 9 (the others 12): "aaaa bbbb" fills
    // it exactly, and the rest is set anew: "c d eeeeee" (10 units, two spaces, r = 1), "fff gg".
    Paragraph p = make("aaaa bbbb c d eeeeee fff gg");
    auto widths = [](std::size_t line) { return line == 0 ? 9.0 : 12.0; };
    auto best = break_optimal(p.items, widths);
    EXPECT_EQ(line_texts(p, best), (std::vector<std::string>{"aaaa bbbb", "c d eeeeee", "fff gg"}));
    EXPECT_EQ(indices(best), (std::vector<std::size_t>{9, 20, 28}));
    EXPECT_DOUBLE_EQ(best[0].ratio, 0);
    EXPECT_DOUBLE_EQ(best[1].ratio, 1);

    // At 8, "aaaa bbbb" cannot shrink enough (9 units, one space: r = -3) and "aaaa" alone has
    // nothing to stretch: no feasible first line.
    EXPECT_TRUE(break_optimal(p.items, [](std::size_t line) { return line == 0 ? 8.0 : 12.0; }).empty());
}

TEST(linebreak, line_numbers_matter_beyond_the_first_line) {
    // At a constant 12 the third line is "ggg hhh iii" (r = 0.5); a third line of 7 (then 12
    // again) takes "ggg hhh" (r = 0), and the fourth line, back at 12, "iii jjj".
    Paragraph p = make("aaa bbb ccc ddd eee fff ggg hhh iii jjj");
    EXPECT_EQ(line_texts(p, break_optimal(p.items, constant(12))),
              (std::vector<std::string>{"aaa bbb ccc", "ddd eee fff", "ggg hhh iii", "jjj"}));
    auto widths = [](std::size_t line) { return line == 2 ? 7.0 : 12.0; };
    auto best = break_optimal(p.items, widths);
    EXPECT_EQ(line_texts(p, best),
              (std::vector<std::string>{"aaa bbb ccc", "ddd eee fff", "ggg hhh", "iii jjj"}));
    EXPECT_EQ(indices(best), (std::vector<std::size_t>{11, 23, 31, 40}));
}

TEST(linebreak, box_wider_than_the_line_is_infeasible) {
    Paragraph p = make("aa bbbbbbbbbbbbbbb cc dd");
    EXPECT_TRUE(break_optimal(p.items, constant(10)).empty());
    // First fit puts the long box on its own line, "shrunk" as far as it goes (r = -1).
    auto first = break_first_fit(p.items, constant(10));
    EXPECT_EQ(line_texts(p, first), (std::vector<std::string>{"aa", "bbbbbbbbbbbbbbb", "cc dd"}));
    EXPECT_EQ(indices(first), (std::vector<std::size_t>{2, 18, 25}));
    EXPECT_DOUBLE_EQ(first[0].ratio, 0);  // no stretch in "aa": left as it is
    EXPECT_DOUBLE_EQ(first[1].ratio, -1);
}

TEST(linebreak, overfull_last_word_does_not_leave_an_empty_line) {
    Paragraph p = make("aa bbbbbbbbbbbbbbb");
    auto first = break_first_fit(p.items, constant(10));
    EXPECT_EQ(line_texts(p, first), (std::vector<std::string>{"aa", "bbbbbbbbbbbbbbb"}));
    EXPECT_EQ(indices(first), (std::vector<std::size_t>{2, 19}));
}

TEST(linebreak, max_consecutive_hyphens_is_a_hard_limit) {
    // Width 20. Lines 1 and 2 can only end at their hyphens (r = 0). Line 3 is best at
    // "eeee fff gg hh i jj-" (r = 0): 2600 + 3000 flagged demerits, against "eeee fff gg hh i"
    // (16 units, four spaces, r = 1, badness 100: 12100). Three hyphens in a row win when allowed.
    Paragraph p = make("aaaaaaaaaa bbbbbbbb|cccccccc dddddddddd|eeee fff gg hh i jj|kkkk");
    const std::vector<std::string> three{"aaaaaaaaaa bbbbbbbb-", "cccccccc dddddddddd-",
                                         "eeee fff gg hh i jj-", "kkkk"};
    const std::vector<std::string> two{"aaaaaaaaaa bbbbbbbb-", "cccccccc dddddddddd-", "eeee fff gg hh i",
                                       "jjkkkk"};
    Params unlimited;
    unlimited.max_consecutive_hyphens = -1;
    EXPECT_EQ(line_texts(p, break_optimal(p.items, constant(20), unlimited)), three);
    Params limit3;
    limit3.max_consecutive_hyphens = 3;
    EXPECT_EQ(line_texts(p, break_optimal(p.items, constant(20), limit3)), three);
    Params limit2;  // the default
    auto best = break_optimal(p.items, constant(20), limit2);
    EXPECT_EQ(line_texts(p, best), two);
    EXPECT_EQ(indices(best), (std::vector<std::size_t>{19, 39, 56, 65}));
    EXPECT_DOUBLE_EQ(best[2].ratio, 1);
    // Dearer flagged demerits do the limit's work: 3 hyphens cost 7800 + 2 * 20000, the layout
    // with 2 costs 5200 + 20000 + 12100.
    Params dear;
    dear.max_consecutive_hyphens = -1;
    dear.flagged_demerits = 20000;
    EXPECT_EQ(line_texts(p, break_optimal(p.items, constant(20), dear)), two);
    Params none;
    none.max_consecutive_hyphens = 0;  // no hyphenated line at all: line 1 cannot be set
    EXPECT_TRUE(break_optimal(p.items, constant(20), none).empty());
}

TEST(linebreak, hyphen_count_keeps_apart_nodes_at_the_same_break) {
    // Width 20. Two ways reach the hyphen after "kkk" (index 37):
    //   X: "aaa bbb ccc dd e ff-" (r = 0) + "gggg hh ii jj kkk-" (r = 0.5): 2 hyphens in a row,
    //      2600 + 3006.25 + 3000 flagged demerits;
    //   Y: "aaa bbb ccc dd e" (r = 1) + "ffgggg hh ii jj kkk-" (r = 0): 1 hyphen, 12100 + 2600.
    // Both lines are decent, so only the hyphen count tells the two nodes apart. The next line
    // can only end at a hyphen (19 letters and no space): X would make it the third in a row,
    // so with a limit of 2 the dearer Y must have been kept.
    Paragraph p = make("aaa bbb ccc dd e ff|gggg hh ii jj kkk|lllllllllllllllllll|mm");
    auto best = break_optimal(p.items, constant(20));
    EXPECT_EQ(line_texts(p, best), (std::vector<std::string>{"aaa bbb ccc dd e", "ffgggg hh ii jj kkk-",
                                                             "lllllllllllllllllll-", "mm"}));
    EXPECT_EQ(indices(best), (std::vector<std::size_t>{16, 37, 57, 61}));
    Params unlimited;
    unlimited.max_consecutive_hyphens = -1;
    EXPECT_EQ(line_texts(p, break_optimal(p.items, constant(20), unlimited)),
              (std::vector<std::string>{"aaa bbb ccc dd e ff-", "gggg hh ii jj kkk-", "lllllllllllllllllll-",
                                        "mm"}));
}

TEST(linebreak, paragraph_must_end_with_a_forced_break) {
    std::vector<Item> items{Item::box(3), Item::glue(1, 1, 0), Item::box(2)};
    try {
        break_optimal(items, constant(10));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.diagnostics()[0].message,
                  "paragraph items do not end with a forced break; append glue(0, infinity, 0) "
                  "and a penalty of -infinity_penalty");
    }
    EXPECT_THROW(break_first_fit(items, constant(10)), Error);
}

TEST(linebreak, empty_paragraph_has_no_lines) {
    EXPECT_TRUE(break_optimal({}, constant(10)).empty());
    EXPECT_TRUE(break_first_fit({}, constant(10)).empty());
}

namespace {

// A random paragraph: words of 1..12 letters whose boxes are 0.6..1.4 units per letter, words of
// 5 letters or more split into fragments at random hyphenation points, spaces as in make(), now
// and then an unflagged penalty of -200..200 before a space (a preferred or discouraged break)
// and a forced break inside the paragraph.
std::vector<Item> random_paragraph(std::mt19937& rng, std::size_t words) {
    std::uniform_int_distribution<int> length(1, 12);
    std::uniform_real_distribution<double> letter(0.6, 1.4);
    std::uniform_int_distribution<int> percent(0, 99);
    std::vector<Item> items;
    for (std::size_t w = 0; w < words; ++w) {
        if (w > 0) {
            if (percent(rng) < 2) {
                items.push_back(Item::glue(0, inf, 0));
                items.push_back(Item::penalty_item(0, -infinity_penalty, false));
            } else {
                if (percent(rng) < 15) items.push_back(Item::penalty_item(0, percent(rng) * 4 - 200, false));
                items.push_back(Item::glue(1, 1, 1.0 / 3));
            }
        }
        int letters = length(rng);
        double fragment = 0;
        for (int i = 0; i < letters; ++i) {
            fragment += letter(rng);
            bool split = letters >= 5 && i >= 1 && i + 3 < letters && percent(rng) < 30;
            if (split || i + 1 == letters) {
                items.push_back(Item::box(fragment));
                fragment = 0;
                if (split) items.push_back(Item::penalty_item(1, 50, true));
            }
        }
    }
    items.push_back(Item::glue(0, inf, 0));
    items.push_back(Item::penalty_item(0, -infinity_penalty, false));
    return items;
}

LineWidths random_widths(std::mt19937& rng) {
    double w = std::uniform_real_distribution<double>(14, 40)(rng);
    switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
        case 0: return constant(w);
        case 1: return [w](std::size_t line) { return line == 0 ? w - 5 : w; };
        case 2: return [w](std::size_t line) { return line < 3 ? w : w - 4; };
        default: return [w](std::size_t line) { return line % 2 == 0 ? w : w + 3; };
    }
}

// Parameters that vary: some rounds make fitness or hyphens weigh much more than usual.
Params random_params(std::mt19937& rng) {
    auto pick = [&rng](std::initializer_list<double> values) {
        std::uniform_int_distribution<std::size_t> at(0, values.size() - 1);
        return *(values.begin() + at(rng));
    };
    Params params;
    params.tolerance = pick({1, 2, 3});
    params.line_penalty = pick({10, 50});
    params.flagged_demerits = pick({0, 3000, 100000});
    params.fitness_demerits = pick({100, 100000});
    params.max_consecutive_hyphens = static_cast<int>(pick({-1, 1, 2}));
    return params;
}

// Justifying a line with its ratio gives exactly the line's width.
double justified_width(const Measure& m, double ratio) {
    return m.natural + ratio * (ratio >= 0 ? m.stretch : m.shrink);
}

}  // namespace

TEST(linebreak_property, optimal_lines_are_feasible_justified_and_cheapest) {
    std::mt19937 rng(20240611);
    int solved = 0;
    int compared = 0;
    for (int round = 0; round < 200; ++round) {
        const std::size_t words = std::uniform_int_distribution<std::size_t>(1, 40)(rng);
        const std::vector<Item> items = random_paragraph(rng, words);
        const LineWidths widths = random_widths(rng);
        const Params params = random_params(rng);
        const auto breaks = break_optimal(items, widths, params);
        SCOPED_TRACE("round " + std::to_string(round));

        if (words <= 24) {
            Exhaustive reference{items, widths, params};
            reference.search(0, 0, false, 0, 2, 0);
            ++compared;
            if (std::isinf(reference.best)) {
                EXPECT_TRUE(breaks.empty());
            } else {
                ASSERT_FALSE(breaks.empty());
                EXPECT_NEAR(total_demerits(items, breaks, widths, params), reference.best,
                            1e-6 * std::max(1.0, std::abs(reference.best)));
            }
        }
        if (breaks.empty()) continue;
        ++solved;

        EXPECT_EQ(breaks.back().index, items.size() - 1);
        std::size_t start = 0;
        for (std::size_t line = 0; line < breaks.size(); ++line) {
            const Break& b = breaks[line];
            ASSERT_TRUE(is_legal(items, b.index));
            ASSERT_GE(b.index, start);
            Measure m = measure(items, start, b.index);
            const double w = widths(line);
            EXPECT_GE(b.ratio, -1);
            EXPECT_LE(b.ratio, params.tolerance);
            EXPECT_NEAR(b.ratio, ratio_of(m, w), 1e-9);
            if (m.fil) {
                // The last line (and a line ended by a forced break) is never stretched.
                if (m.natural <= w) {
                    EXPECT_EQ(b.ratio, 0);
                }
            } else {
                EXPECT_NEAR(justified_width(m, b.ratio), w, 1e-6);
            }
            start = start_after(items, b.index);
        }
    }
    // The generator must exercise both outcomes and the exhaustive check.
    EXPECT_GT(solved, 100);
    EXPECT_LT(solved, 200);
    EXPECT_GT(compared, 80);
}

TEST(linebreak_property, first_fit_lines_fit_unless_a_single_box_is_too_wide) {
    std::mt19937 rng(77);
    for (int round = 0; round < 200; ++round) {
        const std::size_t words = std::uniform_int_distribution<std::size_t>(1, 60)(rng);
        const std::vector<Item> items = random_paragraph(rng, words);
        const LineWidths widths = random_widths(rng);
        const auto breaks = break_first_fit(items, widths);
        SCOPED_TRACE("round " + std::to_string(round));
        ASSERT_FALSE(breaks.empty());
        EXPECT_EQ(breaks.back().index, items.size() - 1);

        std::size_t start = 0;
        for (std::size_t line = 0; line < breaks.size(); ++line) {
            const Break& b = breaks[line];
            ASSERT_TRUE(is_legal(items, b.index));
            Measure m = measure(items, start, b.index);
            const double w = widths(line);
            const double actual = ratio_of(m, w);
            EXPECT_GE(b.ratio, -1);
            if (actual < -1) {
                EXPECT_EQ(m.boxes, 1u) << "only a single box may overflow";
                EXPECT_EQ(b.ratio, -1);
            } else if (std::isinf(actual)) {
                EXPECT_EQ(b.ratio, 0);  // nothing to stretch
            } else {
                EXPECT_NEAR(b.ratio, actual, 1e-9);
                if (!m.fil) {
                    EXPECT_NEAR(justified_width(m, b.ratio), w, 1e-6);
                }
            }
            // Greedy: the next legal break would not have fitted on this line.
            if (!is_forced(items[b.index]) && actual >= -1) {
                std::size_t next = b.index + 1;
                while (next < items.size() && !is_legal(items, next)) ++next;
                ASSERT_LT(next, items.size());
                Measure longer = measure(items, start, next);
                EXPECT_LT(ratio_of(longer, w), -1);
            }
            start = start_after(items, b.index);
        }
    }
}

TEST(linebreak, five_thousand_word_paragraph_completes) {
    std::mt19937 rng(5000);
    const std::vector<Item> items = random_paragraph(rng, 5000);
    // Forced breaks come from the generator too; a wide measure keeps every line feasible.
    auto breaks = break_optimal(items, constant(60));
    ASSERT_FALSE(breaks.empty());
    EXPECT_EQ(breaks.back().index, items.size() - 1);
    EXPECT_GT(breaks.size(), 500u);
    auto first = break_first_fit(items, constant(60));
    EXPECT_EQ(first.back().index, items.size() - 1);
}
