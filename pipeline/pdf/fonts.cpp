#include "pdf/fonts.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "common/files.hpp"
#include "common/hash.hpp"
#include "common/packed.hpp"
#include "common/utf8.hpp"
#include "pdf/deflate.hpp"

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

std::unique_ptr<LoadedFont> load_font(const std::string& path, const std::string& cache_folder) {
    SourcePos pos{path, 0, 0};
    // The message says what the system said of a missing or unreadable file. Only a regular file
    // is mapped (the layout stage checked it too), so nothing can block or run forever. Mapped,
    // not read: a subset reads a few of its tables and glyphs, and a copy of the whole file was
    // 75 pages of new memory per font, each a page fault, for a cold build.
    constexpr std::size_t max_font_file_bytes = 64 * 1024 * 1024;
    MappedFile bytes(
        path, max_font_file_bytes, layout_file_errors(path, "the font", max_font_file_bytes, [&](int e) {
            std::string reason = std::strerror(e);
            if (!reason.empty())
                reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
            return Error(pos, "cannot open the font file (" + reason + "); install it or fix the path");
        }));
    TrueTypeFile program(path, std::move(bytes));
    std::string name = program.descriptor().base_font;
    if (name.empty())
        throw Error(
            pos,
            "the font's name table gives no PostScript name and subfamily (name IDs 6 and 2, at most 119 "
            "characters together), which a PDF font is named by; use another font file");
    // Entries name the font file and the program by identity (device, inode, size, modification
    // time): another file, or another build that might subset differently, makes its own.
    std::string kept_key;
    if (!cache_folder.empty()) {
        std::string font = file_identity(path), self = file_identity("/proc/self/exe");
        if (!font.empty() && !self.empty()) kept_key = "factsheet subset 1 program " + self + " font " + font;
    }
    return std::make_unique<LoadedFont>(std::move(program), std::move(name), cache_folder,
                                        std::move(kept_key));
}

namespace {

// The largest entry read: a subset of every glyph of a large font, its maps and its CIDSet.
constexpr std::size_t max_subset_entry_bytes = 64 * 1024 * 1024;

void put_bytes(std::string& out, std::string_view bytes) {
    put(out, static_cast<std::uint64_t>(bytes.size()));
    out.append(bytes);
}

bool get_bytes(PackedReader& in, std::string& bytes) {
    std::uint64_t size = 0;
    std::string_view taken;
    if (!in.get(size) || !in.take(static_cast<std::size_t>(size), taken)) return false;
    bytes.assign(taken);
    return true;
}

}  // namespace

std::string LoadedFont::entry_path(const std::vector<std::uint16_t>& used, int level,
                                   std::string& key) const {
    key = kept_key_ + " deflate " + std::to_string(level) + "\n";
    Fnv1a fnv;
    for (char c : key) fnv.add(static_cast<unsigned char>(c));
    for (std::uint16_t c : used) {
        fnv.add(static_cast<unsigned char>(c & 0xFFu));
        fnv.add(static_cast<unsigned char>(c >> 8));
    }
    char file[17];
    std::snprintf(file, sizeof file, "%016llx", static_cast<unsigned long long>(fnv.value()));
    return cache_folder_ + "/subsets/" + file;
}

// An entry: its key line, then the code points, the files and the program's size
// (write_checked_cache_entry adds their CRC-32).
std::optional<FontFiles> LoadedFont::read_kept(const std::vector<std::uint16_t>& used, int level) const {
    std::string key;
    const std::string path = entry_path(used, level, key);
    std::optional<CheckedEntry> entry = read_checked_cache_entry(path, key, max_subset_entry_bytes);
    if (!entry) return std::nullopt;
    PackedReader in(entry->body());
    std::vector<std::uint16_t> codes;
    FontFiles files;
    std::uint64_t program_bytes = 0;
    if (!in.get_array(codes) || codes != used || !get_bytes(in, files.base_font) ||
        !get_bytes(in, files.to_unicode) || !get_bytes(in, files.program) || !in.get(program_bytes) ||
        !get_bytes(in, files.cid_set) || !get_bytes(in, files.glyph_map) || !in.done())
        return std::nullopt;
    files.program_bytes = static_cast<std::size_t>(program_bytes);
    return files;
}

void LoadedFont::keep(const std::vector<std::uint16_t>& used, int level, const FontFiles& files) const {
    std::string key;
    const std::string path = entry_path(used, level, key);
    std::string body;
    put_array(body, used);
    put_bytes(body, files.base_font);
    put_bytes(body, files.to_unicode);
    put_bytes(body, files.program);
    put(body, static_cast<std::uint64_t>(files.program_bytes));
    put_bytes(body, files.cid_set);
    put_bytes(body, files.glyph_map);
    write_checked_cache_entry(path, key, body);
}

