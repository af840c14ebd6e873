// The TrueType reader and subsetter, checked against FreeType reading the same fonts.
#include "pdf/truetype.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <ostream>
#include <string_view>

#include "common/big_endian.hpp"
#include "common/error.hpp"
#include "common/test_paths.hpp"
#include "pdf/freetype_glyphs.hpp"

using factsheet::Error;
using factsheet::pdf_detail::TrueTypeFile;
using factsheet::test::Face;
using factsheet::test::FreeType;
using factsheet::test::Shape;
using factsheet::test::shape;

namespace {

const std::string font_dir = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/";
const std::string regular_path = font_dir + "Roboto-Regular.ttf";
const std::string bold_path = font_dir + "Roboto-Bold.ttf";

using factsheet::big_endian::put16;
using factsheet::big_endian::put32;
using factsheet::big_endian::u16;
using factsheet::big_endian::u32;

std::uint32_t checksum(std::string_view s) {
    std::uint32_t sum = 0;
    for (std::size_t at = 0; at < s.size(); at += 4) {
        std::uint32_t word = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const auto byte = at + k < s.size() ? static_cast<unsigned char>(s[at + k]) : 0u;
            word = (word << 8) | byte;
        }
        sum += word;
    }
    return sum;
}

/// One entry of a font's table directory, read independently of the code under test.
struct DirEntry {
    std::string tag;
    std::uint32_t checksum = 0;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::size_t entry_at = 0;  // where the entry itself is in the file
};

std::vector<DirEntry> directory(std::string_view font) {
    std::vector<DirEntry> out;
    const std::uint16_t count = u16(font, 4);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t at = 12 + 16 * i;
        out.push_back(
            {std::string(font.substr(at, 4)), u32(font, at + 4), u32(font, at + 8), u32(font, at + 12), at});
    }
    return out;
}

DirEntry table(std::string_view font, const std::string& tag) {
    for (const DirEntry& e : directory(font)) {
        if (e.tag == tag) return e;
    }
    ADD_FAILURE() << "no table " << tag;
    return {};
}

/// The message an Error for a font file carries.
std::string error_text(const std::string& path, const std::string& bytes) {
    try {
        TrueTypeFile font(path, bytes);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

/// The component glyph ids of a composite glyph; empty for a simple one.
std::vector<unsigned> components(FT_Face face, unsigned glyph) {
    std::vector<unsigned> out;
    EXPECT_EQ(FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_RECURSE), 0);
    if (face->glyph->format != FT_GLYPH_FORMAT_COMPOSITE) return out;
    for (FT_UInt i = 0; i < face->glyph->num_subglyphs; ++i) {
        FT_Int index = 0;
        FT_UInt flags = 0;
        FT_Int arg1 = 0;
        FT_Int arg2 = 0;
        FT_Matrix matrix{};
        EXPECT_EQ(FT_Get_SubGlyph_Info(face->glyph, i, &index, &flags, &arg1, &arg2, &matrix), 0);
        out.push_back(static_cast<unsigned>(index));
    }
    return out;
}

std::vector<std::uint16_t> glyphs_of(const TrueTypeFile& font, std::u16string_view text) {
    std::vector<std::uint16_t> out;
    for (const char16_t c : text) out.push_back(font.glyph(c));
    return out;
}

/// Every glyph of the subset loads in FreeType exactly as the original glyph does.
void expect_same_glyphs(const std::string& original, const TrueTypeFile::Subset& subset) {
    FreeType ft;
    Face before(ft, original);
    Face after(ft, subset.program);
    ASSERT_EQ(before.error(), 0);
    ASSERT_EQ(after.error(), 0);
    ASSERT_EQ(after.get()->num_glyphs, static_cast<FT_Long>(subset.old_id.size()));
    for (std::size_t n = 0; n < subset.old_id.size(); ++n) {
        EXPECT_EQ(shape(after.get(), static_cast<unsigned>(n)), shape(before.get(), subset.old_id[n]))
            << "new glyph " << n << ", old glyph " << subset.old_id[n];
    }
}

const std::string& regular_bytes() {
    static const std::string bytes = factsheet::test::read_file(regular_path);
    return bytes;
}

const std::u16string mali_text = u"Mali \u00C9 \u00E9 \u00F4 3,90 M \u20AC";

}  // namespace

