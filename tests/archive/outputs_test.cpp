// What the archive publishes, read back with other programs' readers: the page at a phone's and a
// desktop's width in headless Chromium, and the Atom feeds with xmllint and Python's feedparser.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <string>

#include "archive/archive_fixture.hpp"
#include "common/test_paths.hpp"

namespace factsheet {
namespace {

namespace fs = std::filesystem;

// Debian's own Python, which has python3-feedparser (packages-test.txt).
constexpr const char* python = "/usr/bin/python3";

class ArchiveOutputsTest : public ArchiveTest {
protected:
    // An archive with superseded editions in both languages, a combined edition, an external file
    // and a second operation.
    void issue_sample() {
        ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en,fr,en+fr").exit_code, 0);
        ASSERT_EQ(issue(source("mali", "v2"), "2026-12-01").exit_code, 0);
        ASSERT_EQ(issue(source("niger"), "2026-12-01").exit_code, 0);
        std::string external = dir_ + "/external.pdf";
        test::write_file(external, test::read_file(archive_ + "/mali/mali-fr-e1-2026-11-29.pdf") + "\n");
        test::RunResult r =
            factsheet("archive add " + external + " --archive " + archive_ +
                      " --operation mali --lang fr --title 'Analyse de protection' --date 2026-12-02");
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }

    // The page as headless Chromium lays it out in a viewport of that width: index.html in a frame of
    // that width (headless Chromium's --dump-dom keeps a window at least 500 pixels wide), measured
    // by a script of the page around it, which writes what it found into its own document.
    std::string laid_out(int width) {
        std::string probe =
            "<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"page\" src=\"file://" + archive_ +
            "/index.html\" width=\"" + std::to_string(width) +
            "\" height=\"844\" style=\"border:0\"></iframe><script>\n"
            "const frame = document.getElementById('page');\n"
            "frame.addEventListener('load', () => {\n"
            "  const doc = frame.contentDocument;\n"
            "  let right = 0;\n"
            "  for (const e of doc.querySelectorAll('body *'))\n"
            "    right = Math.max(right, Math.ceil(e.getBoundingClientRect().right));\n"
            "  document.body.setAttribute('data-viewport', frame.contentWindow.innerWidth);\n"
            "  document.body.setAttribute('data-scroll-width', doc.documentElement.scrollWidth);\n"
            "  document.body.setAttribute('data-right', right);\n"
            "  document.body.setAttribute('data-page', doc.body.innerHTML);\n"
            "});\n"
            "</script></body></html>\n";
        std::string path = dir_ + "/probe-" + std::to_string(width) + ".html";
        test::write_file(path, probe);
        test::RunResult r = test::run(
            "chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
            "--disable-component-update --disable-sync --no-first-run --allow-file-access-from-files "
            "--virtual-time-budget=5000 --user-data-dir=" +
            dir_ + "/chromium --dump-dom file://" + path);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }

