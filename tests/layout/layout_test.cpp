#include "layout/layout.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "layout/fixed_font.hpp"
#include "layout/paragraph.hpp"
#include "layout/pictures.hpp"

using namespace factsheet;

namespace {

// A page of 200 x 300 pt with 20 pt margins: the body is 160 pt wide and 260 pt high.
StyleSheet fixed_sheet() {
    StyleSheet sheet;
    sheet.file = "styles.xml";
    sheet.page = PageGeometry{200, 300, 20, 20, 20, 20, 5, 5};
    sheet.fonts.push_back(std::make_shared<test::FixedFont>());
    sheet.font_names["fixed"] = 0;
    Style body;
    body.name = "body";
    body.size = 10;
    body.leading = 12;
    body.align = Align::justify;
    sheet.styles["body"] = body;
    Style left = body;
    left.name = "left";
    left.align = Align::left;
    sheet.styles["left"] = left;
    Style head = left;
    head.name = "head";
    head.space_before = 10;
    sheet.styles["head"] = head;
    Style box;
    box.name = "box";
    box.padding = {5, 5, 5, 5};
    box.background = Color{0.9, 0.9, 0.9};
    sheet.styles["box"] = box;
    Style row = box;
    row.name = "row";
    row.background.reset();
    row.padding = {};
    row.gap = 10;
    sheet.styles["row"] = row;
    Style spaced = left;
    spaced.name = "spaced";
    spaced.space_after = 6;
    spaced.space_shrink = 0.5;
    sheet.styles["spaced"] = spaced;
    Style bar;
    bar.name = "bar";
    bar.height = 4;
    bar.color = Color{1, 0.5, 0};
    bar.overflow_color = Color{0.5, 0.2, 0};
    sheet.styles["bar"] = bar;
    return sheet;
}

// The pagination tests below count lines on tiny pages: the last-page rule is tested on its own.
TypesetRules plain_rules() {
    TypesetRules rules;
    rules.least_last_page = 0;
    return rules;
}

PagedDocument lay_out(const std::string& body, std::vector<Diagnostic>& warnings,
                      const std::string& extra = "", TypesetRules rules = plain_rules()) {
    LayoutEngine engine(fixed_sheet(), rules);
    std::string markup =
        "<document lang=\"xx\" title=\"T\">" + extra + "<body>" + body + "</body></document>";
    return engine.lay_out(markup, "m.xml", warnings);
}

std::vector<TextItem> texts(const Page& page) {
    std::vector<TextItem> out;
    for (const PageItem& item : page.items)
        if (auto* t = std::get_if<TextItem>(&item)) out.push_back(*t);
    return out;
}

double width_of(const TextItem& t) {
    return test::FixedFont().text_width(t.text, t.size);
}

}  // namespace

// Kerning is measured and handed to the renderer: "xzxzx" is 5 x 5 pt, less 2 x 1 pt, plus
// 2 x 0.6 pt; right aligned, a kerned text still ends at the margin.
TEST(layout, kerning_is_measured_and_carried_by_the_text_items) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out("<p style=\"left\">xzxzx zz</p>", warnings);
    ASSERT_EQ(doc.pages.size(), 1u);
    std::vector<TextItem> t = texts(doc.pages[0]);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0].text, "xzxzx");
    EXPECT_EQ(t[0].kerning, (std::vector<TextItem::Kern>{{1, -100}, {2, 60}, {3, -100}, {4, 60}}));
    EXPECT_EQ(t[1].text, "zz");
    EXPECT_TRUE(t[1].kerning.empty());
    EXPECT_DOUBLE_EQ(width_of(t[0]), 25 - 2 + 1.2);
    EXPECT_DOUBLE_EQ(t[1].x - t[0].x, 25 - 2 + 1.2 + 2.5);

    StyleSheet sheet = fixed_sheet();
    Style right = sheet.styles["left"];
    right.name = "right";
    right.align = Align::right;
    sheet.styles["right"] = right;
    LayoutEngine engine(sheet);
    doc =
        engine.lay_out("<document lang=\"xx\" title=\"T\"><body><p style=\"right\">axz</p></body></document>",
                       "m.xml", warnings);
    t = texts(doc.pages[0]);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_DOUBLE_EQ(t[0].x, 20 + 160 - 14);
    EXPECT_EQ(t[0].kerning, (std::vector<TextItem::Kern>{{2, -100}}));
}

// The kerning across a hyphenation point counts when the word stays whole and gives way to the
// hyphen's when the line breaks there, as TeX's discretionaries do.
TEST(layout, kerning_across_a_hyphenation_point) {
    std::vector<std::shared_ptr<const FontMetrics>> fonts{std::make_shared<test::FixedFont>()};
    HyphenationExceptions exceptions{{"aaxzaa", {3}}};  // aax-zaa
    std::vector<double> widths;
    auto set = [&](const std::string& text, double measure) {
        ParagraphSpec spec;
        spec.runs.push_back(InlineRun{text, 0, 10, {}, "", true, false, "", ""});
        std::vector<Diagnostic> warnings;
        SetParagraph result =
            set_paragraph(spec, measure, fonts, nullptr, TypesetRules{}, warnings, &exceptions);
        EXPECT_TRUE(warnings.empty());
        std::vector<TextItem> out;
        widths.clear();
        for (const SetLine& line : result.lines) {
            widths.push_back(line.natural_width);
            for (const PageItem& item : line.items)
                if (auto* t = std::get_if<TextItem>(&item)) out.push_back(*t);
        }
        return out;
    };
    // Whole: 30 pt less 1 pt of kerning across the hyphenation point.
    std::vector<TextItem> t = set("aaxzaa", 100);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].kerning, (std::vector<TextItem::Kern>{{3, -100}}));
    EXPECT_EQ(widths, (std::vector<double>{29}));

    // Broken: "aax-" is 15 + 3 pt, without the kerning across (which would make it 17 pt).
    t = set("aaxzaa", 18);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0].text, "aax-");
    EXPECT_TRUE(t[0].kerning.empty());
    EXPECT_EQ(t[1].text, "zaa");
    EXPECT_TRUE(t[1].kerning.empty());
    EXPECT_EQ(widths, (std::vector<double>{18, 15}));
}

