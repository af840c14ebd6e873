// Font metrics for measuring text. The layout engine measures with these; the PDF stage embeds the
// same files, so what is measured is what is drawn.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/files.hpp"
#include "layout/kerning.hpp"
#include "layout/page.hpp"

namespace factsheet {

/// What the layout engine needs to know of a font. Units: 1/1000 em, as PDF width arrays.
class FontMetrics {
public:
    virtual ~FontMetrics() = default;
    /// The font file (empty for fonts that exist only in tests).
    virtual const std::string& path() const = 0;
    /// Whether the font has a glyph for the code point.
    virtual bool has_glyph(char32_t cp) const = 0;
    /// Advance width of the code point's glyph, in 1/1000 em.
    virtual double advance(char32_t cp) const = 0;
    /// Height above the baseline (positive), in 1/1000 em.
    virtual double ascent() const = 0;
    /// Depth below the baseline (negative), in 1/1000 em.
    virtual double descent() const = 0;

    /// How the advance of `left` changes when `right` follows, in whole 1/1000 em (negative:
    /// closer); 0 for a font without kerning.
    virtual int kerning(char32_t left, char32_t right) const {
        (void)left;
        (void)right;
        return 0;
    }

    /// Width of a UTF-8 text at a size, in points, the kerning between its characters included.
    double text_width(std::string_view text, double size) const;

    /// The kerning between the characters of a UTF-8 text, as a TextItem carries it.
    std::vector<TextItem::Kern> kerns(std::string_view text) const;
};

/// A TrueType font read with FreeType. Widths are truncated to whole 1/1000 em exactly as the PDF
/// width array libharu writes, so measured and drawn positions agree. Every mapped character's
/// width is read once when the font loads; afterwards the font is lock-free (its one mutable part,
/// the kerning memo, is atomic), so worker threads share it.
class TrueTypeFont : public FontMetrics {
public:
    /// Loads a .ttf file; throws Error naming the file when it is missing or not a usable font.
    /// What it reads of the font (advances, glyphs, kerning) is kept in `cache_folder`/fonts and
    /// read back from there while the file and the program are unchanged; empty: no cache.
    explicit TrueTypeFont(const std::string& path, const std::string& cache_folder = default_cache_folder());
    ~TrueTypeFont() override;
    TrueTypeFont(TrueTypeFont&&) noexcept = default;
    TrueTypeFont& operator=(TrueTypeFont&&) noexcept = default;
    const std::string& path() const override { return path_; }
    bool has_glyph(char32_t cp) const override;
    double advance(char32_t cp) const override;
    double ascent() const override { return ascent_; }
    double descent() const override { return descent_; }
    /// The pair kerning of the font's GPOS 'kern' feature (or legacy 'kern' table), rounded to
    /// whole 1/1000 em, the unit of the PDF's TJ operator.
    int kerning(char32_t left, char32_t right) const override;
    /// The same kerning read from the font's tables every time, without the memo (for tests).
    int kerning_from_tables(char32_t left, char32_t right) const;

private:
    std::uint16_t glyph(char32_t cp) const;
    /// Reads the font with FreeType.
    void load();
    /// What load() read, as bytes for the cache folder; and read back (false: not a whole entry).
    std::string pack() const;
    bool unpack(std::string_view bytes);

    // A mapped character past the Latin ranges, with its glyph and advance.
    struct Other {
        char32_t cp = 0;
        std::uint16_t glyph = 0;
        double advance = 0;
    };
    /// The entry of `cp` in others_, or nullptr.
    const Other* other(char32_t cp) const;

    std::string path_;
    double ascent_ = 0, descent_ = 0;
    double missing_advance_ = 0;               // the .notdef glyph's, for characters the font lacks
    std::vector<double> latin_;                // advances of U+0000..U+02FF (-1: no glyph), the common case
    std::vector<std::uint16_t> latin_glyphs_;  // glyphs of U+0000..U+02FF (0: none)
    // Every other mapped character, by code point: one block, not a node per character (a font
    // maps thousands, and a cold build loads two).
    std::vector<Other> others_;
    double units_per_em_ = 1000;
    PairKerning kerning_;
    // kerning() of the pairs of common characters (see kerning_memo_slot in fonts.cpp), each kept
    // the first time it is asked for: 0 while unknown, else 2 * value + 1. Relaxed atomics, so
    // threads sharing the font may fill it at once; they store the same values. Null for a font
    // without kerning.
    std::unique_ptr<std::atomic<std::int16_t>[]> kerning_memo_;
};

/// Finds the file of an installed font by family and style through fontconfig ("Roboto",
/// "Bold"). Throws Error when no installed font has that family.
std::string find_font_file(const std::string& family, const std::string& style);

}  // namespace factsheet
