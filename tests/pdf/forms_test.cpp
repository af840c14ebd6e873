// Drawings' compressed content kept in the cache folder between runs: found only for an equal
// drawing at the same level, and never from an entry that does not read back whole.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/test_paths.hpp"
#include "pdf/deflate.hpp"
#include "pdf/drawings.hpp"

using namespace factsheet;
using namespace factsheet::pdf_detail;

namespace {

Drawing a_map(double shift = 0) {
    Drawing d;
    d.width = 120;
    d.height = 80;
    PathItem land;
    land.fill = Color{0.8, 0.85, 0.9};
    land.stroke_width = 0.5;
    land.stroke = Color{1, 1, 1};
    land.rings = {{{10, 10}, {60, 12}, {55 + shift, 70}, {12, 60}}, {{20, 20}, {30, 20}, {25, 30}}};
    PathItem country;
    country.fill = Color{0.1, 0.45, 0.7};
    country.rings = {{{30, 30}, {50, 32}, {45, 50}}};
    d.paths = {land, country};
    return d;
}

std::vector<std::string> entries(const std::string& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(folder + "/forms", ec))
        out.push_back(e.path().string());
    return out;
}

}  // namespace

TEST(kept_forms, an_equal_drawing_finds_what_was_kept) {
    const std::string folder = test::make_temp_dir();
    EXPECT_FALSE(find_kept_form(folder, a_map(), 6));
    keep_form(folder, a_map(), 6, "compressed bytes");
    EXPECT_EQ(find_kept_form(folder, a_map(), 6), "compressed bytes");
    EXPECT_FALSE(find_kept_form(folder, a_map(0.01), 6));  // one point moved
    EXPECT_FALSE(find_kept_form(folder, a_map(), 7));      // another level
    Drawing recoloured = a_map();
    recoloured.paths[1].fill.b = 0.71;
    EXPECT_FALSE(find_kept_form(folder, recoloured, 6));
    EXPECT_EQ(entries(folder).size(), 1u);
    std::filesystem::remove_all(folder);
}

TEST(kept_forms, no_folder_keeps_nothing) {
    keep_form("", a_map(), 6, "compressed bytes");
    EXPECT_FALSE(find_kept_form("", a_map(), 6));
}

TEST(kept_forms, a_damaged_entry_is_not_taken) {
    const std::string folder = test::make_temp_dir();
    keep_form(folder, a_map(), 6, "compressed bytes");
    ASSERT_EQ(entries(folder).size(), 1u);
    const std::string entry = entries(folder).front();
    const std::string whole = test::read_file(entry);
    const std::size_t key = whole.find('\n') + 1;
    std::string point = whole;  // a byte of the drawing (its width) changed, the CRC-32 left
    point[key + 8] ^= 0x01;
    std::string content = whole;  // a byte of the compressed content changed
    content[whole.size() - 5] ^= 0x01;
    std::string crc = whole;
    crc.back() ^= 0x01;
    for (const std::string& damaged : {whole.substr(0, whole.size() / 2), whole.substr(0, key), std::string(),
                                       whole + "x", point, content, crc, std::string("not an entry")}) {
        test::write_file(entry, damaged);
        EXPECT_FALSE(find_kept_form(folder, a_map(), 6));
    }
    std::filesystem::remove_all(folder);
}

// pack_drawing keeps what it compresses, and what it keeps is what it compressed.
TEST(kept_forms, packing_keeps_the_compressed_content) {
    const std::string folder = test::make_temp_dir();
    Deflater deflater(6);
    auto drawing = std::make_shared<const Drawing>(a_map(0.25));
    std::shared_ptr<const PackedDrawing> packed = pack_drawing(drawing, deflater, ItemRef{}, folder);
    ASSERT_EQ(entries(folder).size(), 1u);
    EXPECT_EQ(find_kept_form(folder, *drawing, 6), packed->deflated);
    EXPECT_FALSE(packed->deflated.empty());
    std::filesystem::remove_all(folder);
}
