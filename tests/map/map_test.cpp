// Locator maps drawn from the map pack the build derives from Debian's gmt-dcw: frames, neighbours,
// places, sizes and errors. The pack itself, its builder and its damage: pack_test.cpp.
#include "map/map.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <thread>

#include "common/error.hpp"
#include "common/test_paths.hpp"

using factsheet::GeoPlace;
using factsheet::LocatorMap;
using factsheet::MapAtlas;
using factsheet::MapPoint;
using factsheet::MapShape;
using factsheet::test::error_text;

namespace {

// One atlas for every test, as a batch shares one between its threads.
const MapAtlas& atlas() {
    static const MapAtlas shared;
    return shared;
}

/// Whether `p` is inside a shape filled with the even-odd rule: a ray from it crosses its rings'
/// edges an odd number of times.
bool contains(const MapShape& shape, MapPoint p) {
    bool inside = false;
    for (const auto& ring : shape.rings)
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const MapPoint& a = ring[i];
            const MapPoint& b = ring[j];
            if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x))
                inside = !inside;
        }
    return inside;
}

const MapShape& neighbour(const LocatorMap& map, const std::string& code) {
    for (const MapShape& shape : map.neighbours)
        if (shape.code == code) return shape;
    throw std::runtime_error(code + " is not a neighbour");
}

std::set<std::string> neighbour_codes(const LocatorMap& map) {
    std::set<std::string> codes;
    for (const MapShape& shape : map.neighbours) codes.insert(shape.code);
    return codes;
}

std::size_t point_count(const LocatorMap& map) {
    std::size_t n = 0;
    for (const auto& ring : map.country.rings) n += ring.size();
    for (const MapShape& shape : map.neighbours)
        for (const auto& ring : shape.rings) n += ring.size();
    return n;
}

/// Every point in the box and on the 0.01 pt grid, every ring of three points or more.
void expect_in_box(const LocatorMap& map) {
    std::vector<const MapShape*> shapes{&map.country};
    for (const MapShape& shape : map.neighbours) shapes.push_back(&shape);
    for (const MapShape* shape : shapes) {
        EXPECT_FALSE(shape->rings.empty()) << shape->code;
        for (const auto& ring : shape->rings) {
            EXPECT_GE(ring.size(), 3u) << shape->code;
            for (const MapPoint& p : ring) {
                ASSERT_TRUE(p.x >= 0 && p.x <= map.width && p.y >= 0 && p.y <= map.height)
                    << shape->code << " has " << p.x << ", " << p.y;
                EXPECT_NEAR(p.x * 100, std::round(p.x * 100), 1e-6) << shape->code;
                EXPECT_NEAR(p.y * 100, std::round(p.y * 100), 1e-6) << shape->code;
            }
        }
    }
}

const std::string unknown_xx =
    "error: unknown country code \"XX\": use an ISO 3166 alpha-2 code listed in dcw-countries.txt";

}  // namespace

TEST(map, lists_the_countries) {
    EXPECT_TRUE(atlas().has_country("ML"));
    EXPECT_TRUE(atlas().has_country("UA"));
    EXPECT_FALSE(atlas().has_country("XX"));
    EXPECT_FALSE(atlas().has_country("ml"));
    EXPECT_FALSE(atlas().has_country("USTX"));  // a state of the file, not a country
    EXPECT_EQ(atlas().country_name("ML"), "Mali");
    EXPECT_EQ(atlas().country_name("CD"), "Democratic Republic of the Congo");
    EXPECT_EQ(error_text([] { atlas().country_name("XX"); }), unknown_xx);
}

TEST(map, unknown_code) {
    EXPECT_EQ(error_text([] { atlas().locator("XX", 160, 120); }), unknown_xx);
    EXPECT_EQ(error_text([] { atlas().locator("", 160, 120); }),
              "error: unknown country code \"\": use an ISO 3166 alpha-2 code listed in dcw-countries.txt");
}

TEST(map, box_of_no_size) {
    EXPECT_EQ(error_text([] { atlas().locator("ML", 0, 120); }),
              "error: a locator map needs a box of positive width and height, not 0 x 120 pt");
    EXPECT_EQ(error_text([] { atlas().locator("ML", 160, NAN); }),
              "error: a locator map needs a box of positive width and height, not 160 x nan pt");
}

