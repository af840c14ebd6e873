// The libqrencode adapter. libqrencode reports errors by returning null or -1 and setting errno; it
// does not jump, so it is called directly.
#include "image/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace factsheet {

namespace {

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
    errno = 0;
    std::unique_ptr<QRinput, void (*)(QRinput*)> input(QRinput_new2(0, QR_ECLEVEL_M), QRinput_free);
    if (!input) throw failed("could not start");
    if (!ascii && QRinput_appendECIheader(input.get(), eci_utf8) != 0) throw failed("refused the UTF-8 mark");
    if (QRinput_append(input.get(), QR_MODE_8, static_cast<int>(text.size()),
                       reinterpret_cast<const unsigned char*>(text.data())) != 0)
        throw failed("refused the text");
    std::unique_ptr<QRcode, void (*)(QRcode*)> encoded(QRcode_encodeInput(input.get()), QRcode_free);
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
