// End to end: the built program on input/mali.xml, checked by reading the real PDFs back.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "common/test_paths.hpp"
#include "locale/locale.hpp"
#include "source/source.hpp"

using namespace factsheet;
namespace fs = std::filesystem;

namespace {

// pdftotext gives every Unicode space (U+00A0, U+202F) back as U+0020 and may end lines anywhere:
// compare texts with all whitespace runs folded to one space.
std::string fold_spaces(const std::string& text) {
    std::string s = std::regex_replace(text, std::regex("\xC2\xA0|\xE2\x80\xAF"), " ");
    return std::regex_replace(s, std::regex("[ \t\r\n\f]+"), " ");
}

class MaliBuild : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        out_ = new std::string(test::make_temp_dir());
        result_ = new test::RunResult(test::run(test::binary_path() + " build " +
                                                test::source_path("input/mali.xml") + " --out " + *out_));
    }
    static void TearDownTestSuite() {
        fs::remove_all(*out_);
        delete out_;
        delete result_;
    }
    static std::string pdf(const std::string& lang) { return *out_ + "/mali-" + lang + ".pdf"; }
    static std::string text(const std::string& lang) {
        test::RunResult r = test::run("pdftotext -enc UTF-8 " + pdf(lang) + " -");
        EXPECT_EQ(r.exit_code, 0);
        EXPECT_EQ(r.err, "") << "pdftotext must not warn";
        return r.out;
    }
    static std::string* out_;
    static test::RunResult* result_;
};
std::string* MaliBuild::out_ = nullptr;
test::RunResult* MaliBuild::result_ = nullptr;

}  // namespace

TEST_F(MaliBuild, prints_the_path_of_each_pdf_and_exits_0) {
    EXPECT_EQ(result_->exit_code, 0) << result_->err;
    EXPECT_EQ(result_->out, pdf("en") + "\n" + pdf("fr") + "\n");
    EXPECT_EQ(result_->err, "") << "no warnings on the Mali source";
}

TEST_F(MaliBuild, pages_are_a4_and_metadata_is_set) {
    for (std::string lang : {"en", "fr"}) {
        test::RunResult info = test::run("pdfinfo " + pdf(lang));
        ASSERT_EQ(info.exit_code, 0);
        EXPECT_NE(info.out.find("Page size:       595.276 x 841.89 pts (A4)"), std::string::npos);
        EXPECT_NE(info.out.find("Pages:           2\n"), std::string::npos) << info.out;
        EXPECT_NE(info.out.find("Creator:         factsheet"), std::string::npos);
        EXPECT_NE(info.out.find("CreationDate:    Sat Sep 30 00:00:00 2023 UTC"), std::string::npos);
    }
    EXPECT_NE(test::run("pdfinfo " + pdf("en")).out.find("Title:           Mali — Protection Cluster"),
              std::string::npos);
    EXPECT_NE(test::run("pdfinfo " + pdf("fr")).out.find("Title:           Mali — Cluster Protection"),
              std::string::npos);
    EXPECT_NE(test::run("pdfinfo " + pdf("fr"))
                  .out.find("Subject:         Fiche d’information du Cluster Protection"),
              std::string::npos);
}

TEST_F(MaliBuild, every_paragraph_is_in_the_text_in_its_language) {
    Operation op = read_operation(test::source_path("input/mali.xml"));
    for (Lang lang : {Lang::en, Lang::fr}) {
        std::string extracted = fold_spaces(text(lang_code(lang)));
        std::vector<const Text*> paragraphs;
        for (const Text& t : op.intro) paragraphs.push_back(&t);
        for (const Text& t : op.protection_issues) paragraphs.push_back(&t);
        for (const Text& t : op.cluster_operation) paragraphs.push_back(&t);
        ASSERT_EQ(paragraphs.size(), 5u);
        for (const Text* t : paragraphs) {
            std::string expected = fold_spaces(apply_typography(t->in(lang), lang));
            EXPECT_NE(extracted.find(expected), std::string::npos) << lang_code(lang) << ": " << expected;
            std::string other = fold_spaces(apply_typography(t->in(lang == Lang::en ? Lang::fr : Lang::en),
                                                             lang == Lang::en ? Lang::fr : Lang::en));
            EXPECT_EQ(extracted.find(other.substr(0, 60)), std::string::npos) << "other language leaked in";
        }
    }
}

