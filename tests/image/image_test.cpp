// PNG and JPEG decoding, on images the tests write themselves with libpng and libjpeg.
#include "image/image.hpp"

#include <png.h>
#include <zlib.h>

#include <jpeglib.h>
#include <cstdio>  // before jpeglib.h, which uses FILE and size_t without including their headers

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <vector>

#include "common/big_endian.hpp"
#include "common/error.hpp"
#include "common/test_paths.hpp"

using factsheet::decode_image;
using factsheet::load_image;
using factsheet::RasterImage;
using factsheet::Rgb8;
using factsheet::test::error_text;

namespace {

const Rgb8 white{255, 255, 255};

// ---- Writing test PNGs with libpng -------------------------------------------------------------

/// A PNG to write: `samples` holds each pixel's channels in file order (grey, grey+alpha, RGB, RGBA,
/// or a palette index), each at the image's bit depth (0..1, 0..15, 0..65535, ...).
struct PngSpec {
    int width = 0;
    int height = 0;
    int color_type = PNG_COLOR_TYPE_RGB;
    int bit_depth = 8;
    bool interlaced = false;
    std::vector<unsigned> samples;
    std::vector<std::array<std::uint8_t, 3>> palette;
    std::vector<std::uint8_t> palette_alpha;  // tRNS of a palette image
    std::optional<png_color_16> transparent;  // tRNS of a grey or RGB image
    std::optional<double> gamma;              // gAMA, which the decoder ignores
};

PngSpec png_spec(int width, int height, int color_type, int bit_depth = 8) {
    PngSpec spec;
    spec.width = width;
    spec.height = height;
    spec.color_type = color_type;
    spec.bit_depth = bit_depth;
    return spec;
}

int channels_of(int color_type) {
    switch (color_type) {
        case PNG_COLOR_TYPE_GRAY:
        case PNG_COLOR_TYPE_PALETTE: return 1;
        case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
        case PNG_COLOR_TYPE_RGB: return 3;
        default: return 4;
    }
}

[[noreturn]] void on_write_error(png_structp, png_const_charp message) {
    std::fprintf(stderr, "libpng, writing a test image: %s\n", message);
    std::abort();  // a bug in the test itself; no jump target to unwind to
}

void append_bytes(png_structp png, png_bytep data, std::size_t length) {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), length);
}

std::string write_png(const PngSpec& spec) {
    const auto channels = static_cast<std::size_t>(channels_of(spec.color_type));
    const auto width = static_cast<std::size_t>(spec.width);
    EXPECT_EQ(spec.samples.size(), width * static_cast<std::size_t>(spec.height) * channels);
    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, on_write_error, nullptr);
    png_infop info = png_create_info_struct(png);
    png_set_write_fn(png, &out, append_bytes, nullptr);
    png_set_IHDR(png, info, static_cast<png_uint_32>(spec.width), static_cast<png_uint_32>(spec.height),
                 spec.bit_depth, spec.color_type, spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    std::vector<png_color> palette;
    for (const auto& c : spec.palette) palette.push_back({c[0], c[1], c[2]});
    if (!palette.empty()) png_set_PLTE(png, info, palette.data(), static_cast<int>(palette.size()));
    if (!spec.palette_alpha.empty())
        png_set_tRNS(png, info, spec.palette_alpha.data(), static_cast<int>(spec.palette_alpha.size()),
                     nullptr);
    if (spec.transparent) png_set_tRNS(png, info, nullptr, 0, &*spec.transparent);
    if (spec.gamma) png_set_gAMA(png, info, *spec.gamma);
    png_write_info(png, info);
    // Below 8 bits, png_set_packing takes one sample a byte; at 16 bits the bytes are big-endian.
    if (spec.bit_depth < 8) png_set_packing(png);
    const std::size_t bytes_per_sample = spec.bit_depth == 16 ? 2 : 1;
    std::vector<std::vector<png_byte>> rows(static_cast<std::size_t>(spec.height));
    std::vector<png_bytep> row_pointers;
    std::size_t i = 0;
    for (auto& row : rows) {
        for (std::size_t k = 0; k < width * channels; ++k, ++i) {
            const unsigned v = spec.samples[i];
            if (bytes_per_sample == 2) row.push_back(static_cast<png_byte>(v >> 8));
            row.push_back(static_cast<png_byte>(v & 0xFF));
        }
        row_pointers.push_back(row.data());
    }
    png_write_image(png, row_pointers.data());
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return out;
}

/// Decoded raw samples as numbers, for readable comparisons.
std::vector<int> samples_of(const RasterImage& image) {
    EXPECT_EQ(image.encoding, RasterImage::Encoding::raw);
    std::vector<int> out;
    for (char c : image.data) out.push_back(static_cast<unsigned char>(c));
    return out;
}

