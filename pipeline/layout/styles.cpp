#include "layout/styles.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <pugixml.hpp>
#include <sstream>

#include "common/files.hpp"
#include "common/xml.hpp"

namespace factsheet {

const Style* StyleSheet::find_style(const std::string& name) const {
    auto it = styles.find(name);
    return it == styles.end() ? nullptr : &it->second;
}

const Style& StyleSheet::style(const std::string& name, const SourcePos& where) const {
    if (const Style* found = find_style(name)) return *found;
    throw Error(where, "unknown style \"" + name + "\": define it in " + file);
}

std::optional<Color> parse_color(const std::string& text, const std::map<std::string, Color>& names) {
    if (auto it = names.find(text); it != names.end()) return it->second;
    if (text.size() != 7 || text[0] != '#') return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data() + 1, text.data() + 7, value, 16);
    if (ec != std::errc() || end != text.data() + 7) return std::nullopt;
    return Color{((value >> 16) & 0xFF) / 255.0, ((value >> 8) & 0xFF) / 255.0, (value & 0xFF) / 255.0};
}

namespace {

// What a styles file may hold (docs/layout-markup.md, "Limits"). A length beyond a page's height
// lays out nothing sensible; libharu draws lines at most 100 points wide and text at most 600.
constexpr double max_length = 841.89;     // points: the height of an A4 page
constexpr double max_font_size = 200;     // points
constexpr double max_leading = 300;       // points
constexpr double max_border_width = 100;  // points, libharu's HPDF_MAX_LINEWIDTH
constexpr double max_space_stretch = 10;  // times the space
constexpr double min_text_area = 100;     // points of the page's width and height inside the margins
constexpr std::size_t max_fonts = 32;     // <font> elements; each is a font file read and embedded
constexpr std::size_t max_styles = 1000;  // <style> elements
constexpr std::size_t max_styles_bytes = 1024 * 1024;

std::string format_points(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

// A value quoted in a message, cut when long.
std::string excerpt(const std::string& s) {
    if (s.size() <= 40) return s;
    std::size_t cut = 40;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "...";
}

class Reader {
public:
    Reader(const std::string& path, std::string_view text) : text_(text), map_(path, text), sink_(50) {}

    SourcePos pos(const pugi::xml_node& node) const { return node_pos(map_, node, text_); }
    void error(const pugi::xml_node& node, std::string message) { sink_.add(pos(node), std::move(message)); }
    DiagnosticSink& sink() { return sink_; }

    // A number of points from 0 (or more than 0, when `positive`) to `max`; what lies outside
    // would fail in the PDF stage without a place (libharu refuses a font size of 0) or lay out
    // nothing sensible.
    double number(const pugi::xml_node& node, const char* attr, double fallback, double max = max_length,
                  bool positive = false) {
        pugi::xml_attribute a = node.attribute(attr);
        if (!a) return fallback;
        std::string s = a.value();
        double v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size() || !(v >= 0) || (positive && v == 0) || v > max) {
            error(node, std::string("attribute ") + attr + "=\"" + excerpt(s) +
                            "\" must be a number of points " + (positive ? "more than 0" : "from 0") +
                            " to " + format_points(max));
            return fallback;
        }
        return v;
    }

private:
    std::string_view text_;
    LineMap map_;
    DiagnosticSink sink_;
};

constexpr double a4_width = 595.276, a4_height = 841.89;

Sides parse_sides(Reader& r, const pugi::xml_node& node, const Sides& fallback) {
    pugi::xml_attribute a = node.attribute("padding");
    if (!a) return fallback;
    std::istringstream in(a.value());
    std::vector<double> v;
    double x = 0;
    while (in >> x) v.push_back(x);
    bool out_of_range =
        std::any_of(v.begin(), v.end(), [](double d) { return !(d >= 0 && d <= max_length); });
    if (!in.eof() || v.empty() || v.size() == 3 || v.size() > 4 || out_of_range) {
        r.error(node, "padding=\"" + excerpt(a.value()) +
                          "\" must be 1, 2 or 4 numbers of points from 0 to " + format_points(max_length));
        return fallback;
    }
    if (v.size() == 1) return {v[0], v[0], v[0], v[0]};
    if (v.size() == 2) return {v[0], v[1], v[0], v[1]};
    return {v[0], v[1], v[2], v[3]};
}

}  // namespace