TEST_F(MaliBuild, headings_dates_and_figures_are_localized) {
    std::string en = fold_spaces(text("en")), fr = fold_spaces(text("fr"));
    for (std::string s : {"Field Operation", "30 September 2023", "3.90M", "3.20M", "US$102.32M", "US$26.24M",
                          "People in Need", "2023", "25.6%", "Latest Publications", "No publications yet.",
                          "Coordination Team", "Page 1 / 2", "Page 2 / 2", "Ségou", "Ménaka"})
        EXPECT_NE(en.find(s), std::string::npos) << "EN lacks " << s;
    for (std::string s : {"Opération sur le terrain", "30 septembre 2023", "3,90 M", "3,20 M", "102,32 M US$",
                          "26,24 M US$", "Personnes dans le besoin", "2023", "25,6 %",
                          "Dernières publications", "Aucune publication pour le moment.",
                          "Équipe de coordination", "Page 1 / 2", "Ségou", "Ménaka", "d’urgence"})
        EXPECT_NE(fr.find(s), std::string::npos) << "FR lacks " << s;
}

TEST_F(MaliBuild, french_no_break_spaces_are_in_the_drawn_text) {
    // Extractors fold U+202F to a space, so read the page content itself: qpdf's QDF form leaves
    // the content streams uncompressed, and text is written as Unicode code points.
    std::string qdf = *out_ + "/fr.qdf";
    ASSERT_EQ(test::run("qpdf --qdf --object-streams=disable " + pdf("fr") + " " + qdf).exit_code, 0);
    std::string content = test::read_file(qdf);
    EXPECT_NE(content.find("202f003b"), std::string::npos) << "no narrow no-break space before ';'";
    EXPECT_NE(content.find("00a00025"), std::string::npos) << "no no-break space before '%'";
    ASSERT_EQ(test::run("qpdf --qdf --object-streams=disable " + pdf("en") + " " + qdf).exit_code, 0);
    EXPECT_EQ(test::read_file(qdf).find("202f"), std::string::npos) << "English has no French spacing";
}

TEST_F(MaliBuild, emails_are_mailto_link_annotations) {
    std::string qdf = *out_ + "/links.qdf";
    for (std::string lang : {"en", "fr"}) {
        ASSERT_EQ(test::run("qpdf --qdf --object-streams=disable " + pdf(lang) + " " + qdf).exit_code, 0);
        std::string content = test::read_file(qdf);
        for (std::string email : {"ouattaal@unhcr.org", "azetocarine.ouedraogo@drc.ngo", "koti@unhcr.org"})
            EXPECT_NE(content.find("/URI (mailto:" + email + ")"), std::string::npos) << lang << " " << email;
    }
}

TEST_F(MaliBuild, fonts_are_embedded_subsets_and_structure_checks) {
    for (std::string lang : {"en", "fr"}) {
        test::RunResult fonts = test::run("pdffonts " + pdf(lang));
        ASSERT_EQ(fonts.exit_code, 0);
        std::regex row(R"((\S+)\s+CID TrueType\s+Identity-H\s+yes yes yes)");
        auto n = std::distance(std::sregex_iterator(fonts.out.begin(), fonts.out.end(), row),
                               std::sregex_iterator());
        EXPECT_GE(n, 2) << fonts.out;
        EXPECT_EQ(std::count(fonts.out.begin(), fonts.out.end(), '\n'), n + 2) << "every font embedded:\n"
                                                                               << fonts.out;
        test::RunResult check = test::run("qpdf --check " + pdf(lang));
        EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
        EXPECT_NE(check.out.find("No syntax or stream encoding errors found"), std::string::npos);
    }
}