std::shared_ptr<const FontFiles> LoadedFont::files(const std::vector<std::uint16_t>& used, int level,
                                                   const std::function<FontFiles()>& make) const {
    auto made = [&] {
        const bool kept = !cache_folder_.empty() && !kept_key_.empty();
        std::optional<FontFiles> read = kept ? read_kept(used, level) : std::nullopt;
        FontFiles files = read ? std::move(*read) : make();
        if (kept && !read) keep(used, level, files);
        files.level = level;
        // Compressed into room for the worst case: kept, they give back what they do not use.
        for (std::string* bytes : {&files.to_unicode, &files.program, &files.cid_set, &files.glyph_map})
            bytes->shrink_to_fit();
        return std::make_shared<const FontFiles>(std::move(files));
    };
    auto bytes = [&used](const std::shared_ptr<const FontFiles>& files) {
        std::size_t n = sizeof(FontFiles) + used.size() * sizeof(std::uint16_t) + files->base_font.size();
        for (const std::string* kept :
             {&files->to_unicode, &files->program, &files->cid_set, &files->glyph_map})
            n += kept->size();
        return n;
    };
    return find_or_make(mutex_, files_, {level, used}, made, bytes);
}

std::int16_t pdf_width(const TrueTypeFile& font, std::uint16_t glyph) {
    if (glyph >= font.glyph_count()) glyph = 0;
    // libharu: (HPDF_UINT16)((HPDF_UINT)advance * 1000 / units_per_em), returned as HPDF_INT16.
    const auto scaled =
        static_cast<std::uint16_t>(std::uint32_t{font.advance(glyph)} * 1000u / font.units_per_em());
    return static_cast<std::int16_t>(scaled);
}

FontSet::FontSet(HaruDocument& doc, Deflater& deflater, std::vector<const LoadedFont*> fonts)
    : doc_(doc), deflater_(deflater) {
    entries_.resize(fonts.size());
    for (std::size_t i = 0; i < fonts.size(); ++i) {
        Entry& entry = entries_[i];
        entry.loaded = fonts[i];
        // Two files of the same font (the same PostScript name) share one font of the document,
        // as they did when libharu registered fonts by name.
        entry.owner = i;
        for (std::size_t j = 0; j < i; ++j)
            if (entries_[j].loaded->name == entry.loaded->name) {
                entry.owner = entries_[j].owner;
                break;
            }
    }
}

void FontSet::use_text(std::size_t index, std::string_view text, ItemRef item) {
    const Entry& entry = entries_[index];
    const TrueTypeFile& program = entry.loaded->program;
    // A bit per code point rather than a list to sort: a document draws some 16,000 characters
    // and sorting them was 2 % of a batch.
    std::vector<std::uint64_t>& drawn = entries_[entry.owner].drawn;
    if (drawn.empty()) drawn.resize(0x10000 / 64);
    auto where = [&] { return item.str(); };
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = 0;
        if (!utf8::next_strict(text, i, c))
            throw Error(render_pos(), where() + ": text is not valid UTF-8 at byte " + std::to_string(i) +
                                          "; the layout must hand over UTF-8");
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
        drawn[c / 64] |= std::uint64_t{1} << (c % 64);
    }
}

