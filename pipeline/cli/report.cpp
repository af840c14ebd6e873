#include "cli/report.hpp"

#include <algorithm>
#include <cstdio>

namespace factsheet {

TypesetSummary summarize(const LayoutReport& report, int pages) {
    TypesetSummary s;
    s.pages = pages;
    for (const ParagraphReport& p : report.paragraphs) {
        if (!p.justified) continue;
        ++s.paragraphs;
        s.lines += p.lines;
        s.hyphenated += p.hyphenated;
        s.loose_lines += p.loose_lines;
        s.worst_stretch = std::max(s.worst_stretch, p.worst_ratio);
        s.worst_shrink = std::min(s.worst_shrink, p.tightest_ratio);
    }
    return s;
}

namespace {

TypesetSummary run(const Operation& op, Lang lang, const Environment& env, bool first_fit) {
    TypesetRules rules;
    rules.first_fit_only = first_fit;
    FactsheetBuilder builder(env, rules);
    LayoutReport report;
    std::vector<Diagnostic> warnings;
    PagedDocument doc = builder.lay_out(op, lang, warnings, &report);
    return summarize(report, static_cast<int>(doc.pages.size()));
}

}  // namespace

void print_typeset_report(const Operation& op, Lang lang, const Environment& env, std::ostream& out) {
    TypesetSummary optimal = run(op, lang, env, false), greedy = run(op, lang, env, true);
    char line[256];
    out << op.id << " (" << lang_code(lang) << "): justified body text\n";
    std::snprintf(line, sizeof line, "%-14s %6s %6s %11s %6s %14s %13s %6s\n", "breaking", "paras", "lines",
                  "hyphenated", "loose", "worst stretch", "worst shrink", "pages");
    out << line;
    for (const auto& [name, s] : {std::pair{"knuth-plass", optimal}, std::pair{"first-fit", greedy}}) {
        std::snprintf(line, sizeof line, "%-14s %6d %6d %11d %6d %14.3f %13.3f %6d\n", name, s.paragraphs,
                      s.lines, s.hyphenated, s.loose_lines, s.worst_stretch, s.worst_shrink, s.pages);
        out << line;
    }
    out << "ratios: +1 means spaces stretched by their full allowance (half a space), -1 shrunk by a third\n";
}

}  // namespace factsheet