TEST(truetype, glyph_matches_freetype_for_every_bmp_code) {
    const TrueTypeFile font(regular_path, regular_bytes());
    EXPECT_EQ(font.path(), regular_path);
    EXPECT_EQ(font.glyph_count(), 3359);
    FreeType ft;
    Face face(ft, regular_bytes());
    ASSERT_EQ(face.error(), 0);
    for (const char16_t c : {u'A', u'\u00E9', u'\u0153', u'\u00AB', u'\u202F', u'\u20AC'}) {
        EXPECT_EQ(font.glyph(c), FT_Get_Char_Index(face.get(), c)) << static_cast<unsigned>(c);
        EXPECT_NE(font.glyph(c), 0) << static_cast<unsigned>(c);
    }
    EXPECT_EQ(font.glyph(u'\u4E2D'), 0);  // no CJK in Roboto
    EXPECT_EQ(FT_Get_Char_Index(face.get(), 0x4E2D), 0u);
    std::size_t mapped = 0;
    for (unsigned c = 0; c < 0x10000; ++c) {
        const auto code = static_cast<char16_t>(c);
        ASSERT_EQ(font.glyph(code), FT_Get_Char_Index(face.get(), c)) << "U+" << std::hex << c;
        if (font.glyph(code) != 0) ++mapped;
    }
    EXPECT_GT(mapped, 1000u);
}

TEST(truetype, advance_and_units_per_em_match_freetype) {
    for (const std::string& path : {regular_path, bold_path}) {
        const std::string bytes = factsheet::test::read_file(path);
        const TrueTypeFile font(path, bytes);
        FreeType ft;
        Face face(ft, bytes);
        ASSERT_EQ(face.error(), 0);
        EXPECT_EQ(font.units_per_em(), face.get()->units_per_EM);
        EXPECT_EQ(font.units_per_em(), 2048);
        for (unsigned g = 0; g < font.glyph_count(); ++g) {
            ASSERT_EQ(FT_Load_Glyph(face.get(), g, FT_LOAD_NO_SCALE), 0);
            ASSERT_EQ(font.advance(static_cast<std::uint16_t>(g)), face.get()->glyph->metrics.horiAdvance)
                << path << ", glyph " << g;
        }
        EXPECT_EQ(font.advance(font.glyph_count()), 0);
    }
}

TEST(truetype, format_4_cmap_gives_the_same_glyphs_as_format_12) {
    // Hide the format 12 subtables, (3,10) and (0,4), so that (3,1) format 4, whose segments use
    // idRangeOffset, is read instead.
    std::string bytes = regular_bytes();
    const DirEntry cmap = table(bytes, "cmap");
    const std::uint16_t count = u16(bytes, cmap.offset + 2);
    int hidden = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t record = cmap.offset + 4 + 8 * i;
        const std::uint32_t format = u16(bytes, cmap.offset + u32(bytes, record + 4));
        if (format == 12) {
            put16(bytes, record, 1);  // Macintosh platform: not read
            ++hidden;
        }
    }
    ASSERT_EQ(hidden, 2);
    const TrueTypeFile format4(regular_path, bytes);
    const TrueTypeFile format12(regular_path, regular_bytes());
    for (unsigned c = 0; c < 0xFFFF; ++c) {
        const auto code = static_cast<char16_t>(c);
        ASSERT_EQ(format4.glyph(code), format12.glyph(code)) << "U+" << std::hex << c;
    }
    EXPECT_EQ(format4.glyph(u'\uFFFF'), 0);  // the terminating segment maps nothing
}

