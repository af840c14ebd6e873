// Bad input never crashes the program: each case of tests/bad_input/ (and the generated ones
// below) gets one clear message, with FILE:LINE:COL where there is a place to point at, exit
// code 1, and leaves the output folder as it was: nothing new in it, an earlier PDF byte-identical.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/test_paths.hpp"

namespace fs = std::filesystem;
using namespace factsheet::test;

namespace {

// Stands for an edition issued by an earlier run; every failed run must leave it alone.
const std::string earlier_pdf = "%PDF-1.7\n% an edition issued by an earlier run\n";

class BadInput : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir();
        out_ = dir_ + "/out";
        fs::create_directory(out_);
        write_file(out_ + "/sample-en.pdf", earlier_pdf);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Runs `factsheet build FILE --out OUT EXTRA` in `cwd` (tests/bad_input/ by default), so that
    // messages name the file as it is written here.
    RunResult build(const std::string& file, const std::string& extra = "", std::string cwd = "") {
        if (cwd.empty()) cwd = source_path("tests/bad_input");
        return run("cd '" + cwd + "' && '" + binary_path() + "' build " + file + " --out '" + out_ + "'" +
                   extra);
    }

    // The output folder holds the earlier PDF, byte for byte, and nothing else (no temporary file).
    void expect_output_untouched() const {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(out_))
            names.push_back(entry.path().filename().string());
        EXPECT_EQ(names, std::vector<std::string>{"sample-en.pdf"});
        EXPECT_EQ(read_file(out_ + "/sample-en.pdf"), earlier_pdf);
    }

    // The run fails with exactly `message` on stderr, prints nothing else and writes nothing.
    void expect_refused(const RunResult& r, const std::string& message) const {
        EXPECT_EQ(r.exit_code, 1);
        EXPECT_EQ(r.err, message + "\n");
        EXPECT_EQ(r.out, "");
        expect_output_untouched();
    }

    // A copy of the factsheet layout to break.
    std::string copy_layout() const {
        std::string layout = dir_ + "/layout";
        fs::copy(source_path("layouts/factsheet"), layout, fs::copy_options::recursive);
        return layout;
    }

    std::string dir_, out_;
};

// Replaces the <font> attributes `from` in a layout's styles.xml by `to`; returns the position of
// that <font> element ("styles.xml:10:3"), where the error must point.
std::string replace_font(const std::string& layout, const std::string& from, const std::string& to) {
    std::string styles = read_file(layout + "/styles.xml");
    std::size_t at = styles.find(from);
    if (at == std::string::npos) throw std::runtime_error("styles.xml has no " + from);
    std::size_t element = styles.rfind('<', at);
    std::size_t line_start = styles.rfind('\n', element) + 1;  // npos + 1 == 0 on the first line
    int line = 1;
    for (std::size_t i = 0; i < element; ++i) line += styles[i] == '\n' ? 1 : 0;
    styles.replace(at, from.size(), to);
    write_file(layout + "/styles.xml", styles);
    return layout + "/styles.xml:" + std::to_string(line) + ":" + std::to_string(element - line_start + 1);
}

// The valid sample with `from` replaced by `to` (once), written to the temporary folder.
std::string variant(const std::string& dir, const std::string& name, const std::string& from,
                    const std::string& to) {
    std::string text = read_file(source_path("tests/bad_input/valid.xml"));
    std::size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("valid.xml has no " + from);
    text.replace(at, from.size(), to);
    write_file(dir + "/" + name, text);
    return name;
}

// A character the layout's fonts lack: one error per occurrence, at the character itself.
std::string missing_glyph(const std::string& where, const std::string& code, const std::string& ch) {
    return where + ": error: character " + code + " (\"" + ch +
           "\") is not in the layout's fonts \"regular\" (Roboto-Regular.ttf) and \"bold\" "
           "(Roboto-Bold.ttf): "
           "replace it, or use a layout whose fonts have it";
}

TEST_F(BadInput, the_valid_sample_builds) {
    // The cases below differ from it in one place: it must build, or they test nothing.
    RunResult r = build("valid.xml");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(read_file(out_ + "/sample-fr.pdf").substr(0, 5), "%PDF-");
}

