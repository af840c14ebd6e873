// The translators' commands run as people run them: `xliff export`, `xliff import` and
// `translations`, with the built program, tools that are not ours reading what it writes, and
// hostile XLIFF files that must leave the source untouched.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "common/test_paths.hpp"

namespace fs = std::filesystem;
using namespace factsheet::test;

namespace {

bool have(const std::string& tool) {
    return run("command -v " + tool).exit_code == 0;
}

std::string collapse(const std::string& text) {
    return std::regex_replace(text, std::regex("\\s+"), " ");
}

class Translation : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir();
        original_ = read_file(source_path("input/mali.xml"));
        write_file(dir_ + "/mali.xml", original_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Runs the program with `args` in the temporary folder.
    RunResult factsheet(const std::string& args) const {
        return run("cd '" + dir_ + "' && '" + binary_path() + "' " + args);
    }

    std::string file(const std::string& name) const { return read_file(dir_ + "/" + name); }
    void put(const std::string& name, const std::string& bytes) const {
        write_file(dir_ + "/" + name, bytes);
    }

    // Exports mali.xml to French as mali.fr.xlf and returns it.
    std::string export_mali() const {
        RunResult r = factsheet("xliff export mali.xml --target fr -o mali.fr.xlf");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err,
                  "mali.fr.xlf: 28 texts of mali.xml for translation into French: 0 new, 0 to review, "
                  "28 translated\n");
        return file("mali.fr.xlf");
    }

    // `text` with `from` replaced by `to`, once.
    static std::string edit(std::string text, const std::string& from, const std::string& to) {
        std::size_t at = text.find(from);
        if (at == std::string::npos) throw std::runtime_error("not found: " + from);
        return text.replace(at, from.size(), to);
    }

    // The 1-based line of the first `needle` in `text`.
    static int line_of(const std::string& text, const std::string& needle) {
        std::size_t at = text.find(needle);
        if (at == std::string::npos) throw std::runtime_error("not found: " + needle);
        return 1 + static_cast<int>(
                       std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    }

    std::string dir_, original_;
};

TEST_F(Translation, a_changed_target_reaches_the_french_pdf) {
    std::string xliff = export_mali();
    put("mali.fr.xlf", edit(xliff, "<target state=\"translated\">Personnes ciblées</target>",
                            "<target state=\"translated\">Personnes visées</target>"));
    RunResult r = factsheet("xliff import mali.fr.xlf");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "mali.xml:80:38: fr text of figure[targeted]/label updated\n"
              "mali.xml: 1 updated, 0 added, 0 confirmed; 27 unchanged, 0 untranslated\n");
    EXPECT_EQ(r.err, "");
    EXPECT_NE(file("mali.xml").find("<fr from=\"edc44d7a\">Personnes visées</fr>"), std::string::npos);

    if (!have("pdftotext")) GTEST_SKIP() << "pdftotext (poppler-utils) is missing";
    r = factsheet("build mali.xml --lang fr --out out");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    RunResult text = run("pdftotext -enc UTF-8 '" + dir_ + "/out/mali-fr.pdf' -");
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(collapse(text.out).find("Personnes visées"), std::string::npos) << text.out;
    EXPECT_EQ(collapse(text.out).find("Personnes ciblées"), std::string::npos);
}

// Only a regular file is imported: a FIFO would make the import wait for a writer.
TEST_F(Translation, an_xliff_that_is_a_fifo_is_refused_at_once) {
    ASSERT_EQ(run("mkfifo '" + dir_ + "/mali.fr.xlf'").exit_code, 0);
    RunResult r = factsheet("xliff import mali.fr.xlf");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(
        r.err,
        "mali.fr.xlf: error: cannot read the XLIFF: it is a FIFO (named pipe), not a regular file: give "
        "the path of an XLIFF file\n");
    EXPECT_EQ(file("mali.xml"), original_);
}

