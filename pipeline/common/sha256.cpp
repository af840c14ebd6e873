#include "common/sha256.hpp"

#include <openssl/evp.h>

#include <atomic>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/library.hpp"

namespace factsheet {

namespace {

// The few libcrypto functions used, found once. Only the header's declarations are used here;
// libcrypto itself is opened by its soname, which the build writes in FACTSHEET_CRYPTO_LIBRARY.
struct Crypto {
    decltype(&EVP_MD_CTX_new) ctx_new = nullptr;
    decltype(&EVP_MD_CTX_free) ctx_free = nullptr;
    decltype(&EVP_sha256) sha256 = nullptr;
    decltype(&EVP_DigestInit_ex) init = nullptr;
    decltype(&EVP_DigestUpdate) update = nullptr;
    decltype(&EVP_DigestFinal_ex) final = nullptr;
    decltype(&EVP_md5) md5 = nullptr;
    decltype(&EVP_Digest) digest = nullptr;
    std::string failure;  // why libcrypto could not be used; empty when it can

    static const Crypto& get() {
        static const Crypto crypto;  // loaded once, by the first thread that hashes
        if (!crypto.failure.empty())
            throw Error(SourcePos{FACTSHEET_CRYPTO_LIBRARY, 0, 0},
                        "cannot load OpenSSL's libcrypto for SHA-256 (" + crypto.failure +
                            "); install it (Debian package libssl3)");
        loaded.store(&crypto, std::memory_order_release);
        return crypto;
    }

    // Set once get() has loaded libcrypto.
    static inline std::atomic<const Crypto*> loaded{nullptr};

private:
    Crypto() {
        LoadedLibrary library(FACTSHEET_CRYPTO_LIBRARY);
        library.find(ctx_new, "EVP_MD_CTX_new");
        library.find(ctx_free, "EVP_MD_CTX_free");
        library.find(sha256, "EVP_sha256");
        library.find(init, "EVP_DigestInit_ex");
        library.find(update, "EVP_DigestUpdate");
        library.find(final, "EVP_DigestFinal_ex");
        library.find(md5, "EVP_md5");
        library.find(digest, "EVP_Digest");
        failure = library.failure();
    }
};

[[noreturn]] void digest_failed() {
    throw Error(SourcePos{FACTSHEET_CRYPTO_LIBRARY, 0, 0}, "cannot compute a SHA-256 digest");
}

}  // namespace

Sha256::Sha256() {
    const Crypto& crypto = Crypto::get();
    EVP_MD_CTX* ctx = crypto.ctx_new();
    if (!ctx) digest_failed();
    ctx_ = ctx;
    if (crypto.init(ctx, crypto.sha256(), nullptr) != 1) {
        crypto.ctx_free(ctx);
        digest_failed();
    }
}

Sha256::~Sha256() {
    Crypto::get().ctx_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256::update(std::string_view bytes) {
    if (Crypto::get().update(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size()) != 1)
        digest_failed();
}

void Sha256::field(std::string_view name, std::string_view bytes) {
    update(name);
    update(" ");
    update(std::to_string(bytes.size()));
    update("\n");
    update(bytes);
}

std::string Sha256::hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (Crypto::get().final(static_cast<EVP_MD_CTX*>(ctx_), digest, &size) != 1) digest_failed();
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * size);
    for (unsigned int i = 0; i < size; ++i) {
        out += digits[digest[i] >> 4];
        out += digits[digest[i] & 0xF];
    }
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    Sha256 sha;
    sha.update(bytes);
    return sha.hex();
}

std::optional<std::array<unsigned char, 16>> md5_if_loaded(std::string_view bytes) {
    const Crypto* crypto = Crypto::loaded.load(std::memory_order_acquire);
    if (!crypto) return std::nullopt;
    std::array<unsigned char, 16> out{};
    unsigned int size = 0;
    if (crypto->digest(bytes.data(), bytes.size(), out.data(), &size, crypto->md5(), nullptr) != 1 ||
        size != out.size())
        return std::nullopt;
    return out;
}

std::string sha256_file_hex(const std::string& path) {
    Sha256 sha;
    read_whole_file(path, [&](std::string_view piece) { sha.update(piece); });
    return sha.hex();
}

}  // namespace factsheet
