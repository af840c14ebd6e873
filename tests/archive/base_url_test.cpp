// The archive's base URL (archive.json): the config command, what it refuses, the absolute links
// of feed.xml and index.json, and the links of "Latest Publications" in issued factsheets.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "archive/archive.hpp"
#include "archive/archive_fixture.hpp"
#include "common/error.hpp"
#include "common/test_paths.hpp"

namespace factsheet {
namespace {

namespace fs = std::filesystem;

const std::string base = "https://example.org/factsheets/";
const std::string advice =
    "give the address the archive folder is published at, e.g. https://example.org/factsheets/";

class BaseUrlTest : public ArchiveTest {
protected:
    // mali.xml, with one sentence changed when `change` is set (a new edition's content).
    std::string source(const std::string& change = "") { return ArchiveTest::source("mali", change); }

    test::RunResult config(const std::string& args = "") {
        return factsheet("archive config --archive " + archive_ + args);
    }

    // The PDF in qpdf's QDF form, whose link annotations read as plain text.
    std::string qdf(const std::string& pdf) {
        std::string out = dir_ + "/out.qdf";
        EXPECT_EQ(test::run("qpdf --qdf --object-streams=disable " + pdf + " " + out).exit_code, 0);
        return test::read_file(out);
    }
};

TEST_F(BaseUrlTest, config_shows_sets_and_clears) {
    test::RunResult r = config();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "base URL: none\n");
    EXPECT_FALSE(fs::exists(archive_));  // showing writes nothing

    r = config(" --base-url https://example.org/factsheets");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "base URL: https://example.org/factsheets/\n");  // the '/' is added
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(test::read_file(archive_ + "/archive.json"),
              "{\n  \"base_url\": \"https://example.org/factsheets/\"\n}\n");
    EXPECT_EQ(Archive(archive_, nullptr).settings().base_url, base);
    r = config();
    EXPECT_EQ(r.out, "base URL: https://example.org/factsheets/\n");
    // The setting is a file of the archive: verify does not report it.
    r = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, archive_ + ": 0 files verified, no problem\n");

    r = config(" --base-url http://example.org:8080/a/b/");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "base URL: http://example.org:8080/a/b/\n");

    r = config(" --no-base-url");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "base URL: none\n");
    EXPECT_FALSE(fs::exists(archive_ + "/archive.json"));
    EXPECT_EQ(config().out, "base URL: none\n");

    r = config(" --base-url https://example.org/ --no-base-url");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(fs::exists(archive_ + "/archive.json"));

    r = factsheet("archive config --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("Example: factsheet archive config --base-url https://example.org/factsheets/"),
              std::string::npos)
        << r.out;
}

TEST_F(BaseUrlTest, invalid_addresses_are_refused_and_nothing_is_written) {
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"ftp://x", "\"ftp://x\" is not an http:// or https:// address: " + advice},
        {"example.org/factsheets/",
         "\"example.org/factsheets/\" is not an http:// or https:// address: " + advice},
        {"HTTPS://example.org/", "\"HTTPS://example.org/\" is not an http:// or https:// address: " + advice},
        {"https://", "\"https://\" has no host: " + advice},
        {"https:///factsheets/", "\"https:///factsheets/\" has no host: " + advice},
        {"https://:80/", "\"https://:80/\" has no host: " + advice},
        {"https://example.org/a b/",
         "\"https://example.org/a b/\" contains a space or a control character: write a space as %20"},
        {"https://example.org/?page=1",
         "\"https://example.org/?page=1\" has a query or a fragment: " + advice},
        {"https://example.org/#top", "\"https://example.org/#top\" has a query or a fragment: " + advice},
        {"https://example.org/<x>",
         "\"https://example.org/<x>\" contains '<', which an address cannot hold: percent-encode it"},
        {"https://example.org/s\u00E9gou/",
         "\"https://example.org/s\u00E9gou/\" contains a character that is not ASCII: percent-encode it"},
        {"", "\"\" is not an http:// or https:// address: " + advice},
    };
    for (const auto& [url, message] : refused) {
        test::RunResult r = config(" --base-url '" + url + "'");
        EXPECT_EQ(r.exit_code, 1) << url;
        EXPECT_EQ(r.err, "--base-url: error: " + message + "\n");
        EXPECT_EQ(r.out, "");
        EXPECT_FALSE(fs::exists(archive_)) << url;
    }

    // A refused address leaves the one already set, and the published pages, as they were.
    ASSERT_EQ(config(" --base-url " + base).exit_code, 0);
    std::string feed = test::read_file(archive_ + "/feed.xml");
    test::RunResult r = config(" --base-url ftp://x");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(test::read_file(archive_ + "/archive.json"), "{\n  \"base_url\": \"" + base + "\"\n}\n");
    EXPECT_EQ(test::read_file(archive_ + "/feed.xml"), feed);
}

