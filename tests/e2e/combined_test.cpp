// The combined edition (--lang en+fr): the English edition then the French one in one file, each
// with its own page numbers and bookmarks, the French part tagged as French, valid as the others.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/test_paths.hpp"

using namespace factsheet;

TEST(combined, mali_en_fr_holds_both_editions_numbered_and_bookmarked_apart) {
    std::string dir = test::make_temp_dir();
    std::string cmd = test::binary_path() + " -q build " + test::source_path("input/mali.xml") +
                      " --lang en,fr,en+fr --out " + dir;
    ASSERT_EQ(test::run(cmd).exit_code, 0);
    std::string both = dir + "/mali-en-fr.pdf";
    auto pages = [&](const std::string& pdf) {
        std::string info = test::run("pdfinfo " + pdf).out;
        std::size_t at = info.find("Pages:");
        return std::stoi(info.substr(at + 6));
    };
    int en = pages(dir + "/mali-en.pdf"), fr = pages(dir + "/mali-fr.pdf");
    EXPECT_EQ(pages(both), en + fr);
    // Both texts, extractable: the English pages first, then the French.
    std::string first = test::run("pdftotext -l " + std::to_string(en) + " " + both + " -").out;
    std::string rest = test::run("pdftotext -f " + std::to_string(en + 1) + " " + both + " -").out;
    EXPECT_NE(first.find("Protection Issues"), std::string::npos);
    EXPECT_EQ(first.find("Enjeux de protection"), std::string::npos);
    EXPECT_NE(rest.find("Enjeux de protection"), std::string::npos);
    // Page labels EN-1... FR-1..., an outline entry per language with its sections under it.
    std::string json = test::run("qpdf --json --json-key=pagelabels --json-key=outlines " + both).out;
    EXPECT_NE(json.find("\"/P\": \"u:EN-\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"/P\": \"u:FR-\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"index\": " + std::to_string(en)), std::string::npos) << json;
    EXPECT_NE(json.find("\"title\": \"English\""), std::string::npos);
    EXPECT_NE(json.find("\"title\": \"Français\""), std::string::npos);
    EXPECT_NE(json.find("\"title\": \"Enjeux de protection\""), std::string::npos);
    // The structure: a Part per language, the French one saying so.
    std::string tree = test::run("pdfinfo -struct-text " + both).out;
    EXPECT_EQ(test::count(tree, "\n  Part\n"), 2u) << tree.substr(0, 400);
    std::string qdf = test::run("qpdf --qdf --object-streams=disable " + both + " -").out;
    EXPECT_NE(qdf.find("/S /Part"), std::string::npos);
    EXPECT_NE(qdf.find("/Lang (fr)"), std::string::npos);
    EXPECT_NE(qdf.find("/Lang (en)"), std::string::npos);  // the catalog's
    // The same bytes again.
    std::string again = test::make_temp_dir();
    ASSERT_EQ(test::run(test::binary_path() + " -q build " + test::source_path("input/mali.xml") +
                        " --lang en+fr --out " + again)
                  .exit_code,
              0);
    EXPECT_TRUE(test::read_file(both) == test::read_file(again + "/mali-en-fr.pdf"));
    // PDF/A-1b: tests/pdfa/check_pdfa.sh validates every source's combined edition too.
    // en+fr is no language for the commands that lay out one edition.
    EXPECT_EQ(
        test::run(test::binary_path() + " markup " + test::source_path("input/mali.xml") + " --lang en+fr")
            .exit_code,
        2);
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(again);
}
