// Private to the pdf stage: reads a TrueType font file and writes the subsets embedded in a PDF.
// libharu embeds a font with its full hmtx, loca and cmap tables (26 KB of Roboto's 39 KB subset)
// and reads the file again for every glyph it draws; this writes only what a CIDFontType2 needs.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/files.hpp"

namespace factsheet::pdf_detail {

/// A TrueType font program (one .ttf file, not a collection), parsed once and kept in memory.
class TrueTypeFile {
public:
    /// Parses the font file's bytes. Throws Error at {path, 0, 0} naming what is wrong (not a
    /// TrueType font, a missing table, a table running past the end of the file) and what to do.
    TrueTypeFile(std::string path, std::string bytes);
    /// The same, for a font file mapped into memory (kept mapped as long as this object lives).
    TrueTypeFile(std::string path, MappedFile file);

    /// The file the font came from, for messages.
    const std::string& path() const { return path_; }

    /// How many glyphs the font has (maxp.numGlyphs).
    std::uint16_t glyph_count() const { return glyph_count_; }

    /// The font's design units per em (head.unitsPerEm), never 0.
    std::uint16_t units_per_em() const { return units_per_em_; }

    /// The advance width of glyph `id` in design units (hmtx: the glyphs past numberOfHMetrics
    /// share the last advance); 0 for an id past glyph_count().
    std::uint16_t advance(std::uint16_t id) const;

    /// What a PDF font descriptor (ISO 32000-1 9.8) and a font's /BaseFont say of the font, in
    /// thousandths of an em, derived as libharu 2.3.0 derived them when it read fonts for this
    /// stage (so that the documents kept their bytes): each value scaled and truncated toward
    /// zero; the cap and x heights are the tops of "H" and "x"; no italic angle or stem width.
    struct Descriptor {
        /// The PostScript name (name ID 6), with ",Subfamily" after it unless the subfamily
        /// (name ID 2) is Regular, cut at its first space ("Roboto-Bold,Bold"); empty when the
        /// name table gives neither or they are longer than 119 characters together.
        std::string base_font;
        std::int32_t flags = 0;                // ISO 32000-1 Table 123
        std::array<std::int32_t, 4> bbox{};    // head: xMin, yMin, xMax, yMax
        std::int32_t ascent = 0, descent = 0;  // hhea
        std::int32_t cap_height = 0, x_height = 0;
    };
    const Descriptor& descriptor() const { return descriptor_; }

    /// The glyph of a BMP code point in the font's Unicode cmap (format 4 or 12), 0 when the font
    /// has none. A table lookup: it runs for every character drawn.
    std::uint16_t glyph(char16_t code) const { return glyph_blocks_[block_of_[code >> 8]][code & 0xFF]; }

    /// A font program for embedding: glyph 0, `glyphs` and every component of the composite ones
    /// among them, renumbered from 0 in increasing order of their ids in this font.
    struct Subset {
        std::string program;                // the TrueType file to embed (FontFile2)
        std::vector<std::uint16_t> old_id;  // old_id[new id] = the glyph's id in this font
        /// The new id of a glyph of this font that the subset holds, 0 for any other.
        std::uint16_t new_id(std::uint16_t old) const;
    };

    /// Writes the subset: tables glyf, loca, head, hhea, hmtx, maxp and, when the font has them,
    /// cvt, fpgm and prep (those ISO 32000-1 9.9 asks of a CIDFontType2 program), with correct
    /// checksums. Glyph outlines and instructions are copied unchanged, except the component ids
    /// of composite glyphs, which are renumbered. Ids past glyph_count() are ignored.
    Subset subset(std::span<const std::uint16_t> glyphs) const;

private:
    struct Table {
        std::uint32_t offset = 0;
        std::uint32_t length = 0;
    };

    /// Throws Error at {path_, 0, 0} with `message`.
    [[noreturn]] void fail(const std::string& message) const;
    /// The bytes of glyph `id` in glyf, as loca gives them (empty when loca says nothing sensible).
    std::string_view glyph_bytes(std::uint16_t id) const;
    /// Fills the glyph blocks from the best Unicode subtable of the cmap table.
    void read_cmap(Table cmap);
    /// Maps BMP code point `code` to glyph `g` (not 0), making its block when it has none yet.
    void set_glyph(std::uint32_t code, std::uint16_t g);
    /// Fills descriptor_ from head, hhea, OS/2, name and the glyphs of "H" and "x".
    void read_descriptor(Table os2, Table name);

    /// Parses bytes_, which owner_ keeps.
    void parse();

    std::string path_;
    std::shared_ptr<const void> owner_;  // the bytes' storage: a string or a mapping, never moved
    std::string_view bytes_;
    std::uint16_t glyph_count_ = 0;
    // BMP code point -> glyph, by blocks of 256 codes: block_of_[code >> 8] is the block's place in
    // glyph_blocks_, whose first block, all zeros, stands for every block the cmap maps nothing in.
    // Roboto maps codes in 29 of the 256 blocks; one table of 65,536 glyphs was 128 KB of new
    // memory per font to fill, each of its pages a page fault.
    std::array<std::uint16_t, 256> block_of_{};
    std::vector<std::array<std::uint16_t, 256>> glyph_blocks_;
    // Filled by the constructor; the implementation decides what else it keeps.
    Table glyf_, loca_, head_, hhea_, hmtx_, maxp_, cvt_, fpgm_, prep_;
    bool long_loca_ = false;
    std::uint16_t metric_count_ = 0;  // hhea.numberOfHMetrics
    std::uint16_t units_per_em_ = 0;
    Descriptor descriptor_;
};

}  // namespace factsheet::pdf_detail
