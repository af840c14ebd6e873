#include "layout/kerning.hpp"
#include "layout/fonts.hpp"

#include "common/error.hpp"
#include "common/test_paths.hpp"
#include "common/utf8.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

// HarfBuzz (linked into this test program only) is the independent reference for Roboto's kerning.
#include <hb.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace factsheet;

namespace {

const std::string roboto_dir = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/";
const std::string roboto_regular = roboto_dir + "Roboto-Regular.ttf";
const std::string roboto_bold = roboto_dir + "Roboto-Bold.ttf";

// The characters whose pairs are compared with HarfBuzz: capitals and lowercase letters that kern
// in Latin text, French punctuation and accented letters, digits and the space.
const std::string pair_characters = "AVTWYLPFKRJoaeyvwcdgqrsx.,-’«»ÀÉéèçôœ0123456789 ";

std::vector<char32_t> code_points(std::string_view text) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < text.size();) out.push_back(utf8::next(text, i));
    return out;
}

// A font file opened with FreeType, and its kerning tables as the layout stage loads them.
class FreeTypeFont {
public:
    explicit FreeTypeFont(const std::string& path) : path_(path) {
        if (FT_Init_FreeType(&library_) != 0 || FT_New_Face(library_, path.c_str(), 0, &face_) != 0)
            throw std::runtime_error("cannot open " + path);
        gpos_ = table(TTAG_GPOS);
        kern_ = table(TTAG_kern);
        auto* maxp = static_cast<TT_MaxProfile*>(FT_Get_Sfnt_Table(face_, FT_SFNT_MAXP));
        glyph_count_ = maxp->numGlyphs;
    }
    ~FreeTypeFont() {
        if (face_) FT_Done_Face(face_);
        if (library_) FT_Done_FreeType(library_);
    }
    FreeTypeFont(const FreeTypeFont&) = delete;
    FreeTypeFont& operator=(const FreeTypeFont&) = delete;

    std::string table(FT_ULong tag) const {
        FT_ULong length = 0;
        if (FT_Load_Sfnt_Table(face_, tag, 0, nullptr, &length) != 0) return {};
        std::string bytes(length, '\0');
        FT_Load_Sfnt_Table(face_, tag, 0, reinterpret_cast<FT_Byte*>(bytes.data()), &length);
        return bytes;
    }
    std::uint16_t glyph(char32_t cp) const {
        return static_cast<std::uint16_t>(FT_Get_Char_Index(face_, cp));
    }
    PairKerning kerning() const { return PairKerning(gpos_, kern_, glyph_count_, path_); }
    const std::string& gpos() const { return gpos_; }
    const std::string& kern() const { return kern_; }
    std::uint16_t glyph_count() const { return glyph_count_; }
    int units_per_em() const { return face_->units_per_EM; }

private:
    std::string path_;
    FT_Library library_ = nullptr;
    FT_Face face_ = nullptr;
    std::string gpos_, kern_;
    std::uint16_t glyph_count_ = 0;
};

std::int32_t kern_chars(const FreeTypeFont& font, const PairKerning& kerning, char32_t left, char32_t right) {
    return kerning.pair(font.glyph(left), font.glyph(right));
}

// Shapes two characters with HarfBuzz at 1 unit per font unit, with 'kern' the only feature that
// moves glyphs or replaces them, so its glyphs are the character map's and its advances show the
// kerning alone.
class HarfBuzzPairs {
public:
    explicit HarfBuzzPairs(const std::string& path) {
        hb_blob_t* blob = hb_blob_create_from_file(path.c_str());
        face_ = hb_face_create(blob, 0);
        hb_blob_destroy(blob);
        font_ = hb_font_create(face_);
        int upem = static_cast<int>(hb_face_get_upem(face_));
        hb_font_set_scale(font_, upem, upem);
        buffer_ = hb_buffer_create();
        for (const char* f : {"-liga", "-clig", "-calt", "-dlig", "-rlig", "-rclt", "-ccmp", "-locl", "-mark",
                              "-mkmk", "-curs", "-dist", "-abvm", "-blwm", "+kern"}) {
            hb_feature_t feature;
            hb_feature_from_string(f, -1, &feature);
            features_.push_back(feature);
        }
    }
    ~HarfBuzzPairs() {
        hb_buffer_destroy(buffer_);
        hb_font_destroy(font_);
        hb_face_destroy(face_);
    }
    HarfBuzzPairs(const HarfBuzzPairs&) = delete;
    HarfBuzzPairs& operator=(const HarfBuzzPairs&) = delete;