RasterImage decode(const std::string& bytes, Rgb8 background = white) {
    return decode_image(bytes, "test.png", background);
}

// ---- Writing test JPEGs with libjpeg ------------------------------------------------------------

/// A JPEG to write from `samples` (`components` a pixel, in `input_space`), stored as `file_space`.
struct JpegSpec {
    int width = 16;
    int height = 16;
    J_COLOR_SPACE input_space = JCS_RGB;
    int components = 3;
    J_COLOR_SPACE file_space = JCS_YCbCr;
    bool progressive = false;
    bool arithmetic = false;
    std::string samples;
};

JpegSpec rgb_jpeg(int width = 16, int height = 16) {
    JpegSpec spec;
    spec.width = width;
    spec.height = height;
    return spec;
}

JpegSpec grey_jpeg(int width = 16, int height = 16) {
    JpegSpec spec = rgb_jpeg(width, height);
    spec.input_space = spec.file_space = JCS_GRAYSCALE;
    spec.components = 1;
    return spec;
}

/// Inverted CMYK samples (Adobe's convention) stored as CMYK or YCCK.
JpegSpec cmyk_jpeg(J_COLOR_SPACE file_space) {
    JpegSpec spec;
    spec.input_space = JCS_CMYK;
    spec.components = 4;
    spec.file_space = file_space;
    return spec;
}

[[noreturn]] void on_jpeg_write_error(j_common_ptr info) {
    char message[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, message);
    std::fprintf(stderr, "libjpeg, writing a test image: %s\n", message);
    std::abort();  // a bug in the test itself
}

std::string write_jpeg(const JpegSpec& spec) {
    jpeg_compress_struct info{};
    jpeg_error_mgr errors{};
    info.err = jpeg_std_error(&errors);
    errors.error_exit = on_jpeg_write_error;
    jpeg_create_compress(&info);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = static_cast<JDIMENSION>(spec.width);
    info.image_height = static_cast<JDIMENSION>(spec.height);
    info.input_components = spec.components;
    info.in_color_space = spec.input_space;
    jpeg_set_defaults(&info);
    jpeg_set_colorspace(&info, spec.file_space);
    jpeg_set_quality(&info, 100, TRUE);
    if (spec.progressive) jpeg_simple_progression(&info);
    info.arith_code = spec.arithmetic ? TRUE : FALSE;
    jpeg_start_compress(&info, TRUE);
    const auto row_bytes = static_cast<std::size_t>(spec.width * spec.components);
    while (info.next_scanline < info.image_height) {
        auto* row = reinterpret_cast<JSAMPLE*>(const_cast<char*>(spec.samples.data())) +
                    info.next_scanline * row_bytes;
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    std::string out(reinterpret_cast<const char*>(buffer), size);
    std::free(buffer);
    return out;
}

/// `pixel` repeated over the whole of a spec's image.
std::string fill(const JpegSpec& spec, std::string_view pixel) {
    std::string out;
    for (int i = 0; i < spec.width * spec.height; ++i) out += pixel;
    return out;
}

/// Every pixel of a decoded raw image is within `tolerance` of `expected` (JPEG is lossy).
void expect_all_near(const RasterImage& image, const std::vector<int>& expected, int tolerance) {
    ASSERT_EQ(image.encoding, RasterImage::Encoding::raw);
    const auto components = static_cast<std::size_t>(image.components);
    ASSERT_EQ(components, expected.size());
    ASSERT_EQ(image.data.size(),
              static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * components);
    for (std::size_t i = 0; i < image.data.size(); ++i) {
        const int got = static_cast<unsigned char>(image.data[i]);
        ASSERT_NEAR(got, expected[i % components], tolerance) << "sample " << i;
    }
}

/// Removes a JPEG's APP14 (Adobe) segment.
std::string without_adobe_marker(std::string jpeg) {
    for (std::size_t at = 2; at + 4 <= jpeg.size();) {
        const auto marker = static_cast<unsigned char>(jpeg[at + 1]);
        const std::size_t length = factsheet::big_endian::u16(jpeg, at + 2);
        if (marker == 0xEE) return jpeg.erase(at, 2 + length);
        if (marker == 0xDA) break;
        at += 2 + length;
    }
    ADD_FAILURE() << "no Adobe marker before the first scan";
    return jpeg;
}

/// A PNG chunk with its length and CRC.
std::string chunk(std::string_view type, std::string_view data) {
    std::string out(4, '\0');
    factsheet::big_endian::put32(out, 0, static_cast<std::uint32_t>(data.size()));
    out += type;
    out += data;
    const std::string_view crc_over = std::string_view(out).substr(4);
    const auto crc =
        crc32(0, reinterpret_cast<const Bytef*>(crc_over.data()), static_cast<uInt>(crc_over.size()));
    std::string crc_bytes(4, '\0');
    factsheet::big_endian::put32(crc_bytes, 0, static_cast<std::uint32_t>(crc));
    return out + crc_bytes;
}

/// A PNG with the CRC of every chunk made right again, so damage inside a chunk reaches its reader.
std::string with_fixed_crcs(std::string png) {
    for (std::size_t at = 8; at + 12 <= png.size();) {
        const std::size_t length = factsheet::big_endian::u32(png, at);
        if (length > png.size() - at - 12) break;
        const std::string fixed =
            chunk(std::string_view(png).substr(at + 4, 4), std::string_view(png).substr(at + 8, length));
        png.replace(at, fixed.size(), fixed);
        at += fixed.size();
    }
    return png;
}

/// A PNG whose IHDR declares `width` x `height` 8-bit grey pixels, with a valid CRC, and image data
/// for the first row only (all of it when the image is one row tall).
std::string png_declaring(std::uint32_t width, std::uint32_t height) {
    std::string ihdr(13, '\0');
    factsheet::big_endian::put32(ihdr, 0, width);
    factsheet::big_endian::put32(ihdr, 4, height);
    ihdr[8] = 8;                                          // bit depth; colour type 0 is grey
    const std::string row(1 + std::size_t{width}, '\0');  // filter type 0, then the samples
    std::string data(compressBound(static_cast<uLong>(row.size())), '\0');
    uLongf size = static_cast<uLongf>(data.size());
    EXPECT_EQ(compress(reinterpret_cast<Bytef*>(data.data()), &size,
                       reinterpret_cast<const Bytef*>(row.data()), static_cast<uLong>(row.size())),
              Z_OK);
    data.resize(size);
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", data) +
           chunk("IEND", "");
}

/// Pseudo-random samples (a fixed linear congruential sequence): every interlace pass gets its own.
std::vector<unsigned> noise(std::size_t count, unsigned max) {
    std::vector<unsigned> out;
    std::uint32_t state = 12345;
    for (std::size_t i = 0; i < count; ++i) {
        state = state * 1103515245u + 12345u;
        out.push_back((state >> 16) % (max + 1));
    }
    return out;
}

}  // namespace

