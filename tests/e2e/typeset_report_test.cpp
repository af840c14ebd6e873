// The Mali editions as typeset: justified, hyphenated where needed, and no worse than greedy breaking.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/report.hpp"
#include "common/test_paths.hpp"
#include "source/source.hpp"

using namespace factsheet;

namespace {

TypesetSummary typeset(Lang lang, bool first_fit, double pretolerance = TypesetRules{}.pretolerance) {
    Environment env;
    env.layout_dir = test::source_path("layouts/factsheet");
    TypesetRules rules;
    rules.first_fit_only = first_fit;
    rules.pretolerance = pretolerance;
    FactsheetBuilder builder(env, rules);
    LayoutReport report;
    std::vector<Diagnostic> warnings;
    PagedDocument doc =
        builder.lay_out(read_operation(test::source_path("input/mali.xml")), lang, warnings, &report);
    return summarize(report, static_cast<int>(doc.pages.size()));
}

}  // namespace

TEST(typeset_report, mali_is_justified_hyphenated_and_within_tolerance) {
    for (Lang lang : {Lang::en, Lang::fr}) {
        TypesetSummary optimal = typeset(lang, false), greedy = typeset(lang, true);
        EXPECT_EQ(optimal.paragraphs, 5) << lang_code(lang);
        EXPECT_LE(optimal.worst_stretch, 2.0);
        EXPECT_GE(optimal.worst_shrink, -1.0);
        EXPECT_EQ(optimal.loose_lines, 0) << lang_code(lang);
        EXPECT_LE(optimal.hyphenated, greedy.hyphenated) << lang_code(lang);
        EXPECT_LE(optimal.loose_lines, greedy.loose_lines) << lang_code(lang);
        // Hyphenation is on: without the first pass, words are hyphenated in both languages.
        TypesetSummary always = typeset(lang, false, -1);
        EXPECT_GE(always.hyphenated, 1) << lang_code(lang);
        EXPECT_LE(optimal.hyphenated, always.hyphenated) << lang_code(lang);
    }
}

// TeX's first pass: the French paragraphs of the full width set within the pretolerance with
// their words whole; the Cluster Operation paragraph, in the narrower column beside the map, needs
// the second pass and two hyphens in each language. Without the first pass, four in French.
TEST(typeset_report, the_first_pass_keeps_words_whole_where_it_can) {
    EXPECT_EQ(typeset(Lang::fr, false).hyphenated, 2);
    EXPECT_EQ(typeset(Lang::fr, false, -1).hyphenated, 4);
    EXPECT_EQ(typeset(Lang::en, false).hyphenated, 2);
}

TEST(typeset_report, prints_both_breakers) {
    Environment env;
    env.layout_dir = test::source_path("layouts/factsheet");
    std::ostringstream out;
    print_typeset_report(read_operation(test::source_path("input/mali.xml")), Lang::fr, env, out);
    EXPECT_NE(out.str().find("mali (fr): justified body text\n"), std::string::npos);
    EXPECT_NE(out.str().find("\nknuth-plass "), std::string::npos);
    EXPECT_NE(out.str().find("\nfirst-fit "), std::string::npos);
}
