// Reads a TrueType font and writes the subsets a CIDFontType2 embeds (ISO 32000-1 9.9). Table
// layouts follow the OpenType specification 1.9 (sections "cmap", "glyf", "head", "hhea", "hmtx",
// "loca", "maxp" and "The OpenType font file").
#include "pdf/truetype.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#include "common/big_endian.hpp"
#include "common/error.hpp"

namespace factsheet::pdf_detail {

namespace {

/// A table tag as the big-endian number the table directory holds.
constexpr std::uint32_t make_tag(const char (&name)[5]) {
    return (std::uint32_t{static_cast<unsigned char>(name[0])} << 24) |
           (std::uint32_t{static_cast<unsigned char>(name[1])} << 16) |
           (std::uint32_t{static_cast<unsigned char>(name[2])} << 8) |
           std::uint32_t{static_cast<unsigned char>(name[3])};
}

// Offset table versions ("The OpenType font file": sfntVersion, TTC header).
constexpr std::uint32_t truetype_version = 0x00010000;
constexpr std::uint32_t apple_truetype_version = make_tag("true");
constexpr std::uint32_t cff_version = make_tag("OTTO");
constexpr std::uint32_t collection_tag = make_tag("ttcf");

// What each table must hold at least for the fields read or rewritten here.
constexpr std::uint32_t head_size = 54;  // up to glyphDataFormat
constexpr std::uint32_t hhea_size = 36;  // up to numberOfHMetrics
constexpr std::uint32_t maxp_size = 6;   // version 0.5: version and numGlyphs

// Field offsets rewritten in the subset.
constexpr std::size_t head_checksum_adjustment = 8;
constexpr std::size_t head_magic_number = 12;
constexpr std::size_t head_units_per_em = 18;
constexpr std::size_t head_index_to_loc_format = 50;
constexpr std::size_t hhea_number_of_hmetrics = 34;
constexpr std::size_t maxp_num_glyphs = 4;

constexpr std::uint32_t head_magic = 0x5F0F3CF5;
// The whole file's checksum plus head.checkSumAdjustment equals this ("head" table).
constexpr std::uint32_t checksum_target = 0xB1B0AFBA;

// Composite glyph flags ("glyf": Composite Glyph Description).
constexpr std::uint16_t arg_1_and_2_are_words = 0x0001;
constexpr std::uint16_t we_have_a_scale = 0x0008;
constexpr std::uint16_t more_components = 0x0020;
constexpr std::uint16_t we_have_an_x_and_y_scale = 0x0040;
constexpr std::uint16_t we_have_a_two_by_two = 0x0080;

// Glyph header: numberOfContours, xMin, yMin, xMax, yMax.
constexpr std::size_t glyph_header_size = 10;

using big_endian::put16;
using big_endian::put32;
using big_endian::u16;
using big_endian::u32;

std::size_t pad4(std::size_t n) {
    return (n + 3) & ~std::size_t{3};
}

/// The sum of the big-endian 32-bit words of `s`, its length a multiple of 4 (tables are padded).
std::uint32_t checksum(std::string_view s) {
    std::uint32_t sum = 0;
    for (std::size_t at = 0; at + 4 <= s.size(); at += 4) sum += u32(s, at);
    return sum;
}

bool is_composite(std::string_view glyph) {
    return glyph.size() >= glyph_header_size && (u16(glyph, 0) & 0x8000) != 0;
}

/// Calls visit(offset of the component's glyphIndex) for each component record of a composite
/// glyph; false when the records run past the glyph's end.
template <class Visit>
bool for_each_component(std::string_view glyph, Visit&& visit) {
    std::size_t at = glyph_header_size;
    for (;;) {
        if (at + 4 > glyph.size()) return false;
        const std::uint16_t flags = u16(glyph, at);
        visit(at + 2);
        at += (flags & arg_1_and_2_are_words) ? 8 : 6;
        // One transform at most; the same precedence as the rasterizers that read these flags.
        if (flags & we_have_a_scale) {
            at += 2;
        } else if (flags & we_have_an_x_and_y_scale) {
            at += 4;
        } else if (flags & we_have_a_two_by_two) {
            at += 8;
        }
        if (at > glyph.size()) return false;
        if (!(flags & more_components)) return true;
    }
}

/// A tag for messages: its four characters, non-printable ones as '?'.
std::string tag_name(std::uint32_t tag) {
    std::string name(4, '?');
    for (int i = 0; i < 4; ++i) {
        const auto c = static_cast<char>((tag >> (24 - 8 * i)) & 0xFF);
        if (c >= 0x20 && c < 0x7F) name[static_cast<std::size_t>(i)] = c;
    }
    while (!name.empty() && name.back() == ' ') name.pop_back();  // "cvt " reads as "cvt"
    return name;
}

const std::string damaged = "; the file is damaged: reinstall the font";

}  // namespace

void TrueTypeFile::fail(const std::string& message) const {
    throw Error(SourcePos{path_, 0, 0}, message);
}

TrueTypeFile::TrueTypeFile(std::string path, std::string bytes) : path_(std::move(path)) {
    auto kept = std::make_shared<const std::string>(std::move(bytes));
    bytes_ = *kept;
    owner_ = std::move(kept);
    parse();
}

TrueTypeFile::TrueTypeFile(std::string path, MappedFile file) : path_(std::move(path)) {
    auto kept = std::make_shared<const MappedFile>(std::move(file));
    bytes_ = kept->bytes();
    owner_ = std::move(kept);
    parse();
}

void TrueTypeFile::parse() {
    const std::string_view file = bytes_;
    if (file.empty()) fail("the font file is empty; reinstall the font");
    if (file.size() >= 4) {
        const std::uint32_t version = u32(file, 0);
        if (version == cff_version) {
            fail(
                "the font has PostScript (CFF) outlines, not TrueType ones; use the .ttf version of the "
                "font");
        }
        if (version == collection_tag) {
            fail(
                "the file is a TrueType collection (.ttc), not a single font; use a .ttf file holding one "
                "font");
        }
        if (version != truetype_version && version != apple_truetype_version) {
            fail(
                "the file is not a TrueType font (it does not start with a TrueType version); use a .ttf "
                "font file");
        }
    }
    if (file.size() < 12) fail("the font file ends inside its offset table" + damaged);
    const std::uint16_t table_count = u16(file, 4);
    if (12 + std::size_t{table_count} * 16 > file.size()) {
        fail("the font's table directory runs past the end of the file" + damaged);
    }

    // The tables read here, in the order they are checked; the rest of the font is never read.
    auto find = [&](const char(&name)[5], bool required) {
        const std::uint32_t wanted = make_tag(name);
        for (std::size_t i = 0; i < table_count; ++i) {
            const std::size_t entry = 12 + 16 * i;
            if (u32(file, entry) != wanted) continue;
            Table t{u32(file, entry + 8), u32(file, entry + 12)};
            if (std::uint64_t{t.offset} + t.length > file.size()) {
                fail("the font's " + tag_name(wanted) + " table runs past the end of the file" + damaged);
            }
            return t;
        }
        if (required) {
            fail("the font has no " + tag_name(wanted) +
                 " table, which TrueType outlines need; use a .ttf font with TrueType outlines");
        }
        return Table{};
    };
    head_ = find("head", true);
    hhea_ = find("hhea", true);
    maxp_ = find("maxp", true);
    hmtx_ = find("hmtx", true);
    loca_ = find("loca", true);
    glyf_ = find("glyf", true);
    const Table cmap = find("cmap", true);
    const Table os2 = find("OS/2", false);
    const Table name = find("name", false);
    cvt_ = find("cvt ", false);
    fpgm_ = find("fpgm", false);
    prep_ = find("prep", false);

    if (head_.length < head_size || u32(file, head_.offset + head_magic_number) != head_magic) {
        fail("the font's head table is damaged (too short or without its magic number)" + damaged);
    }
    const std::uint16_t loc_format = u16(file, head_.offset + head_index_to_loc_format);
    if (loc_format > 1) {
        fail("the font's head table gives an unknown loca format (" + std::to_string(loc_format) + ")" +
             damaged);
    }
    long_loca_ = loc_format == 1;
    units_per_em_ = u16(file, head_.offset + head_units_per_em);
    if (units_per_em_ == 0) fail("the font's head table gives 0 units per em" + damaged);
    if (maxp_.length < maxp_size) fail("the font's maxp table is too short" + damaged);
    glyph_count_ = u16(file, maxp_.offset + maxp_num_glyphs);
    if (glyph_count_ == 0) fail("the font has no glyphs (maxp.numGlyphs is 0)" + damaged);
    if (hhea_.length < hhea_size) fail("the font's hhea table is too short" + damaged);
    metric_count_ = std::min(u16(file, hhea_.offset + hhea_number_of_hmetrics), glyph_count_);
    if (metric_count_ == 0) fail("the font's hhea table gives no horizontal metrics" + damaged);
    const std::size_t hmtx_needed =
        4 * std::size_t{metric_count_} + 2 * (std::size_t{glyph_count_} - metric_count_);
    if (hmtx_.length < hmtx_needed) fail("the font's hmtx table is too short for its glyphs" + damaged);
    const std::size_t loca_needed = (std::size_t{glyph_count_} + 1) * (long_loca_ ? 4 : 2);
    if (loca_.length < loca_needed) fail("the font's loca table is too short for its glyphs" + damaged);

    // OpenType "OS/2" fsType: a font whose licence allows no embedding (Restricted License, bit 1),
    // no subsetting (bit 8) or bitmaps only (bit 9) is refused, as libharu refused it when it read
    // the fonts: a PDF embeds a subset of the font's outlines.
    if (os2.length >= 10) {
        const std::uint16_t fs_type = u16(file, os2.offset + 8);
        if ((fs_type & 0x0302) != 0) {
            char bits[8];
            std::snprintf(bits, sizeof bits, "0x%04X", static_cast<unsigned>(fs_type));
            fail(std::string("the font's licence does not allow a subset of it to be embedded in a document "
                             "(OS/2 fsType ") +
                 bits + "); use a font whose licence allows embedding");
        }
    }
    read_cmap(cmap);
    read_descriptor(os2, name);
}

void TrueTypeFile::read_descriptor(Table os2, Table name) {
    const std::string_view file = bytes_;
    auto scaled = [&](std::int16_t v) { return std::int32_t{v} * 1000 / units_per_em_; };
    auto s16 = [&](std::size_t at) { return static_cast<std::int16_t>(u16(file, at)); };
    Descriptor& d = descriptor_;
    for (std::size_t i = 0; i < 4; ++i) d.bbox[i] = scaled(s16(head_.offset + 36 + 2 * i));
    d.ascent = static_cast<std::int16_t>(scaled(s16(hhea_.offset + 4)));
    d.descent = static_cast<std::int16_t>(scaled(s16(hhea_.offset + 6)));
    auto top = [&](char16_t c) -> std::int32_t {
        const std::uint16_t id = glyph(c);
        const std::string_view outline = glyph_bytes(id);
        if (id == 0 || outline.size() < glyph_header_size) return 0;
        return static_cast<std::uint16_t>(scaled(static_cast<std::int16_t>(u16(outline, 8))));
    };
    d.cap_height = top(u'H');
    d.x_height = top(u'x');

    // Flags: nonsymbolic (32, libharu's "standard character set"), then what the OS/2 family
    // class says (OpenType "OS/2": sFamilyClass, its high byte the class).
    constexpr std::int32_t serif = 2, symbolic = 4, script = 8, nonsymbolic = 32, italic = 64,
                           force_bold = 262144;
    d.flags = nonsymbolic;
    if (os2.length >= 32) {
        const unsigned family_class = static_cast<unsigned char>(file[os2.offset + 30]);
        if ((family_class > 0 && family_class < 6) || family_class == 7) d.flags |= serif;
        if (family_class == 10) d.flags |= script;
        if (family_class == 12) d.flags |= symbolic;
    }

    // Names (OpenType "name"): the last Macintosh Roman record of each ID, else the last Windows
    // Unicode US English one, read a byte per character.
    struct Found {
        std::string_view mac, windows;
    };
    Found postscript, subfamily;
    if (name.length < 6) return;
    const std::string_view names = file.substr(name.offset, name.length);
    const std::size_t count = u16(names, 2), strings = u16(names, 4);
    for (std::size_t i = 0; i < count && 6 + 12 * i + 12 <= names.size(); ++i) {
        const std::size_t r = 6 + 12 * i;
        const std::uint16_t platform = u16(names, r), encoding = u16(names, r + 2),
                            language = u16(names, r + 4), id = u16(names, r + 6), length = u16(names, r + 8),
                            offset = u16(names, r + 10);
        if (strings + offset + length > names.size() || (id != 6 && id != 2)) continue;
        const std::string_view text = names.substr(strings + offset, length);
        Found& f = id == 6 ? postscript : subfamily;
        if (platform == 1 && encoding == 0) f.mac = text;
        if (platform == 3 && encoding == 1 && language == 0x0409) f.windows = text;
    }
    auto read = [](const Found& f) {
        if (!f.mac.empty()) return std::string(f.mac);
        std::string out;
        for (std::size_t i = 1; i < f.windows.size(); i += 2) out += f.windows[i];
        return out;
    };
    std::string base = read(postscript), style = read(subfamily);
    // A name too long for libharu's buffer was refused by it; base_font stays empty then too.
    if (base.empty() || style.empty() || base.size() + style.size() + 8 > 127) return;
    if (style.compare(0, 7, "Regular") != 0) {
        base += ',';
        base += style.substr(0, style.find(' '));
        if (style.find("Bold") != std::string::npos) d.flags |= force_bold;
        if (style.find("Italic") != std::string::npos) d.flags |= italic;
    }
    d.base_font = base.substr(0, base.find('\0'));
}

std::uint16_t TrueTypeFile::advance(std::uint16_t id) const {
    if (id >= glyph_count_) return 0;
    return u16(bytes_,
               hmtx_.offset + 4 * std::size_t{std::min(id, static_cast<std::uint16_t>(metric_count_ - 1u))});
}

void TrueTypeFile::set_glyph(std::uint32_t code, std::uint16_t g) {
    if (g == 0) return;
    std::uint16_t& block = block_of_[code >> 8];
    if (block == 0) {
        block = static_cast<std::uint16_t>(glyph_blocks_.size());
        glyph_blocks_.emplace_back();
    }
    glyph_blocks_[block][code & 0xFF] = g;
}

void TrueTypeFile::read_cmap(Table cmap) {
    const std::string_view table = std::string_view(bytes_).substr(cmap.offset, cmap.length);
    const std::string cmap_damaged =
        "the font's cmap table is damaged (a subtable runs past its end)" + damaged;
    if (table.size() < 4) fail(cmap_damaged);
    const std::uint16_t subtable_count = u16(table, 2);
    if (4 + std::size_t{subtable_count} * 8 > table.size()) fail(cmap_damaged);

    // Prefer full Unicode (3,10) format 12, then Windows BMP (3,1) format 4, then the Unicode
    // platform's subtables; other encodings do not map Unicode code points.
    constexpr int none = 4;
    int best_rank = none;
    std::size_t best = 0;
    for (std::size_t i = 0; i < subtable_count; ++i) {
        const std::size_t record = 4 + 8 * i;
        const std::uint16_t platform = u16(table, record);
        const std::uint16_t encoding = u16(table, record + 2);
        const std::uint32_t offset = u32(table, record + 4);
        if (std::size_t{offset} + 2 > table.size()) fail(cmap_damaged);
        const std::uint16_t format = u16(table, offset);
        int rank = none;
        if (platform == 3 && encoding == 10 && format == 12) rank = 0;
        if (platform == 3 && encoding == 1 && format == 4) rank = 1;
        if (platform == 0 && format == 12) rank = 2;
        if (platform == 0 && format == 4) rank = 3;
        if (rank < best_rank) {
            best_rank = rank;
            best = offset;
        }
    }
    if (best_rank == none) {
        fail("the font has no Unicode character map (cmap format 4 or 12); use a font made for Unicode text");
    }

    block_of_.fill(0);
    glyph_blocks_.assign(1, {});
    // Segments and groups come sorted by code; a code already mapped (overlapping ranges in a
    // damaged font) keeps its first glyph, so filling touches each of the 65,536 codes once.
    std::uint32_t next_free = 0;
    auto checked = [&](std::uint32_t g) {
        return g < glyph_count_ ? static_cast<std::uint16_t>(g) : std::uint16_t{0};
    };

    if (u16(table, best) == 4) {
        if (best + 14 > table.size()) fail(cmap_damaged);
        const std::size_t seg_count = u16(table, best + 6) / 2;
        const std::size_t ends = best + 14;
        const std::size_t starts = ends + 2 * seg_count + 2;  // after reservedPad
        const std::size_t deltas = starts + 2 * seg_count;
        const std::size_t range_offsets = deltas + 2 * seg_count;
        if (range_offsets + 2 * seg_count > table.size()) fail(cmap_damaged);
        for (std::size_t i = 0; i < seg_count; ++i) {
            const std::uint32_t end = u16(table, ends + 2 * i);
            const std::uint32_t start = u16(table, starts + 2 * i);
            const std::uint16_t delta = u16(table, deltas + 2 * i);
            const std::size_t range_offset_at = range_offsets + 2 * i;
            const std::uint16_t range_offset = u16(table, range_offset_at);
            // The segment 0xFFFF..0xFFFF only ends the table; U+FFFF is not a character.
            if (start == 0xFFFF) continue;
            const std::uint32_t first = std::max(start, next_free);
            if (first > end) continue;
            next_free = end + 1;
            if (range_offset == 0) {
                for (std::uint32_t c = first; c <= end; ++c) set_glyph(c, checked((c + delta) & 0xFFFF));
                continue;
            }
            // idRangeOffset counts bytes from its own field to the segment's run of glyphIdArray.
            std::size_t at = range_offset_at + range_offset + 2 * (first - start);
            for (std::uint32_t c = first; c <= end && at + 2 <= table.size(); ++c, at += 2) {
                const std::uint16_t g = u16(table, at);
                if (g != 0) set_glyph(c, checked((g + delta) & 0xFFFFu));
            }
        }
    } else {
        if (best + 16 > table.size()) fail(cmap_damaged);
        const std::uint32_t group_count = u32(table, best + 12);
        const std::size_t groups = best + 16;
        if (groups + std::uint64_t{group_count} * 12 > table.size()) fail(cmap_damaged);
        for (std::size_t i = 0; i < group_count; ++i) {
            const std::size_t group = groups + 12 * i;
            const std::uint32_t start = u32(table, group);
            const std::uint32_t end = std::min(u32(table, group + 4), std::uint32_t{0xFFFF});
            if (start > 0xFFFF) break;  // groups are sorted: the rest lie past the BMP
            const std::uint64_t start_glyph = u32(table, group + 8);
            const std::uint32_t first = std::max(start, next_free);
            if (first > end) continue;
            next_free = end + 1;
            for (std::uint32_t c = first; c <= end; ++c) {
                const std::uint64_t g = start_glyph + (c - start);
                if (g < glyph_count_) set_glyph(c, static_cast<std::uint16_t>(g));
            }
        }
    }
}

std::string_view TrueTypeFile::glyph_bytes(std::uint16_t id) const {
    const std::string_view file = bytes_;
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    if (long_loca_) {
        start = u32(file, loca_.offset + 4 * std::size_t{id});
        end = u32(file, loca_.offset + 4 * std::size_t{id} + 4);
    } else {
        start = 2 * std::uint32_t{u16(file, loca_.offset + 2 * std::size_t{id})};
        end = 2 * std::uint32_t{u16(file, loca_.offset + 2 * std::size_t{id} + 2)};
    }
    // Like the rasterizers, read offsets past glyf or out of order as an empty glyph.
    if (end > glyf_.length || start >= end) return {};
    return file.substr(glyf_.offset + start, end - start);
}

std::uint16_t TrueTypeFile::Subset::new_id(std::uint16_t old) const {
    const auto it = std::lower_bound(old_id.begin(), old_id.end(), old);
    if (it == old_id.end() || *it != old) return 0;
    return static_cast<std::uint16_t>(it - old_id.begin());
}

TrueTypeFile::Subset TrueTypeFile::subset(std::span<const std::uint16_t> glyphs) const {
    Subset out;
    // The glyphs to keep: .notdef, those asked for and, transitively, the components of the
    // composite ones among them.
    std::vector<bool> taken(glyph_count_, false);
    std::vector<std::uint16_t>& ids = out.old_id;
    ids.reserve(glyphs.size() + 32);
    auto take = [&](std::uint16_t g) {
        if (g < glyph_count_ && !taken[g]) {
            taken[g] = true;
            ids.push_back(g);
        }
    };
    take(0);
    for (const std::uint16_t g : glyphs) take(g);
    for (std::size_t i = 0; i < ids.size(); ++i) {  // grows while components are found
        const std::uint16_t id = ids[i];
        const std::string_view glyph = glyph_bytes(id);
        if (!glyph.empty() && glyph.size() < glyph_header_size) {
            fail("the font's glyph " + std::to_string(id) + " is shorter than a glyph header" + damaged);
        }
        if (!is_composite(glyph)) continue;
        bool outside = false;
        const bool whole = for_each_component(glyph, [&](std::size_t at) {
            const std::uint16_t component = u16(glyph, at);
            if (component >= glyph_count_) outside = true;
            take(component);
        });
        if (!whole || outside) {
            fail("the font's composite glyph " + std::to_string(id) + " has a damaged component list" +
                 damaged);
        }
    }
    std::sort(ids.begin(), ids.end());
    const std::size_t n = ids.size();
    const auto count16 = static_cast<std::uint16_t>(n);  // at most glyph_count_

    std::size_t glyf_length = 0;
    for (const std::uint16_t id : ids) glyf_length += pad4(glyph_bytes(id).size());
    if (glyf_length > 0xFFFFFFFFu) fail("the font's glyphs are too large to embed; use a smaller font");
    // Offsets are multiples of 4, so offset/2 is exact; the short format halves loca's size.
    const bool short_loca = glyf_length / 2 <= 0xFFFF;

    // The tables in tag order, as the directory lists them; the font's optional ones when present.
    enum Slot : std::size_t { cvt, fpgm, glyf, head, hhea, hmtx, loca, maxp, prep, slot_count };
    static constexpr std::array<std::uint32_t, slot_count> tags{
        make_tag("cvt "), make_tag("fpgm"), make_tag("glyf"), make_tag("head"), make_tag("hhea"),
        make_tag("hmtx"), make_tag("loca"), make_tag("maxp"), make_tag("prep")};
    const std::array<std::size_t, slot_count> length{
        cvt_.length,
        fpgm_.length,
        std::max<std::size_t>(glyf_length, 4),  // a table is never empty
        head_.length,
        hhea_.length,
        4 * n,
        (n + 1) * (short_loca ? 2 : 4),
        maxp_.length,
        prep_.length};
    std::array<std::size_t, slot_count> offset{};
    const auto table_count = static_cast<std::size_t>(
        std::count_if(length.begin(), length.end(), [](std::size_t l) { return l > 0; }));
    std::size_t size = 12 + 16 * table_count;
    for (std::size_t s = 0; s < slot_count; ++s) {
        offset[s] = size;
        size += pad4(length[s]);
    }
    std::string& program = out.program;
    program.assign(size, '\0');
    const std::string_view file = bytes_;
    auto copy_table = [&](Slot s, Table from) {
        std::memcpy(program.data() + offset[s], file.data() + from.offset, from.length);
    };

    copy_table(cvt, cvt_);
    copy_table(fpgm, fpgm_);
    copy_table(prep, prep_);
    copy_table(head, head_);
    put32(program, offset[head] + head_checksum_adjustment, 0);  // computed last
    put16(program, offset[head] + head_index_to_loc_format, short_loca ? 0 : 1);
    copy_table(hhea, hhea_);
    put16(program, offset[hhea] + hhea_number_of_hmetrics, count16);
    copy_table(maxp, maxp_);
    put16(program, offset[maxp] + maxp_num_glyphs, count16);

    // One longHorMetric per glyph; glyphs past numberOfHMetrics share the last advance and keep
    // their own left side bearing.
    for (std::size_t g = 0; g < n; ++g) {
        const std::size_t old = ids[g];
        const std::size_t metric = hmtx_.offset + 4 * std::min<std::size_t>(old, metric_count_ - 1u);
        const std::size_t lsb =
            old < metric_count_ ? metric + 2
                                : hmtx_.offset + 4 * std::size_t{metric_count_} + 2 * (old - metric_count_);
        put16(program, offset[hmtx] + 4 * g, u16(file, metric));
        put16(program, offset[hmtx] + 4 * g + 2, u16(file, lsb));
    }

    // Each glyph unchanged but for its components' ids, 4-byte aligned.
    std::size_t at = 0;
    for (std::size_t g = 0; g <= n; ++g) {
        if (short_loca) {
            put16(program, offset[loca] + 2 * g, static_cast<std::uint16_t>(at / 2));
        } else {
            put32(program, offset[loca] + 4 * g, static_cast<std::uint32_t>(at));
        }
        if (g == n) break;
        const std::string_view glyph = glyph_bytes(ids[g]);
        const std::size_t to = offset[glyf] + at;
        // An empty glyph (a space) may have no data pointer at all: memcpy must not see it.
        if (!glyph.empty()) std::memcpy(program.data() + to, glyph.data(), glyph.size());
        if (is_composite(glyph)) {
            for_each_component(
                glyph, [&](std::size_t field) { put16(program, to + field, out.new_id(u16(glyph, field))); });
        }
        at += pad4(glyph.size());
    }

    // Offset table and directory ("The OpenType font file").
    put32(program, 0, truetype_version);
    put16(program, 4, static_cast<std::uint16_t>(table_count));
    std::uint16_t entry_selector = 0;
    while ((2u << entry_selector) <= table_count) ++entry_selector;
    const auto search_range = static_cast<std::uint16_t>(16u << entry_selector);
    put16(program, 6, search_range);
    put16(program, 8, entry_selector);
    put16(program, 10, static_cast<std::uint16_t>(16 * table_count - search_range));
    std::size_t entry = 12;
    for (std::size_t s = 0; s < slot_count; ++s) {
        if (length[s] == 0) continue;
        put32(program, entry, tags[s]);
        put32(program, entry + 4, checksum(std::string_view(program).substr(offset[s], pad4(length[s]))));
        put32(program, entry + 8, static_cast<std::uint32_t>(offset[s]));
        put32(program, entry + 12, static_cast<std::uint32_t>(length[s]));
        entry += 16;
    }
    put32(program, offset[head] + head_checksum_adjustment, checksum_target - checksum(program));
    return out;
}

}  // namespace factsheet::pdf_detail
