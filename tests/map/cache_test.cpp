// Drawn maps kept between runs (map/cache): what comes back is what was drawn, and a cache that
// is damaged, foreign or impossible to write costs a drawing, never a wrong map or an error.
#include "map/cache.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/test_paths.hpp"
#include "map/map.hpp"

using namespace factsheet;
using factsheet::test::read_file;
using factsheet::test::write_file;

namespace {

void expect_same(const LocatorMap& a, const LocatorMap& b) {
    auto same_shape = [](const MapShape& x, const MapShape& y) {
        if (x.code != y.code || x.rings.size() != y.rings.size()) return false;
        for (std::size_t i = 0; i < x.rings.size(); ++i) {
            if (x.rings[i].size() != y.rings[i].size()) return false;
            for (std::size_t j = 0; j < x.rings[i].size(); ++j)
                if (x.rings[i][j].x != y.rings[i][j].x || x.rings[i][j].y != y.rings[i][j].y) return false;
        }
        return true;
    };
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.height, b.height);
    EXPECT_TRUE(same_shape(a.country, b.country));
    ASSERT_EQ(a.neighbours.size(), b.neighbours.size());
    for (std::size_t i = 0; i < a.neighbours.size(); ++i)
        EXPECT_TRUE(same_shape(a.neighbours[i], b.neighbours[i]));
    ASSERT_EQ(a.places.size(), b.places.size());
    for (std::size_t i = 0; i < a.places.size(); ++i) {
        EXPECT_EQ(a.places[i].name, b.places[i].name);
        EXPECT_EQ(a.places[i].at.x, b.places[i].at.x);
        EXPECT_EQ(a.places[i].at.y, b.places[i].at.y);
        EXPECT_EQ(a.places[i].inside, b.places[i].inside);
    }
}

std::vector<std::filesystem::path> entries(const std::string& folder) {
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(folder + "/maps", ec), end; !ec && it != end;
         it.increment(ec))
        found.push_back(it->path());
    return found;
}

const std::vector<GeoPlace> places = {{"Bamako", -8.0, 12.65}, {"Menaka", 2.4, 15.9}, {"Paris", 2.35, 48.85}};

}  // namespace

TEST(map_cache, a_map_read_back_is_the_map_drawn) {
    const std::string dir = test::make_temp_dir();
    const MapAtlas drawing(MapAtlas::default_pack_path());
    for (const char* code : {"ML", "RU", "FJ", "UA"}) {
        SCOPED_TRACE(code);
        const LocatorMap drawn = drawing.locator(code, 160, 104, places);
        const LocatorMap first = MapAtlas(MapAtlas::default_pack_path(), dir).locator(code, 160, 104, places);
        // A new atlas, as a later run: the map comes from the file the first one kept.
        const LocatorMap again = MapAtlas(MapAtlas::default_pack_path(), dir).locator(code, 160, 104, places);
        expect_same(first, drawn);
        expect_same(again, drawn);
    }
    EXPECT_EQ(entries(dir).size(), 4u);
    // Another box is another map.
    MapAtlas(MapAtlas::default_pack_path(), dir).locator("ML", 160, 105);
    EXPECT_EQ(entries(dir).size(), 5u);
    std::filesystem::remove_all(dir);
}

TEST(map_cache, the_map_kept_is_the_one_used) {
    // What proves the cache is read: an entry changed in place (a point moved) comes back changed.
    const std::string dir = test::make_temp_dir();
    const LocatorMap drawn = MapAtlas(MapAtlas::default_pack_path(), dir).locator("ML", 160, 104);
    ASSERT_EQ(entries(dir).size(), 1u);
    const std::string path = entries(dir)[0].string();
    std::string bytes = read_file(path);
    const double moved = drawn.neighbours.back().rings.back().back().x + 1;
    std::memcpy(bytes.data() + bytes.size() - 2 * sizeof(double), &moved, sizeof moved);
    write_file(path, bytes);
    const LocatorMap read = MapAtlas(MapAtlas::default_pack_path(), dir).locator("ML", 160, 104);
    EXPECT_EQ(read.neighbours.back().rings.back().back().x, moved);
    std::filesystem::remove_all(dir);
}

TEST(map_cache, a_damaged_or_foreign_entry_is_drawn_again_and_replaced) {
    const std::string dir = test::make_temp_dir();
    const LocatorMap drawn = MapAtlas(MapAtlas::default_pack_path()).locator("ML", 160, 104, places);
    MapAtlas(MapAtlas::default_pack_path(), dir).locator("ML", 160, 104, places);
    ASSERT_EQ(entries(dir).size(), 1u);
    const std::string path = entries(dir)[0].string();
    const std::string whole = read_file(path);
    const std::string key = whole.substr(0, whole.find('\n') + 1);
    std::string foreign = whole;
    foreign[key.find("program") + 9] ^= 1;  // another build of the program
    std::string counts = whole;
    for (std::size_t i = key.size() + 5 * sizeof(double); i < counts.size(); ++i) counts[i] = '\xff';
    for (const std::string& damaged :
         {whole.substr(0, whole.size() / 2), key, std::string(), foreign, counts, whole + "x"}) {
        write_file(path, damaged);
        expect_same(MapAtlas(MapAtlas::default_pack_path(), dir).locator("ML", 160, 104, places), drawn);
        EXPECT_EQ(read_file(path), whole);  // written again, whole
    }
    std::filesystem::remove_all(dir);
}

TEST(map_cache, no_folder_or_one_that_cannot_be_written_only_costs_time) {
    const std::string dir = test::make_temp_dir();
    const LocatorMap drawn = MapAtlas(MapAtlas::default_pack_path()).locator("NE", 160, 104);
    // A file where the folder of entries would be: nothing can be kept.
    write_file(dir + "/maps", "not a folder");
    expect_same(MapAtlas(MapAtlas::default_pack_path(), dir).locator("NE", 160, 104), drawn);
    expect_same(MapAtlas(MapAtlas::default_pack_path(), dir + "/none/deeper").locator("NE", 160, 104), drawn);
    std::filesystem::remove_all(dir);
}

TEST(map_cache, the_folder_comes_from_the_environment) {
    const char* saved = std::getenv("FACTSHEET_CACHE_DIR");
    const std::string restore = saved ? saved : "";
    setenv("FACTSHEET_CACHE_DIR", "/some/where", 1);
    EXPECT_EQ(map_detail::default_cache_folder(), "/some/where");
    setenv("FACTSHEET_CACHE_DIR", "", 1);
    EXPECT_EQ(map_detail::default_cache_folder(), "");  // set and empty: none
    unsetenv("FACTSHEET_CACHE_DIR");
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    if (xdg && *xdg == '/') {
        EXPECT_EQ(map_detail::default_cache_folder(), std::string(xdg) + "/factsheet");
    } else if (home && *home == '/') {
        EXPECT_EQ(map_detail::default_cache_folder(), std::string(home) + "/.cache/factsheet");
    }
    if (saved) setenv("FACTSHEET_CACHE_DIR", restore.c_str(), 1);
}