    static int attribute(const std::string& dom, const std::string& name) {
        std::size_t at = dom.find(name + "=\"");
        if (at == std::string::npos) return -1;
        return std::stoi(dom.substr(at + name.size() + 2));
    }
};

TEST_F(ArchiveOutputsTest, the_page_fits_a_phone_and_a_desktop) {
    issue_sample();
    std::string phone = laid_out(390);
    ASSERT_EQ(attribute(phone, "data-viewport"), 390) << phone;
    // Nothing wider than the screen: no horizontal scrolling, no element past its right edge.
    EXPECT_LE(attribute(phone, "data-scroll-width"), 390);
    EXPECT_LE(attribute(phone, "data-right"), 390);
    EXPECT_NE(phone.find("Mali — Cluster Protection · Fiche d’information&lt;/a&gt;"), std::string::npos);

    std::string desktop = laid_out(1280);
    ASSERT_EQ(attribute(desktop, "data-viewport"), 1280) << desktop;
    EXPECT_LE(attribute(desktop, "data-scroll-width"), 1280);
    EXPECT_LE(attribute(desktop, "data-right"), 1280);
    // The page names the feed of each language.
    std::string page = test::read_file(archive_ + "/index.html");
    for (const char* link :
         {"<link rel=\"alternate\" type=\"application/atom+xml\" hreflang=\"en\" title=\"Latest Publications "
          "(English)\" href=\"feed-en.xml\"",
          "<link rel=\"alternate\" type=\"application/atom+xml\" hreflang=\"fr\" title=\"Dernières "
          "publications "
          "(français)\" href=\"feed-fr.xml\""})
        EXPECT_NE(page.find(link), std::string::npos) << link;
}

TEST_F(ArchiveOutputsTest, one_atom_feed_per_language) {
    issue_sample();
    struct Expected {
        const char* file;
        const char* lang;
        std::set<std::string> hrefs;
    };
    const std::string fr_summary =
        "Fiche d’information en français, édition 2, 2 pages, ";  // then the size, and what it replaces
    const std::vector<Expected> feeds = {
        {"feed-en.xml",
         "en",
         {"mali/mali-en-e2-2026-12-01.pdf", "niger/niger-en-e1-2026-12-01.pdf",
          "mali/mali-en-e1-2026-11-29.pdf", "mali/mali-en-fr-e1-2026-11-29.pdf"}},
        {"feed-fr.xml",
         "fr",
         {"mali/mali-external-fr-e1-2026-12-02.pdf", "mali/mali-fr-e2-2026-12-01.pdf",
          "niger/niger-fr-e1-2026-12-01.pdf", "mali/mali-fr-e1-2026-11-29.pdf",
          "mali/mali-en-fr-e1-2026-11-29.pdf"}},
    };
    for (const Expected& expected : feeds) {
        std::string path = archive_ + "/" + expected.file;
        SCOPED_TRACE(expected.file);
        // Well-formed XML, by a reader that is not ours.
        test::RunResult lint = test::run("xmllint --noout " + path);
        EXPECT_EQ(lint.exit_code, 0) << lint.err;

        // The elements RFC 4287 requires (4.1.1, 4.1.2): Debian ships no Atom schema to check against.
        pugi::xml_document doc;
        ASSERT_TRUE(doc.load_file(path.c_str()));
        pugi::xml_node feed = doc.child("feed");
        EXPECT_STREQ(feed.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
        EXPECT_STREQ(feed.attribute("xml:lang").value(), expected.lang);
        for (const char* required : {"id", "title", "updated"})
            EXPECT_NE(std::string(feed.child_value(required)), "") << required;
        EXPECT_NE(std::string(feed.child("author").child_value("name")), "");
        std::string self = feed.find_child_by_attribute("link", "rel", "self").attribute("href").value();
        EXPECT_EQ(self, expected.file);
        std::set<std::string> hrefs;
        for (pugi::xml_node entry : feed.children("entry")) {
            for (const char* required : {"id", "title", "updated", "summary"})
                EXPECT_NE(std::string(entry.child_value(required)), "") << required;
            EXPECT_STREQ(entry.attribute("xml:lang").value(), expected.lang);
            std::string href = entry.child("link").attribute("href").value();
            EXPECT_TRUE(fs::exists(archive_ + "/" + href)) << href;
            hrefs.insert(href);
            std::string summary = entry.child_value("summary");
            if (std::string(expected.lang) == "fr") {
                EXPECT_TRUE(summary.rfind("Fiche d’information en ", 0) == 0 ||
                            summary.rfind("Publication en français, ", 0) == 0)
                    << summary;
                EXPECT_EQ(summary.find("French"), std::string::npos) << summary;
                EXPECT_EQ(summary.find("edition"), std::string::npos) << summary;
            } else {
                EXPECT_EQ(summary.rfind("Factsheet in English", 0), 0u) << summary;
            }
        }
        EXPECT_EQ(hrefs, expected.hrefs);

        // And as a feed reader reads it: feedparser reports any fault of the XML as "bozo".
        test::RunResult read = test::run(
            std::string(python) +
            " -c 'import sys, feedparser\n"
            "d = feedparser.parse(sys.argv[1])\n"
            "print(d.bozo, d.version, d.feed.language, d.feed.title, len(d.entries))\n"
            "for e in d.entries: print(e.title_detail.language, e.links[0].href, \"|\", e.summary)' " +
            path);
        ASSERT_EQ(read.exit_code, 0) << read.err;
        std::string first_line = read.out.substr(0, read.out.find('\n'));
        EXPECT_EQ(first_line, std::string("False atom10 ") + expected.lang + " " +
                                  (std::string(expected.lang) == "fr" ? "Dernières publications"
                                                                      : "Latest Publications") +
                                  " " + std::to_string(expected.hrefs.size()));
        if (std::string(expected.lang) == "fr") {
            EXPECT_NE(read.out.find("fr mali/mali-fr-e2-2026-12-01.pdf | " + fr_summary), std::string::npos)
                << read.out;
        }
    }
    // feed.xml stays as it was for its subscribers: every file, English words.
    std::string all = test::read_file(archive_ + "/feed.xml");
    EXPECT_EQ(test::count(all, "<entry "), 8u);
    EXPECT_NE(all.find("<summary>Factsheet, French, edition 2, 2 pages, "), std::string::npos);
    EXPECT_NE(all.find("href=\"feed.xml\""), std::string::npos);
    EXPECT_EQ(test::run("xmllint --noout " + archive_ + "/feed.xml").exit_code, 0);
}

TEST_F(ArchiveOutputsTest, superseded_editions_are_marked) {
    issue_sample();
    test::RunResult r = factsheet("archive list --operation mali --archive " + archive_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto line_of = [&](const std::string& path) {
        std::size_t at = r.out.find("  " + path + "  ");
        if (at == std::string::npos) return std::string();
        std::size_t start = r.out.rfind('\n', at);
        start = start == std::string::npos ? 0 : start + 1;
        return r.out.substr(start, r.out.find('\n', at) - start);
    };
    // Each language's first edition was replaced by its second; the rest stand.
    for (const char* lang : {"en", "fr"}) {
        std::string old_line = line_of(std::string("mali/mali-") + lang + "-e1-2026-11-29.pdf");
        EXPECT_EQ(old_line.rfind(
                      std::string("2026-11-29  mali  ") + lang + "  factsheet  e1  superseded  2 pages  ", 0),
                  0u)
            << r.out;
        std::string new_line = line_of(std::string("mali/mali-") + lang + "-e2-2026-12-01.pdf");
        EXPECT_EQ(new_line.rfind(std::string("2026-12-01  mali  ") + lang + "  factsheet  e2  2 pages  ", 0),
                  0u)
            << r.out;
    }
    EXPECT_EQ(line_of("mali/mali-en-fr-e1-2026-11-29.pdf").find("superseded"), std::string::npos);
    EXPECT_EQ(line_of("mali/mali-external-fr-e1-2026-12-02.pdf").find("superseded"), std::string::npos);
    EXPECT_EQ(test::count(r.out, "superseded"), 2u);

    // The JSON of list and index.json name the edition that replaced each.
    nlohmann::json list = nlohmann::json::parse(list_json());
    for (const nlohmann::json& f : list) {
        std::string path = f["path"];
        if (path == "mali/mali-en-e1-2026-11-29.pdf")
            EXPECT_EQ(f["superseded_by"], "mali/mali-en-e2-2026-12-01.pdf");
        else if (path == "mali/mali-fr-e1-2026-11-29.pdf")
            EXPECT_EQ(f["superseded_by"], "mali/mali-fr-e2-2026-12-01.pdf");
        else
            EXPECT_EQ(f["superseded_by"], nullptr) << path;
    }
    EXPECT_EQ(nlohmann::json::parse(test::read_file(archive_ + "/index.json"))["publications"], list);

    // The page marks them in each language, and nothing else.
    std::string page = test::read_file(archive_ + "/index.html");
    EXPECT_EQ(test::count(page, "<span class=\"superseded\">superseded</span>"), 1u);
    EXPECT_EQ(test::count(page, "<span class=\"superseded\">remplacée</span>"), 1u);
}

}  // namespace
}  // namespace factsheet

namespace factsheet {
namespace {

// Sets a title in the catalog as an older program stored it, bytes as given.
void store_raw_title(const std::string& catalog, const std::string& path, const std::string& title) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(catalog.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE files SET title = ?1 WHERE path = ?2", -1, &statement, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(statement, 1, title.data(), static_cast<int>(title.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(statement, 2, path.data(), static_cast<int>(path.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(statement), SQLITE_DONE);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_finalize(statement);
    sqlite3_close(db);
}

TEST_F(ArchiveOutputsTest, titles_with_control_characters_are_refused_and_never_exported_raw) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang fr").exit_code, 0);
    std::string pdf = dir_ + "/update.pdf";
    test::write_file(pdf, test::read_file(archive_ + "/mali/mali-fr-e1-2026-11-29.pdf") + "\n");
    std::set<std::string> before = files();
    // ESC, form feed, U+0001 and a byte that is not UTF-8: refused where they come in.
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"'Update \x1b[31mred'", "control character U+001B at byte 8"},
        {"$'Update\\f2'", "control character U+000C at byte 7"},
        {"$'Update \\x01'", "control character U+0001 at byte 8"},
        {"$'Mise \\xe0 jour'", "a byte that is not UTF-8 (0xE0) at byte 6"},
    };
    for (const auto& [title, what] : refused) {
        test::RunResult r = test::run(
            "bash -c \"env -u SOURCE_DATE_EPOCH " + program() + " archive add " + pdf + " --archive " +
            archive_ + " --operation mali --lang fr --date 2026-12-02 --title " + title + "\"");
        EXPECT_EQ(r.exit_code, 1) << title;
        EXPECT_EQ(r.err, "--title: error: the title has " + what +
                             ": a title is one line of UTF-8 text without control characters; remove it or "
                             "retype the title\n")
            << title;
    }
    EXPECT_EQ(files(), before);

