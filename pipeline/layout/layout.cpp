#include "layout/layout.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <pugixml.hpp>
#include <utility>

#include "common/xml.hpp"
#include "layout/paragraph.hpp"

namespace factsheet {

LayoutEngine::LayoutEngine(StyleSheet sheet, TypesetRules rules) : sheet_(std::move(sheet)), rules_(rules) {}

const Hyphenator* LayoutEngine::hyphenator(const std::string& lang) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = hyphenators_.find(lang);
    if (it != hyphenators_.end()) return it->second.get();
    // The process's own, shared with every other engine (and perhaps loading already).
    return hyphenators_.emplace(lang, shared_hyphenator(lang)).first->second.get();
}

void LayoutEngine::set_hyphenator(const std::string& lang, std::shared_ptr<const Hyphenator> h) {
    std::lock_guard<std::mutex> lock(mutex_);
    hyphenators_[lang] = std::move(h);
}

namespace {

// A piece of a block that pagination places whole: a line of a paragraph, a box, a row.
struct Slice {
    double height = 0;
    double space_before = 0;      // dropped at the top of a page
    std::vector<PageItem> items;  // x absolute, y relative to the slice's top
    bool break_after = true;      // may a page break come right after it
    SourcePos src;
    int paragraph = -1;  // index in the layout report, for lines of recorded paragraphs
};

void translate(PageItem& item, double dx, double dy) {
    std::visit(
        [&](auto& it) {
            using T = std::decay_t<decltype(it)>;
            if constexpr (std::is_same_v<T, TextItem>) {
                it.x += dx;
                it.y += dy;
            } else if constexpr (std::is_same_v<T, LineItem>) {
                it.x1 += dx;
                it.x2 += dx;
                it.y1 += dy;
                it.y2 += dy;
            } else {
                it.rect.x += dx;
                it.rect.y += dy;
            }
        },
        item);
}

// Stacks slices into one list of items from y = 0; returns the total height.
double stack(std::vector<Slice>& slices, std::vector<PageItem>& out) {
    double y = 0;
    for (std::size_t i = 0; i < slices.size(); ++i) {
        if (i > 0) y += slices[i].space_before;
        for (PageItem& item : slices[i].items) {
            translate(item, 0, y);
            out.push_back(std::move(item));
        }
        y += slices[i].height;
    }
    return y;
}

// Boxes, rows and inline elements are laid out recursively; a limit on their nesting keeps a
// runaway template from overflowing the stack. Real layouts nest a handful of levels.
constexpr int max_nesting = 100;

// Counts one level of nesting while it lives; throws Error at `where` past max_nesting.
class Nesting {
public:
    Nesting(int& depth, const SourcePos& where) : depth_(depth) {
        if (depth_ >= max_nesting)
            throw Error(where, "elements are nested more than " + std::to_string(max_nesting) +
                                   " deep: flatten the layout markup");
        ++depth_;
    }
    ~Nesting() { --depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

private:
    int& depth_;
};

struct PageNumbers {
    int page = 0;
    int pages = 0;
};

class Flow {
public:
    Flow(const LayoutEngine& engine, std::string_view markup, const std::string& file,
         std::vector<Diagnostic>& warnings)
        : engine_(engine), sheet_(engine.sheet()), markup_(markup), map_(file, markup), warnings_(warnings) {}

    void set_language(const std::string& lang) { hyphenator_ = engine_.hyphenator(lang); }
    // TeX's \hyphenation: <hyphenation word="Tom-bouc-tou"/> children of <document>.
    void add_hyphenation(const pugi::xml_node& node) {
        check_attributes(node, {"word"});
        std::string word = node.attribute("word").value(), plain;
        std::vector<std::size_t> points;
        for (char c : word) {
            if (c == '-')
                points.push_back(plain.size());
            else
                plain += c;
        }
        if (plain.empty() || (!points.empty() && (points.front() == 0 || points.back() == plain.size())))
            throw Error(pos(node), "hyphenation word=\"" + word + "\" needs letters around each '-'");
        exceptions_[plain] = std::move(points);
    }
    // Paragraphs are recorded while `report` is set (the body), not in header, footer or probes.
    void set_report(LayoutReport* report) { report_ = report; }
    void set_numbers(PageNumbers n) { numbers_ = n; }

    SourcePos pos(const pugi::xml_node& node) const { return node_pos(map_, node, markup_); }

