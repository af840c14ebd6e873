// What the layout engine hands to the renderer: finished pages with items at fixed positions.
// Units are PDF points (1/72 in); the origin is the top-left corner of the page, y grows downwards.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "image/image.hpp"

namespace factsheet {

/// An sRGB colour, each channel in [0, 1].
struct Color {
    double r = 0, g = 0, b = 0;
    bool operator==(const Color&) const = default;
};

/// A rectangle: top-left corner and size.
struct Rect {
    double x = 0, y = 0, width = 0, height = 0;
};

/// Where an item belongs in the document's logical structure (tagged PDF, ISO 32000-1 14.8): an
/// index into PagedDocument::structure, or one of these for what is not content.
inline constexpr int artifact = -1;             // decoration: backgrounds, borders, rules
inline constexpr int pagination_artifact = -2;  // the running header and footer

/// A node of the logical structure, of a standard structure type (ISO 32000-1 14.8.4).
struct StructNode {
    std::string type;  // "Document", "H1", "H2", "P", "L", "LI", "LBody", "Figure", "Link"...
    int parent = -1;   // index into PagedDocument::structure; -1 for the root
    std::string alt;   // a Figure's alternate description; a Link's description
    std::string lang;  // its language when not the document's (BCP 47, "fr"); empty: the document's
};

/// A font file the document uses; items refer to it by index.
struct FontFile {
    std::string path;  // a TrueType (.ttf) file
};

/// A run of text drawn from its baseline origin, in one font and size.
struct TextItem {
    double x = 0, y = 0;  // left end of the baseline
    int font = 0;         // index into PagedDocument::fonts
    double size = 10;     // font size in points
    Color color;
    std::string text;  // UTF-8; every character was checked to exist in the font
    /// Kerning: before the character at byte `offset` of `text`, the pen moves by `amount`
    /// 1/1000 em more than the previous character's advance (negative: closer). In increasing
    /// order of offset, never at 0; the measured width of the text includes them.
    struct Kern {
        std::size_t offset = 0;
        int amount = 0;
        bool operator==(const Kern&) const = default;
    };
    std::vector<Kern> kerning;
    int tag = artifact;  // its node in the logical structure
    /// A word space follows (the next word is placed on its own): the renderer draws one, blank,
    /// after the text, so that text taken from the page or its tags keeps its words apart.
    bool space_after = false;
};

/// A filled and/or stroked rectangle.
struct RectItem {
    Rect rect;
    bool filled = true;
    Color fill;
    double stroke_width = 0;  // 0: no stroke
    Color stroke;
    int tag = artifact;  // its node in the logical structure (a Figure's drawing), or an artifact
};

/// A straight line.
struct LineItem {
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    double width = 1;
    Color color;
    int tag = artifact;
};

/// A clickable area that opens a URI (mailto:, https:).
struct LinkItem {
    Rect rect;
    std::string uri;
    int tag = artifact;  // its Link node (whose alt describes it)
};

/// A point of a page.
struct Point {
    double x = 0, y = 0;
};

/// A shape of straight segments: closed rings, filled together with the even-odd rule (a ring
/// inside another is a hole) and/or stroked. A map's country, a QR code's dark modules.
struct PathItem {
    std::vector<std::vector<Point>> rings;  // each closes back to its first point
    bool filled = true;
    Color fill;
    double stroke_width = 0;  // 0: no stroke
    Color stroke;
    int tag = artifact;
};

/// Shapes drawn together in their own frame (`width` x `height`, origin at its top left, y down):
/// a locator map's countries and places, a QR code's modules. Shared, never changed once made: the
/// renderer writes one object for all the places a drawing is used, and may keep it between
/// documents that draw the same one.
struct Drawing {
    double width = 0, height = 0;
    std::vector<PathItem> paths;  // in drawing order; their tags are unused
};

/// A Drawing placed with the top left of its frame at (x, y).
struct DrawingItem {
    double x = 0, y = 0;
    std::shared_ptr<const Drawing> drawing;
    int tag = artifact;
};

/// A raster image drawn into `rect` (stretched to it: the layout keeps the proportions), showing
/// only what falls inside `clip`.
struct ImageItem {
    Rect rect;
    Rect clip;
    int image = 0;  // index into PagedDocument::images
    int tag = artifact;
};

/// One positioned thing on a page.
using PageItem = std::variant<TextItem, RectItem, LineItem, LinkItem, PathItem, ImageItem, DrawingItem>;

/// A finished page.
struct Page {
    double width = 595.276, height = 841.89;  // A4
    std::vector<PageItem> items;
};

/// What the layout's document says of itself, written into the PDF's metadata. The language,
/// the program and the dates are not the layout's to say: the renderer is given them
/// (RenderOptions).
struct DocumentInfo {
    std::string title;
    std::string author;
    std::string subject;
    std::string keywords;
};

/// An entry of the document's outline (bookmarks): a section heading and where it stands.
struct Bookmark {
    std::string title;     // the heading's text
    std::size_t page = 0;  // index into PagedDocument::pages
    double y = 0;          // the heading's top, from the page's top edge
    int parent = -1;       // the entry it is under (index into PagedDocument::outline, before it)
};

/// How pages are numbered from `first` on, as a viewer shows them (ISO 32000-1 12.4.2): the prefix,
/// then decimal numbers from 1.
struct PageLabel {
    std::size_t first = 0;  // index into PagedDocument::pages
    std::string prefix;     // "EN-"; empty: the numbers alone
};

/// A document laid out into pages, ready to render.
struct PagedDocument {
    DocumentInfo info;
    std::vector<FontFile> fonts;
    /// The images the pages draw, each once however often it is drawn; shared with the layout's
    /// cache, so a batch decodes a logo once.
    std::vector<std::shared_ptr<const RasterImage>> images;
    std::vector<Page> pages;
    std::vector<Bookmark> outline;  // the body's headings, in reading order
    std::vector<PageLabel> labels;  // empty: pages are numbered 1, 2... as viewers do by default
    /// The logical structure, in reading order: node 0 is the Document, each node after its
    /// parent. Empty: an untagged document.
    std::vector<StructNode> structure;
};

}  // namespace factsheet
