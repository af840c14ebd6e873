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

// UTF-16 surrogates are not characters: no code in this range can reach a content stream.
constexpr unsigned kFirstSurrogateBlock = 0xD8, kLastSurrogateBlock = 0xDF;

std::string build_identity_cmap() {
    // One range per high byte, because a bfrange may only vary the last byte of its codes.
    std::vector<unsigned> blocks;
    for (unsigned hi = 0; hi <= 0xFF; ++hi)
        if (hi < kFirstSurrogateBlock || hi > kLastSurrogateBlock) blocks.push_back(hi);

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

const std::string& identity_to_unicode_cmap() {
    static const std::string cmap = build_identity_cmap();
    return cmap;
}

FontSet::FontSet(HaruDocument& doc, const std::vector<FontFile>& files) : doc_(doc) {
    entries_.reserve(files.size());
    for (const FontFile& file : files) {
        SourcePos pos{file.path, 0, 0};
        // libharu reports a missing file only as a number: say what the system said instead.
        if (std::FILE* f = std::fopen(file.path.c_str(), "rb")) {
            std::fclose(f);
        } else {
            std::string reason = std::strerror(errno);
            if (!reason.empty())
                reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
            throw Error(pos, "cannot open the font file (" + reason + "); install it or fix the path");
        }
        const char* name = HPDF_LoadTTFontFromFile(doc_.get(), file.path.c_str(), HPDF_TRUE);
        doc_.check_handle(name, "load the TrueType font (only .ttf files can be embedded)", pos);
        Entry entry;
        entry.path = file.path;
        entry.name = name;
        entry.def = HPDF_GetFontDef(doc_.get(), name);
        doc_.check_handle(entry.def, "find the loaded font", pos);
        // libharu registers a font once per name: a second file of the same font shares it.
        entry.owner = entries_.size();
        for (std::size_t i = 0; i < entries_.size(); ++i)
            if (entries_[i].name == entry.name) entry.owner = entries_[i].owner;
        entries_.push_back(std::move(entry));
    }
}

void FontSet::use_text(std::size_t index, std::string_view text, ItemRef item) {
    const Entry& entry = entries_[index];
    std::vector<HPDF_UINT16>& used = entries_[entry.owner].used;
    DecodedText decoded = decode_utf8(text);
    auto where = [&] { return item.str(); };
    if (!decoded.ok())
        throw Error(render_pos(), where() + ": text is not valid UTF-8 at byte " +
                                      std::to_string(decoded.bad_offset) +
                                      "; the layout must hand over UTF-8");
    for (char32_t c : decoded.code_points) {
        SourcePos pos{entry.path, 0, 0};
        if (c > 0xFFFF)
            throw Error(pos, where() + ": character " + utf8::code_point_name(c) + " in " + quote(text) +
                                 " is beyond U+FFFF, which the pdf writer cannot draw; remove it");
        if (c < 0x20 || (c >= 0x7F && c < 0xA0))
            throw Error(pos, where() + ": control character " + utf8::code_point_name(c) + " in " +
                                 quote(text) + " cannot be drawn; remove it");
        if (HPDF_TTFontDef_GetGlyphid(entry.def, static_cast<HPDF_UINT16>(c)) == 0)
            throw Error(pos, where() + ": the font has no glyph for " + utf8::code_point_name(c) + " in " +
                                 quote(text) + "; use a font that has it or remove the character");
        used.push_back(static_cast<HPDF_UINT16>(c));
    }
}

HPDF_Font FontSet::font(std::size_t index) {
    Entry& entry = entries_[entries_[index].owner];
    if (!entry.font) {
        SourcePos pos{entry.path, 0, 0};
        entry.font = create_font(entry);
        replace_to_unicode(entry);
        shorten_cid_to_gid_map(entry);
    }
    return entry.font;
}

namespace {

// Puts a font definition's cmap back when it goes out of scope, whatever happened meanwhile.
class CmapSwap {
public:
    CmapSwap(HPDF_TTF_CmapRange& cmap, const HPDF_TTF_CmapRange& replacement) : cmap_(cmap), saved_(cmap) {
        cmap_ = replacement;
    }
    ~CmapSwap() { cmap_ = saved_; }
    CmapSwap(const CmapSwap&) = delete;
    CmapSwap& operator=(const CmapSwap&) = delete;

private:
    HPDF_TTF_CmapRange& cmap_;
    HPDF_TTF_CmapRange saved_;
};

}  // namespace

HPDF_Font FontSet::create_font(const Entry& entry) {
    // Creating a UTF-8 font, libharu looks up all 65,536 BMP code points in the font's cmap (a
    // linear scan of its segments each time: ~5 ms for Roboto) and writes a width for every one
    // the font covers (~11 KB per font, uncompressed). Only the characters the document draws
    // matter, so for that one call the font definition gets a cmap (format 4, ISO/IEC 14496-22
    // 5.2.1.3.4) that maps just those, with the glyphs of the real one. The real cmap is back
    // before anything else reads it: glyph checks, text widths and the embedded subset use it.
    SourcePos pos{entry.path, 0, 0};
    auto* attr = static_cast<HPDF_TTFontDefAttr>(entry.def->attr);
    std::vector<HPDF_UINT16> codes = entry.used;
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    // One segment from the first to the last code used, its glyphs read from a glyph array
    // (idRangeOffset), then the closing U+FFFF segment that libharu's lookup relies on to stop.
    // libharu scans segments linearly for each of the 65,536 codes: two segments make that scan
    // cheap, where a segment per run of codes cost ~1 ms per font.
    std::vector<HPDF_UINT16> glyphs;
    HPDF_UINT16 first = codes.empty() ? 0 : codes.front();
    HPDF_UINT16 last = codes.empty() ? 0 : codes.back();
    if (!codes.empty()) {
        glyphs.assign(static_cast<std::size_t>(last - first) + 2, 0);  // one spare: libharu tests idx > count
        for (HPDF_UINT16 c : codes) glyphs[c - first] = HPDF_TTFontDef_GetGlyphid(entry.def, c);
    }
    HPDF_UINT16 starts[] = {first, 0xFFFF}, ends[] = {last, 0xFFFF};
    HPDF_INT16 deltas[] = {0, 1};
    // idx = offset / 2 + (code - start) - (segments - i): with 2 segments and i = 0, offset 4
    // makes idx = code - first.
    HPDF_UINT16 offsets[] = {static_cast<HPDF_UINT16>(codes.empty() ? 0 : 4), 0};
    std::size_t segments = codes.empty() ? 1 : 2;

    HPDF_TTF_CmapRange used_only = attr->cmap;
    used_only.format = 4;
    used_only.seg_count_x2 = static_cast<HPDF_UINT16>(2 * segments);
    used_only.start_count = codes.empty() ? starts + 1 : starts;
    used_only.end_count = codes.empty() ? ends + 1 : ends;
    used_only.id_delta = codes.empty() ? deltas + 1 : deltas;
    used_only.id_range_offset = codes.empty() ? offsets + 1 : offsets;
    used_only.glyph_id_array = glyphs.data();
    used_only.glyph_id_array_count = static_cast<HPDF_UINT>(glyphs.empty() ? 0 : glyphs.size() - 1);
    HPDF_Font font = nullptr;
    {
        CmapSwap swap(attr->cmap, used_only);
        font = HPDF_GetFont(doc_.get(), entry.name.c_str(), "UTF-8");
    }
    doc_.check_handle(font, "create the font", pos);
    return font;
}

void FontSet::shorten_cid_to_gid_map(const Entry& entry) {
    // libharu writes a CIDToGIDMap of all 65,536 codes (128 KB per font, nearly all zeros), which
    // then costs ~0.5 ms of compression per font and document. A map may stop after the last code
    // used: codes past its end map to glyph 0 (ISO 32000-1 9.7.4.2), and no content stream of this
    // document holds one. So it is rewritten with the codes this document draws.
    SourcePos pos{entry.path, 0, 0};
    auto* attr = static_cast<HPDF_FontAttr>(entry.font->attr);
    HPDF_Font cid_font = attr->descendant_font;
    doc_.check_handle(cid_font, "find the font's glyph map", pos);
    auto* map = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(cid_font, "CIDToGIDMap", HPDF_OCLASS_DICT));
    doc_.check_handle(map, "find the font's glyph map", pos);
    doc_.check(map->stream && map->stream->type == HPDF_STREAM_MEMORY ? HPDF_OK : HPDF_INVALID_STREAM,
               "rewrite the font's glyph map", pos);
    HPDF_UINT16 last = 0;
    for (HPDF_UINT16 c : entry.used) last = std::max(last, c);
    std::vector<HPDF_BYTE> bytes(2 * (static_cast<std::size_t>(last) + 1), 0);
    for (HPDF_UINT16 c : entry.used) {
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(entry.def, c);
        bytes[2 * std::size_t{c}] = static_cast<HPDF_BYTE>(gid >> 8);
        bytes[2 * std::size_t{c} + 1] = static_cast<HPDF_BYTE>(gid & 0xFF);
    }
    HPDF_MemStream_FreeData(map->stream);
    doc_.check(HPDF_Stream_Write(map->stream, bytes.data(), static_cast<HPDF_UINT>(bytes.size())),
               "rewrite the font's glyph map", pos);
}

void FontSet::replace_to_unicode(const Entry& entry) {
    // libharu 2.3.0 writes a CMap for the UTF-8 route that is not a valid ToUnicode map (its
    // ranges are "begincidrange" entries), so text extraction fails. The codes it writes into
    // content streams are the BMP code points themselves (two bytes, Identity-H), so the correct
    // map is the identity. It is written in full rather than for the characters used: every code
    // a content stream can hold is a code point, the map is the same for every document (built
    // once), and it compresses to a few hundred bytes.
    SourcePos pos{entry.path, 0, 0};
    auto* cmap = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(entry.font, "ToUnicode", HPDF_OCLASS_DICT));
    doc_.check_handle(cmap, "find the font's ToUnicode map", pos);
    doc_.check_handle(cmap->stream, "find the font's ToUnicode map", pos);
    doc_.check(cmap->stream->type == HPDF_STREAM_MEMORY ? HPDF_OK : HPDF_INVALID_STREAM,
               "rewrite the font's ToUnicode map", pos);
    HPDF_MemStream_FreeData(cmap->stream);
    const std::string& text = identity_to_unicode_cmap();
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