    // Where a block's content came from: its src="file:line:col" when the template gave one.
    // Parsed by hand: std::regex recurses per character (a long value overflows the stack) and
    // std::stoi throws on numbers past int; a value that does not parse falls back to the markup.
    SourcePos src(const pugi::xml_node& node) const {
        std::string_view s = node.attribute("src").value();
        auto number = [](std::string_view digits, int& out) {
            if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
                return false;
            auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
            return ec == std::errc() && end == digits.data() + digits.size();
        };
        std::size_t col_colon = s.rfind(':');
        if (col_colon != std::string_view::npos && col_colon > 0) {
            std::size_t line_colon = s.rfind(':', col_colon - 1);
            int line = 0, col = 0;
            if (line_colon != std::string_view::npos &&
                number(s.substr(line_colon + 1, col_colon - line_colon - 1), line) &&
                number(s.substr(col_colon + 1), col))
                return {std::string(s.substr(0, line_colon)), line, col};
        }
        return pos(node);
    }

    const Style& style_of(const pugi::xml_node& node, const char* fallback = nullptr) const {
        std::string name = node.attribute("style").value();
        if (name.empty()) {
            if (!fallback)
                throw Error(pos(node), "<" + std::string(node.name()) + "> needs a style attribute");
            name = fallback;
        }
        return sheet_.style(name, pos(node));
    }

    double number(const pugi::xml_node& node, const char* attr, double fallback) const {
        pugi::xml_attribute a = node.attribute(attr);
        if (!a) return fallback;
        std::string s = a.value();
        double v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size())
            throw Error(pos(node), std::string(attr) + "=\"" + s + "\" is not a number");
        return v;
    }

    // Lays out the block children of `parent` in a column of `width` at `x`.
    void blocks(const pugi::xml_node& parent, double x, double width, std::vector<Slice>& out) {
        Nesting level(depth_, pos(parent));
        double pending_after = 0;
        bool first = true;
        for (pugi::xml_node node : parent.children()) {
            if (node.type() == pugi::node_pcdata) {
                if (std::string(node.value()).find_first_not_of(" \t\r\n") != std::string::npos)
                    throw Error(pos(node), "text outside a paragraph: wrap it in <p style=\"...\">");
                continue;
            }
            if (node.type() != pugi::node_element) continue;
            std::size_t before = out.size();
            double after = block(node, x, width, out);
            if (out.size() > before) {
                Slice& head = out[before];
                head.space_before = first ? 0 : std::max(head.space_before, pending_after);
                pending_after = after;
                first = false;
                if (std::string(node.attribute("keep-with-next").value()) == "yes")
                    out.back().break_after = false;
            }
        }
    }

    // A typo in an attribute would otherwise do nothing, silently: refuse what the element lacks.
    void check_attributes(const pugi::xml_node& node, std::initializer_list<std::string_view> allowed) const {
        for (pugi::xml_attribute a : node.attributes()) {
            std::string_view name = a.name();
            if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
                std::string list;
                for (std::string_view n : allowed) list += (list.empty() ? "" : ", ") + std::string(n);
                throw Error(pos(node), "unknown attribute \"" + std::string(name) + "\" on <" + node.name() +
                                           ">: " + (list.empty() ? "it takes none" : "use " + list));
            }
        }
        pugi::xml_attribute keep = node.attribute("keep-with-next");
        if (keep && std::string_view(keep.value()) != "yes" && std::string_view(keep.value()) != "no")
            throw Error(pos(node), "keep-with-next=\"" + std::string(keep.value()) + "\" must be yes or no");
    }