TEST(layout, sets_a_left_aligned_paragraph_in_its_box) {
    std::vector<Diagnostic> warnings;
    // 160 pt holds 31 characters of 5 pt... "aaaa " words are 20 pt + 2.5 pt space.
    PagedDocument doc =
        lay_out("<p style=\"left\">aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii</p>", warnings);
    ASSERT_EQ(doc.pages.size(), 1u);
    std::vector<TextItem> t = texts(doc.pages[0]);
    ASSERT_EQ(t.size(), 9u);
    // Seven words fit the first line: 7 * 20 + 6 * 2.5 = 155 <= 160.
    EXPECT_DOUBLE_EQ(t[0].x, 20);
    EXPECT_DOUBLE_EQ(t[6].x, 20 + 6 * 22.5);
    EXPECT_EQ(t[7].text, "hhhh");
    EXPECT_DOUBLE_EQ(t[7].x, 20);
    // Line boxes are 12 pt; the baseline sits at half-leading + ascent: (12 - 10) / 2 + 8 = 9.
    EXPECT_DOUBLE_EQ(t[0].y, 20 + 9);
    EXPECT_DOUBLE_EQ(t[7].y, 20 + 12 + 9);
    EXPECT_TRUE(warnings.empty());
}

TEST(layout, justified_lines_fill_the_measure_and_the_last_does_not) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out(
        "<p style=\"body\">aaa bb cccc d eeeee ff ggg hhhh ii jjjjj k llll mm nnn ooooo p qq rrrr</p>",
        warnings);
    std::vector<TextItem> t = texts(doc.pages[0]);
    std::map<double, std::vector<TextItem>> lines;
    for (const TextItem& item : t) lines[item.y].push_back(item);
    ASSERT_GE(lines.size(), 2u);
    std::size_t n = 0;
    for (auto& [y, items] : lines) {
        ++n;
        double right = items.back().x + width_of(items.back());
        EXPECT_DOUBLE_EQ(items.front().x, 20);
        if (n < lines.size())
            EXPECT_NEAR(right, 180, 1e-6) << "line " << n << " is not justified";
        else
            EXPECT_LT(right, 180 - 1) << "the last line is not stretched";
    }
}

TEST(layout, nothing_is_drawn_outside_the_margins) {
    std::vector<Diagnostic> warnings;
    std::string words;
    for (int i = 0; i < 400; ++i)
        words += std::string(static_cast<std::size_t>(1 + i % 7), static_cast<char>('a' + i % 26)) + " ";
    PagedDocument doc =
        lay_out("<p style=\"body\">" + words + "</p><p style=\"left\">" + words + "</p>", warnings);
    ASSERT_GT(doc.pages.size(), 2u);
    for (const Page& page : doc.pages)
        for (const TextItem& t : texts(page)) {
            EXPECT_GE(t.x, 20 - 1e-6);
            EXPECT_LE(t.x + width_of(t), 180 + 1e-6) << t.text;
            EXPECT_GE(t.y - 8, 20 - 1e-6);
            EXPECT_LE(t.y + 2, 280 + 1e-6);
        }
}

TEST(layout, an_overlong_email_breaks_after_the_at_sign_and_dots) {
    std::vector<Diagnostic> warnings;
    // 40 characters (200 pt) in a 160 pt measure.
    PagedDocument doc = lay_out(
        "<p style=\"left\"><a href=\"mailto:x\">azetocarine.ouedraogo@drc-example.ngo</a></p>", warnings);
    std::vector<TextItem> t = texts(doc.pages[0]);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0].text, "azetocarine.ouedraogo@");
    EXPECT_EQ(t[1].text, "drc-example.ngo");
    // Broken, the address no longer reads as one: a warning (an error with --strict).
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(
        warnings[0].message,
        "\"azetocarine.ouedraogo@drc-example.ngo\" is wider than its box (183 pt > 160 pt) and is broken "
        "after \"@\", \".\", \"/\" or \"_\": shorten it or widen the box");
    int links = 0;
    for (const PageItem& item : doc.pages[0].items)
        if (auto* l = std::get_if<LinkItem>(&item)) {
            ++links;
            EXPECT_EQ(l->uri, "mailto:x");
        }
    EXPECT_EQ(links, 2) << "one link area per line";
}

TEST(layout, a_word_with_no_break_point_is_split_with_a_warning) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc =
        lay_out("<p style=\"left\" src=\"in.xml:4:9\">" + std::string(40, 'x') + "</p>", warnings);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(format_warning(warnings[0]), "in.xml:4:9: warning: \"" + std::string(40, 'x') +
                                               "\" is wider than its box (200 pt > 160 pt) and is broken "
                                               "between letters: shorten it or widen the box");
    for (const TextItem& t : texts(doc.pages[0])) EXPECT_LE(t.x + width_of(t), 180 + 1e-6);
}

// A justified paragraph may be built twice (without, then with hyphenation): its warnings are
// given once.
TEST(layout, a_justified_paragraph_warns_once) {
    std::vector<std::shared_ptr<const FontMetrics>> fonts{std::make_shared<test::FixedFont>()};
    ParagraphSpec spec;
    spec.runs.push_back(InlineRun{std::string(40, 'x') + " aaa bbb", 0, 10, {}, "", true, false, "", ""});
    spec.align = Align::justify;
    // 157 pt: no line of 5 pt letters fits it exactly, so the first pass (and the second) fail,
    // and the paragraph is built twice; a first pass that succeeds builds it once.
    for (double measure : {157.0, 160.0}) {
        std::vector<Diagnostic> warnings;
        set_paragraph(spec, measure, fonts, nullptr, TypesetRules{}, warnings);
        EXPECT_EQ(warnings.size(), 1u) << measure;
    }
}

TEST(layout, a_missing_glyph_names_the_character_and_the_source) {
    std::vector<Diagnostic> warnings;
    try {
        lay_out("<p style=\"left\" src=\"input/x.xml:7:12\">abc \xD9\x85</p>", warnings);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "input/x.xml:7:12: error: character U+0645 (\"\xD9\x85\") is not in the font fixed.ttf: "
                     "remove it from the text or choose a font that has it");
    }
}

