#include "pdf/fonts.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

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
    // libharu reports a missing file only as a number: say what the system said instead.
    std::string bytes;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    bool read = f != nullptr;
    if (f) {
        char buffer[65536];
        std::size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) bytes.append(buffer, n);
        read = !std::ferror(f);
        std::fclose(f);
    }
    if (!read) {
        std::string reason = std::strerror(errno);
        if (!reason.empty())
            reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
        throw Error(pos, "cannot open the font file (" + reason + "); install it or fix the path");
    }
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

namespace {

// While it exists, libharu's UTF-8 encoder lists only the code points a document draws. Creating
// a font, libharu walks the encoder's 65,536 codes and, for the UTF-8 encoder, looks each up in
// the font and writes the widths of all of them: about a fifth of a batch's time. Given a CMap
// encoder's tables instead, it visits only the codes listed, and writes the widths up to the last
// one. The widths it writes are the same: the codes not listed have no glyph in the cmap the font
// definition reads meanwhile (see create_font()). The tables are the encoder's, the CID of a code
// is the code itself, as Identity-H says.
class UsedCodesEncoder {
public:
    UsedCodesEncoder(HaruDocument& doc, const std::vector<HPDF_UINT16>& codes)
        : encoder_(HPDF_GetEncoder(doc.get(), "UTF-8")) {
        // libharu stops its width table one short of the last code it visits: one more code,
        // without a glyph, keeps the last one drawn in the table.
        if (!encoder_ || codes.empty() || codes.back() == 0xFFFF) return;
        auto* real = static_cast<HPDF_CMapEncoderAttr>(encoder_->attr);
        tables_ = std::make_unique<HPDF_CMapEncoderAttr_Rec>();
        tables_->cmap_range = real->cmap_range;
        tables_->notdef_range = real->notdef_range;
        tables_->code_space_range = real->code_space_range;
        tables_->writing_mode = real->writing_mode;
        std::memcpy(tables_->registry, real->registry, sizeof tables_->registry);
        std::memcpy(tables_->ordering, real->ordering, sizeof tables_->ordering);
        tables_->suppliment = real->suppliment;
        tables_->is_lead_byte_fn = real->is_lead_byte_fn;
        tables_->is_trial_byte_fn = real->is_trial_byte_fn;
        tables_->uid_offset = real->uid_offset;
        std::memcpy(tables_->xuid, real->xuid, sizeof tables_->xuid);
        auto list = [&](HPDF_UINT16 code) {
            tables_->cid_map[code >> 8][code & 0xFF] = code;
            tables_->unicode_map[code >> 8][code & 0xFF] = code;
        };
        for (HPDF_UINT16 c : codes) list(c);
        list(static_cast<HPDF_UINT16>(codes.back() + 1));
        saved_attr_ = encoder_->attr;
        saved_to_unicode_ = encoder_->to_unicode_fn;
        encoder_->attr = tables_.get();
        encoder_->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
    }
    ~UsedCodesEncoder() {
        if (!tables_) return;
        encoder_->attr = saved_attr_;
        encoder_->to_unicode_fn = saved_to_unicode_;
    }
    UsedCodesEncoder(const UsedCodesEncoder&) = delete;
    UsedCodesEncoder& operator=(const UsedCodesEncoder&) = delete;

private:
    HPDF_Encoder encoder_;
    std::unique_ptr<HPDF_CMapEncoderAttr_Rec> tables_;
    void* saved_attr_ = nullptr;
    HPDF_Encoder_ToUnicode_Func saved_to_unicode_ = nullptr;
};

}  // namespace

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

    auto* attr = static_cast<HPDF_TTFontDefAttr>(entry.loaded->def->attr);
    HPDF_TTF_CmapRange used_only = attr->cmap;
    used_only.format = 4;
    used_only.seg_count_x2 = static_cast<HPDF_UINT16>(2 * (2 - skip));
    used_only.start_count = entry.starts + skip;
    used_only.end_count = entry.ends + skip;
    used_only.id_delta = entry.deltas + skip;
    used_only.id_range_offset = entry.offsets + skip;
    used_only.glyph_id_array = entry.glyph_array.data();
    used_only.glyph_id_array_count =
        static_cast<HPDF_UINT>(entry.glyph_array.empty() ? 0 : entry.glyph_array.size() - 1);
    entry.saved_cmap = attr->cmap;
    attr->cmap = used_only;
    entry.cmap_swapped = true;
    HPDF_Font font = nullptr;
    {
        UsedCodesEncoder encoder(doc_, codes);
        font = HPDF_GetFont(doc_.get(), entry.loaded->name.c_str(), "UTF-8");
    }
    doc_.check_handle(font, "create the font", pos);
    return font;
}