    // Lays out one block; returns its space-after.
    double block(const pugi::xml_node& node, double x, double width, std::vector<Slice>& out) {
        std::string kind = node.name();
        if (kind == "p" || kind == "h")
            check_attributes(node, {"style", "src", "keep-with-next", "hyphenate"});
        else if (kind == "box")
            check_attributes(node, {"style", "src", "keep-with-next", "width"});
        else if (kind == "bar")
            check_attributes(node, {"style", "src", "keep-with-next", "value"});
        else if (kind == "row" || kind == "rule")
            check_attributes(node, {"style", "src", "keep-with-next"});
        else if (kind == "space")
            check_attributes(node, {"height", "keep-with-next"});
        if (kind == "p" || kind == "h") {
            const Style& s = style_of(node);
            paragraph(node, s, x, width, out);
            if (kind == "h" && !out.empty())
                out.back().break_after = false;  // a heading keeps with what follows
            return s.space_after;
        }
        if (kind == "box") {
            const Style& s = style_of(node);
            out.push_back(box(node, s, x, width, 0));
            return s.space_after;
        }
        if (kind == "row") {
            const Style& s = style_of(node);
            out.push_back(row(node, s, x, width));
            return s.space_after;
        }
        if (kind == "bar") {
            const Style& s = style_of(node);
            out.push_back(bar(node, s, x, width));
            return s.space_after;
        }
        if (kind == "rule") {
            const Style& s = style_of(node);
            Slice slice;
            slice.space_before = s.space_before;
            double t = std::max(s.height, 0.25);
            slice.height = t;
            slice.items.push_back(LineItem{x, t / 2, x + width, t / 2, t, s.color});
            out.push_back(std::move(slice));
            return s.space_after;
        }
        if (kind == "space") {
            Slice slice;
            slice.height = number(node, "height", 0);
            out.push_back(std::move(slice));
            return 0;
        }
        throw Error(pos(node), "unknown block <" + kind + ">: use p, h, box, row, bar, rule or space");
    }

