#include "layout/layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <unordered_map>
#include <utility>

#include "common/utf8.hpp"
#include "layout/markup.hpp"
#include "layout/paragraph.hpp"
#include "layout/pictures.hpp"

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
    settings_.clear();  // their keys hold hyphenators by address
}

std::shared_ptr<const RasterImage> LayoutEngine::image(const std::string& path, Color background) const {
    auto channel = [](double v) {
        return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
    };
    Rgb8 under{channel(background.r), channel(background.g), channel(background.b)};
    // The file's size and modification time are part of the key: a file saved again (the
    // editing loop) is decoded again.
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    auto changed = std::filesystem::last_write_time(path, ec);
    std::string file = path + '\n' + std::to_string(ec ? 0 : size) + '\n' +
                       std::to_string(ec ? 0 : changed.time_since_epoch().count());
    // An opaque image is the same over any background: one entry, one object in the document.
    std::string opaque = file + "\nopaque";
    std::string over =
        file + '\n' + std::to_string(under.r) + ',' + std::to_string(under.g) + ',' + std::to_string(under.b);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const std::string& key : {opaque, over})
            if (auto it = images_.find(key); it != images_.end()) return it->second;
    }
    auto decoded = std::make_shared<const RasterImage>(load_image(path, under));
    std::lock_guard<std::mutex> lock(mutex_);
    // A few logos are what a layout draws; a cap keeps a long editing session's memory flat.
    constexpr std::size_t kMaxImages = 64;
    if (images_.size() >= kMaxImages) images_.clear();
    return images_.emplace(decoded->over_background ? over : opaque, decoded).first->second;
}

const MapAtlas& LayoutEngine::atlas() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!atlas_) {
        // One per process: the batch's engines share the open file and its cache. Never destroyed:
        // at exit the map data's library may have shut down before static destructors run.
        static const auto* shared = new std::shared_ptr<const MapAtlas>(std::make_shared<const MapAtlas>());
        atlas_ = *shared;
    }
    return *atlas_;
}

void LayoutEngine::set_atlas(std::shared_ptr<const MapAtlas> atlas) {
    std::lock_guard<std::mutex> lock(mutex_);
    atlas_ = std::move(atlas);
    maps_.clear();
}

std::shared_ptr<const LocatorMap> LayoutEngine::locator(const std::string& country, double width,
                                                        double height,
                                                        const std::vector<GeoPlace>& places) const {
    // The numbers as they are written in the markup: the same markup, the same key.
    char size[64];
    std::snprintf(size, sizeof size, "%.17g %.17g", width, height);
    std::string key = country + '\n' + size;
    for (const GeoPlace& p : places) {
        char at[64];
        std::snprintf(at, sizeof at, "%.17g %.17g", p.lon, p.lat);
        key += '\n' + p.name + '\t' + at;
    }
    return find_or_make(mutex_, maps_, key, [&] {
        return std::make_shared<const LocatorMap>(atlas().locator(country, width, height, places));
    });
}

std::shared_ptr<const QrCode> LayoutEngine::qr(const std::string& data) const {
    return find_or_make(mutex_, qr_codes_, data, [&] {
        return std::make_shared<const QrCode>(kept_qr(data, default_cache_folder()));
    });
}

std::shared_ptr<const LayoutEngine::Setting> LayoutEngine::setting(
    std::string key, const std::function<Setting()>& make) const {
    // What a setting holds, roughly: a paragraph of thousands of words is not kept 256 times over.
    auto bytes = [&key](const std::shared_ptr<const Setting>& made) {
        std::size_t n = sizeof(Setting) + 2 * key.size();
        for (const SetLine& line : made->set.lines) {
            n += sizeof(SetLine) + line.items.capacity() * sizeof(PageItem) +
                 line.runs.capacity() * sizeof(int);
            for (const PageItem& item : line.items)
                if (const auto* t = std::get_if<TextItem>(&item))
                    n += t->text.capacity() + t->kerning.capacity() * sizeof(TextItem::Kern);
        }
        for (const std::string& message : made->warnings) n += sizeof(std::string) + message.capacity();
        return n;
    };
    return find_or_make(
        mutex_, settings_, key, [&] { return std::make_shared<const Setting>(make()); }, bytes);
}

std::shared_ptr<const Drawing> LayoutEngine::qr_drawing(const std::string& data, double width,
                                                        const Color& dark) const {
    // The numbers written as the map's are: other numbers, another drawing.
    char numbers[128];
    std::snprintf(numbers, sizeof numbers, "\n%.17g %.17g %.17g %.17g", width, dark.r, dark.g, dark.b);
    return find_or_make(mutex_, qr_drawings_, data + numbers,
                        [&] { return layout_detail::qr_drawing(*qr(data), width, dark); });
}

namespace {

using markup::Block;

// Vertical glue (TeX's \vskip w plus y minus z): a space and how far it may stretch and shrink.
struct Glue {
    double space = 0, stretch = 0, shrink = 0;
};

Glue glue(const Style& s, double space) {
    return {space, space * s.space_stretch, space * std::min(s.space_shrink, 1.0)};
}

// A piece of a block that pagination places whole: a line of a paragraph, a box, a row of cells.
struct Slice {
    double height = 0;
    Glue before;                  // dropped at the top of a page
    std::vector<PageItem> items;  // x absolute, y relative to the slice's top
    bool break_after = true;      // may a page break come right after it
    // Where it comes from: a position in the markup document, which outlives the layout (not a
    // copy: some 200 slices a factsheet, each a file name on the heap).
    const SourcePos* src = nullptr;
    int paragraph = -1;  // index in the layout report, for lines of recorded paragraphs
    int bookmark = -1;   // index in Flow::bookmarks(), for a body heading's first line
};

void translate(PageItem& item, double dx, double dy);

// Moves the items of `from` to the end of `to`, each moved by (dx, dy). An item passes through
// several lists on its way to a page (a paragraph's slice, a box, a row of boxes, the page): into
// an empty list the whole vector is handed over, and a list grows at most once a call.
void move_items(std::vector<PageItem>& from, double dx, double dy, std::vector<PageItem>& to) {
    if (dx != 0 || dy != 0)
        for (PageItem& item : from) translate(item, dx, dy);
    if (to.empty()) {
        to.swap(from);
        return;
    }
    const std::size_t need = to.size() + from.size();
    if (to.capacity() < need) to.reserve(std::max(need, 2 * to.capacity()));
    std::move(from.begin(), from.end(), std::back_inserter(to));
}

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
            } else if constexpr (std::is_same_v<T, PathItem>) {
                for (auto& ring : it.rings)
                    for (Point& pt : ring) {
                        pt.x += dx;
                        pt.y += dy;
                    }
            } else if constexpr (std::is_same_v<T, DrawingItem>) {
                it.x += dx;
                it.y += dy;
            } else if constexpr (std::is_same_v<T, ImageItem>) {
                it.rect.x += dx;
                it.rect.y += dy;
                it.clip.x += dx;
                it.clip.y += dy;
            } else {
                it.rect.x += dx;
                it.rect.y += dy;
            }
        },
        item);
}

