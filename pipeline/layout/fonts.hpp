// Font metrics for measuring text. The layout engine measures with these; the PDF stage embeds the
// same files, so what is measured is what is drawn.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

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

    /// Width of a UTF-8 text at a size, in points.
    double text_width(std::string_view text, double size) const;
};

/// A TrueType font read with FreeType. Widths are truncated to whole 1/1000 em exactly as the PDF
/// width array libharu writes, so measured and drawn positions agree.
class TrueTypeFont : public FontMetrics {
public:
    /// Loads a .ttf file; throws Error naming the file when it is missing or not a usable font.
    explicit TrueTypeFont(const std::string& path);
    ~TrueTypeFont() override;
    const std::string& path() const override { return path_; }
    bool has_glyph(char32_t cp) const override;
    double advance(char32_t cp) const override;
    double ascent() const override { return ascent_; }
    double descent() const override { return descent_; }

private:
    struct Glyph {
        bool present;
        double advance;
    };
    const Glyph& glyph(char32_t cp) const;

    std::string path_;
    struct Face;
    std::unique_ptr<Face> face_;
    double ascent_ = 0, descent_ = 0;
    mutable std::mutex mutex_;
    mutable std::unordered_map<char32_t, Glyph> cache_;
};

/// Finds the file of an installed font by family and style through fontconfig ("Roboto",
/// "Bold"). Throws Error when no installed font has that family.
std::string find_font_file(const std::string& family, const std::string& style);

}  // namespace factsheet
