// QR codes, read back by an independent decoder (zbarimg, from zbar-tools).
#include "image/qr.hpp"

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/test_paths.hpp"

using factsheet::dark_runs;
using factsheet::make_qr;
using factsheet::QrCode;
using factsheet::QrRun;
using factsheet::test::error_text;

namespace {

const std::string mali_url = "https://www.globalprotectioncluster.org/field-support/field-operations/mali";
// "Protection de l’enfance à Ségou et Mopti" in a URL, in UTF-8 as written (not percent-encoded).
const std::string french_url =
    "https://www.globalprotectioncluster.org/fr/opérations/mali/"
    "protection-de-l’enfance?région=Ségou&année=2025";

constexpr int pixels_per_module = 4;
constexpr int quiet_zone = 4;  // modules of light margin on each side, as the layout leaves

/// The code as a binary PGM (P5) image, as the layout would place it: `quiet_zone` light modules
/// around it, `pixels_per_module` pixels a module.
std::string render_pgm(const QrCode& code) {
    const int side = (code.size + 2 * quiet_zone) * pixels_per_module;
    std::string out = "P5\n" + std::to_string(side) + " " + std::to_string(side) + "\n255\n";
    for (int py = 0; py < side; ++py) {
        for (int px = 0; px < side; ++px) {
            const int x = px / pixels_per_module - quiet_zone, y = py / pixels_per_module - quiet_zone;
            const bool inside = x >= 0 && y >= 0 && x < code.size && y < code.size;
            out += inside && code.dark(x, y) ? '\0' : '\xFF';
        }
    }
    return out;
}

/// What zbarimg reads in the code's image, or nullopt when zbarimg is not installed.
std::optional<std::string> read_back(const QrCode& code) {
    if (factsheet::test::run("command -v zbarimg").exit_code != 0) return std::nullopt;
    const std::string dir = factsheet::test::make_temp_dir();
    const std::string path = dir + "/qr.pgm";
    factsheet::test::write_file(path, render_pgm(code));
    factsheet::test::RunResult result = factsheet::test::run("zbarimg --raw -q '" + path + "'");
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::filesystem::remove_all(dir);
    if (!result.out.empty() && result.out.back() == '\n') result.out.pop_back();  // zbarimg ends the line
    return result.out;
}

}  // namespace

TEST(qr, mali_url_reads_back) {
    const QrCode code = make_qr(mali_url);
    EXPECT_EQ(code.size, 17 + 4 * code.version);
    EXPECT_EQ(code.modules.size(), static_cast<std::size_t>(code.size * code.size));
    // 75 bytes at level M need version 5 (84 bytes; version 4 holds 62).
    EXPECT_EQ(code.version, 5);
    const auto text = read_back(code);
    if (!text) GTEST_SKIP() << "zbarimg is missing: install zbar-tools";
    EXPECT_EQ(*text, mali_url);
}

TEST(qr, french_url_reads_back) {
    const QrCode code = make_qr(french_url);
    const auto text = read_back(code);
    if (!text) GTEST_SKIP() << "zbarimg is missing: install zbar-tools";
    EXPECT_EQ(*text, french_url);
}

TEST(qr, finder_patterns_in_three_corners) {
    const QrCode code = make_qr(mali_url);
    // A finder pattern (ISO/IEC 18004 6.3.3): a dark 7 x 7 ring, a light ring, a dark 3 x 3 centre.
    auto finder_at = [&code](int left, int top) {
        for (int y = 0; y < 7; ++y) {
            for (int x = 0; x < 7; ++x) {
                const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
                const bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
                if (code.dark(left + x, top + y) != (ring || centre)) return false;
            }
        }
        return true;
    };
    const int far = code.size - 7;
    EXPECT_TRUE(finder_at(0, 0));
    EXPECT_TRUE(finder_at(far, 0));
    EXPECT_TRUE(finder_at(0, far));
    EXPECT_FALSE(finder_at(far, far));
}

TEST(qr, runs_cover_exactly_the_dark_modules) {
    for (const std::string& text : {mali_url, french_url, std::string("x")}) {
        const QrCode code = make_qr(text);
        const std::vector<QrRun> runs = dark_runs(code);
        std::vector<std::uint8_t> painted(code.modules.size(), 0);
        std::size_t dark = 0;
        for (std::uint8_t m : code.modules) dark += m;
        for (std::size_t i = 0; i < runs.size(); ++i) {
            const QrRun& run = runs[i];
            ASSERT_GE(run.length, 1);
            ASSERT_GE(run.x, 0);
            ASSERT_LE(run.x + run.length, code.size);
            ASSERT_TRUE(run.y >= 0 && run.y < code.size);
            // Maximal: light (or the edge) on both sides.
            EXPECT_TRUE(run.x == 0 || !code.dark(run.x - 1, run.y));
            EXPECT_TRUE(run.x + run.length == code.size || !code.dark(run.x + run.length, run.y));
            // In order: row by row, left to right, never overlapping.
            if (i > 0) {
                const QrRun& before = runs[i - 1];
                EXPECT_TRUE(before.y < run.y || (before.y == run.y && before.x + before.length < run.x));
            }
            for (int x = run.x; x < run.x + run.length; ++x) {
                const std::size_t at = static_cast<std::size_t>(run.y * code.size + x);
                EXPECT_EQ(painted[at], 0) << "painted twice";
                painted[at] = 1;
            }
        }
        EXPECT_EQ(painted, code.modules) << text;
        EXPECT_LT(runs.size(), dark) << text;
    }
}

