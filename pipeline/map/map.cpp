// Locator maps from the Digital Chart of the World: the frame around a country, the neighbours in
// it, and the atlas that keeps the map pack open for a batch.
#include "map/map.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "common/error.hpp"
#include "common/files.hpp"
#include "map/cache.hpp"
#include "map/geometry.hpp"
#include "map/pack.hpp"

#ifndef FACTSHEET_MAP_PACK
#error "FACTSHEET_MAP_PACK, the path of the map pack the build prepares, is defined by CMakeLists.txt"
#endif

namespace factsheet {

using map_detail::CountryAxes;
using map_detail::DataError;
using map_detail::Frame;
using map_detail::GeoPoint;
using map_detail::LocalPoint;
using map_detail::MapPack;
using map_detail::Outline;
using map_detail::OutlineRing;
using map_detail::PlaneBounds;
using map_detail::PlanePoint;
using map_detail::Projection;
using map_detail::RawBox;

namespace {

// Points sampled along each side of the box to find the longitudes and latitudes it covers.
constexpr int view_samples = 32;

/// A range of longitudes and latitudes, in degrees. The longitudes run from lon0 to lon1, which
/// may pass 180; `all_lon` when every longitude is in (the box holds a pole).
struct GeoBox {
    double lon0 = -180, lon1 = 180, lat0 = -90, lat1 = 90;
    bool all_lon = true;
};

/// What a box of the page covers of the Earth, a little generously.
GeoBox view_of(const Frame& frame, const Projection& projection) {
    GeoBox box;
    const GeoPoint centre = projection.centre();
    double dlon0 = 0, dlon1 = 0, lat0 = 90, lat1 = -90;
    for (int side = 0; side < 4; ++side) {
        for (int i = 0; i <= view_samples; ++i) {
            const double t = double(i) / view_samples;
            const MapPoint page = side == 0   ? MapPoint{t * frame.width, 0}
                                  : side == 1 ? MapPoint{t * frame.width, frame.height}
                                  : side == 2 ? MapPoint{0, t * frame.height}
                                              : MapPoint{frame.width, t * frame.height};
            const PlanePoint plane = frame.to_plane(page);
            // Beyond the hemisphere around the centre nothing is drawn: the whole Earth is the view.
            if (std::hypot(plane.x, plane.y) >= std::sqrt(2.0)) return box;
            const GeoPoint geo = projection.inverse(plane);
            const double dlon = std::remainder(geo.lon - centre.lon, 360.0);
            dlon0 = std::min(dlon0, dlon);
            dlon1 = std::max(dlon1, dlon);
            lat0 = std::min(lat0, geo.lat);
            lat1 = std::max(lat1, geo.lat);
        }
    }
    // Samples miss a little of each side's curve: 2 % more, and a hundredth of a degree.
    const double pad_lon = 0.02 * (dlon1 - dlon0) + 0.01, pad_lat = 0.02 * (lat1 - lat0) + 0.01;
    box.lat0 = std::max(-90.0, lat0 - pad_lat);
    box.lat1 = std::min(90.0, lat1 + pad_lat);
    box.lon0 = centre.lon + dlon0 - pad_lon;
    box.lon1 = centre.lon + dlon1 + pad_lon;
    box.all_lon = box.lon1 - box.lon0 >= 360;
    // A pole inside the box: every longitude meets it.
    for (const double pole : {90.0, -90.0}) {
        const LocalPoint p = projection.local(0, pole);
        if (p.z <= 0) continue;
        const MapPoint page = frame.to_page(Projection::project(p));
        if (page.x >= 0 && page.x <= frame.width && page.y >= 0 && page.y <= frame.height) {
            box.all_lon = true;
            (pole > 0 ? box.lat1 : box.lat0) = pole;
        }
    }
    return box;
}

/// The shifts by whole turns that put a country's longitudes in the box's range.
std::vector<int> turns_into(const GeoBox& box, const CountryAxes& axes) {
    std::vector<int> turns;
    for (int k = -2; k <= 2; ++k)
        if (axes.lon.max + 360 * k >= box.lon0 && axes.lon.min + 360 * k <= box.lon1) turns.push_back(k);
    return turns;
}

/// Whether a country's extent meets the box.
bool meets(const GeoBox& box, const CountryAxes& axes) {
    if (axes.lat.max < box.lat0 || axes.lat.min > box.lat1) return false;
    return box.all_lon || !turns_into(box, axes).empty();
}

/// The surroundings of a view, in a country's raw values, for FarRunFilter: the view grown by half
/// its size on each side (a degree at least), runs spanning an eighth of its size (5° at most).
RawBox far_box(const GeoBox& view, const CountryAxes& axes) {
    const double grow_lat = std::max(1.0, (view.lat1 - view.lat0) / 2);
    const double grow_lon = std::max(1.0, (view.lon1 - view.lon0) / 2);
    GeoBox near = view;
    near.lat0 -= grow_lat;
    near.lat1 += grow_lat;
    near.lon0 -= grow_lon;
    near.lon1 += grow_lon;
    const auto raw = [](double degrees, const map_detail::StoredAxis& axis) {
        return static_cast<int>(std::clamp((degrees - axis.min) / axis.step, -1.0, 65536.0));
    };
    const auto span = [](double degrees, const map_detail::StoredAxis& axis) {
        return static_cast<int>(std::clamp(std::min(degrees / 4, 5.0) / axis.step, 1.0, 65535.0));
    };
    RawBox box;
    box.lat0 = raw(near.lat0, axes.lat);
    box.lat1 = raw(near.lat1, axes.lat) + 1;
    box.span_lat = span(grow_lat, axes.lat);
    box.span_lon = span(grow_lon, axes.lon);
    box.lon0 = -1;
    box.lon1 = 65536;
    // Longitudes are compared modulo 360: only when one shift puts the country's in range.
    if (near.all_lon || near.lat0 <= -90 || near.lat1 >= 90) return box;
    const std::vector<int> turns = turns_into(near, axes);
    if (turns.size() != 1) return box;
    box.lon0 = raw(near.lon0 - 360 * turns[0], axes.lon);
    box.lon1 = raw(near.lon1 - 360 * turns[0], axes.lon) + 1;
    return box;
}

/// The centre of a country's map: the middle of its extent, or its pole when its longitudes
/// span more than half the globe (in DCW 2.1.1 only Antarctica's, -179.8 to 180).
GeoPoint centre_of(const CountryAxes& axes) {
    const double lat = (axes.lat.min + axes.lat.max) / 2;
    if (axes.lon.max - axes.lon.min > 180) return {0, lat >= 0 ? 90.0 : -90.0};
    return {(axes.lon.min + axes.lon.max) / 2, lat};
}

/// The extent of a country's outline on the plane.
PlaneBounds bounds_of(const Outline& outline, const CountryAxes& axes, const Projection& projection) {
    PlaneBounds bounds;
    const auto add = [&](const LocalPoint& p) { bounds.add(Projection::project(p)); };
    map_detail::HemisphereClip clip;
    for (const OutlineRing& ring : outline.rings) {
        for (std::size_t i = ring.first; i < ring.first + ring.count; ++i)
            clip.add(projection.local(axes.lon.value(outline.lon[i]), axes.lat.value(outline.lat[i])), add);
        clip.close(add);
    }
    return bounds;
}

/// A country's rings drawn into a frame with as much detail as `detail` keeps. Given `far`, the
/// rings beyond one of its sides are left out, and the points of the others far from the frame
/// thinned (FarRunFilter).
std::vector<std::vector<MapPoint>> draw_outline(const Outline& outline, const CountryAxes& axes,
                                                const Projection& projection, const Frame& frame,
                                                map_detail::Detail detail, const std::optional<RawBox>& far) {
    map_detail::RingDrawer drawer(frame, detail);
    const auto draw = [&](int lon, int lat) {
        drawer.add(projection.local(axes.lon.value(static_cast<std::uint16_t>(lon)),
                                    axes.lat.value(static_cast<std::uint16_t>(lat))));
    };
    for (const OutlineRing& ring : outline.rings) {
        const std::size_t end = ring.first + ring.count;
        if (!far) {
            for (std::size_t i = ring.first; i < end; ++i) draw(outline.lon[i], outline.lat[i]);
            drawer.close();
            continue;
        }
        if (ring.lon1 < far->lon0 || ring.lon0 > far->lon1 || ring.lat1 < far->lat0 || ring.lat0 > far->lat1)
            continue;
        map_detail::FarRunFilter filter(*far);
        for (std::size_t i = ring.first; i < end; ++i) filter.add(outline.lon[i], outline.lat[i], draw);
        filter.close(draw);
        drawer.close();
    }
    return drawer.take();
}

/// A number for a message: "160", "0.5", "nan".
std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

/// Throws Error when a place has no position on Earth.
void check_place(const GeoPlace& place) {
    if (!std::isfinite(place.lon) || !std::isfinite(place.lat) || std::abs(place.lat) > 90)
        throw Error(SourcePos{}, "place \"" + place.name + "\" has no position on Earth (longitude " +
                                     number(place.lon) + ", latitude " + number(place.lat) +
                                     "): give degrees east and north, latitudes within -90..90");
}

/// Where a place falls on the map.
MapPlace place_on(const GeoPlace& place, const Projection& projection, const Frame& frame) {
    LocalPoint p = projection.local(place.lon, place.lat);
    // The antipode has no image: a hair from it, the place lands far outside the box.
    p.z = std::max(p.z, -1 + 1e-12);
    const MapPoint page = frame.to_page(Projection::project(p));
    MapPlace out{place.name, {std::round(page.x * 100) / 100, std::round(page.y * 100) / 100}, false};
    out.inside = out.at.x >= 0 && out.at.x <= frame.width && out.at.y >= 0 && out.at.y <= frame.height;
    return out;
}

}  // namespace

struct MapAtlas::State {
    MapPack pack;
    // Code -> position in the pack + 1, 0 for none: "AA" at 0, "AB" at 1... "ZZ" at 675.
    std::array<std::uint32_t, 26 * 26> index{};
    map_detail::MapCache cache;