// ---- PNG ----------------------------------------------------------------------------------------

TEST(image, png_rgb_pixels_exact) {
    PngSpec spec = png_spec(3, 2, PNG_COLOR_TYPE_RGB);
    spec.samples = {255, 0, 0, 0,   255, 0,   0,  0,  255,  // red, green, blue
                    0,   0, 0, 128, 128, 128, 12, 34, 56};
    spec.gamma = 1.0;  // ignored: the samples are taken as sRGB as they are
    const RasterImage image = decode(write_png(spec));
    EXPECT_EQ(image.width, 3);
    EXPECT_EQ(image.height, 2);
    EXPECT_EQ(image.components, 3);
    EXPECT_EQ(image.bits_per_component, 8);
    EXPECT_FALSE(image.over_background);  // opaque: the same over any background
    EXPECT_EQ(samples_of(image),
              std::vector<int>({255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 128, 128, 128, 12, 34, 56}));
}

TEST(image, png_rgba_composited_over_the_background) {
    PngSpec spec = png_spec(4, 1, PNG_COLOR_TYPE_RGB_ALPHA);
    spec.samples = {255, 0,  0,   128,  // half red: 255 * 127 / 255 = 127 on white
                    255, 0,  0,   0,    // transparent: the background
                    10,  20, 30,  255,  // opaque: itself
                    0,   0,  255, 64};  // a quarter blue
    EXPECT_EQ(samples_of(decode(write_png(spec))),
              std::vector<int>({255, 127, 127, 255, 255, 255, 10, 20, 30, 191, 191, 255}));
    EXPECT_TRUE(decode(write_png(spec)).over_background);
    // Over a colour: (128 * 255 + 127 * 0) / 255 = 128 for red, the background's 100 * 127 / 255 = 49.8
    EXPECT_EQ(samples_of(decode(write_png(spec), Rgb8{0, 100, 200})),
              std::vector<int>({128, 50, 100, 0, 100, 200, 10, 20, 30, 0, 75, 214}));
}

