// The typesetting report: what the line breaker did with an edition, against first-fit breaking.
#pragma once

#include <ostream>
#include <string>

#include "driver/factsheets.hpp"

namespace factsheet {

/// Totals over the justified body paragraphs of one edition.
struct TypesetSummary {
    int paragraphs = 0;
    int lines = 0;
    int hyphenated = 0;
    int loose_lines = 0;       // stretched beyond ratio 1 (spaces at more than 1.5 times their width)
    double worst_stretch = 0;  // largest ratio of a justified line other than a paragraph's last
    double worst_shrink = 0;   // most negative ratio
    int pages = 0;
};

/// Summarizes a layout report (justified paragraphs only).
TypesetSummary summarize(const LayoutReport& report, int pages);

/// Lays out the edition with Knuth–Plass and with first-fit and prints both summaries.
void print_typeset_report(const Operation& op, Lang lang, const Environment& env, std::ostream& out);

}  // namespace factsheet
