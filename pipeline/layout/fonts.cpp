#include "layout/fonts.hpp"

#include <algorithm>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H

#include <cmath>
#include <cstdio>
#include <functional>
#include <iterator>
#include <mutex>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/hash.hpp"
#include "common/packed.hpp"
#include "common/utf8.hpp"

namespace factsheet {

double FontMetrics::text_width(std::string_view text, double size) const {
    double units = 0;
    char32_t previous = 0;
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = utf8::next(text, i);
        units += advance(c);
        if (previous != 0) units += kerning(previous, c);
        previous = c;
    }
    return units * size / 1000.0;
}

std::vector<TextItem::Kern> FontMetrics::kerns(std::string_view text) const {
    std::vector<TextItem::Kern> out;
    char32_t previous = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t at = i;
        char32_t c = utf8::next(text, i);
        if (previous != 0)
            if (int k = kerning(previous, c); k != 0) out.push_back({at, k});
        previous = c;
    }
    return out;
}

namespace {

// Characters below this are kept in a flat table: Latin, Latin-1 and Latin Extended cover the text.
constexpr char32_t latin_end = 0x300;

// The characters whose pairs' kerning TrueTypeFont keeps once read: printable ASCII and Latin-1,
// then the typographic punctuation the locale stage writes (apostrophe, quotes, dashes, ellipsis,
// narrow no-break space) and œ. Reading a pair from the GPOS lookups costs about 110 instructions;
// text_width() asks for every pair of every word measured, 15,000 pairs per factsheet.
constexpr char32_t kerning_memo_extras[] = {0x0152, 0x0153, 0x2013, 0x2014, 0x2018,
                                            0x2019, 0x201C, 0x201D, 0x2026, 0x202F};
constexpr std::size_t ascii_slots = 0x7F - 0x20;
constexpr std::size_t latin1_slots = 0x100 - 0xA0;
constexpr std::size_t kerning_memo_slots = ascii_slots + latin1_slots + std::size(kerning_memo_extras);
// 201 x 201 pairs of 2 bytes: 81 KB per font.
constexpr std::size_t kerning_memo_size = kerning_memo_slots * kerning_memo_slots;
constexpr std::size_t not_memoized = kerning_memo_slots;

// The character's row and column in the kerning memo, or not_memoized.
std::size_t kerning_memo_slot(char32_t cp) {
    if (cp >= 0x20 && cp < 0x7F) return cp - 0x20;
    if (cp >= 0xA0 && cp < 0x100) return ascii_slots + (cp - 0xA0);
    for (std::size_t i = 0; i < std::size(kerning_memo_extras); ++i)
        if (kerning_memo_extras[i] == cp) return ascii_slots + latin1_slots + i;
    return not_memoized;
}

// Owns a FreeType library and face for the time the font is being read.
struct Face {
    FT_Library library = nullptr;
    FT_Face face = nullptr;
    ~Face() {
        if (face) FT_Done_Face(face);
        if (library) FT_Done_FreeType(library);
    }
};

// The largest font file read: Roboto is 170 KB, a font with every CJK character about 20 MB.
constexpr std::size_t max_font_file_bytes = 64 * 1024 * 1024;

}  // namespace

TrueTypeFont::TrueTypeFont(const std::string& path, const std::string& cache_folder)
    : path_(path), latin_(latin_end, -1.0), latin_glyphs_(latin_end, 0) {
    // FreeType opens the file itself: make sure first that it is a regular file of a font's size,
    // so that a FIFO or /dev/zero named as a font can neither block nor be read without end.
    auto missing = [&](int) {
        return Error(SourcePos{path, 0, 0}, "cannot read font: the file is missing or not a TrueType font");
    };
    check_regular_file(path, max_font_file_bytes,
                       layout_file_errors(path, "the font", max_font_file_bytes, missing));
    // What this program read of this very file before, kept in the cache folder: reading the font
    // with FreeType and its kerning from GPOS was a tenth of a cold build, and 150 pages of new
    // memory. An entry names the font file and the program (inode, size, modification time) and
    // is used only when both are unchanged and it reads back whole.
    std::string entry, key;
    if (!cache_folder.empty()) {
        std::string font = file_identity(path), program = file_identity("/proc/self/exe");
        if (!font.empty() && !program.empty()) {
            key = "factsheet font 1 program " + program + " font " + font + "\n";
            char name[17];
            std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
            entry = cache_folder + "/fonts/" + name;
            // Its CRC-32 checked: a changed byte of an advance or a kerning value would otherwise
            // read back as a valid font and set text wrong.
            std::optional<CheckedEntry> kept = read_checked_cache_entry(entry, key, max_font_file_bytes);
            if (kept && unpack(kept->body())) {
                if (!kerning_.empty())
                    kerning_memo_ = std::make_unique<std::atomic<std::int16_t>[]>(kerning_memo_size);
                return;
            }
            latin_.assign(latin_end, -1.0);  // what a failed unpack left
            latin_glyphs_.assign(latin_end, 0);
            others_.clear();
        }
    }
    load();
    if (!kerning_.empty()) kerning_memo_ = std::make_unique<std::atomic<std::int16_t>[]>(kerning_memo_size);
    if (!entry.empty()) write_checked_cache_entry(entry, key, pack());
}