TEST(image, png_grey_depths_scaled_to_8_bits) {
    const std::vector<std::pair<int, std::vector<unsigned>>> depths = {
        {1, {0, 1, 1, 0}}, {2, {0, 1, 2, 3}}, {4, {0, 1, 8, 15}}, {8, {0, 1, 128, 255}}};
    const std::vector<std::vector<int>> expected = {
        {0, 255, 255, 0}, {0, 85, 170, 255}, {0, 17, 136, 255}, {0, 1, 128, 255}};
    for (std::size_t i = 0; i < depths.size(); ++i) {
        PngSpec spec = png_spec(4, 1, PNG_COLOR_TYPE_GRAY, depths[i].first);
        spec.samples = depths[i].second;
        const RasterImage image = decode(write_png(spec));
        EXPECT_EQ(image.components, 1) << depths[i].first << " bits";
        EXPECT_EQ(samples_of(image), expected[i]) << depths[i].first << " bits";
    }
}

TEST(image, png_16_bits_rounded_to_8) {
    // v * 255 / 65535 rounded: 0xFF00 is 254.0 (its high byte would say 255), 0x00FF is 0.99 (0).
    PngSpec grey = png_spec(5, 1, PNG_COLOR_TYPE_GRAY, 16);
    grey.samples = {0x0000, 0x00FF, 0xFF00, 0x8080, 0xFFFF};
    const RasterImage image = decode(write_png(grey));
    EXPECT_EQ(image.components, 1);
    EXPECT_EQ(samples_of(image), std::vector<int>({0, 1, 254, 128, 255}));

    PngSpec rgb = png_spec(2, 1, PNG_COLOR_TYPE_RGB, 16);
    rgb.samples = {0xFF00, 0x00FF, 0x7F7F, 0xFFFF, 0, 0x0180};
    EXPECT_EQ(samples_of(decode(write_png(rgb))), std::vector<int>({254, 1, 127, 255, 0, 1}));

    // Alpha is rounded too, then composited: 0x8080 is 128, as in the 8-bit case.
    PngSpec rgba = png_spec(1, 1, PNG_COLOR_TYPE_RGB_ALPHA, 16);
    rgba.samples = {0xFFFF, 0, 0, 0x8080};
    EXPECT_EQ(samples_of(decode(write_png(rgba))), std::vector<int>({255, 127, 127}));
}

TEST(image, png_grey_alpha_stays_grey_over_grey) {
    PngSpec spec = png_spec(3, 1, PNG_COLOR_TYPE_GRAY_ALPHA);
    spec.samples = {0, 128, 200, 0, 50, 255};
    const RasterImage over_white = decode(write_png(spec));
    EXPECT_EQ(over_white.components, 1);
    EXPECT_EQ(samples_of(over_white), std::vector<int>({127, 255, 50}));
    const RasterImage over_grey = decode(write_png(spec), Rgb8{100, 100, 100});
    EXPECT_EQ(over_grey.components, 1);
    EXPECT_EQ(samples_of(over_grey), std::vector<int>({50, 100, 50}));
    // Over a colour the composite is colour: RGB.
    const RasterImage over_blue = decode(write_png(spec), Rgb8{0, 0, 255});
    EXPECT_EQ(over_blue.components, 3);
    EXPECT_EQ(samples_of(over_blue), std::vector<int>({0, 0, 127, 0, 0, 255, 50, 50, 50}));
    // 16-bit grey with alpha takes the same path once rounded.
    PngSpec deep = png_spec(1, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 16);
    deep.samples = {0, 0x8080};
    EXPECT_EQ(samples_of(decode(write_png(deep))), std::vector<int>({127}));
}

TEST(image, png_palette_with_and_without_trns) {
    PngSpec spec = png_spec(4, 1, PNG_COLOR_TYPE_PALETTE, 2);
    spec.palette = {{255, 0, 0}, {0, 128, 0}, {0, 0, 255}, {7, 8, 9}};
    spec.samples = {0, 1, 2, 3};
    const RasterImage opaque = decode(write_png(spec));
    EXPECT_EQ(opaque.components, 3);
    EXPECT_EQ(samples_of(opaque), std::vector<int>({255, 0, 0, 0, 128, 0, 0, 0, 255, 7, 8, 9}));

    // tRNS gives the first entries alpha; entries past its end are opaque.
    spec.palette_alpha = {0, 128, 255};
    EXPECT_EQ(samples_of(decode(write_png(spec))),
              std::vector<int>({255, 255, 255, 127, 191, 127, 0, 0, 255, 7, 8, 9}));
    EXPECT_EQ(samples_of(decode(write_png(spec), Rgb8{0, 0, 0})),
              std::vector<int>({0, 0, 0, 0, 64, 0, 0, 0, 255, 7, 8, 9}));

    // An 8-bit palette too.
    spec.bit_depth = 8;
    spec.palette_alpha.clear();
    EXPECT_EQ(samples_of(decode(write_png(spec))),
              std::vector<int>({255, 0, 0, 0, 128, 0, 0, 0, 255, 7, 8, 9}));
}