TEST_F(BadInput, truncated_xml) {
    expect_refused(build("truncated.xml"),
                   "truncated.xml:15:30: error: malformed XML: the file ends before its elements are closed; "
                   "is it complete?");
}

TEST_F(BadInput, malformed_xml) {
    expect_refused(build("malformed.xml"),
                   "malformed.xml:16:40: error: malformed XML: start-end tags mismatch");
}

TEST_F(BadInput, latin1_bytes_in_a_utf8_file) {
    expect_refused(build("latin1.xml"),
                   "latin1.xml:5:56: error: the text is not valid UTF-8 here; save the file as UTF-8");
}

TEST_F(BadInput, utf16_is_refused_clearly) {
    expect_refused(build("utf16.xml"),
                   "utf16.xml:1:1: error: the file is UTF-16 or UTF-32; save it as UTF-8");
}

TEST_F(BadInput, a_utf8_byte_order_mark_is_accepted) {
    RunResult r = build("bom.xml");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, out_ + "/sample-en.pdf\n" + out_ + "/sample-fr.pdf\n");
}

TEST_F(BadInput, an_empty_file) {
    expect_refused(build("empty.xml"),
                   "empty.xml:1:1: error: the file is empty; a source holds one <operation> element");
}

TEST_F(BadInput, a_50_mb_source_is_refused_quickly_without_reading_it_all) {
    // Written by the shell, so that this process never holds 50 MB: a child's peak memory counts
    // what it shared with its parent when it started.
    ASSERT_EQ(run("(cd '" + dir_ + "' && { cat '" + source_path("tests/bad_input/valid.xml") +
                  "'; printf '<!-- '; head -c 52428800 /dev/zero | tr '\\0' x; printf ' -->\\n'; } >big.xml)")
                  .exit_code,
              0);
    std::uintmax_t size = fs::file_size(dir_ + "/big.xml");
    ASSERT_GT(size, 50u * 1024 * 1024);
    auto start = std::chrono::steady_clock::now();
    RunResult r = build("big.xml", "", dir_);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    expect_refused(r, "big.xml: error: the source is " + std::to_string(size) +
                          " bytes; a source may hold at most 1048576 bytes (1 MiB): check that this is "
                          "the right file");
    EXPECT_LT(seconds, 5.0);
    // The largest child of this test (ru_maxrss is in KiB): far below what reading it all would take.
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    EXPECT_LT(usage.ru_maxrss, 100 * 1024);
}

TEST_F(BadInput, a_9000_character_word_is_set_with_a_warning) {
    // As long as a word can be: a text holds at most 10,000 characters.
    std::string word(9000, 'x');
    std::string file =
        variant(dir_, "long-word.xml", "has become more complex.", "has become " + word + " more complex.");
    RunResult r = build(file, "", dir_);
    EXPECT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
    std::string first_line = r.err.substr(0, r.err.find('\n'));
    EXPECT_EQ(first_line, "long-word.xml:13:5: warning: \"" + std::string(40, 'x') +
                              "...\" is wider than its box (42408 pt > 503 pt) and is broken between "
                              "letters: shorten it or widen the box");
    EXPECT_EQ(read_file(out_ + "/sample-en.pdf").substr(0, 5), "%PDF-");
    EXPECT_EQ(read_file(out_ + "/sample-fr.pdf").substr(0, 5), "%PDF-");
}

TEST_F(BadInput, elements_nested_100000_deep) {
    std::string open, close;
    for (int i = 0; i < 100000; ++i) {
        open += "<b>";
        close += "</b>";
    }
    std::string file = variant(dir_, "deep.xml", "<en>The crisis has become more complex.</en>",
                               "<en>The crisis" + open + close + "</en>");
    expect_refused(build(file, "", dir_),
                   "deep.xml:13:22: error: <en> of paragraph 1 of <intro> may hold only text, not <b>");
}

