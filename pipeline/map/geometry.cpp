// Projection, clipping and simplification of the map's rings.
#include "map/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

namespace factsheet::map_detail {

namespace {

constexpr double radians_per_degree = std::numbers::pi / 180;

// Margin around the country, a fraction of its width (or height) on each side: enough for the
// neighbours' names to have room, little enough for the country to fill most of the map.
constexpr double frame_margin = 0.13;

// The shorter side of the frame spans at least this much of the Earth (in radii: ~320 km), so a
// small country (Gibraltar, 6 km²) is shown in its region rather than filling the box alone.
constexpr double smallest_frame = 0.05;

// How far apart, in points, two consecutive points of a clipped ring must be to both be kept
// before simplification: a fifth of the simplification's tolerance, a bound on the ring's length
// however detailed the data (Canada: 2 million points).
constexpr double thinning_distance = 0.05;

// Coordinates are rounded to this (points): finer than any printer, and short in a PDF.
constexpr double coordinate_step = 0.01;

double squared_distance(const MapPoint& a, const MapPoint& b) {
    const double dx = a.x - b.x, dy = a.y - b.y;
    return dx * dx + dy * dy;
}

/// The squared distance of `p` from the segment a-b.
double squared_segment_distance(const MapPoint& p, const MapPoint& a, const MapPoint& b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double length = dx * dx + dy * dy;
    if (length == 0) return squared_distance(p, a);
    const double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length, 0.0, 1.0);
    return squared_distance(p, MapPoint{a.x + t * dx, a.y + t * dy});
}

/// Whether b lies on the line through a and c. Rounded coordinates are multiples of 0.01, so the
/// cross product of exactly collinear points is 0 up to rounding errors far below 1e-9, and that
/// of the others at least 1e-4.
bool collinear(const MapPoint& a, const MapPoint& b, const MapPoint& c) {
    return std::abs((b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)) < 1e-9;
}

bool same(const MapPoint& a, const MapPoint& b) {
    return a.x == b.x && a.y == b.y;
}

double round_to_step(double v, double high) {
    return std::clamp(std::round(v / coordinate_step) * coordinate_step, 0.0, high);
}

}  // namespace

Projection::Projection(double lon, double lat)
    : lon0_(lon),
      lat0_(lat),
      sin_lat0_(std::sin(lat * radians_per_degree)),
      cos_lat0_(std::cos(lat * radians_per_degree)) {}

LocalPoint Projection::local(double lon, double lat) const {
    const double phi = lat * radians_per_degree, lambda = (lon - lon0_) * radians_per_degree;
    const double sin_phi = std::sin(phi), cos_phi = std::cos(phi);
    const double sin_lambda = std::sin(lambda), cos_lambda = std::cos(lambda);
    return {cos_phi * sin_lambda, cos_lat0_ * sin_phi - sin_lat0_ * cos_phi * cos_lambda,
            sin_lat0_ * sin_phi + cos_lat0_ * cos_phi * cos_lambda};
}

PlanePoint Projection::project(const LocalPoint& p) {
    // Snyder (24-2) to (24-4): k' = sqrt(2 / (1 + cos c)), with cos c = z.
    const double k = std::sqrt(2 / (1 + p.z));
    return {k * p.x, k * p.y};
}

GeoPoint Projection::inverse(const PlanePoint& p) const {
    // Snyder (24-16) to (24-18), through the local frame: the point lies at angle c from the
    // centre, with sin(c / 2) = rho / 2, in the direction of (x, y).
    const double rho = std::hypot(p.x, p.y);
    if (rho < 1e-12) return {lon0_, lat0_};
    const double c = 2 * std::asin(std::min(1.0, rho / 2));
    const double s = std::sin(c) / rho;
    const double east = p.x * s, north = p.y * s, up = std::cos(c);
    // From the local frame to latitude and longitude relative to the centre's meridian.
    const double z = north * cos_lat0_ + up * sin_lat0_;        // toward the North Pole
    const double toward = -north * sin_lat0_ + up * cos_lat0_;  // toward the centre's meridian
    const double lat = std::asin(std::clamp(z, -1.0, 1.0)) / radians_per_degree;
    const double lon = lon0_ + std::atan2(east, toward) / radians_per_degree;
    return {lon, lat};
}

void PlaneBounds::add(const PlanePoint& p) {
    if (empty) {
        x0 = x1 = p.x;
        y0 = y1 = p.y;
        empty = false;
        return;
    }
    x0 = std::min(x0, p.x);
    x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y);
    y1 = std::max(y1, p.y);
}

Frame fit_frame(const PlaneBounds& country, double width, double height) {
    double w = (country.x1 - country.x0) * (1 + 2 * frame_margin);
    double h = (country.y1 - country.y0) * (1 + 2 * frame_margin);
    if (w * height < h * width)
        w = h * width / height;
    else
        h = w * height / width;
    if (std::min(w, h) < smallest_frame) {
        const double grow = smallest_frame / std::min(w, h);
        w *= grow;
        h *= grow;
    }
    Frame frame;
    frame.left = (country.x0 + country.x1) / 2 - w / 2;
    frame.top = (country.y0 + country.y1) / 2 + h / 2;
    frame.scale = width / w;
    frame.width = width;
    frame.height = height;
    return frame;
}