TEST_F(BaseUrlTest, a_malformed_settings_file_is_an_error_with_its_position) {
    ASSERT_EQ(config(" --base-url " + base).exit_code, 0);
    std::string file = archive_ + "/archive.json";

    test::write_file(file, "{\"base_url\": \"https://example.org/\",\n}\n");
    test::RunResult r = config();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, file +
                         ":2:1: error: not valid JSON: syntax error while parsing object key - unexpected "
                         "'}'; expected string literal; correct it, or remove the setting with \"factsheet "
                         "archive config --no-base-url\"\n");
    // Every command reads it; issue stops before anything is written.
    r = issue(source(), "2026-11-29");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(file + ":2:1: error: not valid JSON"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(archive_ + "/mali"));
    r = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, archive_ + ": 1 problem\n");
    EXPECT_EQ(r.err.rfind(file + ":2:1: error: not valid JSON: ", 0), 0u) << r.err;
    r = factsheet("archive list --archive " + archive_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind(file + ":2:1: error: not valid JSON: ", 0), 0u) << r.err;

    test::write_file(file, "{\"base_url\": \"ftp://example.org/\"}\n");
    r = config();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, file + ": error: \"ftp://example.org/\" is not an http:// or https:// address: " +
                         advice + "\n");

    test::write_file(file, "{\"base_url\": 1}");
    EXPECT_EQ(config().err,
              file +
                  ": error: \"base_url\" is not a string: set it with \"factsheet archive config "
                  "--base-url URL\"\n");
    test::write_file(file, "{\"baseurl\": \"https://example.org/\"}");
    EXPECT_EQ(config().err,
              file + ": error: unknown setting \"baseurl\": the only setting is \"base_url\"\n");
    test::write_file(file, "[]");
    EXPECT_EQ(config().err,
              file +
                  ":1:1: error: not a JSON object: the file holds {\"base_url\": \"https://...\"}, "
                  "or is absent\n");

    // --no-base-url does not need to read what it removes.
    r = config(" --no-base-url");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "base URL: none\n");
    EXPECT_FALSE(fs::exists(file));
}