// Each error's position costs the same however long its line: a source of one 1 MiB line with an
// error every few bytes took 38 s to validate when columns were counted from the line's start.
TEST_F(BadInput, a_megabyte_on_one_line_with_an_error_every_four_bytes_is_quick) {
    std::string text = read_file(source_path("tests/bad_input/valid.xml"));
    std::string elements;
    while (elements.size() < 1000000) elements += "<b/>";
    std::size_t at = text.find("The crisis has become more complex.");
    text.replace(at, 0, elements);
    for (char& c : text)
        if (c == '\n') c = ' ';
    write_file(dir_ + "/one-line.xml", text);
    auto start = std::chrono::steady_clock::now();
    RunResult r = run("cd '" + dir_ + "' && '" + binary_path() + "' validate one-line.xml");
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(r.exit_code, 1);
    std::size_t column = 1;  // in characters: the sample has accented letters before the paragraph
    for (std::size_t i = 0; i < at; ++i) column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    std::string first = "one-line.xml:1:" + std::to_string(column) +
                        ": error: <en> of paragraph 1 of <intro> may hold only text, not <b>\n";
    EXPECT_EQ(r.err.substr(0, first.size()), first);
    EXPECT_NE(r.err.find("one-line.xml: error: 249950 more errors not shown"), std::string::npos)
        << r.err.substr(0, 300);
    EXPECT_LT(seconds, 10.0);  // 38 s and more when columns were counted from the line's start
}

TEST_F(BadInput, fifty_thousand_unknown_attributes_are_quick) {
    std::string attributes;
    for (int i = 0; i < 50000; ++i) attributes += " a" + std::to_string(i) + "=\"x\"";
    std::string file =
        variant(dir_, "attributes.xml", "<figure id=\"pin\"", "<figure id=\"pin\"" + attributes);
    auto start = std::chrono::steady_clock::now();
    RunResult r = run("cd '" + dir_ + "' && '" + binary_path() + "' validate " + file);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(r.exit_code, 1);
    std::string first =
        "attributes.xml:22:22: error: unknown attribute \"a0\" on <figure>; <figure> may have id, "
        "kind, value, currency, year or approximate\n";
    EXPECT_EQ(r.err.substr(0, first.size()), first);
    EXPECT_NE(r.err.find("attributes.xml: error: 49950 more errors not shown"), std::string::npos);
    EXPECT_LT(seconds, 10.0);  // 34 s and more before
}

TEST_F(BadInput, a_doctype_with_internal_entities) {
    expect_refused(build("doctype-entities.xml"),
                   "doctype-entities.xml:2:1: error: a DOCTYPE is not allowed in a source; remove the "
                   "<!DOCTYPE ...> declaration");
}

TEST_F(BadInput, an_external_entity_is_never_read) {
    expect_refused(build("external-entity.xml"),
                   "external-entity.xml:2:1: error: a DOCTYPE is not allowed in a source; remove the "
                   "<!DOCTYPE ...> declaration");
}

TEST_F(BadInput, an_undeclared_entity_reference) {
    expect_refused(build("undeclared-entity.xml"),
                   "undeclared-entity.xml:3:21: error: unknown entity \"&xxe;\": write the character itself "
                   "or a numeric reference such as &#160; (XML knows only &amp; &lt; &gt; &quot; &apos;)");
}

TEST_F(BadInput, arabic_the_fonts_lack_names_each_character_at_its_place) {
    expect_refused(build("arabic.xml"), missing_glyph("arabic.xml:13:48", "U+0645", "\u0645") + "\n" +
                                            missing_glyph("arabic.xml:13:49", "U+0631", "\u0631") + "\n" +
                                            missing_glyph("arabic.xml:13:50", "U+062D", "\u062D") + "\n" +
                                            missing_glyph("arabic.xml:13:51", "U+0628", "\u0628") + "\n" +
                                            missing_glyph("arabic.xml:13:52", "U+0627", "\u0627"));
}

TEST_F(BadInput, chinese_in_the_french_country_name_stops_an_english_build_too) {
    // The characters are checked before any edition is made, in every text of the source.
    expect_refused(build("chinese.xml", " --lang en"),
                   missing_glyph("chinese.xml:3:34", "U+9A6C", "\u9A6C") + "\n" +
                       missing_glyph("chinese.xml:3:35", "U+91CC", "\u91CC"));
}

TEST_F(BadInput, an_emoji_in_a_role) {
    expect_refused(build("emoji.xml"), missing_glyph("emoji.xml:29:29", "U+1F600", "\U0001F600"));
}