LocalPoint HemisphereClip::crossing(const LocalPoint& a, const LocalPoint& b) {
    const double t = a.z / (a.z - b.z);
    const double x = a.x + t * (b.x - a.x), y = a.y + t * (b.y - a.y);
    const double length = std::hypot(x, y);
    if (length == 0) return {1, 0, 0};  // a and b opposite through the Earth's centre: no edge to speak of
    return {x / length, y / length, 0};
}

void RingDrawer::close() {
    hemisphere_.close([this](const LocalPoint& q) { clip(0, frame_.to_page(Projection::project(q))); });
    close_side(0);
    std::vector<MapPoint> ring = std::move(ring_);
    ring_.clear();
    if (ring.size() < 3) return;
    if (detail_.tolerance > 0) simplify_ring(ring, detail_.tolerance);
    tidy_ring(ring, frame_.width, frame_.height);
    if (ring.size() >= 3 && std::abs(ring_area(ring)) >= detail_.smallest_area)
        rings_.push_back(std::move(ring));
}

bool RingDrawer::inside(int k, const MapPoint& p) const {
    switch (k) {
        case 0: return p.x >= 0;
        case 1: return p.x <= frame_.width;
        case 2: return p.y >= 0;
        default: return p.y <= frame_.height;
    }
}

MapPoint RingDrawer::crossing(int k, const MapPoint& a, const MapPoint& b) const {
    // One of a and b is inside and the other not, so they differ in the coordinate clipped.
    if (k < 2) {
        const double x = k == 0 ? 0 : frame_.width;
        return {x, a.y + (x - a.x) / (b.x - a.x) * (b.y - a.y)};
    }
    const double y = k == 2 ? 0 : frame_.height;
    return {a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x), y};
}

void RingDrawer::clip(int k, const MapPoint& p) {
    if (k == 4) {
        keep(p);
        return;
    }
    Side& side = sides_[static_cast<std::size_t>(k)];
    const bool in = inside(k, p);
    if (!side.started) {
        side.first = p;
        side.first_in = in;
        side.started = true;
    } else if (in != side.prev_in) {
        clip(k + 1, crossing(k, side.prev, p));
    }
    if (in) clip(k + 1, p);
    side.prev = p;
    side.prev_in = in;
}

void RingDrawer::close_side(int k) {
    if (k == 4) return;
    Side& side = sides_[static_cast<std::size_t>(k)];
    if (side.started && side.prev_in != side.first_in) clip(k + 1, crossing(k, side.prev, side.first));
    side.started = false;
    close_side(k + 1);
}

void RingDrawer::keep(const MapPoint& p) {
    if (!ring_.empty() && squared_distance(ring_.back(), p) < thinning_distance * thinning_distance) return;
    ring_.push_back(p);
}

void simplify_ring(std::vector<MapPoint>& ring, double tolerance) {
    const std::size_t n = ring.size();
    if (n < 4) return;
    std::size_t far = 0;
    double far_distance = 0;
    for (std::size_t i = 1; i < n; ++i) {
        const double d = squared_distance(ring[0], ring[i]);
        if (d > far_distance) {
            far_distance = d;
            far = i;
        }
    }
    if (far == 0) {  // every point the same: nothing to draw
        ring.resize(1);
        return;
    }
    std::vector<char> kept(n, 0);
    kept[0] = kept[far] = 1;
    // Chains to simplify, as index pairs; index n stands for 0, closing the ring.
    std::vector<std::pair<std::size_t, std::size_t>> chains{{0, far}, {far, n}};
    const double limit = tolerance * tolerance;
    while (!chains.empty()) {
        const auto [a, b] = chains.back();
        chains.pop_back();
        const MapPoint& pa = ring[a];
        const MapPoint& pb = ring[b % n];
        std::size_t worst = 0;
        double worst_distance = limit;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = squared_segment_distance(ring[i], pa, pb);
            if (d > worst_distance) {
                worst_distance = d;
                worst = i;
            }
        }
        if (worst == 0) continue;
        kept[worst] = 1;
        chains.push_back({a, worst});
        chains.push_back({worst, b});
    }
    std::size_t out = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (kept[i]) ring[out++] = ring[i];
    ring.resize(out);
}

void tidy_ring(std::vector<MapPoint>& ring, double width, double height) {
    std::vector<MapPoint> out;
    out.reserve(ring.size());
    for (MapPoint p : ring) {
        p = {round_to_step(p.x, width), round_to_step(p.y, height)};
        if (!out.empty() && same(out.back(), p)) continue;
        while (out.size() >= 2 && collinear(out[out.size() - 2], out.back(), p)) out.pop_back();
        out.push_back(p);
    }
    // Where the ring closes: its last point may repeat the first, or either lie on a straight line.
    while (out.size() >= 3) {
        const std::size_t n = out.size();
        if (same(out[n - 1], out[0]) || collinear(out[n - 2], out[n - 1], out[0])) {
            out.pop_back();
        } else if (collinear(out[n - 1], out[0], out[1])) {
            out.erase(out.begin());
        } else {
            break;
        }
    }
    ring = std::move(out);
}

double ring_area(const std::vector<MapPoint>& ring) {
    double twice = 0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        twice += ring[j].x * ring[i].y - ring[i].x * ring[j].y;
    return twice / 2;
}

}  // namespace factsheet::map_detail