TEST(map, mali_frame_holds_its_extent_centred) {
    // Mali's extent in the DCW: longitudes -12.24..4.24, latitudes 10.16..25.0.
    std::vector<GeoPlace> edge;
    for (int i = 0; i <= 8; ++i) {
        const double lon = -12.24 + 16.48 * i / 8, lat = 10.16 + 14.84 * i / 8;
        edge.push_back({"south", lon, 10.16});
        edge.push_back({"north", lon, 25.0});
        edge.push_back({"west", -12.24, lat});
        edge.push_back({"east", 4.24, lat});
    }
    const LocatorMap map = atlas().locator("ML", 160, 120, edge);
    EXPECT_EQ(map.width, 160);
    EXPECT_EQ(map.height, 120);
    ASSERT_EQ(map.places.size(), edge.size());
    for (const auto& place : map.places)
        EXPECT_TRUE(place.inside) << place.name << " at " << place.at.x << ", " << place.at.y;
    // Centred: as far from the left side as the right, from the top as the bottom (within the
    // curvature of the extent's sides on the projection).
    const MapPoint west = atlas().locator("ML", 160, 120, {{"", -12.24, 17.58}}).places[0].at;
    const MapPoint east = atlas().locator("ML", 160, 120, {{"", 4.24, 17.58}}).places[0].at;
    EXPECT_NEAR(west.x, 160 - east.x, 2);
    const MapPoint north = atlas().locator("ML", 160, 120, {{"", -4.0, 25.0}}).places[0].at;
    const MapPoint south = atlas().locator("ML", 160, 120, {{"", -4.0, 10.16}}).places[0].at;
    EXPECT_NEAR(north.y, 120 - south.y, 2);
    // The margin: the country's height is a bit under 1 / (1 + 2 x 13 %) of the box's.
    EXPECT_NEAR((south.y - north.y) / 120, 1 / 1.26, 0.02);
    // Not mirrored: east is right, north is up.
    EXPECT_LT(west.x, east.x);
    EXPECT_LT(north.y, south.y);
}

TEST(map, mali_neighbours) {
    const LocatorMap map = atlas().locator("ML", 160, 120);
    EXPECT_EQ(map.country.code, "ML");
    const std::set<std::string> codes = neighbour_codes(map);
    for (const char* code : {"DZ", "NE", "BF", "CI", "GN", "SN", "MR"})
        EXPECT_TRUE(codes.count(code)) << code;
    EXPECT_FALSE(codes.count("ML"));
    EXPECT_FALSE(codes.count("FR"));
    for (std::size_t i = 1; i < map.neighbours.size(); ++i)
        EXPECT_LT(map.neighbours[i - 1].code, map.neighbours[i].code);
}

TEST(map, capitals_fall_in_their_countries) {
    const LocatorMap mali = atlas().locator(
        "ML", 160, 120, {{"Bamako", -8.0, 12.65}, {"Ouagadougou", -1.52, 12.37}, {"Niamey", 2.11, 13.51}});
    ASSERT_TRUE(mali.places[0].inside);
    EXPECT_EQ(mali.places[0].name, "Bamako");
    EXPECT_TRUE(contains(mali.country, mali.places[0].at));
    for (const MapShape& shape : mali.neighbours)
        EXPECT_FALSE(contains(shape, mali.places[0].at)) << shape.code;
    EXPECT_FALSE(contains(mali.country, mali.places[1].at));
    EXPECT_TRUE(contains(neighbour(mali, "BF"), mali.places[1].at));
    EXPECT_TRUE(contains(neighbour(mali, "NE"), mali.places[2].at));

    const LocatorMap senegal =
        atlas().locator("SN", 160, 120, {{"Dakar", -17.45, 14.69}, {"Kayes", -11.44, 14.45}});
    ASSERT_TRUE(senegal.places[0].inside);
    EXPECT_TRUE(contains(senegal.country, senegal.places[0].at));
    ASSERT_TRUE(senegal.places[1].inside);
    EXPECT_TRUE(contains(neighbour(senegal, "ML"), senegal.places[1].at));
}

TEST(map, ukraine_neighbours) {
    const LocatorMap map = atlas().locator("UA", 160, 120, {{"Kyiv", 30.52, 50.45}});
    const std::set<std::string> codes = neighbour_codes(map);
    for (const char* code : {"PL", "RO", "MD", "BY", "RU"}) EXPECT_TRUE(codes.count(code)) << code;
    EXPECT_TRUE(contains(map.country, map.places[0].at));
    EXPECT_FALSE(contains(neighbour(map, "RU"), map.places[0].at));
}

