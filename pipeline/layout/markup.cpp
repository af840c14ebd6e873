#include "layout/markup.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <pugixml.hpp>

#include "common/xml.hpp"

namespace factsheet::markup {

namespace {

// Boxes, rows and inline elements nest; a limit on their nesting keeps a runaway template from
// overflowing the stack (here and in the layout that walks the tree). Real layouts nest a handful.
constexpr int max_nesting = 100;

// Counts one level of nesting while it lives; throws Error at `where` past max_nesting.
class Nesting {
public:
    // `where()` gives the position, worked out only for the error.
    template <typename Where>
    Nesting(int& depth, Where&& where) : depth_(depth) {
        if (depth_ >= max_nesting)
            throw Error(where(), "elements are nested more than " + std::to_string(max_nesting) +
                                     " deep: flatten the layout markup");
        ++depth_;
    }
    ~Nesting() { --depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

private:
    int& depth_;
};

class Reader {
public:
    Reader(std::string_view text, const std::string& file, const StyleSheet& sheet, std::string document_lang)
        : text_(text), map_(file, text), sheet_(sheet), document_lang_(std::move(document_lang)) {}

    SourcePos pos(const pugi::xml_node& node) const { return node_pos(map_, node, text_); }

    // Where a block's content came from: its src="file:line:col" when the template gave one.
    // Parsed by hand: std::regex recurses per character (a long value overflows the stack) and
    // std::stoi throws on numbers past int; a value that does not parse falls back to `at`, the
    // node's place in the markup.
    SourcePos src(const pugi::xml_node& node, const SourcePos& at) const {
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
        return at;
    }

    const Style& style_of(const pugi::xml_node& node) const {
        std::string name = node.attribute("style").value();
        if (name.empty())
            throw Error(pos(node), "<" + std::string(node.name()) + "> needs a style attribute");
        // The position is worked out only for the error: a factsheet looks up some 800 styles.
        if (const Style* style = sheet_.find_style(name)) return *style;
        return sheet_.style(name, pos(node));
    }

    static constexpr double max_markup_number = 1e6;

    double number(const pugi::xml_node& node, const char* attr, double fallback) const {
        pugi::xml_attribute a = node.attribute(attr);
        if (!a) return fallback;
        std::string s = a.value();
        double v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size())
            throw Error(pos(node), std::string(attr) + "=\"" + s + "\" is not a number");
        // "inf", "nan" and 1e300 parse too: no length, size or value of a page comes near the bound.
        if (!(v >= -max_markup_number && v <= max_markup_number))
            throw Error(pos(node),
                        std::string(attr) + "=\"" + s + "\" must be a number from -1000000 to 1000000");
        return v;
    }

    // A whole number of at least `least`, or `fallback` when the attribute is absent.
    int count(const pugi::xml_node& node, const char* attr, int least, int fallback) const {
        pugi::xml_attribute a = node.attribute(attr);
        if (!a) return fallback;
        std::string s = a.value();
        int v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size() || v < least || v > 1000)
            throw Error(pos(node), std::string(attr) + "=\"" + s + "\" must be a whole number from " +
                                       std::to_string(least) + " to 1000");
        return v;
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

    // A structure type (tagged PDF) among those the element may take; `fallback` when absent.
    std::string tag(const pugi::xml_node& node, std::initializer_list<std::string_view> allowed,
                    const char* fallback) const {
        pugi::xml_attribute a = node.attribute("tag");
        if (!a) return fallback;
        std::string_view v = a.value();
        if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return std::string(v);
        std::string list;
        for (std::string_view n : allowed) list += (list.empty() ? "" : ", ") + std::string(n);
        throw Error(pos(node), "tag=\"" + std::string(v) + "\" on <" + node.name() + ">: use " + list);
    }

    // TeX's \hyphenation: <hyphenation word="Tom-bouc-tou"/> children of <document>.
    void hyphenation(const pugi::xml_node& node, HyphenationExceptions& out) const {
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
        out[plain] = std::move(points);
    }

    // The block children of `parent`.
    std::vector<Block> blocks(const pugi::xml_node& parent) {
        Nesting level(depth_, [&] { return pos(parent); });
        std::vector<Block> out;
        for (pugi::xml_node node : parent.children()) {
            if (node.type() == pugi::node_pcdata) {
                if (std::string(node.value()).find_first_not_of(" \t\r\n") != std::string::npos)
                    throw Error(pos(node), "text outside a paragraph: wrap it in <p style=\"...\">");
                continue;
            }
            if (node.type() != pugi::node_element) continue;
            out.push_back(block(node));
        }
        return out;
    }

