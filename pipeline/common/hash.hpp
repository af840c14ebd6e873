// FNV-1a, 64 bits: a fast hash of bytes for names and keys that need no security (a collision
// costs a comparison or a name that repeats). The program's digests are SHA-256 (common/sha256).
#pragma once

#include <cstdint>
#include <string_view>

namespace factsheet {

class Fnv1a {
public:
    void add(unsigned char byte) { h_ = (h_ ^ byte) * 0x100000001b3ULL; }
    void add(std::string_view bytes) {
        for (char c : bytes) add(static_cast<unsigned char>(c));
    }
    std::uint64_t value() const { return h_; }

private:
    std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

/// The FNV-1a hash of `bytes`.
inline std::uint64_t fnv1a(std::string_view bytes) {
    Fnv1a h;
    h.add(bytes);
    return h.value();
}

}  // namespace factsheet