TEST(layout, an_overlong_word_is_quoted_by_its_beginning_in_the_warning) {
    std::vector<Diagnostic> warnings;
    lay_out("<p style=\"left\" src=\"in.xml:4:9\">" + std::string(10000, 'x') + "</p>", warnings);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(
        format_warning(warnings[0]),
        "in.xml:4:9: warning: \"" + std::string(40, 'x') +
            "...\" is wider than its box (50000 pt > 160 pt) and is broken between letters: shorten it or "
            "widen the box");
}

TEST(layout, deep_nesting_is_an_error_not_a_stack_overflow) {
    std::string boxes, inlines;
    for (int i = 0; i < 100000; ++i) boxes += "<box style=\"row\">";  // 17 characters, no padding
    for (int i = 0; i < 100000; ++i) inlines += "<b>";
    std::vector<Diagnostic> warnings;
    try {
        lay_out(boxes, warnings);  // unclosed: pugixml closes nothing, so the markup is malformed
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).find("m.xml:1:"), 0u) << e.what();
    }
    std::string closed_boxes = boxes;
    for (int i = 0; i < 100000; ++i) closed_boxes += "</box>";
    try {
        lay_out(closed_boxes, warnings);
        FAIL();
    } catch (const Error& e) {
        // <body> (its content starts at column 37) is level 1: the content of the 100th <box> is too deep.
        EXPECT_STREQ(e.what(), ("m.xml:1:" + std::to_string(37 + 99 * 17) +
                                ": error: elements are nested more than 100 deep: flatten the layout markup")
                                   .c_str());
    }
    std::string closed_inlines = "<p style=\"left\">" + inlines;
    for (int i = 0; i < 100000; ++i) closed_inlines += "</b>";
    try {
        lay_out(closed_inlines + "</p>", warnings);
        FAIL();
    } catch (const Error& e) {
        // The <p> (column 37, 16 characters) is level 2 under <body>: its 99th <b> would be level 101.
        EXPECT_STREQ(e.what(), ("m.xml:1:" + std::to_string(37 + 16 + 98 * 3) +
                                ": error: elements are nested more than 100 deep: flatten the layout markup")
                                   .c_str());
    }
}

TEST(layout, a_src_that_does_not_parse_points_at_the_markup) {
    std::vector<Diagnostic> warnings;
    try {
        lay_out("<p style=\"left\" src=\"x.xml:1:99999999999999999999\">\xD9\x85</p>", warnings);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "m.xml:1:37: error: character U+0645 (\"\xD9\x85\") is not in the font fixed.ttf: "
                     "remove it from the text or choose a font that has it");
    }
}

TEST(layout, unknown_style_and_element_are_errors_at_the_markup_position) {
    std::vector<Diagnostic> warnings;
    try {
        lay_out("\n<p style=\"nope\">x</p>", warnings);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "m.xml:2:1: error: unknown style \"nope\": define it in styles.xml");
    }
    try {
        lay_out("<table/>", warnings);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "m.xml:1:37: error: unknown block <table>: use p, h, box, row, grid, bar, rule, space, "
                     "image, map or qr");
    }
}

TEST(layout, row_boxes_share_the_width_and_take_the_same_height) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out(
        "<row style=\"row\"><box style=\"box\" width=\"1*\"><p style=\"left\">a</p></box>"
        "<box style=\"box\" width=\"3*\"><p style=\"left\">b</p><p style=\"left\">c</p></box></row>",
        warnings);
    std::vector<RectItem> rects;
    for (const PageItem& item : doc.pages[0].items)
        if (auto* r = std::get_if<RectItem>(&item)) rects.push_back(*r);
    ASSERT_EQ(rects.size(), 2u);
    // 160 - 10 gap = 150, shared 1:3.
    EXPECT_DOUBLE_EQ(rects[0].rect.width, 37.5);
    EXPECT_DOUBLE_EQ(rects[1].rect.x, 20 + 37.5 + 10);
    EXPECT_DOUBLE_EQ(rects[1].rect.width, 112.5);
    EXPECT_DOUBLE_EQ(rects[0].rect.height, 5 + 24 + 5);
    EXPECT_DOUBLE_EQ(rects[1].rect.height, 5 + 24 + 5);
}

namespace {
// Filler paragraphs of one line each, then one paragraph of `lines` lines; returns the number of
// text items on each page.
std::vector<std::size_t> split(int fillers, int lines) {
    std::vector<Diagnostic> warnings;
    std::string body;
    for (int i = 0; i < fillers; ++i) body += "<p style=\"left\">f</p>";
    body += "<p style=\"left\">";
    for (int i = 0; i < lines; ++i) body += (i ? "<br/>" : "") + std::string(5, static_cast<char>('a' + i));
    body += "</p>";
    std::vector<std::size_t> counts;
    for (const Page& page : lay_out(body, warnings).pages) counts.push_back(texts(page).size());
    return counts;
}
}  // namespace

// The body holds 21 lines of 12 pt (260 pt).
TEST(layout, paragraphs_split_between_lines_when_both_parts_have_two) {
    EXPECT_EQ(split(17, 6), (std::vector<std::size_t>{21, 2}));
}

TEST(layout, no_orphan_a_lone_first_line_goes_over_with_the_rest) {
    EXPECT_EQ(split(20, 4), (std::vector<std::size_t>{20, 4}));
}

TEST(layout, no_widow_a_lone_last_line_takes_one_more_with_it) {
    EXPECT_EQ(split(18, 4), (std::vector<std::size_t>{20, 2}));
}

TEST(layout, a_heading_keeps_with_what_follows) {
    std::vector<Diagnostic> warnings;
    std::string filler;
    for (int i = 0; i < 20; ++i) filler += "<p style=\"left\">f</p>";
    PagedDocument doc =
        lay_out(filler + "<h style=\"left\">Title</h><p style=\"left\">aaaa<br/>bbbb</p>", warnings);
    ASSERT_EQ(doc.pages.size(), 2u);
    std::vector<TextItem> second = texts(doc.pages[1]);
    ASSERT_EQ(second.size(), 3u);
    EXPECT_EQ(second[0].text, "Title");
}

