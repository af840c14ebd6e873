#include "layout/paragraph.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/utf8.hpp"
#include "layout/layout.hpp"

namespace factsheet {

namespace {

using linebreak::Item;

// Interword glue in the proportions TeX gives its text fonts: a space may stretch by half its
// width and shrink by a third (The TeXbook, ch. 12; cmr10 has 3.33pt +1.67pt −1.11pt).
constexpr double space_stretch = 1.0 / 2.0;
constexpr double space_shrink = 1.0 / 3.0;
// A glue that absorbs everything at a paragraph's end or a <br/> (TeX's \parfillskip): infinite
// ("fil") stretch, so the line that holds it is never stretched.
constexpr double fill_stretch = std::numeric_limits<double>::infinity();
// Largest adjustment ratio tried after the normal tolerance fails (TeX's second pass, where
// \tolerance is raised), before falling back to first-fit.
constexpr double second_pass_tolerance = 5.0;

// The beginning of an overlong word, enough to find it: a 10,000-letter word would otherwise fill
// the terminal with one warning.
std::string word_excerpt(std::string_view word) {
    constexpr std::size_t max_chars = 40;
    std::size_t i = 0, chars = 0;
    while (i < word.size() && chars < max_chars) {
        utf8::next(word, i);
        ++chars;
    }
    return i < word.size() ? std::string(word.substr(0, i)) + "..." : std::string(word);
}

// What an item of the breaker stands for.
struct Piece {
    int run = -1;
    // A box's text, or the text drawn at a penalty when the line breaks there: a view into its
    // run's text or a literal (" ", "-"), as the ParagraphSpec outlives the pieces.
    std::string_view text;
    // The kerning (1/1000 em) a box's width includes after its text, between its last character
    // and the first of the next piece of the same word; for a penalty, the kerning between the
    // box before it and the text drawn when the line breaks there.
    int join_kern = 0;
};

struct Builder {
    const ParagraphSpec& spec;
    double width;
    const std::vector<std::shared_ptr<const FontMetrics>>& fonts;
    const Hyphenator* hyphenator;
    const TypesetRules& rules;
    std::vector<Diagnostic>& warnings;
    const HyphenationExceptions* exceptions;
    std::vector<Item> items;
    std::vector<Piece> pieces;

    // Break opportunities inside a word: byte offset, penalty, flagged, text drawn if broken there.
    struct Opportunity {
        std::size_t at;
        double penalty;
        bool flagged;
        std::string_view drawn;  // "" or "-"
    };
    // Scratch of add_word(), kept from word to word so that a word costs no allocation.
    std::vector<std::pair<std::size_t, char32_t>> word_chars;  // offset and code point of each
    std::vector<Opportunity> word_breaks;
    std::vector<std::size_t> hyphen_points;

    const FontMetrics& font(int run) const {
        return *fonts[static_cast<std::size_t>(spec.runs[static_cast<std::size_t>(run)].font)];
    }
    double size(int run) const { return spec.runs[static_cast<std::size_t>(run)].size; }
    double measure(int run, std::string_view text) const { return font(run).text_width(text, size(run)); }

    void push(Item item, Piece piece) {
        items.push_back(item);
        pieces.push_back(std::move(piece));
    }

    void check_glyphs(int run, std::string_view text) const {
        const FontMetrics& f = font(run);
        for (std::size_t i = 0; i < text.size();) {
            char32_t cp = utf8::next(text, i);
            if (!f.has_glyph(cp)) {
                std::string ch;
                utf8::append(ch, cp);
                throw Error(spec.where(), "character " + utf8::code_point_name(cp) + " (\"" + ch +
                                              "\") is not in the font " + f.path() +
                                              ": remove it from the text or choose a font that has it");
            }
        }
    }

    // The widest stretch of a word between its break opportunities (a hyphen drawn counted).
    double widest_piece(int run, std::string_view word, std::vector<Opportunity> ops) const {
        std::sort(ops.begin(), ops.end(),
                  [](const Opportunity& a, const Opportunity& b) { return a.at < b.at; });
        double widest = 0;
        std::size_t start = 0;
        for (const Opportunity& op : ops) {
            widest = std::max(
                widest, measure(run, std::string(word.substr(start, op.at - start)) + std::string(op.drawn)));
            start = op.at;
        }
        return std::max(widest, measure(run, word.substr(start)));
    }