TEST_F(BadInput, a_negative_figure) {
    expect_refused(build("negative-figure.xml"),
                   "negative-figure.xml:22:48: error: value \"-3900000\" of figure \"pin\" is not a whole "
                   "number; write digits only, without sign, separators or suffix (3900000, not 3.9M or "
                   "3,900,000)");
}

TEST_F(BadInput, a_figure_written_with_a_suffix) {
    expect_refused(build("text-figure.xml"),
                   "text-figure.xml:22:48: error: value \"3.9M\" of figure \"pin\" is not a whole number; "
                   "write digits only, without sign, separators or suffix (3900000, not 3.9M or 3,900,000)");
}

TEST_F(BadInput, an_absurdly_large_figure) {
    expect_refused(build("huge-figure.xml"),
                   "huge-figure.xml:22:48: error: value \"100000000000000000000\" of figure \"pin\" is too "
                   "large; a figure is at most 999999999999999 (a thousand trillion less one)");
}

TEST_F(BadInput, the_largest_figure_that_fits_still_builds) {
    std::string file = variant(dir_, "max-figure.xml", "value=\"3900000\"", "value=\"999999999999999\"");
    RunResult r = build(file, "", dir_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(out_ + "/sample-fr.pdf").substr(0, 5), "%PDF-");
}

// Ids become file names: nothing that could leave the output folder gets through.
TEST_F(BadInput, an_id_that_climbs_out_of_the_output_folder) {
    expect_refused(build("id-traversal.xml"),
                   "id-traversal.xml:2:12: error: invalid operation id \"../../etc/passwd\"; use lowercase "
                   "letters a-z, digits and '-', starting and ending with a letter or digit, never '--', at "
                   "most 64 characters");
}

TEST_F(BadInput, an_id_with_a_slash) {
    expect_refused(
        build("id-slash.xml"),
        "id-slash.xml:2:12: error: invalid operation id \"mali/2023\"; use lowercase letters a-z, "
        "digits and '-', starting and ending with a letter or digit, never '--', at most 64 characters");
}

TEST_F(BadInput, an_id_with_a_space) {
    expect_refused(
        build("id-space.xml"),
        "id-space.xml:2:12: error: invalid operation id \"mali 2023\"; use lowercase letters a-z, "
        "digits and '-', starting and ending with a letter or digit, never '--', at most 64 characters");
}

TEST_F(BadInput, an_id_with_a_nul_reference) {
    expect_refused(build("id-nul.xml"), "id-nul.xml:2:20: error: &#0; is not a character XML allows");
}

TEST_F(BadInput, an_id_with_a_nul_byte) {
    expect_refused(build("id-raw-nul.xml"),
                   "id-raw-nul.xml:2:20: error: character U+0000 is not allowed in XML; remove it");
}

TEST_F(BadInput, a_missing_layout_folder) {
    expect_refused(build("valid.xml", " --layout '" + dir_ + "/no-such-layout'"),
                   dir_ +
                       "/no-such-layout/labels.xml: error: cannot read the labels file: check that it "
                       "exists and is readable");
}

TEST_F(BadInput, a_missing_font_file) {
    std::string layout = copy_layout();
    std::string font = replace_font(layout, "family=\"Roboto\" style=\"Bold\"", "file=\"missing-bold.ttf\"");
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   font +
                       ": error: cannot read font: the file is missing or not a TrueType "
                       "font (" +
                       layout + "/missing-bold.ttf)");
}

TEST_F(BadInput, a_font_file_that_is_not_a_font) {
    std::string layout = copy_layout();
    write_file(layout + "/bad.ttf", "not a font\n");
    std::string font = replace_font(layout, "family=\"Roboto\" style=\"Bold\"", "file=\"bad.ttf\"");
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   font +
                       ": error: cannot read font: the file is missing or not a TrueType "
                       "font (" +
                       layout + "/bad.ttf)");
}

TEST_F(BadInput, a_broken_styles_file) {
    std::string layout = copy_layout();
    write_file(layout + "/styles.xml", "<styles>\n  <font name=\"regular\" family=\"Roboto\n</styles>\n");
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   layout + "/styles.xml:2:32: error: malformed XML: error parsing element attribute");
}

TEST_F(BadInput, a_missing_template) {
    std::string layout = copy_layout();
    fs::remove(layout + "/factsheet.mustache");
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   layout + "/factsheet.mustache: error: cannot read template: check the layout folder");
}

