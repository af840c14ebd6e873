// QR codes (ISO/IEC 18004) for the links a printed factsheet carries, made with libqrencode: the
// module matrix only, which the layout places and the renderer draws as rectangles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace factsheet {

/// A QR code's modules, without the quiet zone: the layout adds 4 modules of margin on each side
/// (ISO/IEC 18004 asks for them), light like the page.
struct QrCode {
    int version = 0;                    // 1 to 40; size = 17 + 4 * version
    int size = 0;                       // modules a side
    std::vector<std::uint8_t> modules;  // size * size, row by row from the top: 1 dark, 0 light
    /// Whether module (x, y) is dark; x counts from the left, y from the top, both from 0.
    bool dark(int x, int y) const {
        return modules[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) +
                       static_cast<std::size_t>(x)] != 0;
    }
};

/// The most bytes of ASCII a QR code holds at error correction level M (version 40, byte mode).
inline constexpr std::size_t max_qr_bytes = 2331;

/// The same for a text that is not ASCII: its UTF-8 mark (an ECI header) takes 12 bits.
inline constexpr std::size_t max_qr_utf8_bytes = 2330;

/// Encodes `text` (UTF-8) at error correction level M (15 % of the code may be damaged), in byte mode,
/// in the smallest version that holds it; a text that is not ASCII is marked as UTF-8 (ECI 26), or
/// readers guess its encoding. Throws Error at `where` when the text is empty or over the limit.
QrCode make_qr(std::string_view text, const SourcePos& where = {});

/// make_qr's code for `text`, kept in `cache_folder` ("qr", by the program and the text; empty:
/// none kept): the next process that draws the same link reads it back, without loading
/// libqrencode (and libpthread) or encoding, 0.8M of a cold build's 26M instructions. Throws as
/// make_qr does.
QrCode kept_qr(std::string_view text, const std::string& cache_folder, const SourcePos& where = {});

/// A horizontal run of dark modules: from (x, y) to (x + length - 1, y).
struct QrRun {
    int x = 0;
    int y = 0;
    int length = 0;
    bool operator==(const QrRun&) const = default;
};

/// The dark modules as maximal horizontal runs, row by row from the top, left to right: a renderer
/// draws one rectangle each (about half as many as dark modules) and no seams show between them.
std::vector<QrRun> dark_runs(const QrCode& code);

}  // namespace factsheet
