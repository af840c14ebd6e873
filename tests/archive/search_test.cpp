// The archive's search index, through the real program: Mali issued twice (a key figure changed),
// a PDF made elsewhere and a PDF without text added; archive search and archive figures read
// back; reindex, verify, an older catalog, hostile queries, and the page's search box in headless
// Chromium.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "archive/archive_fixture.hpp"
#include "archive/search.hpp"
#include "archive/search_index.hpp"
#include "common/test_paths.hpp"

namespace factsheet {
namespace {

namespace fs = std::filesystem;

// Runs SQL on a catalog and returns each value of each row on its own line.
std::string sql(const std::string& catalog, const std::string& statement) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(catalog.c_str(), &db), SQLITE_OK);
    std::string out;
    auto collect = [](void* text, int n, char** values, char**) {
        for (int i = 0; i < n; ++i)
            *static_cast<std::string*>(text) += std::string(values[i] ? values[i] : "") + "\n";
        return 0;
    };
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), collect, &out, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
}

// A one-page PDF that draws a grey square and holds no text, as a scanner makes them.
std::string pdf_without_text() {
    std::string content = "0.5 g 100 100 200 200 re f\n";
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream"};
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t offset : offsets) {
        std::string number = std::to_string(offset);
        pdf += std::string(10 - number.size(), '0') + number + " 00000 n \n";
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

class SearchTest : public ArchiveTest {
protected:
    // Mali issued on the 29th, then again on the 1st with its People in Need changed; Niger's
    // French factsheet added to Mali's publications as a PDF made elsewhere (on the 2nd).
    void issue_mali_twice_and_add_a_pdf() {
        ASSERT_EQ(issue(source("mali"), "2026-11-29").exit_code, 0);
        std::string changed = mali_;
        std::string from = "value=\"3900000\"";
        changed.replace(changed.find(from), from.size(), "value=\"4100000\"");
        std::string path = dir_ + "/mali-changed.xml";
        test::write_file(path, changed);
        test::RunResult r = issue(path, "2026-12-01");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        r = factsheet("build " + test::source_path("input/niger.xml") + " --lang fr --out " + dir_);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        r = factsheet("archive add " + dir_ + "/niger-fr.pdf --archive " + archive_ +
                      " --operation mali --lang fr --title \"Niger update\" --date 2026-12-02");
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }

    test::RunResult search(const std::string& args) {
        return factsheet("archive search " + args + " --archive " + archive_);
    }

    // The files a search finds (--json), each once.
    std::set<std::string> found(const std::string& args) {
        test::RunResult r = search(args + " --json");
        EXPECT_LE(r.exit_code, 1) << r.err;
        std::set<std::string> paths;
        for (const auto& hit : nlohmann::json::parse(r.out)) paths.insert(hit["path"].get<std::string>());
        return paths;
    }

    const std::string en1 = "mali/mali-en-e1-2026-11-29.pdf", fr1 = "mali/mali-fr-e1-2026-11-29.pdf";
    const std::string en2 = "mali/mali-en-e2-2026-12-01.pdf", fr2 = "mali/mali-fr-e2-2026-12-01.pdf";
    const std::string added = "mali/mali-external-fr-e1-2026-12-02.pdf";
};

TEST_F(SearchTest, words_phrases_and_prefixes_find_the_editions_that_hold_them) {
    issue_mali_twice_and_add_a_pdf();
    // Without its accent, in both languages, and nothing else (the Niger factsheet does not name it).
    EXPECT_EQ(found("menaka"), (std::set<std::string>{en1, fr1, en2, fr2}));
    EXPECT_EQ(found("MÉNAKA"), (std::set<std::string>{en1, fr1, en2, fr2}));
    // A phrase (in the French editions and the added French PDF); its words in another order are
    // not it; a prefix; the added PDF's own words.
    EXPECT_EQ(found("'\"groupes armés\"'"), (std::set<std::string>{fr1, fr2, added}));
    EXPECT_EQ(found("'\"armés groupes\"'"), (std::set<std::string>{}));
    EXPECT_EQ(found("'ouatt*'"), (std::set<std::string>{en1, fr1, en2, fr2}));
    EXPECT_EQ(found("niamey"), (std::set<std::string>{added}));
    EXPECT_EQ(found("'menaka NOT kidal'"), (std::set<std::string>{}));
    EXPECT_EQ(found("'menaka OR niamey'"), (std::set<std::string>{en1, fr1, en2, fr2, added}));
    // French elisions: "l’armée" (typographic apostrophe in the text) holds "armée"; a query
    // may write the apostrophe either way.
    EXPECT_EQ(found("armee --lang fr"), (std::set<std::string>{fr1, fr2}));
    EXPECT_EQ(found("\"l'armée\""), (std::set<std::string>{fr1, fr2}));
    EXPECT_EQ(found("'l’armée'"), (std::set<std::string>{fr1, fr2}));
    // Filters.
    EXPECT_EQ(found("menaka --lang en"), (std::set<std::string>{en1, en2}));
    EXPECT_EQ(found("menaka --since 2026-12-01"), (std::set<std::string>{en2, fr2}));
    EXPECT_EQ(found("menaka --operation niger"), (std::set<std::string>{}));

    // Each hit names its edition, section and date, marks the match and says what was superseded.
    test::RunResult r = search("menaka --lang en --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json hits = nlohmann::json::parse(r.out);
    ASSERT_EQ(hits.size(), 2u) << r.out;
    for (const auto& hit : hits) {
        EXPECT_EQ(hit["section"], "Context");
        EXPECT_EQ(hit["page"], 1);
        EXPECT_NE(hit["snippet"].get<std::string>().find("[Ménaka]"), std::string::npos) << hit;
        EXPECT_EQ(hit["superseded"], hit["edition"] == 1) << hit;
    }
    r = search("menaka --lang fr");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(
        r.out.find("2026-11-29  mali  fr  factsheet  e1 (superseded)  Contexte (page 1)  " + fr1 + "\n"),
        std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Kidal, [Ménaka] et Tombouctou"), std::string::npos) << r.out;
    // The added PDF's hits name its page.
    r = search("niamey --json");
    hits = nlohmann::json::parse(r.out);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0]["section"], nullptr);
    EXPECT_GE(hits[0]["page"].get<int>(), 1);
    EXPECT_EQ(hits[0]["kind"], "external");
    // Nothing found: exit 1, no output.
    r = search("zanzibar");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
}

TEST_F(SearchTest, figures_show_each_value_edition_by_edition) {
    issue_mali_twice_and_add_a_pdf();
    test::RunResult r = factsheet("archive figures mali --figure pin --archive " + archive_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "mali  pin (people)\n"
              "  2026-11-29  e1  en,fr  3900000 (2023)\n"
              "  2026-12-01  e2  en,fr  4100000 (2023)  changed\n");
    r = factsheet("archive figures mali --json --archive " + archive_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json figures = nlohmann::json::parse(r.out);
    ASSERT_EQ(figures.size(), 4u);
    EXPECT_EQ(figures[0]["figure"], "pin");
    EXPECT_EQ(figures[2]["figure"], "requirements");
    EXPECT_EQ(figures[2]["editions"][0]["currency"], "USD");
    EXPECT_EQ(figures[2]["editions"][0]["year"], nullptr);
    EXPECT_EQ(figures[0]["editions"][1]["value"], 4100000);
    EXPECT_EQ(figures[0]["editions"][1]["issued"], "2026-12-01");
    // Structured rows in the catalog, one per figure and file.
    EXPECT_EQ(sql(archive_ + "/catalog.sqlite",
                  "SELECT g.value, g.year, g.edition, g.issued, g.lang FROM figures g WHERE g.figure = 'pin' "
                  "ORDER BY g.issued, g.lang"),
              "3900000\n2023\n1\n2026-11-29\nen\n3900000\n2023\n1\n2026-11-29\nfr\n"
              "4100000\n2023\n2\n2026-12-01\nen\n4100000\n2023\n2\n2026-12-01\nfr\n");
    r = factsheet("archive figures niger --archive " + archive_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "niger: no key figures archived\n");
    r = factsheet("archive figures ../x --archive " + archive_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("OPERATION: error: \"../x\" is not an operation id"), std::string::npos) << r.err;
}

TEST_F(SearchTest, a_pdf_without_text_is_recorded_as_such) {
    std::string scan = dir_ + "/scan.pdf";
    test::write_file(scan, pdf_without_text());
    test::RunResult r = factsheet("archive add " + scan + " --archive " + archive_ +
                                  " --operation mali --lang en --title Scan --date 2026-12-02");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(sql(archive_ + "/catalog.sqlite",
                  "SELECT f.path, s.has_text FROM files f JOIN search_files s ON s.file_id = f.id"),
              "mali/mali-external-en-e1-2026-12-02.pdf\n0\n");
    EXPECT_EQ(factsheet("archive verify --archive " + archive_).exit_code, 0);
    EXPECT_EQ(factsheet("archive reindex --archive " + archive_).exit_code, 0);
    EXPECT_EQ(sql(archive_ + "/catalog.sqlite", "SELECT has_text FROM search_files"), "0\n");
}

TEST_F(SearchTest, reindex_rebuilds_the_index_from_the_files_and_verify_checks_it) {
    issue_mali_twice_and_add_a_pdf();
    std::string catalog = archive_ + "/catalog.sqlite";
    std::string figures_before =
        sql(catalog, "SELECT figure, value, edition, issued, lang FROM figures ORDER BY 1, 3, 5");
    ASSERT_EQ(factsheet("archive reindex --archive " + archive_).exit_code, 0);
    EXPECT_EQ(found("menaka"), (std::set<std::string>{en1, fr1, en2, fr2}));
    EXPECT_EQ(found("niamey"), (std::set<std::string>{added}));
    EXPECT_EQ(sql(catalog, "SELECT figure, value, edition, issued, lang FROM figures ORDER BY 1, 3, 5"),
              figures_before);
    EXPECT_EQ(factsheet("archive verify --archive " + archive_).exit_code, 0);

    // A file the index lacks is a problem for verify, which says how to mend it.
    sql(catalog,
        "DELETE FROM search_files WHERE file_id = (SELECT id FROM files WHERE path = '" + en1 + "')");
    test::RunResult r = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, archive_ + "/" + en1 +
                         ": error: not in the search index: run \"factsheet archive reindex\" to index it\n");
    ASSERT_EQ(factsheet("archive reindex --archive " + archive_).exit_code, 0);
    EXPECT_EQ(factsheet("archive verify --archive " + archive_).exit_code, 0);
}

// A catalog of version 2 (before the search index) is read as it is, the search says what to do,
// and the next writer adds the index's tables; reindex then indexes every file.
TEST_F(SearchTest, a_catalog_older_than_the_index_is_upgraded) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en").exit_code, 0);
    std::string catalog = archive_ + "/catalog.sqlite";
    EXPECT_EQ(sql(catalog, "PRAGMA user_version"), "3\n");
    sql(catalog,
        "DROP TABLE search_text; DROP TABLE search_files; DROP TABLE figures; PRAGMA user_version=2;");
    EXPECT_EQ(factsheet("archive list --archive " + archive_).exit_code, 0);
    EXPECT_EQ(sql(catalog, "PRAGMA user_version"), "2\n");  // reading changes nothing
    test::RunResult r = search("menaka");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, catalog +
                         ": error: the catalog has no search index (it predates it): run \"factsheet archive "
                         "reindex\"\n");
    r = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("mali-en-e1-2026-11-29.pdf: error: not in the search index"), std::string::npos);

    r = issue(source("mali", "v2"), "2026-12-01", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(sql(catalog, "PRAGMA user_version"), "3\n");
    EXPECT_EQ(found("menaka"), (std::set<std::string>{"mali/mali-en-e2-2026-12-01.pdf"}));
    EXPECT_EQ(factsheet("archive verify --archive " + archive_).exit_code, 1);  // edition 1 is not indexed
    ASSERT_EQ(factsheet("archive reindex --archive " + archive_).exit_code, 0);
    EXPECT_EQ(found("menaka"),
              (std::set<std::string>{"mali/mali-en-e1-2026-11-29.pdf", "mali/mali-en-e2-2026-12-01.pdf"}));
    EXPECT_EQ(factsheet("archive verify --archive " + archive_).exit_code, 0);
}