    Block block(const pugi::xml_node& node) {
        std::string kind = node.name();
        if (kind == "p" || kind == "h")
            check_attributes(
                node, {"style", "src", "keep-with-next", "hyphenate", "max-lines", "shrink-to-fit", "tag"});
        else if (kind == "box")
            check_attributes(node, {"style", "src", "keep-with-next", "width", "tag"});
        else if (kind == "bar")
            check_attributes(node, {"style", "src", "keep-with-next", "value", "alt"});
        else if (kind == "row" || kind == "rule")
            check_attributes(node, {"style", "src", "keep-with-next"});
        else if (kind == "grid")
            check_attributes(node, {"style", "src", "keep-with-next", "columns", "min-width", "tag"});
        else if (kind == "space")
            check_attributes(node, {"height", "keep-with-next"});
        else if (kind == "image")
            check_attributes(node, {"style", "src", "keep-with-next", "file", "width", "height", "fit", "alt",
                                    "href", "title"});
        else if (kind == "map")
            check_attributes(node, {"style", "src", "keep-with-next", "country", "width", "height", "alt"});
        else if (kind == "qr")
            check_attributes(node,
                             {"style", "src", "keep-with-next", "data", "width", "alt", "href", "title"});
        Block b;
        b.pos = pos(node);
        b.src = src(node, b.pos);
        b.keep_with_next = std::string_view(node.attribute("keep-with-next").value()) == "yes";
        if (kind == "p" || kind == "h") {
            b.content = paragraph(node, kind == "h");
        } else if (kind == "box") {
            b.content = box(node);
        } else if (kind == "row") {
            Row r;
            r.style = &style_of(node);
            r.cells = cells(node, "row", true);
            if (r.cells.empty()) throw Error(pos(node), "a <row> needs at least one <box>");
            b.content = std::move(r);
        } else if (kind == "grid") {
            Grid g;
            g.style = &style_of(node);
            g.columns = count(node, "columns", 1, 0);
            g.min_width = number(node, "min-width", 0);
            if (g.min_width < 0)
                throw Error(pos(node), "min-width=\"" + std::string(node.attribute("min-width").value()) +
                                           "\" must not be negative");
            g.tag = tag(node, {"L", "Div"}, "L");
            g.cells = cells(node, "grid", false);
            b.content = std::move(g);
        } else if (kind == "bar") {
            Bar bar;
            bar.style = &style_of(node);
            bar.value = number(node, "value", 0);
            bar.value_text = node.attribute("value").value();
            bar.alt = node.attribute("alt").value();
            b.content = std::move(bar);
        } else if (kind == "rule") {
            b.content = Rule{&style_of(node)};
        } else if (kind == "space") {
            b.content = Space{number(node, "height", 0)};
        } else if (kind == "image" || kind == "map" || kind == "qr") {
            b.content = picture(node, kind);
        } else {
            throw Error(pos(node), "unknown block <" + kind +
                                       ">: use p, h, box, row, grid, bar, rule, space, image, map or qr");
        }
        return b;
    }

    Picture picture(const pugi::xml_node& node, const std::string& kind) {
        Picture p;
        p.pos = pos(node);
        p.style = &style_of(node);
        p.kind = kind == "image" ? Picture::Kind::image
                 : kind == "map" ? Picture::Kind::map
                                 : Picture::Kind::qr;
        p.alt = node.attribute("alt").value();
        p.href = node.attribute("href").value();
        p.link_title = node.attribute("title").value();
        p.width = number(node, "width", 0);
        p.height = number(node, "height", 0);
        for (const char* attr : {"width", "height"}) {
            double v = number(node, attr, 0);
            if (!(v >= 0 && v <= 10000))
                throw Error(pos(node), std::string(attr) + "=\"" + node.attribute(attr).value() +
                                           "\" must be a size in points from 0 to 10000");
        }
        auto required = [&](const char* attr) {
            std::string value = node.attribute(attr).value();
            if (value.empty()) throw Error(pos(node), "<" + kind + "> needs a " + attr + " attribute");
            return value;
        };
        if (p.kind == Picture::Kind::image) {
            p.file = required("file");
            std::string fit = node.attribute("fit").value();
            if (fit == "cover")
                p.fit = Picture::Fit::cover;
            else if (fit == "width")
                p.fit = Picture::Fit::width;
            else if (!fit.empty() && fit != "contain")
                throw Error(pos(node), "fit=\"" + fit + "\" must be contain, cover or width");
        } else if (p.kind == Picture::Kind::map) {
            p.country = required("country");
            for (pugi::xml_node child : node.children()) {
                if (child.type() == pugi::node_pcdata &&
                    std::string(child.value()).find_first_not_of(" \t\r\n") != std::string::npos)
                    throw Error(pos(child), "a <map> holds only <place> elements");
                if (child.type() != pugi::node_element) continue;
                if (std::string(child.name()) != "place")
                    throw Error(pos(child), "a <map> holds only <place> elements");
                check_attributes(child, {"name", "lon", "lat"});
                GeoPlace place{child.attribute("name").value(), number(child, "lon", 1000),
                               number(child, "lat", 1000)};
                if (!(place.lon >= -180 && place.lon <= 180 && place.lat >= -90 && place.lat <= 90))
                    throw Error(pos(child), "a <place> needs lon from -180 to 180 and lat from -90 to 90");
                p.places.push_back(std::move(place));
            }
        } else {
            p.data = required("data");
        }
        return p;
    }

