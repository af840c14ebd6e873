// The libqrencode adapter. libqrencode reports errors by returning null or -1 and setting errno; it
// does not jump, so it is called directly. It is loaded (dlopen, by the soname the build writes in
// FACTSHEET_QRENCODE_LIBRARY) the first time a code is encoded, not linked: a program that reads
// its codes back from the cache folder, or draws none, does not map it (with libpthread) at start.
#include "image/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "common/files.hpp"
#include "common/hash.hpp"
#include "common/library.hpp"
#include "common/packed.hpp"

namespace factsheet {

namespace {

// The few libqrencode functions used, found once. Only the header's declarations are used here.
struct QrEncode {
    decltype(&QRinput_new2) input_new = nullptr;
    decltype(&QRinput_free) input_free = nullptr;
    decltype(&QRinput_appendECIheader) append_eci = nullptr;
    decltype(&QRinput_append) append = nullptr;
    decltype(&QRcode_encodeInput) encode = nullptr;
    decltype(&QRcode_free) code_free = nullptr;
    std::string failure;  // why libqrencode could not be used; empty when it can

    static const QrEncode& get(const SourcePos& where) {
        static const QrEncode library;  // loaded once, by the first thread that encodes
        if (!library.failure.empty())
            throw Error(where, "cannot make a QR code: cannot load libqrencode (" + library.failure +
                                   "); install it (Debian package libqrencode4)");
        return library;
    }

private:
    QrEncode() {
        LoadedLibrary library(FACTSHEET_QRENCODE_LIBRARY);
        library.find(input_new, "QRinput_new2");
        library.find(input_free, "QRinput_free");
        library.find(append_eci, "QRinput_appendECIheader");
        library.find(append, "QRinput_append");
        library.find(encode, "QRcode_encodeInput");
        library.find(code_free, "QRcode_free");
        failure = library.failure();
    }
};

/// ECI designator of UTF-8 (AIM ECI specification; ISO/IEC 18004 7.4.3).
constexpr unsigned eci_utf8 = 26;

bool is_ascii(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

}  // namespace

QrCode make_qr(std::string_view text, const SourcePos& where) {
    const bool ascii = is_ascii(text);
    const std::size_t limit = ascii ? max_qr_bytes : max_qr_utf8_bytes;
    if (text.empty()) throw Error(where, "a QR code needs a text to encode; give the link");
    if (text.size() > limit)
        throw Error(where, "the text of a QR code is " + std::to_string(text.size()) +
                               " bytes, over the limit of " + std::to_string(limit) +
                               " bytes (a version 40 code at error correction level M); use a shorter link");
    auto failed = [&where](const char* what) {
        return Error(where,
                     std::string("cannot make a QR code: libqrencode ") + what + ": " + std::strerror(errno));
    };

    // Byte mode whatever the text: libqrencode's automatic modes would encode digits and capitals
    // more compactly, but a URL is mostly lowercase, and byte mode keeps UTF-8 as it is. Readers
    // guess the encoding of bytes that are not ASCII (zbar took UTF-8 "é" for Shift JIS), so such
    // a text is marked as UTF-8 first; an ASCII one is left unmarked, for older readers.
    const QrEncode& qr = QrEncode::get(where);
    errno = 0;
    std::unique_ptr<QRinput, void (*)(QRinput*)> input(qr.input_new(0, QR_ECLEVEL_M), qr.input_free);
    if (!input) throw failed("could not start");
    if (!ascii && qr.append_eci(input.get(), eci_utf8) != 0) throw failed("refused the UTF-8 mark");
    if (qr.append(input.get(), QR_MODE_8, static_cast<int>(text.size()),
                  reinterpret_cast<const unsigned char*>(text.data())) != 0)
        throw failed("refused the text");
    std::unique_ptr<QRcode, void (*)(QRcode*)> encoded(qr.encode(input.get()), qr.code_free);
    if (!encoded) throw failed("could not encode the text");

    QrCode code;
    code.version = encoded->version;
    code.size = encoded->width;
    const auto count = static_cast<std::size_t>(code.size) * static_cast<std::size_t>(code.size);
    code.modules.resize(count);
    // Bit 0 of each of libqrencode's bytes is the module's colour; the others say what it is part of.
    for (std::size_t i = 0; i < count; ++i) code.modules[i] = encoded->data[i] & 1;
    return code;
}

namespace {

// An entry of the cache folder: its key line (the program, the text's length), then the text, the
// version, the size and the modules (write_checked_cache_entry adds their CRC-32).
std::string kept_qr_key(std::string_view text) {
    std::string program = file_identity("/proc/self/exe");
    if (program.empty()) return {};
    return "factsheet qr 1 program " + program + " text " + std::to_string(text.size()) + "\n";
}

std::string kept_qr_path(const std::string& cache_folder, const std::string& key, std::string_view text) {
    Fnv1a fnv;
    for (char c : key) fnv.add(static_cast<unsigned char>(c));
    for (char c : text) fnv.add(static_cast<unsigned char>(c));
    char name[17];
    std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(fnv.value()));
    return cache_folder + "/qr/" + name;
}

constexpr std::size_t max_qr_entry_bytes = 1 << 20;  // version 40: 177 x 177 modules

std::optional<QrCode> read_kept_qr(const std::string& path, const std::string& key, std::string_view text) {
    std::optional<CheckedEntry> entry = read_checked_cache_entry(path, key, max_qr_entry_bytes);
    if (!entry) return std::nullopt;
    PackedReader in(entry->body());
    std::string_view kept_text;
    QrCode code;
    if (!in.take(text.size(), kept_text) || kept_text != text || !in.get(code.version) ||
        !in.get(code.size) || !in.get_array(code.modules) || !in.done() ||
        code.size != 17 + 4 * code.version ||
        code.modules.size() != static_cast<std::size_t>(code.size) * static_cast<std::size_t>(code.size))
        return std::nullopt;
    return code;
}

}  // namespace

QrCode kept_qr(std::string_view text, const std::string& cache_folder, const SourcePos& where) {
    const std::string key = cache_folder.empty() ? std::string() : kept_qr_key(text);
    if (key.empty()) return make_qr(text, where);
    const std::string path = kept_qr_path(cache_folder, key, text);
    if (std::optional<QrCode> kept = read_kept_qr(path, key, text)) return std::move(*kept);
    QrCode code = make_qr(text, where);
    std::string body(text);
    put(body, code.version);
    put(body, code.size);
    put_array(body, code.modules);
    write_checked_cache_entry(path, key, body);
    return code;
}

std::vector<QrRun> dark_runs(const QrCode& code) {
    std::vector<QrRun> runs;
    for (int y = 0; y < code.size; ++y) {
        for (int x = 0; x < code.size;) {
            if (!code.dark(x, y)) {
                ++x;
                continue;
            }
            const int start = x;
            while (x < code.size && code.dark(x, y)) ++x;
            runs.push_back({start, y, x - start});
        }
    }
    return runs;
}

}  // namespace factsheet