TEST_F(Translation,
       an_unchanged_import_leaves_the_source_byte_identical_and_a_second_import_changes_nothing) {
    export_mali();
    RunResult r = factsheet("xliff import mali.fr.xlf");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "mali.xml: nothing to change; 28 unchanged, 0 untranslated\n");
    EXPECT_EQ(file("mali.xml"), original_);

    put("mali.fr.xlf", edit(file("mali.fr.xlf"), ">Financés</target>", ">Fonds reçus</target>"));
    ASSERT_EQ(factsheet("xliff import mali.fr.xlf").exit_code, 0);
    std::string once = file("mali.xml");
    EXPECT_NE(once, original_);
    r = factsheet("xliff import mali.fr.xlf");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "mali.xml: nothing to change; 28 unchanged, 0 untranslated (the source changed since the "
              "export)\n");
    EXPECT_EQ(file("mali.xml"), once);
}

TEST_F(Translation, import_finds_the_source_from_the_xliffs_folder_or_is_told_where_it_is) {
    fs::create_directories(dir_ + "/outbox");
    ASSERT_EQ(factsheet("xliff export mali.xml -o outbox/mali.fr.xlf").exit_code, 0);
    EXPECT_NE(file("outbox/mali.fr.xlf").find("original=\"../mali.xml\""), std::string::npos);
    put("outbox/mali.fr.xlf",
        edit(file("outbox/mali.fr.xlf"), ">Financés</target>", ">Fonds reçus</target>"));
    fs::create_directories(dir_ + "/elsewhere");
    RunResult r =
        run("cd '" + dir_ + "/elsewhere' && '" + binary_path() + "' xliff import ../outbox/mali.fr.xlf");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "../mali.xml:86:29: fr text of figure[funded]/label updated\n"
              "../mali.xml: 1 updated, 0 added, 0 confirmed; 27 unchanged, 0 untranslated\n");

    fs::rename(dir_ + "/outbox/mali.fr.xlf", dir_ + "/mali.fr.xlf");
    r = factsheet("xliff import mali.fr.xlf --dry-run");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "mali.fr.xlf: error: the XLIFF's source, original=\"../mali.xml\", is not at ../mali.xml; name "
              "the source with --into\n");
    r = factsheet("xliff import mali.fr.xlf --into mali.xml --dry-run");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "mali.xml: nothing to change; 28 unchanged, 0 untranslated (the source changed since the "
              "export)\n");
}

TEST_F(Translation, a_dry_run_reports_the_changes_and_writes_nothing) {
    put("mali.fr.xlf", edit(export_mali(), ">Financés</target>", ">Fonds reçus</target>"));
    RunResult r = factsheet("xliff import mali.fr.xlf --dry-run");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "mali.xml:86:29: fr text of figure[funded]/label updated\n"
              "mali.xml: would write 1 updated, 0 added, 0 confirmed; 27 unchanged, 0 untranslated\n");
    EXPECT_EQ(file("mali.xml"), original_);
}

TEST_F(Translation, the_export_is_read_by_xmllint_and_the_translate_toolkit) {
    RunResult r = factsheet("xliff export mali.xml");  // to standard output
    ASSERT_EQ(r.exit_code, 0) << r.err;
    put("mali.fr.xlf", r.out);
    EXPECT_NE(r.out.find("original=\"mali.xml\""), std::string::npos);
    if (!have("xmllint")) GTEST_SKIP() << "xmllint (libxml2-utils) is missing";
    RunResult lint = run("xmllint --noout '" + dir_ + "/mali.fr.xlf'");
    EXPECT_EQ(lint.exit_code, 0) << lint.err;
    EXPECT_EQ(lint.err, "");

    if (!have("xliff2po") || !have("pocount")) GTEST_SKIP() << "translate-toolkit is missing";
    RunResult po = run("cd '" + dir_ + "' && xliff2po -i mali.fr.xlf -o mali.fr.po");
    ASSERT_EQ(po.exit_code, 0) << po.err;
    std::string catalog = file("mali.fr.po");
    EXPECT_NE(catalog.find("msgid \"People Targeted\"\nmsgstr \"Personnes ciblées\""), std::string::npos)
        << catalog;
    EXPECT_NE(catalog.find("figure[targeted]/label"), std::string::npos);
    RunResult count = run("cd '" + dir_ + "' && pocount --csv mali.fr.po");
    ASSERT_EQ(count.exit_code, 0) << count.err;
    // Filename, Translated Messages, Translated Source Words, ..., Total Source Words,...
    std::smatch m;
    ASSERT_TRUE(std::regex_search(count.out, m, std::regex("mali\\.fr\\.po,\\s*(\\d+),"))) << count.out;
    EXPECT_EQ(m[1], "28") << count.out;

    // A stale translation goes to the toolkit's tools as a fuzzy one, to be reviewed.
    put("mali.xml", edit(original_, "<fr>Financés</fr>", "<fr from=\"00000000\">Financés</fr>"));
    ASSERT_EQ(factsheet("xliff export mali.xml -o stale.xlf").exit_code, 0);
    ASSERT_EQ(run("cd '" + dir_ + "' && xliff2po -i stale.xlf -o stale.po").exit_code, 0);
    EXPECT_NE(file("stale.po").find("#, fuzzy\nmsgid \"Funded\"\nmsgstr \"Financés\""), std::string::npos)
        << file("stale.po");
    count = run("cd '" + dir_ + "' && pocount --csv stale.po");
    ASSERT_TRUE(std::regex_search(count.out, m, std::regex("stale\\.po,\\s*(\\d+),[^,]*,[^,]*,\\s*(\\d+),")))
        << count.out;
    EXPECT_EQ(m[1], "27") << count.out;
    EXPECT_EQ(m[2], "1") << count.out;
}

