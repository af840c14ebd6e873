// Big-endian integers, as font tables store them.
#include "common/big_endian.hpp"

#include <gtest/gtest.h>

using namespace factsheet;

TEST(big_endian, reads_and_writes_16_and_32_bit_integers) {
    const std::string bytes("\x00\x01\xFF\xFE\x5F\x0F\x3C\xF5", 8);
    EXPECT_EQ(big_endian::u16(bytes, 0), 0x0001u);
    EXPECT_EQ(big_endian::u16(bytes, 2), 0xFFFEu);
    EXPECT_EQ(big_endian::u32(bytes, 4), 0x5F0F3CF5u);  // head.magicNumber
    EXPECT_EQ(big_endian::u32(bytes, 1), 0x01FFFE5Fu);  // at any offset
    std::string out(6, '\0');
    big_endian::put16(out, 0, 0xB1B0);
    big_endian::put32(out, 2, 0xAFBA0102);
    EXPECT_EQ(out, std::string("\xB1\xB0\xAF\xBA\x01\x02", 6));
}