TEST_F(BaseUrlTest, feed_and_index_are_absolute_with_a_base_url_and_unchanged_without) {
    ASSERT_EQ(issue(source(), "2026-11-29").exit_code, 0);
    std::string feed = test::read_file(archive_ + "/feed.xml");
    std::string index = test::read_file(archive_ + "/index.json");
    std::string html = test::read_file(archive_ + "/index.html");
    EXPECT_EQ(index.find("\"url\""), std::string::npos);
    EXPECT_NE(feed.find("href=\"mali/mali-en-e1-2026-11-29.pdf\""), std::string::npos);

    ASSERT_EQ(config(" --base-url " + base).exit_code, 0);
    std::string absolute = test::read_file(archive_ + "/feed.xml");
    EXPECT_EQ(test::count(absolute, "href=\""), 4u);
    EXPECT_EQ(test::count(absolute, "href=\"" + base), 4u);
    EXPECT_NE(absolute.find("  <link rel=\"alternate\" type=\"text/html\" "
                            "href=\"https://example.org/factsheets/index.html\"/>\n"
                            "  <link rel=\"self\" type=\"application/atom+xml\" "
                            "href=\"https://example.org/factsheets/feed.xml\"/>\n"),
              std::string::npos)
        << absolute;
    EXPECT_NE(
        absolute.find("<link rel=\"alternate\" type=\"application/pdf\" hreflang=\"fr\" "
                      "href=\"https://example.org/factsheets/mali/mali-fr-e1-2026-11-29.pdf\" length=\""),
        std::string::npos)
        << absolute;

    std::string json = test::read_file(archive_ + "/index.json");
    EXPECT_NE(json.find("\"path\": \"mali/mali-en-e1-2026-11-29.pdf\", \"url\": "
                        "\"https://example.org/factsheets/mali/mali-en-e1-2026-11-29.pdf\", \"sha256\": "),
              std::string::npos)
        << json;
    nlohmann::json parsed = nlohmann::json::parse(json);
    ASSERT_EQ(parsed["publications"].size(), 2u);
    for (const nlohmann::json& p : parsed["publications"])
        EXPECT_EQ(p["url"], base + p["path"].get<std::string>());
    // list --json prints the objects of index.json.
    test::RunResult list = factsheet("archive list --json --archive " + archive_);
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(nlohmann::json::parse(list.out), parsed["publications"]);
    EXPECT_NE(list.out.find("\"url\": \"https://example.org/factsheets/mali/mali-fr-e1-2026-11-29.pdf\""),
              std::string::npos)
        << list.out;
    EXPECT_EQ(test::read_file(archive_ + "/index.html"), html);  // the page's links stay relative

    // reindex rebuilds the catalog from the PDFs; the setting is a file of its own and stays.
    fs::remove(archive_ + "/catalog.sqlite");
    test::RunResult r = factsheet("archive reindex --archive " + archive_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(config().out, "base URL: https://example.org/factsheets/\n");
    EXPECT_EQ(test::read_file(archive_ + "/feed.xml"), absolute);
    EXPECT_EQ(test::read_file(archive_ + "/index.json"), json);

    // Without a base URL, the pages are byte for byte what they were.
    ASSERT_EQ(config(" --no-base-url").exit_code, 0);
    EXPECT_EQ(test::read_file(archive_ + "/feed.xml"), feed);
    EXPECT_EQ(test::read_file(archive_ + "/index.json"), index);
    EXPECT_EQ(test::read_file(archive_ + "/index.html"), html);
}

TEST_F(BaseUrlTest, issued_factsheets_link_to_the_published_files) {
    ASSERT_EQ(config(" --base-url " + base).exit_code, 0);
    test::RunResult r = issue(source(), "2026-11-29", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(test::count(qdf(archive_ + "/mali/mali-en-e1-2026-11-29.pdf"), "/URI (https://example.org/"),
              0u);

    r = issue(source("v2"), "2026-12-01", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string e2 = qdf(archive_ + "/mali/mali-en-e2-2026-12-01.pdf");
    EXPECT_EQ(test::count(e2, "/URI (https://example.org/factsheets/mali/mali-en-e1-2026-11-29.pdf)"), 1u);
    EXPECT_EQ(test::count(e2, "/URI (https://example.org/"), 1u);

    // build --archive links the same way, to every archived edition it lists.
    std::string out = dir_ + "/out";
    r = factsheet("build " + source("v2") + " --lang en --archive " + archive_ + " --out " + out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string built = qdf(out + "/" + fs::directory_iterator(out)->path().filename().string());
    EXPECT_EQ(test::count(built, "/URI (https://example.org/factsheets/mali/mali-en-e2-2026-12-01.pdf)"), 1u);
    EXPECT_EQ(test::count(built, "/URI (https://example.org/factsheets/mali/mali-en-e1-2026-11-29.pdf)"), 1u);

    // Without a base URL the entries are plain text.
    ASSERT_EQ(config(" --no-base-url").exit_code, 0);
    r = factsheet("build " + source("v2") + " --lang en --archive " + archive_ + " --out " + out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    built = qdf(out + "/" + fs::directory_iterator(out)->path().filename().string());
    EXPECT_EQ(test::count(built, "/URI (https://example.org/"), 0u);
}

TEST_F(BaseUrlTest, the_base_url_is_not_part_of_the_content) {
    std::string mali = source();
    ASSERT_EQ(issue(mali, "2026-11-29", " --lang en").exit_code, 0);
    ASSERT_EQ(config(" --base-url " + base).exit_code, 0);
    test::RunResult r = issue(mali, "2026-12-01", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "mali en: unchanged since edition 1 (" + archive_ + "/mali/mali-en-e1-2026-11-29.pdf)\n");
    EXPECT_FALSE(fs::exists(archive_ + "/mali/mali-en-e2-2026-12-01.pdf"));
}

TEST(archive_urls, base_urls_and_file_addresses) {
    EXPECT_EQ(checked_base_url("https://example.org", "x"), "https://example.org/");
    EXPECT_EQ(checked_base_url("http://example.org/a/b", "x"), "http://example.org/a/b/");
    EXPECT_EQ(checked_base_url("https://example.org/S%C3%A9gou/", "x"), "https://example.org/S%C3%A9gou/");
    EXPECT_EQ(test::error_text([] { checked_base_url("mailto:a@b", "--base-url"); }),
              "--base-url: error: \"mailto:a@b\" is not an http:// or https:// address: " + advice);
    EXPECT_EQ(file_url(base, "mali/mali-en-e1-2026-11-29.pdf"),
              "https://example.org/factsheets/mali/mali-en-e1-2026-11-29.pdf");
    EXPECT_EQ(file_url(base, "a b/S\u00E9gou#1?.pdf"),
              "https://example.org/factsheets/a%20b/S%C3%A9gou%231%3F.pdf");
}

}  // namespace
}  // namespace factsheet