    // Fills word_breaks with the word's break opportunities, by offset; returns the width of the
    // whole word, which add_word() needs too.
    double opportunities(int run, std::string_view word) {
        std::vector<Opportunity>& out = word_breaks;
        out.clear();
        const InlineRun& r = spec.runs[static_cast<std::size_t>(run)];
        std::vector<std::pair<std::size_t, char32_t>>& cps = word_chars;
        cps.clear();
        for (std::size_t i = 0; i < word.size();) {
            std::size_t at = i;
            cps.emplace_back(at, utf8::next(word, i));
        }
        // After an explicit hyphen, a slash or a dash, between letters: the character stays on the line.
        // Not in an email or URL, where a break after "-" would read as part of the address.
        bool address = is_address(word);
        for (std::size_t k = 1; !address && k + 1 < cps.size(); ++k) {
            char32_t c = cps[k].second;
            std::size_t after = cps[k + 1].first;
            if (c == '-' && utf8::is_letter(cps[k - 1].second) && utf8::is_letter(cps[k + 1].second))
                out.push_back({after, rules.explicit_hyphen_penalty, true, ""});
            else if (c == '/' && utf8::is_letter(cps[k - 1].second) && utf8::is_letter(cps[k + 1].second))
                out.push_back({after, rules.slash_penalty, false, ""});
            else if (c == 0x2013 || c == 0x2014)
                out.push_back({after, rules.explicit_hyphen_penalty, false, ""});
        }
        auto first_letter =
            std::find_if(cps.begin(), cps.end(), [](const auto& c) { return utf8::is_letter(c.second); });
        bool capitalized = first_letter != cps.end() && utf8::is_upper(first_letter->second);
        // The document's own exceptions come first: the word without the punctuation around it.
        auto last_letter =
            std::find_if(cps.rbegin(), cps.rend(), [](const auto& c) { return utf8::is_letter(c.second); });
        const std::vector<std::size_t>* exception = nullptr;
        std::size_t core_start = 0;
        if (exceptions && first_letter != cps.end()) {
            core_start = first_letter->first;
            std::size_t core_end = last_letter.base() == cps.end() ? word.size() : last_letter.base()->first;
            auto found = exceptions->find(std::string(word.substr(core_start, core_end - core_start)));
            if (found != exceptions->end()) exception = &found->second;
        }
        if (exception) {
            if (r.hyphenate)
                for (std::size_t at : *exception)
                    if (std::none_of(out.begin(), out.end(),
                                     [&](const Opportunity& o) { return o.at == core_start + at; }))
                        out.push_back({core_start + at, rules.hyphen_penalty, true, "-"});
        } else if (r.hyphenate && hyphenator && (rules.hyphenate_capitalized || !capitalized)) {
            hyphenator->points(word, hyphen_points);
            for (std::size_t at : hyphen_points) {
                // A hyphenation point right at an explicit break point is the same place.
                bool taken =
                    std::any_of(out.begin(), out.end(), [&](const Opportunity& o) { return o.at == at; });
                if (!taken) out.push_back({at, rules.hyphen_penalty, true, "-"});
            }
        }
        // A word wider than the measure (an email in a narrow card, a URL) may break after "@", ".",
        // "/" or "_" with no hyphen drawn, so that it never draws outside its box.
        double whole = measure(run, word);
        if (whole > width) {
            std::vector<Opportunity> normal = out;
            for (std::size_t k = 1; k + 1 < cps.size(); ++k) {
                char32_t c = cps[k].second;
                if (c == '@' || c == '.' || c == '/' || c == '_') {
                    std::size_t at = cps[k + 1].first;
                    if (std::none_of(out.begin(), out.end(),
                                     [&](const Opportunity& o) { return o.at == at; }))
                        out.push_back({at, rules.emergency_penalty, false, ""});
                }
            }
            // Broken at a dot, an address no longer reads as one: as serious as a break between
            // letters (which add_word() reports itself, when even these breaks are not enough).
            double widest_normal = widest_piece(run, word, normal), widest_any = widest_piece(run, word, out);
            if (widest_normal > width && widest_any <= width)
                warnings.push_back(
                    {spec.where(), "\"" + word_excerpt(word) + "\" is wider than its box (" +
                                       std::to_string(static_cast<int>(std::lround(widest_normal))) +
                                       " pt > " + std::to_string(static_cast<int>(std::lround(width))) +
                                       " pt) and is broken after \"@\", \".\", \"/\" or \"_\": "
                                       "shorten it or widen the box"});
        }
        std::sort(out.begin(), out.end(),
                  [](const Opportunity& a, const Opportunity& b) { return a.at < b.at; });
        return whole;
    }