// Stacks slices into one list of items from y = 0, glue at its natural size; returns the height.
double stack(std::vector<Slice>& slices, std::vector<PageItem>& out) {
    double y = 0;
    for (std::size_t i = 0; i < slices.size(); ++i) {
        if (i > 0) y += slices[i].before.space;
        move_items(slices[i].items, 0, y, out);
        y += slices[i].height;
    }
    return y;
}

// Spaces as a paragraph sets them: runs of whitespace become one space, none at either end.
void collapse_whitespace(std::vector<InlineRun>& runs) {
    bool last_space = true;  // trims leading whitespace of the paragraph
    for (InlineRun& r : runs) {
        if (r.forced_break) {
            last_space = true;
            continue;
        }
        // In place: the text only shortens.
        std::size_t kept = 0;
        for (char c : r.text) {
            bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
            if (space) {
                if (!last_space) r.text[kept++] = ' ';
                last_space = true;
            } else {
                r.text[kept++] = c;
                last_space = false;
            }
        }
        r.text.resize(kept);
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

// The horizontal ellipsis that ends a text shortened to fit its line.
constexpr std::string_view ellipsis = "\xE2\x80\xA6";

// Puts every item in one place of the logical structure (or makes it an artifact).
void retag(std::vector<PageItem>& items, int tag) {
    for (PageItem& item : items) std::visit([tag](auto& it) { it.tag = tag; }, item);
}

// While it lives, new structure nodes go under `parent` (when it is a node).
class ParentScope {
public:
    ParentScope(int& slot, int parent) : slot_(slot), saved_(slot) {
        if (parent >= 0) slot_ = parent;
    }
    ~ParentScope() { slot_ = saved_; }
    ParentScope(const ParentScope&) = delete;
    ParentScope& operator=(const ParentScope&) = delete;

private:
    int& slot_;
    int saved_;
};

struct PageNumbers {
    int page = 0;
    int pages = 0;
};

class Flow {
public:
    Flow(const LayoutEngine& engine, const markup::Document& doc, std::vector<Diagnostic>& warnings)
        : engine_(engine), sheet_(engine.sheet()), doc_(doc), warnings_(&warnings) {
        auto count = [this](std::size_t n) {
            exceptions_key_.append(reinterpret_cast<const char*>(&n), sizeof n);
        };
        count(doc.hyphenation.size());
        for (const auto& [word, points] : doc.hyphenation) {
            count(word.size());
            exceptions_key_ += word;
            count(points.size());
            for (std::size_t at : points) count(at);
        }
    }

    void set_language(const std::string& lang) { hyphenator_ = engine_.hyphenator(lang); }
    // Paragraphs are recorded while `report` is set (the body), not in header, footer or probes.
    void set_report(LayoutReport* report) { report_ = report; }
    void set_numbers(PageNumbers n) { numbers_ = n; }
    // While set, the blocks laid out are the body's: their headings make the outline, and their
    // content the logical structure.
    void set_body(bool body) { in_body_ = body; }
    // Where the body's logical structure goes; its node 0, the Document, is made here.
    void set_structure(std::vector<StructNode>* out) {
        structure_ = out;
        if (out && out->empty()) out->push_back({"Document", -1, "", ""});
        parent_ = 0;
    }
    // The titles of the body's headings, in order (Slice::bookmark indexes them).
    const std::vector<std::string>& bookmarks() const { return bookmarks_; }

    // Lays out blocks in a column of `width` at `x`.
    void blocks(const std::vector<Block>& list, double x, double width, std::vector<Slice>& out) {
        Glue pending_after;
        bool first = true;
        for (const Block& node : list) {
            std::size_t before = out.size();
            Glue after = block(node, x, width, out);
            if (out.size() > before) {
                Slice& head = out[before];
                // Between two blocks, the larger of the space after and the space before, with
                // its own flexibility.
                if (first)
                    head.before = {};
                else if (pending_after.space > head.before.space)
                    head.before = pending_after;
                pending_after = after;
                first = false;
                if (node.keep_with_next) out.back().break_after = false;
            }
        }
    }

    // Lays out one block; returns the glue after it.
    Glue block(const Block& node, double x, double width, std::vector<Slice>& out) {
        return std::visit(
            [&](const auto& b) -> Glue {
                using T = std::decay_t<decltype(b)>;
                if constexpr (std::is_same_v<T, markup::Paragraph>) {
                    paragraph(b, node.src, x, width, out);
                    if (b.heading && !out.empty()) out.back().break_after = false;  // keeps with what follows
                    return glue(*b.style, b.style->space_after);
                } else if constexpr (std::is_same_v<T, markup::Box>) {
                    out.push_back(box(b, x, width, 0));
                    return glue(*b.style, b.style->space_after);
                } else if constexpr (std::is_same_v<T, markup::Row>) {
                    out.push_back(row(b, node.src, x, width));
                    return glue(*b.style, b.style->space_after);
                } else if constexpr (std::is_same_v<T, markup::Grid>) {
                    grid(b, node.src, x, width, out);
                    return glue(*b.style, b.style->space_after);
                } else if constexpr (std::is_same_v<T, markup::Bar>) {
                    out.push_back(bar(b, node.src, x, width));
                    return glue(*b.style, b.style->space_after);
                } else if constexpr (std::is_same_v<T, markup::Picture>) {
                    out.push_back(picture(b, node.src, x, width));
                    return glue(*b.style, b.style->space_after);
                } else if constexpr (std::is_same_v<T, markup::Rule>) {
                    const Style& s = *b.style;
                    Slice slice;
                    slice.before = glue(s, s.space_before);
                    double t = std::max(s.height, 0.25);
                    slice.height = t;
                    slice.src = &node.src;
                    slice.items.push_back(LineItem{x, t / 2, x + width, t / 2, t, s.color});
                    out.push_back(std::move(slice));
                    return glue(s, s.space_after);
                } else {
                    Slice slice;
                    slice.height = b.height;
                    slice.src = &node.src;
                    out.push_back(std::move(slice));
                    return {};
                }
            },
            node.content);
    }

    // The runs of a paragraph as set now: page numbers filled in, the last `dropped` optional
    // groups left out, whitespace collapsed.
    ParagraphSpec spec_of(const markup::Paragraph& p, const SourcePos& src, int dropped) const {
        ParagraphSpec spec;
        spec.align = p.style->align;
        spec.leading = p.style->leading;
        spec.src = &src;
        int kept_groups = p.optional_groups - dropped;
        for (const markup::Run& r : p.runs) {
            if (r.optional >= kept_groups) continue;
            InlineRun run = r.run;
            if (r.field == markup::Field::page_number) run.text = std::to_string(numbers_.page);
            if (r.field == markup::Field::page_count) run.text = std::to_string(numbers_.pages);
            spec.runs.push_back(std::move(run));
        }
        collapse_whitespace(spec.runs);
        return spec;
    }

    // spec_of(p, src, 0), made once per document (again for a paragraph with page numbers when
    // they changed): a table cell's paragraphs are measured for the column widths before they are
    // set (190 specs made a factsheet, 108 different).
    const ParagraphSpec& whole_spec(const markup::Paragraph& p, const SourcePos& src) const {
        auto [it, made] = kept_specs_.try_emplace(&p);
        KeptSpec& kept = it->second;
        if (made)
            kept.numbered = std::any_of(p.runs.begin(), p.runs.end(),
                                        [](const markup::Run& r) { return r.field != markup::Field::text; });
        if (made ||
            (kept.numbered && (kept.numbers.page != numbers_.page || kept.numbers.pages != numbers_.pages))) {
            kept.spec = spec_of(p, src, 0);
            kept.numbers = numbers_;
        }
        return kept.spec;
    }

    // The paragraph set in a measure of `width`, with the warnings setting it gives, placed at the
    // paragraph's position. Kept by the engine (LayoutEngine::setting): the Mali factsheet sets
    // its paragraphs 112 times, 63 of them different. Shared, not copied: a paragraph copies the
    // items it places.
    std::shared_ptr<const SetParagraph> set(const ParagraphSpec& spec, double width,
                                            std::vector<Diagnostic>& warnings) const {
        std::shared_ptr<const LayoutEngine::Setting> kept = engine_.setting(setting_key(spec, width), [&] {
            std::vector<Diagnostic> given;
            LayoutEngine::Setting made{set_paragraph(spec, width, sheet_.fonts, hyphenator_, engine_.rules(),
                                                     given, &doc_.hyphenation),
                                       {}};
            for (Diagnostic& d : given) made.warnings.push_back(std::move(d.message));
            return made;
        });
        for (const std::string& message : kept->warnings) warnings.push_back({spec.where(), message});
        return {kept, &kept->set};
    }

    // Everything set_paragraph reads of a paragraph, its measure, its language and its document's
    // hyphenation exceptions, in bytes; not its position, which only its diagnostics give.
    std::string setting_key(const ParagraphSpec& spec, double width) const {
        std::string key;
        std::size_t size = exceptions_key_.size() + 64;
        for (const InlineRun& r : spec.runs)
            size += r.text.size() + r.href.size() + r.link_title.size() + r.lang.size() + 96;
        key.reserve(size);  // grown a piece at a time, it was reallocated some 400 times a factsheet
        auto value = [&key](const auto& v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
        auto text = [&key, &value](std::string_view t) {
            value(t.size());
            key.append(t);
        };
        value(width);
        value(spec.align);
        value(spec.leading);
        value(hyphenator_);
        value(spec.runs.size());
        for (const InlineRun& r : spec.runs) {
            text(r.text);
            value(r.font);
            value(r.size);
            value(r.color.r);
            value(r.color.g);
            value(r.color.b);
            text(r.href);
            value(r.hyphenate);
            value(r.forced_break);
            text(r.link_title);
            text(r.lang);
        }
        // Last: every paragraph of a document has the same, and keys are told apart in order.
        key += exceptions_key_;
        return key;
    }

    // A paragraph with a line limit (a running header or footer) is shortened by rule, never
    // wrapped: first its <optional> parts go, the last first; then its longest run loses words
    // from its end, marked with an ellipsis.
    // `spec` is left as the paragraph was set, so that each line's runs can be looked up.
    std::shared_ptr<const SetParagraph> set_within_lines(const markup::Paragraph& p, const SourcePos& src,
                                                         double width, ParagraphSpec& spec) {
        std::vector<Diagnostic> trial;
        auto fits = [&](const std::shared_ptr<const SetParagraph>& s) {
            return s->lines.size() <= static_cast<std::size_t>(p.max_lines);
        };
        for (int dropped = 0; dropped <= p.optional_groups; ++dropped) {
            spec = spec_of(p, src, dropped);
            trial.clear();
            std::shared_ptr<const SetParagraph> s = set(spec, width, trial);
            if (fits(s)) {
                warnings_->insert(warnings_->end(), trial.begin(), trial.end());
                return s;
            }
        }
        std::size_t longest = 0;
        for (std::size_t i = 0; i < spec.runs.size(); ++i)
            if (spec.runs[i].text.size() > spec.runs[longest].text.size()) longest = i;
        if (!spec.runs.empty()) {
            std::string text = spec.runs[longest].text;
            while (!text.empty()) {
                std::size_t cut = text.find_last_of(' ');
                // Words go one by one; a run of a single word loses characters instead.
                if (cut == std::string::npos || cut == 0) {
                    std::size_t i = text.size();
                    do --i;
                    while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80);
                    cut = i;
                }
                text.erase(cut);
                while (!text.empty() && (text.back() == ',' || text.back() == ' ' || text.back() == ';'))
                    text.pop_back();
                ParagraphSpec shorter = spec;
                shorter.runs[longest].text =
                    text.empty() ? std::string(ellipsis) : text + std::string(ellipsis);
                trial.clear();
                std::shared_ptr<const SetParagraph> s = set(shorter, width, trial);
                if (fits(s)) {
                    warnings_->insert(warnings_->end(), trial.begin(), trial.end());
                    spec = std::move(shorter);
                    return s;
                }
            }
        }
        warnings_->push_back({src, "the text does not fit in " + std::to_string(p.max_lines) +
                                       " line(s) even shortened: shorten it or widen its box"});
        return set(spec, width, *warnings_);
    }

    void paragraph(const markup::Paragraph& p, const SourcePos& src, double x, double width,
                   std::vector<Slice>& out) {
        const Style& s = *p.style;
        ParagraphSpec own;  // a spec of this paragraph's own: shortened or shrunk to fit
        const ParagraphSpec* as_set = &own;
        std::shared_ptr<const SetParagraph> setting;
        if (p.max_lines > 0) {
            setting = set_within_lines(p, src, width, own);
        } else {
            as_set = &whole_spec(p, src);
            if (p.least_size > 0) {
                own = fitted(*as_set, p, width);
                as_set = &own;
            }
            setting = set(*as_set, width, *warnings_);
        }
        const ParagraphSpec& spec = *as_set;
        const SetParagraph& set_lines = *setting;
        std::size_t n = set_lines.lines.size();
        const TypesetRules& rules = engine_.rules();
        int recorded = -1;
        if (report_ && n > 0) {
            ParagraphReport r;
            r.src = src;
            r.lines = static_cast<int>(n);
            r.justified = s.align == Align::justify;
            r.optimal = set_lines.optimal;
            for (std::size_t i = 0; i < n; ++i) {
                r.hyphenated += set_lines.lines[i].hyphenated ? 1 : 0;
                if (i + 1 < n) r.worst_ratio = std::max(r.worst_ratio, set_lines.lines[i].ratio);
                if (i + 1 < n && set_lines.lines[i].ratio > 1) ++r.loose_lines;
                r.tightest_ratio = std::min(r.tightest_ratio, set_lines.lines[i].ratio);
            }
            recorded = static_cast<int>(report_->paragraphs.size());
            report_->paragraphs.push_back(r);
        }
        // Its node: P, H2 for a heading, or the markup's tag; each link a Link node in it, holding
        // the link's text and annotation, described by the link's title; text in another
        // language a Span node that says which (ISO 32000-1 14.9.2).
        int tag = n > 0 ? node(p.tag.empty() ? (p.heading ? "H2" : "P") : p.tag) : artifact;
        std::map<std::string, int> links, spans;  // by target; by language and the node holding it
        auto link_node = [&](const std::string& uri) {
            auto [it, added] = links.emplace(uri, artifact);
            if (added && tag >= 0) {
                std::string title;
                for (const InlineRun& r : spec.runs)
                    if (r.href == uri && !r.link_title.empty()) title = r.link_title;
                it->second = node("Link", tag, title);
            }
            return it->second;
        };
        auto span_node = [&](const std::string& lang, int holder) {
            auto [it, added] = spans.emplace(lang + " " + std::to_string(holder), artifact);
            if (added && holder >= 0) {
                it->second = node("Span", holder);
                (*structure_)[static_cast<std::size_t>(it->second)].lang = lang;
            }
            return it->second;
        };
        int bookmark = -1;
        if (p.heading && in_body_ && n > 0) {  // a heading of the body: an entry of the outline
            std::string title;
            for (const InlineRun& r : spec.runs) title += r.forced_break ? " " : r.text;
            bookmark = static_cast<int>(bookmarks_.size());
            bookmarks_.push_back(std::move(title));
        }
        for (std::size_t i = 0; i < n; ++i) {
            Slice slice;
            slice.height = set_lines.lines[i].height;
            if (i == 0) slice.before = glue(s, s.space_before);
            if (i == 0) slice.bookmark = bookmark;
            slice.src = &src;
            slice.paragraph = recorded;
            // The line's items, copied from the setting (which other paragraphs may share), placed
            // and tagged, in order.
            const SetLine& line = set_lines.lines[i];
            slice.items = line.items;
            for (std::size_t k = 0; k < slice.items.size(); ++k) {
                PageItem& item = slice.items[k];
                const InlineRun& run = spec.runs[static_cast<std::size_t>(line.runs[k])];
                if (auto* t = std::get_if<TextItem>(&item)) {
                    int holder = run.href.empty() ? tag : link_node(run.href);
                    t->tag = run.lang.empty() || holder < 0 ? holder : span_node(run.lang, holder);
                }
                if (auto* l = std::get_if<LinkItem>(&item)) l->tag = link_node(l->uri);
                translate(item, x, 0);
            }
            // Widow and orphan control: a break after line i leaves i+1 lines behind and n-i-1 ahead.
            std::size_t kept = i + 1, carried = n - i - 1;
            slice.break_after = carried == 0 || (kept >= static_cast<std::size_t>(rules.orphans) &&
                                                 carried >= static_cast<std::size_t>(rules.widows));
            out.push_back(std::move(slice));
        }
    }

    // A box: padding, background and border around block content; never split across pages.
    Slice box(const markup::Box& b, double x, double width, double min_height) {
        const Style& s = *b.style;
        std::vector<Slice> inner;
        double content_width = width - s.padding.left - s.padding.right;
        if (content_width <= 0) throw Error(b.pos, "the box is narrower than its padding");
        {
            ParentScope scope(parent_, b.tag.empty() ? -1 : node(b.tag));
            // What images in the box are composited over.
            Color outside = std::exchange(background_, s.background.value_or(background_));
            blocks(b.children, x + s.padding.left, content_width, inner);
            background_ = outside;
        }
        std::vector<PageItem> content;
        double h = stack(inner, content) + s.padding.top + s.padding.bottom;
        h = std::max({h, s.height, min_height});
        Slice slice;
        slice.before = glue(s, s.space_before);
        slice.height = h;
        slice.src = &b.src;
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
        move_items(content, 0, s.padding.top, slice.items);
        return slice;
    }

    // The height a box takes at a width, found by laying it out without keeping anything: the
    // probe records nothing and its warnings are dropped (the real pass gives them again).
    double probe_height(const markup::Box& b, double width) {
        LayoutReport* report = std::exchange(report_, nullptr);
        bool body = std::exchange(in_body_, false);
        std::vector<Diagnostic> probe_warnings;
        std::vector<Diagnostic>* warnings = std::exchange(warnings_, &probe_warnings);
        double h = box(b, 0, width, 0).height;
        warnings_ = warnings;
        report_ = report;
        in_body_ = body;
        return h;
    }

    // Boxes side by side, sharing one height.
    Slice cells_in_line(const std::vector<const markup::Box*>& cells, const std::vector<double>& widths,
                        double x, double gap, const Style& s, const SourcePos& src,
                        const std::vector<int>& parents = {}) {
        double height = 0;
        for (std::size_t i = 0; i < cells.size(); ++i)
            height = std::max(height, probe_height(*cells[i], widths[i]));
        Slice slice;
        slice.before = glue(s, s.space_before);
        slice.height = height;
        slice.src = &src;
        double cx = x;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            ParentScope scope(parent_, i < parents.size() ? parents[i] : -1);
            Slice b = box(*cells[i], cx, widths[i], height);
            move_items(b.items, 0, 0, slice.items);
            cx += widths[i] + gap;
        }
        return slice;
    }

    // Columns side by side with equal heights; widths "2*" (share), "25%", "120" (points) or
    // "auto" (the width of the content on one line).
    Slice row(const markup::Row& r, const SourcePos& src, double x, double width) {
        const std::vector<markup::Box>& cols = r.cells;
        double gap = r.style->gap;
        double free = width - gap * static_cast<double>(cols.size() - 1);
        std::vector<double> widths(cols.size(), 0);
        double shares = 0, fixed = 0, automatic = 0;
        for (std::size_t i = 0; i < cols.size(); ++i) {
            const markup::ColumnWidth& w = cols[i].width;
            using Unit = markup::ColumnWidth::Unit;
            if (w.unit == Unit::share) {
                shares += w.value;
            } else if (w.unit == Unit::automatic) {
                widths[i] = max_content(cols[i]);
                automatic += widths[i];
            } else {
                widths[i] = w.unit == Unit::percent ? free * w.value / 100 : w.value;
                fixed += widths[i];
            }
        }
        if (fixed > free + 0.01) throw Error(cols.front().pos, "the columns are wider than the row");
        // Columns as wide as their content give way when they would leave the shared ones less
        // than a third of the row (they then wrap, as any paragraph).
        double room = free - fixed - (shares > 0 ? free / 3 : 0);
        if (automatic > room && automatic > 0) {
            double scale = std::max(room, 0.0) / automatic;
            for (std::size_t i = 0; i < cols.size(); ++i)
                if (cols[i].width.unit == markup::ColumnWidth::Unit::automatic) widths[i] *= scale;
            automatic = std::max(room, 0.0);
        }
        for (std::size_t i = 0; i < cols.size(); ++i)
            if (cols[i].width.unit == markup::ColumnWidth::Unit::share)
                widths[i] = shares > 0 ? (free - fixed - automatic) * cols[i].width.value / shares : 0;
        std::vector<const markup::Box*> cells;
        for (const markup::Box& b : cols) cells.push_back(&b);
        return cells_in_line(cells, widths, x, gap, *r.style, src);
    }

    // Cells of equal width in rows, filled in order. The columns: as many as fit at the minimum
    // width (and no more than the markup's maximum), fewer while a cell's longest word (a name,
    // an e-mail address) would not fit. Cells keep that width however few they are, so the
    // cards of a page line up and a lone card does not stretch across it.
    void grid(const markup::Grid& g, const SourcePos& src, double x, double width, std::vector<Slice>& out) {
        std::size_t n = g.cells.size();
        if (n == 0) return;
        double gap = g.style->gap;
        auto cell_width = [&](std::size_t columns) {
            return (width - gap * static_cast<double>(columns - 1)) / static_cast<double>(columns);
        };
        std::size_t most = g.columns > 0 ? static_cast<std::size_t>(g.columns) : n;
        if (g.min_width > 0)
            most = std::min(most, static_cast<std::size_t>(
                                      std::max(1.0, std::floor((width + gap) / (g.min_width + gap)))));
        most = std::max<std::size_t>(1, most);
        double widest = 0;
        for (const markup::Box& b : g.cells) widest = std::max(widest, min_content(b));
        std::size_t columns = most;
        while (columns > 1 && widest > cell_width(columns) + 1e-6) --columns;
        double w = cell_width(columns);
        // A list (L), each cell an item (LI) whose body (LBody) holds what the cell holds, so a
        // key figure or a card is read as one unit; or a Div of the cells' content.
        int group = node(g.tag);
        for (std::size_t start = 0; start < n; start += columns) {
            std::vector<const markup::Box*> cells;
            std::vector<int> parents;
            for (std::size_t i = start; i < std::min(n, start + columns); ++i) {
                cells.push_back(&g.cells[i]);
                parents.push_back(g.tag == "L" && group >= 0 ? node("LBody", node("LI", group)) : group);
            }
            Slice line =
                cells_in_line(cells, std::vector<double>(cells.size(), w), x, gap, *g.style, src, parents);
            if (start > 0) line.before = glue(*g.style, g.style->row_gap);
            // As a paragraph's lines (widows and orphans): a page break leaves at least two rows
            // on either side, so a grid of three rows or fewer stays whole.
            std::size_t kept = start / columns + 1, rows = (n + columns - 1) / columns;
            line.break_after = kept == rows || (kept >= 2 && rows - kept >= 2);
            out.push_back(std::move(line));
        }
    }

    // The width a box needs so that none of its words is broken: its longest word, plus padding.
    double min_content(const markup::Box& b) const {
        double inner = 0;
        for (const Block& child : b.children) inner = std::max(inner, min_content(child));
        return inner + b.style->padding.left + b.style->padding.right;
    }

    double min_content(const Block& node) const {
        if (const auto* p = std::get_if<markup::Paragraph>(&node.content)) return widest_word(*p, node.src);
        if (const auto* b = std::get_if<markup::Box>(&node.content)) return min_content(*b);
        if (const auto* r = std::get_if<markup::Row>(&node.content)) {
            double sum = r->style->gap * static_cast<double>(r->cells.size() - 1);
            for (const markup::Box& c : r->cells) sum += min_content(c);
            return sum;
        }
        if (const auto* g = std::get_if<markup::Grid>(&node.content)) {
            double most = 0;
            for (const markup::Box& c : g->cells) most = std::max(most, min_content(c));
            return most;
        }
        return 0;
    }

    // The widest stretch of a paragraph that no line break may split: words between spaces (a
    // no-break space joins), across runs; a word may break after its hyphens, unless it is an
    // e-mail address or a URL (as the line breaker does). At the paragraph's own sizes.
    double widest_word(const ParagraphSpec& spec) const {
        struct Piece {
            const InlineRun* run;
            std::string_view text;
        };
        double widest = 0;
        std::vector<Piece> word;
        auto measure = [&](const std::vector<Piece>& pieces) {
            double w = 0;
            for (const Piece& piece : pieces)
                w += sheet_.fonts[static_cast<std::size_t>(piece.run->font)]->text_width(piece.text,
                                                                                         piece.run->size);
            return w;
        };
        auto finish = [&] {
            std::string whole;
            for (const Piece& piece : word) whole += piece.text;
            if (is_address(whole)) {
                widest = std::max(widest, measure(word));
            } else {
                std::vector<Piece> part;  // up to and with each hyphen
                for (const Piece& piece : word) {
                    std::size_t start = 0;
                    for (std::size_t i = 0; i < piece.text.size(); ++i)
                        if (piece.text[i] == '-') {
                            part.push_back({piece.run, piece.text.substr(start, i + 1 - start)});
                            widest = std::max(widest, measure(part));
                            part.clear();
                            start = i + 1;
                        }
                    part.push_back({piece.run, piece.text.substr(start)});
                }
                widest = std::max(widest, measure(part));
            }
            word.clear();
        };
        for (const InlineRun& r : spec.runs) {
            if (r.forced_break) {
                finish();
                continue;
            }
            std::string_view text = r.text;
            std::size_t start = 0;
            for (std::size_t i = 0; i <= text.size(); ++i) {
                if (i < text.size() && text[i] != ' ') continue;
                if (i > start) word.push_back({&r, text.substr(start, i - start)});
                if (i < text.size()) finish();
                start = i + 1;
            }
        }
        finish();
        return widest;
    }

    // A paragraph that may shrink (shrink-to-fit) does so, down to its least size, until its
    // widest word fits the width: a long e-mail address in a narrow card.
    ParagraphSpec fitted(ParagraphSpec spec, const markup::Paragraph& p, double width) const {
        if (p.least_size <= 0) return spec;
        double widest = widest_word(spec);
        if (widest <= width) return spec;
        double scale = std::max(p.least_size / p.style->size, width / widest);
        for (InlineRun& r : spec.runs) r.size *= scale;
        return spec;
    }

    // The width a paragraph needs so that none of its words is broken.
    double widest_word(const markup::Paragraph& p, const SourcePos& src) const {
        double w = widest_word(whole_spec(p, src));
        return p.least_size > 0 ? w * std::min(1.0, p.least_size / p.style->size) : w;
    }

    // The width a box takes with each paragraph on one line.
    double max_content(const markup::Box& b) {
        double inner = 0;
        for (const Block& child : b.children) {
            if (const auto* p = std::get_if<markup::Paragraph>(&child.content)) {
                std::vector<Diagnostic> ignored;
                std::shared_ptr<const SetParagraph> one = set(whole_spec(*p, child.src), 1e9, ignored);
                for (const SetLine& l : one->lines) inner = std::max(inner, l.natural_width);
            } else if (const auto* inner_box = std::get_if<markup::Box>(&child.content)) {
                inner = std::max(inner, max_content(*inner_box));
            } else {
                inner = std::max(inner, min_content(child));
            }
        }
        // A hair more than measured, so that rounding never wraps the line it was measured on.
        return inner + b.style->padding.left + b.style->padding.right + 0.01;
    }

    // A horizontal bar filled to `value`: the track in the style's background colour, the filled
    // part in its colour. Above 1 (overfunded), the whole track is the value: the part up to 1 in
    // the colour, the part beyond in the overflow colour, with a mark where 1 is.
    // An image, a locator map or a QR code in its frame: as wide as asked (at most the column),
    // placed by the style's alignment. With a description it is a Figure; without, decoration.
    Slice picture(const markup::Picture& p, const SourcePos& src, double x, double width) {
        const Style& s = *p.style;
        double w = p.width > 0 ? std::min(p.width, width) : width;
        double h = p.height;
        std::vector<PageItem> items;
        try {
            switch (p.kind) {
                case markup::Picture::Kind::image: {
                    std::shared_ptr<const RasterImage> img = engine_.image(p.file, background_);
                    double ratio = static_cast<double>(img->height) / std::max(img->width, 1);
                    if (p.fit == markup::Picture::Fit::width || h <= 0) h = w * ratio;
                    ImageItem item = layout_detail::place_image(
                        img->width, img->height, w, h, p.fit != markup::Picture::Fit::cover, s.align);
                    item.image = image_index(std::move(img));
                    items.push_back(item);
                    break;
                }
                case markup::Picture::Kind::map: {
                    if (h <= 0) h = w * 0.75;
                    std::shared_ptr<const LocatorMap> map = engine_.locator(p.country, w, h, p.places);
                    items = layout_detail::draw_map(*map, s, *sheet_.fonts[static_cast<std::size_t>(s.font)],
                                                    s.font);
                    break;
                }
                case markup::Picture::Kind::qr: {
                    h = w;
                    items = {DrawingItem{0, 0, engine_.qr_drawing(p.data, w, s.color), artifact}};
                    break;
                }
            }
        } catch (const Error& e) {
            // The picture's own error names its file; the block's position says where it is used.
            const Diagnostic& d = e.diagnostics().front();
            bool names_file = !d.pos.file.empty() && d.pos.file != src.file;
            throw Error(src, names_file ? d.pos.file + ": " + d.message : d.message);
        }
        // A frame narrower than the column is placed by the style's alignment.
        double dx = s.align == Align::right ? width - w : s.align == Align::center ? (width - w) / 2 : 0;
        Slice slice;
        slice.before = glue(s, s.space_before);
        slice.height = h;
        slice.src = &src;
        move_items(items, x + dx, 0, slice.items);
        int figure = p.alt.empty() ? artifact : node("Figure", -1, p.alt);
        retag(slice.items, figure);
        if (!p.href.empty()) {
            LinkItem link{Rect{x + dx, 0, w, h}, p.href};
            link.tag = node("Link", -1, p.link_title.empty() ? p.alt : p.link_title);
            slice.items.push_back(link);
        }
        return slice;
    }

    // The document's number for an image, each image numbered once.
    int image_index(std::shared_ptr<const RasterImage> img) {
        for (std::size_t i = 0; i < images_.size(); ++i)
            if (images_[i] == img) return static_cast<int>(i);
        images_.push_back(std::move(img));
        return static_cast<int>(images_.size() - 1);
    }

    Slice bar(const markup::Bar& b, const SourcePos& src, double x, double width) {
        const Style& s = *b.style;
        double value = b.value;
        if (!(value >= 0) || !std::isfinite(value)) {
            warnings_->push_back(
                {src, "bar value " + b.value_text + " is outside 0..1 and is drawn clamped"});
            value = 0;
        }
        Slice slice;
        slice.before = glue(s, s.space_before);
        slice.height = std::max(s.height, 1.0);
        slice.src = &src;
        RectItem track;
        track.rect = {x, 0, width, slice.height};
        track.fill = s.background.value_or(Color{0.9, 0.9, 0.9});
        slice.items.push_back(track);
        double full = value > 1 ? width / value : width;
        if (value > 0) {
            RectItem fill;
            fill.rect = {x, 0, full * std::min(value, 1.0), slice.height};
            fill.fill = s.color;
            slice.items.push_back(fill);
        }
        if (value > 1) {
            RectItem over;
            over.rect = {x + full, 0, width - full, slice.height};
            over.fill = s.overflow_color.value_or(Color{s.color.r * 0.6, s.color.g * 0.6, s.color.b * 0.6});
            slice.items.push_back(over);
            double mark = std::max(0.75, slice.height / 8);
            slice.items.push_back(
                LineItem{x + full, -1.5, x + full, slice.height + 1.5, mark, Color{1, 1, 1}});
        }
        // A Figure: its drawing is its content, its alternate description says what it shows.
        retag(slice.items, node("Figure", -1, b.alt));
        return slice;
    }

private:
    const LayoutEngine& engine_;
    const StyleSheet& sheet_;
    const markup::Document& doc_;
    std::vector<Diagnostic>* warnings_;  // where warnings go now
    const Hyphenator* hyphenator_ = nullptr;
    PageNumbers numbers_;
    struct KeptSpec {
        ParagraphSpec spec;
        bool numbered = false;  // it holds the page number or count
        PageNumbers numbers;    // when it was made
    };
    mutable std::unordered_map<const markup::Paragraph*, KeptSpec> kept_specs_;  // whole_spec()
    LayoutReport* report_ = nullptr;
    std::vector<std::string> bookmarks_;
    bool in_body_ = false;  // laying out the body for real (not the header, footer or a probe)
    std::vector<StructNode>* structure_ = nullptr;
    int parent_ = 0;             // the structure node new nodes go under
    Color background_{1, 1, 1};  // under what is being laid out: the page, or a box's background
    std::vector<std::shared_ptr<const RasterImage>> images_;  // the document's, by index
    std::string
        exceptions_key_;  // the document's hyphenation exceptions, in bytes: part of every setting's key

public:
    // The images drawn so far (ImageItem::image indexes them).
    const std::vector<std::shared_ptr<const RasterImage>>& images() const { return images_; }

private:
    // A new node of the logical structure under `parent` (the current parent when -1); outside
    // the body (header, footer, probes) none is made and the content is an artifact.
    int node(std::string type, int parent = -1, std::string alt = "") {
        if (!in_body_ || !structure_) return artifact;
        structure_->push_back({std::move(type), parent < 0 ? parent_ : parent, std::move(alt), ""});
        return static_cast<int>(structure_->size() - 1);
    }
};

// Which slices go on each page, and how much each page's glue is stretched (> 0) or shrunk (< 0),
// as a fraction of what it allows.
struct PageRange {
    std::size_t first = 0, end = 0;
    double ratio = 0;
};

// The natural height of slices [first, end) on one page (the first one's space dropped), and
// how far its glue can stretch and shrink.
struct Extent {
    double height = 0, stretch = 0, shrink = 0;
};

Extent extent(const std::vector<Slice>& slices, std::size_t first, std::size_t end) {
    Extent e;
    for (std::size_t k = first; k < end; ++k) {
        if (k > first) {
            e.height += slices[k].before.space;
            e.stretch += slices[k].before.stretch;
            e.shrink += slices[k].before.shrink;
        }
        e.height += slices[k].height;
    }
    return e;
}

// Splits slices into pages of `available` height: as much as fits (with the glue shrunk as far
// as it may when `shrink`), then back to the last place a break is allowed (widows, orphans,
// keep-with-next, boxes kept whole).
std::vector<PageRange> paginate(const std::vector<Slice>& slices, double available, bool shrink) {
    std::vector<PageRange> pages;
    std::size_t start = 0, n = slices.size();
    while (start < n) {
        double y = 0, give = 0;
        std::size_t k = start;
        std::ptrdiff_t last_ok = -1;
        while (k < n) {
            double sb = k == start ? 0 : slices[k].before.space;
            double sg = k == start || !shrink ? 0 : slices[k].before.shrink;
            if (y + sb + slices[k].height - (give + sg) > available + 1e-6 && k > start) break;
            y += sb + slices[k].height;
            give += sg;
            if (slices[k].break_after) last_ok = static_cast<std::ptrdiff_t>(k);
            ++k;
        }
        std::size_t end = k;
        if (k < n && last_ok >= static_cast<std::ptrdiff_t>(start))
            end = static_cast<std::size_t>(last_ok) + 1;
        pages.push_back({start, end, 0});
        start = end;
    }
    return pages;
}

// Page breaks for the body: natural spacing when that is all it takes; the glue shrunk when that
// saves a page (a factsheet that overflows by a few lines is tightened onto its pages); and then,
// should the last page still hold less than `least_last_page` of it, blocks move over to it from the page
// before. Pages other than the last stretch their glue to reach the bottom when it allows
// (TeX's \flushbottom), else keep it natural.
std::vector<PageRange> break_pages(const std::vector<Slice>& slices, double available,
                                   double least_last_page) {
    std::vector<PageRange> pages = paginate(slices, available, false);
    if (pages.size() > 1) {
        std::vector<PageRange> tight = paginate(slices, available, true);
        if (tight.size() < pages.size()) pages = std::move(tight);
    }
    if (pages.size() > 1) {
        PageRange& last = pages.back();
        PageRange& before = pages[pages.size() - 2];
        if (extent(slices, last.first, last.end).height < least_last_page * available) {
            for (std::size_t cut = before.end - 1; cut > before.first; --cut) {
                if (!slices[cut - 1].break_after) continue;
                Extent moved = extent(slices, cut, last.end);
                if (moved.height - moved.shrink > available + 1e-6) break;
                if (moved.height >= least_last_page * available) {
                    before.end = cut;
                    last.first = cut;
                    break;
                }
            }
        }
    }
    for (std::size_t p = 0; p < pages.size(); ++p) {
        Extent e = extent(slices, pages[p].first, pages[p].end);
        if (e.height > available && e.shrink > 0)
            pages[p].ratio = -std::min(1.0, (e.height - available) / e.shrink);
        else if (e.height < available && e.stretch > 0 && p + 1 < pages.size() &&
                 available - e.height <= e.stretch)
            pages[p].ratio = (available - e.height) / e.stretch;
    }
    return pages;
}

}  // namespace