    struct Shaped {
        unsigned glyph_count = 0;
        std::uint32_t left = 0, right = 0;  // glyph ids
        std::int32_t kerning = 0;           // the left glyph's advance minus its nominal advance
    };
    Shaped shape(char32_t left, char32_t right) {
        hb_buffer_clear_contents(buffer_);
        const std::uint32_t text[2] = {left, right};
        hb_buffer_add_utf32(buffer_, text, 2, 0, 2);
        hb_buffer_set_direction(buffer_, HB_DIRECTION_LTR);
        hb_buffer_set_script(buffer_, HB_SCRIPT_LATIN);
        hb_buffer_set_language(buffer_, hb_language_from_string("en", -1));
        hb_shape(font_, buffer_, features_.data(), static_cast<unsigned>(features_.size()));
        Shaped out;
        hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer_, &out.glyph_count);
        hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(buffer_, nullptr);
        if (out.glyph_count != 2) return out;
        out.left = info[0].codepoint;
        out.right = info[1].codepoint;
        out.kerning = positions[0].x_advance - hb_font_get_glyph_h_advance(font_, info[0].codepoint);
        return out;
    }

private:
    hb_face_t* face_ = nullptr;
    hb_font_t* font_ = nullptr;
    hb_buffer_t* buffer_ = nullptr;
    std::vector<hb_feature_t> features_;
};

// Compares every ordered pair of the characters with HarfBuzz; returns how many pairs kern.
int compare_with_harfbuzz(const std::string& path, const std::vector<char32_t>& characters) {
    FreeTypeFont font(path);
    PairKerning kerning = font.kerning();
    HarfBuzzPairs harfbuzz(path);
    int kerned = 0;
    for (char32_t left : characters)
        for (char32_t right : characters) {
            HarfBuzzPairs::Shaped shaped = harfbuzz.shape(left, right);
            std::string pair = "\"";
            utf8::append(pair, left);
            utf8::append(pair, right);
            pair += "\" in " + path;
            EXPECT_EQ(shaped.glyph_count, 2u) << pair;
            if (shaped.glyph_count != 2) continue;
            EXPECT_EQ(shaped.left, font.glyph(left)) << pair;
            EXPECT_EQ(shaped.right, font.glyph(right)) << pair;
            EXPECT_EQ(kern_chars(font, kerning, left, right), shaped.kerning) << pair;
            if (shaped.kerning != 0) ++kerned;
        }
    return kerned;
}

// Big-endian bytes of a hand-built table; offsets are filled in once what they point to is placed.
class TableBytes {
public:
    std::size_t u16(int value) {
        std::size_t at = bytes_.size();
        bytes_ += static_cast<char>((value >> 8) & 0xFF);
        bytes_ += static_cast<char>(value & 0xFF);
        return at;
    }
    void u32(std::uint32_t value) {
        u16(static_cast<int>(value >> 16));
        u16(static_cast<int>(value & 0xFFFF));
    }
    void tag(const char* name) { bytes_.append(name, 4); }
    std::size_t here() const { return bytes_.size(); }
    // Makes the 16-bit offset at `slot`, relative to `base`, point to what comes next.
    void point(std::size_t slot, std::size_t base) { set16(slot, static_cast<int>(here() - base)); }
    void set16(std::size_t at, int value) {
        bytes_[at] = static_cast<char>((value >> 8) & 0xFF);
        bytes_[at + 1] = static_cast<char>(value & 0xFF);
    }
    const std::string& bytes() const { return bytes_; }

private:
    std::string bytes_;
};

// A hand-built GPOS over 10 glyphs, with where some of its parts are (to damage them).
struct HandGpos {
    std::string bytes;
    std::size_t lookup_list_slot = 0;  // the header's offset to the LookupList
    std::size_t coverage = 0;          // the Coverage of lookup 0's format 1 subtable
    std::size_t lang_sys = 0;          // the default LangSys of the second script
};