    // `word`: a view into the run's text, which the pieces keep.
    void add_word(int run, std::string_view word) {
        if (word.empty()) return;
        check_glyphs(run, word);
        const double whole = opportunities(run, word);
        const std::vector<Opportunity>& ops = word_breaks;
        std::size_t start = 0;
        // The kerning across a hyphenation point belongs to the word unbroken: the box before it
        // includes it, and the penalty takes it back when the line breaks there (TeX keeps such
        // kerns in a discretionary's no-break text).
        const FontMetrics& f = font(run);
        auto last_char = [&](std::size_t end) {
            std::size_t i = end;
            while (i > 0 && (static_cast<unsigned char>(word[i - 1]) & 0xC0) == 0x80) --i;
            std::size_t from = i > 0 ? i - 1 : 0;
            return utf8::next(word, from);
        };
        auto kern_in_points = [&](int kern) { return kern * size(run) / 1000.0; };
        auto add_box = [&](std::size_t end, int join_kern) {
            std::string_view part = word.substr(start, end - start);
            // A word without break opportunities, the most common, was measured whole already.
            double w = part.size() == word.size() ? whole : measure(run, part);
            if (w > width) {
                warnings.push_back(
                    {spec.where(), "\"" + word_excerpt(word) + "\" is wider than its box (" +
                                       std::to_string(static_cast<int>(std::lround(w))) + " pt > " +
                                       std::to_string(static_cast<int>(std::lround(width))) +
                                       " pt) and is broken between letters: shorten it or widen the box"});
                // Last resort: break anywhere between characters, so nothing draws outside the box.
                std::size_t i = 0;
                while (i < part.size()) {
                    std::size_t from = i;
                    utf8::next(part, i);
                    if (from > 0) push(Item::penalty_item(0, rules.emergency_penalty * 4, false), {run, ""});
                    std::string_view ch = part.substr(from, i - from);
                    push(Item::box(measure(run, ch)), {run, ch});
                }
            } else {
                push(Item::box(w + kern_in_points(join_kern)), {run, part, join_kern});
            }
            start = end;
        };
        for (const Opportunity& op : ops) {
            std::size_t next = op.at;
            int across = f.kerning(last_char(op.at), utf8::next(word, next));
            add_box(op.at, across);
            double drawn = 0;
            int before_drawn = 0;
            if (!op.drawn.empty()) {
                std::size_t first = 0;
                before_drawn = f.kerning(last_char(op.at), utf8::next(op.drawn, first));
                drawn = measure(run, op.drawn) + kern_in_points(before_drawn);
            }
            // Measured only when the line breaks here: the drawn text instead of the kerning across.
            drawn -= kern_in_points(across);
            push(Item::penalty_item(drawn, op.penalty, op.flagged), {run, op.drawn, before_drawn});
        }
        add_box(word.size(), 0);
    }

    void add_space(int run) {
        if (items.empty() || items.back().type == Item::Type::glue) return;
        double w = measure(run, " ");
        bool justify = spec.align == Align::justify;
        push(Item::glue(w, justify ? w * space_stretch : 0, justify ? w * space_shrink : 0), {run, " "});
    }

    void add_forced_break(int run) {
        while (!items.empty() && items.back().type == Item::Type::glue) {
            items.pop_back();
            pieces.pop_back();
        }
        push(Item::glue(0, fill_stretch, 0), {run, ""});
        push(Item::penalty_item(0, -linebreak::infinity_penalty, false), {run, ""});
    }