TEST_F(Translation, an_export_into_english_puts_french_in_the_sources) {
    RunResult r = factsheet("xliff export mali.xml --target en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("source-language=\"fr\" target-language=\"en\""), std::string::npos);
    EXPECT_NE(r.out.find("<source>Personnes ciblées</source>\n        <target state=\"translated\">People "
                         "Targeted</target>"),
              std::string::npos);
    EXPECT_EQ(factsheet("xliff export mali.xml --target de").exit_code, 2);
}

// An import that must be refused: its one diagnostic, with the source left as it was.
struct Hostile {
    std::string name;
    std::string from, to;  // in the exported XLIFF
    std::string needle;    // where the error is, in the hostile XLIFF
    std::string message;
};

TEST_F(Translation, hostile_xliff_files_are_refused_where_they_go_wrong_and_the_source_is_untouched) {
    std::string xliff = export_mali();
    const std::string target = "<target state=\"translated\">Personnes ciblées</target>";
    std::vector<Hostile> cases = {
        {"another source", "fs:operation=\"mali\"", "fs:operation=\"niger\"", "fs:operation",
         "this XLIFF holds the texts of operation \"niger\", not of \"mali\" (mali.xml); import it into the "
         "source it was exported from"},
        {"a duplicated id", "<trans-unit id=\"cluster\"", "<trans-unit id=\"country\"",
         "<trans-unit id=\"country\" approved=\"yes\" size-unit=\"char\" maxwidth=\"300\">\n        "
         "<source>Protection",
         "unit id \"country\" is used twice: first at line 9, column 7; keep one unit per text"},
        {"an unknown id", "<trans-unit id=\"cluster\"", "<trans-unit id=\"cluster[2]\"",
         "<trans-unit id=\"cluster[2]\"",
         "unit id \"cluster[2]\" is not a text of mali.xml; keep the ids the export wrote, or export the "
         "source "
         "again if it changed shape"},
        {"markup in a target", target, "<target state=\"translated\">Personnes <b>ciblées</b></target>",
         "<b>",
         "the target of unit \"figure[targeted]/label\" holds markup (<b>); a factsheet text holds only "
         "text: "
         "remove the markup"},
        {"a CDATA section breaking out", target,
         "<target state=\"translated\"><![CDATA[</fr><evil/><fr>]]></target>", "</fr><evil/>",
         "the target of unit \"figure[targeted]/label\" holds text that reads as markup (\"</fr>\"); a "
         "factsheet "
         "text holds only text: remove it"},
        {"escaped tags", target, "<target state=\"translated\">x &lt;/fr&gt;&lt;evil/&gt;</target>", "x &lt;",
         "the target of unit \"figure[targeted]/label\" holds text that reads as markup (\"</fr>\"); a "
         "factsheet "
         "text holds only text: remove it"},
        {"invalid UTF-8", "Personnes ciblées",
         "Personnes cibl\xE9"
         "es",
         "\xE9", "the text is not valid UTF-8 here; save the XLIFF as UTF-8"},
        {"a DOCTYPE", "<xliff ", "<!DOCTYPE xliff [<!ENTITY lol \"lol\">]>\n<xliff ", "<!DOCTYPE",
         "a DOCTYPE is not allowed in an XLIFF; remove the <!DOCTYPE ...> declaration"},
        {"an undeclared entity", "Personnes ciblées", "Personnes &lol;", "&lol;",
         "unknown entity \"&lol;\": write the character itself or a numeric reference such as &#160; (XML "
         "knows "
         "only &amp; &lt; &gt; &quot; &apos;)"},
        {"an attribute written twice", "<trans-unit id=\"cluster\"",
         "<trans-unit id=\"cluster\" id=\"country\"", "id=\"cluster\" id=\"country\"",
         "malformed XML: attribute \"id\" is written twice on <trans-unit>; keep one"},
        {"two dashes in a comment", "<xliff ", "<!-- a -- b -->\n<xliff ", "-- b",
         "malformed XML: \"--\" cannot be written inside a comment; write a single '-' or another character"},
        {"a target too long", target, "<target state=\"translated\">" + std::string(301, 'x') + "</target>",
         "<target state=\"translated\">xxx",
         "the French text of figure[targeted]/label is refused: <fr> of <label> of figure \"targeted\" has "
         "301 "
         "characters; at most 300 are allowed"},
        {"a character the fonts lack", "Personnes ciblées", "Personnes \xF0\x9F\x98\x80",
         "<target state=\"translated\">Personnes \xF0",
         "the French text of figure[targeted]/label is refused: character U+1F600 (\"\xF0\x9F\x98\x80\") is "
         "not in the layout's fonts \"regular\" (Roboto-Regular.ttf) and \"bold\" (Roboto-Bold.ttf): replace "
         "it, or use a layout whose fonts have it"},
    };
    for (const Hostile& c : cases) {
        std::string hostile = edit(xliff, c.from, c.to);
        put("hostile.xlf", hostile);
        RunResult r = factsheet("xliff import hostile.xlf");
        EXPECT_EQ(r.exit_code, 1) << c.name;
        EXPECT_EQ(r.out, "") << c.name;
        // The line of the needle; its column is checked against the message's, which must point into it.
        int line = line_of(hostile, c.needle);
        std::smatch m;
        ASSERT_TRUE(std::regex_match(r.err, m, std::regex("hostile\\.xlf:(\\d+):(\\d+): error: (.*)\n")))
            << c.name << ": " << r.err;
        EXPECT_EQ(std::stoi(m[1]), line) << c.name << ": " << r.err;
        EXPECT_EQ(m[3], c.message) << c.name;
        std::size_t line_start = 0;
        for (int l = 1; l < line; ++l) line_start = hostile.find('\n', line_start) + 1;
        std::size_t needle_col = hostile.find(c.needle, line_start) - line_start + 1;
        std::size_t col = std::stoul(m[2]);
        EXPECT_LE(col, needle_col + c.needle.size()) << c.name << ": " << r.err;
        EXPECT_EQ(file("mali.xml"), original_) << c.name;
    }
}

