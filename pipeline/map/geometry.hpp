// Private to the map stage: the projection, and the steps that turn a ring of the DCW into a ring
// of the printed map (clip, simplify, round), each taking points one at a time so that no country,
// however detailed (the US: 1.9 million points), is ever held decoded.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "map/map.hpp"

namespace factsheet::map_detail {

/// A point of the unit sphere in the projection's local frame: x toward the east and y toward the
/// north at the centre, z toward the centre itself (z = cos of the angular distance from it).
struct LocalPoint {
    double x = 0;
    double y = 0;
    double z = 0;
};

/// A point of the projection's plane, in Earth radii, x east and y north.
struct PlanePoint {
    double x = 0;
    double y = 0;
};

/// Longitude and latitude in degrees.
struct GeoPoint {
    double lon = 0;
    double lat = 0;
};

/// The Lambert azimuthal equal-area projection, spherical form (Snyder 1987, "Map Projections: A
/// Working Manual", USGS PP 1395, ch. 24), centred on a point.
///
/// Why this projection: a locator map compares the country with its neighbours, and an equal-area
/// projection keeps their sizes honest; an azimuthal one centred on the country distorts shapes
/// least at the centre and equally in every direction around it, at any latitude (Ukraine at 48°N
/// as Mozambique at 18°S), so no standard parallel needs choosing. It works on angles from the
/// centre, so a country across the antimeridian (Fiji, Russia) has no seam, and it handles a
/// polar one (Antarctica, centred on the pole). An equirectangular map with the central
/// latitude's cosine would be simpler but stretches east-west away from that latitude: Russia's
/// north by a factor of 2.
class Projection {
public:
    /// Centred on (lon, lat), in degrees.
    Projection(double lon, double lat);

    /// The centre, in degrees.
    GeoPoint centre() const { return {lon0_, lat0_}; }

    /// Where a point (degrees) lies relative to the centre.
    LocalPoint local(double lon, double lat) const;

    /// The projection of a local point; z must be above -1 (the antipode has no image).
    static PlanePoint project(const LocalPoint& p);

    /// The point of the sphere a plane point is the image of (at most 2 radii from the centre).
    GeoPoint inverse(const PlanePoint& p) const;

private:
    double lon0_, lat0_;
    double sin_lat0_, cos_lat0_;
};

/// Where the map's box lies on the plane: page x = (x - left) * scale, page y = (top - y) * scale.
struct Frame {
    double left = 0;
    double top = 0;
    double scale = 1;  // points per Earth radius
    double width = 0;  // the box, in points
    double height = 0;

    /// A plane point in the page's coordinates (points, origin top-left, y downwards).
    MapPoint to_page(const PlanePoint& p) const { return {(p.x - left) * scale, (top - p.y) * scale}; }
    /// A page point on the plane.
    PlanePoint to_plane(const MapPoint& p) const { return {left + p.x / scale, top - p.y / scale}; }
};

/// The bounding box of points on the plane.
struct PlaneBounds {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool empty = true;

    /// Grows the box to hold `p`.
    void add(const PlanePoint& p);
};

/// Fits a box of width x height points around `country`: a margin of a fraction of its size on
/// each side, the shorter side of the two widened to the box's proportions, centred.
Frame fit_frame(const PlaneBounds& country, double width, double height);

/// Clips a ring of local points to the hemisphere around the centre (z >= 0), a point at a time
/// (Sutherland and Hodgman 1974, against the plane z = 0). Inside it the projection is one-to-one
/// and bounded (within √2 radii of the centre), so a ring's straight edges stay meaningful on the
/// plane. A ring that leaves the hemisphere is closed along a chord between the points where it
/// left and came back, on the circle of radius √2: outside any frame not reaching that far.
class HemisphereClip {
public:
    /// The ring's next point; calls emit(LocalPoint) for each point of the clipped ring.
    template <class Emit>
    void add(const LocalPoint& p, Emit&& emit) {
        const bool in = p.z >= 0;
        if (!started_) {
            first_ = p;
            first_in_ = in;
            started_ = true;
        } else if (in != prev_in_) {
            emit(crossing(prev_, p));
        }
        if (in) emit(p);
        prev_ = p;
        prev_in_ = in;
    }

    /// The ring ends: its closing edge, from the last point to the first, is clipped too.
    template <class Emit>
    void close(Emit&& emit) {
        if (started_ && prev_in_ != first_in_) emit(crossing(prev_, first_));
        started_ = false;
    }

private:
    /// Where the edge a-b crosses the plane z = 0, put back on the sphere.
    static LocalPoint crossing(const LocalPoint& a, const LocalPoint& b);

    bool started_ = false;
    LocalPoint first_, prev_;
    bool first_in_ = false, prev_in_ = false;
};

/// A box in a country's raw coordinates (see StoredAxis): points outside it are far from the frame.
/// Made from the frame's surroundings by the atlas; a side left open (the whole range of raw values)
/// when a longitude could be in the box modulo 360 more than one way.
struct RawBox {
    int lon0 = 0, lon1 = 0, lat0 = 0, lat1 = 0;
    int span_lon = 0, span_lat = 0;  // largest run of far points replaced by its two ends
};

/// Thins the parts of a ring that are far from the frame before they are projected: consecutive
/// points beyond the same side of a RawBox are replaced by the first and last of them, a run
/// spanning at most the box's span. Both the run and the chord that replaces it lie beyond that
/// side, far from the frame, so the clipped ring is the same, while a neighbour such as China
/// (125,000 points once decoded) costs a few thousand projections instead of all of them.
class FarRunFilter {
public:
    /// Filters against `box`.
    explicit FarRunFilter(const RawBox& box) : box_(box) {}