// Two scripts: the first one's default LangSys has feature 1 (lookup 2), the second one's feature 0
// (lookups 1, 0 and 1 again). Lookup 0: a format 1 subtable then a format 2 one, both with
// ValueFormat1 = XPlacement | XAdvance; lookup 1: an extension wrapping a format 1 subtable;
// lookup 2: a format 1 subtable that kerns glyphs 1, 3 by -1000.
HandGpos hand_gpos(const char* first_script, const char* second_script, const char* feature_tag = "kern") {
    TableBytes b;
    HandGpos out;
    b.u16(1);
    b.u16(0);
    std::size_t scripts_slot = b.u16(0), features_slot = b.u16(0);
    out.lookup_list_slot = b.u16(0);

    std::size_t scripts = b.here();
    b.point(scripts_slot, 0);
    b.u16(2);
    b.tag(first_script);
    std::size_t first_slot = b.u16(0);
    b.tag(second_script);
    std::size_t second_slot = b.u16(0);
    for (auto [slot, feature] : {std::pair{first_slot, 1}, std::pair{second_slot, 0}}) {
        b.point(slot, scripts);
        b.u16(4);  // the default LangSys follows the Script's header
        b.u16(0);
        out.lang_sys = b.here();
        b.u16(0);
        b.u16(0xFFFF);
        b.u16(1);
        b.u16(feature);
    }

    std::size_t features = b.here();
    b.point(features_slot, 0);
    b.u16(2);
    b.tag(feature_tag);
    std::size_t feature0 = b.u16(0);
    b.tag(feature_tag);
    std::size_t feature1 = b.u16(0);
    b.point(feature0, features);
    for (int v : {0, 3, 1, 0, 1}) b.u16(v);
    b.point(feature1, features);
    for (int v : {0, 1, 2}) b.u16(v);

    std::size_t lookups = b.here();
    b.point(out.lookup_list_slot, 0);
    b.u16(3);
    std::size_t lookup_slots[3] = {b.u16(0), b.u16(0), b.u16(0)};

    // Lookup 0, subtable 1: format 1, first glyphs 1 and 2. A PairValueRecord is 8 bytes: second
    // glyph, XPlacement, XAdvance, then ValueFormat2's XAdvance.
    std::size_t lookup = b.here();
    b.point(lookup_slots[0], lookups);
    b.u16(2);
    b.u16(0);
    b.u16(2);
    std::size_t subtable_slots[2] = {b.u16(0), b.u16(0)};
    std::size_t subtable = b.here();
    b.point(subtable_slots[0], lookup);
    b.u16(1);
    std::size_t coverage_slot = b.u16(0);
    b.u16(0x0005);
    b.u16(0x0004);
    b.u16(2);
    std::size_t set_slots[2] = {b.u16(0), b.u16(0)};
    b.point(coverage_slot, subtable);
    out.coverage = b.here();
    for (int v : {1, 2, 1, 2}) b.u16(v);
    b.point(set_slots[0], subtable);
    for (int v : {2, 3, -7, -50, 99, 5, 1, 0, 5}) b.u16(v);  // 1,3: -50; 1,5: 0
    b.point(set_slots[1], subtable);
    for (int v : {1, 4, 0, -20, 0}) b.u16(v);  // 2,4: -20

    // Lookup 0, subtable 2: format 2, first glyphs 1, 2 and 6 (Coverage format 2); records of 6 bytes:
    // XPlacement, XAdvance, then ValueFormat2's YPlacement.
    subtable = b.here();
    b.point(subtable_slots[1], lookup);
    b.u16(2);
    coverage_slot = b.u16(0);
    b.u16(0x0005);
    b.u16(0x0002);
    std::size_t class_def1 = b.u16(0), class_def2 = b.u16(0);
    b.u16(3);
    b.u16(3);
    const int advances[3][3] = {{0, -5, -6}, {-11, -30, -40}, {0, 15, 25}};
    for (const auto& row : advances)
        for (int advance : row) {
            b.u16(3);
            b.u16(advance);
            b.u16(77);
        }
    b.point(coverage_slot, subtable);
    for (int v : {2, 2, 1, 2, 0, 6, 6, 2}) b.u16(v);
    b.point(class_def1, subtable);  // format 1: glyph 1 in class 1, glyph 6 in class 2
    for (int v : {1, 1, 6, 1, 0, 0, 0, 0, 2}) b.u16(v);
    b.point(class_def2, subtable);  // format 2: glyphs 3-4 class 1, 5 class 2, 8 class 3 (>= class2Count)
    for (int v : {2, 3, 3, 4, 1, 5, 5, 2, 8, 8, 3}) b.u16(v);

    // Lookup 1: an extension lookup wrapping a format 1 subtable: 1,3: -8; 1,9: +3.
    lookup = b.here();
    b.point(lookup_slots[1], lookups);
    b.u16(9);
    b.u16(0);
    b.u16(1);
    std::size_t extension_slot = b.u16(0);
    b.point(extension_slot, lookup);
    b.u16(1);
    b.u16(2);
    b.u32(8);  // the PairPos subtable follows
    subtable = b.here();
    b.u16(1);
    coverage_slot = b.u16(0);
    b.u16(0x0004);
    b.u16(0);
    b.u16(1);
    std::size_t set_slot = b.u16(0);
    b.point(coverage_slot, subtable);
    for (int v : {1, 1, 1}) b.u16(v);
    b.point(set_slot, subtable);
    for (int v : {2, 3, -8, 9, 3}) b.u16(v);

    // Lookup 2: 1,3: -1000.
    lookup = b.here();
    b.point(lookup_slots[2], lookups);
    b.u16(2);
    b.u16(0);
    b.u16(1);
    std::size_t only_slot = b.u16(0);
    subtable = b.here();
    b.point(only_slot, lookup);
    b.u16(1);
    coverage_slot = b.u16(0);
    b.u16(0x0004);
    b.u16(0);
    b.u16(1);
    set_slot = b.u16(0);
    b.point(coverage_slot, subtable);
    for (int v : {1, 1, 1}) b.u16(v);
    b.point(set_slot, subtable);
    for (int v : {1, 3, -1000}) b.u16(v);

    out.bytes = b.bytes();
    return out;
}

