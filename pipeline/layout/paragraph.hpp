// Inside the layout stage: one paragraph's inline content broken into positioned lines.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "layout/fonts.hpp"
#include "layout/hyphenate.hpp"
#include "layout/linebreak.hpp"
#include "layout/page.hpp"
#include "layout/styles.hpp"

namespace factsheet {

struct TypesetRules;

/// Hyphenation exceptions of a document (TeX's \hyphenation): a word as written, without its
/// hyphens, to the byte offsets where it may break (none: never).
using HyphenationExceptions = std::map<std::string, std::vector<std::size_t>>;

/// A stretch of text in one font, size, colour and link.
struct InlineRun {
    std::string text;  // UTF-8, whitespace already collapsed to single spaces
    int font = 0;
    double size = 10;
    Color color;
    std::string href;           // link target, empty for none
    bool hyphenate = true;      // false inside <nohyphen> (proper names) or when the style says no
    bool forced_break = false;  // a <br/>: the run is empty and ends the line
    std::string link_title;     // what the link does, for assistive technology ("E-mail Pierrot Koti")
    std::string lang;           // its language when not the document's (BCP 47, "fr"); empty: the document's
};

/// A paragraph to set: its runs and how.
struct ParagraphSpec {
    std::vector<InlineRun> runs;
    Align align = Align::left;
    double leading = 12;
    // Where the paragraph's text came from, for diagnostics: a position the caller keeps for as
    // long as the spec (a markup document's); null when unknown.
    const SourcePos* src = nullptr;
    SourcePos where() const { return src ? *src : SourcePos{}; }
};

/// One set line: items relative to the line's top-left corner, and its height.
struct SetLine {
    std::vector<PageItem> items;
    std::vector<int> runs;  // for each item, the InlineRun it draws (text) or leads to (link)
    double height = 0;
    double natural_width = 0;  // width of the content before justification
    double ratio = 0;          // adjustment ratio applied (justified lines)
    bool hyphenated = false;   // ends with an inserted hyphen
};

/// The result of setting a paragraph, with what the breaker did (for reports and tests).
struct SetParagraph {
    std::vector<SetLine> lines;
    bool optimal = false;  // Knuth–Plass found a solution (false: first-fit fallback)
};

/// Whether a word is an e-mail address or a URL: no line breaks after its hyphens or slashes,
/// where a break would read as part of the address.
bool is_address(std::string_view word);

/// Sets a paragraph in a measure of `width` points. `fonts` are the style sheet's fonts;
/// `hyphenator` may be null. Throws Error naming the character and src when a glyph is missing;
/// adds a warning when a word cannot fit the measure even broken.
SetParagraph set_paragraph(const ParagraphSpec& spec, double width,
                           const std::vector<std::shared_ptr<const FontMetrics>>& fonts,
                           const Hyphenator* hyphenator, const TypesetRules& rules,
                           std::vector<Diagnostic>& warnings,
                           const HyphenationExceptions* exceptions = nullptr);

}  // namespace factsheet
