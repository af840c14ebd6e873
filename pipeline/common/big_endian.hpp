// Big-endian integers in byte strings, as font files (TrueType, OpenType) store them. The caller
// checks that the bytes are there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace factsheet::big_endian {

/// The unsigned 16-bit integer at bytes[at], bytes[at + 1].
inline std::uint16_t u16(std::string_view bytes, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(bytes[at]) << 8) |
                                      static_cast<unsigned char>(bytes[at + 1]));
}

/// The unsigned 32-bit integer at bytes[at] .. bytes[at + 3].
inline std::uint32_t u32(std::string_view bytes, std::size_t at) {
    return (std::uint32_t{u16(bytes, at)} << 16) | u16(bytes, at + 2);
}

/// Stores a 16-bit integer at bytes[at], bytes[at + 1].
inline void put16(std::string& bytes, std::size_t at, std::uint16_t value) {
    bytes[at] = static_cast<char>(value >> 8);
    bytes[at + 1] = static_cast<char>(value & 0xFF);
}

/// Stores a 32-bit integer at bytes[at] .. bytes[at + 3].
inline void put32(std::string& bytes, std::size_t at, std::uint32_t value) {
    put16(bytes, at, static_cast<std::uint16_t>(value >> 16));
    put16(bytes, at + 2, static_cast<std::uint16_t>(value & 0xFFFF));
}

}  // namespace factsheet::big_endian
