// Private to the pdf stage: the document's TrueType fonts, embedded as subsets and drawn through
// libharu's UTF-8 route (Type0 fonts, Identity-H, two-byte codes equal to the code points).
#pragma once

#include <hpdf.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "layout/page.hpp"
#include "pdf/haru.hpp"

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

/// The ToUnicode CMap written for every font: each BMP code outside the surrogates maps to itself.
const std::string& identity_to_unicode_cmap();

/// The document's fonts, each file loaded once.
class FontSet {
public:
    /// Loads every font file; throws Error naming the file when one is missing or unusable.
    /// The UTF-8 encoder must already be enabled on `doc`.
    FontSet(HaruDocument& doc, const std::vector<FontFile>& files);

    /// How many fonts the document declares.
    std::size_t size() const { return entries_.size(); }

    /// The font file of an index, for messages.
    const std::string& path(std::size_t index) const { return entries_[index].path; }

    /// Throws Error naming the character (U+XXXX) and the font file unless every character of
    /// `text` has a glyph in font `index` (libharu would silently draw an empty box instead), and
    /// records the characters: call it for every text before the first call to font().
    void use_text(std::size_t index, std::string_view text, ItemRef where);

    /// The font to draw with. Created on first use, so a declared but unused font adds nothing
    /// to the file; its width and glyph tables list only the characters recorded by use_text(),
    /// and its ToUnicode map is replaced by a correct one.
    HPDF_Font font(std::size_t index);

private:
    struct Entry {
        std::size_t owner = 0;  // first entry naming the same font: it holds the font
        std::string path;
        std::string name;               // what libharu registered the font as
        HPDF_FontDef def = nullptr;     // glyph lookup
        HPDF_Font font = nullptr;       // the UTF-8 Type0 font, once created
        std::vector<HPDF_UINT16> used;  // code points drawn, repeats included, on the owner entry
    };

    HPDF_Font create_font(const Entry& entry);
    void replace_to_unicode(const Entry& entry);
    void shorten_cid_to_gid_map(const Entry& entry);

    HaruDocument& doc_;
    std::vector<Entry> entries_;
};

}  // namespace factsheet::pdf_detail