    State(const std::string& path, std::string cache_folder)
        : pack(path), cache(std::move(cache_folder), path) {
        for (std::size_t i = pack.size(); i-- > 0;)  // the first of a code twice in the list wins
            index[static_cast<std::size_t>(slot(pack.code(i)))] = static_cast<std::uint32_t>(i + 1);
    }

    /// The place of a code of two capital letters in `index`; -1 for anything else.
    static int slot(std::string_view code) {
        if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return -1;
        return (code[0] - 'A') * 26 + (code[1] - 'A');
    }

    /// The country's position in the pack; throws Error for an unknown code.
    std::size_t find(std::string_view code) const {
        const int at = slot(code);
        if (at < 0 || index[static_cast<std::size_t>(at)] == 0)
            throw Error(SourcePos{}, "unknown country code \"" + std::string(code) +
                                         "\": use an ISO 3166 alpha-2 code listed in dcw-countries.txt");
        return index[static_cast<std::size_t>(at)] - 1u;
    }

    map_detail::DrawnMap draw_shapes(std::size_t country, const Projection& projection, double width,
                                     double height) const;
    LocatorMap draw(std::size_t country, double width, double height,
                    const std::vector<GeoPlace>& places) const;
};

map_detail::DrawnMap MapAtlas::State::draw_shapes(std::size_t country, const Projection& projection,
                                                  double width, double height) const {
    const CountryAxes& own = pack.axes(country);
    const Outline outline = pack.outline(country);
    const std::string code(pack.code(country));

    const PlaneBounds bounds = bounds_of(outline, own, projection);
    if (bounds.empty) throw DataError(code + " has no outline");
    map_detail::DrawnMap map;
    map.frame = map_detail::fit_frame(bounds, width, height);
    const Frame& frame = map.frame;

    // The country is the point of the map: were all its rings too small to keep (the Vatican, in a
    // frame of 320 km at least; the atolls of Kiribati), they are kept in finer detail.
    map.country = {code,
                   draw_outline(outline, own, projection, frame, map_detail::print_detail, std::nullopt)};
    if (map.country.rings.empty())
        map.country.rings =
            draw_outline(outline, own, projection, frame, map_detail::small_country_detail, std::nullopt);

    const GeoBox view = view_of(frame, projection);
    for (std::size_t other = 0; other < pack.size(); ++other) {
        const CountryAxes& axes = pack.axes(other);
        if (other == country || !meets(view, axes)) continue;
        std::vector<std::vector<MapPoint>> rings = draw_outline(
            pack.outline(other), axes, projection, frame, map_detail::print_detail, far_box(view, axes));
        if (!rings.empty()) map.neighbours.push_back({std::string(pack.code(other)), std::move(rings)});
    }
    std::sort(map.neighbours.begin(), map.neighbours.end(),
              [](const MapShape& a, const MapShape& b) { return a.code < b.code; });
    return map;
}

LocatorMap MapAtlas::State::draw(std::size_t country, double width, double height,
                                 const std::vector<GeoPlace>& places) const {
    const GeoPoint centre = centre_of(pack.axes(country));
    const Projection projection(centre.lon, centre.lat);
    const std::string_view code = pack.code(country);
    std::optional<map_detail::DrawnMap> drawn = cache.find(code, width, height);
    if (!drawn) {
        drawn = draw_shapes(country, projection, width, height);
        cache.keep(code, width, height, *drawn);
    }
    LocatorMap map;
    map.width = width;
    map.height = height;
    map.country = std::move(drawn->country);
    map.neighbours = std::move(drawn->neighbours);
    for (const GeoPlace& place : places) map.places.push_back(place_on(place, projection, drawn->frame));
    return map;
}

std::string MapAtlas::default_pack_path() {
    const char* chosen = std::getenv("FACTSHEET_MAP_PACK");
    return chosen && *chosen ? chosen : FACTSHEET_MAP_PACK;
}

MapAtlas::MapAtlas() : MapAtlas(default_pack_path(), default_cache_folder()) {}

MapAtlas::MapAtlas(const std::string& pack_path, std::string cache_folder)
    : state_(std::make_unique<State>(pack_path, std::move(cache_folder))) {}

MapAtlas::~MapAtlas() = default;

bool MapAtlas::has_country(std::string_view code) const {
    const int at = State::slot(code);
    return at >= 0 && state_->index[static_cast<std::size_t>(at)] != 0;
}

std::string MapAtlas::country_name(std::string_view code) const {
    return std::string(state_->pack.name(state_->find(code)));
}

LocatorMap MapAtlas::locator(std::string_view code, double width, double height,
                             const std::vector<GeoPlace>& places) const {
    const std::size_t country = state_->find(code);
    for (const GeoPlace& place : places) check_place(place);
    if (!(width > 0 && height > 0 && std::isfinite(width) && std::isfinite(height)))
        throw Error(SourcePos{}, "a locator map needs a box of positive width and height, not " +
                                     number(width) + " x " + number(height) + " pt");
    try {
        return state_->draw(country, width, height, places);
    } catch (const DataError& e) {
        throw Error(
            SourcePos{state_->pack.path(), 0, 0},
            "the map data is damaged (" + std::string(e.what()) + "); run \"make\" to prepare it again");
    }
}

}  // namespace factsheet