TEST(image, png_trns_colour_is_transparent) {
    PngSpec grey = png_spec(3, 1, PNG_COLOR_TYPE_GRAY, 4);
    grey.samples = {0, 5, 15};
    grey.transparent = png_color_16{0, 0, 0, 0, 5};  // grey 5 of 15 is transparent
    const RasterImage image = decode(write_png(grey), Rgb8{200, 200, 200});
    EXPECT_EQ(image.components, 1);
    EXPECT_TRUE(image.over_background);  // tRNS is transparency too
    EXPECT_EQ(samples_of(image), std::vector<int>({0, 200, 255}));

    PngSpec rgb = png_spec(2, 1, PNG_COLOR_TYPE_RGB, 16);
    rgb.samples = {0x1234, 0x5678, 0x9ABC, 0x1234, 0x5678, 0x9ABD};
    rgb.transparent = png_color_16{0, 0x1234, 0x5678, 0x9ABC, 0};  // compared at 16 bits
    EXPECT_EQ(samples_of(decode(write_png(rgb), Rgb8{1, 2, 3})), std::vector<int>({1, 2, 3, 18, 86, 154}));
}

TEST(image, png_interlaced_equals_non_interlaced) {
    struct Kind {
        int color_type;
        int bit_depth;
    };
    // 13 x 11: not a multiple of Adam7's 8 x 8 tile, so some passes have short rows or none.
    for (Kind kind :
         {Kind{PNG_COLOR_TYPE_RGB_ALPHA, 8}, Kind{PNG_COLOR_TYPE_GRAY, 1}, Kind{PNG_COLOR_TYPE_RGB, 16},
          Kind{PNG_COLOR_TYPE_PALETTE, 4}, Kind{PNG_COLOR_TYPE_GRAY_ALPHA, 16}}) {
        PngSpec spec = png_spec(13, 11, kind.color_type, kind.bit_depth);
        const auto count = static_cast<std::size_t>(13 * 11 * channels_of(kind.color_type));
        spec.samples = noise(count, (1u << kind.bit_depth) - 1);
        if (kind.color_type == PNG_COLOR_TYPE_PALETTE)
            for (unsigned i = 0; i < 16; ++i)
                spec.palette.push_back({static_cast<std::uint8_t>(i * 16), static_cast<std::uint8_t>(255 - i),
                                        static_cast<std::uint8_t>(i * 3)});
        const RasterImage plain = decode(write_png(spec), Rgb8{10, 20, 30});
        spec.interlaced = true;
        const std::string interlaced_png = write_png(spec);
        const RasterImage interlaced = decode(interlaced_png, Rgb8{10, 20, 30});
        EXPECT_EQ(static_cast<unsigned char>(interlaced_png[28]), 1) << "IHDR says Adam7";
        EXPECT_EQ(interlaced.components, plain.components);
        EXPECT_EQ(interlaced.data, plain.data)
            << "colour type " << kind.color_type << ", " << kind.bit_depth << " bits";
    }
}

TEST(image, png_told_by_content_not_name) {
    PngSpec spec = png_spec(1, 1, PNG_COLOR_TYPE_GRAY);
    spec.samples = {42};
    EXPECT_EQ(samples_of(decode_image(write_png(spec), "logo.jpg", white)), std::vector<int>({42}));
}

TEST(image, load_image_reads_a_file) {
    const std::string dir = factsheet::test::make_temp_dir();
    PngSpec spec = png_spec(2, 1, PNG_COLOR_TYPE_RGB);
    spec.samples = {1, 2, 3, 4, 5, 6};
    factsheet::test::write_file(dir + "/logo.png", write_png(spec));
    EXPECT_EQ(samples_of(load_image(dir + "/logo.png", white)), std::vector<int>({1, 2, 3, 4, 5, 6}));
    std::filesystem::remove_all(dir);
}

// ---- JPEG ---------------------------------------------------------------------------------------

