#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/test_paths.hpp"
#include "locale/locale.hpp"

using namespace factsheet;

namespace {

/// A labels file written to a fresh temporary folder, removed afterwards.
class LabelsFile {
public:
    explicit LabelsFile(const std::string& xml) : dir_(test::make_temp_dir()), path_(dir_ + "/labels.xml") {
        test::write_file(path_, xml);
    }
    ~LabelsFile() { std::filesystem::remove_all(dir_); }
    LabelsFile(const LabelsFile&) = delete;
    LabelsFile& operator=(const LabelsFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string dir_;
    std::string path_;
};

// The text of the Error that reading `xml` throws, with the temporary path shown as "labels.xml".
std::string error_reading(const std::string& xml) {
    LabelsFile file(xml);
    try {
        read_labels(file.path());
    } catch (const Error& e) {
        std::string what = e.what();
        for (std::size_t at = what.find(file.path()); at != std::string::npos; at = what.find(file.path()))
            what.replace(at, file.path().size(), "labels.xml");
        return what;
    }
    return "";
}

}  // namespace

TEST(labels, reads_the_factsheet_layout_labels) {
    std::string path = test::source_path("layouts/factsheet/labels.xml");
    Labels labels = read_labels(path);
    EXPECT_GE(labels.size(), 21u);
    EXPECT_EQ(labels.at("colon").fr, "\u00A0:");  // French sets a no-break space before a colon
    EXPECT_EQ(labels.at("field_operation").en, "Field Operation");
    EXPECT_EQ(labels.at("field_operation").fr, "Op\u00E9ration sur le terrain");
    EXPECT_EQ(labels.at("team").fr, "\u00C9quipe de coordination");
    EXPECT_EQ(labels.at("factsheet").fr, "Fiche d'information");
    EXPECT_EQ(labels.at("no_publications").en, "No publications yet.");
    EXPECT_EQ(labels.at("field_operation").pos.file, path);
    EXPECT_EQ(labels.at("field_operation").pos.line, 5);
    EXPECT_EQ(labels.at("field_operation").pos.col, 3);
    for (const char* key :
         {"factsheet", "as_of", "intro", "protection_issues", "key_figures", "cluster_operation", "areas",
          "lead", "co_coordinator", "email", "publications", "funding_coverage", "funded_of",
          "of_requirements", "source", "page", "document_subject"})
        EXPECT_EQ(labels.count(key), 1u) << key;
}

TEST(labels, folds_line_breaks_and_indentation) {
    LabelsFile file(
        "<labels>\n"
        "  <label key=\"a\">\n"
        "    <en>\n      Latest\n      Publications\n    </en>\n"
        "    <fr><![CDATA[Derni\u00E8res publications]]></fr>\n"
        "  </label>\n"
        "</labels>\n");
    Labels labels = read_labels(file.path());
    EXPECT_EQ(labels.at("a").en, "Latest Publications");
    EXPECT_EQ(labels.at("a").fr, "Derni\u00E8res publications");
}

TEST(labels, malformed_xml_is_reported_at_its_line_and_column) {
    EXPECT_EQ(error_reading("<labels>\n  <label key=\"a\"><en>A</en><fr>B</fr>\n</labelz>\n"),
              "labels.xml:3:3: error: malformed XML: start-end tags mismatch");
    EXPECT_EQ(error_reading("<labels>\n  <label key=\"a><en>A</en>\n"),
              "labels.xml:2:15: error: malformed XML: error parsing element attribute");
    EXPECT_EQ(error_reading(""), "labels.xml:1:1: error: malformed XML: no document element found");
}

TEST(labels, duplicate_key_says_where_the_first_is) {
    EXPECT_EQ(error_reading("<labels>\n"
                            "  <label key=\"lead\"><en>Lead</en><fr>Chef de file</fr></label>\n"
                            "  <label key=\"lead\"><en>Lead</en><fr>Chef</fr></label>\n"
                            "</labels>\n"),
              "labels.xml:3:3: error: label \"lead\" is defined twice (first at labels.xml:2:3): "
              "remove one");
}

TEST(labels, missing_language_and_unknown_elements) {
    EXPECT_EQ(error_reading("<labels>\n  <label key=\"a\"><en>A</en></label>\n</labels>\n"),
              "labels.xml:2:3: error: label \"a\" has no <fr> text: add <fr>...</fr>");
    EXPECT_EQ(error_reading("<labels>\n  <label key=\"a\"><fr>A</fr></label>\n</labels>\n"),
              "labels.xml:2:3: error: label \"a\" has no <en> text: add <en>...</en>");
    EXPECT_EQ(error_reading("<labels>\n  <label key=\"a\"><en>A</en><fr>B</fr><de>C</de></label>\n"
                            "</labels>\n"),
              "labels.xml:2:38: error: unknown element <de> in label \"a\": use <en> and <fr>");
    EXPECT_EQ(error_reading("<labels>\n  <note/>\n</labels>\n"),
              "labels.xml:2:3: error: unknown element <note> in <labels>: only <label> is allowed");
    EXPECT_EQ(error_reading("<texts/>\n"),
              "labels.xml:1:1: error: the root element is <texts>: a labels file starts with <labels>");
}

TEST(labels, key_attributes_and_texts_are_checked) {
    EXPECT_EQ(error_reading("<labels>\n  <label><en>A</en><fr>B</fr></label>\n</labels>\n"),
              "labels.xml:2:3: error: <label> has no key: add key=\"...\"");
    EXPECT_EQ(
        error_reading("<labels>\n  <label key=\"a\" id=\"b\"><en>A</en><fr>B</fr></label>\n</labels>\n"),
        "labels.xml:2:3: error: unknown attribute \"id\" on <label>: only key is allowed");
    EXPECT_EQ(error_reading("<labels>\n  <label key=\"a\"><en> </en><fr>B</fr></label>\n</labels>\n"),
              "labels.xml:2:18: error: label \"a\" has an empty <en>: write the text");
    EXPECT_EQ(
        error_reading("<labels>\n  <label key=\"a\"><en>A</en><en>A</en><fr>B</fr></label>\n</labels>\n"),
        "labels.xml:2:28: error: label \"a\" has a second <en>: keep one");
    EXPECT_EQ(
        error_reading("<labels>\n  <label key=\"a\"><en>A <b>B</b></en><fr>B</fr></label>\n</labels>\n"),
        "labels.xml:2:18: error: label \"a\" <en> holds markup: write plain text");
    EXPECT_EQ(error_reading("<labels>\n  stray\n</labels>\n"),
              "labels.xml:2:3: error: unexpected text in <labels>: put texts inside <en> or <fr>");
}

TEST(labels, every_problem_is_listed_in_one_pass) {
    EXPECT_EQ(error_reading("<labels>\n"
                            "  <label key=\"a\"><en>A</en></label>\n"
                            "  <label key=\"b\"><fr>B</fr></label>\n"
                            "</labels>\n"),
              "labels.xml:2:3: error: label \"a\" has no <fr> text: add <fr>...</fr>\n"
              "labels.xml:3:3: error: label \"b\" has no <en> text: add <en>...</en>");
}

TEST(labels, unreadable_file) {
    try {
        read_labels("/nonexistent/labels.xml");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "/nonexistent/labels.xml: error: cannot read the labels file: check that it "
                     "exists and is readable");
    }
}