    // Collects the inline content of a paragraph into runs, collapsing whitespace.
    void inline_runs(const pugi::xml_node& node, InlineRun current, const Style& base,
                     std::vector<InlineRun>& runs) {
        Nesting level(depth_, pos(node));
        for (pugi::xml_node child : node.children()) {
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                InlineRun r = current;
                r.text = child.value();
                runs.push_back(std::move(r));
                continue;
            }
            if (child.type() != pugi::node_element) continue;
            std::string kind = child.name();
            check_attributes(child, kind == "a"      ? std::initializer_list<std::string_view>{"href"}
                                    : kind == "span" ? std::initializer_list<std::string_view>{"style"}
                                                     : std::initializer_list<std::string_view>{});
            InlineRun inner = current;
            if (kind == "b") {
                inner.font = base.bold_font >= 0 ? base.bold_font : base.font;
            } else if (kind == "a") {
                inner.href = child.attribute("href").value();
                if (inner.href.empty()) throw Error(pos(child), "<a> needs an href");
            } else if (kind == "span") {
                const Style& s = style_of(child);
                inner.font = s.font;
                inner.size = s.size;
                inner.color = s.color;
            } else if (kind == "nohyphen") {
                inner.hyphenate = false;
            } else if (kind == "br") {
                InlineRun r = current;
                r.forced_break = true;
                runs.push_back(std::move(r));
                continue;
            } else if (kind == "page-number" || kind == "page-count") {
                InlineRun r = current;
                r.text = std::to_string(kind == "page-number" ? numbers_.page : numbers_.pages);
                runs.push_back(std::move(r));
                continue;
            } else {
                throw Error(pos(child), "unknown inline element <" + kind +
                                            ">: use b, a, span, nohyphen, br, page-number or page-count");
            }
            inline_runs(child, inner, base, runs);
        }
    }

    static void collapse_whitespace(std::vector<InlineRun>& runs) {
        bool last_space = true;  // trims leading whitespace of the paragraph
        for (InlineRun& r : runs) {
            if (r.forced_break) {
                last_space = true;
                continue;
            }
            std::string out;
            for (char c : r.text) {
                bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
                if (space) {
                    if (!last_space) out += ' ';
                    last_space = true;
                } else {
                    out += c;
                    last_space = false;
                }
            }
            r.text = std::move(out);
        }
        for (auto it = runs.rbegin(); it != runs.rend(); ++it) {  // trims trailing whitespace
            if (it->forced_break) continue;
            while (!it->text.empty() && it->text.back() == ' ') it->text.pop_back();
            if (!it->text.empty()) break;
        }
        runs.erase(std::remove_if(runs.begin(), runs.end(),
                                  [](const InlineRun& r) { return !r.forced_break && r.text.empty(); }),
                   runs.end());
    }

    void paragraph(const pugi::xml_node& node, const Style& s, double x, double width,
                   std::vector<Slice>& out) {
        ParagraphSpec spec;
        spec.align = s.align;
        spec.leading = s.leading;
        spec.src = src(node);
        InlineRun base;
        base.font = s.font;
        base.size = s.size;
        base.color = s.color;
        std::string_view hyphenate = node.attribute("hyphenate").as_string("yes");
        if (hyphenate != "yes" && hyphenate != "no")
            throw Error(pos(node), "hyphenate=\"" + std::string(hyphenate) + "\" must be yes or no");
        base.hyphenate = s.hyphenate && hyphenate == "yes";
        inline_runs(node, base, s, spec.runs);
        collapse_whitespace(spec.runs);
        SetParagraph set = set_paragraph(spec, width, sheet_.fonts, hyphenator_, engine_.rules(),
                                         *warnings_ref_, &exceptions_);
        std::size_t n = set.lines.size();
        const TypesetRules& rules = engine_.rules();
        int recorded = -1;
        if (report_ && n > 0) {
            ParagraphReport r;
            r.src = spec.src;
            r.lines = static_cast<int>(n);
            r.justified = spec.align == Align::justify;
            r.optimal = set.optimal;
            for (std::size_t i = 0; i < n; ++i) {
                r.hyphenated += set.lines[i].hyphenated ? 1 : 0;
                if (i + 1 < n) r.worst_ratio = std::max(r.worst_ratio, set.lines[i].ratio);
                if (i + 1 < n && set.lines[i].ratio > 1) ++r.loose_lines;
                r.tightest_ratio = std::min(r.tightest_ratio, set.lines[i].ratio);
            }
            recorded = static_cast<int>(report_->paragraphs.size());
            report_->paragraphs.push_back(r);
        }
        for (std::size_t i = 0; i < n; ++i) {
            Slice slice;
            slice.height = set.lines[i].height;
            slice.space_before = i == 0 ? s.space_before : 0;
            slice.src = spec.src;
            slice.paragraph = recorded;
            for (PageItem& item : set.lines[i].items) {
                translate(item, x, 0);
                slice.items.push_back(std::move(item));
            }
            // Widow and orphan control: a break after line i leaves i+1 lines behind and n-i-1 ahead.
            std::size_t kept = i + 1, carried = n - i - 1;
            slice.break_after = carried == 0 || (kept >= static_cast<std::size_t>(rules.orphans) &&
                                                 carried >= static_cast<std::size_t>(rules.widows));
            out.push_back(std::move(slice));
        }
    }

    // A box: padding, background and border around block content; never split across pages.
    Slice box(const pugi::xml_node& node, const Style& s, double x, double width, double min_height) {
        std::vector<Slice> inner;
        double content_width = width - s.padding.left - s.padding.right;
        if (content_width <= 0) throw Error(pos(node), "the box is narrower than its padding");
        blocks(node, x + s.padding.left, content_width, inner);
        std::vector<PageItem> content;
        double h = stack(inner, content) + s.padding.top + s.padding.bottom;
        h = std::max({h, s.height, min_height});
        Slice slice;
        slice.space_before = s.space_before;
        slice.height = h;
        slice.src = src(node);
        if (s.background || (s.border && s.border_width > 0)) {
            RectItem r;
            r.rect = {x, 0, width, h};
            r.filled = s.background.has_value();
            if (s.background) r.fill = *s.background;
            if (s.border) {
                r.stroke = *s.border;
                r.stroke_width = s.border_width;
            }
            slice.items.push_back(r);
        }
        for (PageItem& item : content) {
            translate(item, 0, s.padding.top);
            slice.items.push_back(std::move(item));
        }
        return slice;
    }

    // Columns side by side with equal heights; widths "2*" (share), "25%" or "120" (points).
    Slice row(const pugi::xml_node& node, const Style& s, double x, double width) {
        std::vector<pugi::xml_node> cols;
        for (pugi::xml_node c : node.children())
            if (c.type() == pugi::node_element) {
                if (std::string(c.name()) != "box") throw Error(pos(c), "a <row> holds only <box> columns");
                check_attributes(c, {"style", "src", "width"});
                cols.push_back(c);
            }
        if (cols.empty()) throw Error(pos(node), "a <row> needs at least one <box>");
        double gap = s.gap;
        double free = width - gap * static_cast<double>(cols.size() - 1);
        std::vector<double> widths(cols.size(), 0);
        double shares = 0, fixed = 0;
        for (std::size_t i = 0; i < cols.size(); ++i) {
            const std::string w = cols[i].attribute("width").as_string("1*");
            double v = 0;
            auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
            std::string unit(end, static_cast<const char*>(w.data() + w.size()));
            if (ec != std::errc() || v < 0 || (unit != "*" && unit != "%" && !unit.empty()))
                throw Error(pos(cols[i]), "width=\"" + w + "\" must be like 2*, 25% or 120");
            if (unit == "*") {
                widths[i] = -v;
                shares += v;
            } else {
                widths[i] = unit == "%" ? free * v / 100 : v;
                fixed += widths[i];
            }
        }
        if (fixed > free + 0.01) throw Error(pos(node), "the columns are wider than the row");
        for (double& w : widths)
            if (w < 0) w = shares > 0 ? (free - fixed) * -w / shares : 0;
        // Lay out once to find the tallest column, then again so every box takes the row's height.
        double height = 0;
        // The probe is not the real thing: it records nothing and its warnings are dropped (the
        // real pass below gives them again).
        LayoutReport* report = std::exchange(report_, nullptr);
        std::vector<Diagnostic> probe_warnings;
        std::vector<Diagnostic>* warnings = std::exchange(warnings_ref_, &probe_warnings);
        for (std::size_t i = 0; i < cols.size(); ++i) {
            Slice probe = box(cols[i], style_of(cols[i]), 0, widths[i], 0);
            height = std::max(height, probe.height);
        }
        warnings_ref_ = warnings;
        report_ = report;
        Slice slice;
        slice.space_before = s.space_before;
        slice.height = height;
        slice.src = src(node);
        double cx = x;
        for (std::size_t i = 0; i < cols.size(); ++i) {
            Slice b = box(cols[i], style_of(cols[i]), cx, widths[i], height);
            for (PageItem& item : b.items) slice.items.push_back(std::move(item));
            cx += widths[i] + gap;
        }
        return slice;
    }

    // A horizontal bar filled to `value` (0..1): the track in the style's background colour, the
    // filled part in its colour.
    Slice bar(const pugi::xml_node& node, const Style& s, double x, double width) {
        double value = number(node, "value", 0);
        if (value < 0 || value > 1) {
            warnings_ref_->push_back({src(node), "bar value " + std::string(node.attribute("value").value()) +
                                                     " is outside 0..1 and is drawn clamped"});
            value = std::clamp(value, 0.0, 1.0);
        }
        Slice slice;
        slice.space_before = s.space_before;
        slice.height = std::max(s.height, 1.0);
        slice.src = src(node);
        RectItem track;
        track.rect = {x, 0, width, slice.height};
        track.fill = s.background.value_or(Color{0.9, 0.9, 0.9});
        slice.items.push_back(track);
        if (value > 0) {
            RectItem fill;
            fill.rect = {x, 0, width * value, slice.height};
            fill.fill = s.color;
            slice.items.push_back(fill);
        }
        return slice;
    }