void TrueTypeFont::load() {
    const std::string& path = path_;
    Face face;
    if (FT_Init_FreeType(&face.library) != 0) throw Error(SourcePos{path, 0, 0}, "cannot start FreeType");
    if (FT_New_Face(face.library, path.c_str(), 0, &face.face) != 0)
        throw Error(SourcePos{path, 0, 0}, "cannot read font: the file is missing or not a TrueType font");
    FT_Face f = face.face;
    FT_ULong glyf_length = 0;
    if (!FT_IS_SFNT(f) ||
        FT_Load_Sfnt_Table(f, FT_MAKE_TAG('g', 'l', 'y', 'f'), 0, nullptr, &glyf_length) != 0)
        throw Error(SourcePos{path, 0, 0},
                    "font is not a TrueType (glyf) font: the PDF stage embeds only .ttf fonts");
    if (FT_Select_Charmap(f, FT_ENCODING_UNICODE) != 0)
        throw Error(SourcePos{path, 0, 0}, "font has no Unicode character map");
    double upm = f->units_per_EM;
    // Typographic ascent and descent from hhea, as libharu reports them.
    ascent_ = std::trunc(f->ascender * 1000.0 / upm);
    descent_ = std::trunc(f->descender * 1000.0 / upm);
    auto table = [&](FT_ULong tag) {
        std::string bytes;
        FT_ULong length = 0;
        if (FT_Load_Sfnt_Table(f, tag, 0, nullptr, &length) != 0 || length == 0) return bytes;
        bytes.resize(length);
        if (FT_Load_Sfnt_Table(f, tag, 0, reinterpret_cast<FT_Byte*>(bytes.data()), &length) != 0)
            bytes.clear();
        return bytes;
    };
    // Advances straight from hmtx, the glyphs past numberOfHMetrics sharing the last one: what
    // FT_Get_Advance gives unscaled for a TrueType font, without its call per glyph (1.5M
    // instructions of a cold build for Roboto's two faces).
    const std::string hmtx = table(FT_MAKE_TAG('h', 'm', 't', 'x'));
    const auto* hhea = static_cast<const TT_HoriHeader*>(FT_Get_Sfnt_Table(f, FT_SFNT_HHEA));
    const std::size_t metrics = std::min<std::size_t>(hhea ? hhea->number_Of_HMetrics : 0, hmtx.size() / 4);
    auto advance_of = [&](FT_UInt gid) {
        if (metrics == 0) return 0.0;
        const std::size_t at = 4 * std::min<std::size_t>(gid, metrics - 1);
        const unsigned adv = (static_cast<unsigned>(static_cast<unsigned char>(hmtx[at])) << 8) |
                             static_cast<unsigned char>(hmtx[at + 1]);
        return std::trunc(static_cast<double>(adv) * 1000.0 / upm);
    };
    missing_advance_ = advance_of(0);
    FT_UInt gid = 0;
    for (FT_ULong cp = FT_Get_First_Char(f, &gid); gid != 0; cp = FT_Get_Next_Char(f, cp, &gid)) {
        double adv = advance_of(gid);
        if (cp < latin_end) {
            latin_[cp] = adv;
            latin_glyphs_[cp] = static_cast<std::uint16_t>(gid);
        } else {
            others_.push_back({static_cast<char32_t>(cp), static_cast<std::uint16_t>(gid), adv});
        }
    }
    // FreeType gives the characters in increasing order; sorted anyway, the first of a code kept.
    auto by_cp = [](const Other& x, const Other& y) { return x.cp < y.cp; };
    if (!std::is_sorted(others_.begin(), others_.end(), by_cp))
        std::stable_sort(others_.begin(), others_.end(), by_cp);
    others_.erase(std::unique(others_.begin(), others_.end(),
                              [](const Other& x, const Other& y) { return x.cp == y.cp; }),
                  others_.end());
    others_.shrink_to_fit();
    units_per_em_ = upm;
    std::string gpos = table(FT_MAKE_TAG('G', 'P', 'O', 'S'));
    std::string kern = table(FT_MAKE_TAG('k', 'e', 'r', 'n'));
    kerning_ = PairKerning(gpos, kern, static_cast<std::uint16_t>(f->num_glyphs), path);
}