// A legacy 'kern' table, version 0: two horizontal subtables that add up, a cross-stream one that is
// not kerning, and one whose override bit replaces the sum so far.
std::string hand_kern() {
    TableBytes b;
    b.u16(0);
    b.u16(4);
    auto subtable = [&](int coverage, std::vector<std::vector<int>> pairs) {
        b.u16(0);
        b.u16(14 + 6 * static_cast<int>(pairs.size()));
        b.u16(coverage);
        b.u16(static_cast<int>(pairs.size()));
        for (int v : {6, 0, 0}) b.u16(v);  // searchRange, entrySelector, rangeShift: not used
        for (const auto& p : pairs)
            for (int v : p) b.u16(v);
    };
    subtable(0x0001, {{1, 2, -40}, {1, 3, -10}, {4, 1, 25}});
    subtable(0x0001, {{1, 2, -5}});
    subtable(0x0005, {{4, 1, 1000}});
    subtable(0x0009, {{4, 1, 7}});
    return b.bytes();
}

}  // namespace

TEST(kerning, matches_harfbuzz_for_roboto_pairs) {
    std::vector<char32_t> characters = code_points(pair_characters);
    // Enough pairs kern that a reader finding nothing, or only some lookups, fails.
    EXPECT_GE(compare_with_harfbuzz(roboto_regular, characters), 300);
    EXPECT_GE(compare_with_harfbuzz(roboto_bold, characters), 300);
}

TEST(kerning, matches_harfbuzz_for_all_latin1_and_extended_a_pairs) {
    // Every printable character of U+0020..U+017F but the soft hyphen, which shapers hide.
    std::vector<char32_t> characters;
    for (char32_t cp = 0x20; cp < 0x180; ++cp)
        if (cp != 0x7F && !(cp >= 0x80 && cp < 0xA0) && cp != 0xAD) characters.push_back(cp);
    EXPECT_GE(compare_with_harfbuzz(roboto_regular, characters), 5000);
}

