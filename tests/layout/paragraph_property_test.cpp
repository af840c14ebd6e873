// Properties of set paragraphs over many generated ones: every line fits its measure, justified
// lines other than the last fill it, and no line starts with French closing punctuation.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "layout/fixed_font.hpp"
#include "layout/layout.hpp"
#include "locale/locale.hpp"
#include "templates/templates.hpp"

using namespace factsheet;

namespace {

std::string random_paragraph(std::mt19937& rng) {
    static const char* words[] = {"les",       "civils",  "protection",   "déplacements", "humanitaire",
                                  "Ménaka",    "et/ou",   "co-coordonné", "MINUSMA",      "2023",
                                  "a",         "risques", "violences",    "l'armée",      "interventions",
                                  "Tombouctou"};
    static const char* after[] = {"", "", "", "", ",", " ;", " :", " !", " ?", "."};
    std::uniform_int_distribution<int> count(3, 80), word(0, 15), punct(0, 9), quote(0, 30);
    std::string text;
    int n = count(rng);
    for (int i = 0; i < n; ++i) {
        if (i) text += ' ';
        bool quoted = quote(rng) == 0;
        if (quoted) text += "« ";
        text += words[word(rng)];
        if (quoted) text += " »";
        text += after[punct(rng)];
    }
    return text;
}

bool starts_with_closing_punctuation(const std::string& text) {
    for (const char* p : {";", ":", "!", "?", "\xC2\xBB", "\xE2\x80\xAF", "\xC2\xA0"})
        if (text.rfind(p, 0) == 0) return true;
    return false;
}

}  // namespace

TEST(paragraph_property, lines_fit_fill_and_never_start_with_closing_punctuation) {
    StyleSheet sheet;
    sheet.file = "styles.xml";
    sheet.fonts.push_back(std::make_shared<test::FixedFont>());
    Style body;
    body.name = "body";
    body.size = 10;
    body.leading = 12;
    body.align = Align::justify;
    body.hyphenate = true;
    sheet.styles["body"] = body;
    std::mt19937 rng(20231130);
    std::uniform_int_distribution<int> width(120, 400);
    int lines_checked = 0, justified_checked = 0;
    for (int round = 0; round < 300; ++round) {
        double measure = width(rng);
        sheet.page = PageGeometry{measure + 40, 2000, 20, 20, 20, 20, 5, 5};
        LayoutEngine engine(sheet);
        std::string text = apply_typography(random_paragraph(rng), Lang::fr);
        std::string markup =
            "<document lang=\"fr\"><body><p style=\"body\">" + escape_xml(text) + "</p></body></document>";
        std::vector<Diagnostic> warnings;
        PagedDocument doc = engine.lay_out(markup, "m.xml", warnings);
        std::map<double, std::vector<TextItem>> lines;
        for (const Page& page : doc.pages)
            for (const PageItem& item : page.items)
                if (auto* t = std::get_if<TextItem>(&item))
                    lines[t->y + 10000.0 * double(&page - doc.pages.data())].push_back(*t);
        std::size_t n = 0;
        for (auto& [y, items] : lines) {
            ++n;
            ++lines_checked;
            const TextItem& first = items.front();
            const TextItem& last = items.back();
            double right = last.x + test::FixedFont().text_width(last.text, last.size);
            EXPECT_GE(first.x, 20 - 1e-6);
            EXPECT_LE(right, 20 + measure + 1e-6) << "round " << round << ": " << text;
            EXPECT_FALSE(starts_with_closing_punctuation(first.text))
                << "round " << round << ": " << first.text;
            bool overfull_word = items.size() == 1;
            if (n < lines.size() && !overfull_word) {
                ++justified_checked;
                EXPECT_NEAR(right, 20 + measure, 1e-6) << "round " << round << " line " << n << ": " << text;
            }
        }
    }
    EXPECT_GT(lines_checked, 1000);
    EXPECT_GT(justified_checked, 500);
}