// The entry after its key: the metrics, the Latin advances and glyphs, the other characters as
// three arrays (code points, glyphs, advances), then the kerning.
std::string TrueTypeFont::pack() const {
    std::string out;
    put(out, ascent_);
    put(out, descent_);
    put(out, missing_advance_);
    put(out, units_per_em_);
    put_array(out, latin_);
    put_array(out, latin_glyphs_);
    std::vector<char32_t> codes;
    std::vector<std::uint16_t> glyphs;
    std::vector<double> advances;
    for (const Other& o : others_) {
        codes.push_back(o.cp);
        glyphs.push_back(o.glyph);
        advances.push_back(o.advance);
    }
    put_array(out, codes);
    put_array(out, glyphs);
    put_array(out, advances);
    kerning_.pack(out);
    return out;
}

bool TrueTypeFont::unpack(std::string_view bytes) {
    PackedReader in(bytes);
    std::vector<char32_t> codes;
    std::vector<std::uint16_t> glyphs;
    std::vector<double> advances;
    if (!in.get(ascent_) || !in.get(descent_) || !in.get(missing_advance_) || !in.get(units_per_em_) ||
        !in.get_array(latin_) || !in.get_array(latin_glyphs_) || !in.get_array(codes) ||
        !in.get_array(glyphs) || !in.get_array(advances) || !kerning_.unpack(in) || !in.done())
        return false;
    // other() searches the characters past Latin by code point: they must come sorted, once each.
    if (latin_.size() != latin_end || latin_glyphs_.size() != latin_end || glyphs.size() != codes.size() ||
        advances.size() != codes.size() || !(units_per_em_ > 0) ||
        !std::all_of(latin_.begin(), latin_.end(), [](double a) { return std::isfinite(a); }) ||
        !std::all_of(advances.begin(), advances.end(), [](double a) { return std::isfinite(a); }) ||
        std::adjacent_find(codes.begin(), codes.end(), std::greater_equal<>()) != codes.end() ||
        (!codes.empty() && codes.front() < latin_end))
        return false;
    others_.clear();
    others_.reserve(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i) others_.push_back({codes[i], glyphs[i], advances[i]});
    return true;
}

TrueTypeFont::~TrueTypeFont() = default;

const TrueTypeFont::Other* TrueTypeFont::other(char32_t cp) const {
    auto it = std::lower_bound(others_.begin(), others_.end(), cp,
                               [](const Other& o, char32_t key) { return o.cp < key; });
    return it != others_.end() && it->cp == cp ? &*it : nullptr;
}

bool TrueTypeFont::has_glyph(char32_t cp) const {
    if (cp < latin_end) return latin_[cp] >= 0;
    return other(cp) != nullptr;
}

double TrueTypeFont::advance(char32_t cp) const {
    if (cp < latin_end) return latin_[cp] >= 0 ? latin_[cp] : missing_advance_;
    const Other* o = other(cp);
    return o ? o->advance : missing_advance_;
}

std::uint16_t TrueTypeFont::glyph(char32_t cp) const {
    if (cp < latin_end) return latin_glyphs_[cp];
    const Other* o = other(cp);
    return o ? o->glyph : 0;
}

int TrueTypeFont::kerning_from_tables(char32_t left, char32_t right) const {
    if (kerning_.empty()) return 0;
    std::int32_t units = kerning_.pair(glyph(left), glyph(right));
    return units == 0 ? 0 : static_cast<int>(std::lround(units * 1000.0 / units_per_em_));
}

