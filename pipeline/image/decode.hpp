// Private to the image stage: the decoders behind decode_image, one file per C library (png.cpp,
// jpeg.cpp), and what they share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "image/image.hpp"

namespace factsheet::image_detail {

/// Decodes a file that starts with the PNG signature.
RasterImage decode_png(std::string_view bytes, const std::string& name, Rgb8 background);

/// Decodes a file that starts with a JPEG SOI marker.
RasterImage decode_jpeg(std::string_view bytes, const std::string& name);

/// Throws Error at {name, 0, 0} with `message`.
[[noreturn]] void fail(const std::string& name, const std::string& message);

/// Throws Error when an image of this size has no pixels, more than max_image_pixels, or a side over
/// max_image_side. Decoders call it once they know the size, before they allocate for the pixels.
void check_dimensions(std::uint64_t width, std::uint64_t height, const std::string& name);

/// A library's message made to read inside ours: its first letter lowercase unless it starts an
/// acronym ("Not enough image data" -> "not enough image data", "IHDR: CRC error" unchanged).
std::string library_message(const char* message);

/// How many components a row of 8-bit samples with `channels` channels (1 grey, 2 grey and alpha,
/// 3 RGB, 4 RGB and alpha) has once flattened over `background`: 1 when the pixels are grey and the
/// background is grey or unused, else 3.
int flattened_components(int channels, Rgb8 background);

/// Writes a row of `width` pixels of `channels` 8-bit channels (alpha not premultiplied) as
/// flattened_components() samples a pixel, alpha composited over `background`.
void flatten_row(const unsigned char* in, int channels, std::size_t width, Rgb8 background, char* out);

}  // namespace factsheet::image_detail
