// The renderer checked through the real PDF tools: qpdf, poppler's pdftotext, pdffonts, pdfinfo
// and pdftoppm read back what render_pdf wrote.
#include "pdf/pdf.hpp"

#include <gtest/gtest.h>
#include <hpdf.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <variant>

#include <sstream>
#include "common/error.hpp"
#include "common/test_paths.hpp"
#include "common/utf8.hpp"
#include "layout/fonts.hpp"
#include "pdf/freetype_glyphs.hpp"
#include "pdf/haru.hpp"

using namespace factsheet;
using factsheet::test::read_file;
using factsheet::test::run;
using factsheet::test::write_file;

namespace {

const std::string kRegular = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf";
const std::string kBold = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf";

const std::string kNbsp = "\u00A0";
const std::string kNnbsp = "\u202F";

const Color kBlack{0, 0, 0};

TextItem text(double x, double y, int font, std::string s, double size = 12) {
    TextItem t;
    t.x = x;
    t.y = y;
    t.font = font;
    t.size = size;
    t.text = std::move(s);
    return t;
}

// What the program gives the renderer for the sample: a French edition of 15 August 2023.
RenderOptions sample_options() {
    RenderOptions options;
    options.lang = "fr";
    options.creator = "factsheet 0.1.0";
    options.date = PdfDate{2023, 8, 15};
    return options;
}

// A one-page French document with every kind of item.
PagedDocument sample_document() {
    PagedDocument doc;
    doc.info.title = "Mali : fiche d’information";
    doc.info.author = "Cluster Protection Mali";
    doc.info.subject = "Déplacements à Ségou et Ménaka";
    doc.info.keywords = "protection, Mali, déplacés";
    doc.fonts = {{kRegular}, {kBold}};

    Page page;
    RectItem band;
    band.rect = {40, 40, 515.276, 60};
    band.fill = {0.0, 0.45, 0.74};
    page.items.push_back(band);
    TextItem title = text(50, 80, 1, "Ségou et Ménaka", 20);
    title.color = {1, 1, 1};
    page.items.push_back(title);
    page.items.push_back(text(50, 140, 0, "«" + kNbsp + "guillemets" + kNbsp + "»"));
    page.items.push_back(text(50, 160, 0, "œuvre humanitaire, l’accès"));
    page.items.push_back(text(50, 180, 0, "10" + kNnbsp + "000 personnes déplacées"));
    LineItem rule;
    rule.x1 = 40;
    rule.y1 = 200;
    rule.x2 = 555.276;
    rule.y2 = 200;
    rule.width = 0.5;
    page.items.push_back(rule);
    page.items.push_back(text(50, 220, 1, "Contact"));
    LinkItem link;
    link.rect = {50, 208, 60, 14};
    link.uri = "mailto:mali.protection@example.org";
    page.items.push_back(link);
    doc.pages.push_back(page);
    return doc;
}

// A rendered document written to a temporary folder, removed afterwards.
struct Rendered {
    std::string dir = test::make_temp_dir();
    std::string path = dir + "/out.pdf";
    std::string bytes;
    Rendered() = default;
    Rendered(const Rendered&) = delete;
    Rendered& operator=(const Rendered&) = delete;
    ~Rendered() { std::filesystem::remove_all(dir); }
};

std::unique_ptr<Rendered> render_to_file(const PagedDocument& doc,
                                         const RenderOptions& options = sample_options()) {
    auto r = std::make_unique<Rendered>();
    r->bytes = render_pdf(doc, options);
    write_file(r->path, r->bytes);
    return r;
}

// The PDF with streams decompressed and objects laid out one by one, for grepping.
std::string qdf_of(const std::unique_ptr<Rendered>& r) {
    std::string qdf = r->dir + "/out.qdf";
    auto res = run("qpdf --qdf --object-streams=disable '" + r->path + "' '" + qdf + "'");
    EXPECT_EQ(res.exit_code, 0) << res.err;
    return read_file(qdf);
}

std::string what_of(const PagedDocument& doc, const RenderOptions& options = sample_options()) {
    try {
        render_pdf(doc, options);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

using test::count;

}  // namespace

TEST(pdf, qpdf_finds_no_problem) {
    auto r = render_to_file(sample_document());
    auto res = run("qpdf --check '" + r->path + "'");
    EXPECT_EQ(res.exit_code, 0) << res.out << res.err;
    EXPECT_NE(res.out.find("No syntax or stream encoding errors found"), std::string::npos) << res.out;
    EXPECT_EQ(res.err, "");
}

// poppler's text extraction (TextOutputDev::addChar) turns every character its
// UnicodeIsWhitespace() lists, U+00A0 and U+202F included, into a word break that it prints as
// an ASCII space: no PDF can make pdftotext print those two characters. What pdftotext can check
// is everything else, and that poppler finds nothing wrong with the ToUnicode map (stderr).
TEST(pdf, pdftotext_extracts_the_french_text) {
    auto r = render_to_file(sample_document());
    auto res = run("pdftotext '" + r->path + "' -");
    EXPECT_EQ(res.exit_code, 0);
    EXPECT_EQ(res.err, "");  // libharu's own map made poppler warn "Invalid 'begincidrange' operator"
    EXPECT_EQ(res.out,
              "Ségou et Ménaka\n"
              "« guillemets »\n"
              "œuvre humanitaire, l’accès\n"
              "10 000 personnes déplacées\n"
              "Contact\n\n\f");
}

TEST(pdf, pdftotext_layout_mode_extracts_the_french_text) {
    auto r = render_to_file(sample_document());
    auto res = run("pdftotext -layout '" + r->path + "' -");
    EXPECT_EQ(res.exit_code, 0);
    EXPECT_EQ(res.err, "");
    for (const char* s : {"Ségou et Ménaka\n", "« guillemets »\n", "œuvre humanitaire, l’accès\n",
                          "10 000 personnes déplacées\n", "Contact\n"})
        EXPECT_NE(res.out.find(s), std::string::npos) << s << "\n" << res.out;
}

// The ToUnicode maps of the file, read as a conforming text extractor reads them: code -> text.
std::map<unsigned, char32_t> read_bfranges(const std::string& qdf) {
    std::map<unsigned, char32_t> map;
    for (auto at = qdf.find("beginbfrange\n"); at != std::string::npos;
         at = qdf.find("beginbfrange\n", at + 1)) {
        std::size_t line = at + 13;
        unsigned lo = 0, hi = 0, dst = 0;
        while (std::sscanf(qdf.c_str() + line, "<%4x> <%4x> <%4x>\n", &lo, &hi, &dst) == 3) {
            for (unsigned c = lo; c <= hi; ++c) {
                auto [it, added] = map.emplace(c, static_cast<char32_t>(dst + (c - lo)));
                EXPECT_EQ(it->second, static_cast<char32_t>(dst + (c - lo)));  // the fonts agree
            }
            line = qdf.find('\n', line) + 1;
        }
    }
    return map;
}

// Decodes every "<hex> Tj" of the content streams through the ToUnicode maps: the text a reader
// that keeps no-break spaces extracts, NBSP and NNBSP included.
TEST(pdf, content_codes_map_back_to_the_exact_text) {
    auto r = render_to_file(sample_document());
    std::string qdf = qdf_of(r);
    auto map = read_bfranges(qdf);
    // The 256-code blocks the text draws from: 00 (Latin-1), 01 (œ) and 20 (’, U+202F).
    ASSERT_EQ(map.size(), 3u * 256u);
    std::vector<std::string> runs;
    for (auto at = qdf.find("> Tj\n"); at != std::string::npos; at = qdf.find("> Tj\n", at + 1)) {
        std::size_t open = qdf.rfind('<', at);
        std::string hex = qdf.substr(open + 1, at - open - 1);
        std::string text;
        for (std::size_t i = 0; i + 4 <= hex.size(); i += 4) {
            auto code = static_cast<unsigned>(std::stoul(hex.substr(i, 4), nullptr, 16));
            ASSERT_EQ(map.count(code), 1u) << hex;
            utf8::append(text, map[code]);
        }
        runs.push_back(text);
    }
    EXPECT_EQ(runs, (std::vector<std::string>{"Ségou et Ménaka", "«" + kNbsp + "guillemets" + kNbsp + "»",
                                              "œuvre humanitaire, l’accès",
                                              "10" + kNnbsp + "000 personnes déplacées", "Contact"}));
}

TEST(pdf, fonts_are_embedded_subsets_with_unicode_maps) {
    auto r = render_to_file(sample_document());
    auto res = run("pdffonts '" + r->path + "'");
    EXPECT_EQ(res.exit_code, 0);
    EXPECT_EQ(res.err, "");
    // name, type, encoding, emb, sub, uni: each subset is tagged with six capitals derived from
    // its glyphs; a bold face is named the way HPDF_LoadTTFontFromFile returned it.
    std::regex regular("\n[A-Z]{6}\\+Roboto-Regular {16}CID TrueType {6}Identity-H {7}yes yes yes ");
    std::regex bold("\n[A-Z]{6}\\+Roboto-Bold,Bold {14}CID TrueType {6}Identity-H {7}yes yes yes ");
    EXPECT_TRUE(std::regex_search(res.out, regular)) << res.out;
    EXPECT_TRUE(std::regex_search(res.out, bold)) << res.out;
    EXPECT_EQ(count(res.out, "\n"), 4u) << res.out;  // two header lines, two fonts
}

TEST(pdf, to_unicode_map_is_the_identity_in_bfranges) {
    auto r = render_to_file(sample_document());
    std::string qdf = qdf_of(r);
    EXPECT_EQ(count(qdf, "begincidrange"), 0u);
    // The blocks each font draws from: the bold one only Latin-1 ("Contact").
    EXPECT_EQ(
        count(qdf, "3 beginbfrange\n<0000> <00FF> <0000>\n<0100> <01FF> <0100>\n<2000> <20FF> <2000>\n"), 1u);
    EXPECT_EQ(count(qdf, "1 beginbfrange\n<0000> <00FF> <0000>\nendbfrange\n"), 1u);
    // The stream dictionaries describe the map they hold, not libharu's UTF-8 CMap.
    EXPECT_EQ(count(qdf, "  /CMapName /Adobe-Identity-UCS\n"), 2u);
    EXPECT_EQ(count(qdf, "/CMapName /UTF-8"), 0u);
    EXPECT_EQ(count(qdf, "/WMode"), 0u);
}

TEST(pdf, info_fields_and_page_size) {
    auto r = render_to_file(sample_document());
    auto res = run("pdfinfo -isodates '" + r->path + "'");
    EXPECT_EQ(res.exit_code, 0);
    EXPECT_EQ(res.err, "");
    for (const char* line : {
             "Title:           Mali : fiche d’information\n",
             "Subject:         Déplacements à Ségou et Ménaka\n",
             "Keywords:        protection, Mali, déplacés\n",
             "Author:          Cluster Protection Mali\n",
             "Creator:         factsheet 0.1.0\n",
             "CreationDate:    2023-08-15T00:00:00Z\n",  // no zone is written; poppler assumes UTC
             "ModDate:         2023-08-15T00:00:00Z\n",
             "Pages:           1\n",
             "Page size:       595.276 x 841.89 pts (A4)\n",
         })
        EXPECT_NE(res.out.find(line), std::string::npos) << line << "\n" << res.out;
}

TEST(pdf, text_strings_are_utf16_with_a_byte_order_mark) {
    using pdf_detail::utf16_text_string;
    EXPECT_EQ(utf16_text_string(""), std::string("\xFE\xFF"));
    EXPECT_EQ(utf16_text_string("Mali"), std::string("\xFE\xFF\0M\0a\0l\0i", 10));
    EXPECT_EQ(utf16_text_string("é’"), std::string("\xFE\xFF\x00\xE9\x20\x19", 6));
    // Beyond the BMP: a surrogate pair (U+1D11E MUSICAL SYMBOL G CLEF).
    EXPECT_EQ(utf16_text_string("\xF0\x9D\x84\x9E"), std::string("\xFE\xFF\xD8\x34\xDD\x1E", 6));
    // Malformed UTF-8 (a lone continuation byte, an encoded surrogate): U+FFFD each.
    EXPECT_EQ(utf16_text_string("\x80"), std::string("\xFE\xFF\xFF\xFD", 4));
    EXPECT_EQ(utf16_text_string("\xED\xA0\x80"), std::string("\xFE\xFF\xFF\xFD", 4));
}

TEST(pdf, a_title_beyond_the_bmp_reads_back_whole) {
    PagedDocument doc = sample_document();
    doc.info.title = "Mali \xF0\x9D\x84\x9E fiche";
    doc.outline.push_back(Bookmark{"Contexte \xF0\x9D\x84\x9E", 0, 100, -1});
    auto r = render_to_file(doc);
    auto res = run("pdfinfo '" + r->path + "'");
    EXPECT_NE(res.out.find("Title:           Mali \xF0\x9D\x84\x9E fiche\n"), std::string::npos) << res.out;
    auto outline = run("qpdf --json --json-key=outlines '" + r->path + "'");
    EXPECT_NE(outline.out.find("Contexte \xF0\x9D\x84\x9E"), std::string::npos) << outline.out;
}

TEST(pdf, catalog_has_lang_and_link_has_uri_without_border) {
    auto r = render_to_file(sample_document());
    std::string qdf = qdf_of(r);
    EXPECT_EQ(count(qdf, "/Lang (fr)"), 1u);
    EXPECT_EQ(count(qdf, "/URI (mailto:mali.protection@example.org)"), 1u);
    EXPECT_EQ(count(qdf, "/Border [\n    0\n    0\n    0\n  ]"), 1u);
    // The link's box turned to PDF's y-up coordinates (libharu writes single-precision reals).
    EXPECT_EQ(count(qdf, "/Rect [\n    50\n    619.89001\n    110\n    633.89001\n  ]"), 1u);
}

TEST(pdf, same_input_gives_the_same_bytes) {
    PagedDocument doc = sample_document();
    std::string first = render_pdf(doc, sample_options());
    std::string second = render_pdf(doc, sample_options());
    EXPECT_EQ(first.size(), second.size());
    EXPECT_TRUE(first == second);
}

// A renderer keeps libharu's handle and the fonts between documents: what it rendered before,
// or failed to render, must not show in the next document.
TEST(pdf, a_renderer_reused_gives_the_bytes_of_a_new_one) {
    PagedDocument a = sample_document();
    PagedDocument b = sample_document();
    RenderOptions a_options = sample_options(), b_options = sample_options();
    b_options.lang = "en";
    b.pages[0].items.push_back(text(50, 300, 0, "Kidal, Tombouctou — 3,90 M ₣ ŒÆ"));
    b.pages.push_back(b.pages[0]);
    PagedDocument broken = sample_document();
    broken.pages[0].items.push_back(text(50, 320, 0, "Gao \u4E2D"));  // Roboto has no CJK
    // Refused halfway through drawing a page, while its content is being captured.
    PagedDocument torn = sample_document();
    torn.pages[0].items.push_back(text(std::numeric_limits<double>::quiet_NaN(), 320, 0, "Gao"));

    std::string a_alone = render_pdf(a, a_options), b_alone = render_pdf(b, b_options);
    ASSERT_NE(a_alone, b_alone);
    PdfRenderer renderer;
    EXPECT_TRUE(renderer.render(a, a_options) == a_alone);
    EXPECT_TRUE(renderer.render(b, b_options) == b_alone);
    EXPECT_THROW(renderer.render(broken, a_options), Error);
    EXPECT_TRUE(renderer.render(a, a_options) == a_alone);
    EXPECT_TRUE(renderer.render(b, b_options) == b_alone);
    EXPECT_THROW(renderer.render(torn, a_options), Error);
    EXPECT_TRUE(renderer.render(a, a_options) == a_alone);
    EXPECT_TRUE(renderer.render(b, b_options) == b_alone);
}

// The object number a pattern's group captures in the PDF as written (dictionaries are not
// compressed), "" when it does not match.
std::string object_number(const std::string& bytes, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(bytes, m, std::regex(pattern)) ? m[1].str() : "";
}

// Each embedded program is a subset holding just the glyphs drawn, and the glyph map sends every
// code drawn to the glyph the original font has for it: FreeType compares the outlines.
TEST(pdf, embedded_subsets_hold_the_glyphs_of_the_text) {
    auto r = render_to_file(sample_document());
    struct Case {
        std::string file, name, drawn;
    };
    for (const Case& font : {Case{kRegular, "Roboto-Regular",
                                  "«" + kNbsp + "guillemets" + kNbsp + "»œuvre humanitaire, l’accès10" +
                                      kNnbsp + "000 personnes déplacées"},
                             Case{kBold, "Roboto-Bold,Bold", "Ségou et MénakaContact"}}) {
        SCOPED_TRACE(font.name);
        // libharu writes a descriptor's keys in the order they were added, and the CIDFont's
        // glyph map just before its name.
        std::string program_object = object_number(
            r->bytes, "/FontName /[A-Z]{6}\\+" + font.name + "\n(?:[^>]*\n)*?/FontFile2 (\\d+) 0 R");
        std::string map_object =
            object_number(r->bytes, "/CIDToGIDMap (\\d+) 0 R\n/BaseFont /[A-Z]{6}\\+" + font.name + "\n");
        ASSERT_NE(program_object, "");
        ASSERT_NE(map_object, "");
        auto stream = [&](const std::string& object) {
            auto res = run("qpdf --show-object=" + object + " --filtered-stream-data '" + r->path + "'");
            EXPECT_EQ(res.exit_code, 0) << res.err;
            return res.out;
        };
        std::string program = stream(program_object), map = stream(map_object);
        std::string original_bytes = read_file(font.file);
        test::FreeType ft;
        test::Face subset(ft, program), original(ft, original_bytes);
        ASSERT_EQ(subset.error(), 0);
        std::set<char32_t> characters;
        for (std::size_t i = 0; i < font.drawn.size();) {
            char32_t c = 0;
            ASSERT_TRUE(utf8::next_strict(font.drawn, i, c));
            characters.insert(c);
        }
        // .notdef and the distinct characters, and the parts of composites (é is e and an accent).
        EXPECT_GE(subset.get()->num_glyphs, static_cast<FT_Long>(characters.size() + 1));
        EXPECT_LE(subset.get()->num_glyphs, static_cast<FT_Long>(characters.size() + 6));
        for (char32_t c : characters) {
            ASSERT_LT(2 * std::size_t{c} + 1, map.size());
            unsigned gid = (static_cast<unsigned>(static_cast<unsigned char>(map[2 * c])) << 8) |
                           static_cast<unsigned char>(map[2 * c + 1]);
            EXPECT_NE(gid, 0u);
            EXPECT_EQ(test::shape(subset.get(), gid),
                      test::shape(original.get(), FT_Get_Char_Index(original.get(), c)))
                << "U+" << std::hex << static_cast<unsigned>(c);
        }
    }
}

// A kerned text is one TJ operator whose numbers are the kerns, negated (a TJ number moves the
// next character left); extraction gives the text back whole.
TEST(pdf, kerned_text_is_one_tj_with_the_kerns) {
    PagedDocument doc = sample_document();
    TextItem kerned = text(50, 300, 0, "AVÉ Tâ");
    kerned.kerning = {{1, -80}, {2, 12}, {6, -41}};  // before V, É and â (bytes 1, 2 and 6)
    doc.pages[0].items.push_back(kerned);
    auto r = render_to_file(doc);
    std::string qdf = qdf_of(r);
    // qpdf writes content streams back with hex strings in lower case.
    EXPECT_EQ(count(qdf, "[<0041> 80 <0056> -12 <00c900200054> 41 <00e2>] TJ\n"), 1u);
    EXPECT_EQ(count(qdf, "<0043006f006e0074006100630074> Tj\n"), 1u);  // "Contact", not kerned
    auto res = run("pdftotext '" + r->path + "' -");
    EXPECT_NE(res.out.find("AVÉ Tâ"), std::string::npos) << res.out;
}

TEST(pdf, no_date_is_written_without_a_creation_date) {
    PagedDocument doc = sample_document();
    RenderOptions options = sample_options();
    options.date.reset();
    auto r = render_to_file(doc, options);
    // libharu leaves the trailer and the Info dictionary uncompressed: read the bytes as written
    // (qpdf would add an /ID of its own).
    EXPECT_EQ(count(r->bytes, "/CreationDate"), 0u);
    EXPECT_EQ(count(r->bytes, "/ModDate"), 0u);
    EXPECT_EQ(count(r->bytes, "<xmp:CreateDate>"), 0u);
    EXPECT_EQ(count(r->bytes, "<xmp:ModifyDate>"), 0u);
    EXPECT_TRUE(
        std::regex_search(r->bytes, std::regex("trailer\n<<\n/ID \\[ <[0-9A-F]{32}> <[0-9A-F]{32}> \\]\n"
                                               "/Root 1 0 R\n/Info 3 0 R\n/Size ")));
}

TEST(pdf, date_time_is_written_to_the_second) {
    PagedDocument doc = sample_document();
    RenderOptions options = sample_options();
    options.date = parse_pdf_date("2023-08-15T14:05:09");
    ASSERT_TRUE(options.date);
    auto r = render_to_file(doc, options);
    std::string qdf = qdf_of(r);
    // In UTC, as the XMP metadata says it (ISO 19005-1 6.7.3).
    EXPECT_EQ(count(qdf, "/CreationDate (D:20230815140509+00'00')"), 1u);
    EXPECT_EQ(count(qdf, "/ModDate (D:20230815140509+00'00')"), 1u);
    EXPECT_EQ(count(qdf, "<xmp:CreateDate>2023-08-15T14:05:09+00:00</xmp:CreateDate>"), 1u);
    EXPECT_EQ(count(qdf, "<xmp:ModifyDate>2023-08-15T14:05:09+00:00</xmp:ModifyDate>"), 1u);
}

// What PDF/A-1b (ISO 19005-1) asks beyond the drawing; Preflight checks the factsheets whole
// (tests/pdfa/check_pdfa.sh).
TEST(pdf, document_has_what_pdf_a_1b_asks) {
    auto r = render_to_file(sample_document());
    EXPECT_EQ(r->bytes.rfind("%PDF-1.4\n", 0), 0u);
    // The metadata is written as is, never compressed: it can be read in the bytes.
    EXPECT_EQ(count(r->bytes, "/Type /Metadata\n/Subtype /XML\n>>\nstream\r\n<?xpacket begin="), 1u);
    EXPECT_EQ(count(r->bytes, "<pdfaid:part>1</pdfaid:part>"), 1u);
    EXPECT_EQ(
        count(r->bytes, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Mali : fiche d’information<"), 1u);
    std::string qdf = qdf_of(r);
    EXPECT_EQ(count(qdf, "/Metadata "), 1u);
    EXPECT_EQ(count(qdf, "/S /GTS_PDFA1\n"), 1u);
    EXPECT_EQ(count(qdf, "/OutputConditionIdentifier (sRGB IEC61966-2.1)\n"), 1u);
    EXPECT_EQ(count(qdf, "/DestOutputProfile "), 1u);
    EXPECT_EQ(count(qdf, "/CIDSet "), 2u);  // one per subset font
    EXPECT_EQ(count(qdf, "/F 4\n"), 1u);    // the link is printed
    EXPECT_EQ(count(qdf, "/SMask"), 0u);
    EXPECT_EQ(count(qdf, "<pdf:Producer>Haru Free PDF Library " + std::string(HPDF_GetVersion()) +
                             "</pdf:Producer>"),
              1u);
    auto res = run("pdfinfo '" + r->path + "'");
    EXPECT_NE(res.out.find("Producer:        Haru Free PDF Library " + std::string(HPDF_GetVersion()) + "\n"),
              std::string::npos)
        << res.out;
}

// The bold font draws "Ségou et MénakaContact": its CIDSet has a bit for CID 0 and each of those
// code points (CID = code point, Identity-H), and no other.
TEST(pdf, cid_set_lists_cid_0_and_the_codes_drawn) {
    auto r = render_to_file(sample_document());
    std::string set_object =
        object_number(r->bytes, "/FontName /[A-Z]{6}\\+Roboto-Bold,Bold\n(?:[^>]*\n)*?/CIDSet (\\d+) 0 R");
    ASSERT_NE(set_object, "");
    auto res = run("qpdf --show-object=" + set_object + " --filtered-stream-data '" + r->path + "'");
    ASSERT_EQ(res.exit_code, 0) << res.err;
    std::set<unsigned> cids;
    for (std::size_t i = 0; i < res.out.size(); ++i)
        for (unsigned bit = 0; bit < 8; ++bit)
            if (static_cast<unsigned char>(res.out[i]) & (0x80u >> bit))
                cids.insert(static_cast<unsigned>(8 * i + bit));
    std::set<unsigned> expected{0};
    for (char32_t c : std::u32string(U"Ségou et MénakaContact")) expected.insert(static_cast<unsigned>(c));
    EXPECT_EQ(cids, expected);
    EXPECT_EQ(res.out.size(), std::size_t{0xE9} / 8 + 1);  // up to é, the highest code
}

TEST(pdf, unused_declared_font_is_not_written) {
    PagedDocument doc = sample_document();
    doc.fonts.push_back({"/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Italic.ttf"});
    auto r = render_to_file(doc);
    auto res = run("pdffonts '" + r->path + "'");
    EXPECT_EQ(res.out.find("Italic"), std::string::npos) << res.out;
}

TEST(pdf, same_font_file_twice_is_loaded_once) {
    PagedDocument doc = sample_document();
    doc.fonts.push_back({kRegular});
    doc.pages[0].items.push_back(text(50, 300, 2, "Gao"));
    auto r = render_to_file(doc);
    auto res = run("pdffonts '" + r->path + "'");
    EXPECT_EQ(count(res.out, "Roboto-Regular"), 1u) << res.out;
}

// Each page names its fonts F1, F2... in the order it first draws with them, as libharu named
// its own fonts, and the content selects them by those names.
TEST(pdf, page_resources_name_fonts_in_order_of_first_use) {
    PagedDocument doc = sample_document();
    doc.pages.emplace_back();
    doc.pages[1].width = doc.pages[0].width;
    doc.pages[1].height = doc.pages[0].height;
    doc.pages[1].items.push_back(text(50, 100, 0, "Kidal", 9));
    doc.pages[1].items.push_back(text(50, 120, 1, "Gao"));
    auto r = render_to_file(doc);
    std::string qdf_path = r->path + ".qdf";
    ASSERT_EQ(run("qpdf --qdf --object-streams=disable '" + r->path + "' '" + qdf_path + "'").exit_code, 0);
    std::string qdf = read_file(qdf_path);
    std::filesystem::remove(qdf_path);
    std::smatch m;
    std::vector<std::string> font_dicts;
    std::string rest = qdf;
    while (std::regex_search(rest, m, std::regex(R"(/Font <<\s*((?:/F\d+ \d+ 0 R\s*)+)>>)"))) {
        font_dicts.push_back(std::regex_replace(m[1].str(), std::regex(R"(\s+)"), " "));
        rest = m.suffix();
    }
    ASSERT_EQ(font_dicts.size(), 2u) << qdf;
    // Page 1 draws with the bold font first (its title), page 2 with the regular one.
    std::smatch f1, f2;
    ASSERT_TRUE(std::regex_search(font_dicts[0], f1, std::regex(R"(/F1 (\d+) 0 R /F2 (\d+) 0 R)")));
    ASSERT_TRUE(std::regex_search(font_dicts[1], f2, std::regex(R"(/F1 (\d+) 0 R /F2 (\d+) 0 R)")));
    EXPECT_EQ(f1[1].str(), f2[2].str());
    EXPECT_EQ(f1[2].str(), f2[1].str());
    EXPECT_NE(qdf.find("/F1 20 Tf"), std::string::npos);  // page 1's title, bold
    EXPECT_NE(qdf.find("/F1 9 Tf"), std::string::npos);   // page 2's first text, regular
    EXPECT_NE(qdf.find("/F2 12 Tf"), std::string::npos);
    auto res = run("pdftotext '" + r->path + "' -");
    EXPECT_NE(res.out.find("Gao"), std::string::npos) << res.out;
    EXPECT_NE(res.out.find("Kidal"), std::string::npos) << res.out;
}

TEST(pdf, font_size_out_of_range_is_refused) {
    PagedDocument doc = sample_document();
    doc.pages[0].items.push_back(text(50, 300, 0, "Gao", 601));
    EXPECT_THROW(
        {
            try {
                render_pdf(doc);
            } catch (const Error& e) {
                EXPECT_NE(std::string(e.what()).find(
                              "font size 601.000000 is outside what a PDF page takes (above 0, at most 600)"),
                          std::string::npos)
                    << e.what();
                throw;
            }
        },
        Error);
}

TEST(pdf, missing_glyph_names_the_character_and_the_font) {
    PagedDocument doc = sample_document();
    doc.pages[0].items.push_back(text(50, 300, 0, "Mali \u0645"));
    EXPECT_EQ(what_of(doc),
              kRegular +
                  ": error: page 1, item 9: the font has no glyph for U+0645 in \"Mali \u0645\"; "
                  "use a font that has it or remove the character");
}

TEST(pdf, character_beyond_the_bmp_is_refused) {
    PagedDocument doc = sample_document();
    doc.pages[0].items.push_back(text(50, 300, 1, "ok \U0001F600"));
    EXPECT_EQ(what_of(doc),
              kBold +
                  ": error: page 1, item 9: character U+1F600 in \"ok \U0001F600\" is beyond U+FFFF, "
                  "which the pdf writer cannot draw; remove it");
}

TEST(pdf, control_character_is_refused) {
    PagedDocument doc = sample_document();
    doc.pages[0].items.push_back(text(50, 300, 0, "a\tb"));
    EXPECT_EQ(what_of(doc),
              kRegular +
                  ": error: page 1, item 9: control character U+0009 in \"a\tb\" cannot be drawn; "
                  "remove it");
}

TEST(pdf, invalid_utf8_is_refused) {
    PagedDocument doc = sample_document();
    doc.pages[0].items.push_back(text(50, 300, 0, "S\xE9gou"));  // Latin-1, not UTF-8
    EXPECT_EQ(
        what_of(doc),
        "pdf: error: page 1, item 9: text is not valid UTF-8 at byte 1; the layout must hand over UTF-8");
}

TEST(pdf, missing_font_file_names_the_path) {
    PagedDocument doc = sample_document();
    doc.fonts[1].path = "/nonexistent/Roboto-Bold.ttf";
    EXPECT_EQ(what_of(doc),
              "/nonexistent/Roboto-Bold.ttf: error: cannot open the font file (no such file or "
              "directory); install it or fix the path");
}

TEST(pdf, file_that_is_not_a_font_is_refused) {
    std::string dir = test::make_temp_dir();
    std::string path = dir + "/not-a-font.ttf";
    write_file(path, "this is not a TrueType font\n");
    PagedDocument doc = sample_document();
    doc.fonts[0].path = path;
    std::string what = what_of(doc);
    EXPECT_EQ(what, path +
                        ": error: the file is not a TrueType font (it does not start with a TrueType "
                        "version); use a .ttf font file");
    std::filesystem::remove_all(dir);
}

TEST(pdf, font_index_out_of_range_is_refused) {
    PagedDocument doc = sample_document();
    doc.pages[0].items.push_back(text(50, 300, 2, "Gao"));
    EXPECT_EQ(what_of(doc), "pdf: error: page 1, item 9: text refers to font 2 but the document declares 2");
}

TEST(pdf, dates_are_read_only_when_real) {
    EXPECT_EQ(parse_pdf_date("2024-02-29"), (PdfDate{2024, 2, 29}));
    EXPECT_EQ(parse_pdf_date("2023-08-15T14:05:09"), (PdfDate{2023, 8, 15, 14, 5, 9}));
    for (const char* bad : {"15/08/2023", "2023-02-29", "2023-8-15", "2023-08-15T24:00:00",
                            "2023-08-15 14:05:09", "2023-08-15T14:05", ""})
        EXPECT_FALSE(parse_pdf_date(bad)) << bad;
}

TEST(pdf, an_impossible_date_is_refused) {
    PagedDocument doc = sample_document();
    RenderOptions options = sample_options();
    options.date = PdfDate{2023, 2, 29};
    EXPECT_EQ(what_of(doc, options),
              "pdf: error: creation date 2023-02-29T00:00:00+00:00 is not a real date and time");
    options.date = sample_options().date;
    options.lang = "f r";
    EXPECT_EQ(what_of(doc, options), "pdf: error: language \"f r\" is not a BCP 47 tag such as \"fr\"");
}

TEST(pdf, a_colour_out_of_range_or_a_negative_width_is_an_error_naming_the_item) {
    PagedDocument doc = sample_document();
    RectItem r;
    r.rect = {10, 10, 10, 10};
    r.fill = {2, 0, 0};
    doc.pages[0].items.push_back(r);
    EXPECT_EQ(
        what_of(doc),
        "pdf: error: page 1, item 9: colour (2.000000, 0.000000, 0.000000) has a component outside 0 to 1");
    doc = sample_document();
    LineItem l;
    l.x1 = 10;
    l.x2 = 20;
    l.color = {0, 0, -0.5};
    doc.pages[0].items.push_back(l);
    EXPECT_EQ(
        what_of(doc),
        "pdf: error: page 1, item 9: colour (0.000000, 0.000000, -0.500000) has a component outside 0 to 1");
    doc.pages[0].items.back() = LineItem{10, 10, 20, 10, -1, {}, artifact};
    EXPECT_EQ(what_of(doc), "pdf: error: page 1, item 9: line width -1.000000 is negative");
}

TEST(pdf, empty_document_is_refused) {
    PagedDocument doc;
    EXPECT_EQ(what_of(doc), "pdf: error: the document has no pages; nothing to render");
}

TEST(pdf, non_ascii_uri_is_percent_encoded) {
    PagedDocument doc = sample_document();
    LinkItem link;
    link.rect = {0, 0, 10, 10};
    link.uri = "https://example.org/Ségou";
    doc.pages[0].items.push_back(link);
    std::string qdf = qdf_of(render_to_file(doc));
    EXPECT_EQ(count(qdf, "/URI (https://example.org/S%C3%A9gou)"), 1u);
}

// Reads pdftoppm's grey PGM (P5, 8 bits) into rows of bytes.
struct Gray {
    int width = 0, height = 0;
    std::string pixels;
    int at(int x, int y) const {
        return static_cast<unsigned char>(pixels[static_cast<std::size_t>(y * width + x)]);
    }
    // How many pixels of the box [x0, x1) x [y0, y1) are dark.
    int dark_in(int x0, int y0, int x1, int y1) const {
        int n = 0;
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) n += at(x, y) < 128;
        return n;
    }
};

Gray read_pgm(const std::string& path) {
    std::string bytes = read_file(path);
    Gray g;
    int maxval = 0, consumed = 0;
    EXPECT_EQ(std::sscanf(bytes.c_str(), "P5 %d %d %d%n", &g.width, &g.height, &maxval, &consumed), 3);
    g.pixels = bytes.substr(static_cast<std::size_t>(consumed) + 1);
    EXPECT_EQ(g.pixels.size(), static_cast<std::size_t>(g.width * g.height));
    return g;
}

// At 72 dpi one pixel is one point, so layout coordinates (y down) are pixel coordinates.
TEST(pdf, shapes_land_where_the_layout_put_them) {
    PagedDocument doc;
    doc.fonts = {{kRegular}};
    Page page;
    RectItem box;
    box.rect = {100, 100, 200, 50};  // near the top of the page
    box.fill = kBlack;
    page.items.push_back(box);
    RectItem frame;
    frame.rect = {100, 400, 200, 100};
    frame.filled = false;
    frame.stroke_width = 4;
    frame.stroke = kBlack;
    page.items.push_back(frame);
    LineItem rule;
    rule.x1 = 100;
    rule.y1 = 600;
    rule.x2 = 500;
    rule.y2 = 600;
    rule.width = 4;
    page.items.push_back(rule);
    page.items.push_back(text(350, 700, 0, "HHHH", 40));
    doc.pages.push_back(page);
    auto r = render_to_file(doc);
    auto res = run("pdftoppm -gray -r 72 -singlefile '" + r->path + "' '" + r->dir + "/page'");
    ASSERT_EQ(res.exit_code, 0) << res.err;
    Gray g = read_pgm(r->dir + "/page.pgm");
    ASSERT_EQ(g.width, 596);  // 595.276 pt, rounded up
    ASSERT_EQ(g.height, 842);
    EXPECT_LT(g.at(200, 125), 64);         // inside the filled box
    EXPECT_GT(g.at(200, 842 - 125), 192);  // where a y-up mistake would have put it
    EXPECT_GT(g.at(200, 90), 192);         // just above the box
    EXPECT_LT(g.at(100, 450), 64);         // the frame's left edge
    EXPECT_GT(g.at(200, 450), 192);        // the frame is not filled
    EXPECT_LT(g.at(300, 600), 64);         // the rule
    EXPECT_GT(g.at(300, 590), 192);
    // Capitals sit on the baseline at y = 700 and rise about 28 pt; nothing hangs below it.
    EXPECT_GT(g.dark_in(350, 675, 550, 699), 500);
    EXPECT_EQ(g.dark_in(350, 702, 550, 740), 0);
    EXPECT_EQ(g.dark_in(350, 640, 550, 668), 0);
    EXPECT_EQ(g.dark_in(350, 842 - 700, 550, 842 - 672), 0);
}

TEST(pdf, two_fonts_render_quickly) {
    PagedDocument doc = sample_document();
    for (int i = 0; i < 40; ++i)
        doc.pages[0].items.push_back(
            text(50, 300 + 12 * i, i % 2, "Les déplacements forcés à Ségou et Ménaka"));
    render_pdf(doc);  // warm the file cache
    auto start = std::chrono::steady_clock::now();
    render_pdf(doc);
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    // Generous bound: a shared machine must not make this flaky; the report states real timings.
    EXPECT_LT(ms, 500.0);
    RecordProperty("render_ms", std::to_string(ms));
    std::printf("render of one page with two fonts: %.1f ms\n", ms);
}

// A page to look at by eye: FACTSHEET_PREVIEW_DIR=/some/dir pdf_test --gtest_filter=pdf.preview
// writes preview.pdf and preview.png (60 dpi) there. Skipped otherwise.
TEST(pdf, preview) {
    const char* dir = std::getenv("FACTSHEET_PREVIEW_DIR");
    if (!dir) GTEST_SKIP() << "set FACTSHEET_PREVIEW_DIR to write a preview";
    PagedDocument doc = sample_document();
    RectItem frame;
    frame.rect = {40, 260, 515.276, 120};
    frame.filled = false;
    frame.stroke_width = 2;
    frame.stroke = {0.8, 0.1, 0.1};
    doc.pages[0].items.push_back(frame);
    doc.pages[0].items.push_back(text(50, 300, 1, "Encadré rouge : 120 pt de haut, à 260 pt du haut", 14));
    LineItem diagonal;
    diagonal.x1 = 40;
    diagonal.y1 = 400;
    diagonal.x2 = 555.276;
    diagonal.y2 = 800;
    diagonal.width = 3;
    diagonal.color = {0.1, 0.6, 0.2};
    doc.pages[0].items.push_back(diagonal);
    doc.pages[0].items.push_back(text(40, 815, 0, "Bas de page, ligne de base à 815 pt", 10));
    std::string pdf = std::string(dir) + "/preview.pdf";
    write_file(pdf, render_pdf(doc));
    auto res = run("pdftoppm -png -r 60 -singlefile '" + pdf + "' '" + std::string(dir) + "/preview'");
    EXPECT_EQ(res.exit_code, 0) << res.err;
}

// The fonts' CIDToGIDMap (and width) tables list the characters the document draws, not the
// whole font: count the codes given a glyph against the distinct characters of each font's text.
TEST(pdf, font_tables_list_only_the_characters_drawn) {
    PagedDocument doc = sample_document();
    std::map<int, std::set<std::string>> characters;  // by font: each UTF-8 character once
    for (const PageItem& item : doc.pages[0].items) {
        if (const auto* t = std::get_if<TextItem>(&item)) {
            for (std::size_t i = 0; i < t->text.size();) {
                std::size_t n = 1;
                while (i + n < t->text.size() && (static_cast<unsigned char>(t->text[i + n]) & 0xC0) == 0x80)
                    ++n;
                characters[t->font].insert(t->text.substr(i, n));
                i += n;
            }
        }
    }
    auto r = render_to_file(doc);
    std::vector<std::size_t> mapped;
    for (auto at = r->bytes.find("/CIDToGIDMap "); at != std::string::npos;
         at = r->bytes.find("/CIDToGIDMap ", at + 1)) {
        int object = std::atoi(r->bytes.c_str() + at + 13);
        auto res =
            run("qpdf --show-object=" + std::to_string(object) + " --filtered-stream-data '" + r->path + "'");
        ASSERT_EQ(res.exit_code, 0) << res.err;
        // The map stops after the last code drawn (an even length, well short of libharu's 2 * 0xFFFF).
        ASSERT_EQ(res.out.size() % 2, 0u);
        ASSERT_LT(res.out.size(), 2u * 0x3000);
        ASSERT_TRUE(res.out[res.out.size() - 2] != 0 || res.out[res.out.size() - 1] != 0)
            << "ends on a mapped code";
        std::size_t n = 0;
        for (std::size_t i = 0; i < res.out.size(); i += 2) n += res.out[i] != 0 || res.out[i + 1] != 0;
        mapped.push_back(n);
    }
    // Fonts are written in the order they were first drawn: the bold title comes first.
    EXPECT_EQ(mapped, (std::vector<std::size_t>{characters[1].size(), characters[0].size()}));
}

TEST(pdf_custom_info, extra_info_entries_are_written_as_text) {
    PagedDocument doc;
    doc.fonts.push_back(FontFile{"/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf"});
    doc.pages.emplace_back();
    doc.pages[0].items.push_back(TextItem{50, 50, 0, 10, {}, "x", {}});
    RenderOptions options;
    options.stamps = {{"FactsheetEdition", "3"}, {"FactsheetOperation", "mali"}};
    std::string dir = test::make_temp_dir();
    test::write_file(dir + "/a.pdf", render_pdf(doc, options));
    // pdfinfo -custom decodes the UTF-16BE text strings back.
    test::RunResult r = test::run("pdfinfo -custom " + dir + "/a.pdf");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("FactsheetEdition:3\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("FactsheetOperation:mali\n"), std::string::npos) << r.out;
    std::filesystem::remove_all(dir);
}

// What the layout engine measures must be what the PDF draws: every width in the font's /W array
// equals the layout's advance for that character (the codes drawn are the code points).
TEST(pdf_widths, the_width_array_matches_the_layout_metrics) {
    const std::string path = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf";
    PagedDocument doc;
    doc.fonts.push_back(FontFile{path});
    doc.pages.emplace_back();
    std::string text = "Ségou, Ménaka « œuvre » l’été ; 3\u202F900\u00A0% — déplacements (AoR) / W@x.org";
    doc.pages[0].items.push_back(TextItem{50, 50, 0, 10, {}, text, {}});
    std::string dir = test::make_temp_dir();
    test::write_file(dir + "/a.pdf", render_pdf(doc));
    ASSERT_EQ(test::run("qpdf --qdf --object-streams=disable " + dir + "/a.pdf " + dir + "/q.pdf").exit_code,
              0);
    std::string qdf = test::read_file(dir + "/q.pdf");
    std::size_t w = qdf.find("/W [");
    ASSERT_NE(w, std::string::npos);
    std::size_t end = qdf.find("\n  ]", w);
    // Parse "first [ w1 w2 ... ]" groups.
    std::map<unsigned, int> widths;
    std::istringstream in(qdf.substr(w + 4, end - w - 4));
    std::string token;
    unsigned next = 0;
    bool in_group = false;
    while (in >> token) {
        if (token == "[")
            in_group = true;
        else if (token == "]")
            in_group = false;
        else if (in_group)
            widths[next++] = std::stoi(token);
        else
            next = static_cast<unsigned>(std::stoul(token));
    }
    TrueTypeFont font(path);
    std::set<char32_t> seen;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t from = i;
        unsigned char c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = c < 0x80 ? c : c & (0x7F >> len);
        for (std::size_t k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(text[from + k]) & 0x3F);
        i += len;
        if (!seen.insert(cp).second) continue;
        ASSERT_TRUE(widths.count(cp)) << "no width for U+" << std::hex << unsigned(cp);
        EXPECT_EQ(widths[cp], font.advance(cp)) << "U+" << std::hex << unsigned(cp);
    }
    EXPECT_GT(seen.size(), 30u);
    std::filesystem::remove_all(dir);
}

// Content and child nodes are the node's kids in drawing order: a Span in the middle of a
// paragraph reads in the middle. A node in another language says so (/Lang); a tagged document
// claims PDF/UA-1 in its XMP (with the extension schema PDF/A-1 asks for), an untagged one does not.
TEST(pdf_structure, kids_keep_reading_order_and_languages) {
    PagedDocument doc;
    doc.fonts.push_back(FontFile{kRegular});
    doc.pages.emplace_back();
    doc.structure = {{"Document", -1, "", ""}, {"P", 0, "", ""}, {"Span", 1, "", "fr"}};
    TextItem a = text(50, 50, 0, "before");
    a.tag = 1;
    TextItem b = text(100, 50, 0, "rapport");
    b.tag = 2;
    TextItem c = text(160, 50, 0, "after");
    c.tag = 1;
    doc.pages[0].items = {a, b, c};
    auto r = render_to_file(doc);
    test::RunResult tree = run("pdfinfo -struct-text '" + r->path + "'");
    EXPECT_EQ(tree.out,
              "Document\n  P (block)\n    \"before\"\n    Span (inline)\n      \"rapport\"\n    \"after\"\n");
    std::string qdf = qdf_of(r);
    EXPECT_EQ(count(qdf, "/Lang (fr)"), 2u);  // the catalog's and the Span's
    EXPECT_EQ(count(qdf, "<pdfuaid:part>1</pdfuaid:part>"), 1u);
    EXPECT_EQ(count(qdf, "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"), 1u);

    doc.structure.clear();
    EXPECT_EQ(count(qdf_of(render_to_file(doc)), "pdfuaid"), 0u);
    doc.structure = {{"Document", -1, "", ""}, {"P", 0, "", ""}, {"Span", 1, "", "f r"}};
    EXPECT_EQ(what_of(doc), "pdf: error: language \"f r\" is not a BCP 47 tag such as \"fr\"");
}

// A path's rings filled together even-odd (a ring inside another is a hole), at a hundredth of a
// point; an image embedded once however often it is drawn, clipped only where it overflows.
TEST(pdf_pictures, paths_and_images_are_drawn_as_given) {
    PagedDocument doc;
    doc.pages.emplace_back();
    PathItem ring;
    ring.rings = {{{10, 10}, {110, 10}, {110, 110}, {10, 110}}, {{40.004, 40}, {80, 40}, {80, 80}, {40, 80}}};
    ring.fill = {0, 0, 1};
    doc.pages[0].items.push_back(ring);
    auto image = std::make_shared<RasterImage>();
    image->width = 2;
    image->height = 1;
    image->components = 3;
    image->data = std::string("\xFF\x00\x00\x00\xFF\x00", 6);
    doc.images.push_back(image);
    ImageItem contained{{200, 20, 40, 20}, {200, 20, 40, 20}, 0, artifact};
    ImageItem covering{{300, 10, 80, 40}, {320, 20, 40, 20}, 0, artifact};
    doc.pages[0].items.push_back(contained);
    doc.pages[0].items.push_back(covering);
    auto r = render_to_file(doc);
    std::string qdf = qdf_of(r);
    EXPECT_EQ(count(qdf, "10 831.89 m\n110 831.89 l\n110 731.89 l\n10 731.89 l\nh\n40 801.89 m\n"), 1u)
        << qdf;
    EXPECT_EQ(count(qdf, "h\nf*\n"), 1u);
    EXPECT_EQ(count(qdf, "/Subtype /Image"), 1u);
    EXPECT_EQ(count(qdf, " re\nW\nn\n"), 1u);  // the covering image only
    // The hole shows the page: white at its middle, blue in the ring, in the rendered page.
    test::RunResult page = run("pdftoppm -r 72 -gray -singlefile '" + r->path + "'");
    ASSERT_EQ(page.exit_code, 0);
    // A binary PGM: "P5\n<width> <height>\n255\n", then a byte per pixel, row by row.
    std::istringstream head(page.out);
    std::string magic;
    std::size_t width = 0, height = 0, maxval = 0;
    head >> magic >> width >> height >> maxval;
    ASSERT_EQ(magic, "P5");
    std::size_t start = static_cast<std::size_t>(head.tellg()) + 1;
    ASSERT_EQ(page.out.size(), start + width * height);
    auto pixel = [&](std::size_t x, std::size_t y) {
        return static_cast<unsigned char>(page.out[start + y * width + x]);
    };
    EXPECT_LT(pixel(20, 20), 100);   // in the ring: blue, dark in grey
    EXPECT_EQ(pixel(60, 60), 255);   // in the hole: the white page
    EXPECT_EQ(pixel(150, 60), 255);  // outside
}

// One form per drawing in a document even when the process's cache of packed drawings forgets it
// between two draws (it is emptied when full, and threads of a batch fill it in any order): the
// same document makes the same bytes however the batch ran.
TEST(pdf_pictures, a_drawing_forgotten_by_the_cache_is_still_one_form) {
    auto square = [](double width) {
        auto d = std::make_shared<Drawing>();
        d->width = width;
        d->height = 50;
        PathItem path;
        path.rings = {{{0, 0}, {width, 0}, {width, 50}, {0, 50}}};
        path.fill = {0.2, 0.4, 0.8};
        d->paths.push_back(path);
        return d;
    };
    PagedDocument doc;
    doc.pages.resize(1);
    std::vector<PageItem>& items = doc.pages[0].items;
    auto draw = [&](double x, double y, std::shared_ptr<Drawing> d) {
        DrawingItem item;
        item.x = x;
        item.y = y;
        item.drawing = std::move(d);
        item.tag = artifact;
        items.emplace_back(std::move(item));
    };
    draw(10, 20, square(100));
    // More distinct drawings than the cache keeps (64): it is emptied before the last one.
    for (int i = 0; i < 70; ++i) draw(10, 100, square(1 + i));
    draw(200, 300, square(100));
    std::string qdf = qdf_of(render_to_file(doc));
    EXPECT_EQ(count(qdf, "/Subtype /Form"), 71u);
}

// A drawing is one form XObject however often a document draws it, placed where each item says;
// another document drawing an equal drawing (made apart) gets the same object bytes.
TEST(pdf_pictures, a_drawing_is_one_form_placed_where_drawn) {
    auto make = [] {
        auto d = std::make_shared<Drawing>();
        d->width = 100;
        d->height = 50;
        PathItem square;
        square.rings = {{{0, 0}, {100, 0}, {100, 50}, {0, 50}}};
        square.fill = {0.2275, 0.4824, 0.8353};  // #3A7BD5 to four decimals
        square.stroke_width = 0.5;
        square.stroke = {1, 1, 1};
        d->paths.push_back(square);
        return d;
    };
    PagedDocument doc;
    doc.pages.resize(2);
    doc.pages[0].items.push_back(DrawingItem{10, 20, make(), artifact});
    doc.pages[0].items.push_back(DrawingItem{200, 300, make(), artifact});
    doc.pages[1].items.push_back(DrawingItem{10, 20, make(), artifact});
    auto r = render_to_file(doc);
    std::string qdf = qdf_of(r);
    EXPECT_EQ(count(qdf, "/Subtype /Form"), 1u) << qdf;
    EXPECT_EQ(
        count(qdf, "0.2275 0.4824 0.8353 rg\n1 1 1 RG\n0.5 w\n0 50 m\n100 50 l\n100 0 l\n0 0 l\nh\nB*\n"), 1u)
        << qdf;
    // Bottom left of each frame, y up: 841.89 - 20 - 50, 841.89 - 300 - 50.
    EXPECT_EQ(count(qdf, "q 1 0 0 1 10 771.89 cm\n/"), 2u) << qdf;
    EXPECT_EQ(count(qdf, "q 1 0 0 1 200 491.89 cm\n/"), 1u) << qdf;
    EXPECT_EQ(run("qpdf --check '" + r->path + "'").exit_code, 0);

    PagedDocument other;
    other.pages.resize(1);
    other.pages[0].items.push_back(DrawingItem{0, 0, make(), artifact});
    std::string again = qdf_of(render_to_file(other));
    auto form_of = [](const std::string& q) {
        std::size_t at = q.find("stream\n", q.find("/Subtype /Form"));  // its content, whatever its number
        std::size_t end = q.find("endstream", at);
        return at == std::string::npos || end == std::string::npos ? std::string() : q.substr(at, end - at);
    };
    EXPECT_FALSE(form_of(qdf).empty());
    EXPECT_EQ(form_of(again), form_of(qdf));

    auto broken = make();
    broken->paths[0].rings[0][1].x = std::numeric_limits<double>::quiet_NaN();
    other.pages[0].items[0] = DrawingItem{0, 0, broken, artifact};
    EXPECT_EQ(what_of(other),
              "pdf: error: page 1, item 1: a coordinate, colour or width is not a finite number");
}