TEST_F(BadInput, a_template_with_an_unclosed_section_points_at_it) {
    std::string layout = copy_layout();
    fs::copy_file(source_path("tests/bad_input/unclosed-section.mustache"), layout + "/factsheet.mustache",
                  fs::copy_options::overwrite_existing);
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   layout +
                       "/factsheet.mustache:4:5: error: invalid template: unclosed section \"intro\"; "
                       "check the {{#...}} / {{/...}} pairs");
}

// What XML 1.0 calls not well-formed is refused though pugixml reads it, as xmllint refuses it.
class NotWellFormed : public BadInput {
protected:
    void expect_xmllint_refuses(const std::string& file) const {
        RunResult lint = run("xmllint --noout '" + source_path("tests/bad_input/" + file) + "'");
        if (lint.exit_code == 127) return;  // xmllint is a test package; without it, no comparison
        EXPECT_NE(lint.exit_code, 0) << file << " is well-formed for xmllint";
    }
};

TEST_F(NotWellFormed, an_attribute_written_twice) {
    expect_xmllint_refuses("duplicate-attribute.xml");
    expect_refused(build("duplicate-attribute.xml"),
                   "duplicate-attribute.xml:2:24: error: malformed XML: attribute \"id\" is written twice on "
                   "<operation>; keep one");
}

TEST_F(NotWellFormed, two_dashes_inside_a_comment) {
    expect_xmllint_refuses("comment-dashes.xml");
    expect_refused(
        build("comment-dashes.xml"),
        "comment-dashes.xml:21:16: error: malformed XML: \"--\" cannot be written inside a comment; "
        "write a single '-' or another character");
}

TEST_F(NotWellFormed, an_xml_declaration_after_a_line_break) {
    expect_xmllint_refuses("late-declaration.xml");
    expect_refused(
        build("late-declaration.xml"),
        "late-declaration.xml:2:1: error: malformed XML: the XML declaration <?xml ...?> must open "
        "the file, before anything else (a line break, a space, a comment, a second byte-order "
        "mark); move it to the very start or remove it");
}

TEST_F(NotWellFormed, two_byte_order_marks) {
    expect_xmllint_refuses("double-bom.xml");
    expect_refused(build("double-bom.xml"),
                   "double-bom.xml:1:2: error: malformed XML: a second byte-order mark (U+FEFF); a file may "
                   "start with one only: remove it");
}

TEST_F(NotWellFormed, a_less_than_sign_in_an_attribute_value) {
    expect_xmllint_refuses("lt-in-attribute.xml");
    expect_refused(build("lt-in-attribute.xml"),
                   "lt-in-attribute.xml:22:42: error: malformed XML: '<' cannot be written in an attribute "
                   "value; write &lt;");
}

TEST_F(NotWellFormed, in_the_layout_files_too) {
    std::string layout = copy_layout();
    std::string styles = read_file(layout + "/styles.xml");
    styles.replace(styles.find("<style name=\"body\""), 6, "<style size=\"9\"");
    write_file(layout + "/styles.xml", styles);
    RunResult r = build("valid.xml", " --layout '" + layout + "'");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(
        r.err.find("/styles.xml:26:63: error: malformed XML: attribute \"size\" is written twice on <style>; "
                   "keep one"),
        std::string::npos)
        << r.err;
    std::string labels = read_file(source_path("layouts/factsheet/labels.xml"));
    write_file(layout + "/styles.xml", read_file(source_path("layouts/factsheet/styles.xml")));
    write_file(layout + "/labels.xml", labels + "<!-- a -- b -->\n");
    r = build("valid.xml", " --layout '" + layout + "'");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("/labels.xml:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(": error: malformed XML: \"--\" cannot be written inside a comment"),
              std::string::npos)
        << r.err;
}

TEST_F(BadInput, an_id_ending_with_a_dash) {
    expect_refused(
        build("id-trailing-dash.xml"),
        "id-trailing-dash.xml:2:12: error: invalid operation id \"sample-\"; use lowercase letters "
        "a-z, digits and '-', starting and ending with a letter or digit, never '--', at most 64 "
        "characters");
}