    // A catalog an older program filled: the raw title in it, and in the feed it wrote.
    test::RunResult r = factsheet("archive add " + pdf + " --archive " + archive_ +
                                  " --operation mali --lang fr --title Update --date 2026-12-02");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string raw = "Update \x1b[31m\x0c\x01 \xff";
    store_raw_title(archive_ + "/catalog.sqlite", "mali/mali-external-fr-e1-2026-12-02.pdf", raw);
    std::string feed = test::read_file(archive_ + "/feed.xml");
    std::string title_tag = "<title>Update</title>";
    feed.replace(feed.find(title_tag), title_tag.size(), "<title>" + raw + "</title>");
    test::write_file(archive_ + "/feed.xml", feed);
    EXPECT_NE(test::run("xmllint --noout " + archive_ + "/feed.xml").exit_code, 0);

    // verify reads the exports back and names the fault.
    test::RunResult v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(v.err,
              archive_ +
                  "/feed.xml:13:19: error: not valid XML: control character U+001B: \"factsheet archive "
                  "reindex\" publishes it again\n");

    // The next change writes every export from the sanitised titles: U+FFFD for each.
    r = factsheet("archive config --no-base-url --archive " + archive_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string shown = "Update \uFFFD[31m\uFFFD\uFFFD \uFFFD";
    for (const char* name : {"feed.xml", "feed-fr.xml", "index.html"}) {
        std::string text = test::read_file(archive_ + "/" + name);
        test::RunResult lint = test::run("xmllint --noout " + archive_ + "/" + name);
        EXPECT_EQ(lint.exit_code, 0) << name << lint.err;
        EXPECT_NE(text.find(shown), std::string::npos) << name;
        EXPECT_EQ(text.find('\x1b'), std::string::npos) << name;
    }
    nlohmann::json index = nlohmann::json::parse(test::read_file(archive_ + "/index.json"));
    EXPECT_EQ(index["publications"][0]["title"], shown);
    EXPECT_EQ(nlohmann::json::parse(list_json())[0]["title"], shown);
    v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 0) << v.err;

    // A page that does not parse fails verify too, at its place.
    std::string page = test::read_file(archive_ + "/index.html");
    test::write_file(archive_ + "/index.html", page.substr(0, page.find("</main>")));
    v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_NE(v.err.find(archive_ + "/index.html:"), std::string::npos) << v.err;
    EXPECT_NE(v.err.find(": error: not well-formed XML: "), std::string::npos) << v.err;
    fs::remove(archive_ + "/index.json");
    v = factsheet("archive verify --archive " + archive_);
    EXPECT_NE(
        v.err.find(archive_ +
                   "/index.json: error: missing or unreadable: \"factsheet archive reindex\" publishes it "
                   "again\n"),
        std::string::npos)
        << v.err;
}

}  // namespace
}  // namespace factsheet