TEST(kerning, roboto_known_values) {
    // Values HarfBuzz 6.0 gives for these pairs, in font units (Roboto has 2048 per em).
    FreeTypeFont regular(roboto_regular);
    PairKerning regular_kerning = regular.kerning();
    EXPECT_TRUE(regular.kern().empty());  // Roboto's kerning is only in GPOS
    EXPECT_FALSE(regular_kerning.empty());
    EXPECT_EQ(kern_chars(regular, regular_kerning, 'A', 'V'), -87);
    EXPECT_EQ(kern_chars(regular, regular_kerning, 'T', 'o'), -99);
    FreeTypeFont bold(roboto_bold);
    PairKerning bold_kerning = bold.kerning();
    EXPECT_EQ(kern_chars(bold, bold_kerning, 'V', 'a'), -46);
    EXPECT_EQ(kern_chars(regular, regular_kerning, 'o', 'o'), 0);  // a pair Roboto does not kern
}

// TrueTypeFont keeps the kerning of pairs of common characters once read: what it keeps must be
// what the tables say, for every such pair, the first time and every time after.
TEST(kerning, font_kerning_kept_once_read_matches_the_tables_for_every_pair) {
    // The characters kept (printable ASCII and Latin-1, typographic punctuation, œ) and a few
    // that are not (Ā, •, ﬁ, a character Roboto lacks).
    std::vector<char32_t> characters;
    for (char32_t cp = 0x20; cp < 0x100; ++cp)
        if (cp < 0x7F || cp >= 0xA0) characters.push_back(cp);
    for (char32_t cp :
         std::initializer_list<char32_t>{0x0152, 0x0153, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D,
                                         0x2026, 0x202F, 0x0100, 0x2022, 0xFB01, 0x0645})
        characters.push_back(cp);
    for (const std::string& path : {roboto_regular, roboto_bold}) {
        FreeTypeFont reference(path);
        PairKerning tables = reference.kerning();
        TrueTypeFont font(path);
        int kerned = 0;
        for (int round = 0; round < 2; ++round)
            for (char32_t left : characters)
                for (char32_t right : characters) {
                    std::int32_t units = kern_chars(reference, tables, left, right);
                    auto expected = static_cast<int>(std::lround(units * 1000.0 / reference.units_per_em()));
                    int got = font.kerning(left, right);
                    if (got != expected || font.kerning_from_tables(left, right) != expected)
                        ADD_FAILURE() << "U+" << std::hex << unsigned(left) << " U+" << unsigned(right)
                                      << std::dec << " in " << path << ", round " << round << ": " << got
                                      << " instead of " << expected;
                    if (round == 0 && expected != 0) ++kerned;
                }
        EXPECT_GE(kerned, 2000) << path;  // 2316 in Roboto Regular, 2342 in Bold
    }
    // Roboto Regular's "AV" is -87 of 2048 units, "To" -99: -42 and -48 thousandths of an em.
    TrueTypeFont regular(roboto_regular);
    EXPECT_EQ(regular.kerning('A', 'V'), -42);
    EXPECT_EQ(regular.kerning('A', 'V'), -42);
    EXPECT_EQ(regular.kerning('T', 'o'), -48);
    EXPECT_EQ(regular.kerning('o', 'o'), 0);
}

TEST(kerning, ids_past_glyph_count_are_not_kerned) {
    FreeTypeFont regular(roboto_regular);
    PairKerning kerning = regular.kerning();
    std::uint16_t count = regular.glyph_count();
    std::uint16_t a = regular.glyph('A'), v = regular.glyph('V');
    EXPECT_NE(kerning.pair(a, v), 0);
    EXPECT_EQ(kerning.pair(count, v), 0);
    EXPECT_EQ(kerning.pair(a, count), 0);
    EXPECT_EQ(kerning.pair(0xFFFF, 0xFFFF), 0);
}

TEST(kerning, hand_built_gpos_lookups) {
    HandGpos gpos = hand_gpos("DFLT", "latn");  // 'latn' is chosen over 'DFLT'
    PairKerning k(gpos.bytes, "", 10, "test.ttf");
    EXPECT_FALSE(k.empty());
    EXPECT_EQ(k.pair(1, 3), -58);  // lookup 0's format 1 (-50) plus lookup 1's extension (-8)
    EXPECT_EQ(k.pair(1, 5), 0);    // format 1 applies with 0: its format 2 sibling (-40) does not
    EXPECT_EQ(k.pair(1, 4), -30);  // not in glyph 1's PairSet: the format 2 subtable, classes 1, 1
    EXPECT_EQ(k.pair(2, 4), -20);
    EXPECT_EQ(k.pair(2, 3), -5);  // classes 0, 1
    EXPECT_EQ(k.pair(6, 5), 25);  // classes 2, 2
    EXPECT_EQ(k.pair(1, 8), 0);   // class 3 >= class2Count: no subtable of lookup 0 applies
    EXPECT_EQ(k.pair(1, 9), -8);  // classes 1, 0 (-11) plus the extension (+3)
    EXPECT_EQ(k.pair(2, 9), 0);
    EXPECT_EQ(k.pair(3, 1), 0);  // not covered
    EXPECT_EQ(k.pair(1, 10), 0);
    EXPECT_EQ(k.pair(10, 1), 0);
}

