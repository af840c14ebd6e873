// Private to the pdf stage: the document's TrueType fonts, as Type0 fonts (Identity-H, two-byte
// codes equal to the code points) whose dictionaries and embedded subsets (pdf/truetype.hpp) this
// stage writes itself.
#pragma once

#include <hpdf.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/lru_cache.hpp"
#include "layout/page.hpp"
#include "pdf/haru.hpp"
#include "pdf/truetype.hpp"

namespace factsheet::pdf_detail {

/// An item of the document, for messages: "page 2, item 5" (both count from 1).
struct ItemRef {
    std::size_t page = 0;  // index into PagedDocument::pages
    std::size_t item = 0;  // index into Page::items
    std::string str() const;
};

/// A ToUnicode CMap mapping each code of the given 256-code blocks (by high byte, in increasing
/// order, no surrogate block) to itself: the codes a content stream holds are the code points.
std::string to_unicode_cmap(const std::vector<unsigned>& blocks);

/// The streams a document's font writes for the characters it draws, compressed: the same for
/// every document that draws the same characters in the same font.
struct FontFiles {
    int level = 0;           // the compression level they were compressed at (set by LoadedFont::files)
    std::string base_font;   // the subset's name: tag + "+" + PostScript name
    std::string to_unicode;  // the ToUnicode CMap
    std::string program;     // the subset (FontFile2)
    std::size_t program_bytes = 0;  // its size uncompressed (/Length1)
    std::string cid_set;            // the CIDSet
    std::string glyph_map;          // the CIDToGIDMap
};

/// A font file loaded once for a document writer and kept between its documents, with the
/// streams its last documents wrote: a batch's documents draw much the same characters, and
/// subsetting and compressing them again was a tenth of a factsheet's instructions (callgrind).
/// They are kept in the cache folder too (its "subsets" folder), for the next process that draws
/// the same characters in the same font: a single build then reads two entries of some 10 KB
/// instead of making them (0.35 to 0.5 ms for the two fonts of a cold build).
struct LoadedFont {
    /// `kept_key` names the font file and the program in the entries of `cache_folder`; either
    /// empty: none are read or written.
    LoadedFont(TrueTypeFile p, std::string n, std::string cache_folder = {}, std::string kept_key = {})
        : program(std::move(p)),
          name(std::move(n)),
          cache_folder_(std::move(cache_folder)),
          kept_key_(std::move(kept_key)) {}

    TrueTypeFile program;
    std::string name;  // its /BaseFont without a subset tag (TrueTypeFile::Descriptor::base_font)

    /// The files for the code points `used` (in increasing order) at compression level `level`,
    /// made by `make` when none is kept, in memory or in the cache folder. Thread-safe.
    std::shared_ptr<const FontFiles> files(const std::vector<std::uint16_t>& used, int level,
                                           const std::function<FontFiles()>& make) const;

private:
    // The path of the entry of `used` at `level` in the cache folder, and its first line.
    std::string entry_path(const std::vector<std::uint16_t>& used, int level, std::string& key) const;
    std::optional<FontFiles> read_kept(const std::vector<std::uint16_t>& used, int level) const;
    void keep(const std::vector<std::uint16_t>& used, int level, const FontFiles& files) const;

    std::string cache_folder_;
    std::string kept_key_;
    mutable std::mutex mutex_;
    // By the compression level and the code points drawn; some 5 KB each, 2 MiB at most (a font
    // of thousands of glyphs drawn).
    mutable LruCache<std::pair<int, std::vector<std::uint16_t>>, std::shared_ptr<const FontFiles>> files_{
        64, 2 << 20};
};

/// Loads a font file, whose streams are kept in `cache_folder` (empty: in memory only); throws
/// Error naming the file when it is missing or unusable.
std::unique_ptr<LoadedFont> load_font(const std::string& path, const std::string& cache_folder);

/// A glyph's width in the font's PDF dictionaries, in thousandths of an em: the advance width
/// scaled and truncated to 16 bits as libharu's width tables have it (HPDF_TTFontDef_GetGidWidth),
/// so that the dictionaries this stage writes match those libharu wrote before it. A glyph the
/// font does not have gets the width of glyph 0, the font's missing width (/DW).
std::int16_t pdf_width(const TrueTypeFile& font, std::uint16_t glyph);

/// The fonts of one document, written as Type0 fonts (Identity-H: two-byte codes equal to the
/// code points) over CIDFontType2 descendants (ISO 32000-1 9.7), with embedded subsets. libharu's
/// own Type0 font (HPDF_GetFont) walked all 65,536 codes of its encoder and cleared a 128 KB table
/// for each font of each document, a tenth of a batch's time; these dictionaries are written
/// through libharu's object calls instead, with the same keys, values and object numbers.
class FontSet {
public:
    /// `fonts[i]` is the document's font i. The streams this writes (subsets, maps) are
    /// compressed by `deflater` as they are made: written raw into libharu's streams and read
    /// back to be compressed, their 47 KB per factsheet were copied twice a byte at a time.
    FontSet(HaruDocument& doc, Deflater& deflater, std::vector<const LoadedFont*> fonts);
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    /// How many fonts the document declares.
    std::size_t size() const { return entries_.size(); }

    /// Throws Error naming the character (U+XXXX) and the font file unless every character of
    /// `text` has a glyph in font `index`, and records the characters: call it for every text
    /// before the first call to font().
    void use_text(std::size_t index, std::string_view text, ItemRef where);

    /// The font to draw with: its Type0 font dictionary, which a page lists in its resources.
    /// Created on first use, so a declared but unused font adds nothing to the file; its width
    /// table lists only the characters recorded by use_text().
    HPDF_Dict font(std::size_t index);

    /// After the last page is drawn: writes each created font's subset, descriptor and glyph map
    /// into the document.
    void embed();

private:
    struct Entry {
        std::size_t owner = 0;  // first entry naming the same font: it holds the font
        const LoadedFont* loaded = nullptr;
        std::vector<std::uint64_t> drawn;        // a bit per BMP code point drawn, once one is recorded
        std::vector<std::uint16_t> used;         // the code points drawn, in order, once the font exists
        HPDF_Dict font = nullptr;                // the Type0 font, once created
        HPDF_Dict cid_font = nullptr;            // its descendant
        std::shared_ptr<const FontFiles> files;  // its streams, once the font exists
    };

    FontFiles make_files(const Entry& entry) const;

    HPDF_Dict create_font(Entry& entry);
    HPDF_Dict embed_program(const Entry& entry);
    void write_glyph_map(const Entry& entry);

    HaruDocument& doc_;
    Deflater& deflater_;
    std::vector<Entry> entries_;
};

}  // namespace factsheet::pdf_detail
