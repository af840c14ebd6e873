// Drafts: the Mali source with one French paragraph removed. Without --draft the French edition
// is refused at the paragraph while the English one builds; with --draft the French edition
// shows the English paragraph, set apart and tagged as English, and every page says BROUILLON.
// issue never takes a draft.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "common/test_paths.hpp"

namespace fs = std::filesystem;
using namespace factsheet;

namespace {

// The first paragraph of Mali's context, in English: what stands in for the French one.
const std::string english_paragraph = "The crisis that Mali has been experiencing since 2012";

// The layout's colour "draft-fallback" (#C2410C) as the page content sets it.
const std::string fallback_rg = "0.76078 0.2549 0.04706 rg";

std::string fold_spaces(const std::string& text) {
    std::string s = std::regex_replace(text, std::regex("\xC2\xA0|\xE2\x80\xAF"), " ");
    return std::regex_replace(s, std::regex("[ \t\r\n\f]+"), " ");
}

// input/mali.xml without the <fr> of the first paragraph of <intro>; `where` receives the
// position of that paragraph, LINE:COL.
std::string mali_without_french_paragraph(std::string& where) {
    std::string xml = test::read_file(test::source_path("input/mali.xml"));
    std::size_t intro = xml.find("<intro>");
    std::size_t p = xml.find("<p>", intro);
    std::size_t fr = xml.find("<fr>", p);
    std::size_t end = xml.find("</fr>", fr) + 5;
    if (intro == std::string::npos || p == std::string::npos || fr == std::string::npos)
        throw std::runtime_error("input/mali.xml has no French intro paragraph");
    std::size_t line_start = xml.rfind('\n', p) + 1;
    where = std::to_string(std::count(xml.begin(), xml.begin() + static_cast<std::ptrdiff_t>(p), '\n') + 1) +
            ":" + std::to_string(p - line_start + 1);
    return xml.erase(fr, end - fr);
}

// The status of each factsheet in the JSON of `batch --json`: "en built, fr skipped".
std::string statuses(const std::string& batch_json) {
    std::string out;
    nlohmann::json doc = nlohmann::json::parse(batch_json);
    for (const nlohmann::json& source : doc["sources"])
        for (const nlohmann::json& o : source["outputs"])
            out += (out.empty() ? "" : ", ") + o["lang"].get<std::string>() + " " +
                   o["status"].get<std::string>();
    return out;
}

// A temporary folder holding mali.xml (the source above); the program runs there, so that
// messages name the file as "mali.xml".
class Drafts : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new std::string(test::make_temp_dir());
        where_ = new std::string();
        test::write_file(*dir_ + "/mali.xml", mali_without_french_paragraph(*where_));
    }
    static void TearDownTestSuite() {
        fs::remove_all(*dir_);
        delete dir_;
        delete where_;
    }
    void TearDown() override {
        for (const char* sub : {"out", "archive", "in", "layout"}) fs::remove_all(*dir_ + "/" + sub);
    }

    static test::RunResult factsheet(const std::string& args) {
        return test::run("cd '" + *dir_ + "' && '" + test::binary_path() + "' " + args);
    }
    static std::string path(const std::string& name) { return *dir_ + "/" + name; }
    static std::string missing_french() {
        return "mali.xml:" + *where_ + ": error: paragraph 1 of <intro> has no French text (<fr>)\n";
    }
    static int pages(const std::string& pdf) {
        std::smatch m;
        std::string info = test::run("pdfinfo " + pdf).out;
        return std::regex_search(info, m, std::regex("Pages: +([0-9]+)")) ? std::stoi(m[1]) : 0;
    }
    static std::string page_text(const std::string& pdf, int page) {
        std::string n = std::to_string(page);
        return test::run("pdftotext -enc UTF-8 -f " + n + " -l " + n + " " + pdf + " -").out;
    }

    static std::string* dir_;
    static std::string* where_;
};
std::string* Drafts::dir_ = nullptr;
std::string* Drafts::where_ = nullptr;

}  // namespace

TEST_F(Drafts, the_french_edition_is_refused_at_the_paragraph_without_french) {
    test::RunResult r = factsheet("build mali.xml --lang fr --out out");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, missing_french());
    EXPECT_FALSE(fs::exists(path("out/mali-fr.pdf")));
    // Both editions: the source fails whole, and nothing of it is written.
    r = factsheet("build mali.xml --out out");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, missing_french());
    EXPECT_FALSE(fs::exists(path("out/mali-en.pdf")));
}

