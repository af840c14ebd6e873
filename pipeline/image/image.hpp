// Reads the PNG and JPEG images a factsheet shows (logos, maps) into what a PDF/A-1b image XObject
// holds as is: 8-bit DeviceGray or DeviceRGB samples, or a JPEG file for DCTDecode. PDF/A-1 (ISO
// 19005-1) allows no transparency (6.4), and DeviceCMYK only with a CMYK output intent while ours is
// sRGB (6.2.3); PDF 1.4 has no 16-bit samples. So alpha is composited here, CMYK converted and 16
// bits rounded to 8. Colour profiles (iCCP, gAMA, a JPEG's ICC profile) are ignored, since the page
// is sRGB, and a JPEG's EXIF orientation is not applied: save such an image upright.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace factsheet {

/// An 8-bit sRGB colour: what transparent pixels are composited over.
struct Rgb8 {
    std::uint8_t r = 255, g = 255, b = 255;
    bool operator==(const Rgb8&) const = default;
};

/// An image ready for a PDF image XObject (ISO 32000-1 8.9.5): no alpha, 8 bits per component.
struct RasterImage {
    /// How `data` holds the samples: the XObject's filter.
    enum class Encoding {
        raw,  // samples row by row, top row first, no padding (no filter, or the writer's Flate)
        dct,  // the JPEG file's bytes, unchanged (DCTDecode)
    };
    int width = 0;
    int height = 0;
    int components = 0;          // 1: DeviceGray, 3: DeviceRGB
    int bits_per_component = 8;  // always 8
    Encoding encoding = Encoding::raw;
    /// Its transparency was blended over the background given: another background gives
    /// another image. False for an opaque image, which is the same over any.
    bool over_background = false;
    std::string data;
};

/// The largest image file read, in bytes (32 MB).
inline constexpr std::size_t max_image_file_bytes = 32'000'000;

/// The most pixels an image may have (40 megapixels): its RGB samples alone are 120 MB, and an
/// interlaced PNG with alpha needs 160 MB more while it is decoded.
inline constexpr std::uint64_t max_image_pixels = 40'000'000;

/// The widest or tallest an image may be, in pixels: libjpeg's own limit (JPEG_MAX_DIMENSION), which
/// also bounds the row buffers of a PNG one pixel tall.
inline constexpr std::uint32_t max_image_side = 65'500;

/// Reads and decodes an image file (see decode_image). Throws Error naming the file when it cannot be
/// read, is over max_image_file_bytes or cannot be decoded.
RasterImage load_image(const std::string& path, Rgb8 background);

/// Decodes a PNG or JPEG, told apart by their first bytes, not by a file name. PNG: every colour type
/// and bit depth, interlaced or not; 16-bit samples are rounded to 8 bits; alpha and tRNS are
/// composited over `background` in 8-bit sRGB (out = (a * pixel + (255 - a) * background) / 255,
/// rounded to nearest); grey stays grey unless a transparent grey image goes over a colour. JPEG with
/// 1 or 3 components: passed through as DCT after its header and markers are checked, without decoding
/// the pixels. Decoded to raw instead: 4 components (CMYK or YCCK, Adobe's inverted convention),
/// converted to RGB naively (r = (1 - c)(1 - k)) without a colour profile; arithmetic coding, which
/// DCTDecode need not read; RGB samples without an Adobe marker, which readers would take for YCbCr.
/// Throws Error at {name_for_errors, 0, 0} saying what is wrong and what to do: not a PNG or JPEG,
/// truncated, damaged, over the limits.
RasterImage decode_image(std::string_view bytes, const std::string& name_for_errors, Rgb8 background);

}  // namespace factsheet
