// Private to the pdf stage: the document's TrueType fonts, drawn through libharu's UTF-8 route
// (Type0 fonts, Identity-H, two-byte codes equal to the code points) and embedded as subsets this
// stage writes itself (pdf/truetype.hpp).
#pragma once

#include <hpdf.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "layout/page.hpp"
#include "pdf/haru.hpp"
#include "pdf/truetype.hpp"

namespace factsheet::pdf_detail {

/// The code points of a UTF-8 text, or where it stops being valid UTF-8.
struct DecodedText {
    std::vector<char32_t> code_points;
    std::size_t bad_offset = std::string_view::npos;  // byte offset of the first malformed sequence
    bool ok() const { return bad_offset == std::string_view::npos; }
};

/// Decodes strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
DecodedText decode_utf8(std::string_view text);

/// An item of the document, for messages: "page 2, item 5" (both count from 1).
struct ItemRef {
    std::size_t page = 0;  // index into PagedDocument::pages
    std::size_t item = 0;  // index into Page::items
    std::string str() const;
};

/// A ToUnicode CMap mapping each code of the given 256-code blocks (by high byte, in increasing
/// order, no surrogate block) to itself: the codes a content stream holds are the code points.
std::string to_unicode_cmap(const std::vector<unsigned>& blocks);

/// A font file loaded once for a document writer and kept between its documents: the program in
/// memory, and libharu's definition of it (which outlives libharu's documents, HPDF_NewDoc).
struct LoadedFont {
    TrueTypeFile program;
    std::string name;            // what libharu registered the font as
    HPDF_FontDef def = nullptr;  // owned by libharu's document handle
};

/// Loads a font file into `doc` (whose UTF-8 encoder must be enabled); throws Error naming the file
/// when it is missing or unusable.
std::unique_ptr<LoadedFont> load_font(HaruDocument& doc, const std::string& path);

/// The fonts of one document. Puts every font definition back as it found it when destroyed.
class FontSet {
public:
    /// `fonts[i]` is the document's font i, loaded in the same libharu handle.
    FontSet(HaruDocument& doc, std::vector<const LoadedFont*> fonts);
    ~FontSet();
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    /// How many fonts the document declares.
    std::size_t size() const { return entries_.size(); }

    /// Throws Error naming the character (U+XXXX) and the font file unless every character of
    /// `text` has a glyph in font `index` (libharu would silently draw an empty box instead), and
    /// records the characters: call it for every text before the first call to font().
    void use_text(std::size_t index, std::string_view text, ItemRef where);

    /// The font to draw with. Created on first use, so a declared but unused font adds nothing
    /// to the file; its width table lists only the characters recorded by use_text().
    HPDF_Font font(std::size_t index);

    /// After the last page is drawn: writes each created font's subset, descriptor, glyph map and
    /// ToUnicode map into the document.
    void embed();

private:
    struct Entry {
        std::size_t owner = 0;  // first entry naming the same font: it holds the font
        const LoadedFont* loaded = nullptr;
        HPDF_Font font = nullptr;       // the UTF-8 Type0 font, once created
        std::vector<HPDF_UINT16> used;  // code points drawn, sorted and unique once the font exists
        // While the font exists, libharu's definition reads this cmap, which maps only the code
        // points used (see create_font()); the font's own is put back by the destructor.
        std::vector<HPDF_UINT16> glyph_array;
        HPDF_UINT16 starts[2] = {}, ends[2] = {}, offsets[2] = {};
        HPDF_INT16 deltas[2] = {};
        bool cmap_swapped = false;
        HPDF_TTF_CmapRange saved_cmap{};
    };

    HPDF_Font create_font(Entry& entry);
    void restore_cmap(Entry& entry);
    void embed_program(const Entry& entry, const TrueTypeFile::Subset& subset);
    void write_glyph_map(const Entry& entry, const TrueTypeFile::Subset& subset);
    void replace_to_unicode(const Entry& entry);

    HaruDocument& doc_;
    std::vector<Entry> entries_;
};

}  // namespace factsheet::pdf_detail
