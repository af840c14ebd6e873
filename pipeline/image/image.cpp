// Telling PNG from JPEG, the limits, reading the file, and compositing alpha.
#include "image/image.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/error.hpp"
#include "common/files.hpp"
#include "image/decode.hpp"

namespace factsheet {

namespace image_detail {

void fail(const std::string& name, const std::string& message) {
    throw Error(SourcePos{name, 0, 0}, message);
}

void check_dimensions(std::uint64_t width, std::uint64_t height, const std::string& name) {
    const std::string size = std::to_string(width) + " x " + std::to_string(height) + " pixels";
    if (width == 0 || height == 0)
        fail(name, "the image is " + size + ", it has none to show; save it again");
    // Both are at most 2^32 - 1 (PNG) or 65,535 (JPEG): the product does not overflow 64 bits.
    if (width * height > max_image_pixels)
        fail(name, "the image is " + size + ", over the limit of " +
                       std::to_string(max_image_pixels / 1'000'000) +
                       " megapixels; scale it down (a logo needs well under one megapixel)");
    if (width > max_image_side || height > max_image_side)
        fail(name, "the image is " + size + ", over the limit of " + std::to_string(max_image_side) +
                       " pixels a side; scale it down");
}

std::string library_message(const char* message) {
    std::string out = message;
    if (out.size() >= 2 && std::isupper(static_cast<unsigned char>(out[0])) &&
        std::islower(static_cast<unsigned char>(out[1])))
        out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
    return out;
}

namespace {

/// (a * top + (255 - a) * bottom) / 255 rounded to nearest: 255 is odd, so there are no ties and
/// adding 127 before the floor division rounds.
unsigned over(unsigned top, unsigned alpha, unsigned bottom) {
    return (alpha * top + (255 - alpha) * bottom + 127) / 255;
}

}  // namespace

int flattened_components(int channels, Rgb8 background) {
    const bool grey_background = background.r == background.g && background.g == background.b;
    return channels == 1 || (channels == 2 && grey_background) ? 1 : 3;
}

void flatten_row(const unsigned char* in, int channels, std::size_t width, Rgb8 background, char* out) {
    auto put = [&out](unsigned value) { *out++ = static_cast<char>(value); };
    switch (channels) {
        case 1: std::memcpy(out, in, width); break;
        case 3: std::memcpy(out, in, 3 * width); break;
        case 2:
            if (flattened_components(2, background) == 1) {
                for (std::size_t i = 0; i < width; ++i, in += 2) put(over(in[0], in[1], background.r));
            } else {  // a transparent grey image over a colour: the composite is colour
                for (std::size_t i = 0; i < width; ++i, in += 2) {
                    put(over(in[0], in[1], background.r));
                    put(over(in[0], in[1], background.g));
                    put(over(in[0], in[1], background.b));
                }
            }
            break;
        default:  // 4
            for (std::size_t i = 0; i < width; ++i, in += 4) {
                put(over(in[0], in[3], background.r));
                put(over(in[1], in[3], background.g));
                put(over(in[2], in[3], background.b));
            }
    }
}

}  // namespace image_detail

namespace {

using image_detail::fail;

constexpr std::string_view png_signature = "\x89PNG\r\n\x1a\n";

/// The first four bytes of a file, quoted, for saying what it is not: printable ASCII as is, other
/// bytes as \xNN ("GIF8", "\xFF\xFE<\x00").
std::string first_bytes(std::string_view bytes) {
    std::string out = "\"";
    for (std::size_t i = 0; i < bytes.size() && i < 4; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
            out += escaped;
        }
    }
    return out + "\"";
}

/// A size in bytes as megabytes with one decimal, rounded up: a file a byte over 32 MB is "32.1 MB".
std::string megabytes(std::uint64_t bytes) {
    const std::uint64_t tenths = (bytes + 99'999) / 100'000;
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}

std::string too_large(std::uint64_t bytes) {
    return "the image file is " + megabytes(bytes) + ", over the limit of " +
           std::to_string(max_image_file_bytes / 1'000'000) +
           " MB; save it smaller (fewer pixels, or as JPEG)";
}

/// strerror, lowercase as our messages are ("No such file or directory" -> "no such file ...").
std::string reason(int error_number) {
    return image_detail::library_message(std::strerror(error_number));
}

}  // namespace

RasterImage decode_image(std::string_view bytes, const std::string& name_for_errors, Rgb8 background) {
    const std::string& name = name_for_errors;
    if (bytes.empty()) fail(name, "the file is empty; save the image as PNG or JPEG");
    if (bytes.size() > max_image_file_bytes) fail(name, too_large(bytes.size()));
    // The first four bytes of the signature: libpng itself tells a signature damaged by a text-mode
    // transfer ("\r\n" made "\n") from a file that is not a PNG at all.
    if (bytes.starts_with(png_signature.substr(0, 4)))
        return image_detail::decode_png(bytes, name, background);
    if (bytes.starts_with("\xFF\xD8\xFF")) return image_detail::decode_jpeg(bytes, name);
    fail(name, "not a PNG or JPEG image (it starts with " + first_bytes(bytes) + "); save it as PNG or JPEG");
}

RasterImage load_image(const std::string& path, Rgb8 background) {
    // Refuse a file known too large before reading any of it, and anything but a regular file (a
    // FIFO would block the build, a device be read without end).
    FileErrors errors;
    errors.too_large = [&](std::size_t size) { return Error(SourcePos{path, 0, 0}, too_large(size)); };
    errors.not_regular = [&](std::string_view kind) {
        return Error(SourcePos{path, 0, 0},
                     "cannot read the image: it is " + std::string(kind) + "; name an image file");
    };
    errors.cannot_read = [&](int e) {
        if (e == EISDIR)
            return Error(SourcePos{path, 0, 0}, "cannot read the image: it is a folder; name an image file");
        bool opening = e == ENOENT || e == EACCES || e == ENOTDIR;
        return Error(SourcePos{path, 0, 0}, "cannot read the image: " + reason(e) +
                                                (opening ? "; check the file name and folder" : ""));
    };
    std::string bytes = read_regular_file(path, max_image_file_bytes, errors);
    return decode_image(bytes, path, background);
}

}  // namespace factsheet