TEST_F(Drafts, the_english_edition_builds_while_the_french_is_pending) {
    test::RunResult r = factsheet("build mali.xml --lang en --strict --out out");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, "out/mali-en.pdf\n");
    std::string text = test::run("pdftotext -enc UTF-8 " + path("out/mali-en.pdf") + " -").out;
    EXPECT_NE(text.find(english_paragraph), std::string::npos);
    EXPECT_EQ(text.find("DRAFT"), std::string::npos) << "a complete edition is no draft";
    std::string qdf = test::run("qpdf --qdf --object-streams=disable " + path("out/mali-en.pdf") + " -").out;
    EXPECT_EQ(test::count(qdf, fallback_rg), 0u);
}

TEST_F(Drafts, a_french_draft_shows_the_english_paragraph_set_apart_and_says_so_on_every_page) {
    test::RunResult r = factsheet("build mali.xml --lang fr --draft --strict --out out");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, "out/mali-fr.pdf\n");
    std::string pdf = path("out/mali-fr.pdf");
    int n = pages(pdf);
    ASSERT_GE(n, 2);
    for (int page = 1; page <= n; ++page)
        EXPECT_NE(page_text(pdf, page).find("BROUILLON"), std::string::npos) << "page " << page;
    std::string text = fold_spaces(test::run("pdftotext -enc UTF-8 " + pdf + " -").out);
    EXPECT_NE(text.find(english_paragraph), std::string::npos);
    EXPECT_NE(text.find("Contexte"), std::string::npos) << "the rest stays French";
    EXPECT_NE(test::run("pdfinfo " + pdf).out.find("Title:           Mali — Cluster Protection (BROUILLON)"),
              std::string::npos);

    // The English paragraph is a Span of the structure whose /Lang says English, in a French
    // document; English typography (no French spacing) is the view's, tested there.
    std::string qdf = test::run("qpdf --qdf --object-streams=disable " + pdf + " -").out;
    EXPECT_NE(qdf.find("/Lang (fr)"), std::string::npos);
    std::size_t lang = qdf.find("/Lang (en)");
    ASSERT_NE(lang, std::string::npos) << "no element in English";
    std::size_t begin = qdf.rfind(" obj", lang), end = qdf.find("endobj", lang);
    std::string element = qdf.substr(begin, end - begin);
    EXPECT_NE(element.find("/S /Span"), std::string::npos) << element;
    EXPECT_NE(element.find("/Type /StructElem"), std::string::npos) << element;
    std::string tree = test::run("pdfinfo -struct-text " + pdf).out;
    EXPECT_NE(tree.find("Span (inline)\n      \"" + english_paragraph), std::string::npos) << tree;
    // Drawn in the fallback colour: the mark on each page, and the paragraph.
    EXPECT_GE(test::count(qdf, fallback_rg), static_cast<std::size_t>(n) + 1);

    EXPECT_EQ(test::run("qpdf --check " + pdf).exit_code, 0);
    EXPECT_NE(test::run("pdfinfo " + pdf).out.find("Tagged:          yes"), std::string::npos);
}

// --draft makes a draft of whatever it builds: an English edition that lacks nothing still says
// DRAFT, as asked, and nothing stands in.
TEST_F(Drafts, every_edition_built_with_draft_is_marked) {
    test::RunResult r = factsheet("build mali.xml --lang en --draft --out out");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string pdf = path("out/mali-en.pdf");
    for (int page = 1; page <= pages(pdf); ++page)
        EXPECT_NE(page_text(pdf, page).find("DRAFT"), std::string::npos) << "page " << page;
    std::string qdf = test::run("qpdf --qdf --object-streams=disable " + pdf + " -").out;
    EXPECT_EQ(qdf.find("/Lang (fr)"), std::string::npos) << "no French stands in";
}

TEST_F(Drafts, markup_shows_the_stand_in_as_a_span_of_its_language) {
    test::RunResult r = factsheet("markup mali.xml --lang fr --draft");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("<p style=\"body\" src=\"mali.xml:" + *where_ +
                         "\"><span lang=\"en\" colour=\"draft-fallback\">" + english_paragraph),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("<span style=\"draft-mark\">BROUILLON</span>"), std::string::npos);
    r = factsheet("markup mali.xml --lang fr");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, missing_french());
}