    Box box(const pugi::xml_node& node) {
        Box b;
        b.style = &style_of(node);
        b.tag = tag(node, {"Sect", "Div", "Part", "Art", "BlockQuote"}, "");
        b.pos = pos(node);
        b.src = src(node, b.pos);
        b.children = blocks(node);
        return b;
    }

    // The <box> cells of a row or grid; only rows give them widths.
    std::vector<Box> cells(const pugi::xml_node& node, const char* parent, bool widths) {
        Nesting level(depth_, [&] { return pos(node); });
        std::vector<Box> out;
        for (pugi::xml_node c : node.children()) {
            if (c.type() == pugi::node_pcdata &&
                std::string(c.value()).find_first_not_of(" \t\r\n") != std::string::npos)
                throw Error(pos(c), std::string("a <") + parent + "> holds only <box> cells");
            if (c.type() != pugi::node_element) continue;
            if (std::string(c.name()) != "box")
                throw Error(pos(c), std::string("a <") + parent + "> holds only <box> " +
                                        (widths ? "columns" : "cells"));
            if (widths)
                check_attributes(c, {"style", "src", "width"});
            else
                check_attributes(c, {"style", "src"});
            Box b = box(c);
            if (widths) b.width = column_width(c);
            out.push_back(std::move(b));
        }
        return out;
    }

    // Widths "2*" (share), "25%", "120" (points) or "auto" (as wide as its content on one line).
    ColumnWidth column_width(const pugi::xml_node& cell) const {
        const std::string w = cell.attribute("width").as_string("1*");
        if (w == "auto") return {ColumnWidth::Unit::automatic, 0};
        double v = 0;
        auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
        std::string unit(end, static_cast<const char*>(w.data() + w.size()));
        if (ec != std::errc() || v < 0 || (unit != "*" && unit != "%" && !unit.empty()))
            throw Error(pos(cell), "width=\"" + w + "\" must be like 2*, 25%, 120 or auto");
        if (unit == "*") return {ColumnWidth::Unit::share, v};
        if (unit == "%") return {ColumnWidth::Unit::percent, v};
        return {ColumnWidth::Unit::points, v};
    }

    Paragraph paragraph(const pugi::xml_node& node, bool heading) {
        Paragraph p;
        p.style = &style_of(node);
        p.heading = heading;
        std::string_view hyphenate = node.attribute("hyphenate").as_string("yes");
        if (hyphenate != "yes" && hyphenate != "no")
            throw Error(pos(node), "hyphenate=\"" + std::string(hyphenate) + "\" must be yes or no");
        p.max_lines = count(node, "max-lines", 1, 0);
        p.tag = tag(node, {"P", "H1", "H2", "H3", "H4", "H5", "H6", "Caption", "BlockQuote", "Note"}, "");
        p.least_size = number(node, "shrink-to-fit", 0);
        if (p.least_size < 0 || p.least_size > p.style->size)
            throw Error(pos(node), "shrink-to-fit=\"" + std::string(node.attribute("shrink-to-fit").value()) +
                                       "\" must be a font size from 0 to the style's size");
        Run base;
        base.run.font = p.style->font;
        base.run.size = p.style->size;
        base.run.color = p.style->color;
        base.run.hyphenate = p.style->hyphenate && hyphenate == "yes";
        inline_runs(node, base, *p.style, p);
        return p;
    }