TEST(truetype, format_4_cmap_with_glyph_id_array) {
    // A (3,1) format 4 table written here, in place of the font's own: A-C through glyphIdArray
    // (B unmapped), the euro through idDelta alone, then the 0xFFFF terminator.
    std::string cmap;
    auto add16 = [&](std::uint16_t v) {
        cmap += static_cast<char>(v >> 8);
        cmap += static_cast<char>(v & 0xFF);
    };
    add16(0), add16(1), add16(3), add16(1), add16(0), add16(12);           // version, 1 record, (3,1) at 12
    add16(4), add16(0), add16(0), add16(6), add16(4), add16(1), add16(2);  // format, length, lang, seg*2...
    add16(0x43), add16(0x20AC), add16(0xFFFF), add16(0);                   // endCode, reservedPad
    add16(0x41), add16(0x20AC), add16(0xFFFF);                             // startCode
    add16(1), add16(static_cast<std::uint16_t>(100 - 0x20AC)), add16(1);   // idDelta
    add16(6), add16(0), add16(0);                                          // idRangeOffset
    add16(5), add16(0), add16(7);                                          // glyphIdArray
    put16(cmap, 14, static_cast<std::uint16_t>(cmap.size() - 12));
    std::string bytes = regular_bytes();
    const DirEntry entry = table(bytes, "cmap");
    put32(bytes, entry.entry_at + 8, static_cast<std::uint32_t>(bytes.size()));
    put32(bytes, entry.entry_at + 12, static_cast<std::uint32_t>(cmap.size()));
    bytes += cmap;
    const TrueTypeFile font(regular_path, bytes);
    EXPECT_EQ(font.glyph(u'A'), 6);
    EXPECT_EQ(font.glyph(u'B'), 0);
    EXPECT_EQ(font.glyph(u'C'), 8);
    EXPECT_EQ(font.glyph(u'D'), 0);
    EXPECT_EQ(font.glyph(u'\u20AC'), 100);
    EXPECT_EQ(font.glyph(u'\uFFFF'), 0);
    FreeType ft;
    Face face(ft, bytes);
    ASSERT_EQ(face.error(), 0);
    for (const char16_t c : {u'@', u'A', u'B', u'C', u'D', u'\u20AC'}) {
        EXPECT_EQ(font.glyph(c), FT_Get_Char_Index(face.get(), c)) << static_cast<unsigned>(c);
    }
}

TEST(truetype, subset_loads_in_freetype_with_the_same_outlines_and_advances) {
    const TrueTypeFile font(regular_path, regular_bytes());
    const std::vector<std::uint16_t> asked = glyphs_of(font, mali_text);
    const TrueTypeFile::Subset subset = font.subset(asked);
    ASSERT_EQ(subset.old_id.front(), 0);
    EXPECT_TRUE(std::is_sorted(subset.old_id.begin(), subset.old_id.end()));
    EXPECT_EQ(std::adjacent_find(subset.old_id.begin(), subset.old_id.end()), subset.old_id.end());
    for (std::size_t n = 0; n < subset.old_id.size(); ++n) {
        EXPECT_EQ(subset.new_id(subset.old_id[n]), n);
    }
    for (const std::uint16_t g : asked) EXPECT_NE(subset.new_id(g), 0) << g;
    expect_same_glyphs(regular_bytes(), subset);

    // É, é and ô are composites in Roboto: their components were pulled in and renumbered.
    FreeType ft;
    Face before(ft, regular_bytes());
    Face after(ft, subset.program);
    ASSERT_EQ(after.error(), 0);
    std::size_t composites = 0;
    for (const char16_t c : {u'\u00C9', u'\u00E9', u'\u00F4'}) {
        const unsigned old = font.glyph(c);
        const std::vector<unsigned> parts = components(before.get(), old);
        ASSERT_FALSE(parts.empty()) << "U+" << std::hex << static_cast<unsigned>(c) << " is not composite";
        std::vector<unsigned> renumbered;
        for (const unsigned p : parts) {
            const std::uint16_t n = subset.new_id(static_cast<std::uint16_t>(p));
            EXPECT_NE(n, 0) << "component " << p << " not in the subset";
            EXPECT_EQ(std::count(asked.begin(), asked.end(), static_cast<std::uint16_t>(p)), 0)
                << "component " << p << " was asked for";
            renumbered.push_back(n);
        }
        EXPECT_NE(renumbered, parts);  // the ids did change
        EXPECT_EQ(components(after.get(), subset.new_id(static_cast<std::uint16_t>(old))), renumbered);
        ++composites;
    }
    EXPECT_EQ(composites, 3u);
}