TEST_F(BadInput, an_id_with_two_dashes) {
    expect_refused(
        build("id-double-dash.xml"),
        "id-double-dash.xml:2:12: error: invalid operation id \"sample--2\"; use lowercase letters "
        "a-z, digits and '-', starting and ending with a letter or digit, never '--', at most 64 "
        "characters");
}

TEST_F(BadInput, an_email_address_with_a_zero_width_space) {
    expect_refused(build("invisible-email.xml"),
                   "invisible-email.xml:30:7: error: email of team member \"Alimata Ouattara\" holds the "
                   "invisible character U+200B; retype the address without it");
}

TEST_F(BadInput, a_url_with_a_right_to_left_override) {
    expect_refused(build("bidi-url.xml"),
                   "bidi-url.xml:34:36: error: url of publication 1 holds the invisible character U+202E; "
                   "retype the address without it");
}

TEST_F(BadInput, funds_received_a_trillion_times_the_requirement) {
    expect_refused(
        build("funding-ratio.xml"),
        "funding-ratio.xml:21:40: error: funding-received figure \"funded\" is more than 10 times the "
        "funding-required figure \"required\" (a coverage over 1000%); check both values");
}

// A source is read only when it is a regular file: a FIFO would block the build, /dev/zero be
// read until the size limit.
TEST_F(BadInput, a_source_that_is_a_fifo_or_a_device) {
    ASSERT_EQ(run("mkfifo '" + dir_ + "/fifo.xml'").exit_code, 0);
    expect_refused(
        build("fifo.xml", "", dir_),
        "fifo.xml: error: cannot read fifo.xml: it is a FIFO (named pipe), not a regular file: give "
        "the path of an XML source");
    fs::create_symlink("/dev/zero", dir_ + "/zero.xml");
    expect_refused(build("zero.xml", "", dir_),
                   "zero.xml: error: cannot read zero.xml: it is a device, not a regular file: give the path "
                   "of an XML source");
}

// Every layout input is read only when it is a regular file of a sane size, and checked before
// any library sees it: nothing can block, run for minutes or fail later without a place.
TEST_F(BadInput, a_template_that_is_a_fifo) {
    std::string layout = copy_layout();
    fs::remove(layout + "/factsheet.mustache");
    ASSERT_EQ(run("mkfifo '" + layout + "/factsheet.mustache'").exit_code, 0);
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   layout +
                       "/factsheet.mustache: error: the template is a FIFO (named pipe), not a regular file: "
                       "give the path of a file");
}

TEST_F(BadInput, a_template_that_is_dev_zero) {
    std::string layout = copy_layout();
    fs::remove(layout + "/factsheet.mustache");
    fs::create_symlink("/dev/zero", layout + "/factsheet.mustache");
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   layout +
                       "/factsheet.mustache: error: the template is a device, not a regular file: give the "
                       "path of a file");
}

TEST_F(BadInput, labels_and_a_font_that_are_fifos) {
    std::string layout = copy_layout();
    fs::remove(layout + "/labels.xml");
    ASSERT_EQ(run("mkfifo '" + layout + "/labels.xml'").exit_code, 0);
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   layout +
                       "/labels.xml: error: the labels file is a FIFO (named pipe), not a regular file: give "
                       "the path of a file");
    fs::remove(layout + "/labels.xml");
    fs::copy_file(source_path("layouts/factsheet/labels.xml"), layout + "/labels.xml");
    ASSERT_EQ(run("mkfifo '" + layout + "/fifo.ttf'").exit_code, 0);
    std::string font = replace_font(layout, "family=\"Roboto\" style=\"Bold\"", "file=\"fifo.ttf\"");
    expect_refused(
        build("valid.xml", " --layout '" + layout + "'"),
        font + ": error: the font is a FIFO (named pipe), not a regular file: give the path of a file (" +
            layout + "/fifo.ttf)");
}

TEST_F(BadInput, sections_nested_50000_deep) {
    std::string layout = copy_layout();
    std::string text;
    for (int i = 0; i < 50000; ++i) text += "{{^x}}";
    for (int i = 0; i < 50000; ++i) text += "{{/x}}";
    write_file(layout + "/factsheet.mustache", text);
    auto start = std::chrono::steady_clock::now();
    RunResult r = build("valid.xml", " --layout '" + layout + "'");
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    expect_refused(r, layout +
                          "/factsheet.mustache:1:601: error: invalid template: sections nested more than "
                          "100 deep; close some {{#...}} / {{^...}} before opening more");
    EXPECT_LT(seconds, 5.0);
}