TEST_F(Translation, the_xliff_of_another_source_is_refused_at_its_operation) {
    write_file(dir_ + "/niger.xml", read_file(source_path("input/niger.xml")));
    ASSERT_EQ(factsheet("xliff export niger.xml -o niger.fr.xlf").exit_code, 0);
    RunResult r = factsheet("xliff import niger.fr.xlf --into mali.xml");
    EXPECT_EQ(r.exit_code, 1);
    std::string xliff = file("niger.fr.xlf");
    std::size_t at = xliff.find("fs:operation");
    std::size_t line_start = xliff.rfind('\n', at) + 1;
    EXPECT_EQ(r.err,
              "niger.fr.xlf:" + std::to_string(line_of(xliff, "fs:operation")) + ":" +
                  std::to_string(at - line_start + 1) +
                  ": error: this XLIFF holds the texts of operation \"niger\", not of \"mali\" (mali.xml); "
                  "import it into the source it was exported from\n");
    EXPECT_EQ(file("mali.xml"), original_);
}

TEST_F(Translation, an_xliff_over_16_mib_is_refused_by_its_size_before_it_is_read) {
    put("huge.xlf", export_mali());
    fs::resize_file(dir_ + "/huge.xlf", 50u * 1024 * 1024);  // sparse: 50 MB that cost nothing
    RunResult r = factsheet("xliff import huge.xlf --into mali.xml");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "huge.xlf: error: the XLIFF is 52428800 bytes; an XLIFF may hold at most 16777216 bytes (16 "
              "MiB): check that this is the right file\n");
    EXPECT_EQ(file("mali.xml"), original_);
}