TEST(qr, runs_of_a_small_matrix) {
    QrCode code;
    code.size = 3;
    code.modules = {1, 1, 0,  //
                    0, 0, 0,  //
                    1, 0, 1};
    EXPECT_EQ(dark_runs(code), (std::vector<QrRun>{{0, 0, 2}, {0, 2, 1}, {2, 2, 1}}));
}

TEST(qr, longest_text_fits_version_40) {
    const QrCode code = make_qr(std::string(factsheet::max_qr_bytes, 'a'));
    EXPECT_EQ(code.version, 40);
    EXPECT_EQ(code.size, 177);
}

TEST(qr, longest_utf8_text_fits_version_40) {
    std::string text(factsheet::max_qr_utf8_bytes - 2, 'a');
    text += "\xC3\xA9";  // é
    EXPECT_EQ(make_qr(text).version, 40);
    EXPECT_EQ(
        error_text([&] { make_qr(text + "a"); }),
        "error: the text of a QR code is 2331 bytes, over the limit of 2330 bytes (a version 40 code at "
        "error correction level M); use a shorter link");
}

TEST(qr, errors) {
    EXPECT_EQ(error_text([] {
                  make_qr("", factsheet::SourcePos{"input/mali.xml", 12, 5});
              }),
              "input/mali.xml:12:5: error: a QR code needs a text to encode; give the link");
    EXPECT_EQ(
        error_text([] { make_qr(std::string(2332, 'a')); }),
        "error: the text of a QR code is 2332 bytes, over the limit of 2331 bytes (a version 40 code at "
        "error correction level M); use a shorter link");
}

// A code is kept in the cache folder by the text it encodes, and read back from there: an entry
// changed on purpose (one module flipped, its CRC-32 made right again) is what comes back; one
// damaged by chance, or the entry of another text, is not, and the code is encoded again.
TEST(qr, codes_are_kept_in_the_cache_folder) {
    const std::string cache = factsheet::test::make_temp_dir();
    const QrCode made = make_qr(mali_url);
    EXPECT_EQ(factsheet::kept_qr(mali_url, cache).modules, made.modules);
    std::vector<std::filesystem::path> entries;
    for (const auto& entry : std::filesystem::directory_iterator(cache + "/qr"))
        entries.push_back(entry.path());
    ASSERT_EQ(entries.size(), 1u);
    const std::string path = entries.front().string();
    const std::string entry = factsheet::test::read_file(path);

    // The last module is the entry's last byte before its CRC-32, which covers all after the key line.
    std::string changed = entry;
    const std::size_t key_end = changed.find('\n') + 1, crc_at = changed.size() - 4;
    changed[crc_at - 1] = static_cast<char>(changed[crc_at - 1] ^ 1);
    const std::uint32_t crc = libdeflate_crc32(0, changed.data() + key_end, crc_at - key_end);
    std::memcpy(changed.data() + crc_at, &crc, sizeof crc);
    factsheet::test::write_file(path, changed);
    QrCode kept = factsheet::kept_qr(mali_url, cache);
    EXPECT_NE(kept.modules, made.modules);
    kept.modules.back() ^= 1;
    EXPECT_EQ(kept.modules, made.modules);

    std::string damaged = entry;
    damaged[key_end + 3] = static_cast<char>(damaged[key_end + 3] ^ 1);
    factsheet::test::write_file(path, damaged);
    EXPECT_EQ(factsheet::kept_qr(mali_url, cache).modules, made.modules);
    EXPECT_EQ(factsheet::test::read_file(path), entry) << "encoded again, and kept again";

    EXPECT_EQ(factsheet::kept_qr(french_url, cache).modules, make_qr(french_url).modules);
    EXPECT_EQ(factsheet::kept_qr(french_url, "").modules, make_qr(french_url).modules) << "none kept";
    EXPECT_EQ(error_text([&] {
                  factsheet::kept_qr("", cache, factsheet::SourcePos{"input/mali.xml", 12, 5});
              }),
              "input/mali.xml:12:5: error: a QR code needs a text to encode; give the link");
    std::filesystem::remove_all(cache);
}
