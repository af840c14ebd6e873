// Locator maps: a country among its neighbours, from the Digital Chart of the World (Debian's
// gmt-dcw), as plain vector data fitted into a box of the page. The layout places the box; the
// PDF stage fills the shapes. Nothing here knows of either.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace factsheet {

/// A point of a map, in PDF points from the top-left corner of its box, y growing downwards.
struct MapPoint {
    double x = 0;
    double y = 0;
};

/// A country's outline on a map: closed rings (the last point joins the first, which is not
/// repeated), projected, clipped to the box, simplified for print and rounded to 0.01 pt. Fill
/// them together as one path with the even-odd rule: a hole (Lesotho in South Africa, the Vatican
/// in Italy) is a ring inside another, whatever the two rings' directions.
struct MapShape {
    std::string code;  // ISO 3166 alpha-2, as in dcw-countries.txt: "ML"
    std::vector<std::vector<MapPoint>> rings;
};

/// A place to mark on a map: longitude east and latitude north, in degrees.
struct GeoPlace {
    std::string name;
    double lon = 0;
    double lat = 0;
};

/// A place on a map. `at` is where it falls, rounded to 0.01 pt, outside the box when `inside` is
/// false (then it only says in which direction the place lies).
struct MapPlace {
    std::string name;
    MapPoint at;
    bool inside = false;
};

/// A locator map: a country and the countries around it, fitted into a box.
struct LocatorMap {
    double width = 0;                  // the box, in points
    double height = 0;                 // the box, in points
    MapShape country;                  // draw it last, over its neighbours
    std::vector<MapShape> neighbours;  // every other country in the box, by code
    std::vector<MapPlace> places;      // in the order given
};

/// The Digital Chart of the World, opened once and shared by the threads of a batch: every member
/// is const and thread-safe.
///
/// The atlas draws from the map pack, which the build derives from Debian's gmt-dcw files
/// (dcw_pack): every country's name, extent and outline, decoded and thinned. Construction maps
/// the pack into memory and checks its table of countries; a map reads the outlines it shows where
/// they lie in the pack, touching only their pages. A map is centred on the country's extent in a
/// Lambert azimuthal equal-area projection, with a margin of 13 % of its size on each side.
class MapAtlas {
public:
    /// Debian's gmt-dcw files, from which the build derives the map pack.
    static constexpr const char* default_map_path = "/usr/share/gmt-dcw/dcw-gmt.nc";
    static constexpr const char* default_countries_path = "/usr/share/gmt-dcw/dcw-countries.txt";

    /// The map pack the program reads: $FACTSHEET_MAP_PACK when set and not empty, otherwise the
    /// one the build prepared.
    static std::string default_pack_path();

    /// Uses default_pack_path(), and keeps drawn maps for later runs in the user's cache folder
    /// ($FACTSHEET_CACHE_DIR, empty for none; by default ~/.cache/factsheet). Throws Error when the
    /// pack is missing, stale or damaged, saying what to do.
    MapAtlas();
    /// Uses the given map pack; keeps drawn maps in `cache_folder`/maps unless it is empty.
    explicit MapAtlas(const std::string& pack_path, std::string cache_folder = {});
    ~MapAtlas();
    MapAtlas(const MapAtlas&) = delete;
    MapAtlas& operator=(const MapAtlas&) = delete;

    /// Whether `code` is a country of the list (ISO 3166 alpha-2, upper case: "ML").
    bool has_country(std::string_view code) const;

    /// The country's English name as the list gives it ("Mali"); throws Error for an unknown code.
    std::string country_name(std::string_view code) const;

    /// A locator map of the country in a box of width x height points, with `places` on it.
    /// Throws Error for an unknown code, a box of no size, a place's impossible latitude, or a
    /// damaged outline in the pack. Countries whose longitudes span more than half the globe are
    /// centred on their pole (Antarctica, the only one); land more than 90° from the centre is
    /// not drawn, which no frame of a country reaches.
    LocatorMap locator(std::string_view code, double width, double height,
                       const std::vector<GeoPlace>& places = {}) const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace factsheet
