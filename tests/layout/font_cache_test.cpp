// The fonts kept in the cache folder: a font read back from its entry answers every question as
// the font read from its file with FreeType; anything damaged in the cache is passed by.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/packed.hpp"
#include "common/test_paths.hpp"
#include "layout/fonts.hpp"

using namespace factsheet;

namespace {

const std::string kFonts = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/";

std::vector<std::string> cache_files(const std::string& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder + "/fonts", ec))
        out.push_back(entry.path().string());
    return out;
}

// The characters a factsheet's pairs come from: ASCII, Latin-1, Latin Extended, the typographic
// punctuation and a few past them.
std::vector<char32_t> pair_characters() {
    std::vector<char32_t> out;
    for (char32_t c = 0x20; c < 0x250; ++c) out.push_back(c);
    for (char32_t c : {U'\u2013', U'\u2014', U'\u2018', U'\u2019', U'\u201C', U'\u201D', U'\u2026', U'\u202F',
                       U'\u20AC', U'\u0394', U'\u0416'})
        out.push_back(c);
    return out;
}

void expect_same_font(const TrueTypeFont& kept, const TrueTypeFont& read) {
    EXPECT_EQ(kept.ascent(), read.ascent());
    EXPECT_EQ(kept.descent(), read.descent());
    for (char32_t c = 0; c < 0x30000; ++c) {
        ASSERT_EQ(kept.has_glyph(c), read.has_glyph(c)) << "U+" << std::hex << static_cast<unsigned>(c);
        ASSERT_EQ(kept.advance(c), read.advance(c)) << "U+" << std::hex << static_cast<unsigned>(c);
    }
    int kerned = 0;
    const std::vector<char32_t> chars = pair_characters();
    for (char32_t left : chars)
        for (char32_t right : chars) {
            ASSERT_EQ(kept.kerning_from_tables(left, right), read.kerning_from_tables(left, right));
            ASSERT_EQ(kept.kerning(left, right), read.kerning(left, right));
            kerned += read.kerning(left, right) != 0 ? 1 : 0;
        }
    EXPECT_GT(kerned, 1000);  // Roboto kerns thousands of these pairs
}

}  // namespace

TEST(font_cache, a_kept_font_is_the_font_read) {
    const std::string folder = test::make_temp_dir();
    for (const char* name : {"Roboto-Regular.ttf", "Roboto-Bold.ttf"}) {
        SCOPED_TRACE(name);
        const TrueTypeFont read(kFonts + name, "");
        { TrueTypeFont keep(kFonts + name, folder); }  // writes the entry
        const TrueTypeFont kept(kFonts + name, folder);
        expect_same_font(kept, read);
    }
    EXPECT_EQ(cache_files(folder).size(), 2u);
    std::filesystem::remove_all(folder);
}

TEST(font_cache, no_folder_no_entry) {
    const std::string folder = test::make_temp_dir();
    const TrueTypeFont read(kFonts + "Roboto-Regular.ttf", "");
    EXPECT_TRUE(cache_files(folder).empty());
    EXPECT_TRUE(read.has_glyph(U'é'));
    std::filesystem::remove_all(folder);
}

TEST(font_cache, a_damaged_entry_is_passed_by_and_replaced) {
    const std::string folder = test::make_temp_dir();
    const std::string font = kFonts + "Roboto-Regular.ttf";
    const TrueTypeFont read(font, "");
    { TrueTypeFont keep(font, folder); }
    ASSERT_EQ(cache_files(folder).size(), 1u);
    const std::string entry = cache_files(folder).front();
    const std::string whole = test::read_file(entry);
    const std::size_t key = whole.find('\n') + 1;
    std::string advance = whole;  // the first Latin advance changed
    advance[key + 4 * sizeof(double) + sizeof(std::uint64_t) + 7] ^= 0x01;
    std::string kerning = whole;  // a kerning value changed (the last, before the CRC)
    kerning[kerning.size() - sizeof(std::uint32_t) - 1] ^= 0x10;
    std::string crc = whole;
    crc.back() ^= 0x01;
    for (const std::string& damaged :
         {whole.substr(0, whole.size() / 2), whole.substr(0, key), whole.substr(0, key - 1), std::string(),
          whole + "x", std::string("not a cache entry at all"), advance, kerning, crc}) {
        test::write_file(entry, damaged);
        expect_same_font(TrueTypeFont(font, folder), read);
        EXPECT_EQ(test::read_file(entry), whole);  // written again, whole
    }
    std::filesystem::remove_all(folder);
}

// The entry names the font file as it is: a font file that changes is read again, into an entry
// of its own.
TEST(font_cache, a_changed_font_file_is_read_again) {
    const std::string folder = test::make_temp_dir();
    const std::string copy = folder + "/Font.ttf";
    std::filesystem::copy_file(kFonts + "Roboto-Regular.ttf", copy);
    { TrueTypeFont keep(copy, folder); }
    std::filesystem::remove(copy);
    std::filesystem::copy_file(kFonts + "Roboto-Bold.ttf", copy);
    const TrueTypeFont changed(copy, folder);
    expect_same_font(changed, TrueTypeFont(kFonts + "Roboto-Bold.ttf", ""));
    EXPECT_EQ(cache_files(folder).size(), 2u);
    std::filesystem::remove_all(folder);
}

// Unpacking refuses kerning whose indexes would leave its arrays, and leaves no kerning then.
TEST(font_cache, kerning_is_unpacked_only_when_every_index_is_inside) {
    std::string bytes;
    PairKerning none;
    none.pack(bytes);
    PackedReader empty(bytes);
    PairKerning read;
    EXPECT_TRUE(read.unpack(empty));
    EXPECT_TRUE(read.empty());
    // A glyph count with no per-glyph table behind it.
    std::string damaged;
    put(damaged, std::uint32_t{10});
    put_array(damaged, std::vector<std::uint32_t>{0, 0});
    put(damaged, std::uint64_t{0});
    for (int i = 0; i < 4; ++i) put_array(damaged, std::vector<std::uint16_t>{});
    PackedReader in(damaged);
    EXPECT_FALSE(read.unpack(in));
    EXPECT_TRUE(read.empty());
}
