// The libpng adapter: decodes a PNG into 8-bit grey or RGB samples, alpha composited by
// flatten_row(). libpng reports errors by longjmp to a setjmp of the caller's. Every libpng call that
// can fail is made from one of the "C frames" below: functions whose locals are all trivially
// destructible, that set the jump target first and return false when libpng jumped back, its message
// recorded. Only their callers, which libpng never jumps past, throw; so no longjmp crosses a C++
// destructor.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/big_endian.hpp"
#include "image/decode.hpp"

namespace factsheet::image_detail {

namespace {

/// What the C frames and libpng's callbacks share: trivially destructible, lives in decode_png.
struct PngRead {
    png_structp png = nullptr;
    png_infop info = nullptr;
    const unsigned char* data = nullptr;  // the file
    std::size_t size = 0;
    std::size_t at = 0;      // how much of it libpng has read
    bool truncated = false;  // libpng asked for bytes past the end
    char message[256] = {};  // libpng's error message
    png_uint_32 width = 0;
    png_uint_32 height = 0;
    int channels = 0;  // after the transformations
    std::size_t row_bytes = 0;
    int passes = 0;  // 7 for an Adam7-interlaced image, else 1
};

[[noreturn]] void on_error(png_structp png, png_const_charp message) {
    auto* read = static_cast<PngRead*>(png_get_error_ptr(png));
    std::snprintf(read->message, sizeof read->message, "%s", message);
    png_longjmp(png, 1);
}

// Warnings are about ancillary chunks (a bad CRC, a damaged profile), which are skipped: the pixels
// are fine, so they are not worth a message.
void on_warning(png_structp, png_const_charp) {}

void read_bytes(png_structp png, png_bytep out, std::size_t length) {
    auto* read = static_cast<PngRead*>(png_get_io_ptr(png));
    if (length > read->size - read->at) {
        read->truncated = true;
        png_error(png, "the file ends early");
    }
    std::memcpy(out, read->data + read->at, length);
    read->at += length;
}

// C frame: reads the chunks up to the image data and the size from IHDR.
bool read_header(PngRead* read) {
    if (setjmp(png_jmpbuf(read->png))) return false;
    png_set_read_fn(read->png, read, read_bytes);
    // Only tRNS among the ancillary chunks changes what is drawn here; the others are skipped unread
    // (their CRC still checked), the colour ones too: iCCP, gAMA, cHRM and sRGB are ignored, as the
    // page is sRGB and PDF/A-1b's output intent says so.
    png_set_keep_unknown_chunks(read->png, PNG_HANDLE_CHUNK_NEVER, nullptr, -1);
    png_read_info(read->png, read->info);
    read->width = png_get_image_width(read->png, read->info);
    read->height = png_get_image_height(read->png, read->info);
    return true;
}

// C frame: asks for 8-bit grey, grey+alpha, RGB or RGBA, whatever the file holds.
bool prepare_rows(PngRead* read) {
    if (setjmp(png_jmpbuf(read->png))) return false;
    png_set_expand(read->png);    // palette to RGB, grey of 1, 2 or 4 bits to 8, tRNS to alpha
    png_set_scale_16(read->png);  // 16 bits to 8, rounded (not png_set_strip_16's truncation)
    read->passes = png_set_interlace_handling(read->png);  // png_read_image undoes Adam7
    png_read_update_info(read->png, read->info);
    read->channels = png_get_channels(read->png, read->info);
    read->row_bytes = png_get_rowbytes(read->png, read->info);
    return true;
}

// C frame: decodes the next row of a non-interlaced image into `row`.
bool read_row(PngRead* read, png_bytep row) {
    if (setjmp(png_jmpbuf(read->png))) return false;
    png_read_row(read->png, row, nullptr);
    return true;
}

// C frame: decodes every row into `rows`.
bool read_rows(PngRead* read, png_bytepp rows) {
    if (setjmp(png_jmpbuf(read->png))) return false;
    png_read_image(read->png, rows);
    return true;
}

[[noreturn]] void fail_png(const PngRead& read, const std::string& name) {
    if (read.truncated) fail(name, "the PNG file ends before its image data does; is it complete?");
    fail(name, "the PNG image is damaged (libpng: " + library_message(read.message) +
                   "); export it again from the original");
}

/// Frees libpng's structures on every way out of decode_png.
struct PngFree {
    PngRead& read;
    ~PngFree() { png_destroy_read_struct(&read.png, read.info ? &read.info : nullptr, nullptr); }
};

}  // namespace

RasterImage decode_png(std::string_view bytes, const std::string& name, Rgb8 background) {
    // The size is checked before libpng reads it: libpng refuses a zero or over-large size as
    // "Invalid IHDR data", giving the reason only in a warning.
    if (bytes.size() >= 24 && bytes.substr(12, 4) == "IHDR")
        check_dimensions(big_endian::u32(bytes, 16), big_endian::u32(bytes, 20), name);

    PngRead read;
    read.data = reinterpret_cast<const unsigned char*>(bytes.data());
    read.size = bytes.size();
    // png_create_read_struct reports its own failures by returning null, not by jumping.
    read.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &read, on_error, on_warning);
    if (!read.png) fail(name, "cannot decode the PNG image: libpng could not start (out of memory?)");
    PngFree free_png{read};
    read.info = png_create_info_struct(read.png);
    if (!read.info) fail(name, "cannot decode the PNG image: out of memory");