private:
    const LayoutEngine& engine_;
    const StyleSheet& sheet_;
    std::string_view markup_;
    LineMap map_;
    std::vector<Diagnostic>& warnings_;
    std::vector<Diagnostic>* warnings_ref_ = &warnings_;  // where warnings go now
    const Hyphenator* hyphenator_ = nullptr;
    PageNumbers numbers_;
    LayoutReport* report_ = nullptr;
    int depth_ = 0;  // nesting of the element being laid out
    HyphenationExceptions exceptions_;
};

// Splits slices into pages of `available` height: as much as fits, then back to the last place a
// break is allowed (widows, orphans, keep-with-next, boxes kept whole).
std::vector<std::pair<std::size_t, std::size_t>> paginate(const std::vector<Slice>& slices, double available,
                                                          std::vector<Diagnostic>& warnings) {
    std::vector<std::pair<std::size_t, std::size_t>> pages;
    std::size_t start = 0, n = slices.size();
    while (start < n) {
        double y = 0;
        std::size_t k = start;
        std::ptrdiff_t last_ok = -1;
        while (k < n) {
            double sb = k == start ? 0 : slices[k].space_before;
            if (y + sb + slices[k].height > available + 1e-6 && k > start) break;
            if (k == start && slices[k].height > available + 1e-6)
                warnings.push_back({slices[k].src,
                                    "a block is taller than the page and runs past its bottom margin: "
                                    "shorten it"});
            y += sb + slices[k].height;
            if (slices[k].break_after) last_ok = static_cast<std::ptrdiff_t>(k);
            ++k;
        }
        std::size_t end = k;
        if (k < n && last_ok >= static_cast<std::ptrdiff_t>(start))
            end = static_cast<std::size_t>(last_ok) + 1;
        pages.emplace_back(start, end);
        start = end;
    }
    return pages;
}

}  // namespace

