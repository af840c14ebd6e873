// `validate` refuses everything `build` would, with the same messages: characters the layout's
// fonts lack (at each character), what the later stages refuse, and with --strict any warning.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/test_paths.hpp"

namespace fs = std::filesystem;
using namespace factsheet::test;

namespace {

class Validate : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir();
        out_ = dir_ + "/out";
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Runs the program with `args` in the temporary folder, so that messages name files as
    // they are written here.
    RunResult factsheet(const std::string& args) const {
        return run("cd '" + dir_ + "' && '" + binary_path() + "' " + args);
    }

    // tests/bad_input/valid.xml with `from` replaced by `to` (once), written as `name` here.
    std::string variant(const std::string& name, const std::string& from, const std::string& to) const {
        std::string text = read_file(source_path("tests/bad_input/valid.xml"));
        std::size_t at = text.find(from);
        if (at == std::string::npos) throw std::runtime_error("valid.xml has no " + from);
        text.replace(at, from.size(), to);
        write_file(dir_ + "/" + name, text);
        return name;
    }

    // A copy of the factsheet layout, here, to break.
    std::string copy_layout() const {
        fs::copy(source_path("layouts/factsheet"), dir_ + "/layout", fs::copy_options::recursive);
        return "layout";
    }

    // Replaces `from` by `to` (once) in a file here.
    void edit(const std::string& file, const std::string& from, const std::string& to) const {
        std::string text = read_file(dir_ + "/" + file);
        std::size_t at = text.find(from);
        if (at == std::string::npos) throw std::runtime_error(file + " has no " + from);
        text.replace(at, from.size(), to);
        write_file(dir_ + "/" + file, text);
    }

    bool wrote_anything() const { return fs::exists(out_) && !fs::is_empty(out_); }

    std::string dir_, out_;
};

const std::string intro = "<en>The crisis has become more complex.</en>";

std::string missing(const std::string& where, const std::string& code, const std::string& ch) {
    return where + ": error: character " + code + " (\"" + ch +
           "\") is not in the layout's fonts \"regular\" (Roboto-Regular.ttf) and \"bold\" "
           "(Roboto-Bold.ttf): "
           "replace it, or use a layout whose fonts have it\n";
}

TEST_F(Validate, a_good_source_is_valid_and_both_editions_are_made_without_writing) {
    std::string file = variant("good.xml", "complex.", "complex.");
    RunResult r = factsheet("validate " + file);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "good.xml: valid\n");
    EXPECT_EQ(r.err, "");
    EXPECT_FALSE(fs::exists(dir_ + "/output")) << "validate writes nothing";
}

TEST_F(Validate, each_missing_character_is_reported_where_it_is_written) {
    // Entities and character references are reported at their '&', CDATA at the character.
    std::string file =
        variant("refs.xml", intro, "<en>A &amp; &#x645;&#1605; <![CDATA[ab \u0645]]> ok \u0645</en>");
    std::string expected =
        missing("refs.xml:13:20", "U+0645", "\u0645") + missing("refs.xml:13:27", "U+0645", "\u0645") +
        missing("refs.xml:13:47", "U+0645", "\u0645") + missing("refs.xml:13:55", "U+0645", "\u0645");
    RunResult v = factsheet("validate " + file);
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(v.out, "");
    EXPECT_EQ(v.err, expected);
    RunResult b = factsheet("build " + file + " --out out");
    EXPECT_EQ(b.exit_code, 1);
    EXPECT_EQ(b.err, expected) << "build refuses with the message validate prints";
    EXPECT_FALSE(wrote_anything());
}

TEST_F(Validate, missing_characters_are_capped_at_50_then_counted) {
    std::string arabic;
    for (int i = 0; i < 60; ++i) arabic += "\u0645";
    std::string file = variant("many.xml", intro, "<en>" + arabic + "</en>");
    RunResult r = factsheet("validate " + file);
    EXPECT_EQ(r.exit_code, 1);
    std::string expected;
    for (int col = 12; col < 12 + 50; ++col)
        expected += missing("many.xml:13:" + std::to_string(col), "U+0645", "\u0645");
    expected += "many.xml: error: 10 more errors not shown; fix the ones above first\n";
    EXPECT_EQ(r.err, expected);
}