TEST(image, jpeg_grey_and_rgb_pass_through_unchanged) {
    JpegSpec grey = grey_jpeg(17, 9);
    grey.samples = fill(grey, "\x50");
    JpegSpec rgb = rgb_jpeg(33, 20);
    rgb.samples = fill(rgb, "\xC0\x20\x10");
    JpegSpec progressive = rgb;
    progressive.progressive = true;
    JpegSpec adobe_rgb = rgb;  // RGB samples with an Adobe marker saying so: readers honour it
    adobe_rgb.file_space = JCS_RGB;
    for (const JpegSpec& spec : {grey, rgb, progressive, adobe_rgb}) {
        const std::string jpeg = write_jpeg(spec);
        const RasterImage image = decode_image(jpeg, "photo.png", white);  // the name does not matter
        EXPECT_EQ(image.encoding, RasterImage::Encoding::dct);
        EXPECT_EQ(image.width, spec.width);
        EXPECT_EQ(image.height, spec.height);
        EXPECT_EQ(image.components, spec.components);
        EXPECT_EQ(image.bits_per_component, 8);
        EXPECT_EQ(image.data, jpeg);
    }
}

TEST(image, jpeg_bytes_after_the_end_are_kept) {
    JpegSpec spec;
    spec.samples = fill(spec, "\x10\x20\x30");
    const std::string jpeg = write_jpeg(spec) + "trailing data";
    EXPECT_EQ(decode_image(jpeg, "photo.jpg", white).data, jpeg);
}

TEST(image, jpeg_cmyk_converted_to_rgb) {
    // Adobe's inverted CMYK (255 is no ink), as libjpeg writes what it is given and Photoshop gives
    // it inverted: cyan, magenta + yellow (red), half black.
    const std::vector<std::pair<std::string, std::vector<int>>> cases = {
        {std::string("\x00\xFF\xFF\xFF", 4), {0, 255, 255}},
        {std::string("\xFF\x00\x00\xFF", 4), {255, 0, 0}},
        {std::string("\xFF\xFF\xFF\x80", 4), {128, 128, 128}},
        {std::string("\xFF\xFF\xFF\xFF", 4), {255, 255, 255}},
    };
    for (J_COLOR_SPACE file_space : {JCS_CMYK, JCS_YCCK}) {
        for (const auto& [cmyk, rgb] : cases) {
            JpegSpec spec = cmyk_jpeg(file_space);
            spec.samples = fill(spec, cmyk);
            const RasterImage image = decode_image(write_jpeg(spec), "print.jpg", white);
            EXPECT_EQ(image.components, 3);
            EXPECT_EQ(image.width, 16);
            EXPECT_EQ(image.height, 16);
            expect_all_near(image, rgb, 2);
        }
    }
}

TEST(image, jpeg_decoded_when_a_reader_would_mistake_it) {
    // RGB samples without an Adobe marker: a PDF reader would take them for YCbCr.
    JpegSpec rgb = rgb_jpeg();
    rgb.file_space = JCS_RGB;
    rgb.samples = fill(rgb, "\xC0\x20\x10");
    const RasterImage unmarked = decode_image(without_adobe_marker(write_jpeg(rgb)), "rgb.jpg", white);
    EXPECT_EQ(unmarked.components, 3);
    expect_all_near(unmarked, {0xC0, 0x20, 0x10}, 2);

    // Arithmetic coding, which DCTDecode readers need not support.
    JpegSpec arithmetic = rgb_jpeg();
    arithmetic.arithmetic = true;
    arithmetic.samples = fill(arithmetic, "\x10\x80\xF0");
    expect_all_near(decode_image(write_jpeg(arithmetic), "arith.jpg", white), {0x10, 0x80, 0xF0}, 3);
    JpegSpec grey = grey_jpeg();
    grey.arithmetic = true;
    grey.samples = fill(grey, "\x64");
    const RasterImage grey_image = decode_image(write_jpeg(grey), "arith.jpg", white);
    EXPECT_EQ(grey_image.components, 1);
    expect_all_near(grey_image, {0x64}, 1);
}

// ---- Errors -------------------------------------------------------------------------------------

TEST(image, error_not_png_or_jpeg) {
    EXPECT_EQ(
        error_text([] { decode_image(std::string("GIF89a\x01\x00\x01\x00", 10), "logos/unhcr.png", white); }),
        "logos/unhcr.png: error: not a PNG or JPEG image (it starts with \"GIF8\"); save it as PNG or "
        "JPEG");
    EXPECT_EQ(
        error_text([] { decode_image(std::string("\xFF\xFE<\x00", 4), "logo.png", white); }),
        "logo.png: error: not a PNG or JPEG image (it starts with \"\\xFF\\xFE<\\x00\"); save it as PNG "
        "or JPEG");
    EXPECT_EQ(error_text([] { decode_image("BM", "logo.bmp", white); }),
              "logo.bmp: error: not a PNG or JPEG image (it starts with \"BM\"); save it as PNG or JPEG");
}