TEST_F(SearchTest, hostile_queries_get_a_clear_error) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en").exit_code, 0);
    auto refused = [&](const std::string& query, const std::string& message) {
        test::RunResult r = search("'" + query + "'");
        EXPECT_EQ(r.exit_code, 1) << query;
        EXPECT_EQ(r.out, "") << query;
        EXPECT_EQ(r.err, "query: error: " + message + "\n") << query;
    };
    refused("\"menaka", "a phrase is not closed: end it with a double quote (\"), or leave the quote out");
    refused("menaka AND",
            "not a search the index understands (fts5: syntax error near \"\"): write words, \"a "
            "phrase\" in double quotes, a prefix*, and AND, OR, NOT between them");
    refused("AND OR",
            "not a search the index understands (fts5: syntax error near \"AND\"): write words, \"a "
            "phrase\" in double quotes, a prefix*, and AND, OR, NOT between them");
    refused("NEAR(menaka",
            "not a search the index understands (fts5: syntax error near \"\"): write words, \"a "
            "phrase\" in double quotes, a prefix*, and AND, OR, NOT between them");
    refused("nowhere:menaka",
            "not a search the index understands (no such column: nowhere): write words, \"a "
            "phrase\" in double quotes, a prefix*, and AND, OR, NOT between them");
    refused("   ", "the query is empty: give the words to look for");
    std::string many;
    for (int i = 0; i < 10000; ++i) many += "w ";
    refused(many, "the query is 20000 bytes long: a query holds at most 4096");
    std::string terms;
    for (int i = 0; i < 1000; ++i) terms += "w ";
    refused(terms, "the query has 1000 terms: a query takes at most 256");
    // 256 terms are taken (the operators count), and FTS5 answers them.
    terms.clear();
    for (int i = 0; i < 127; ++i) terms += "menaka OR ";
    terms += "menaka";
    EXPECT_EQ(search("'" + terms + "'").exit_code, 0);
    // Column filters, NEAR and stars used rightly are FTS5's own syntax.
    EXPECT_EQ(search("'section:context'").exit_code, 0);
    EXPECT_EQ(search("'NEAR(kidal menaka, 3)'").exit_code, 0);
    EXPECT_EQ(search("menaka --since 2026-13-01").exit_code, 1);
}

