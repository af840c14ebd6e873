// SHA-256 (FIPS 180-4), for content hashes and the archive's file checks, through OpenSSL's
// libcrypto (a PDF's /ID is the MD5 digest of its bytes: pdf/pdfa.hpp, and md5_if_loaded). libcrypto is
// loaded the first time something is hashed, not when the program starts: linked, it cost every
// process about 1 ms of start-up, and markup never hashes.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace factsheet {

/// One SHA-256 computation fed in pieces. Throws Error when libcrypto cannot be loaded.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    /// Adds bytes to the message.
    void update(std::string_view bytes);

    /// Adds a named, length-prefixed field ("name LENGTH\nbytes"): no two different lists of
    /// fields hash alike by shifting bytes from one field to the next.
    void field(std::string_view name, std::string_view bytes);

    /// Ends the message: its digest in lowercase hex (64 characters).
    std::string hex();

private:
    void* ctx_ = nullptr;  // libcrypto's EVP_MD_CTX
};

/// SHA-256 of bytes, lowercase hex.
std::string sha256_hex(std::string_view bytes);

/// The MD5 digest of `bytes` through libcrypto when this process has loaded it already, as a batch
/// has (it hashes every source and PDF): its MD5 took 11-14 % less time than libharu's on 50 KB,
/// and a PDF's /ID is the MD5 of its bytes (pdf/pdfa.hpp). None when libcrypto is not loaded, so
/// that a single build does not load it for this, or when it cannot make the digest.
std::optional<std::array<unsigned char, 16>> md5_if_loaded(std::string_view bytes);

/// SHA-256 of a whole file as read_whole_file reads it (and throws), lowercase hex; read a piece
/// at a time, so that a file of megabytes (the program itself) is never held whole.
std::string sha256_file_hex(const std::string& path);

}  // namespace factsheet