TEST_F(BadInput, sections_nested_deep_behind_changed_delimiters) {
    std::string layout = copy_layout();
    std::string text = "{{=<% %>=}}\n";
    for (int i = 0; i < 101; ++i) text += "<%#lang%>";
    write_file(layout + "/factsheet.mustache", text);
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   layout +
                       "/factsheet.mustache:2:901: error: invalid template: sections nested more than 100 "
                       "deep; close some {{#...}} / {{^...}} before opening more");
}

TEST_F(BadInput, list_sections_repeated_inside_each_other) {
    // 30 sections of one list, each inside the last: the sample's one figure renders once, but a
    // source of 8 figures would render 8^30 times, so the template is refused before rendering.
    std::string layout = copy_layout();
    std::string text = "<document>\n";
    for (int i = 0; i < 30; ++i) text += "{{#figures}}";
    for (int i = 0; i < 30; ++i) text += "{{/figures}}";
    write_file(layout + "/factsheet.mustache", text + "</document>\n");
    std::string source = read_file(source_path("input/mali.xml"));
    write_file(dir_ + "/mali.xml", source);
    auto start = std::chrono::steady_clock::now();
    RunResult r = build("mali.xml", " --layout '" + layout + "'", dir_);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    expect_refused(r, layout +
                          "/factsheet.mustache:2:1: error: invalid template: section \"figures\" and those "
                          "inside it may render their content more than 1000000 times over this edition: a "
                          "list section repeated inside another one? ({{#team}}...{{#team}})");
    EXPECT_LT(seconds, 5.0);
}

TEST_F(BadInput, a_style_of_size_zero) {
    std::string layout = copy_layout();
    std::string styles = read_file(layout + "/styles.xml");
    styles.replace(styles.find("size=\"12.5\""), 11, "size=\"0\"");
    write_file(layout + "/styles.xml", styles);
    expect_refused(build("valid.xml", " --layout '" + layout + "'"),
                   layout +
                       "/styles.xml:29:3: error: attribute size=\"0\" must be a number of points more than 0 "
                       "to 200");
}

TEST_F(BadInput, a_border_wider_than_a_pdf_line_can_be) {
    std::string layout = copy_layout();
    std::string styles = read_file(layout + "/styles.xml");
    styles.replace(styles.find("<style name=\"heading\""), 6, "<style border-width=\"1e9\"");
    write_file(layout + "/styles.xml", styles);
    expect_refused(
        build("valid.xml", " --layout '" + layout + "'"),
        layout +
            "/styles.xml:29:3: error: attribute border-width=\"1e9\" must be a number of points from "
            "0 to 100");
}

TEST_F(BadInput, ten_thousand_fonts) {
    std::string layout = copy_layout();
    std::string styles = read_file(layout + "/styles.xml");
    std::string fonts;
    for (int i = 0; i < 10000; ++i)
        fonts += "<font name=\"f" + std::to_string(i) + "\" family=\"Roboto\"/>\n";
    std::size_t at = styles.find("<style ");
    int line = 1;
    for (std::size_t i = 0; i < at; ++i) line += styles[i] == '\n';
    styles.insert(at, fonts);
    write_file(layout + "/styles.xml", styles);
    auto start = std::chrono::steady_clock::now();
    RunResult r = build("valid.xml", " --layout '" + layout + "'");
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // The factsheet layout has two fonts: the 31st added is the 33rd.
    expect_refused(
        r, layout + "/styles.xml:" + std::to_string(line + 30) +
               ":1: error: a styles file may define at most 32 fonts; this is one more: use fewer fonts");
    EXPECT_LT(seconds, 5.0);
}

TEST_F(BadInput, an_output_folder_under_a_regular_file) {
    // Permissions do not stop root, which runs the tests in CI: a path through a file stops anyone.
    write_file(dir_ + "/plain.txt", "a file, not a folder\n");
    RunResult r = run("cd '" + source_path("tests/bad_input") + "' && '" + binary_path() +
                      "' build valid.xml --out '" + dir_ + "/plain.txt/sub'");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, dir_ + "/plain.txt/sub: error: cannot create the output folder: Not a directory\n");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(read_file(dir_ + "/plain.txt"), "a file, not a folder\n");
}

