// The map pack: where the atlas finds it, the Error when it is missing, and its builder reporting
// the gmt-dcw files it cannot read.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "common/error.hpp"
#include "common/test_paths.hpp"
#include "map/map.hpp"
#include "map/prepare/write_pack.hpp"

using factsheet::MapAtlas;
using factsheet::test::error_text;
using factsheet::test::read_file;
using factsheet::test::write_file;
namespace md = factsheet::map_detail;

namespace {

const std::string prepare_again = "; run \"make\" to prepare it again";

}  // namespace

TEST(pack, the_default_and_the_environment) {
    if (std::getenv("FACTSHEET_MAP_PACK")) GTEST_SKIP() << "FACTSHEET_MAP_PACK is set";
    const std::string built = MapAtlas::default_pack_path();
    EXPECT_EQ(std::filesystem::path(built).filename(), "dcw.pack");
    const std::string dir = factsheet::test::make_temp_dir();
    ::setenv("FACTSHEET_MAP_PACK", (dir + "/elsewhere.pack").c_str(), 1);
    EXPECT_EQ(MapAtlas::default_pack_path(), dir + "/elsewhere.pack");
    EXPECT_EQ(
        error_text([] { MapAtlas atlas; }),
        dir +
            "/elsewhere.pack: error: the map data has not been prepared; run \"make\" (it derives it from "
            "/usr/share/gmt-dcw/dcw-gmt.nc)");
    ::setenv("FACTSHEET_MAP_PACK", "", 1);
    EXPECT_EQ(MapAtlas::default_pack_path(), built);
    ::unsetenv("FACTSHEET_MAP_PACK");
    std::filesystem::remove_all(dir);
}

TEST(pack, missing) {
    const std::string dir = factsheet::test::make_temp_dir();
    EXPECT_EQ(error_text([&] { MapAtlas atlas(dir + "/none.pack"); }),
              dir +
                  "/none.pack: error: the map data has not been prepared; run \"make\" (it derives it from "
                  "/usr/share/gmt-dcw/dcw-gmt.nc)");
    EXPECT_EQ(
        md::pack_problem(MapAtlas::default_map_path, MapAtlas::default_countries_path, dir + "/none.pack"),
        "it is missing");
    EXPECT_EQ(error_text([&] { MapAtlas atlas(dir); }),
              dir + ": error: the map data is not a file" + prepare_again);
    std::filesystem::remove_all(dir);
}

// The builder reads gmt-dcw's files as the atlas read them before the pack.

TEST(pack_builder, missing_files) {
    const std::string dir = factsheet::test::make_temp_dir();
    const std::string pack = dir + "/dcw.pack";
    EXPECT_EQ(error_text([&] { md::write_pack(MapAtlas::default_map_path, dir + "/none.txt", pack); }),
              dir +
                  "/none.txt: error: cannot read the list of countries (No such file or directory); install "
                  "the gmt-dcw package");
    EXPECT_EQ(
        error_text([&] { md::write_pack(dir + "/none.nc", MapAtlas::default_countries_path, pack); }),
        dir +
            "/none.nc: error: cannot read the map data (No such file or directory); install the gmt-dcw "
            "package");
    EXPECT_FALSE(std::filesystem::exists(pack));
    std::filesystem::remove_all(dir);
}

TEST(pack_builder, damaged_files) {
    const std::string dir = factsheet::test::make_temp_dir();
    const std::string pack = dir + "/dcw.pack";
    const std::string real = read_file(MapAtlas::default_map_path);
    const std::string garbage = dir + "/garbage.nc", truncated = dir + "/truncated.nc",
                      empty = dir + "/empty.nc";
    std::string noise(100000, '\0');
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>(i * 7919 % 251);
    write_file(garbage, noise);
    write_file(truncated, real.substr(0, real.size() / 3));
    write_file(empty, "");
    for (const std::string& path : {garbage, truncated, empty}) {
        EXPECT_EQ(
            error_text([&] { md::write_pack(path, MapAtlas::default_countries_path, pack); }),
            path +
                ": error: cannot read the map data (not a netCDF-4 file, or a damaged one); install the "
                "gmt-dcw package");
    }
    // A list naming a country the data does not have.
    const std::string list = dir + "/countries.txt";
    write_file(list, "# a test list\nAF ML Mali\nAF ZZ Nowhere\n");
    EXPECT_EQ(
        error_text([&] { md::write_pack(MapAtlas::default_map_path, list, pack); }),
        std::string(MapAtlas::default_map_path) +
            ": error: cannot read the map data (it has no variable ZZ_lon); install the gmt-dcw package");
    // A list that is not one.
    write_file(list, "AF ML Mali\nthis is not a list\n");
    EXPECT_EQ(error_text([&] { md::write_pack(MapAtlas::default_map_path, list, pack); }),
              list +
                  ":2: error: not a line of a continent, a country code and a name, as in \"AF ML Mali\"; "
                  "install the gmt-dcw package again");
    // No pack, nor any temporary file, is left behind.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
    EXPECT_EQ(files, 4u);
    std::filesystem::remove_all(dir);
}