    /// The ring's next point (raw values); calls emit(int lon, int lat) for the points kept.
    template <class Emit>
    void add(int lon, int lat, Emit&& emit) {
        const unsigned side = sides(lon, lat);
        if (pending_) {
            if ((run_sides_ & side) != 0 && grow_run(lon, lat)) {
                run_sides_ &= side;
                pending_lon_ = lon;
                pending_lat_ = lat;
                pending_side_ = side;
                return;
            }
            keep(pending_lon_, pending_lat_, pending_side_, emit);
            pending_ = false;
        }
        if (kept_ && (side & kept_side_) != 0) {
            start_run();
            if (grow_run(lon, lat)) {
                pending_ = true;
                run_sides_ = side & kept_side_;
                pending_lon_ = lon;
                pending_lat_ = lat;
                pending_side_ = side;
                return;
            }
        }
        keep(lon, lat, side, emit);
    }

    /// The ring ends: the last point of a run is kept.
    template <class Emit>
    void close(Emit&& emit) {
        if (pending_) emit(pending_lon_, pending_lat_);
        pending_ = kept_ = false;
    }

private:
    // Sides of the box a point is beyond.
    static constexpr unsigned west = 1, east = 2, south = 4, north = 8;

    unsigned sides(int lon, int lat) const {
        return (lon < box_.lon0 ? west : 0) | (lon > box_.lon1 ? east : 0) | (lat < box_.lat0 ? south : 0) |
               (lat > box_.lat1 ? north : 0);
    }

    template <class Emit>
    void keep(int lon, int lat, unsigned side, Emit& emit) {
        emit(lon, lat);
        kept_ = true;
        kept_lon_ = lon;
        kept_lat_ = lat;
        kept_side_ = side;
    }

    /// A run starts after the point last kept: its extent starts there.
    void start_run() { run_ = {kept_lon_, kept_lon_, kept_lat_, kept_lat_}; }

    /// Adds a point to the run's extent; false when the run would then span too much.
    bool grow_run(int lon, int lat) {
        const std::array<int, 4> grown{std::min(run_[0], lon), std::max(run_[1], lon), std::min(run_[2], lat),
                                       std::max(run_[3], lat)};
        if (grown[1] - grown[0] > box_.span_lon || grown[3] - grown[2] > box_.span_lat) return false;
        run_ = grown;
        return true;
    }

    RawBox box_;
    bool kept_ = false;  // a point of the ring was kept
    int kept_lon_ = 0, kept_lat_ = 0;
    unsigned kept_side_ = 0;
    bool pending_ = false;  // a run is under way; its last point is pending
    int pending_lon_ = 0, pending_lat_ = 0;
    unsigned pending_side_ = 0;
    unsigned run_sides_ = 0;    // sides every point of the run is beyond
    std::array<int, 4> run_{};  // the run's extent, with the kept point before it
};

/// How much of a ring a map keeps.
struct Detail {
    double tolerance = 0;      // Douglas-Peucker tolerance, in points
    double smallest_area = 0;  // rings enclosing less are left out, in square points
};

/// What a printed map can show: a quarter of a point (~0.09 mm), half a square point.
constexpr Detail print_detail{0.25, 0.5};

/// For a country too small for print_detail to keep anything of: finer, and every ring.
constexpr Detail small_country_detail{0.05, 0};

/// Turns rings of local points into rings of the printed map, a point at a time: clipped to the
/// hemisphere, projected, put on the page, clipped to the box (Sutherland and Hodgman 1974),
/// thinned, then simplified (Douglas and Peucker 1973), rounded to 0.01 pt and kept when they
/// still enclose an area, as `detail` says.
class RingDrawer {
public:
    /// Draws into `frame`.
    RingDrawer(const Frame& frame, Detail detail) : frame_(frame), detail_(detail) {}

    /// The ring's next point.
    void add(const LocalPoint& p) {
        hemisphere_.add(p, [this](const LocalPoint& q) { clip(0, frame_.to_page(Projection::project(q))); });
    }

    /// Ends the ring and keeps it when anything of it is left.
    void close();

    /// The rings drawn so far, handed over.
    std::vector<std::vector<MapPoint>> take() { return std::move(rings_); }

private:
    /// One of the box's four sides in the Sutherland-Hodgman pipeline.
    struct Side {
        bool started = false;
        MapPoint first, prev;
        bool first_in = false, prev_in = false;
    };

    /// Passes a point through the side `k` (0: left, 1: right, 2: top, 3: bottom) and on.
    void clip(int k, const MapPoint& p);
    /// Clips the closing edge at side `k` and closes the sides after it.
    void close_side(int k);
    bool inside(int k, const MapPoint& p) const;
    MapPoint crossing(int k, const MapPoint& a, const MapPoint& b) const;
    /// Keeps a clipped point unless it is within a hair of the last one kept.
    void keep(const MapPoint& p);

    Frame frame_;
    Detail detail_;
    HemisphereClip hemisphere_;
    std::array<Side, 4> sides_;
    std::vector<MapPoint> ring_;
    std::vector<std::vector<MapPoint>> rings_;
};

/// Douglas-Peucker simplification of a closed ring: drops the points within `tolerance` of the
/// chord of those kept around them. The ring is cut at its first point and at the point farthest
/// from it, both kept.
void simplify_ring(std::vector<MapPoint>& ring, double tolerance);

/// Rounds a ring's points to 0.01 pt within the box, then drops repeated points and points on a
/// straight line between their neighbours (a clipped ring runs along the box's sides).
void tidy_ring(std::vector<MapPoint>& ring, double width, double height);

/// The area a ring encloses, positive counter-clockwise on a y-up plane (the shoelace formula).
double ring_area(const std::vector<MapPoint>& ring);

}  // namespace factsheet::map_detail