    void build() {
        // Two items a word (its box and the space after it) and two a hyphenation point: about
        // one per three bytes of text, reserved at once rather than grown item by item.
        std::size_t bytes = 0;
        for (const InlineRun& r : spec.runs) bytes += r.text.size();
        items.reserve(bytes / 3 + 4);
        pieces.reserve(bytes / 3 + 4);
        for (std::size_t ri = 0; ri < spec.runs.size(); ++ri) {
            const InlineRun& r = spec.runs[ri];
            int run = static_cast<int>(ri);
            if (r.forced_break) {
                add_forced_break(run);
                continue;
            }
            // Words are the stretches of the text between spaces, viewed in place.
            const std::string_view text = r.text;
            std::size_t word_start = 0;
            for (std::size_t i = 0; i < text.size();) {
                std::size_t from = i;
                char32_t cp = utf8::next(text, i);
                if (cp == ' ') {
                    add_word(run, text.substr(word_start, from - word_start));
                    add_space(run);
                    word_start = i;
                }
            }
            add_word(run, text.substr(word_start));
        }
        while (!items.empty() && (items.back().type == Item::Type::glue)) {
            items.pop_back();
            pieces.pop_back();
        }
        int last_run = spec.runs.empty() ? 0 : static_cast<int>(spec.runs.size()) - 1;
        push(Item::glue(0, fill_stretch, 0), {last_run, ""});
        push(Item::penalty_item(0, -linebreak::infinity_penalty, false), {last_run, ""});
    }
};

// The line's height and baseline: the paragraph's leading, grown for larger text in the line.
void place_baseline(const Builder& b, const std::vector<int>& runs, double leading, double& height,
                    double& baseline) {
    double ascent = 0, descent = 0, biggest = 0;
    for (int run : runs) {
        const FontMetrics& f = b.font(run);
        double s = b.size(run);
        ascent = std::max(ascent, f.ascent() * s / 1000);
        descent = std::max(descent, -f.descent() * s / 1000);
        biggest = std::max(biggest, s);
    }
    height = std::max(leading, biggest * 1.15);
    // Centre the font's ascent+descent in the line box, as CSS does with its half-leading.
    baseline = (height - (ascent + descent)) / 2 + ascent;
}

}  // namespace

bool is_address(std::string_view word) {
    return word.find('@') != std::string_view::npos || word.find("://") != std::string_view::npos ||
           word.rfind("www.", 0) == 0;
}

SetParagraph set_paragraph(const ParagraphSpec& spec, double width,
                           const std::vector<std::shared_ptr<const FontMetrics>>& fonts,
                           const Hyphenator* hyphenator, const TypesetRules& rules,
                           std::vector<Diagnostic>& warnings, const HyphenationExceptions* exceptions) {
    SetParagraph result;
    if (spec.runs.empty()) return result;
    auto widths = [width](std::size_t) { return width; };
    std::vector<linebreak::Break> breaks;
    bool optimal = spec.align == Align::justify && !rules.first_fit_only;

    // TeX's first pass: the words whole (breaks after "-", "/" and dashes remain), kept when every
    // line fits within the pretolerance; hyphenation only for the paragraphs that need it.
    std::vector<Diagnostic> first_warnings;
    Builder first{spec, width, fonts, nullptr, rules, first_warnings, nullptr, {}, {}, {}, {}, {}};
    if (optimal && rules.pretolerance >= 0) {
        first.build();
        if (first.items.size() <= 2) return result;  // nothing but the closing glue and penalty
        linebreak::Params params;
        params.tolerance = rules.pretolerance;
        breaks = linebreak::break_optimal(first.items, widths, params);
    }
    Builder second{spec, width, fonts, hyphenator, rules, warnings, exceptions, {}, {}, {}, {}, {}};
    if (!breaks.empty()) {
        warnings.insert(warnings.end(), first_warnings.begin(), first_warnings.end());
        result.optimal = true;
    } else {
        second.build();
        if (second.items.size() <= 2) return result;
        if (optimal) {
            linebreak::Params params;
            breaks = linebreak::break_optimal(second.items, widths, params);
            if (breaks.empty()) {
                params.tolerance = second_pass_tolerance;
                breaks = linebreak::break_optimal(second.items, widths, params);
            }
            result.optimal = !breaks.empty();
        }
        if (breaks.empty()) breaks = linebreak::break_first_fit(second.items, widths);
    }
    const Builder& b = second.items.empty() ? first : second;

    // What a line is made of before it becomes text items.
    struct Frag {
        int run;
        double x;
        std::string_view text;
        bool joined;      // follows the previous fragment with no space between
        int kern_before;  // kerning from the previous fragment's last character, 1/1000 em
    };
    std::vector<Frag> frags;  // the current line's, kept from line to line
    std::vector<int> runs;
    result.lines.reserve(breaks.size());
    std::size_t start = 0;
    for (std::size_t li = 0; li < breaks.size(); ++li) {
        const linebreak::Break& brk = breaks[li];
        std::size_t end = brk.index;
        // Glue and penalties after a break are discarded up to the next box (as TeX does).
        while (start < end && b.items[start].type != Item::Type::box) ++start;
        // Justified lines take the breaker's ratio. The last line is never stretched, but it may
        // have been chosen shrunk (its spaces can shrink like any other's), so it keeps that.
        bool final_line = li + 1 == breaks.size();
        double ratio = 0;
        if (spec.align == Align::justify)
            ratio = std::max(-1.0, final_line ? std::min(0.0, brk.ratio) : brk.ratio);

        frags.clear();
        double x = 0, natural = 0;
        bool after_glue = true;
        int across = 0;  // the kerning the last box's width includes after its text
        for (std::size_t k = start; k < end; ++k) {
            const Item& it = b.items[k];
            if (it.type == Item::Type::box) {
                frags.push_back({b.pieces[k].run, x, b.pieces[k].text, !after_glue, after_glue ? 0 : across});
                x += it.width;
                natural += it.width;
                after_glue = false;
                across = b.pieces[k].join_kern;
            } else if (it.type == Item::Type::glue) {
                if (std::isfinite(it.stretch)) x += ratio >= 0 ? ratio * it.stretch : ratio * it.shrink;
                x += it.width;
                natural += it.width;
                after_glue = true;
                across = 0;
            }
        }
        SetLine line;
        const Item& at = b.items[end];
        if (at.type == Item::Type::penalty) {
            // Breaking here adds the text drawn (a hyphen) and takes back the kerning the box
            // before it counted across the break.
            if (!b.pieces[end].text.empty()) {
                frags.push_back({b.pieces[end].run, x, b.pieces[end].text, true, b.pieces[end].join_kern});
                line.hyphenated = true;
            }
            x += at.width;
            natural += at.width;
        }
        double offset = 0;
        if (spec.align == Align::right) offset = width - natural;
        if (spec.align == Align::center) offset = (width - natural) / 2;

        runs.clear();
        for (const Frag& f : frags) runs.push_back(f.run);
        if (runs.empty()) runs.push_back(b.pieces[end].run);
        double baseline = 0;
        place_baseline(b, runs, spec.leading, line.height, baseline);

        // Fragments with no space between them and the same run make one text item; most are
        // words after a space, each an item of its own.
        line.items.reserve(frags.size());
        line.runs.reserve(frags.size());
        for (std::size_t k = 0; k < frags.size(); ++k) {
            const Frag& f = frags[k];
            const InlineRun& r = spec.runs[static_cast<std::size_t>(f.run)];
            auto* last = line.items.empty() ? nullptr : std::get_if<TextItem>(&line.items.back());
            // Each fragment was measured with the kerning inside it, and the box before it with
            // the kerning across (see add_word()).
            std::vector<TextItem::Kern> kerns = b.font(f.run).kerns(f.text);
            if (f.joined && k > 0 && frags[k - 1].run == f.run && last) {
                if (f.kern_before != 0) last->kerning.push_back({last->text.size(), f.kern_before});
                for (TextItem::Kern& kern : kerns) kern.offset += last->text.size();
                last->kerning.insert(last->kerning.end(), kerns.begin(), kerns.end());
                last->text += f.text;
                continue;
            }
            // A word after a space: the text before it is followed by one, which the renderer
            // draws (blank) so that text taken from the page or its tags reads as words.
            if (!f.joined && last) last->space_after = true;
            line.items.push_back(TextItem{offset + f.x, baseline, r.font, r.size, r.color,
                                          std::string(f.text), std::move(kerns)});
            line.runs.push_back(f.run);
        }
        // The same at a line that ends at a space (not at a hyphen, nor the paragraph's end).
        if (at.type == Item::Type::glue && !final_line && !line.items.empty())
            if (auto* t = std::get_if<TextItem>(&line.items.back())) t->space_after = true;
        // One link area per line and target, over the fragments that carry it.
        std::vector<LinkItem> links;
        std::vector<int> link_runs;
        for (const Frag& f : frags) {
            const InlineRun& r = spec.runs[static_cast<std::size_t>(f.run)];
            if (r.href.empty()) continue;
            double w = b.measure(f.run, f.text);
            auto it =
                std::find_if(links.begin(), links.end(), [&](const LinkItem& l) { return l.uri == r.href; });
            if (it == links.end()) {
                links.push_back(LinkItem{Rect{offset + f.x, 0, w, line.height}, r.href});
                link_runs.push_back(f.run);
            } else {
                double right = std::max(it->rect.x + it->rect.width, offset + f.x + w);
                it->rect.x = std::min(it->rect.x, offset + f.x);
                it->rect.width = right - it->rect.x;
            }
        }
        line.items.insert(line.items.end(), links.begin(), links.end());
        line.runs.insert(line.runs.end(), link_runs.begin(), link_runs.end());
        line.natural_width = natural;
        line.ratio = ratio;
        result.lines.push_back(std::move(line));
        start = end + 1;
    }
    return result;
}

}  // namespace factsheet