TEST(layout, boxes_are_never_split_across_pages) {
    std::vector<Diagnostic> warnings;
    std::string filler;
    for (int i = 0; i < 18; ++i) filler += "<p style=\"left\">f</p>";
    PagedDocument doc = lay_out(
        filler +
            "<box style=\"box\"><p style=\"left\">a</p><p style=\"left\">b</p><p style=\"left\">c</p></box>",
        warnings);
    ASSERT_EQ(doc.pages.size(), 2u);
    EXPECT_EQ(texts(doc.pages[0]).size(), 18u);
    EXPECT_EQ(texts(doc.pages[1]).size(), 3u);
}

TEST(layout, header_and_footer_repeat_with_page_numbers) {
    std::vector<Diagnostic> warnings;
    std::string filler;
    for (int i = 0; i < 30; ++i) filler += "<p style=\"left\">f</p>";
    PagedDocument doc = lay_out(filler, warnings,
                                "<header><p style=\"left\">Head</p></header>"
                                "<footer><p style=\"left\"><page-number/> / <page-count/></p></footer>");
    ASSERT_EQ(doc.pages.size(), 2u);
    for (std::size_t p = 0; p < 2; ++p) {
        std::vector<TextItem> t = texts(doc.pages[p]);
        auto has = [&](const std::string& s, double y) {
            return std::any_of(t.begin(), t.end(),
                               [&](const TextItem& i) { return i.text == s && i.y == y; });
        };
        EXPECT_TRUE(has("Head", 5 + 9));
        // The footer's bottom sits 5 pt above the page's bottom edge: 300 - 5 - 12 + 9.
        EXPECT_TRUE(has(std::to_string(p + 1), 300 - 5 - 12 + 9)) << p;
        EXPECT_TRUE(has("/", 300 - 5 - 12 + 9));
    }
}

TEST(layout, only_fonts_in_use_are_listed) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out("<p style=\"left\">a</p>", warnings);
    ASSERT_EQ(doc.fonts.size(), 1u);
    EXPECT_EQ(doc.fonts[0].path, "fixed.ttf");
    EXPECT_EQ(doc.info.title, "T");
}

TEST(layout, capitalized_words_are_not_hyphenated) {
    auto sheet = fixed_sheet();
    sheet.styles["body"].hyphenate = true;
    // "Tombouctou" hyphenates as Tom-bouc-tou; where the measure makes breaking inside it the best
    // choice, it is broken only when capitalized words may be.
    std::string markup =
        "<document lang=\"fr\"><body><p style=\"body\">aaaaaaaaaaaaaaaaaaaaaaa Tombouctou "
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbb cc</p></body></document>";
    auto hyphens = [&](bool capitalized) {
        TypesetRules rules;
        rules.hyphenate_capitalized = capitalized;
        LayoutEngine engine(sheet, rules);
        std::vector<Diagnostic> warnings;
        PagedDocument doc = engine.lay_out(markup, "m.xml", warnings);
        int n = 0;
        for (const PageItem& item : doc.pages[0].items)
            if (auto* t = std::get_if<TextItem>(&item)) n += t->text.back() == '-' ? 1 : 0;
        return n;
    };
    EXPECT_EQ(hyphens(true), 1) << "the control case must hyphenate, or this test proves nothing";
    EXPECT_EQ(hyphens(false), 0);
}

TEST(layout, a_misspelt_attribute_is_an_error_not_silence) {
    std::vector<Diagnostic> warnings;
    try {
        lay_out("<p style=\"left\" keep-with-nxt=\"yes\">a</p>", warnings);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "m.xml:1:37: error: unknown attribute \"keep-with-nxt\" on <p>: use style, src, "
                     "keep-with-next, hyphenate, max-lines, shrink-to-fit, tag");
    }
    EXPECT_THROW(lay_out("<p style=\"left\" keep-with-next=\"true\">a</p>", warnings), Error);
}

TEST(layout, numbers_in_the_markup_are_finite_and_bounded) {
    std::vector<Diagnostic> warnings;
    for (std::string value : {"inf", "nan", "1e300", "-1e9"}) {
        try {
            lay_out("<space height=\"" + value + "\"/>", warnings);
            FAIL() << value;
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()), "m.xml:1:37: error: height=\"" + value +
                                                 "\" must be a number from -1000000 to 1000000");
        }
    }
    EXPECT_THROW(lay_out("<p style=\"left\" shrink-to-fit=\"nan\">a</p>", warnings), Error);
}

TEST(layout, markup_that_is_not_well_formed_is_refused) {
    std::vector<Diagnostic> warnings;
    try {
        lay_out("<p style=\"left\" style=\"left\">a</p>", warnings);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(
            e.what(),
            "m.xml:1:53: error: malformed XML: attribute \"style\" is written twice on <p>; keep one");
    }
}

TEST(layout, a_warning_inside_a_row_is_given_once) {
    std::vector<Diagnostic> warnings;
    lay_out("<row style=\"row\"><box style=\"box\"><p style=\"left\">" + std::string(40, 'x') +
                "</p></box></row>",
            warnings);
    EXPECT_EQ(warnings.size(), 1u);
}

TEST(fonts, roboto_widths_match_the_pdf_width_array_and_missing_glyphs_are_known) {
    TrueTypeFont roboto(find_font_file("Roboto", "Regular"));
    // Roboto's 'a' is 1113 of 2048 units: 543.46 per 1000 em, truncated as libharu writes it
    // (tests/pdf checks every width against the PDF's own width array).
    EXPECT_DOUBLE_EQ(roboto.advance('a'), 543);
    EXPECT_TRUE(roboto.has_glyph(0x202F));   // narrow no-break space
    EXPECT_TRUE(roboto.has_glyph(0x0153));   // œ
    EXPECT_FALSE(roboto.has_glyph(0x0645));  // Arabic meem
    EXPECT_FALSE(roboto.has_glyph(0x1F600));
    EXPECT_GT(roboto.ascent(), 0);
    EXPECT_LT(roboto.descent(), 0);
}

