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