TEST_F(BadInput, a_file_size_limit_leaves_no_partial_pdf) {
    // ulimit -f stands in for a full disk: writes past 8 KiB fail (EFBIG) like writes to a full one.
    RunResult r = build("valid.xml", "", "");
    ASSERT_EQ(r.exit_code, 0);
    std::string good_fr = read_file(out_ + "/sample-fr.pdf");
    write_file(out_ + "/sample-en.pdf", earlier_pdf);
    fs::remove(out_ + "/sample-fr.pdf");
    r = run("cd '" + source_path("tests/bad_input") + "' && (ulimit -f 8 && exec '" + binary_path() +
            "' build valid.xml --out '" + out_ + "')");
    ASSERT_GT(good_fr.size(), 8u * 1024) << "the PDF must be larger than the limit";
    expect_refused(r, out_ + "/sample-en.pdf: error: cannot write: File too large");
}

// The editions of a source are written together: when the last cannot be written (here the
// combined edition, the largest, past a file-size limit), the others keep their issued files too.
TEST_F(BadInput, an_edition_that_cannot_be_written_keeps_every_edition_of_its_source) {
    std::string source = read_file(source_path("tests/bad_input/valid.xml"));
    write_file(dir_ + "/sample.xml", source);
    for (const std::string command : {"build sample.xml", "batch . -j 1"}) {
        SCOPED_TRACE(command);
        fs::remove_all(out_);
        std::string start = "cd '" + dir_ + "' && '" + binary_path() + "' -q ";
        std::string end = " --lang en,fr,en+fr --out '" + out_ + "'";
        ASSERT_EQ(run(start + command + end).exit_code, 0);
        std::string en = read_file(out_ + "/sample-en.pdf"), fr = read_file(out_ + "/sample-fr.pdf");
        std::size_t both = fs::file_size(out_ + "/sample-en-fr.pdf");
        // A new state of the source, then a limit the single editions pass and the combined one not.
        std::string changed = source;
        changed.replace(changed.find("2023-09-30"), 10, "2023-10-31");
        write_file(dir_ + "/sample.xml", changed);
        // The shell's ulimit -f counts blocks of 512 bytes (POSIX; dash, which runs the commands).
        std::size_t blocks = (std::max(en.size(), fr.size()) + 2048) / 512;
        ASSERT_LT(blocks * 512, both) << "the combined edition must be the one past the limit";
        RunResult r = run("cd '" + dir_ + "' && (ulimit -f " + std::to_string(blocks) + " && exec '" +
                          binary_path() + "' -q " + command + end + ")");
        EXPECT_EQ(r.exit_code, 1);
        EXPECT_NE(r.err.find(out_ + "/sample-en-fr.pdf: error: cannot write: File too large"),
                  std::string::npos)
            << r.err;
        EXPECT_EQ(read_file(out_ + "/sample-en.pdf"), en);
        EXPECT_EQ(read_file(out_ + "/sample-fr.pdf"), fr);
        for (const auto& entry : fs::directory_iterator(out_))
            EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
        write_file(dir_ + "/sample.xml", source);
    }
}

TEST_F(BadInput, a_full_filesystem_leaves_no_partial_pdf) {
    std::string mount = dir_ + "/small";
    fs::create_directory(mount);
    if (run("mount -t tmpfs -o size=8k tmpfs '" + mount + "'").exit_code != 0)
        GTEST_SKIP() << "cannot mount a small tmpfs here (needs root and mount rights)";
    write_file(mount + "/sample-en.pdf", earlier_pdf);
    RunResult r = run("cd '" + source_path("tests/bad_input") + "' && '" + binary_path() +
                      "' build valid.xml --out '" + mount + "'");
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(mount)) names.push_back(entry.path().filename().string());
    std::string kept = read_file(mount + "/sample-en.pdf");
    run("umount '" + mount + "'");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, mount + "/sample-en.pdf: error: cannot write: No space left on device\n");
    EXPECT_EQ(names, std::vector<std::string>{"sample-en.pdf"});
    EXPECT_EQ(kept, earlier_pdf);
}

}  // namespace