TEST(truetype, subset_of_every_glyph_uses_long_loca_and_matches_freetype) {
    // Roboto Bold's glyf is larger than 128 KB: the full subset needs the long loca format. The
    // last glyph lies past hhea.numberOfHMetrics, so its side bearing comes from the trailing array.
    const std::string bytes = factsheet::test::read_file(bold_path);
    const TrueTypeFile font(bold_path, bytes);
    std::vector<std::uint16_t> all(font.glyph_count());
    for (std::size_t g = 0; g < all.size(); ++g) all[g] = static_cast<std::uint16_t>(g);
    const TrueTypeFile::Subset subset = font.subset(all);
    ASSERT_EQ(subset.old_id, all);
    EXPECT_EQ(u16(subset.program, table(subset.program, "head").offset + 50), 1);
    EXPECT_EQ(table(subset.program, "loca").length, 4u * (all.size() + 1));
    expect_same_glyphs(bytes, subset);

    // hmtx: one full metric per glyph, equal to the original's advance and side bearing.
    const DirEntry old_hhea = table(bytes, "hhea");
    const DirEntry old_hmtx = table(bytes, "hmtx");
    const DirEntry new_hmtx = table(subset.program, "hmtx");
    const std::uint16_t metrics = u16(bytes, old_hhea.offset + 34);
    ASSERT_EQ(metrics, all.size() - 1);
    EXPECT_EQ(u16(subset.program, table(subset.program, "hhea").offset + 34), all.size());
    const std::size_t last = all.size() - 1;
    EXPECT_EQ(u16(subset.program, new_hmtx.offset + 4 * last),
              u16(bytes, old_hmtx.offset + 4 * (metrics - 1u)));
    EXPECT_EQ(u16(subset.program, new_hmtx.offset + 4 * last + 2), u16(bytes, old_hmtx.offset + 4 * metrics));
    for (std::size_t g = 0; g < metrics; ++g) {
        ASSERT_EQ(u32(subset.program, new_hmtx.offset + 4 * g), u32(bytes, old_hmtx.offset + 4 * g)) << g;
    }
}

TEST(truetype, subset_does_not_depend_on_order_or_duplicates) {
    const TrueTypeFile font(regular_path, regular_bytes());
    std::vector<std::uint16_t> asked = glyphs_of(font, mali_text);
    const TrueTypeFile::Subset first = font.subset(asked);
    std::reverse(asked.begin(), asked.end());
    asked.insert(asked.end(), asked.begin(), asked.end());
    asked.push_back(0);
    asked.push_back(font.glyph_count());  // past the last glyph: ignored
    asked.push_back(0xFFFF);
    const TrueTypeFile::Subset second = font.subset(asked);
    EXPECT_EQ(second.program, first.program);
    EXPECT_EQ(second.old_id, first.old_id);
    EXPECT_EQ(first.new_id(font.glyph(u'Z')), 0);  // not in the subset
    EXPECT_EQ(first.new_id(0xFFFF), 0);

    const TrueTypeFile::Subset empty = font.subset({});
    EXPECT_EQ(empty.old_id, std::vector<std::uint16_t>{0});
    EXPECT_EQ(empty.new_id(0), 0);
    expect_same_glyphs(regular_bytes(), empty);
}