    void inline_runs(const pugi::xml_node& node, const Run& current, const Style& base, Paragraph& p) {
        Nesting level(depth_, [&] { return pos(node); });
        for (pugi::xml_node child : node.children()) {
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
                Run r = current;
                r.run.text = child.value();
                p.runs.push_back(std::move(r));
                continue;
            }
            if (child.type() != pugi::node_element) continue;
            std::string kind = child.name();
            check_attributes(child, kind == "a" ? std::initializer_list<std::string_view>{"href", "title"}
                                    : kind == "span"
                                        ? std::initializer_list<std::string_view>{"style", "lang", "colour"}
                                        : std::initializer_list<std::string_view>{});
            Run inner = current;
            if (kind == "b") {
                inner.run.font = base.bold_font >= 0 ? base.bold_font : base.font;
            } else if (kind == "a") {
                inner.run.href = child.attribute("href").value();
                inner.run.link_title = child.attribute("title").value();
                if (inner.run.href.empty()) throw Error(pos(child), "<a> needs an href");
            } else if (kind == "span") {
                if (child.attribute("style") || (!child.attribute("lang") && !child.attribute("colour"))) {
                    const Style& s = style_of(child);
                    inner.run.font = s.font;
                    inner.run.size = s.size;
                    inner.run.color = s.color;
                }
                // Only the colour changes: the text keeps its font and size (bold stays bold).
                if (pugi::xml_attribute colour = child.attribute("colour")) {
                    std::optional<Color> c = parse_color(colour.value(), sheet_.colors);
                    if (!c)
                        throw Error(pos(child), "colour=\"" + std::string(colour.value()) +
                                                    "\" is neither a colour name of " + sheet_.file +
                                                    " nor #RRGGBB");
                    inner.run.color = *c;
                }
                if (pugi::xml_attribute lang = child.attribute("lang")) {
                    std::string code = lang.value();
                    bool ok = std::all_of(code.begin(), code.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                               c == '-';
                    });
                    if (!ok || (!code.empty() && (code.front() == '-' || code.back() == '-')))
                        throw Error(pos(child), "lang=\"" + code + "\" is not a language tag such as \"fr\"");
                    // Another language than the document's: said in the structure, and not
                    // hyphenated with the document's patterns. Empty: the document's own.
                    if (!code.empty() && code != document_lang_) {
                        inner.run.lang = code;
                        inner.run.hyphenate = false;
                    }
                }
            } else if (kind == "nohyphen") {
                inner.run.hyphenate = false;
            } else if (kind == "optional") {
                inner.optional = p.optional_groups++;
            } else if (kind == "br") {
                Run r = current;
                r.run.forced_break = true;
                p.runs.push_back(std::move(r));
                continue;
            } else if (kind == "page-number" || kind == "page-count") {
                Run r = current;
                r.field = kind == "page-number" ? Field::page_number : Field::page_count;
                p.runs.push_back(std::move(r));
                continue;
            } else {
                throw Error(pos(child),
                            "unknown inline element <" + kind +
                                ">: use b, a, span, nohyphen, optional, br, page-number or page-count");
            }
            inline_runs(child, inner, base, p);
        }
    }

private:
    std::string_view text_;
    LineMap map_;
    const StyleSheet& sheet_;
    std::string document_lang_;  // <document lang>: a <span lang> of another one is marked as such
    int depth_ = 0;
};

}  // namespace

Document read(std::string_view text, const std::string& file, const StyleSheet& sheet) {
    pugi::xml_document doc;
    pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
    if (!parsed) throw parse_error(LineMap(file, text), parsed, "malformed layout markup");
    // A template can write what pugixml lets through (an attribute twice, "--" in a comment...).
    // The map of lines is built for the message only: the Reader builds its own, and one costs
    // 145,000 instructions for a factsheet's markup.
    if (auto bad = find_not_well_formed(text, "layout markup"))
        throw Error(LineMap(file, text).at(bad->offset), bad->message);
    pugi::xml_node root = doc.child("document");
    if (!root) throw Error(SourcePos{file, 1, 1}, "the layout markup's root element must be <document>");
    Reader reader(text, file, sheet, root.attribute("lang").value());

    Document out;
    DocumentInfo& info = out.info;
    info.title = root.attribute("title").value();
    info.author = root.attribute("author").value();
    info.subject = root.attribute("subject").value();
    info.keywords = root.attribute("keywords").value();
    out.lang = root.attribute("lang").value();
    for (pugi::xml_node h : root.children("hyphenation")) reader.hyphenation(h, out.hyphenation);
    out.body = reader.blocks(root.child("body"));
    if (pugi::xml_node header = root.child("header")) {
        out.has_header = true;
        out.header = reader.blocks(header);
    }
    if (pugi::xml_node footer = root.child("footer")) {
        out.has_footer = true;
        out.footer = reader.blocks(footer);
    }
    return out;
}

}  // namespace factsheet::markup
