// Inside the layout stage: layout markup read into plain types, before anything is placed.
// Reading checks every element, attribute and style name; laying out (layout.cpp) then works on
// this tree alone and never sees XML.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/error.hpp"
#include "layout/page.hpp"
#include "layout/paragraph.hpp"
#include "layout/styles.hpp"
#include "map/map.hpp"

namespace factsheet::markup {

/// What an inline run shows: its own text, or a number known only when pages are made.
enum class Field { text, page_number, page_count };

/// A run of a paragraph as written (whitespace not yet collapsed).
struct Run {
    InlineRun run;
    Field field = Field::text;
    int optional = -1;  // the <optional> group it belongs to (dropped first when a line is short)
};

/// A paragraph (<p>) or heading (<h>).
struct Paragraph {
    const Style* style = nullptr;
    std::vector<Run> runs;
    bool heading = false;
    int max_lines = 0;      // 0: as many as it takes; else shortened by rule to fit (see layout.cpp)
    double least_size = 0;  // shrink-to-fit: the size its text may shrink to so no word breaks
    std::string tag;        // its structure type (tag="H1"); empty: P, or H2 for a heading
    int optional_groups = 0;
};

/// How wide a column of a <row> is.
struct ColumnWidth {
    enum class Unit { share, percent, points, automatic };
    Unit unit = Unit::share;
    double value = 1;
};

struct Block;

/// A box of blocks with padding, background and border; the cells of rows and grids too.
struct Box {
    const Style* style = nullptr;
    ColumnWidth width;  // in a <row>
    std::string tag;    // a structure type grouping its content (Sect, Div...); empty: none
    SourcePos pos, src;
    std::vector<Block> children;
};

/// Boxes side by side on one line, widths given by the markup.
struct Row {
    const Style* style = nullptr;
    std::vector<Box> cells;
};

/// Boxes of equal width, in as many rows as they need; the engine picks the number of columns.
struct Grid {
    const Style* style = nullptr;
    int columns = 0;        // at most this many columns (0: as many as min_width allows)
    double min_width = 0;   // points; no cell narrower
    std::string tag = "L";  // a list (each cell an item) or Div (cells not items)
    std::vector<Box> cells;
};

/// A horizontal bar filled to a value (1 = full; more: overfilled).
struct Bar {
    const Style* style = nullptr;
    double value = 0;
    std::string value_text;  // as written, for messages
    std::string alt;         // what it shows, in words: the Figure's alternate description
};

/// A picture in a frame of the column: an image file, a locator map or a QR code.
struct Picture {
    enum class Kind { image, map, qr };
    /// How an image fills its frame: whole inside it, covering it (cut to it), or at the frame's
    /// width with the height its proportions give.
    enum class Fit { contain, cover, width };
    Kind kind = Kind::image;
    const Style* style = nullptr;  // spacing, alignment; maps and QR codes: colours
    std::string file;              // image: a PNG or JPEG file
    std::string country;           // map: ISO 3166 alpha-2 code, "ML"
    std::vector<GeoPlace> places;  // map: dots for places
    std::string data;              // QR code: the text it holds (an address)
    double width = 0;              // the frame, points; 0: the column's width
    double height = 0;  // 0: from the image's proportions; a map: 3/4 of its width; a QR code: square
    Fit fit = Fit::contain;
    std::string alt;         // what it shows: a Figure's description; empty: decoration (an artifact)
    std::string href;        // a link it opens (a QR code's address); empty: none
    std::string link_title;  // what that link does
    SourcePos pos;
};

/// A horizontal line across the column.
struct Rule {
    const Style* style = nullptr;
};

/// Fixed vertical space.
struct Space {
    double height = 0;
};

/// One block of a column.
struct Block {
    std::variant<Paragraph, Box, Row, Grid, Bar, Rule, Space, Picture> content;
    SourcePos pos;  // the element in the markup
    SourcePos src;  // where its content came from: its src="file:line:col", else pos
    bool keep_with_next = false;
};

/// A whole markup document.
struct Document {
    DocumentInfo info;
    std::string lang;  // the language its text is set in (hyphenation): BCP 47, "en", "fr"
    HyphenationExceptions hyphenation;
    bool has_header = false, has_footer = false;
    std::vector<Block> header, footer, body;
};

/// Reads layout markup (docs/layout-markup.md) against a style sheet. Throws Error at the
/// markup's position for anything malformed, unknown or misplaced.
Document read(std::string_view text, const std::string& file, const StyleSheet& sheet);

}  // namespace factsheet::markup