TEST(truetype, subset_has_the_expected_tables_and_checksums) {
    const TrueTypeFile font(regular_path, regular_bytes());
    const TrueTypeFile::Subset subset = font.subset(glyphs_of(font, mali_text));
    const std::string& p = subset.program;
    ASSERT_EQ(p.size() % 4, 0u);
    EXPECT_EQ(u32(p, 0), 0x00010000u);
    EXPECT_EQ(u16(p, 4), 6);    // numTables
    EXPECT_EQ(u16(p, 6), 64);   // searchRange: 16 * 4
    EXPECT_EQ(u16(p, 8), 2);    // entrySelector: log2(4)
    EXPECT_EQ(u16(p, 10), 32);  // rangeShift: 16 * 6 - 64
    std::vector<std::string> tags;
    std::size_t end = 12 + 16 * 6;
    for (const DirEntry& e : directory(p)) {
        tags.push_back(e.tag);
        EXPECT_EQ(e.offset % 4, 0u) << e.tag;
        EXPECT_GE(e.offset, end) << e.tag << " overlaps the table before it";
        end = e.offset + e.length;
        ASSERT_LE(end, p.size()) << e.tag;
        std::string data = p.substr(e.offset, e.length);
        if (e.tag == "head") put32(data, 8, 0);  // summed with checkSumAdjustment 0
        EXPECT_EQ(e.checksum, checksum(data)) << e.tag;
    }
    EXPECT_EQ(tags, (std::vector<std::string>{"glyf", "head", "hhea", "hmtx", "loca", "maxp"}));
    EXPECT_EQ(checksum(p), 0xB1B0AFBAu);

    const std::size_t n = subset.old_id.size();
    EXPECT_EQ(u16(p, table(p, "head").offset + 50), 0);  // short loca
    EXPECT_EQ(table(p, "loca").length, 2 * (n + 1));
    EXPECT_EQ(u16(p, table(p, "maxp").offset + 4), n);
    EXPECT_EQ(u16(p, table(p, "hhea").offset + 34), n);
    EXPECT_EQ(table(p, "hmtx").length, 4 * n);
    EXPECT_EQ(2u * u16(p, table(p, "loca").offset + 2 * n), table(p, "glyf").length);
    // Everything but the rewritten fields is the original's.
    const DirEntry old_head = table(regular_bytes(), "head");
    std::string head = p.substr(table(p, "head").offset, old_head.length);
    put32(head, 8, u32(regular_bytes(), old_head.offset + 8));
    put16(head, 50, u16(regular_bytes(), old_head.offset + 50));
    EXPECT_EQ(head, regular_bytes().substr(old_head.offset, old_head.length));
}

TEST(truetype, hinted_font_keeps_its_instructions) {
    // DejaVu Sans is hinted: cvt, fpgm and prep are copied, and FreeType's bytecode interpreter
    // grid-fits the subset's glyphs exactly as the original's.
    const std::string path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (!std::ifstream(path)) GTEST_SKIP() << "fonts-dejavu-core is not installed";
    const std::string bytes = factsheet::test::read_file(path);
    const TrueTypeFile font(path, bytes);
    const TrueTypeFile::Subset subset = font.subset(glyphs_of(font, mali_text));
    std::vector<std::string> tags;
    for (const DirEntry& e : directory(subset.program)) {
        tags.push_back(e.tag);
        if (e.tag != "head") {
            EXPECT_EQ(e.checksum, checksum(subset.program.substr(e.offset, e.length))) << e.tag;
        }
        if (e.tag == "cvt " || e.tag == "fpgm" || e.tag == "prep") {
            const DirEntry old = table(bytes, e.tag);
            EXPECT_EQ(subset.program.substr(e.offset, e.length), bytes.substr(old.offset, old.length))
                << e.tag;
        }
    }
    EXPECT_EQ(tags, (std::vector<std::string>{"cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp",
                                              "prep"}));
    EXPECT_EQ(u16(subset.program, 6), 128);  // searchRange: 16 * 8
    EXPECT_EQ(u16(subset.program, 8), 3);    // entrySelector: log2(8)
    EXPECT_EQ(u16(subset.program, 10), 16);  // rangeShift: 16 * 9 - 128
    EXPECT_EQ(checksum(subset.program), 0xB1B0AFBAu);
    expect_same_glyphs(bytes, subset);

    FreeType ft;
    Face before(ft, bytes);
    Face after(ft, subset.program);
    ASSERT_EQ(after.error(), 0);
    ASSERT_EQ(FT_Set_Pixel_Sizes(before.get(), 0, 13), 0);
    ASSERT_EQ(FT_Set_Pixel_Sizes(after.get(), 0, 13), 0);
    for (std::size_t n = 0; n < subset.old_id.size(); ++n) {
        const Shape hinted = shape(before.get(), subset.old_id[n], FT_LOAD_DEFAULT | FT_LOAD_NO_AUTOHINT);
        EXPECT_EQ(shape(after.get(), static_cast<unsigned>(n), FT_LOAD_DEFAULT | FT_LOAD_NO_AUTOHINT), hinted)
            << "new glyph " << n;
        const Shape unhinted = shape(before.get(), subset.old_id[n], FT_LOAD_NO_HINTING);
        if (n > 0 && !unhinted.points.empty()) {
            EXPECT_NE(hinted.points, unhinted.points) << "glyph " << n << " was not grid-fitted";
        }
    }
}

