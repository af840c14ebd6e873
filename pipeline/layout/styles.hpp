// The style sheet of a layout: page geometry, fonts, colours and named styles (layouts/*/styles.xml).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "layout/fonts.hpp"
#include "layout/page.hpp"

namespace factsheet {

/// How the lines of a paragraph sit in their measure.
enum class Align { left, right, center, justify };

/// Four side values (padding), in points.
struct Sides {
    double top = 0, right = 0, bottom = 0, left = 0;
};

/// A named style: text properties for paragraphs, box properties for boxes and bars.
struct Style {
    std::string name;
    int font = 0;         // index into StyleSheet::fonts
    int bold_font = -1;   // font for <b> inside this style (-1: same as font)
    double size = 10;     // points
    double leading = 12;  // baseline-to-baseline distance, points
    Color color;
    Align align = Align::left;
    bool hyphenate = false;
    double space_before = 0;  // points, dropped at the top of a page
    double space_after = 0;
    std::optional<Color> background;
    std::optional<Color> border;
    double border_width = 0;
    Sides padding;
    double height = 0;   // bars and rules: thickness; boxes: minimum height
    double gap = 0;      // rows and grids: space between columns
    double row_gap = 0;  // grids: space between rows of cells (default: the gap)
    // Vertical glue (TeX's \vskip plus/minus): the space before and after a block of this style
    // may stretch by this fraction of itself and shrink by this fraction (at most 1), so that a
    // page can be tightened or filled (see docs/layout-markup.md, "Pages").
    double space_stretch = 0;
    double space_shrink = 0;
    std::optional<Color> overflow_color;   // bars: the part beyond 100 %
    std::optional<Color> neighbour_color;  // maps: the countries around (the country: `color`)
    std::optional<Color> marker_color;     // maps: the dots of places
};

/// Page size, margins and where the running header and footer sit.
struct PageGeometry {
    double width = 595.276, height = 841.89;  // A4 in points
    double margin_top = 56, margin_bottom = 56, margin_left = 48, margin_right = 48;
    double header_top = 24;     // top of the running header, from the page's top edge
    double footer_bottom = 24;  // bottom of the running footer, from the page's bottom edge
};

/// Everything a layout's styles file defines, fonts loaded.
struct StyleSheet {
    PageGeometry page;
    std::vector<std::shared_ptr<const FontMetrics>> fonts;
    std::map<std::string, int> font_names;
    std::map<std::string, Color> colors;
    std::map<std::string, Style> styles;
    std::string file;  // where it was read from

    /// The style of that name; throws Error at `where` when there is none.
    const Style& style(const std::string& name, const SourcePos& where) const;
    /// The style named so, or nullptr.
    const Style* find_style(const std::string& name) const;
};

/// Reads a styles file, resolving fonts through fontconfig (family + style) or a file path relative
/// to the styles file. Throws Error with file:line:col for anything malformed or unknown.
StyleSheet read_styles(const std::string& path);

/// The same for a styles file held in memory; `path` names it in errors and is where relative
/// font files are looked for.
StyleSheet parse_styles(std::string_view text, const std::string& path);

/// Parses "#RRGGBB" or a colour name of the sheet; nullopt when it is neither.
std::optional<Color> parse_color(const std::string& text, const std::map<std::string, Color>& names);

}  // namespace factsheet