TEST_F(MaliBuild, a_second_run_gives_the_same_bytes) {
    std::string again = test::make_temp_dir();
    test::RunResult r =
        test::run(test::binary_path() + " build " + test::source_path("input/mali.xml") + " --out " + again);
    ASSERT_EQ(r.exit_code, 0);
    for (std::string lang : {"en", "fr"})
        EXPECT_TRUE(test::read_file(pdf(lang)) == test::read_file(again + "/mali-" + lang + ".pdf")) << lang;
    fs::remove_all(again);
}

TEST(e2e, a_broken_source_fails_with_its_position_and_writes_nothing) {
    std::string dir = test::make_temp_dir();
    std::string source = test::read_file(test::source_path("input/mali.xml"));
    std::string broken = std::regex_replace(source, std::regex("value=\"3900000\""), "value=\"3.9M\"");
    ASSERT_NE(broken, source);
    test::write_file(dir + "/mali.xml", broken);
    fs::create_directories(dir + "/out");
    test::RunResult r = test::run(test::binary_path() + " build " + dir + "/mali.xml --out " + dir + "/out");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(std::regex_search(r.err, std::regex("^" + dir + "/mali.xml:[0-9]+:[0-9]+: error: .*3\\.9M")))
        << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(fs::is_empty(dir + "/out"));
    fs::remove_all(dir);
}

TEST(e2e, malformed_xml_names_line_and_column) {
    std::string dir = test::make_temp_dir();
    std::string source = test::read_file(test::source_path("input/mali.xml"));
    test::write_file(dir + "/mali.xml", source.substr(0, source.size() / 2));
    test::RunResult r = test::run(test::binary_path() + " validate " + dir + "/mali.xml");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(std::regex_search(r.err, std::regex("^" + dir + "/mali.xml:[0-9]+:[0-9]+: error: ")))
        << r.err;
    fs::remove_all(dir);
}

TEST(e2e, usage_errors_exit_2) {
    EXPECT_EQ(test::run(test::binary_path() + " build").exit_code, 2);
    EXPECT_EQ(test::run(test::binary_path() + " frobnicate").exit_code, 2);
    EXPECT_EQ(test::run(test::binary_path() + " build " + test::source_path("input/mali.xml") +
                        " --lang de --out /tmp")
                  .exit_code,
              2);
}

// The outline lists the section headings in the edition's language, in reading order, each
// opening its page; the viewer shows it when the file opens.
TEST_F(MaliBuild, bookmarks_list_the_sections) {
    for (auto [lang, titles] :
         {std::pair<std::string, std::vector<std::string>>{
              "en",
              {"Context", "Key Figures", "Protection Issues", "Cluster Operation", "Coordination Team",
               "Latest Publications"}},
          {"fr",
           {"Contexte", "Chiffres clés", "Enjeux de protection", "Fonctionnement du cluster",
            "Équipe de coordination", "Dernières publications"}}}) {
        std::string json = test::run("qpdf --json --json-key=outlines " + pdf(lang)).out;
        std::size_t at = 0;
        for (const std::string& title : titles) {
            std::size_t found = json.find("\"title\": \"" + title + "\"", at);
            ASSERT_NE(found, std::string::npos) << lang << ": " << title << " missing or out of order";
            at = found;
        }
        EXPECT_EQ(test::count(json, "\"title\":"), titles.size()) << lang;
        EXPECT_EQ(test::count(json, "\"/FitH\""), titles.size()) << lang;
        EXPECT_NE(test::run("qpdf --qdf --object-streams=disable " + pdf(lang) + " -")
                      .out.find("/PageMode /UseOutlines"),
                  std::string::npos)
            << lang;
    }
}

