// Stage 4: the layout engine. Reads layout markup (see docs/layout-markup.md) and turns it into
// positioned pages: text measured from the fonts' real metrics, lines broken (Knuth–Plass) and
// hyphenated, blocks paginated with widow, orphan and keep-with-next control. Knows nothing of PDF.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/lru_cache.hpp"
#include "image/qr.hpp"
#include "layout/hyphenate.hpp"
#include "layout/page.hpp"
#include "layout/paragraph.hpp"
#include "layout/styles.hpp"
#include "map/map.hpp"

namespace factsheet {

/// Paragraph-level rules that tune line breaking and pagination.
struct TypesetRules {
    int orphans = 2;                      // fewest lines of a paragraph left at the bottom of a page
    int widows = 2;                       // fewest lines of a paragraph carried to the top of a page
    double hyphen_penalty = 50;           // TeX \hyphenpenalty: cost of breaking at a hyphenation point
    double explicit_hyphen_penalty = 50;  // TeX \exhyphenpenalty: after "-" already in the text
    double slash_penalty = 100;           // after "/" ("and/or"): allowed, but less welcome than a space
    double emergency_penalty = 150;       // inside an overlong word, after "@", ".", "/"
    bool first_fit_only = false;          // skip Knuth–Plass (to compare against greedy breaking)
    bool hyphenate_capitalized = false;   // TeX \uchyph: off, so proper names ("Tombouctou") stay whole
    // TeX's first pass (\pretolerance 100): a justified paragraph is first set without hyphenating
    // its words, keeping that when no line stretches beyond this ratio; negative: no first pass.
    double pretolerance = 1.0;
    // The least a last page holds, as a fraction of the body's height: less reads as a lone
    // trailer, and blocks move over to it from the page before (0: no such rule).
    double least_last_page = 0.2;
};

/// What the line breaker and the paginator did with one paragraph.
struct ParagraphReport {
    SourcePos src;  // where its text came from
    int lines = 0;
    int hyphenated = 0;         // lines ending with an inserted hyphen
    double worst_ratio = 0;     // largest stretch ratio of a justified line other than the last
    double tightest_ratio = 0;  // most negative (shrink) ratio of a justified line
    int loose_lines = 0;        // justified lines (not the last) stretched beyond ratio 1
    bool justified = false;
    bool optimal = false;  // set by Knuth–Plass (false: first-fit)
    int first_page = 0;    // 1-based pages of its first and last line; 0 inside boxes
    int last_page = 0;
    int lines_on_first_page = 0;
    int lines_on_last_page = 0;
};

/// A record of a layout, for quality reports and tests.
struct LayoutReport {
    std::vector<ParagraphReport> paragraphs;  // body paragraphs, in order
};

/// A style sheet ready to lay out documents. Safe to share between threads.
class LayoutEngine {
public:
    /// Uses a loaded style sheet; hyphenation dictionaries load on first use per language.
    explicit LayoutEngine(StyleSheet sheet, TypesetRules rules = {});

    /// Lays out one markup document. Problems that stop the layout (unknown style, a character
    /// missing from the font...) throw Error with the markup's (or the source's, where the markup
    /// names it with src="file:line:col") position; recoverable ones are added to `warnings`.
    PagedDocument lay_out(std::string_view markup, const std::string& markup_file,
                          std::vector<Diagnostic>& warnings, LayoutReport* report = nullptr) const;

    /// The style sheet in use.
    const StyleSheet& sheet() const { return sheet_; }

    /// The hyphenator for a language, or nullptr when none is installed for it.
    const Hyphenator* hyphenator(const std::string& lang) const;

    /// Replaces the hyphenator of a language (tests pin their own).
    void set_hyphenator(const std::string& lang, std::shared_ptr<const Hyphenator> h);

    /// The rules in use.
    const TypesetRules& rules() const { return rules_; }

    /// A PNG or JPEG file decoded, its transparency composited over `background`: decoded once
    /// and kept while the file stays the same (a batch draws the same logos again). Throws the
    /// image stage's Error, which names the file.
    std::shared_ptr<const RasterImage> image(const std::string& path, Color background) const;

    /// The map data: the process's own, opened on first use (Debian's gmt-dcw) and shared.
    const MapAtlas& atlas() const;

    /// A locator map, drawn once and kept (both editions of a source, and the sources of one
    /// country in a batch, draw the same map). Throws the map stage's Error.
    std::shared_ptr<const LocatorMap> locator(const std::string& country, double width, double height,
                                              const std::vector<GeoPlace>& places) const;

    /// A QR code of `data`, encoded once and kept (both editions of a source carry the same).
    /// Throws the image stage's Error.
    std::shared_ptr<const QrCode> qr(const std::string& data) const;

    /// The QR code of `data` drawn `width` wide with its dark modules in `dark`
    /// (layout_detail::qr_drawing), drawn once and kept: both editions of a source draw the same,
    /// some 600 rectangles, and the PDF stage knows a drawing it has written by its address.
    std::shared_ptr<const Drawing> qr_drawing(const std::string& data, double width, const Color& dark) const;

    /// Replaces the map data (tests give their own files).
    void set_atlas(std::shared_ptr<const MapAtlas> atlas);

    /// A paragraph set, with the messages of the warnings setting it gave (they are placed where
    /// the paragraph is used).
    struct Setting {
        SetParagraph set;
        std::vector<std::string> warnings;
    };

    /// The setting kept under `key`, everything set_paragraph reads of a paragraph, its measure and
    /// its document but not where it comes from; made by `make` when there is none. A paragraph is
    /// set once for the process: boxes in a row are set to be measured before they are placed,
    /// running headers and footers once a page, and the editions and sources of a batch share
    /// headings, labels and boilerplate. What `make` throws is thrown, and nothing is kept.
    std::shared_ptr<const Setting> setting(std::string key, const std::function<Setting()>& make) const;

private:
    StyleSheet sheet_;
    TypesetRules rules_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::shared_ptr<const Hyphenator>> hyphenators_;
    mutable std::map<std::string, std::shared_ptr<const RasterImage>> images_;  // by file, state, background
    mutable std::shared_ptr<const MapAtlas> atlas_;
    // A batch draws a map per country and a QR code per source: 32 of each are kept.
    mutable LruCache<std::string, std::shared_ptr<const LocatorMap>> maps_{32};  // by country, size, places
    mutable LruCache<std::string, std::shared_ptr<const QrCode>> qr_codes_{32};  // by data
    mutable LruCache<std::string, std::shared_ptr<const Drawing>> qr_drawings_{32};  // by data, width, colour
    // By setting()'s key. Some 60 different settings a factsheet, a few KB each: 256 hold the
    // settings of both editions of a source and then some; 4 MiB at most, whatever their size.
    mutable LruCache<std::string, std::shared_ptr<const Setting>> settings_{256, 4 << 20};
};

}  // namespace factsheet