TEST(fonts, a_missing_family_is_an_error_naming_it) {
    try {
        find_font_file("No Such Family", "Regular");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("font \"No Such Family Regular\" is not installed"),
                  std::string::npos)
            << e.what();
    }
}

TEST(layout, attributes_of_row_boxes_and_inline_elements_are_checked_too) {
    std::vector<Diagnostic> warnings;
    EXPECT_THROW(
        lay_out("<row style=\"row\"><box style=\"box\" widht=\"1*\"><p style=\"left\">a</p></box></row>",
                warnings),
        Error);
    try {
        lay_out("<p style=\"left\">a<br x=\"1\"/></p>", warnings);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("unknown attribute \"x\" on <br>: it takes none"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(lay_out("<p style=\"left\" hyphenate=\"maybe\">a</p>", warnings), Error);
}

namespace {

// The lines ending with an inserted hyphen when `engine` sets a French paragraph holding `word`
// (hyphenated body text) in a document with the hyphenation `exceptions` given.
std::vector<std::string> hyphenated_ends(const LayoutEngine& engine, const std::string& word,
                                         const std::string& exceptions) {
    std::vector<Diagnostic> warnings;
    std::string markup = "<document lang=\"fr\">" + exceptions +
                         "<body><p style=\"body\">aaaaaaaaaaaaaaaaaaaaaaa " + word +
                         " bbbbbbbbbbbbbbbbbbbbbbbbbbbb cc</p></body></document>";
    std::vector<std::string> ends;
    PagedDocument doc = engine.lay_out(markup, "m.xml", warnings);
    for (const PageItem& item : doc.pages[0].items)
        if (auto* t = std::get_if<TextItem>(&item))
            if (t->text.back() == '-') ends.push_back(t->text);
    return ends;
}

StyleSheet hyphenating_sheet() {
    StyleSheet sheet = fixed_sheet();
    sheet.styles["body"].hyphenate = true;
    return sheet;
}

}  // namespace

TEST(layout, the_documents_hyphenation_exceptions_come_before_the_dictionary) {
    // "Tombouctou" is capitalized: not hyphenated, unless an exception says where it may break.
    // "interventions" would be hyphenated from the dictionary, unless an exception keeps it whole.
    auto hyphenated = [](const std::string& word, const std::string& exceptions) {
        return hyphenated_ends(LayoutEngine(hyphenating_sheet()), word, exceptions);
    };
    EXPECT_EQ(hyphenated("Tombouctou", ""), std::vector<std::string>{});
    EXPECT_EQ(hyphenated("Tombouctou", "<hyphenation word=\"Tom-bouc-tou\"/>"),
              std::vector<std::string>{"Tombouc-"});
    EXPECT_EQ(hyphenated("interventions,", "").size(), 1u)
        << "the control case hyphenates from the dictionary";
    EXPECT_EQ(hyphenated("interventions,", "<hyphenation word=\"interventions\"/>"),
              std::vector<std::string>{});
}

// One engine sets a paragraph once for the documents it lays out: a paragraph seen before gives
// the same lines, and its warnings are placed where this document has it.
TEST(layout, a_paragraph_set_for_one_document_serves_the_next_with_its_own_positions) {
    LayoutEngine engine(fixed_sheet(), plain_rules());
    auto document = [&](const std::string& src, std::vector<Diagnostic>& warnings) {
        std::string markup = "<document lang=\"xx\" title=\"T\"><body><p style=\"left\" src=\"" + src +
                             "\">" + std::string(40, 'x') + " and some words after it</p></body></document>";
        return engine.lay_out(markup, "m.xml", warnings);
    };
    std::vector<Diagnostic> first_warnings, second_warnings;
    PagedDocument first = document("a.xml:4:9", first_warnings);
    PagedDocument second = document("b.xml:7:2", second_warnings);
    ASSERT_EQ(first_warnings.size(), 1u);
    ASSERT_EQ(second_warnings.size(), 1u);
    EXPECT_EQ(format_pos(first_warnings[0].pos), "a.xml:4:9");
    EXPECT_EQ(format_pos(second_warnings[0].pos), "b.xml:7:2");
    EXPECT_EQ(first_warnings[0].message, second_warnings[0].message);
    std::vector<TextItem> a = texts(first.pages[0]), b = texts(second.pages[0]);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].text, b[i].text);
        EXPECT_EQ(a[i].x, b[i].x);
        EXPECT_EQ(a[i].y, b[i].y);
    }
}

// The same paragraph in documents with other hyphenation exceptions is set again for each.
TEST(layout, a_kept_paragraph_is_not_reused_under_other_hyphenation_exceptions) {
    LayoutEngine engine(hyphenating_sheet());  // one engine for every document
    auto hyphenated = [&](const std::string& exceptions) {
        return hyphenated_ends(engine, "Tombouctou", exceptions);
    };
    EXPECT_EQ(hyphenated(""), std::vector<std::string>{});
    EXPECT_EQ(hyphenated("<hyphenation word=\"Tom-bouc-tou\"/>"), std::vector<std::string>{"Tombouc-"});
    EXPECT_EQ(hyphenated("<hyphenation word=\"Tom-bouctou\"/>"), std::vector<std::string>{"Tom-"});
    EXPECT_EQ(hyphenated(""), std::vector<std::string>{});
}

namespace {
std::vector<RectItem> rects(const Page& page) {
    std::vector<RectItem> out;
    for (const PageItem& item : page.items)
        if (auto* r = std::get_if<RectItem>(&item)) out.push_back(*r);
    return out;
}

std::string cells(int n, const std::string& word = "a") {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += "<box style=\"box\"><p style=\"left\">" + (i == 0 ? word : "a") + "</p></box>";
    return out;
}
}  // namespace

