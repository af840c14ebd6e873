#include "pdf/fonts.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/files.hpp"
#include "common/hash.hpp"
#include "common/utf8.hpp"

namespace factsheet::pdf_detail {

namespace {

// A bfrange block holds at most 100 entries (Adobe Technical Note #5411, "CMap file format").
constexpr int kMaxEntriesPerBlock = 100;

// Keeps an excerpt of the offending text short enough for a one-line message.
std::string quote(std::string_view text) {
    constexpr std::size_t kMaxQuotedBytes = 60;
    if (text.size() <= kMaxQuotedBytes) return "\"" + std::string(text) + "\"";
    std::size_t cut = kMaxQuotedBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return "\"" + std::string(text.substr(0, cut)) + "...\"";
}

}  // namespace

DecodedText decode_utf8(std::string_view text) {
    DecodedText result;
    result.code_points.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = 0;
        if (!utf8::next_strict(text, i, c)) {
            result.bad_offset = i;
            return result;
        }
        result.code_points.push_back(c);
    }
    return result;
}

std::string ItemRef::str() const {
    return "page " + std::to_string(page + 1) + ", item " + std::to_string(item + 1);
}

std::string to_unicode_cmap(const std::vector<unsigned>& blocks) {
    std::string out =
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n"
        "<0000> <FFFF>\n"
        "endcodespacerange\n";
    // One range per high byte, because a bfrange may only vary the last byte of its codes.
    for (std::size_t first = 0; first < blocks.size(); first += kMaxEntriesPerBlock) {
        std::size_t last = std::min(blocks.size(), first + kMaxEntriesPerBlock);
        out += std::to_string(last - first) + " beginbfrange\n";
        for (std::size_t i = first; i < last; ++i) {
            char line[32];
            std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", blocks[i], blocks[i], blocks[i]);
            out += line;
        }
        out += "endbfrange\n";
    }
    out +=
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end\n";
    return out;
}

std::unique_ptr<LoadedFont> load_font(HaruDocument& doc, const std::string& path) {
    SourcePos pos{path, 0, 0};
    // libharu reports a missing file only as a number: say what the system said instead. Only a
    // regular file is read (the layout stage checked it too), so nothing can block or run forever.
    constexpr std::size_t max_font_file_bytes = 64 * 1024 * 1024;
    std::string bytes = read_regular_file(
        path, max_font_file_bytes, layout_file_errors(path, "the font", max_font_file_bytes, [&](int e) {
            std::string reason = std::strerror(e);
            if (!reason.empty())
                reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
            return Error(pos, "cannot open the font file (" + reason + "); install it or fix the path");
        }));
    auto font = std::make_unique<LoadedFont>(LoadedFont{TrueTypeFile(path, std::move(bytes)), {}, nullptr});
    // Not embedded by libharu (HPDF_FALSE): embed() writes the subset. libharu still reads the
    // file for its metrics and cmap, which give the font's widths and descriptor.
    const char* name = HPDF_LoadTTFontFromFile(doc.get(), path.c_str(), HPDF_FALSE);
    doc.check_handle(name, "load the TrueType font (only .ttf files can be embedded)", pos);
    font->name = name;
    font->def = HPDF_GetFontDef(doc.get(), name);
    doc.check_handle(font->def, "find the loaded font", pos);
    return font;
}

FontSet::FontSet(HaruDocument& doc, std::vector<const LoadedFont*> fonts) : doc_(doc) {
    // Sized once: create_font() hands libharu pointers into the entries.
    entries_.resize(fonts.size());
    for (std::size_t i = 0; i < fonts.size(); ++i) {
        Entry& entry = entries_[i];
        entry.loaded = fonts[i];
        // libharu registers a font once per name: a second file of the same font shares it.
        entry.owner = i;
        for (std::size_t j = 0; j < i; ++j)
            if (entries_[j].loaded->name == entry.loaded->name) {
                entry.owner = entries_[j].owner;
                break;
            }
    }
}

FontSet::~FontSet() {
    for (Entry& entry : entries_) restore_cmap(entry);
}