TEST(truetype, subset_of_forty_glyphs_is_small) {
    const TrueTypeFile font(regular_path, regular_bytes());
    const TrueTypeFile::Subset subset =
        font.subset(glyphs_of(font, u"ABCDEFGHIJKLMNOPQRSTabcdefghijklmnopqrst"));
    EXPECT_GE(subset.old_id.size(), 41u);
    EXPECT_LT(subset.program.size(), 20000u);
    EXPECT_LT(subset.program.size() * 20, regular_bytes().size());
}

TEST(truetype, bad_files_are_reported_with_what_to_do) {
    const std::string path = "fonts/Broken.ttf";
    EXPECT_EQ(error_text(path, ""), "fonts/Broken.ttf: error: the font file is empty; reinstall the font");

    std::string noise;
    std::uint32_t state = 12345;
    for (int i = 0; i < 1000; ++i) {
        state = state * 1664525u + 1013904223u;
        noise += static_cast<char>(state >> 24);
    }
    EXPECT_EQ(error_text(path, noise),
              "fonts/Broken.ttf: error: the file is not a TrueType font (it does not start with a TrueType "
              "version); use a .ttf font file");

    std::string otto = regular_bytes();
    otto.replace(0, 4, "OTTO");
    EXPECT_EQ(
        error_text(path, otto),
        "fonts/Broken.ttf: error: the font has PostScript (CFF) outlines, not TrueType ones; use the .ttf "
        "version of the font");
    std::string collection = regular_bytes();
    collection.replace(0, 4, "ttcf");
    EXPECT_EQ(
        error_text(path, collection),
        "fonts/Broken.ttf: error: the file is a TrueType collection (.ttc), not a single font; use a .ttf "
        "file holding one font");

    EXPECT_EQ(error_text(path, regular_bytes().substr(0, 10)),
              "fonts/Broken.ttf: error: the font file ends inside its offset table; the file is damaged: "
              "reinstall the font");
    EXPECT_EQ(
        error_text(path, regular_bytes().substr(0, 100)),
        "fonts/Broken.ttf: error: the font's table directory runs past the end of the file; the file is "
        "damaged: reinstall the font");

    const DirEntry glyf = table(regular_bytes(), "glyf");
    EXPECT_EQ(error_text(path, regular_bytes().substr(0, glyf.offset + glyf.length / 2)),
              "fonts/Broken.ttf: error: the font's glyf table runs past the end of the file; the file is "
              "damaged: reinstall the font");

    std::string past_end = regular_bytes();
    put32(past_end, table(past_end, "loca").entry_at + 8, static_cast<std::uint32_t>(past_end.size() - 100));
    EXPECT_EQ(error_text(path, past_end),
              "fonts/Broken.ttf: error: the font's loca table runs past the end of the file; the file is "
              "damaged: reinstall the font");

    std::string no_hmtx = regular_bytes();
    no_hmtx.replace(table(no_hmtx, "hmtx").entry_at, 4, "hmtX");
    EXPECT_EQ(error_text(path, no_hmtx),
              "fonts/Broken.ttf: error: the font has no hmtx table, which TrueType outlines need; use a .ttf "
              "font with TrueType outlines");

    std::string no_em = regular_bytes();
    put16(no_em, table(no_em, "head").offset + 18, 0);
    EXPECT_EQ(error_text(path, no_em),
              "fonts/Broken.ttf: error: the font's head table gives 0 units per em; the file is damaged: "
              "reinstall the font");

    std::string short_loca = regular_bytes();
    put32(short_loca, table(short_loca, "loca").entry_at + 12, 100);
    EXPECT_EQ(
        error_text(path, short_loca),
        "fonts/Broken.ttf: error: the font's loca table is too short for its glyphs; the file is damaged: "
        "reinstall the font");
}