// 160 pt with gaps of 10: three columns of 40 pt or more fit; 8 cells make rows of 3, 3 and 2,
// every cell as wide as the others, the short row on the left.
TEST(grid, cells_wrap_into_rows_of_equal_width) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out("<grid style=\"row\" min-width=\"40\">" + cells(8) + "</grid>", warnings);
    EXPECT_TRUE(warnings.empty());
    std::vector<RectItem> r = rects(doc.pages[0]);
    ASSERT_EQ(r.size(), 8u);
    double w = (160.0 - 20) / 3;
    for (std::size_t i = 0; i < 8; ++i) {
        EXPECT_NEAR(r[i].rect.width, w, 1e-9) << i;
        EXPECT_NEAR(r[i].rect.x, 20 + static_cast<double>(i % 3) * (w + 10), 1e-9) << i;
        EXPECT_NEAR(r[i].rect.y, r[i / 3 * 3].rect.y, 1e-9) << i;  // a row shares its top
    }
    EXPECT_GT(r[3].rect.y, r[0].rect.y);
    EXPECT_GT(r[6].rect.y, r[3].rect.y);
}

// A word of 12 letters (60 pt, 70 with the padding) fits two columns of 75 pt, not three of 46.7:
// the grid takes two columns and breaks no word.
TEST(grid, columns_drop_until_no_word_is_broken) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc =
        lay_out("<grid style=\"row\" columns=\"4\">" + cells(4, "abcdefghijkl") + "</grid>", warnings);
    EXPECT_TRUE(warnings.empty()) << warnings.front().message;
    std::vector<RectItem> r = rects(doc.pages[0]);
    ASSERT_EQ(r.size(), 4u);
    EXPECT_DOUBLE_EQ(r[0].rect.width, 75);
    EXPECT_DOUBLE_EQ(r[1].rect.x, 20 + 75 + 10);
    EXPECT_DOUBLE_EQ(r[2].rect.x, 20);
    // The same word in a row of four is broken between letters, with a warning.
    std::vector<Diagnostic> row_warnings;
    lay_out("<row style=\"row\">" + cells(4, "abcdefghijkl") + "</row>", row_warnings);
    EXPECT_FALSE(row_warnings.empty());
}

// Five cells in four columns: a row of 4, then 1 on the left, as wide as the others; a lone cell
// keeps that width too.
TEST(grid, rows_fill_in_order_and_cells_keep_their_width) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out("<grid style=\"row\" columns=\"4\">" + cells(5) + "</grid>", warnings);
    std::vector<RectItem> r = rects(doc.pages[0]);
    ASSERT_EQ(r.size(), 5u);
    EXPECT_NEAR(r[3].rect.y, r[0].rect.y, 1e-9);
    EXPECT_GT(r[4].rect.y, r[0].rect.y);
    EXPECT_DOUBLE_EQ(r[4].rect.x, 20);
    for (const RectItem& cell : r) EXPECT_DOUBLE_EQ(cell.rect.width, 32.5);
    PagedDocument one = lay_out("<grid style=\"row\" columns=\"4\">" + cells(1) + "</grid>", warnings);
    ASSERT_EQ(rects(one.pages[0]).size(), 1u);
    EXPECT_DOUBLE_EQ(rects(one.pages[0])[0].rect.width, 32.5);
}

TEST(grid, cells_of_a_row_share_its_height_and_an_empty_grid_draws_nothing) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out(
        "<grid style=\"row\" columns=\"2\"><box style=\"box\"><p style=\"left\">a</p></box>"
        "<box style=\"box\"><p style=\"left\">b<br/>c</p></box></grid><grid style=\"row\"></grid>",
        warnings);
    std::vector<RectItem> r = rects(doc.pages[0]);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_DOUBLE_EQ(r[0].rect.height, 5 + 24 + 5);
    EXPECT_DOUBLE_EQ(r[1].rect.height, 5 + 24 + 5);
}

TEST(grid, only_boxes_and_known_attributes) {
    std::vector<Diagnostic> warnings;
    EXPECT_THROW(lay_out("<grid style=\"row\"><p style=\"left\">a</p></grid>", warnings), Error);
    EXPECT_THROW(lay_out("<grid style=\"row\" columns=\"0\">" + cells(1) + "</grid>", warnings), Error);
    EXPECT_THROW(lay_out("<grid style=\"row\"><box style=\"box\" width=\"1*\"/></grid>", warnings), Error);
}

// 160 pt hold 32 letters. The last <optional> part goes first, then the one before it.
TEST(running_line, optional_parts_are_dropped_last_first) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out(
        "<p style=\"left\" max-lines=\"1\">aaaaaaaaaa bbbbbbbbbb<optional> cccccccccc</optional>"
        "<optional> dddddddddd</optional></p>",
        warnings);
    std::vector<TextItem> t = texts(doc.pages[0]);
    std::string line;
    for (const TextItem& i : t) {
        EXPECT_DOUBLE_EQ(i.y, t[0].y);
        line += (line.empty() ? "" : " ") + i.text;
    }
    EXPECT_EQ(line, "aaaaaaaaaa bbbbbbbbbb cccccccccc");
}

TEST(running_line, a_text_too_long_even_so_ends_with_an_ellipsis) {
    std::vector<Diagnostic> warnings;
    std::string words;
    for (int i = 0; i < 40; ++i) words += " ab";
    PagedDocument doc = lay_out("<p style=\"left\" max-lines=\"1\">" + words + "</p>", warnings);
    std::vector<TextItem> t = texts(doc.pages[0]);
    ASSERT_FALSE(t.empty());
    for (const TextItem& i : t) EXPECT_DOUBLE_EQ(i.y, t[0].y);
    EXPECT_EQ(t.back().text, "ab\xE2\x80\xA6");
    EXPECT_TRUE(warnings.empty());
}

// An automatic column is as wide as its text on one line (20 pt) plus padding; the share takes
// the rest.
TEST(row, an_auto_column_is_as_wide_as_its_content) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out(
        "<row style=\"row\"><box style=\"box\" width=\"1*\"><p style=\"left\">a</p></box>"
        "<box style=\"box\" width=\"auto\"><p style=\"left\">abcd</p></box></row>",
        warnings);
    std::vector<RectItem> r = rects(doc.pages[0]);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_NEAR(r[1].rect.width, 30, 0.02);
    EXPECT_NEAR(r[0].rect.width, 160 - 10 - 30, 0.02);
}