void FontSet::restore_cmap(Entry& entry) {
    if (!entry.cmap_swapped) return;
    static_cast<HPDF_TTFontDefAttr>(entry.loaded->def->attr)->cmap = entry.saved_cmap;
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
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a
    for (std::uint16_t g : glyphs) {
        hash = (hash ^ (g & 0xFFu)) * 1099511628211ull;
        hash = (hash ^ (g >> 8)) * 1099511628211ull;
    }
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
    HPDF_Doc pdf = doc_.get();
    HPDF_FontDef def = entry.loaded->def;
    auto* attr = static_cast<HPDF_TTFontDefAttr>(def->attr);
    std::string tag = subset_tag(subset.old_id);
    HPDF_TTFontDef_SetTagName(def, tag.data());

    auto failed = [&](HPDF_STATUS status) { doc_.check(status, "write the font's descriptor", pos); };
    HPDF_Dict descriptor = HPDF_Dict_New(pdf->mmgr);
    doc_.check_handle(descriptor, "write the font's descriptor", pos);
    failed(HPDF_Xref_Add(pdf->xref, descriptor));
    failed(HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor"));
    failed(HPDF_Dict_AddName(descriptor, "FontName", attr->base_font));
    failed(HPDF_Dict_AddNumber(descriptor, "Flags", static_cast<HPDF_INT32>(def->flags)));
    HPDF_Array box = HPDF_Box_Array_New(pdf->mmgr, def->font_bbox);
    doc_.check_handle(box, "write the font's descriptor", pos);
    failed(HPDF_Dict_Add(descriptor, "FontBBox", box));
    failed(HPDF_Dict_AddNumber(descriptor, "ItalicAngle", def->italic_angle));
    failed(HPDF_Dict_AddNumber(descriptor, "Ascent", def->ascent));
    failed(HPDF_Dict_AddNumber(descriptor, "Descent", def->descent));
    failed(HPDF_Dict_AddNumber(descriptor, "CapHeight", def->cap_height));
    failed(HPDF_Dict_AddNumber(descriptor, "XHeight", def->x_height));
    failed(HPDF_Dict_AddNumber(descriptor, "StemV", def->stemv));

    HPDF_Dict file = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    doc_.check_handle(file, "embed the font", pos);
    failed(HPDF_Stream_Write(file->stream, reinterpret_cast<const HPDF_BYTE*>(subset.program.data()),
                             static_cast<HPDF_UINT>(subset.program.size())));
    failed(HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(subset.program.size())));
    failed(HPDF_Dict_Add(descriptor, "FontFile2", file));

    // ISO 19005-1 6.3.5: a subset CIDFont's descriptor lists the CIDs its program holds in a
    // /CIDSet, a bit per CID, the high bit of the first byte for CID 0. The CIDs are the codes
    // (Identity-H), the glyph map sends each drawn to its glyph, and CID 0 to .notdef.
    HPDF_UINT16 last = entry.used.empty() ? 0 : entry.used.back();
    std::vector<HPDF_BYTE> bits(std::size_t{last} / 8 + 1, 0);
    bits[0] = 0x80;
    for (HPDF_UINT16 c : entry.used) bits[c / 8u] |= static_cast<HPDF_BYTE>(0x80u >> (c % 8u));
    HPDF_Dict cid_set = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    doc_.check_handle(cid_set, "write the font's CID set", pos);
    failed(HPDF_Stream_Write(cid_set->stream, bits.data(), static_cast<HPDF_UINT>(bits.size())));
    failed(HPDF_Dict_Add(descriptor, "CIDSet", cid_set));
    def->descriptor = descriptor;
}