TEST(map, point_counts_fit_the_print) {
    // Simplified to a quarter of a point: Mali and its seventeen neighbours in 1,240 points, Mali
    // itself in 182 of the 4,142 the DCW has. Bounds both ways, so that neither a simplification
    // gone too far nor one not done passes.
    const LocatorMap map = atlas().locator("ML", 160, 120);
    const std::size_t total = point_count(map);
    EXPECT_GT(total, 600u);
    EXPECT_LT(total, 1500u);
    ASSERT_EQ(map.country.rings.size(), 1u);
    EXPECT_GT(map.country.rings[0].size(), 100u);
    EXPECT_LT(map.country.rings[0].size(), 400u);
    // A box four times the area shows more detail.
    EXPECT_GT(point_count(atlas().locator("ML", 320, 240)), total * 3 / 2);
}

TEST(map, every_point_in_the_box) {
    // The countries of the factsheets, each with a town well inside it; then Russia and Fiji
    // across the antimeridian, Antarctica around its pole.
    struct Case {
        const char* code;
        GeoPlace town;
    };
    const std::vector<Case> cases{
        {"ML", {"Bamako", -8.0, 12.65}},       {"UA", {"Kyiv", 30.52, 50.45}},
        {"AF", {"Kabul", 69.17, 34.53}},       {"SY", {"Damascus", 36.29, 33.51}},
        {"CD", {"Kananga", 22.42, -5.90}},     {"SO", {"Baidoa", 43.65, 3.11}},
        {"TD", {"Abeche", 20.83, 13.83}},      {"NE", {"Niamey", 2.11, 13.51}},
        {"NG", {"Abuja", 7.49, 9.06}},         {"MZ", {"Nampula", 39.27, -15.12}},
        {"BF", {"Ouagadougou", -1.52, 12.37}}, {"CF", {"Bambari", 20.67, 5.76}},
        {"RU", {"Moscow", 37.62, 55.75}},      {"FJ", {"Viti Levu", 178.0, -17.8}},
        {"AQ", {"Vostok", 106.84, -78.46}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.code);
        const LocatorMap map = atlas().locator(c.code, 160, 120, {c.town});
        expect_in_box(map);
        ASSERT_TRUE(map.places[0].inside);
        EXPECT_TRUE(contains(map.country, map.places[0].at)) << c.town.name;
    }
}

TEST(map, enclave_is_a_hole) {
    // Lesotho is a hole in South Africa's outline: its middle is in Lesotho, not in South Africa.
    const LocatorMap map =
        atlas().locator("ZA", 160, 120, {{"Thaba-Tseka", 28.61, -29.52}, {"Pretoria", 28.19, -25.75}});
    EXPECT_FALSE(contains(map.country, map.places[0].at));
    EXPECT_TRUE(contains(neighbour(map, "LS"), map.places[0].at));
    EXPECT_TRUE(contains(map.country, map.places[1].at));
}

TEST(map, places_outside_the_box) {
    const LocatorMap map =
        atlas().locator("ML", 160, 120, {{"Paris", 2.35, 48.86}, {"Suva", 178.44, -18.14}});
    EXPECT_FALSE(map.places[0].inside);
    EXPECT_LT(map.places[0].at.y, 0);  // north, above the box
    EXPECT_FALSE(map.places[1].inside);
    EXPECT_TRUE(std::isfinite(map.places[1].at.x) && std::isfinite(map.places[1].at.y));
    EXPECT_EQ(
        error_text([] {
            atlas().locator("ML", 160, 120, {{"Nowhere", 0, 95}});
        }),
        "error: place \"Nowhere\" has no position on Earth (longitude 0, latitude 95): give degrees east "
        "and north, latitudes within -90..90");
}

TEST(map, the_same_maps_from_threads) {
    const std::vector<std::string> codes{"ML", "UA", "SO", "AF"};
    std::vector<LocatorMap> alone;
    for (const std::string& code : codes) alone.push_back(atlas().locator(code, 160, 120));
    std::vector<LocatorMap> together(codes.size());
    {
        const MapAtlas fresh;  // nothing cached: the threads read the file at once
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < codes.size(); ++i)
            threads.emplace_back([&, i] { together[i] = fresh.locator(codes[i], 160, 120); });
        for (std::thread& thread : threads) thread.join();
    }
    for (std::size_t i = 0; i < codes.size(); ++i) {
        SCOPED_TRACE(codes[i]);
        ASSERT_EQ(point_count(together[i]), point_count(alone[i]));
        ASSERT_EQ(together[i].neighbours.size(), alone[i].neighbours.size());
        EXPECT_EQ(together[i].country.rings[0][0].x, alone[i].country.rings[0][0].x);
        EXPECT_EQ(together[i].country.rings[0][0].y, alone[i].country.rings[0][0].y);
    }
}