PagedDocument LayoutEngine::lay_out(std::string_view markup, const std::string& markup_file,
                                    std::vector<Diagnostic>& warnings, LayoutReport* report) const {
    pugi::xml_document doc;
    pugi::xml_parse_result parsed = doc.load_buffer(markup.data(), markup.size());
    if (!parsed) throw parse_error(LineMap(markup_file, markup), parsed, "malformed layout markup");
    pugi::xml_node root = doc.child("document");
    if (!root)
        throw Error(SourcePos{markup_file, 1, 1}, "the layout markup's root element must be <document>");
    Flow flow(*this, markup, markup_file, warnings);

    PagedDocument out;
    DocumentInfo& info = out.info;
    info.title = root.attribute("title").value();
    info.author = root.attribute("author").value();
    info.subject = root.attribute("subject").value();
    info.keywords = root.attribute("keywords").value();
    info.lang = root.attribute("lang").value();
    info.creator = root.attribute("creator").value();
    info.creation_date = root.attribute("creation-date").value();
    for (pugi::xml_node meta : root.children("meta")) {
        std::string name = meta.attribute("name").value();
        // PDF names: letters and digits only, so any key is safe to write unescaped.
        bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        });
        if (!ok) throw Error(flow.pos(meta), "<meta> needs a name of letters and digits");
        info.custom.emplace_back(name, meta.attribute("value").value());
    }
    flow.set_language(info.lang);
    for (pugi::xml_node h : root.children("hyphenation")) flow.add_hyphenation(h);

    const PageGeometry& g = sheet_.page;
    double content_width = g.width - g.margin_left - g.margin_right;
    double body_height = g.height - g.margin_top - g.margin_bottom;

    std::vector<Slice> body;
    flow.set_report(report);
    flow.blocks(root.child("body"), g.margin_left, content_width, body);
    flow.set_report(nullptr);
    auto ranges = paginate(body, body_height, warnings);
    if (ranges.empty()) ranges.emplace_back(0, 0);
    if (report) {
        for (std::size_t p = 0; p < ranges.size(); ++p)
            for (std::size_t k = ranges[p].first; k < ranges[p].second; ++k) {
                if (body[k].paragraph < 0) continue;
                ParagraphReport& r = report->paragraphs[static_cast<std::size_t>(body[k].paragraph)];
                int page = static_cast<int>(p + 1);
                if (r.first_page == 0) r.first_page = page;
                if (r.first_page == page) ++r.lines_on_first_page;
                if (r.last_page != page) r.lines_on_last_page = 0;
                r.last_page = page;
                ++r.lines_on_last_page;
            }
    }

    for (std::size_t p = 0; p < ranges.size(); ++p) {
        Page page;
        page.width = g.width;
        page.height = g.height;
        double y = g.margin_top;
        for (std::size_t k = ranges[p].first; k < ranges[p].second; ++k) {
            Slice& s = body[k];
            if (k > ranges[p].first) y += s.space_before;
            for (PageItem& item : s.items) {
                translate(item, 0, y);
                page.items.push_back(std::move(item));
            }
            y += s.height;
        }
        flow.set_numbers({static_cast<int>(p + 1), static_cast<int>(ranges.size())});
        if (pugi::xml_node header = root.child("header")) {
            std::vector<Slice> slices;
            flow.blocks(header, g.margin_left, content_width, slices);
            std::vector<PageItem> items;
            stack(slices, items);
            for (PageItem& item : items) {
                translate(item, 0, g.header_top);
                page.items.push_back(std::move(item));
            }
        }
        if (pugi::xml_node footer = root.child("footer")) {
            std::vector<Slice> slices;
            flow.blocks(footer, g.margin_left, content_width, slices);
            std::vector<PageItem> items;
            double h = stack(slices, items);
            for (PageItem& item : items) {
                translate(item, 0, g.height - g.footer_bottom - h);
                page.items.push_back(std::move(item));
            }
        }
        out.pages.push_back(std::move(page));
    }

    // Only the fonts that are drawn with go into the document, renumbered in order of first use.
    std::map<int, int> used;
    for (Page& page : out.pages)
        for (PageItem& item : page.items)
            if (auto* t = std::get_if<TextItem>(&item)) {
                auto [it, added] = used.emplace(t->font, static_cast<int>(out.fonts.size()));
                if (added)
                    out.fonts.push_back(FontFile{sheet_.fonts[static_cast<std::size_t>(t->font)]->path()});
                t->font = it->second;
            }
    return out;
}

}  // namespace factsheet
