// Private to the image stage: the decoders behind decode_image, one file per C library (png.cpp,
// jpeg.cpp), and what they share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "image/image.hpp"

namespace factsheet::image_detail {

/// Decoded 8-bit samples, row by row without padding: 1 channel (grey), 2 (grey, alpha), 3 (RGB)
/// or 4 (RGB, alpha); alpha not premultiplied.
struct Pixels {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::string samples;
};

/// Decodes a file that starts with the PNG signature.
RasterImage decode_png(std::string_view bytes, const std::string& name, Rgb8 background);

/// Decodes a file that starts with a JPEG SOI marker.
RasterImage decode_jpeg(std::string_view bytes, const std::string& name);

/// Throws Error at {name, 0, 0} with `message`.
[[noreturn]] void fail(const std::string& name, const std::string& message);

/// Throws Error when an image of this size has no pixels, more than max_image_pixels, or a side over
/// max_image_side. Decoders call
/// it once they know the size and before they allocate for the pixels.
void check_dimensions(std::uint64_t width, std::uint64_t height, const std::string& name);

/// A library's message made to read inside ours: its first letter lowercase unless it starts an
/// acronym ("Not enough image data" -> "not enough image data", "IHDR: CRC error" unchanged).
std::string library_message(const char* message);

/// Composites alpha over `background` and returns the samples as a raw image: 1 component when the
/// pixels are grey and the background grey or unused, 3 otherwise. Works in place: the samples are
/// moved into the result, never copied.
RasterImage flatten(Pixels pixels, Rgb8 background);

}  // namespace factsheet::image_detail
