// Drawn maps kept between runs (map/cache): what comes back is what was drawn, and a cache that
// is damaged, foreign or impossible to write costs a drawing, never a wrong map or an error.
#include "map/cache.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/files.hpp"
#include "common/test_paths.hpp"
#include "map/map.hpp"
#include "map/same_map.hpp"

using namespace factsheet;
using factsheet::test::read_file;
using factsheet::test::write_file;

namespace {

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
        EXPECT_TRUE(test::same_map(first, drawn));
        EXPECT_TRUE(test::same_map(again, drawn));
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
        EXPECT_TRUE(test::same_map(
            MapAtlas(MapAtlas::default_pack_path(), dir).locator("ML", 160, 104, places), drawn));
        EXPECT_EQ(read_file(path), whole);  // written again, whole
    }
    std::filesystem::remove_all(dir);
}

TEST(map_cache, no_folder_or_one_that_cannot_be_written_only_costs_time) {
    const std::string dir = test::make_temp_dir();
    const LocatorMap drawn = MapAtlas(MapAtlas::default_pack_path()).locator("NE", 160, 104);
    // A file where the folder of entries would be: nothing can be kept.
    write_file(dir + "/maps", "not a folder");
    EXPECT_TRUE(test::same_map(MapAtlas(MapAtlas::default_pack_path(), dir).locator("NE", 160, 104), drawn));
    EXPECT_TRUE(test::same_map(
        MapAtlas(MapAtlas::default_pack_path(), dir + "/none/deeper").locator("NE", 160, 104), drawn));
    std::filesystem::remove_all(dir);
}

TEST(map_cache, the_folder_comes_from_the_environment) {
    const char* saved = std::getenv("FACTSHEET_CACHE_DIR");
    const std::string restore = saved ? saved : "";
    setenv("FACTSHEET_CACHE_DIR", "/some/where", 1);
    EXPECT_EQ(default_cache_folder(), "/some/where");
    setenv("FACTSHEET_CACHE_DIR", "", 1);
    EXPECT_EQ(default_cache_folder(), "");  // set and empty: none
    unsetenv("FACTSHEET_CACHE_DIR");
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    if (xdg && *xdg == '/') {
        EXPECT_EQ(default_cache_folder(), std::string(xdg) + "/factsheet");
    } else if (home && *home == '/') {
        EXPECT_EQ(default_cache_folder(), std::string(home) + "/.cache/factsheet");
    }
    if (saved) setenv("FACTSHEET_CACHE_DIR", restore.c_str(), 1);
}