TEST(truetype, damaged_composite_glyph_is_reported_by_subset) {
    // é's first component points past the last glyph.
    std::string bytes = regular_bytes();
    const TrueTypeFile intact(regular_path, bytes);
    const std::uint16_t e_acute = intact.glyph(u'\u00E9');
    const DirEntry loca = table(bytes, "loca");
    const DirEntry glyf = table(bytes, "glyf");
    ASSERT_EQ(u16(bytes, table(bytes, "head").offset + 50), 1);  // long loca
    const std::size_t glyph = glyf.offset + u32(bytes, loca.offset + 4u * e_acute);
    ASSERT_EQ(u16(bytes, glyph), 0xFFFF);  // composite
    put16(bytes, glyph + 12, 0xFFF0);
    const TrueTypeFile font("fonts/Broken.ttf", bytes);
    try {
        font.subset(std::vector<std::uint16_t>{e_acute});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "fonts/Broken.ttf: error: the font's composite glyph " +
                                             std::to_string(e_acute) +
                                             " has a damaged component list; the file is damaged: reinstall "
                                             "the font");
    }
}

// The smallest font the reader accepts, written by hand as the fuzzer's seed: glyph 1 a triangle,
// glyph 2 a composite of glyph 1 twice (byte then word arguments, a scale), 'A' and 'B' mapped
// through one format-4 segment.
TEST(truetype, hand_written_font_with_a_composite) {
    const std::string bytes = factsheet::test::read_file(
        factsheet::test::source_path("tests/fuzz/corpus/truetype/tiny-composite.ttf"));
    const TrueTypeFile font("tiny-composite.ttf", bytes);
    EXPECT_EQ(font.glyph_count(), 3u);
    EXPECT_EQ(font.glyph(u'A'), 1u);
    EXPECT_EQ(font.glyph(u'B'), 2u);
    EXPECT_EQ(font.glyph(u'C'), 0u);
    const std::vector<std::uint16_t> only_b{2};
    const TrueTypeFile::Subset s = font.subset(only_b);
    EXPECT_EQ(s.old_id, (std::vector<std::uint16_t>{0, 1, 2}));  // the component came along
    expect_same_glyphs(bytes, s);
}

// A font whose licence forbids embedding it, subsetting it or embedding more than its bitmaps
// (OS/2 fsType bits 1, 8 and 9) is refused, as libharu refused it; one that allows editable or
// preview-and-print embedding (bits 2 and 3) is taken.
TEST(truetype, a_font_whose_licence_forbids_embedding_is_refused) {
    const std::string path = "fonts/Licensed.ttf";
    const DirEntry os2 = table(regular_bytes(), "OS/2");
    auto with_fs_type = [&](unsigned fs_type) {
        std::string bytes = regular_bytes();
        bytes[os2.offset + 8] = static_cast<char>(fs_type >> 8);
        bytes[os2.offset + 9] = static_cast<char>(fs_type & 0xFF);
        return bytes;
    };
    for (unsigned refused : {0x0002u, 0x0100u, 0x0200u, 0x0102u}) {
        char bits[8];
        std::snprintf(bits, sizeof bits, "0x%04X", refused);
        EXPECT_EQ(
            error_text(path, with_fs_type(refused)),
            std::string("fonts/Licensed.ttf: error: the font's licence does not allow a subset of it to be "
                        "embedded in a document (OS/2 fsType ") +
                bits + "); use a font whose licence allows embedding");
    }
    for (unsigned allowed : {0x0000u, 0x0004u, 0x0008u})
        EXPECT_EQ(error_text(path, with_fs_type(allowed)), "no error");
}