PagedDocument LayoutEngine::lay_out(std::string_view markup_text, const std::string& markup_file,
                                    std::vector<Diagnostic>& warnings, LayoutReport* report) const {
    markup::Document doc = markup::read(markup_text, markup_file, sheet_);
    Flow flow(*this, doc, warnings);
    flow.set_language(doc.lang);

    PagedDocument out;
    out.info = doc.info;

    const PageGeometry& g = sheet_.page;
    double content_width = g.width - g.margin_left - g.margin_right;
    double body_height = g.height - g.margin_top - g.margin_bottom;

    std::vector<Slice> body;
    flow.set_report(report);
    flow.set_body(true);
    flow.set_structure(&out.structure);
    flow.blocks(doc.body, g.margin_left, content_width, body);
    flow.set_structure(nullptr);
    flow.set_body(false);
    flow.set_report(nullptr);
    for (std::size_t k = 0; k < body.size(); ++k)
        if (body[k].height > body_height + 1e-6)
            warnings.push_back({body[k].src ? *body[k].src : SourcePos{},
                                "a block is taller than the page and runs past its bottom margin: "
                                "shorten it"});
    std::vector<PageRange> ranges = break_pages(body, body_height, rules_.least_last_page);
    if (ranges.empty()) ranges.push_back({0, 0, 0});
    if (report) {
        for (std::size_t p = 0; p < ranges.size(); ++p)
            for (std::size_t k = ranges[p].first; k < ranges[p].end; ++k) {
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
        double y = g.margin_top, ratio = ranges[p].ratio;
        for (std::size_t k = ranges[p].first; k < ranges[p].end; ++k) {
            Slice& s = body[k];
            if (k > ranges[p].first)
                y += s.before.space + (ratio >= 0 ? ratio * s.before.stretch : ratio * s.before.shrink);
            if (s.bookmark >= 0)
                out.outline.push_back({flow.bookmarks()[static_cast<std::size_t>(s.bookmark)], p, y});
            move_items(s.items, 0, y, page.items);
            y += s.height;
        }
        flow.set_numbers({static_cast<int>(p + 1), static_cast<int>(ranges.size())});
        if (doc.has_header) {
            std::vector<Slice> slices;
            flow.blocks(doc.header, g.margin_left, content_width, slices);
            std::vector<PageItem> items;
            stack(slices, items);
            retag(items, pagination_artifact);
            move_items(items, 0, g.header_top, page.items);
        }
        if (doc.has_footer) {
            std::vector<Slice> slices;
            flow.blocks(doc.footer, g.margin_left, content_width, slices);
            std::vector<PageItem> items;
            double h = stack(slices, items);
            retag(items, pagination_artifact);
            move_items(items, 0, g.height - g.footer_bottom - h, page.items);
        }
        out.pages.push_back(std::move(page));
    }

    // Only the images drawn go into the document (a probe may have met others), renumbered in
    // order of first use; likewise the fonts.
    std::map<int, int> drawn;
    for (Page& page : out.pages)
        for (PageItem& item : page.items)
            if (auto* im = std::get_if<ImageItem>(&item)) {
                auto [it, added] = drawn.emplace(im->image, static_cast<int>(out.images.size()));
                if (added) out.images.push_back(flow.images()[static_cast<std::size_t>(im->image)]);
                im->image = it->second;
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