TEST_F(Drafts, validate_checks_the_editions_asked_for) {
    test::RunResult r = factsheet("validate mali.xml");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, missing_french());
    r = factsheet("validate mali.xml --lang en");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "mali.xml: valid\n");
    r = factsheet("validate mali.xml --draft");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(path("output")));
}

// A draft stands one language in for the other: a text in neither stops it too.
TEST_F(Drafts, a_text_in_neither_language_stops_a_draft) {
    std::string xml = test::read_file(path("mali.xml"));
    std::size_t en = xml.find("<en>" + english_paragraph);
    xml.erase(en, xml.find("</en>", en) + 5 - en);
    fs::create_directories(path("in"));
    test::write_file(path("in/neither.xml"), xml);
    test::RunResult r = factsheet("build in/neither.xml --draft --out out");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "in/neither.xml:" + *where_ +
                         ": error: paragraph 1 of <intro> has no English text (<en>)\n"
                         "in/neither.xml:" +
                         *where_ + ": error: paragraph 1 of <intro> has no French text (<fr>)\n");
}

TEST_F(Drafts, a_layout_without_the_fallback_colour_cannot_make_one) {
    fs::copy(test::source_path("layouts/factsheet"), path("layout"), fs::copy_options::recursive);
    std::string styles = test::read_file(path("layout/styles.xml"));
    styles = std::regex_replace(styles, std::regex("colour=\"draft-fallback\""), "colour=\"orange\"");
    styles = std::regex_replace(styles, std::regex("<colour name=\"draft-fallback\"[^>]*>"), "");
    test::write_file(path("layout/styles.xml"), styles);
    test::RunResult r = factsheet("build mali.xml --lang fr --draft --layout layout --out out");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "layout/styles.xml: error: a draft sets the texts its language lacks in the colour "
              "\"draft-fallback\": define it in the styles file (<colour name=\"draft-fallback\" "
              "value=\"#RRGGBB\"/>)\n");
    // What lacks nothing needs no stand-in colour.
    r = factsheet("build mali.xml --lang en --draft --layout layout --out out");
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(Drafts, issue_refuses_drafts_and_editions_with_missing_texts) {
    test::RunResult r = factsheet("issue mali.xml --draft --archive archive --date 2024-03-01");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "--draft: error: a draft cannot be issued: the archive keeps complete editions only; print a "
              "draft with factsheet build --draft\n");
    EXPECT_FALSE(fs::exists(path("archive")));
    r = factsheet("issue mali.xml --lang fr --archive archive --date 2024-03-01");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, missing_french());
    // The English edition is complete: it may be issued while the French is pending.
    r = factsheet("issue mali.xml --lang en --archive archive --date 2024-03-01");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("mali-en"), std::string::npos) << r.out;
}

// batch builds each edition on its own: the French one fails at the paragraph, the English one is
// built; with --draft both are, and a draft is never taken as up to date for a batch without.
TEST_F(Drafts, batch_fails_only_the_edition_that_lacks_a_text) {
    fs::create_directories(path("in"));
    fs::copy_file(path("mali.xml"), path("in/mali.xml"));
    test::RunResult r = factsheet("batch in --out out -j 1");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(
        r.err.find("in/mali.xml:" + *where_ + ": error: paragraph 1 of <intro> has no French text (<fr>)"),
        std::string::npos)
        << r.err;
    EXPECT_TRUE(fs::exists(path("out/mali-en.pdf")));
    EXPECT_FALSE(fs::exists(path("out/mali-fr.pdf")));

    r = factsheet("batch in --out out -j 1 --draft --json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(statuses(r.out), "en built, fr built") << r.out;
    EXPECT_NE(page_text(path("out/mali-fr.pdf"), 1).find("BROUILLON"), std::string::npos);
    r = factsheet("batch in --out out -j 1 --draft --json");
    EXPECT_EQ(statuses(r.out), "en skipped, fr skipped") << r.out;
    r = factsheet("batch in --out out -j 1 --lang en --json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(statuses(r.out), "en built") << "the draft is rebuilt: " << r.out;
    EXPECT_EQ(page_text(path("out/mali-en.pdf"), 1).find("DRAFT"), std::string::npos);
}