void FontSet::use_text(std::size_t index, std::string_view text, ItemRef item) {
    const Entry& entry = entries_[index];
    const TrueTypeFile& program = entry.loaded->program;
    std::vector<HPDF_UINT16>& used = entries_[entry.owner].used;
    DecodedText decoded = decode_utf8(text);
    auto where = [&] { return item.str(); };
    if (!decoded.ok())
        throw Error(render_pos(), where() + ": text is not valid UTF-8 at byte " +
                                      std::to_string(decoded.bad_offset) +
                                      "; the layout must hand over UTF-8");
    for (char32_t c : decoded.code_points) {
        if (c > 0xFFFF)
            throw Error(SourcePos{program.path(), 0, 0},
                        where() + ": character " + utf8::code_point_name(c) + " in " + quote(text) +
                            " is beyond U+FFFF, which the pdf writer cannot draw; remove it");
        if (c < 0x20 || (c >= 0x7F && c < 0xA0))
            throw Error(SourcePos{program.path(), 0, 0}, where() + ": control character " +
                                                             utf8::code_point_name(c) + " in " + quote(text) +
                                                             " cannot be drawn; remove it");
        if (program.glyph(static_cast<char16_t>(c)) == 0)
            throw Error(SourcePos{program.path(), 0, 0},
                        where() + ": the font has no glyph for " + utf8::code_point_name(c) + " in " +
                            quote(text) + "; use a font that has it or remove the character");
        used.push_back(static_cast<HPDF_UINT16>(c));
    }
}

HPDF_Font FontSet::font(std::size_t index) {
    Entry& entry = entries_[entries_[index].owner];
    if (!entry.font) entry.font = create_font(entry);
    return entry.font;
}

HPDF_Font FontSet::create_font(Entry& entry) {
    // Creating a font, libharu looks codes up in the font definition's cmap (a linear scan of its
    // segments each time) and writes a width for every code that has a glyph. Only the characters
    // the document draws matter, so while this document is written the font definition reads a
    // cmap (format 4, ISO/IEC 14496-22 5.2.1.3.4) that maps just those, with the glyphs of the
    // real one: the lookups are cheap, and any other code (such as the one UsedCodesEncoder adds
    // after the last) has no glyph and no width. The destructor puts the real one back.
    SourcePos pos{entry.loaded->program.path(), 0, 0};
    std::vector<HPDF_UINT16>& codes = entry.used;
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    // One segment from the first to the last code used, its glyphs read from a glyph array
    // (idRangeOffset), then the closing U+FFFF segment that libharu's lookup relies on to stop.
    // libharu scans segments linearly for each code: two segments make that scan cheap.
    HPDF_UINT16 first = codes.empty() ? 0 : codes.front();
    HPDF_UINT16 last = codes.empty() ? 0 : codes.back();
    if (!codes.empty()) {
        // One spare entry: libharu tests idx > count, not >=.
        entry.glyph_array.assign(static_cast<std::size_t>(last - first) + 2, 0);
        for (HPDF_UINT16 c : codes) entry.glyph_array[c - first] = entry.loaded->program.glyph(c);
    }
    entry.starts[0] = first;
    entry.ends[0] = last;
    entry.starts[1] = entry.ends[1] = 0xFFFF;
    entry.deltas[0] = 0;
    entry.deltas[1] = 1;
    // idx = offset / 2 + (code - start) - (segments - i): with 2 segments and i = 0, offset 4
    // makes idx = code - first.
    entry.offsets[0] = static_cast<HPDF_UINT16>(codes.empty() ? 0 : 4);
    entry.offsets[1] = 0;
    std::size_t skip = codes.empty() ? 1 : 0;

    HPDF_TTF_CmapRange used_only = doc_.font_cmap(entry.loaded->def);
    used_only.format = 4;
    used_only.seg_count_x2 = static_cast<HPDF_UINT16>(2 * (2 - skip));
    used_only.start_count = entry.starts + skip;
    used_only.end_count = entry.ends + skip;
    used_only.id_delta = entry.deltas + skip;
    used_only.id_range_offset = entry.offsets + skip;
    used_only.glyph_id_array = entry.glyph_array.data();
    used_only.glyph_id_array_count =
        static_cast<HPDF_UINT>(entry.glyph_array.empty() ? 0 : entry.glyph_array.size() - 1);
    entry.saved_cmap = doc_.swap_font_cmap(entry.loaded->def, used_only);
    entry.cmap_swapped = true;
    return doc_.create_utf8_font(entry.loaded->name, codes, pos);
}