TEST(kerning, script_choice) {
    // 'latn' second, 'DFLT' second, neither: the first script's LangSys (lookup 2 alone).
    EXPECT_EQ(PairKerning(hand_gpos("DFLT", "latn").bytes, "", 10, "test.ttf").pair(1, 3), -58);
    EXPECT_EQ(PairKerning(hand_gpos("latn", "DFLT").bytes, "", 10, "test.ttf").pair(1, 3), -1000);
    EXPECT_EQ(PairKerning(hand_gpos("cyrl", "DFLT").bytes, "", 10, "test.ttf").pair(1, 3), -58);
    EXPECT_EQ(PairKerning(hand_gpos("grek", "cyrl").bytes, "", 10, "test.ttf").pair(1, 3), -1000);
}

TEST(kerning, legacy_kern_table) {
    PairKerning k("", hand_kern(), 10, "test.ttf");
    EXPECT_FALSE(k.empty());
    EXPECT_EQ(k.pair(1, 2), -45);  // -40 and -5 from two subtables
    EXPECT_EQ(k.pair(1, 3), -10);
    EXPECT_EQ(k.pair(4, 1), 7);  // the override replaces 25; the cross-stream 1000 is not kerning
    EXPECT_EQ(k.pair(2, 1), 0);
    EXPECT_EQ(k.pair(1, 4), 0);
    EXPECT_EQ(k.pair(1, 10), 0);
}

TEST(kerning, gpos_kern_feature_takes_precedence_over_kern_table) {
    PairKerning with_feature(hand_gpos("DFLT", "latn").bytes, hand_kern(), 10, "test.ttf");
    EXPECT_EQ(with_feature.pair(1, 2), -11);  // classes 1, 0 of lookup 0
    PairKerning without_feature(hand_gpos("DFLT", "latn", "mark").bytes, hand_kern(), 10, "test.ttf");
    EXPECT_EQ(without_feature.pair(1, 2), -45);
    EXPECT_EQ(without_feature.pair(1, 3), -10);
}

TEST(kerning, no_kerning) {
    EXPECT_TRUE(PairKerning().empty());
    EXPECT_EQ(PairKerning().pair(1, 2), 0);
    EXPECT_TRUE(PairKerning("", "", 10, "test.ttf").empty());
    EXPECT_TRUE(PairKerning(hand_gpos("DFLT", "latn", "mark").bytes, "", 10, "test.ttf").empty());
    EXPECT_EQ(PairKerning(hand_gpos("DFLT", "latn", "mark").bytes, "", 10, "test.ttf").pair(1, 3), 0);
    EXPECT_TRUE(PairKerning(hand_gpos("DFLT", "latn").bytes, "", 0, "test.ttf").empty());
}

