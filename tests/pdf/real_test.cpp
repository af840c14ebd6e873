// The pdf stage writes numbers as libharu's operators do, byte for byte: its own append_real
// against libharu's HPDF_FToA over millions of numbers.
#include <gtest/gtest.h>
#include <hpdf.h>
#include <hpdf_utils.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "pdf/drawings.hpp"

using factsheet::pdf_detail::append_real;

namespace {

std::string haru(HPDF_REAL v) {
    char buffer[32];
    const char* end = HPDF_FToA(buffer, v, buffer + sizeof buffer - 1);
    return std::string(static_cast<const char*>(buffer), end);
}

std::string ours(HPDF_REAL v) {
    std::string out = "x";  // appended to what is there
    append_real(out, v);
    return out.substr(1);
}

}  // namespace

TEST(append_real, writes_what_libharu_writes_at_the_edges) {
    for (float v : {0.0f,
                    -0.0f,
                    1.0f,
                    -1.0f,
                    0.5f,
                    10.0f,
                    100.0f,
                    0.1f,
                    0.00001f,
                    0.000004f,
                    0.000005f,
                    -0.000001f,
                    0.999999f,
                    0.9999951f,
                    1.999995f,
                    12.345675f,
                    595.276f,
                    841.89f,
                    32767.0f,
                    32766.99999f,
                    32768.0f,
                    -32768.0f,
                    1e9f,
                    -1e9f,
                    std::numeric_limits<float>::max(),
                    -std::numeric_limits<float>::max(),
                    std::numeric_limits<float>::min(),
                    std::numeric_limits<float>::denorm_min()})
        EXPECT_EQ(ours(v), haru(v)) << v;
    EXPECT_EQ(ours(12.5f), "12.5");
    EXPECT_EQ(ours(-3.0f), "-3");
    EXPECT_EQ(ours(-0.000001f), "-0") << "libharu writes a tiny negative so";
    EXPECT_EQ(ours(40000.0f), "32767");
}

TEST(append_real, writes_what_libharu_writes_for_millions_of_numbers) {
    std::mt19937_64 random(20261204);
    std::uniform_real_distribution<float> page(-1000.0f, 1000.0f), wide(-40000.0f, 40000.0f),
        unit(-1.0f, 1.0f);
    std::uniform_int_distribution<std::uint32_t> bits;
    std::uniform_int_distribution<int> step(-2, 2);
    std::size_t compared = 0;
    for (int i = 0; i < 1'000'000; ++i) {
        // Coordinates of a page, numbers of any size, small ones, and any finite float.
        float any = std::bit_cast<float>(bits(random));
        for (float v : {page(random), wide(random), unit(random), any}) {
            if (!std::isfinite(v)) continue;
            ASSERT_EQ(ours(v), haru(v)) << std::hexfloat << v;
            ++compared;
        }
        // Around the rounding points: k / 100000 and the floats next to it.
        float k = static_cast<float>(random() % 10'000'000) / 100000.0f;
        for (int n = step(random); n <= 2; ++n) {
            float v = k;
            for (int j = 0; j < std::abs(n); ++j) v = std::nextafter(v, n < 0 ? -INFINITY : INFINITY);
            ASSERT_EQ(ours(v), haru(v)) << std::hexfloat << v;
            ++compared;
        }
    }
    EXPECT_GT(compared, 5'000'000u);
}