HPDF_Dict FontSet::font(std::size_t index) {
    Entry& entry = entries_[entries_[index].owner];
    if (!entry.font) entry.font = create_font(entry);
    return entry.font;
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

HPDF_Dict FontSet::create_font(Entry& entry) {
    // Every character was recorded before the first page is drawn (use_text()), so the subset,
    // its name and the ToUnicode map are known now; the objects are created in the order libharu
    // created them: the Type0 font, its ToUnicode stream, then the CIDFont.
    SourcePos pos{entry.loaded->program.path(), 0, 0};
    const TrueTypeFile& program = entry.loaded->program;
    for (std::size_t word = 0; word < entry.drawn.size(); ++word)
        for (std::uint64_t bits = entry.drawn[word]; bits != 0; bits &= bits - 1)
            entry.used.push_back(
                static_cast<std::uint16_t>(64 * word + static_cast<std::size_t>(std::countr_zero(bits))));
    entry.files = entry.loaded->files(entry.used, deflater_.level(), [&] { return make_files(entry); });

    constexpr std::string_view what = "create the font";
    auto failed = [&](HPDF_STATUS status) { doc_.check(status, what, pos); };
    auto cid_system_info = [&](const char* ordering) {
        HPDF_Dict info = doc_.new_dict(false, what, pos);
        failed(HPDF_Dict_Add(info, "Registry", doc_.new_ascii("Adobe", what, pos)));
        failed(HPDF_Dict_Add(info, "Ordering", doc_.new_ascii(ordering, what, pos)));
        failed(HPDF_Dict_AddNumber(info, "Supplement", 0));
        return info;
    };

    HPDF_Dict font = doc_.new_dict(true, what, pos);
    failed(HPDF_Dict_AddName(font, "Type", "Font"));
    failed(HPDF_Dict_AddName(font, "BaseFont", entry.files->base_font.c_str()));
    failed(HPDF_Dict_AddName(font, "Subtype", "Type0"));
    failed(HPDF_Dict_AddName(font, "Encoding", "Identity-H"));

    HPDF_Dict to_unicode = doc_.new_deflated_stream(entry.files->to_unicode, what, pos);
    failed(HPDF_Dict_AddName(to_unicode, "Type", "CMap"));
    failed(HPDF_Dict_AddName(to_unicode, "CMapName", "Adobe-Identity-UCS"));
    failed(HPDF_Dict_Add(to_unicode, "CIDSystemInfo", cid_system_info("UCS")));
    failed(HPDF_Dict_Add(font, "ToUnicode", to_unicode));
    HPDF_Array descendants = doc_.new_array(what, pos);
    failed(HPDF_Dict_Add(font, "DescendantFonts", descendants));

    const TrueTypeFile::Descriptor& d = program.descriptor();
    const std::int16_t missing = pdf_width(program, 0);
    HPDF_Dict cid = doc_.new_dict(true, what, pos);
    failed(HPDF_Dict_AddName(cid, "Type", "Font"));
    failed(HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2"));
    failed(HPDF_Dict_AddNumber(cid, "DW", missing));
    HPDF_Array dw2 = doc_.new_array(what, pos);
    failed(HPDF_Dict_Add(cid, "DW2", dw2));
    failed(HPDF_Array_AddNumber(dw2, d.bbox[1]));
    failed(HPDF_Array_AddNumber(dw2, d.bbox[1] - d.bbox[3]));
    // Widths (ISO 32000-1 9.7.4.3) in runs of consecutive codes, "c [w1 w2 ...]"; a code whose
    // width is the default one (DW) is left out and ends its run.
    HPDF_Array widths = doc_.new_array(what, pos);
    failed(HPDF_Dict_Add(cid, "W", widths));
    HPDF_Array run = nullptr;
    int previous = -2;
    for (std::uint16_t c : entry.used) {
        const std::int16_t w = pdf_width(program, program.glyph(c));
        if (w == missing) {
            run = nullptr;
            continue;
        }
        if (!run || c != previous + 1) {
            failed(HPDF_Array_AddNumber(widths, c));
            run = doc_.new_array(what, pos);
            failed(HPDF_Array_Add(widths, run));
        }
        failed(HPDF_Array_AddNumber(run, w));
        previous = c;
    }
    failed(HPDF_Dict_Add(cid, "CIDSystemInfo", cid_system_info("Identity-H")));
    failed(HPDF_Array_Add(descendants, cid));
    entry.cid_font = cid;
    return font;
}

void FontSet::embed() {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const Entry& entry = entries_[i];
        if (entry.owner != i || !entry.font) continue;
        HPDF_Dict descriptor = embed_program(entry);
        write_glyph_map(entry);
        SourcePos pos{entry.loaded->program.path(), 0, 0};
        constexpr std::string_view what = "write the font";
        doc_.check(HPDF_Dict_AddName(entry.cid_font, "BaseFont", entry.files->base_font.c_str()), what, pos);
        doc_.check(HPDF_Dict_Add(entry.cid_font, "FontDescriptor", descriptor), what, pos);
    }
}

HPDF_Dict FontSet::embed_program(const Entry& entry) {
    // The descriptor carries the subset and CapHeight, which ISO 32000-1 Table 122 requires.
    SourcePos pos{entry.loaded->program.path(), 0, 0};
    const TrueTypeFile::Descriptor& d = entry.loaded->program.descriptor();

    constexpr std::string_view what = "write the font's descriptor";
    auto failed = [&](HPDF_STATUS status) { doc_.check(status, what, pos); };
    HPDF_Dict descriptor = doc_.new_dict(true, what, pos);
    failed(HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor"));
    failed(HPDF_Dict_AddName(descriptor, "FontName", entry.files->base_font.c_str()));
    failed(HPDF_Dict_AddNumber(descriptor, "Flags", d.flags));
    HPDF_Array box = doc_.new_array(what, pos);
    for (std::int32_t v : d.bbox) failed(HPDF_Array_AddReal(box, static_cast<HPDF_REAL>(v)));
    failed(HPDF_Dict_Add(descriptor, "FontBBox", box));
    // 0 whatever the font, as libharu wrote it (the layouts' fonts are upright).
    failed(HPDF_Dict_AddNumber(descriptor, "ItalicAngle", 0));
    failed(HPDF_Dict_AddNumber(descriptor, "Ascent", d.ascent));
    failed(HPDF_Dict_AddNumber(descriptor, "Descent", d.descent));
    failed(HPDF_Dict_AddNumber(descriptor, "CapHeight", d.cap_height));
    failed(HPDF_Dict_AddNumber(descriptor, "XHeight", d.x_height));
    // StemV is required; its value is a hint that TrueType fonts do not give (libharu wrote 0).
    failed(HPDF_Dict_AddNumber(descriptor, "StemV", 0));

    HPDF_Dict file = doc_.new_deflated_stream(entry.files->program, "embed the font", pos);
    failed(HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(entry.files->program_bytes)));
    failed(HPDF_Dict_Add(descriptor, "FontFile2", file));
    HPDF_Dict cid_set = doc_.new_deflated_stream(entry.files->cid_set, "write the font's CID set", pos);
    failed(HPDF_Dict_Add(descriptor, "CIDSet", cid_set));
    return descriptor;
}

void FontSet::write_glyph_map(const Entry& entry) {
    SourcePos pos{entry.loaded->program.path(), 0, 0};
    HPDF_Dict map = doc_.new_deflated_stream(entry.files->glyph_map, "write the font's glyph map", pos);
    doc_.check(HPDF_Dict_Add(entry.cid_font, "CIDToGIDMap", map), "write the font's glyph map", pos);
}

FontFiles FontSet::make_files(const Entry& entry) const {
    const TrueTypeFile& program = entry.loaded->program;
    FontFiles files;
    std::vector<std::uint16_t> glyphs;
    glyphs.reserve(entry.used.size());
    for (std::uint16_t c : entry.used) glyphs.push_back(program.glyph(c));
    TrueTypeFile::Subset subset = program.subset(glyphs);
    files.base_font = subset_tag(subset.old_id) + "+" + entry.loaded->name;

    // The codes in content streams are the BMP code points themselves (two bytes, Identity-H),
    // so the ToUnicode map is the identity, written for the 256-code blocks the document draws.
    std::vector<unsigned> blocks;
    for (std::uint16_t c : entry.used)
        if (blocks.empty() || blocks.back() != c >> 8u) blocks.push_back(c >> 8u);
    files.to_unicode = deflater_.compress(to_unicode_cmap(blocks));

    files.program = deflater_.compress(subset.program);
    files.program_bytes = subset.program.size();

    // ISO 19005-1 6.3.5: a subset CIDFont's descriptor lists the CIDs its program holds in a
    // /CIDSet, a bit per CID, the high bit of the first byte for CID 0. The CIDs are the codes
    // (Identity-H), the glyph map sends each drawn to its glyph, and CID 0 to .notdef.
    std::uint16_t last = entry.used.empty() ? 0 : entry.used.back();
    std::string bits(std::size_t{last} / 8 + 1, '\0');
    bits[0] = '\x80';
    for (std::uint16_t c : entry.used)
        bits[c / 8u] = static_cast<char>(static_cast<unsigned char>(bits[c / 8u]) | (0x80u >> (c % 8u)));
    files.cid_set = deflater_.compress(bits);

    // The codes are code points; the subset numbers its glyphs anew. The map stops after the
    // last code used: codes past its end map to glyph 0 (ISO 32000-1 9.7.4.2), and no content
    // stream of this document holds one.
    std::string bytes(2 * (static_cast<std::size_t>(last) + 1), '\0');
    for (std::uint16_t c : entry.used) {
        std::uint16_t gid = subset.new_id(program.glyph(c));
        bytes[2 * std::size_t{c}] = static_cast<char>(gid >> 8);
        bytes[2 * std::size_t{c} + 1] = static_cast<char>(gid & 0xFF);
    }
    files.glyph_map = deflater_.compress(bytes);
    return files;
}

}  // namespace factsheet::pdf_detail
