// SHA-256 through libcrypto loaded on first use: FIPS 180-4's examples.
#include "common/sha256.hpp"

#include <gtest/gtest.h>

using namespace factsheet;

TEST(sha256, known_digests) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(sha256, pieces_and_fields) {
    Sha256 pieces;
    pieces.update("ab");
    pieces.update("");
    pieces.update("c");
    EXPECT_EQ(pieces.hex(), sha256_hex("abc"));
    // A field is its name, a space, its length, a newline and its bytes.
    Sha256 fields;
    fields.field("source", "abc");
    fields.field("lang", "fr");
    EXPECT_EQ(fields.hex(), sha256_hex("source 3\nabclang 2\nfr"));
}

// Once libcrypto is loaded (here by the SHA-256 before it), MD5 comes from it: RFC 1321's test
// suite.
TEST(sha256, md5_once_libcrypto_is_loaded) {
    sha256_hex("load libcrypto");
    auto hex = [](std::string_view bytes) {
        std::optional<std::array<unsigned char, 16>> digest = md5_if_loaded(bytes);
        if (!digest) return std::string("none");
        std::string out;
        for (unsigned char b : *digest) {
            out += "0123456789abcdef"[b >> 4];
            out += "0123456789abcdef"[b & 0xF];
        }
        return out;
    };
    EXPECT_EQ(hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
              "57edf4a22be3c955ac49da2e2107b67a");
}