TEST(image, error_empty_file) {
    const std::string dir = factsheet::test::make_temp_dir();
    factsheet::test::write_file(dir + "/empty.png", "");
    EXPECT_EQ(error_text([&] { load_image(dir + "/empty.png", white); }),
              dir + "/empty.png: error: the file is empty; save the image as PNG or JPEG");
    std::filesystem::remove_all(dir);
}

TEST(image, error_missing_file) {
    EXPECT_EQ(error_text([] { load_image("logos/none-such.png", white); }),
              "logos/none-such.png: error: cannot read the image: no such file or directory; check the file "
              "name and folder");
    const std::string dir = factsheet::test::make_temp_dir();
    EXPECT_EQ(error_text([&] { load_image(dir, white); }),
              dir + ": error: cannot read the image: it is a folder; name an image file");
    std::filesystem::remove_all(dir);
}

TEST(image, error_truncated_png) {
    PngSpec spec = png_spec(40, 40, PNG_COLOR_TYPE_RGB);
    spec.samples = noise(40 * 40 * 3, 255);
    const std::string png = write_png(spec);
    const std::string expected =
        "logo.png: error: the PNG file ends before its image data does; is it complete?";
    for (std::size_t keep :
         {std::size_t{8}, std::size_t{20}, std::size_t{40}, png.size() / 2, png.size() - 13})
        EXPECT_EQ(error_text([&] { decode_image(png.substr(0, keep), "logo.png", white); }), expected)
            << "cut at " << keep;
}

TEST(image, error_damaged_png) {
    PngSpec spec = png_spec(2, 2, PNG_COLOR_TYPE_RGB);
    spec.samples = noise(12, 255);
    std::string png = write_png(spec);
    png[29] ^= 1;  // a bit of IHDR's CRC flipped
    EXPECT_EQ(error_text([&] { decode_image(png, "logo.png", white); }),
              "logo.png: error: the PNG image is damaged (libpng: IHDR: CRC error); export it again from the "
              "original");
    // A signature mangled by a text-mode transfer ("\r\n" made "\n").
    std::string ascii = write_png(spec);
    ascii.erase(4, 1);
    EXPECT_EQ(error_text([&] { decode_image(ascii, "logo.png", white); }),
              "logo.png: error: the PNG image is damaged (libpng: PNG file corrupted by ASCII conversion); "
              "export it again from the original");
}

TEST(image, error_truncated_jpeg) {
    JpegSpec spec = rgb_jpeg(40, 40);
    spec.samples = fill(spec, "\x10\x20\x30");
    const std::string expected =
        "photo.jpg: error: the JPEG file ends before its image data does; is it complete?";
    for (bool progressive : {false, true}) {
        spec.progressive = progressive;
        const std::string jpeg = write_jpeg(spec);
        for (std::size_t keep : {std::size_t{3}, std::size_t{10}, jpeg.size() / 2, jpeg.size() - 2})
            EXPECT_EQ(error_text([&] { decode_image(jpeg.substr(0, keep), "photo.jpg", white); }), expected)
                << "cut at " << keep;
    }
    // A CMYK JPEG, which is decoded, is refused the same way.
    JpegSpec cmyk = cmyk_jpeg(JCS_CMYK);
    cmyk.samples = fill(cmyk, "\x10\x20\x30\x40");
    const std::string jpeg = write_jpeg(cmyk);
    EXPECT_EQ(error_text([&] { decode_image(jpeg.substr(0, jpeg.size() - 10), "photo.jpg", white); }),
              expected);
}

TEST(image, error_damaged_jpeg) {
    JpegSpec spec;
    spec.samples = fill(spec, "\x10\x20\x30");
    std::string jpeg = write_jpeg(spec);
    // The first segment after SOI (JFIF's APP0) given a length of 1.
    jpeg[4] = 0;
    jpeg[5] = 1;
    EXPECT_EQ(
        error_text([&] { decode_image(jpeg, "photo.jpg", white); }),
        "photo.jpg: error: the JPEG image is damaged (a marker at byte 2 has a length under 2); export it "
        "again from the original");
    // A frame header (SOF0) libjpeg finds wrong: 7 components in a 17-byte segment.
    jpeg = write_jpeg(spec);
    const std::size_t sof = jpeg.find("\xFF\xC0");
    ASSERT_NE(sof, std::string::npos);
    jpeg[sof + 9] = 7;
    EXPECT_EQ(error_text([&] { decode_image(jpeg, "photo.jpg", white); }),
              "photo.jpg: error: the JPEG image is damaged (libjpeg: bogus marker length); export it again "
              "from the original");
    // A lossless JPEG (SOF3), which libjpeg-turbo 2.1 cannot read.
    jpeg = write_jpeg(spec);
    jpeg[sof + 1] = '\xC3';
    EXPECT_EQ(error_text([&] { decode_image(jpeg, "photo.jpg", white); }),
              "photo.jpg: error: the JPEG image is of a kind this program cannot read (libjpeg: unsupported "
              "JPEG process: SOF type 0xc3); save it as an ordinary 8-bit JPEG or as PNG");
}

