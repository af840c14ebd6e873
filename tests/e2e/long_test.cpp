// A source several times the Mali text: it flows over several pages with running heads, page
// numbers, and no widow, orphan, split box or anything outside the margins.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "common/test_paths.hpp"
#include "driver/factsheets.hpp"
#include "layout/fonts.hpp"
#include "source/source.hpp"

using namespace factsheet;

namespace {

FactsheetBuilder builder() {
    Environment env;
    env.layout_dir = test::source_path("layouts/factsheet");
    env.creator = "factsheet test";
    return FactsheetBuilder(env);
}

}  // namespace

TEST(long_source, paragraphs_split_with_two_lines_on_each_side) {
    Operation op = read_operation(test::source_path("tests/e2e/long.xml"));
    FactsheetBuilder b = builder();
    for (Lang lang : {Lang::en, Lang::fr}) {
        LayoutReport report;
        std::vector<Diagnostic> warnings;
        PagedDocument doc = b.lay_out(op, lang, warnings, &report);
        EXPECT_GE(doc.pages.size(), 3u);
        EXPECT_TRUE(warnings.empty());
        int split = 0;
        for (const ParagraphReport& p : report.paragraphs) {
            if (p.first_page == p.last_page) continue;
            ++split;
            EXPECT_EQ(p.last_page, p.first_page + 1) << format_pos(p.src);
            EXPECT_GE(p.lines_on_first_page, 2) << "orphan: " << format_pos(p.src);
            EXPECT_GE(p.lines_on_last_page, 2) << "widow: " << format_pos(p.src);
        }
        EXPECT_GE(split, 1) << "the long source should split at least one paragraph across pages";
    }
}

TEST(long_source, everything_stays_inside_the_margins) {
    Operation op = read_operation(test::source_path("tests/e2e/long.xml"));
    FactsheetBuilder b = builder();
    const StyleSheet& sheet = b.engine().sheet();
    const PageGeometry& g = sheet.page;
    for (Lang lang : {Lang::en, Lang::fr}) {
        std::vector<Diagnostic> warnings;
        PagedDocument doc = b.lay_out(op, lang, warnings);
        std::vector<TrueTypeFont> fonts;  // read once each: a font per text item is slow in a sanitized build
        for (const auto& f : doc.fonts) fonts.emplace_back(f.path);
        for (std::size_t p = 0; p < doc.pages.size(); ++p)
            for (const PageItem& item : doc.pages[p].items) {
                if (auto* t = std::get_if<TextItem>(&item)) {
                    const TrueTypeFont& font = fonts[static_cast<std::size_t>(t->font)];
                    double right = t->x + font.text_width(t->text, t->size);
                    EXPECT_GE(t->x, g.margin_left - 1e-6) << t->text;
                    EXPECT_LE(right, g.width - g.margin_right + 1e-6) << t->text << " on page " << p + 1;
                    EXPECT_GE(t->y, g.header_top) << t->text;
                    EXPECT_LE(t->y, g.height - g.footer_bottom) << t->text;
                } else if (auto* r = std::get_if<RectItem>(&item)) {
                    EXPECT_GE(r->rect.x, g.margin_left - 1e-6);
                    EXPECT_LE(r->rect.x + r->rect.width, g.width - g.margin_right + 1e-6);
                    EXPECT_GE(r->rect.y, g.margin_top - 1e-6) << "page " << p + 1;
                    EXPECT_LE(r->rect.y + r->rect.height, g.height - g.margin_bottom + 1e-6)
                        << "page " << p + 1;
                }
            }
    }
}

TEST(long_source, every_page_has_its_running_head_and_number) {
    std::string dir = test::make_temp_dir();
    ASSERT_EQ(
        test::run(test::binary_path() + " build " + test::source_path("tests/e2e/long.xml") + " --out " + dir)
            .exit_code,
        0);
    for (std::string lang : {"en", "fr"}) {
        std::string pdf = dir + "/long-test-" + lang + ".pdf";
        std::smatch m;
        std::string info = test::run("pdfinfo " + pdf).out;
        ASSERT_TRUE(std::regex_search(info, m, std::regex("Pages:\\s+(\\d+)")));
        int pages = std::stoi(m[1]);
        EXPECT_GE(pages, 3);
        for (int p = 1; p <= pages; ++p) {
            test::RunResult r = test::run("pdftotext -f " + std::to_string(p) + " -l " + std::to_string(p) +
                                          " " + pdf + " -");
            std::string text = std::regex_replace(r.out, std::regex("\\s+"), " ");
            std::string head = lang == "en" ? "Protection Cluster · Mali · Field Operation"
                                            : "Cluster Protection · Mali · Opération sur le terrain";
            EXPECT_NE(text.find(head), std::string::npos) << lang << " page " << p;
            EXPECT_NE(text.find("Page " + std::to_string(p) + " / " + std::to_string(pages)),
                      std::string::npos)
                << lang << " page " << p << ": " << text.substr(text.size() > 200 ? text.size() - 200 : 0);
        }
    }
    std::filesystem::remove_all(dir);
}