// Overfunded: the track is 125 %, the fill reaches 100 % (128 of 160 pt) and the overflow colour
// takes the rest, with a mark at 100 %.
TEST(bar, a_value_above_one_shows_the_overflow) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out("<bar style=\"bar\" value=\"1.25\"/>", warnings);
    EXPECT_TRUE(warnings.empty());
    std::vector<RectItem> r = rects(doc.pages[0]);
    ASSERT_EQ(r.size(), 3u);
    EXPECT_DOUBLE_EQ(r[1].rect.width, 128);
    EXPECT_DOUBLE_EQ(r[2].rect.x, 20 + 128);
    EXPECT_DOUBLE_EQ(r[2].rect.width, 32);
    EXPECT_EQ(r[2].fill, (Color{0.5, 0.2, 0}));
    bool mark = false;
    for (const PageItem& item : doc.pages[0].items)
        if (auto* l = std::get_if<LineItem>(&item)) mark = mark || l->x1 == 20 + 128;
    EXPECT_TRUE(mark);
}

namespace {
std::vector<double> baselines(const PagedDocument& doc, std::size_t page) {
    std::vector<double> out;
    for (const TextItem& t : texts(doc.pages[page])) out.push_back(t.y);
    return out;
}
std::string spaced(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += "<p style=\"spaced\">f</p>";
    return out;
}
}  // namespace

// Lines of 12 pt with 6 pt after each, which may shrink to 3: 14 fit a page of 260 pt naturally
// (246 pt). 15 need 264 pt: 4 pt too many, taken from the 14 spaces of 3 pt of shrink each.
TEST(vertical_glue, a_small_overflow_is_tightened_onto_the_page) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out(spaced(15), warnings);
    ASSERT_EQ(doc.pages.size(), 1u);
    std::vector<double> y = baselines(doc, 0);
    ASSERT_EQ(y.size(), 15u);
    EXPECT_NEAR(y[1] - y[0], 12 + 6 - 3 * 4.0 / 42, 1e-9);
    EXPECT_NEAR(y[14] - y[0] + 12, 260, 1e-9);  // the first line's top to the last one's bottom
}

TEST(vertical_glue, spacing_stays_natural_when_nothing_is_saved) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out(spaced(10), warnings);
    std::vector<double> y = baselines(doc, 0);
    ASSERT_EQ(y.size(), 10u);
    for (std::size_t i = 1; i < y.size(); ++i) EXPECT_DOUBLE_EQ(y[i] - y[i - 1], 18);
    // 30 lines need 2 pages even shrunk (15 fit at most): no shrinking then either.
    PagedDocument two = lay_out(spaced(40), warnings);
    ASSERT_EQ(two.pages.size(), 3u);
    std::vector<double> y2 = baselines(two, 0);
    EXPECT_DOUBLE_EQ(y2[1] - y2[0], 18);
}

// 21 lines fill a page; 22 leave one line (12 pt, under a fifth of 260) on the last page. Lines
// move over until it holds at least 52 pt: 17 + 5.
TEST(pages, the_last_page_is_not_a_lone_trailer) {
    std::vector<Diagnostic> warnings;
    std::string body;
    for (int i = 0; i < 22; ++i) body += "<p style=\"left\">f</p>";
    PagedDocument doc = lay_out(body, warnings, "", TypesetRules{});
    ASSERT_EQ(doc.pages.size(), 2u);
    EXPECT_EQ(texts(doc.pages[0]).size(), 17u);
    EXPECT_EQ(texts(doc.pages[1]).size(), 5u);
    // Without the rule (least_last_page 0): 21 + 1.
    PagedDocument plain = lay_out(body, warnings);
    EXPECT_EQ(texts(plain.pages[1]).size(), 1u);
}

// The logical structure (tagged PDF): the body's blocks become nodes in reading order, grids
// lists of items, bars figures; backgrounds and the running header and footer are artifacts.
TEST(structure, blocks_become_nodes_and_decoration_artifacts) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out(
        "<h style=\"left\" tag=\"H1\">Title</h><p style=\"left\">a <a href=\"mailto:x@y.z\" "
        "title=\"E-mail X\">x@y.z</a></p><grid style=\"row\" columns=\"2\"><box style=\"box\"><p "
        "style=\"left\">one</p></box><box style=\"box\"><p style=\"left\">two</p></box></grid>"
        "<bar style=\"bar\" value=\"0.5\" alt=\"half funded\"/><h style=\"left\">Next</h>",
        warnings, "<header><p style=\"left\">Head</p></header>");
    std::vector<std::string> types;
    for (const StructNode& n : doc.structure) types.push_back(n.type);
    EXPECT_EQ(types, (std::vector<std::string>{"Document", "H1", "P", "Link", "L", "LI", "LBody", "LI",
                                               "LBody", "P", "P", "Figure", "H2"}));
    EXPECT_EQ(doc.structure[3].parent, 2);  // the Link is in its paragraph
    EXPECT_EQ(doc.structure[3].alt, "E-mail X");
    EXPECT_EQ(doc.structure[9].parent, 6);  // "one" in the first item's body
    EXPECT_EQ(doc.structure[11].alt, "half funded");
    for (const PageItem& item : doc.pages[0].items) {
        if (const auto* t = std::get_if<TextItem>(&item)) {
            if (t->text == "Head") {
                EXPECT_EQ(t->tag, pagination_artifact);
            } else if (t->text == "Title") {
                EXPECT_EQ(t->tag, 1);
            } else if (t->text == "one") {
                EXPECT_EQ(t->tag, 9);
            }
        } else if (const auto* r = std::get_if<RectItem>(&item)) {
            EXPECT_TRUE(r->tag == artifact || r->tag == 11) << r->tag;  // box backgrounds, the bar
        } else if (const auto* l = std::get_if<LinkItem>(&item)) {
            EXPECT_EQ(l->tag, 3);
        }
    }
    EXPECT_THROW(lay_out("<p style=\"left\" tag=\"Table\">a</p>", warnings), Error);
}