TEST_F(SearchTest, the_page_search_box_finds_what_the_command_line_finds) {
    issue_mali_twice_and_add_a_pdf();
    // search.js: the page's index, folded words as the catalog's tokenizer made them.
    std::string script = test::read_file(archive_ + "/search.js");
    std::string prefix = "window.factsheetSearchIndex = ";
    std::size_t at = script.find(prefix);
    ASSERT_NE(at, std::string::npos);
    std::size_t end = script.rfind(";\n");
    nlohmann::json index = nlohmann::json::parse(script.substr(at + prefix.size(), end - at - prefix.size()));
    EXPECT_EQ(index["files"].size(), 5u);
    EXPECT_TRUE(index["words"].contains("menaka"));
    EXPECT_FALSE(index["words"].contains("Ménaka"));
    EXPECT_EQ(index["words"]["menaka"].size(), 4u);

    // Typed into the page's box in headless Chromium: the input event the box listens to.
    auto typed = [&](const std::string& query) {
        std::string page = test::read_file(archive_ + "/index.html");
        std::string typing = "<script>var box = document.getElementById('search-query'); box.value = " +
                             nlohmann::json(query).dump() +
                             "; box.dispatchEvent(new Event('input'));</script></body>";
        page.replace(page.rfind("</body>"), 7, typing);
        test::write_file(archive_ + "/typed.html", page);
        test::RunResult dom = test::run(
            "chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
            "--disable-component-update --disable-sync --no-first-run --user-data-dir=" +
            dir_ + "/chromium --dump-dom file://" + archive_ + "/typed.html");
        EXPECT_EQ(dom.exit_code, 0) << dom.err;
        fs::remove(archive_ + "/typed.html");
        std::size_t list = dom.out.find("<ol id=\"search-hits\">");
        std::size_t list_end = dom.out.find("</ol>", list);
        std::set<std::string> paths;
        if (list == std::string::npos || list_end == std::string::npos) return paths;
        std::string hits = dom.out.substr(list, list_end - list);
        for (std::size_t a = hits.find("<a href=\""); a != std::string::npos;
             a = hits.find("<a href=\"", a + 1))
            paths.insert(hits.substr(a + 9, hits.find('"', a + 9) - a - 9));
        if (query == "Menaka") {
            EXPECT_NE(hits.find("fr · edition 1 · 2026-11-29 · superseded"), std::string::npos) << hits;
            EXPECT_NE(dom.out.find("4 publications, newest first:"), std::string::npos);
        }
        return paths;
    };
    // (Chromium takes seconds to start: a few queries only.)
    std::set<std::string> menaka = typed("Menaka");
    EXPECT_EQ(menaka, found("menaka"));
    EXPECT_EQ(menaka, (std::set<std::string>{en1, fr1, en2, fr2}));
    EXPECT_EQ(typed("ouatt*"), found("'ouatt*'"));
    // The page reads a phrase as its words, all of which must be there.
    EXPECT_EQ(typed("\"groupes ARMÉS\" niamey"), (std::set<std::string>{added}));
    EXPECT_EQ(typed("zanzibar"), (std::set<std::string>{}));
}