TEST_F(Translation, translations_pass_the_sources_of_today_as_unchecked) {
    RunResult r = run("cd '" + source_path("") + "' && '" + binary_path() + "' translations input/*.xml");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(
        std::regex_match(r.out, std::regex("fr: \\d+ texts in \\d+ sources: 0 missing, 0 stale, 0 up to "
                                           "date, \\d+ unchecked \\(no fingerprint\\)\n")))
        << r.out;
}

TEST_F(Translation, an_english_changed_after_an_import_is_reported_stale_until_its_french_is_reviewed) {
    put("mali.fr.xlf", edit(export_mali(), ">Financés</target>", ">Fonds reçus</target>"));
    ASSERT_EQ(factsheet("xliff import mali.fr.xlf").exit_code, 0);
    RunResult r = factsheet("translations mali.xml");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "fr: 28 texts in 1 source: 0 missing, 0 stale, 1 up to date, 27 unchecked (no fingerprint)\n");

    put("mali.xml", edit(file("mali.xml"), "<en>Funded</en>", "<en>Funds Received</en>"));
    r = factsheet("translations mali.xml --lang en,fr");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(
        r.err,
        "mali.xml:86:37: error: the French text of figure[funded]/label is stale: the English changed since "
        "it was translated; have it reviewed (factsheet xliff export marks it needs-review-translation)\n");
    EXPECT_EQ(r.out,
              "en: 28 texts in 1 source: 0 missing, 0 stale, 0 up to date, 28 unchecked (no fingerprint)\n"
              "fr: 28 texts in 1 source: 0 missing, 1 stale, 0 up to date, 27 unchecked (no fingerprint)\n");

    r = factsheet("xliff export mali.xml -o again.xlf");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err,
              "again.xlf: 28 texts of mali.xml for translation into French: 0 new, 1 to review, 27 "
              "translated\n");
    std::string again = file("again.xlf");
    EXPECT_NE(again.find("<source>Funds Received</source>\n"
                         "        <target state=\"needs-review-translation\">Fonds reçus</target>"),
              std::string::npos);
    put("again.xlf",
        edit(again, "state=\"needs-review-translation\">Fonds reçus", "state=\"translated\">Fonds reçus"));
    r = factsheet("xliff import again.xlf");
    EXPECT_EQ(r.out,
              "mali.xml:86:37: fr text of figure[funded]/label confirmed\n"
              "mali.xml: 0 updated, 0 added, 1 confirmed; 27 unchanged, 0 untranslated\n");
    EXPECT_EQ(factsheet("translations mali.xml").exit_code, 0);
}

TEST_F(Translation, translations_report_missing_texts_of_a_draft_and_unreadable_sources) {
    put("draft.xml", edit(original_, "<fr>Personnes ciblées</fr>", ""));
    put("broken.xml", "<operation>");
    RunResult r = factsheet("translations draft.xml broken.xml");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(
        r.err.find("draft.xml:80:7: error: figure[targeted]/label has no French text; have it translated "
                   "(factsheet xliff export lists it as new)\n"),
        std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("broken.xml:1:11: error: malformed XML"), std::string::npos) << r.err;
    EXPECT_EQ(r.out,
              "fr: 28 texts in 1 source: 1 missing, 0 stale, 0 up to date, 27 unchecked (no fingerprint)\n");
}

}  // namespace