int TrueTypeFont::kerning(char32_t left, char32_t right) const {
    if (!kerning_memo_) return 0;
    std::size_t row = kerning_memo_slot(left), column = kerning_memo_slot(right);
    if (row == not_memoized || column == not_memoized) return kerning_from_tables(left, right);
    std::atomic<std::int16_t>& memo = kerning_memo_[row * kerning_memo_slots + column];
    int known = memo.load(std::memory_order_relaxed);
    if (known != 0) return known >> 1;
    int value = kerning_from_tables(left, right);
    // Kerning is a fraction of an em; a value past what 15 bits hold is simply not kept.
    if (value >= -0x4000 && value < 0x4000)
        memo.store(static_cast<std::int16_t>(2 * value + 1), std::memory_order_relaxed);
    return value;
}

namespace {

// What fontconfig matched: the file, and the family and style it says the file has.
struct FontMatch {
    std::string file, family, style;
};

FontMatch match_font(FcConfig* config, const std::string& family, const std::string& style) {
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    if (!style.empty())
        FcPatternAddString(pattern, FC_STYLE, reinterpret_cast<const FcChar8*>(style.c_str()));
    FcPatternAddString(pattern, FC_FONTFORMAT, reinterpret_cast<const FcChar8*>("TrueType"));
    FcConfigSubstitute(config, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(config, pattern, &result);
    FcPatternDestroy(pattern);
    FontMatch found;
    if (match) {
        FcChar8* value = nullptr;
        if (FcPatternGetString(match, FC_FILE, 0, &value) == FcResultMatch)
            found.file = reinterpret_cast<char*>(value);
        if (FcPatternGetString(match, FC_FAMILY, 0, &value) == FcResultMatch)
            found.family = reinterpret_cast<char*>(value);
        if (FcPatternGetString(match, FC_STYLE, 0, &value) == FcResultMatch)
            found.style = reinterpret_cast<char*>(value);
        FcPatternDestroy(match);
    }
    return found;
}

// The font folders and caches of the system's configuration (Debian's fonts.conf), without the
// rest of it: FcInit parses every file of rules in conf.d (34 on Debian 12: aliases, hinting,
// substitutions), which a match of one exact family and style does not use, and that was a sixth
// of a cold build's instructions. None when it cannot be set up.
FcConfig* folders_only_config() {
    static constexpr char xml[] =
        "<?xml version=\"1.0\"?><fontconfig>"
        "<dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir>"
        "<dir prefix=\"xdg\">fonts</dir><dir>~/.fonts</dir>"
        "<cachedir>/var/cache/fontconfig</cachedir><cachedir prefix=\"xdg\">fontconfig</cachedir>"
        "<cachedir>~/.fontconfig</cachedir></fontconfig>";
    FcConfig* config = FcConfigCreate();
    if (config && FcConfigParseAndLoadFromMemory(config, reinterpret_cast<const FcChar8*>(xml), FcFalse) &&
        FcConfigBuildFonts(config))
        return config;
    if (config) FcConfigDestroy(config);
    return nullptr;
}

}  // namespace

std::string find_font_file(const std::string& family, const std::string& style) {
    static std::mutex fc_mutex;  // fontconfig's configurations are not thread safe to set up
    std::lock_guard<std::mutex> lock(fc_mutex);
    auto exact = [&](const FontMatch& m) {
        return !m.file.empty() && m.family == family && (style.empty() || m.style == style);
    };
    // The system's font folders first; the whole configuration only for a font not found there
    // (one in a folder only the configuration names), and for the message when none matches.
    static FcConfig* folders = folders_only_config();
    if (folders) {
        FontMatch m = match_font(folders, family, style);
        if (exact(m)) return m.file;
    }
    FcInit();
    FontMatch m = match_font(nullptr, family, style);
    // fontconfig always offers some fallback; a different family is not what the designer asked for.
    if (!exact(m))
        throw Error(SourcePos{}, "font \"" + family + (style.empty() ? "" : " " + style) +
                                     "\" is not installed (fontconfig offered \"" + m.family + " " + m.style +
                                     "\"): install it or name a font file in the styles");
    return m.file;
}

}  // namespace factsheet