void FontSet::write_glyph_map(const Entry& entry, const TrueTypeFile::Subset& subset) {
    // The codes are code points; the subset numbers its glyphs anew. The map stops after the
    // last code used: codes past its end map to glyph 0 (ISO 32000-1 9.7.4.2), and no content
    // stream of this document holds one.
    SourcePos pos{entry.loaded->program.path(), 0, 0};
    HPDF_Doc pdf = doc_.get();
    auto* attr = static_cast<HPDF_FontAttr>(entry.font->attr);
    HPDF_Font cid_font = attr->descendant_font;
    doc_.check_handle(cid_font, "write the font's glyph map", pos);
    HPDF_UINT16 last = entry.used.empty() ? 0 : entry.used.back();
    std::vector<HPDF_BYTE> bytes(2 * (static_cast<std::size_t>(last) + 1), 0);
    for (HPDF_UINT16 c : entry.used) {
        std::uint16_t gid = subset.new_id(entry.loaded->program.glyph(c));
        bytes[2 * std::size_t{c}] = static_cast<HPDF_BYTE>(gid >> 8);
        bytes[2 * std::size_t{c} + 1] = static_cast<HPDF_BYTE>(gid & 0xFF);
    }
    HPDF_Dict map = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    doc_.check_handle(map, "write the font's glyph map", pos);
    doc_.check(HPDF_Stream_Write(map->stream, bytes.data(), static_cast<HPDF_UINT>(bytes.size())),
               "write the font's glyph map", pos);
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
    doc_.check_handle(cmap->stream, "find the font's ToUnicode map", pos);
    doc_.check(cmap->stream->type == HPDF_STREAM_MEMORY ? HPDF_OK : HPDF_INVALID_STREAM,
               "rewrite the font's ToUnicode map", pos);
    std::vector<unsigned> blocks;
    for (HPDF_UINT16 c : entry.used)
        if (blocks.empty() || blocks.back() != c >> 8u) blocks.push_back(c >> 8u);
    HPDF_MemStream_FreeData(cmap->stream);
    std::string text = to_unicode_cmap(blocks);
    doc_.check(HPDF_Stream_Write(cmap->stream, reinterpret_cast<const HPDF_BYTE*>(text.data()),
                                 static_cast<HPDF_UINT>(text.size())),
               "rewrite the font's ToUnicode map", pos);

    // The stream dictionary still describes libharu's map: make it describe the one written.
    doc_.check(HPDF_Dict_AddName(cmap, "CMapName", "Adobe-Identity-UCS"), "describe the ToUnicode map", pos);
    HPDF_Dict info = HPDF_Dict_New(cmap->mmgr);
    doc_.check_handle(info, "describe the ToUnicode map", pos);
    doc_.check(HPDF_Dict_Add(cmap, "CIDSystemInfo", info), "describe the ToUnicode map", pos);
    doc_.check(HPDF_Dict_Add(info, "Registry", HPDF_String_New(cmap->mmgr, "Adobe", nullptr)),
               "describe the ToUnicode map", pos);
    doc_.check(HPDF_Dict_Add(info, "Ordering", HPDF_String_New(cmap->mmgr, "UCS", nullptr)),
               "describe the ToUnicode map", pos);
    doc_.check(HPDF_Dict_AddNumber(info, "Supplement", 0), "describe the ToUnicode map", pos);
    // Writing mode belongs to the font's encoding, not to a ToUnicode map.
    HPDF_Dict_RemoveElement(cmap, "WMode");
}

}  // namespace factsheet::pdf_detail