// <span colour> changes the colour alone: its text keeps the font and size around it, so a word
// set apart in a heading stays as large as the heading. With lang, it is a Span of that language.
TEST(structure, a_span_colour_changes_only_the_colour) {
    StyleSheet sheet = fixed_sheet();
    sheet.colors["accent"] = Color{0.8, 0.2, 0};
    Style big = sheet.styles.at("left");
    big.name = "big";
    big.size = 14;
    big.leading = 17;
    big.color = Color{0, 0, 1};
    sheet.styles["big"] = big;
    LayoutEngine engine(sheet, plain_rules());
    std::vector<Diagnostic> warnings;
    auto markup = [](const std::string& p) {
        return "<document lang=\"fr\"><body><p style=\"big\">" + p + "</p></body></document>";
    };
    PagedDocument doc = engine.lay_out(
        markup("un <span lang=\"en\" colour=\"accent\">two</span> <span colour=\"#00FF00\">trois</span>"),
        "m.xml", warnings);
    std::map<std::string, TextItem> by_text;
    for (const TextItem& t : texts(doc.pages.at(0))) by_text[t.text] = t;
    ASSERT_EQ(by_text.size(), 3u);
    EXPECT_EQ(by_text["un"].color, (Color{0, 0, 1}));
    EXPECT_EQ(by_text["two"].color, (Color{0.8, 0.2, 0}));
    EXPECT_EQ(by_text["trois"].color, (Color{0, 1, 0}));
    for (const auto& [text, item] : by_text) EXPECT_EQ(item.size, 14) << text;
    std::vector<std::string> types;
    for (const StructNode& n : doc.structure) types.push_back(n.type + ":" + n.lang);
    EXPECT_EQ(types, (std::vector<std::string>{"Document:", "P:", "Span:en"}));
    EXPECT_EQ(by_text["two"].tag, 2);
    try {
        engine.lay_out(markup("<span colour=\"nope\">a</span>"), "m.xml", warnings);
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "m.xml:1:42: error: colour=\"nope\" is neither a colour name of styles.xml nor #RRGGBB");
    }
}

// A link's text belongs to its Link node; text in another language than the document's to a Span
// node that names it, inside whatever holds it; the document's own language needs no Span.
TEST(structure, link_text_and_other_languages_have_their_nodes) {
    std::vector<Diagnostic> warnings;
    PagedDocument doc = lay_out(
        "<p style=\"left\">see <a href=\"https://x.org\" title=\"Open\"><span lang=\"fr\">rapport</span> "
        "two</a> and <span lang=\"fr\">mot</span> <span lang=\"xx\">own</span> <span "
        "lang=\"\">empty</span></p>",
        warnings);
    std::vector<std::string> types;
    for (const StructNode& n : doc.structure) types.push_back(n.type + ":" + n.lang);
    EXPECT_EQ(types, (std::vector<std::string>{"Document:", "P:", "Link:", "Span:fr", "Span:fr"}));
    EXPECT_EQ(doc.structure[3].parent, 2);  // in the link
    EXPECT_EQ(doc.structure[4].parent, 1);  // in the paragraph
    std::map<std::string, int> tag_of;
    for (const TextItem& t : texts(doc.pages[0])) tag_of[t.text] = t.tag;
    EXPECT_EQ(tag_of["see"], 1);
    EXPECT_EQ(tag_of["rapport"], 3);
    EXPECT_EQ(tag_of["two"], 2);
    EXPECT_EQ(tag_of["mot"], 4);
    EXPECT_EQ(tag_of["own"], 1);
    EXPECT_EQ(tag_of["empty"], 1);
    EXPECT_THROW(lay_out("<p style=\"left\"><span lang=\"f r\">a</span></p>", warnings), Error);
    EXPECT_THROW(lay_out("<p style=\"left\"><span lang=\"-fr\">a</span></p>", warnings), Error);
}

// Both editions of a source draw the same QR code: the engine draws it once and hands the same
// drawing out again, by address (the PDF stage then finds its form without hashing its points);
// another width or colour is another drawing.
TEST(layout, a_qr_drawing_is_kept_for_the_same_data_width_and_colour) {
    LayoutEngine engine(fixed_sheet());
    const Color dark{0.1, 0.2, 0.3};
    auto first = engine.qr_drawing("https://example.org/mali", 60, dark);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(engine.qr_drawing("https://example.org/mali", 60, dark), first);
    EXPECT_NE(engine.qr_drawing("https://example.org/mali", 61, dark), first);
    EXPECT_NE(engine.qr_drawing("https://example.org/mali", 60, Color{0, 0, 0}), first);
    EXPECT_NE(engine.qr_drawing("https://example.org/niger", 60, dark), first);
    ASSERT_EQ(first->paths.size(), 2u);
    EXPECT_DOUBLE_EQ(first->width, 60);
    EXPECT_EQ(first->paths[1].fill, dark);
    // The same drawing as one made afresh from the code.
    auto fresh = layout_detail::qr_drawing(*engine.qr("https://example.org/mali"), 60, dark);
    const auto& a = fresh->paths[1].rings;
    const auto& b = first->paths[1].rings;
    ASSERT_EQ(a.size(), b.size());
    ASSERT_GT(a.size(), 10u);
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].size(), b[i].size());
        for (std::size_t k = 0; k < a[i].size(); ++k) {
            EXPECT_EQ(a[i][k].x, b[i][k].x);
            EXPECT_EQ(a[i][k].y, b[i][k].y);
        }
    }
}

// A box is never split: one taller than the page runs past its bottom margin, with a warning at
// the box's place in the source.
TEST(layout, a_box_taller_than_the_page_is_a_warning_at_its_source) {
    std::string words;
    for (int i = 0; i < 300; ++i) words += "word ";
    std::vector<Diagnostic> warnings;
    lay_out("<box style=\"box\" src=\"t.xml:3:4\"><p style=\"left\">" + words + "</p></box>", warnings);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(
        format_warning(warnings[0]),
        "t.xml:3:4: warning: a block is taller than the page and runs past its bottom margin: shorten it");
}
