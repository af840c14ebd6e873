// The map pack: the maps drawn from it are those drawn from dcw-gmt.nc, its builder reports the
// gmt-dcw files it cannot read, and a pack that is missing, stale or damaged (at random, or with
// offsets that lie) is an Error saying what to do, never a crash.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>

#include "common/error.hpp"
#include "common/test_paths.hpp"
#include "map/map.hpp"
#include "map/pack.hpp"
#include "map/prepare/dcw.hpp"
#include "map/prepare/hdf5.hpp"
#include "map/prepare/write_pack.hpp"
#include "map/same_map.hpp"

using factsheet::LocatorMap;
using factsheet::MapAtlas;
using factsheet::MapShape;
using factsheet::test::error_text;
using factsheet::test::read_file;
using factsheet::test::write_file;
namespace md = factsheet::map_detail;

namespace {

/// A map as text, each coordinate to the 0.01 pt its points are rounded to.
std::string map_text(const LocatorMap& map) {
    std::string out;
    char number[64];
    const auto shape = [&](const MapShape& s) {
        out += s.code + "\n";
        for (const auto& ring : s.rings) {
            out += "ring\n";
            for (const auto& p : ring) {
                std::snprintf(number, sizeof number, "%.2f %.2f\n", p.x, p.y);
                out += number;
            }
        }
    };
    shape(map.country);
    for (const MapShape& s : map.neighbours) shape(s);
    for (const auto& place : map.places) {
        std::snprintf(number, sizeof number, "%.2f %.2f\n", place.at.x, place.at.y);
        out += place.name + " " + number + (place.inside ? "in\n" : "out\n");
    }
    return out;
}

/// FNV-1a, 64 bits.
std::uint64_t digest(const std::string& text) {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

/// A pack of a few West African countries and Japan, from the real dcw-gmt.nc, in a temporary
/// folder.
struct SmallPack {
    std::string dir = factsheet::test::make_temp_dir();
    std::string list = dir + "/countries.txt";
    std::string pack = dir + "/dcw.pack";

    SmallPack() {
        write_file(list,
                   "# a test list\nAF ML Mali\nAF SN Senegal\nAF BF Burkina Faso\nAF NE Niger\n"
                   "AF GM Gambia\nAF MR Mauritania\nAS JP Japan\n");
        md::write_pack(MapAtlas::default_map_path, list, pack);
    }
    ~SmallPack() { std::filesystem::remove_all(dir); }
};

/// The header and table of a pack, to lie with.
md::PackHeader header_of(const std::string& bytes) {
    md::PackHeader h;
    std::memcpy(static_cast<void*>(&h), bytes.data(), sizeof h);
    return h;
}

md::PackCountry country_of(const std::string& bytes, std::size_t i) {
    md::PackCountry c;
    std::memcpy(static_cast<void*>(&c), bytes.data() + header_of(bytes).countries_at + i * sizeof c,
                sizeof c);
    return c;
}

/// Writes a header and a country back, with a header checksum that matches them.
void reseal(std::string& bytes, md::PackHeader h, const md::PackCountry* c = nullptr, std::size_t i = 0) {
    if (c) std::memcpy(bytes.data() + h.countries_at + i * sizeof *c, c, sizeof *c);
    h.header_crc = 0;
    std::uint32_t crc = md::crc32_of(0, &h, sizeof h);
    const auto fits = [&](std::uint64_t at, std::uint64_t size) {
        return at <= bytes.size() && size <= bytes.size() - at;
    };
    const std::uint64_t table = std::uint64_t(h.country_count) * sizeof(md::PackCountry);
    if (fits(h.countries_at, table)) crc = md::crc32_of(crc, bytes.data() + h.countries_at, table);
    if (fits(h.strings_at, h.strings_size))
        crc = md::crc32_of(crc, bytes.data() + h.strings_at, h.strings_size);
    h.header_crc = crc;
    std::memcpy(bytes.data(), &h, sizeof h);
}

const std::string prepare_again = "; run \"make\" to prepare it again";

}  // namespace

TEST(pack, maps_as_drawn_from_the_nc) {
    // The maps the atlas drew when it read dcw-gmt.nc itself, before the pack: its neighbours,
    // its points and a digest of them all.
    struct Pinned {
        const char* code;
        std::size_t neighbours, points;
        std::uint64_t digest;
    };
    const Pinned pinned[] = {
        {"ML", 17, 1240, 0x82ac3b2e8c801935ull}, {"UA", 11, 1440, 0xb6367ebcd19b4ba3ull},
        {"AF", 8, 1081, 0x7ad3de1dca8b2fb9ull},  {"SO", 9, 390, 0xca34624a93714cc5ull},
        {"CD", 20, 1355, 0x7cb69f3b5edb4cdeull}, {"FJ", 3, 234, 0xccaa9df5c169e95full},
        {"RU", 71, 4159, 0xcbc6ec6cc517c5adull},
    };
    const MapAtlas atlas;
    for (const Pinned& p : pinned) {
        SCOPED_TRACE(p.code);
        const LocatorMap map = atlas.locator(p.code, 160, 120, {{"Somewhere", 30, 15}});
        std::size_t points = 0;
        for (const auto& ring : map.country.rings) points += ring.size();
        for (const MapShape& shape : map.neighbours)
            for (const auto& ring : shape.rings) points += ring.size();
        EXPECT_EQ(map.neighbours.size(), p.neighbours);
        EXPECT_EQ(points, p.points);
        EXPECT_EQ(digest(map_text(map)), p.digest);
    }
}

TEST(pack, holds_the_outlines_decoded_from_the_nc) {
    // Every country of the built pack against the builder's own decoding of dcw-gmt.nc.
    const md::MapPack pack(MapAtlas::default_pack_path());
    const std::vector<md::CountryEntry> list = md::read_country_list(MapAtlas::default_countries_path);
    ASSERT_EQ(pack.size(), list.size());
    ASSERT_GT(pack.size(), 240u);
    const md::Hdf5File file(MapAtlas::default_map_path);
    for (std::size_t i = 0; i < list.size(); ++i) {
        SCOPED_TRACE(list[i].code);
        ASSERT_EQ(pack.code(i), list[i].code);
        EXPECT_EQ(pack.name(i), list[i].name);
        const md::CountryAttributes read = md::read_axes(file, list[i].code);
        EXPECT_EQ(pack.axes(i).lon.min, read.axes.lon.min);
        EXPECT_EQ(pack.axes(i).lon.max, read.axes.lon.max);
        EXPECT_EQ(pack.axes(i).lon.step, read.axes.lon.step);
        EXPECT_EQ(pack.axes(i).lat.min, read.axes.lat.min);
        EXPECT_EQ(pack.axes(i).lat.max, read.axes.lat.max);
        EXPECT_EQ(pack.axes(i).lat.step, read.axes.lat.step);
        const md::DecodedOutline decoded = md::read_outline(file, list[i].code, read.axes);
        const md::Outline packed = pack.outline(i);
        ASSERT_TRUE(std::equal(packed.lon.begin(), packed.lon.end(), decoded.lon.begin(), decoded.lon.end()));
        ASSERT_TRUE(std::equal(packed.lat.begin(), packed.lat.end(), decoded.lat.begin(), decoded.lat.end()));
        ASSERT_EQ(packed.rings.size(), decoded.rings.size());
        for (std::size_t r = 0; r < decoded.rings.size(); ++r) {
            const md::OutlineRing &a = packed.rings[r], &b = decoded.rings[r];
            ASSERT_TRUE(a.first == b.first && a.count == b.count && a.lon0 == b.lon0 && a.lon1 == b.lon1 &&
                        a.lat0 == b.lat0 && a.lat1 == b.lat1);
        }
    }
    EXPECT_EQ(pack.source_path(md::map_source), MapAtlas::default_map_path);
    EXPECT_EQ(pack.source_path(md::countries_source), MapAtlas::default_countries_path);
}

TEST(pack, written_the_same_twice) {
    const SmallPack small;
    const std::string again = small.dir + "/again.pack";
    md::write_pack(MapAtlas::default_map_path, small.list, again);
    EXPECT_EQ(read_file(again), read_file(small.pack));
    // Nothing left beside them: the temporary files were renamed.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(small.dir)) ++files;
    EXPECT_EQ(files, 3u);
    const MapAtlas atlas(small.pack);
    EXPECT_TRUE(atlas.has_country("GM"));
    EXPECT_FALSE(atlas.has_country("FR"));
    EXPECT_EQ(atlas.country_name("BF"), "Burkina Faso");
    EXPECT_EQ(md::pack_problem(MapAtlas::default_map_path, small.list, small.pack), "");
}

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

TEST(pack, stale) {
    const SmallPack small;
    // The list of countries changed since: the pack is stale, and the builder sees it too.
    write_file(small.list, read_file(small.list) + "AF GN Guinea\n");
    const std::string stale = small.pack + ": error: the map data was prepared from another version of " +
                              small.list + prepare_again;
    EXPECT_EQ(error_text([&] { MapAtlas atlas(small.pack); }), stale);
    EXPECT_EQ(md::pack_problem(MapAtlas::default_map_path, small.list, small.pack),
              "the map data was prepared from another version of " + small.list);
    // Derived from other files than the build's.
    EXPECT_EQ(md::pack_problem(MapAtlas::default_map_path, MapAtlas::default_countries_path, small.pack),
              "the map data was prepared from another version of " + small.list);
    md::write_pack(MapAtlas::default_map_path, small.list, small.pack);
    EXPECT_TRUE(MapAtlas(small.pack).has_country("GN"));
    EXPECT_EQ(md::pack_problem(MapAtlas::default_map_path, MapAtlas::default_countries_path, small.pack),
              "it was derived from other files");
    // A source that is gone leaves the pack usable: it holds all it needs.
    std::filesystem::remove(small.list);
    EXPECT_EQ(MapAtlas(small.pack).locator("ML", 160, 120).country.code, "ML");
}

TEST(pack, another_version) {
    const SmallPack small;
    std::string bytes = read_file(small.pack);
    md::PackHeader h = header_of(bytes);
    h.version += 1;
    reseal(bytes, h);
    write_file(small.pack, bytes);
    const std::string message =
        small.pack +
        ": error: the map data was prepared by another version of this program, or for "
        "another kind of machine" +
        prepare_again;
    EXPECT_EQ(error_text([&] { MapAtlas atlas(small.pack); }), message);
    h.version -= 1;
    h.byte_order = 0x04030201;
    reseal(bytes, h);
    write_file(small.pack, bytes);
    EXPECT_EQ(error_text([&] { MapAtlas atlas(small.pack); }), message);
}

TEST(pack, damaged_at_random) {
    // Bits flipped, bytes overwritten, the file cut or lengthened, anywhere and then in the header
    // and table: each pack either draws the maps it drew undamaged (the damage fell where no map
    // looks: Japan's outline, padding) or is an Error at the pack saying it is damaged. Never a
    // crash, nor a wrong map.
    const SmallPack small;
    const std::string sound = read_file(small.pack);
    const char* codes[] = {"ML", "SN", "GM", "MR"};
    std::vector<LocatorMap> expected;
    {
        const MapAtlas atlas(small.pack);
        for (const char* code : codes)
            expected.push_back(atlas.locator(code, 160, 120, {{"Bamako", -8, 12.65}}));
    }
    const md::PackHeader h = header_of(sound);
    std::mt19937_64 random(20240521);
    const auto below = [&](std::uint64_t n) {
        return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(random);
    };
    const std::string path = small.dir + "/damaged.pack";
    std::size_t errors = 0, unchanged = 0;
    for (int round = 0; round < 600; ++round) {
        std::string bytes = sound;
        // Where: anywhere, then the header, then the table and strings.
        const std::uint64_t limit = round % 3 == 0 ? bytes.size() : round % 3 == 1 ? sizeof h : h.outlines_at;
        switch (below(4)) {
            case 0:  // bits flipped
                for (int n = 1 + static_cast<int>(below(4)); n > 0; --n)
                    bytes[below(limit)] ^= static_cast<char>(1 << below(8));
                break;
            case 1: {  // bytes overwritten
                const std::uint64_t at = below(limit),
                                    n = std::min<std::uint64_t>(1 + below(64), bytes.size() - at);
                for (std::uint64_t i = 0; i < n; ++i) bytes[at + i] = static_cast<char>(below(256));
                break;
            }
            case 2: bytes.resize(below(bytes.size())); break;  // cut
            case 3: bytes.append(1 + below(100), static_cast<char>(below(256))); break;
        }
        if (bytes == sound) continue;
        write_file(path, bytes);
        try {
            const MapAtlas atlas(path);
            for (std::size_t i = 0; i < std::size(codes); ++i) {
                if (!atlas.has_country(codes[i]))
                    throw factsheet::Error({path, 0, 0}, "the map data is damaged");
                const LocatorMap map = atlas.locator(codes[i], 160, 120, {{"Bamako", -8, 12.65}});
                ASSERT_TRUE(factsheet::test::same_map(map, expected[i]))
                    << "round " << round << ": " << codes[i];
            }
            ++unchanged;
        } catch (const factsheet::Error& e) {
            const factsheet::Diagnostic& d = e.diagnostics().front();
            ASSERT_EQ(d.pos.file, path) << "round " << round;
            // A flipped version or byte order reads as a pack of another version.
            ASSERT_TRUE(d.message.rfind("the map data is damaged", 0) == 0 ||
                        d.message.rfind("the map data was prepared by another version", 0) == 0)
                << "round " << round << ": " << d.message;
            ++errors;
        }
    }
    EXPECT_GT(errors, 400u);
    EXPECT_GT(unchanged, 20u);  // some damage falls on Japan
}

TEST(pack, offsets_that_lie) {
    // Damage a checksum does not catch, as a pack made to lie would be: the checks of offsets and
    // counts keep every read inside the file.
    const SmallPack small;
    const std::string sound = read_file(small.pack);
    const md::PackHeader h = header_of(sound);
    const md::PackCountry mali = country_of(sound, 0);
    const std::string path = small.dir + "/lying.pack";
    const auto open_and_draw = [&](const std::string& bytes) {
        write_file(path, bytes);
        return error_text([&] { MapAtlas(path).locator("ML", 160, 120); });
    };
    const auto damaged = [&](const std::string& why) {
        return path + ": error: the map data is damaged (" + why + ")" + prepare_again;
    };

    std::string bytes = sound;
    md::PackHeader lie = h;
    lie.countries_at = sound.size() - 16;
    reseal(bytes, lie);
    EXPECT_EQ(open_and_draw(bytes), damaged("its parts lie outside it"));

    bytes = sound;
    lie = h;
    lie.country_count = 0xffffffff;
    reseal(bytes, lie);
    EXPECT_EQ(open_and_draw(bytes), damaged("its parts lie outside it"));

    bytes = sound;
    lie = h;
    lie.strings_size = ~std::uint64_t(0);
    reseal(bytes, lie);
    EXPECT_EQ(open_and_draw(bytes), damaged("its parts lie outside it"));

    bytes = sound;
    lie = h;
    lie.pack_size += 1;
    reseal(bytes, lie);
    EXPECT_EQ(open_and_draw(bytes), damaged("it is truncated"));

    md::PackCountry c = mali;
    c.point_count = 0xffffffff;
    bytes = sound;
    reseal(bytes, h, &c);
    EXPECT_EQ(open_and_draw(bytes), damaged("entry 1 of its table of countries makes no sense"));

    c = mali;
    c.outline_at = h.outlines_size;
    bytes = sound;
    reseal(bytes, h, &c);
    EXPECT_EQ(open_and_draw(bytes), damaged("entry 1 of its table of countries makes no sense"));

    c = mali;
    c.name_at = 0xfffffff0;
    bytes = sound;
    reseal(bytes, h, &c);
    EXPECT_EQ(open_and_draw(bytes), damaged("entry 1 of its table of countries makes no sense"));

    c = mali;
    c.lat_max = 91;
    bytes = sound;
    reseal(bytes, h, &c);
    EXPECT_EQ(open_and_draw(bytes), damaged("attributes min, max and scale of ML_lat make no sense"));

    c = mali;
    c.lon_scale = NAN;
    bytes = sound;
    reseal(bytes, h, &c);
    EXPECT_EQ(open_and_draw(bytes), damaged("attributes min, max and scale of ML_lon make no sense"));

    // A ring past the outline's points, under a checksum that matches it.
    bytes = sound;
    char* outline = bytes.data() + h.outlines_at + mali.outline_at;
    md::OutlineRing ring;
    std::memcpy(static_cast<void*>(&ring), outline, sizeof ring);
    ring.count = mali.point_count + 1;
    std::memcpy(outline, &ring, sizeof ring);
    c = mali;
    c.outline_crc = md::crc32_of(0, outline, md::outline_bytes(mali.ring_count, mali.point_count));
    reseal(bytes, h, &c);
    EXPECT_EQ(open_and_draw(bytes), damaged("the outline of ML is damaged"));
    // The other countries still draw; Mali stays an error.
    write_file(path, bytes);
    const MapAtlas atlas(path);
    EXPECT_EQ(atlas.country_name("ML"), "Mali");
    EXPECT_EQ(error_text([&] { atlas.locator("ML", 160, 120); }), damaged("the outline of ML is damaged"));
    EXPECT_EQ(error_text([&] { atlas.locator("ML", 160, 120); }), damaged("the outline of ML is damaged"));
    EXPECT_EQ(md::pack_problem(MapAtlas::default_map_path, small.list, path), "the outline of ML is damaged");

    // Not a pack at all.
    EXPECT_EQ(open_and_draw(""), damaged("it is not a map pack, or a truncated one"));
    EXPECT_EQ(open_and_draw(std::string(4096, 'x')), damaged("it is not a map pack"));
    EXPECT_EQ(open_and_draw(sound.substr(0, sound.size() / 2)), damaged("it is truncated"));
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