void FontSet::restore_cmap(Entry& entry) {
    if (!entry.cmap_swapped) return;
    doc_.swap_font_cmap(entry.loaded->def, entry.saved_cmap);
    entry.cmap_swapped = false;
}

void FontSet::embed() {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const Entry& entry = entries_[i];
        if (entry.owner != i || !entry.font) continue;
        const TrueTypeFile& program = entry.loaded->program;
        std::vector<std::uint16_t> glyphs;
        glyphs.reserve(entry.used.size());
        for (HPDF_UINT16 c : entry.used) glyphs.push_back(program.glyph(c));
        TrueTypeFile::Subset subset = program.subset(glyphs);
        embed_program(entry, subset);
        write_glyph_map(entry, subset);
        replace_to_unicode(entry);
    }
}

namespace {

// A subset's tag: six capital letters before its name (ISO 32000-1 9.6.4), derived from the
// glyphs it holds, so that the same glyphs give the same name in every document.
std::string subset_tag(const std::vector<std::uint16_t>& glyphs) {
    Fnv1a fnv;
    for (std::uint16_t g : glyphs) {
        fnv.add(static_cast<unsigned char>(g & 0xFFu));
        fnv.add(static_cast<unsigned char>(g >> 8));
    }
    std::uint64_t hash = fnv.value();
    std::string tag(6, 'A');
    for (char& c : tag) {
        c = static_cast<char>('A' + hash % 26);
        hash /= 26;
    }
    return tag;
}

}  // namespace

void FontSet::embed_program(const Entry& entry, const TrueTypeFile::Subset& subset) {
    // libharu writes the descriptor when it writes the font, unless the definition already has
    // one: this one carries the subset, and CapHeight, which libharu leaves out though ISO 32000-1
    // Table 122 requires it.
    SourcePos pos{entry.loaded->program.path(), 0, 0};
    HPDF_FontDef def = entry.loaded->def;
    std::string tag = subset_tag(subset.old_id);
    HPDF_TTFontDef_SetTagName(def, tag.data());
    HaruDocument::FontMetrics m = doc_.font_metrics(def);

    constexpr std::string_view what = "write the font's descriptor";
    auto failed = [&](HPDF_STATUS status) { doc_.check(status, what, pos); };
    HPDF_Dict descriptor = doc_.new_dict(true, what, pos);
    failed(HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor"));
    failed(HPDF_Dict_AddName(descriptor, "FontName", m.base_font.c_str()));
    failed(HPDF_Dict_AddNumber(descriptor, "Flags", m.flags));
    HPDF_Array box = doc_.new_array(what, pos);
    for (HPDF_REAL v : {m.bbox.left, m.bbox.bottom, m.bbox.right, m.bbox.top})
        failed(HPDF_Array_AddReal(box, v));
    failed(HPDF_Dict_Add(descriptor, "FontBBox", box));
    failed(HPDF_Dict_AddNumber(descriptor, "ItalicAngle", m.italic_angle));
    failed(HPDF_Dict_AddNumber(descriptor, "Ascent", m.ascent));
    failed(HPDF_Dict_AddNumber(descriptor, "Descent", m.descent));
    failed(HPDF_Dict_AddNumber(descriptor, "CapHeight", m.cap_height));
    failed(HPDF_Dict_AddNumber(descriptor, "XHeight", m.x_height));
    failed(HPDF_Dict_AddNumber(descriptor, "StemV", m.stemv));

    HPDF_Dict file = doc_.new_stream(subset.program, "embed the font", pos);
    failed(HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(subset.program.size())));
    failed(HPDF_Dict_Add(descriptor, "FontFile2", file));

    // ISO 19005-1 6.3.5: a subset CIDFont's descriptor lists the CIDs its program holds in a
    // /CIDSet, a bit per CID, the high bit of the first byte for CID 0. The CIDs are the codes
    // (Identity-H), the glyph map sends each drawn to its glyph, and CID 0 to .notdef.
    HPDF_UINT16 last = entry.used.empty() ? 0 : entry.used.back();
    std::string bits(std::size_t{last} / 8 + 1, '\0');
    bits[0] = '\x80';
    for (HPDF_UINT16 c : entry.used)
        bits[c / 8u] = static_cast<char>(static_cast<unsigned char>(bits[c / 8u]) | (0x80u >> (c % 8u)));
    HPDF_Dict cid_set = doc_.new_stream(bits, "write the font's CID set", pos);
    failed(HPDF_Dict_Add(descriptor, "CIDSet", cid_set));
    doc_.set_font_descriptor(def, descriptor);
}