TEST(image, error_huge_dimensions_refused_before_decoding) {
    EXPECT_EQ(
        error_text([] { decode_image(png_declaring(100000, 100000), "map.png", white); }),
        "map.png: error: the image is 100000 x 100000 pixels, over the limit of 40 megapixels; scale it "
        "down (a logo needs well under one megapixel)");
    EXPECT_EQ(
        error_text([] { decode_image(png_declaring(100000, 1), "map.png", white); }),
        "map.png: error: the image is 100000 x 1 pixels, over the limit of 65500 pixels a side; scale it "
        "down");
    EXPECT_EQ(error_text([] { decode_image(png_declaring(0, 5), "map.png", white); }),
              "map.png: error: the image is 0 x 5 pixels, it has none to show; save it again");
    // The same check once libpng has read IHDR: a 1 x 1 image decodes.
    EXPECT_EQ(error_text([] { decode_image(png_declaring(1, 1), "map.png", white); }), "no error");

    // A JPEG whose frame header says 65535 x 65535.
    JpegSpec spec;
    spec.samples = fill(spec, "\x10\x20\x30");
    std::string jpeg = write_jpeg(spec);
    const std::size_t sof = jpeg.find("\xFF\xC0");
    ASSERT_NE(sof, std::string::npos);
    for (std::size_t i = sof + 5; i < sof + 9; ++i) jpeg[i] = '\xFF';
    EXPECT_EQ(
        error_text([&] { decode_image(jpeg, "photo.jpg", white); }),
        "photo.jpg: error: the image is 65535 x 65535 pixels, over the limit of 40 megapixels; scale it "
        "down (a logo needs well under one megapixel)");
}

TEST(image, error_file_too_large) {
    const std::string dir = factsheet::test::make_temp_dir();
    const std::string path = dir + "/poster.png";
    factsheet::test::write_file(path, "\x89PNG");
    std::filesystem::resize_file(path, 40'200'000);  // sparse: nothing is written, nothing read
    EXPECT_EQ(error_text([&] { load_image(path, white); }),
              path +
                  ": error: the image file is 40.2 MB, over the limit of 32 MB; save it smaller (fewer "
                  "pixels, or as JPEG)");
    std::filesystem::remove_all(dir);
    EXPECT_EQ(error_text([] { decode_image(std::string(32'000'001, '\xFF'), "poster.jpg", white); }),
              "poster.jpg: error: the image file is 32.1 MB, over the limit of 32 MB; save it smaller (fewer "
              "pixels, or as JPEG)");
}

TEST(image, damaged_bytes_throw_error_or_decode) {
    // Never anything worse than Error: every prefix of a few images, and bytes changed at random
    // (a fixed sequence) over the whole file.
    PngSpec rgba = png_spec(9, 7, PNG_COLOR_TYPE_RGB_ALPHA);
    rgba.samples = noise(9 * 7 * 4, 255);
    rgba.interlaced = true;
    PngSpec palette = png_spec(9, 7, PNG_COLOR_TYPE_PALETTE, 4);
    palette.samples = noise(9 * 7, 3);
    palette.palette = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}};
    palette.palette_alpha = {0, 100};
    JpegSpec progressive = rgb_jpeg(24, 16);
    progressive.samples = fill(progressive, "\x10\x80\xF0");
    progressive.progressive = true;
    JpegSpec cmyk = cmyk_jpeg(JCS_YCCK);
    cmyk.samples = fill(cmyk, "\x10\x20\x30\x40");
    const std::vector<std::string> files = {write_png(rgba), write_png(palette), write_jpeg(progressive),
                                            write_jpeg(cmyk)};
    auto survives = [](std::string_view bytes) {
        try {
            decode_image(bytes, "damaged", white);
        } catch (const factsheet::Error&) {}
    };
    std::uint32_t state = 99;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return state >> 8;
    };
    for (const std::string& file : files) {
        for (std::size_t keep = 0; keep < file.size(); ++keep)
            survives(std::string_view(file).substr(0, keep));
        for (int round = 0; round < 300; ++round) {
            std::string damaged = file;
            for (int k = 0; k < 1 + round % 4; ++k)
                damaged[next() % damaged.size()] = static_cast<char>(next());
            survives(damaged);
            if (file.starts_with("\x89PNG")) survives(with_fixed_crcs(damaged));
        }
    }
}