TEST(kerning, damaged_tables) {
    HandGpos gpos = hand_gpos("DFLT", "latn");
    EXPECT_EQ(test::error_text([&] { PairKerning(gpos.bytes.substr(0, 6), "", 10, "test.ttf"); }),
              "test.ttf: error: damaged GPOS table: its header at byte 0 runs past the end of the table (6 "
              "bytes); reinstall the font or replace it with an undamaged copy");
    // Cut inside lookup 0's format 2 subtable.
    EXPECT_EQ(test::error_text([&] { PairKerning(gpos.bytes.substr(0, 150), "", 10, "test.ttf"); }),
              "test.ttf: error: damaged GPOS table: its PairPos subtable at byte 146 runs past the end of "
              "the table (150 bytes); "
              "reinstall the font or replace it with an undamaged copy");

    std::string far_lookups = gpos.bytes;
    far_lookups[gpos.lookup_list_slot] = static_cast<char>(0xFF);
    far_lookups[gpos.lookup_list_slot + 1] = static_cast<char>(0xF0);
    EXPECT_EQ(test::error_text([&] { PairKerning(far_lookups, "", 10, "test.ttf"); }),
              "test.ttf: error: damaged GPOS table: its LookupList at byte 65520 runs past the end of the "
              "table (348 bytes); "
              "reinstall the font or replace it with an undamaged copy");

    std::string long_coverage = gpos.bytes;
    long_coverage[gpos.coverage + 2] = 0x03;  // glyphCount 0x302
    EXPECT_EQ(test::error_text([&] { PairKerning(long_coverage, "", 10, "test.ttf"); }),
              "test.ttf: error: damaged GPOS table: its Coverage at byte 110 runs past the end of the table "
              "(348 bytes); "
              "reinstall the font or replace it with an undamaged copy");

    std::string bad_feature = gpos.bytes;
    bad_feature[gpos.lang_sys + 7] = 0x05;  // feature 5 of 2
    EXPECT_EQ(test::error_text([&] { PairKerning(bad_feature, "", 10, "test.ttf"); }),
              "test.ttf: error: damaged GPOS table: its LangSys at byte 40 names feature 5 of 2; "
              "reinstall the font or replace it with an undamaged copy");

    std::string long_kern = hand_kern();
    long_kern[4 + 6] = 0x10;  // nPairs 0x1003
    EXPECT_EQ(test::error_text([&] { PairKerning("", long_kern, 10, "test.ttf"); }),
              "test.ttf: error: damaged kern table: its subtable at byte 4 runs past the end of the table "
              "(96 bytes); "
              "reinstall the font or replace it with an undamaged copy");
}

TEST(kerning, damaged_roboto_throws_or_reads) {
    // Roboto's GPOS with bytes changed at places from a fixed pseudo-random sequence, a quarter of the
    // copies also cut short: each either throws Error or reads into a kerning that answers every
    // pair, never reads past the bytes (the sanitizer build checks that).
    FreeTypeFont regular(roboto_regular);
    std::uint32_t state = 12345;
    auto next = [&] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    int errors = 0;
    for (int round = 0; round < 200; ++round) {
        std::string gpos = regular.gpos();
        for (int change = 0; change < 4; ++change)
            gpos[next() % gpos.size()] = static_cast<char>(next() & 0xFF);
        if (round % 4 == 0) gpos.resize(next() % gpos.size());
        try {
            PairKerning k(gpos, "", regular.glyph_count(), roboto_regular);
            std::int64_t sum = 0;
            for (std::uint32_t left = 0; left < regular.glyph_count(); left += 3)
                for (std::uint32_t right = 0; right < 300; right += 7)
                    sum += k.pair(static_cast<std::uint16_t>(left), static_cast<std::uint16_t>(right));
            EXPECT_EQ(k.pair(regular.glyph_count(), 0), 0) << sum;
        } catch (const Error& e) {
            ++errors;
            EXPECT_EQ(std::string(e.what()).find(roboto_regular + ": error: damaged GPOS table: its "), 0u)
                << e.what();
        }
    }
    EXPECT_GT(errors, 10);
}

// The fuzzer's seeds, written by hand: a GPOS with a format 1 lookup and an extension lookup
// wrapping a format 2 one, and a legacy 'kern' table (the first byte says which).
TEST(kerning, fuzz_seeds_read_as_written) {
    std::string gpos = test::read_file(test::source_path("tests/fuzz/corpus/kerning/two-lookups.gpos"));
    PairKerning from_gpos(std::string_view(gpos).substr(1), "", 64, "seed");
    EXPECT_EQ(from_gpos.pair(1, 2), -50);
    EXPECT_EQ(from_gpos.pair(3, 4), -20);
    EXPECT_EQ(from_gpos.pair(2, 1), 0);
    EXPECT_EQ(from_gpos.pair(3, 5), 0);
    std::string kern = test::read_file(test::source_path("tests/fuzz/corpus/kerning/legacy.kern"));
    PairKerning from_kern("", std::string_view(kern).substr(1), 64, "seed");
    EXPECT_EQ(from_kern.pair(1, 2), -30);
    EXPECT_EQ(from_kern.pair(2, 1), 0);
}