void FontSet::write_glyph_map(const Entry& entry, const TrueTypeFile::Subset& subset) {
    // The codes are code points; the subset numbers its glyphs anew. The map stops after the
    // last code used: codes past its end map to glyph 0 (ISO 32000-1 9.7.4.2), and no content
    // stream of this document holds one.
    SourcePos pos{entry.loaded->program.path(), 0, 0};
    HPDF_Font cid_font = doc_.descendant_font(entry.font);
    doc_.check_handle(cid_font, "write the font's glyph map", pos);
    HPDF_UINT16 last = entry.used.empty() ? 0 : entry.used.back();
    std::string bytes(2 * (static_cast<std::size_t>(last) + 1), '\0');
    for (HPDF_UINT16 c : entry.used) {
        std::uint16_t gid = subset.new_id(entry.loaded->program.glyph(c));
        bytes[2 * std::size_t{c}] = static_cast<char>(gid >> 8);
        bytes[2 * std::size_t{c} + 1] = static_cast<char>(gid & 0xFF);
    }
    HPDF_Dict map = doc_.new_stream(bytes, "write the font's glyph map", pos);
    doc_.check(HPDF_Dict_Add(cid_font, "CIDToGIDMap", map), "write the font's glyph map", pos);
}

void FontSet::replace_to_unicode(const Entry& entry) {
    // libharu 2.3.0 writes a CMap for the UTF-8 route that is not a valid ToUnicode map (its
    // ranges are "begincidrange" entries), so text extraction fails. The codes it writes into
    // content streams are the BMP code points themselves (two bytes, Identity-H), so the correct
    // map is the identity, written for the 256-code blocks the document draws from.
    SourcePos pos{entry.loaded->program.path(), 0, 0};
    auto* cmap = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(entry.font, "ToUnicode", HPDF_OCLASS_DICT));
    doc_.check_handle(cmap, "find the font's ToUnicode map", pos);
    std::vector<unsigned> blocks;
    for (HPDF_UINT16 c : entry.used)
        if (blocks.empty() || blocks.back() != c >> 8u) blocks.push_back(c >> 8u);
    doc_.replace_stream(cmap, to_unicode_cmap(blocks), "rewrite the font's ToUnicode map", pos);

    // The stream dictionary still describes libharu's map: make it describe the one written.
    constexpr std::string_view what = "describe the ToUnicode map";
    doc_.check(HPDF_Dict_AddName(cmap, "CMapName", "Adobe-Identity-UCS"), what, pos);
    HPDF_Dict info = doc_.new_dict(false, what, pos);
    doc_.check(HPDF_Dict_Add(cmap, "CIDSystemInfo", info), what, pos);
    doc_.check(HPDF_Dict_Add(info, "Registry", doc_.new_ascii("Adobe", what, pos)), what, pos);
    doc_.check(HPDF_Dict_Add(info, "Ordering", doc_.new_ascii("UCS", what, pos)), what, pos);
    doc_.check(HPDF_Dict_AddNumber(info, "Supplement", 0), what, pos);
    // Writing mode belongs to the font's encoding, not to a ToUnicode map.
    HPDF_Dict_RemoveElement(cmap, "WMode");
}

}  // namespace factsheet::pdf_detail
