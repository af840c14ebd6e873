#include "layout/pictures.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace factsheet::layout_detail {

ImageItem place_image(int pixels_wide, int pixels_high, double width, double height, bool contain,
                      Align align) {
    double iw = std::max(pixels_wide, 1), ih = std::max(pixels_high, 1);
    double scale = contain ? std::min(width / iw, height / ih) : std::max(width / iw, height / ih);
    double w = iw * scale, h = ih * scale;
    double x = (width - w) / 2;
    if (contain && align == Align::right) x = width - w;
    if (contain && (align == Align::left || align == Align::justify)) x = 0;
    ImageItem item;
    item.rect = {x, (height - h) / 2, w, h};
    item.clip = {0, 0, width, height};
    return item;
}

namespace {

std::vector<std::vector<Point>> rings_of(const MapShape& shape) {
    std::vector<std::vector<Point>> out;
    out.reserve(shape.rings.size());
    for (const auto& ring : shape.rings) {
        std::vector<Point> r;
        r.reserve(ring.size());
        for (const MapPoint& p : ring) r.push_back({p.x, p.y});
        out.push_back(std::move(r));
    }
    return out;
}

PathItem shape_item(const MapShape& shape, Color fill, const Style& style) {
    PathItem item;
    item.rings = rings_of(shape);
    item.fill = fill;
    if (style.border && style.border_width > 0) {
        item.stroke = *style.border;
        item.stroke_width = style.border_width;
    }
    return item;
}

// A round dot as a polygon: at a few points across, sixteen sides read as a circle.
PathItem dot(const MapPoint& at, double radius, Color fill, Color ring) {
    constexpr int kSides = 16;
    PathItem item;
    item.rings.emplace_back();
    for (int i = 0; i < kSides; ++i) {
        double a = 2 * std::numbers::pi * i / kSides;
        item.rings.back().push_back({at.x + radius * std::cos(a), at.y + radius * std::sin(a)});
    }
    item.fill = fill;
    item.stroke = ring;
    item.stroke_width = radius / 2;
    return item;
}

// Whether a point lies inside a shape's rings (even-odd, as the shape is filled).
bool inside(const MapShape& shape, const MapPoint& p) {
    bool in = false;
    for (const auto& ring : shape.rings)
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const MapPoint &a = ring[i], &b = ring[j];
            if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
        }
    return in;
}

}  // namespace

std::vector<PageItem> draw_map(const LocatorMap& map, const Style& style, const FontMetrics& font,
                               int font_index) {
    std::vector<PageItem> items;
    if (style.background)
        items.push_back(RectItem{{0, 0, map.width, map.height}, true, *style.background, 0, {}});
    // The shapes and dots as one drawing, the names on the page (their glyphs are the document's).
    auto shapes = std::make_shared<Drawing>();
    shapes->width = map.width;
    shapes->height = map.height;
    Color neighbours = style.neighbour_color.value_or(Color{0.88, 0.88, 0.88});
    for (const MapShape& shape : map.neighbours)
        if (!shape.rings.empty()) shapes->paths.push_back(shape_item(shape, neighbours, style));
    if (!map.country.rings.empty()) shapes->paths.push_back(shape_item(map.country, style.color, style));
    Color marker = style.marker_color.value_or(Color{0.1, 0.1, 0.1});
    double radius = std::max(style.size / 4, 1.0);
    for (const MapPlace& place : map.places)
        if (place.inside) shapes->paths.push_back(dot(place.at, radius, marker, Color{1, 1, 1}));
    if (!shapes->paths.empty()) items.push_back(DrawingItem{0, 0, std::move(shapes), artifact});
    for (const MapPlace& place : map.places) {
        if (!place.inside || place.name.empty()) continue;
        // The name beside the dot: on its right, or on its left where the frame ends first.
        double w = font.text_width(place.name, style.size);
        double gap = radius * 2;
        double x = place.at.x + gap + w <= map.width ? place.at.x + gap : place.at.x - gap - w;
        double baseline = place.at.y + style.size * 0.35;
        TextItem label;
        label.x = std::max(x, 0.0);
        label.y = std::clamp(baseline, style.size, map.height);
        label.font = font_index;
        label.size = style.size;
        // On the country's colour the name is white, elsewhere in the marker's colour.
        label.color = inside(map.country, place.at) ? Color{1, 1, 1} : marker;
        label.text = place.name;
        items.push_back(std::move(label));
    }
    if (style.border && style.border_width > 0)
        items.push_back(
            RectItem{{0, 0, map.width, map.height}, false, {}, style.border_width, *style.border});
    return items;
}

std::shared_ptr<const Drawing> qr_drawing(const QrCode& code, double width, const Color& dark_colour) {
    constexpr int kQuietModules = 4;  // ISO/IEC 18004: the light margin a reader needs
    double module = width / (code.size + 2 * kQuietModules);
    auto drawing = std::make_shared<Drawing>();
    drawing->width = drawing->height = width;
    PathItem light;
    light.fill = Color{1, 1, 1};
    light.rings.push_back({{0, 0}, {width, 0}, {width, width}, {0, width}});
    drawing->paths.push_back(std::move(light));
    PathItem dark;
    dark.fill = dark_colour;
    for (const QrRun& run : dark_runs(code)) {
        double x = (run.x + kQuietModules) * module, y = (run.y + kQuietModules) * module;
        double w = run.length * module;
        dark.rings.push_back({{x, y}, {x + w, y}, {x + w, y + module}, {x, y + module}});
    }
    drawing->paths.push_back(std::move(dark));
    return drawing;
}

}  // namespace factsheet::layout_detail