    if (!read_header(&read)) fail_png(read, name);
    check_dimensions(read.width, read.height, name);
    if (!prepare_rows(&read)) fail_png(read, name);
    const auto width = static_cast<std::size_t>(read.width);
    const auto height = static_cast<std::size_t>(read.height);
    if (read.channels < 1 || read.channels > 4 ||
        read.row_bytes != width * static_cast<std::size_t>(read.channels))
        fail(name, "cannot decode the PNG image: libpng gave " + std::to_string(read.row_bytes) +
                       " bytes a row; export it again as 8-bit RGB");

    RasterImage out;
    out.width = static_cast<int>(read.width);
    out.height = static_cast<int>(read.height);
    out.components = flattened_components(read.channels, background);
    out.over_background = read.channels == 2 || read.channels == 4;  // an alpha channel, or tRNS made one
    const std::size_t out_row = width * static_cast<std::size_t>(out.components);
    out.data.resize(height * out_row);
    auto* out_rows = reinterpret_cast<png_bytep>(out.data.data());
    // Without alpha, libpng writes the result itself; with alpha, its rows are flattened into it.
    const bool direct = out.components == read.channels;
    if (read.passes == 1) {
        // Row by row: at most one row of samples with alpha is held beside the result.
        std::vector<png_byte> row(direct ? 0 : read.row_bytes);
        for (std::size_t y = 0; y < height; ++y) {
            png_bytep target = direct ? out_rows + y * out_row : row.data();
            if (!read_row(&read, target)) fail_png(read, name);
            if (!direct)
                flatten_row(row.data(), read.channels, width, background, out.data.data() + y * out_row);
        }
        return out;
    }
    // Adam7 fills in every row at each of its seven passes: the whole image is decoded first.
    std::vector<png_byte> samples(direct ? 0 : height * read.row_bytes);
    std::vector<png_bytep> rows(height);
    for (std::size_t y = 0; y < height; ++y)
        rows[y] = direct ? out_rows + y * out_row : samples.data() + y * read.row_bytes;
    if (!read_rows(&read, rows.data())) fail_png(read, name);
    if (!direct)
        for (std::size_t y = 0; y < height; ++y)
            flatten_row(rows[y], read.channels, width, background, out.data.data() + y * out_row);
    return out;
}

}  // namespace factsheet::image_detail