StyleSheet read_styles(const std::string& path) {
    std::string text = read_regular_file(
        path, max_styles_bytes, layout_file_errors(path, "the styles file", max_styles_bytes, [&](int) {
            return Error(SourcePos{path, 0, 0}, "cannot read styles: check the layout folder");
        }));
    return parse_styles(text, path);
}

StyleSheet parse_styles(std::string_view text, const std::string& path) {
    if (text.size() > max_styles_bytes)
        throw Error(SourcePos{path, 0, 0}, "the styles file is " + std::to_string(text.size()) +
                                               " bytes; it may hold at most " +
                                               std::to_string(max_styles_bytes) +
                                               " bytes (1 MiB): check that this is the right file");
    pugi::xml_document doc;
    Reader r(path, text);
    load_xml(doc, text, LineMap(path, text), "a styles file");
    pugi::xml_node root = doc.child("styles");
    if (!root) throw Error(SourcePos{path, 1, 1}, "the root element must be <styles>");

    StyleSheet sheet;
    sheet.file = path;
    std::filesystem::path folder = std::filesystem::path(path).parent_path();

    for (pugi::xml_node node : root.children()) {
        if (node.type() != pugi::node_element) continue;
        std::string kind = node.name();
        if (kind == "page") {
            std::string size = node.attribute("size").as_string("A4");
            if (size != "A4") r.error(node, "page size \"" + size + "\" is not supported: use A4");
            PageGeometry& g = sheet.page;
            g.width = a4_width;
            g.height = a4_height;
            g.margin_top = r.number(node, "margin-top", g.margin_top);
            g.margin_bottom = r.number(node, "margin-bottom", g.margin_bottom);
            g.margin_left = r.number(node, "margin-left", g.margin_left);
            g.margin_right = r.number(node, "margin-right", g.margin_right);
            g.header_top = r.number(node, "header-top", g.header_top);
            g.footer_bottom = r.number(node, "footer-bottom", g.footer_bottom);
            if (g.margin_top + g.margin_bottom > g.height - min_text_area ||
                g.margin_left + g.margin_right > g.width - min_text_area)
                r.error(node, "the margins leave less than " + format_points(min_text_area) +
                                  " points of the page's width or height for the text: make them smaller");
        } else if (kind == "font") {
            std::string name = node.attribute("name").value();
            if (name.empty()) {
                r.error(node, "<font> needs a name");
                continue;
            }
            if (sheet.font_names.count(name)) {
                r.error(node, "font \"" + name + "\" is defined twice");
                continue;
            }
            if (sheet.fonts.size() == max_fonts) {
                r.error(node, "a styles file may define at most " + std::to_string(max_fonts) +
                                  " fonts; this is one more: use fewer fonts");
                break;
            }
            try {
                std::string file = node.attribute("file").value();
                if (file.empty())
                    file = find_font_file(node.attribute("family").value(), node.attribute("style").value());
                else if (std::filesystem::path(file).is_relative())
                    file = (folder / file).string();
                sheet.font_names[name] = static_cast<int>(sheet.fonts.size());
                sheet.fonts.push_back(std::make_shared<TrueTypeFont>(file));
            } catch (const Error& e) {
                r.error(node, e.diagnostics().front().message +
                                  (e.diagnostics().front().pos.file.empty()
                                       ? ""
                                       : " (" + format_pos(e.diagnostics().front().pos) + ")"));
            }
        } else if (kind == "colour" || kind == "color") {
            std::string name = node.attribute("name").value();
            auto c = parse_color(node.attribute("value").value(), {});
            if (name.empty() || !c)
                r.error(node, "<colour> needs a name and a value like \"#0072BC\"");
            else
                sheet.colors[name] = *c;
        } else if (kind != "style") {
            r.error(node, "unknown element <" + kind + ">: use <page>, <font>, <colour> or <style>");
        }
    }

    std::size_t style_count = 0;
    for (pugi::xml_node node : root.children("style")) {
        if (++style_count > max_styles) {
            r.error(node, "a styles file may define at most " + std::to_string(max_styles) +
                              " styles; this is one more: merge some");
            break;
        }
        std::string name = node.attribute("name").value();
        if (name.empty()) {
            r.error(node, "<style> needs a name");
            continue;
        }
        if (sheet.styles.count(name)) {
            r.error(node, "style \"" + name + "\" is defined twice");
            continue;
        }
        Style s;
        if (pugi::xml_attribute based = node.attribute("based-on")) {
            auto it = sheet.styles.find(based.value());
            if (it == sheet.styles.end())
                r.error(node, "style \"" + name + "\" is based on \"" + based.value() +
                                  "\", which is not defined above it");
            else
                s = it->second;
        }
        s.name = name;
        static const char* known[] = {"name",
                                      "based-on",
                                      "font",
                                      "bold-font",
                                      "size",
                                      "leading",
                                      "colour",
                                      "color",
                                      "align",
                                      "hyphenate",
                                      "space-before",
                                      "space-after",
                                      "background",
                                      "border",
                                      "border-width",
                                      "padding",
                                      "height",
                                      "gap",
                                      "space-stretch",
                                      "space-shrink",
                                      "row-gap",
                                      "overflow-colour",
                                      "neighbour-colour",
                                      "marker-colour"};
        for (pugi::xml_attribute a : node.attributes()) {
            bool ok = false;
            for (const char* k : known) ok = ok || std::string(a.name()) == k;
            if (!ok)
                r.error(node,
                        "unknown attribute \"" + std::string(a.name()) + "\" on style \"" + name + "\"");
        }
        auto font_attr = [&](const char* attr, int& slot) {
            if (pugi::xml_attribute a = node.attribute(attr)) {
                auto it = sheet.font_names.find(a.value());
                if (it == sheet.font_names.end())
                    r.error(node, "style \"" + name + "\" uses unknown font \"" + a.value() + "\"");
                else
                    slot = it->second;
            }
        };
        font_attr("font", s.font);
        font_attr("bold-font", s.bold_font);
        auto color_attr = [&](const char* attr) -> std::optional<Color> {
            pugi::xml_attribute a = node.attribute(attr);
            if (!a) return std::nullopt;
            auto c = parse_color(a.value(), sheet.colors);
            if (!c)
                r.error(node,
                        std::string(attr) + "=\"" + a.value() + "\" is neither a colour name nor #RRGGBB");
            return c;
        };
        bool size_given = static_cast<bool>(node.attribute("size"));
        s.size = r.number(node, "size", s.size, max_font_size, true);
        s.leading =
            r.number(node, "leading", size_given && !node.attribute("leading") ? s.size * 1.25 : s.leading,
                     max_leading);
        if (auto c = color_attr("colour")) s.color = *c;
        if (auto c = color_attr("color")) s.color = *c;  // both spellings, as for <colour>/<color>
        if (auto c = color_attr("background")) s.background = c;
        if (auto c = color_attr("border")) s.border = c;
        if (pugi::xml_attribute a = node.attribute("align")) {
            std::string v = a.value();
            if (v == "left")
                s.align = Align::left;
            else if (v == "right")
                s.align = Align::right;
            else if (v == "center")
                s.align = Align::center;
            else if (v == "justify")
                s.align = Align::justify;
            else
                r.error(node, "align=\"" + v + "\" must be left, right, center or justify");
        }
        if (pugi::xml_attribute a = node.attribute("hyphenate")) {
            std::string v = a.value();
            if (v != "yes" && v != "no") r.error(node, "hyphenate=\"" + v + "\" must be yes or no");
            s.hyphenate = v == "yes";
        }
        s.space_before = r.number(node, "space-before", s.space_before);
        s.space_after = r.number(node, "space-after", s.space_after);
        s.border_width = r.number(node, "border-width", s.border_width, max_border_width);
        s.padding = parse_sides(r, node, s.padding);
        s.height = r.number(node, "height", s.height);
        s.gap = r.number(node, "gap", s.gap);
        s.row_gap = r.number(node, "row-gap", node.attribute("gap") ? s.gap : s.row_gap);
        s.space_stretch = r.number(node, "space-stretch", s.space_stretch, max_space_stretch);
        s.space_shrink = r.number(node, "space-shrink", s.space_shrink);
        if (s.space_shrink > 1) {
            r.error(node, "space-shrink=\"" + std::string(node.attribute("space-shrink").value()) +
                              "\" must be between 0 and 1 (a fraction of the space)");
            s.space_shrink = 1;
        }
        if (auto c = color_attr("overflow-colour")) s.overflow_color = c;
        if (auto c = color_attr("neighbour-colour")) s.neighbour_color = c;
        if (auto c = color_attr("marker-colour")) s.marker_color = c;
        if (sheet.fonts.empty()) r.error(node, "style \"" + name + "\" has no font: define a <font> first");
        sheet.styles[name] = s;
    }
    r.sink().throw_if_any();
    return sheet;
}

}  // namespace factsheet