// Tagged PDF: the structure tree reads the factsheet in order, the running header and footer are
// left out (artifacts), each key figure is one list item, the funding bar a Figure with its
// description; every link annotation says what it does and belongs to a Link element.
TEST_F(MaliBuild, the_structure_tree_reads_in_order_without_header_and_footer) {
    for (std::string lang : {"en", "fr"}) {
        EXPECT_NE(test::run("pdfinfo " + pdf(lang)).out.find("Tagged:          yes"), std::string::npos)
            << lang;
        std::string tree = test::run("pdfinfo -struct-text " + pdf(lang)).out;
        std::vector<std::string> in_order =
            lang == "en" ? std::vector<std::string>{"H1 (block)\n    \"Mali\"",
                                                    "H2 (block)\n    \"Context\"",
                                                    "\"3.90M\"",
                                                    "\"People in Need\"",
                                                    "\"2023\"",
                                                    "\"3.20M\"",
                                                    "Figure",
                                                    "H2 (block)\n    \"Protection Issues\"",
                                                    "H2 (block)\n    \"Coordination Team\"",
                                                    "\"Alimata Ouattara\"",
                                                    "Link (inline)",
                                                    "H2 (block)\n    \"Latest Publications\""}
                         : std::vector<std::string>{"H1 (block)\n    \"Mali\"",
                                                    "H2 (block)\n    \"Contexte\"",
                                                    "\"3,90\u00A0M\"",
                                                    "\"Personnes dans le besoin\"",
                                                    "Figure",
                                                    "H2 (block)\n    \"Équipe de coordination\""};
        std::size_t at = 0;
        for (const std::string& s : in_order) {
            std::size_t found = tree.find(s, at);
            ASSERT_NE(found, std::string::npos) << lang << ": " << s << " missing or out of order in\n"
                                                << tree;
            at = found;
        }
        // A key figure is one list item: its value, label and year in one LBody.
        EXPECT_NE(tree.find("LI (block)\n      LBody (block)\n        P (block)\n          \"" +
                            std::string(lang == "en" ? "3.90M" : "3,90\u00A0M") + "\""),
                  std::string::npos)
            << lang;
        // The running header and footer are artifacts: not in the tree.
        EXPECT_EQ(tree.find("Page 1 / 2"), std::string::npos) << lang;
        EXPECT_EQ(tree.find(lang == "en" ? "Source: Global" : "Source\u00A0: Global"), std::string::npos)
            << lang;

        std::string qdf = test::run("qpdf --qdf --object-streams=disable " + pdf(lang) + " -").out;
        EXPECT_EQ(test::count(qdf, "/Subtype /Link"), test::count(qdf, "/StructParent "));
        EXPECT_EQ(test::count(qdf, "/Subtype /Link"), 4u) << lang;  // three e-mails, the web page
        EXPECT_EQ(test::count(qdf, "/Type /Annot"), test::count(qdf, "  /Contents <feff")) << lang;
        EXPECT_EQ(test::count(qdf, "/Tabs /S"), 2u) << lang;
        EXPECT_EQ(test::count(qdf, "/StructParents "), 2u) << lang;
        EXPECT_NE(qdf.find("/MarkInfo <<\n    /Marked true"), std::string::npos) << lang;
        EXPECT_NE(qdf.find("/DisplayDocTitle true"), std::string::npos) << lang;
        EXPECT_EQ(test::count(qdf, "/S /Figure"), test::count(qdf, "/Alt <feff")) << lang;
        // Every text object is inside a marked-content sequence: tagged content or an artifact.
        int depth = 0, outside = 0, text_objects = 0;
        std::size_t pos = 0;
        while (pos < qdf.size()) {
            std::size_t end = qdf.find('\n', pos);
            if (end == std::string::npos) end = qdf.size();
            std::string line = qdf.substr(pos, end - pos);
            pos = end + 1;
            if (line.size() >= 3 && (line.compare(line.size() - 3, 3, "BDC") == 0 ||
                                     line.compare(line.size() - 3, 3, "BMC") == 0))
                ++depth;
            else if (line == "EMC")
                --depth;
            else if (line == "BT") {
                ++text_objects;
                if (depth == 0) ++outside;
            }
        }
        EXPECT_GT(text_objects, 20) << lang;
        EXPECT_EQ(outside, 0) << lang << ": text objects outside marked content";
        EXPECT_EQ(depth, 0) << lang;
    }
}