TEST(archive_search, words_broken_at_a_line_end_are_joined) {
    EXPECT_EQ(joined_text("  the protec-\ntion  of\tcivilians \n"), "the protection of civilians");
    EXPECT_EQ(joined_text("co-\nLead"), "co- Lead");  // not a word broken in two
    EXPECT_EQ(joined_text("a -\nb"), "a - b");
    EXPECT_EQ(joined_text(""), "");
}

TEST(archive_search, the_figures_stamp_reads_back_and_refuses_damage) {
    std::vector<FigureValue> figures = {{"pin", "people", 3900000, 0, "", 2023},
                                        {"share", "percentage", 385, 1, "", std::nullopt},
                                        {"requirements", "money", 102320000, 0, "USD", std::nullopt}};
    std::string stamp = archive_search::figures_stamp(figures);
    EXPECT_EQ(
        stamp,
        "[{\"id\":\"pin\",\"kind\":\"people\",\"value\":3900000,\"year\":2023},{\"id\":\"share\",\"kind\":"
        "\"percentage\",\"value\":385,\"decimals\":1},{\"id\":\"requirements\",\"kind\":\"money\",\"value\":"
        "102320000,\"currency\":\"USD\"}]");
    EXPECT_EQ(archive_search::parse_figures_stamp(stamp, "x.pdf"), figures);
    EXPECT_EQ(figure_value_text(figures[1]), "38.5 %");
    EXPECT_EQ(figure_value_text(figures[2]), "102320000 USD");
    EXPECT_EQ(test::error_text([] { archive_search::parse_figures_stamp("[{\"id\": 1}]", "x.pdf"); }),
              "x.pdf: error: its FactsheetFigures stamp is malformed (a figure lacks its id, kind or value): "
              "issue the factsheet again");
    EXPECT_EQ(test::error_text([] { archive_search::parse_figures_stamp("{", "x.pdf"); }),
              "x.pdf: error: its FactsheetFigures stamp is malformed (not JSON): issue the factsheet again");
}

}  // namespace
}  // namespace factsheet