TEST_F(Validate, hyphenation_exceptions_are_not_drawn_and_not_checked) {
    std::string file = variant("hyphenation.xml", "</operation>",
                               "  <hyphenation><word>\u0645\u0631</word></hyphenation>\n</operation>");
    RunResult r = factsheet("validate " + file);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
}

TEST_F(Validate, a_layout_font_lacking_a_character_the_program_writes_is_a_layout_error) {
    std::string layout = copy_layout();
    // A hand-made font with a handful of glyphs, and no space.
    edit(layout + "/styles.xml", "family=\"Roboto\" style=\"Bold\"",
         "file=\"" + source_path("tests/fuzz/corpus/truetype/tiny-composite.ttf") + "\"");
    std::string file = variant("good.xml", "complex.", "complex.");
    std::string expected =
        "layout/styles.xml:11:3: error: font \"bold\" lacks U+0020 (\" \"), the space: the program writes it "
        "into texts, so use a font that has it\n";
    for (std::string command : {"validate --layout layout ", "build --out out --layout layout "}) {
        RunResult r = factsheet(command + file);
        EXPECT_EQ(r.exit_code, 1) << command;
        EXPECT_EQ(r.out, "") << command;
        EXPECT_EQ(r.err, expected) << command;
    }
    EXPECT_FALSE(wrote_anything());
}

TEST_F(Validate, what_a_later_stage_refuses_shows_in_validate_with_the_same_message) {
    std::string layout = copy_layout();
    edit(layout + "/factsheet.mustache", "style=\"small-right\"", "style=\"no-such-style\"");
    std::string file = variant("good.xml", "complex.", "complex.");
    RunResult v = factsheet("validate --layout layout " + file);
    RunResult b = factsheet("build --out out --layout layout " + file);
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(b.exit_code, 1);
    EXPECT_EQ(v.out, "");
    EXPECT_NE(v.err.find("sample-en.markup.xml:"), std::string::npos) << v.err;
    EXPECT_NE(v.err.find("no-such-style"), std::string::npos) << v.err;
    EXPECT_EQ(v.err, b.err);
    EXPECT_FALSE(wrote_anything());
}

// A word wider than its box is broken between letters, with a warning; --strict makes it an error.
class Strict : public Validate {
protected:
    void SetUp() override {
        Validate::SetUp();
        file_ = variant("long-word.xml", "has become more complex.",
                        "has become " + std::string(300, 'x') + " more complex.");
    }
    std::string file_;
};

const std::string too_wide = "long-word.xml:13:5: %s: \"" + std::string(40, 'x') +
                             "...\" is wider than its box (1414 pt > 503 pt) and is broken between letters: "
                             "shorten it or widen the box\n";

std::string as(const std::string& severity) {
    std::string text = too_wide;
    return text.replace(text.find("%s"), 2, severity);
}

TEST_F(Strict, without_it_the_warning_is_printed_and_the_source_is_valid) {
    RunResult r = factsheet("validate " + file_);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "long-word.xml: valid\n");
    EXPECT_EQ(r.err, as("warning"));
}

TEST_F(Strict, validate_prints_the_warning_as_an_error_and_exits_1) {
    RunResult r = factsheet("validate --strict " + file_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, as("error"));
}

TEST_F(Strict, build_prints_the_same_error_and_writes_nothing) {
    RunResult r = factsheet("build --strict " + file_ + " --out out");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, as("error"));
    EXPECT_FALSE(wrote_anything());
    // Without --strict the same build succeeds.
    r = factsheet("build " + file_ + " --out out");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.err, as("warning"));
}

TEST_F(Strict, batch_fails_the_factsheet_and_does_not_skip_it_later) {
    fs::create_directory(dir_ + "/sources");
    fs::rename(dir_ + "/" + file_, dir_ + "/sources/" + file_);
    // Built once without --strict: the PDFs exist, with a warning.
    RunResult r = factsheet("batch sources --out out -j 1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // A strict batch does not take them as up to date: it builds again, and fails.
    r = factsheet("batch --strict sources --out out -j 1");
    EXPECT_EQ(r.exit_code, 1);
    std::string error = as("error");
    EXPECT_EQ(r.err, "sources/" + error);
    EXPECT_NE(r.out.find("failed   out/sample-en.pdf"), std::string::npos) << r.out;
}

}  // namespace
