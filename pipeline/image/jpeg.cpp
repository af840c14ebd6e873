// The libjpeg adapter (Debian's libjpeg62-turbo). A JPEG that a PDF reader draws as it is (1 or 3
// components, Huffman coded) is passed through after its header is read and its markers walked to
// the end; any other that libjpeg decodes (CMYK, YCCK, arithmetic coding, RGB without an Adobe
// marker) becomes raw samples. libjpeg reports errors through error_exit, which by default calls
// exit(): ours records the message and longjmps to the "C frame" that made the call, a function
// whose locals are all trivially destructible; only its caller throws, so no longjmp crosses a C++
// destructor.
#include <cstddef>
#include <cstdio>  // before jpeglib.h, which uses FILE and size_t without including their headers

#include <jerror.h>
#include <jpeglib.h>

#include <csetjmp>
#include <cstdint>
#include <string>

#include "image/decode.hpp"

namespace factsheet::image_detail {

namespace {

/// More scans than any encoder writes (libjpeg's progressive default has 10): a file with thousands
/// is made to keep a decoder busy. libjpeg-turbo's TurboJPEG API refuses over 500 for that reason.
constexpr std::size_t max_scans = 500;

/// What walking a JPEG's markers found.
struct JpegWalk {
    enum class End { complete, truncated, damaged } end = End::complete;
    std::size_t scans = 0;  // SOS markers
    std::size_t at = 0;     // where a damaged marker is
    bool sized = false;     // a frame header (SOFn) was found, with the image's size
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

/// SOF0 to SOF15 (ITU-T T.81 B.1.1.3), not DHT (C4), JPG (C8) or DAC (CC), which share the range.
bool is_frame_header(unsigned marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/// Walks the markers from SOI to EOI (ITU-T T.81 B.1): segments are skipped by their length, the
/// entropy-coded data after each SOS up to the next marker (its 0xFF bytes are followed by 0x00, a
/// restart marker or fill). A file cut short ends before EOI: libjpeg would only warn about that
/// and fill the rest with grey, and a passed-through JPEG is not decoded here at all. Bytes after
/// EOI are allowed (some cameras append data).
JpegWalk walk_markers(std::string_view bytes) {
    auto byte = [&bytes](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    JpegWalk walk;
    std::size_t at = 2;  // after SOI
    for (;;) {
        while (at < bytes.size() && byte(at) != 0xFF) ++at;  // entropy-coded data, or stray bytes
        while (at < bytes.size() && byte(at) == 0xFF) ++at;  // the marker's 0xFF and any fill
        if (at >= bytes.size()) {
            walk.end = JpegWalk::End::truncated;
            return walk;
        }
        const unsigned marker = byte(at++);
        if (marker == 0xD9) return walk;                                   // EOI
        if (marker == 0x00 || marker == 0x01 || marker == 0xD8) continue;  // stuffed 0xFF, TEM, SOI
        if (marker >= 0xD0 && marker <= 0xD7) continue;                    // RSTn
        if (at + 2 > bytes.size()) {
            walk.end = JpegWalk::End::truncated;
            return walk;
        }
        const std::size_t length = (std::size_t{byte(at)} << 8) | byte(at + 1);
        if (length < 2) {
            walk.end = JpegWalk::End::damaged;
            walk.at = at - 2;
            return walk;
        }
        if (marker == 0xDA) ++walk.scans;  // SOS
        // Frame header: length, precision, height, width (B.2.2).
        if (is_frame_header(marker) && !walk.sized && length >= 7 && at + 7 <= bytes.size()) {
            walk.sized = true;
            walk.height = (std::uint32_t{byte(at + 3)} << 8) | byte(at + 4);
            walk.width = (std::uint32_t{byte(at + 5)} << 8) | byte(at + 6);
        }
        at += length;
        if (at > bytes.size()) {
            walk.end = JpegWalk::End::truncated;
            return walk;
        }
    }
}

/// What the C frames and error_exit share: trivially destructible, lives in decode_jpeg.
struct JpegRead {
    jpeg_decompress_struct info{};
    jpeg_error_mgr errors{};
    std::jmp_buf jump{};
    bool created = false;  // jpeg_create_decompress has run: jpeg_destroy_decompress must
    int code = 0;          // libjpeg's message code (jerror.h)
    char message[JMSG_LENGTH_MAX] = {};
};

[[noreturn]] void on_error(j_common_ptr info) {
    auto* read = static_cast<JpegRead*>(info->client_data);
    read->code = info->err->msg_code;
    (*info->err->format_message)(info, read->message);
    std::longjmp(read->jump, 1);
}

// Warnings (corrupt data libjpeg skips, a premature end) are not printed: walk_markers has already
// refused a file cut short, and the rest do not stop the image from being drawn.
void on_message(j_common_ptr) {}

// C frame: reads the markers up to the first scan: size, components, colour space, coding.
bool read_header(JpegRead* read, const unsigned char* data, unsigned long size) {
    if (setjmp(read->jump)) return false;
    jpeg_create_decompress(&read->info);  // keeps err and client_data, zeroes the rest
    read->created = true;
    jpeg_mem_src(&read->info, data, size);
    jpeg_read_header(&read->info, TRUE);
    return true;
}

// C frame: decodes every row into `out` as `space`, `components` samples a pixel.
bool read_rows(JpegRead* read, J_COLOR_SPACE space, int components, unsigned char* out) {
    if (setjmp(read->jump)) return false;
    read->info.out_color_space = space;
    jpeg_start_decompress(&read->info);
    if (read->info.output_components != components) {
        std::snprintf(read->message, sizeof read->message, "%d components decoded, %d expected",
                      read->info.output_components, components);
        return false;
    }
    const std::size_t row_bytes = std::size_t{read->info.output_width} * static_cast<std::size_t>(components);
    while (read->info.output_scanline < read->info.output_height) {
        JSAMPROW row = out + std::size_t{read->info.output_scanline} * row_bytes;
        jpeg_read_scanlines(&read->info, &row, 1);
    }
    return true;
}

/// Frees libjpeg's memory on every way out of decode_jpeg.
struct JpegFree {
    JpegRead& read;
    ~JpegFree() {
        if (read.created) jpeg_destroy_decompress(&read.info);
    }
};

[[noreturn]] void fail_jpeg(const JpegRead& read, const std::string& name) {
    const std::string said = "(libjpeg: " + library_message(read.message) + ")";
    switch (read.code) {
        case JERR_BAD_PRECISION:    // 12-bit samples
        case JERR_SOF_UNSUPPORTED:  // lossless, hierarchical
        case JERR_NOT_COMPILED:
            fail(name, "the JPEG image is of a kind this program cannot read " + said +
                           "; save it as an ordinary 8-bit JPEG or as PNG");
        default: fail(name, "the JPEG image is damaged " + said + "; export it again from the original");
    }
}

/// Adobe's CMYK as RGB, naively: r = (1 - c)(1 - k), with no colour profile (printers' CMYK is
/// not sRGB; a logo's colours may shift a little). Photoshop writes the samples inverted (255 is
/// no ink) and marks the file with an Adobe APP14 segment; without one they are taken as they are.
void cmyk_to_rgb(std::string& samples, std::size_t count, bool inverted) {
    auto ink = [&samples, inverted](std::size_t i) {
        const auto v = static_cast<unsigned char>(samples[i]);
        return inverted ? 255u - v : unsigned{v};
    };
    for (std::size_t i = 0; i < count; ++i) {
        const unsigned white = 255 - ink(4 * i + 3);
        for (std::size_t c = 0; c < 3; ++c)  // written before or at the bytes read: in place, in order
            samples[3 * i + c] = static_cast<char>(((255 - ink(4 * i + c)) * white + 127) / 255);
    }
    samples.resize(3 * count);
}

}  // namespace

RasterImage decode_jpeg(std::string_view bytes, const std::string& name) {
    const JpegWalk walk = walk_markers(bytes);
    if (walk.end == JpegWalk::End::truncated)
        fail(name, "the JPEG file ends before its image data does; is it complete?");
    if (walk.end == JpegWalk::End::damaged)
        fail(name, "the JPEG image is damaged (a marker at byte " + std::to_string(walk.at) +
                       " has a length under 2); export it again from the original");
    if (walk.scans > max_scans)
        fail(name, "the JPEG image has " + std::to_string(walk.scans) + " scans, over the limit of " +
                       std::to_string(max_scans) + "; save it again as an ordinary JPEG");

    // The size is checked before libjpeg reads it: libjpeg calls an image over 65,500 pixels a side
    // an error of its own, and the message should say what the limit is for.
    if (walk.sized) check_dimensions(walk.width, walk.height, name);

    JpegRead read;
    read.info.err = jpeg_std_error(&read.errors);
    read.errors.error_exit = on_error;
    read.errors.output_message = on_message;
    read.info.client_data = &read;
    JpegFree free_jpeg{read};
    if (!read_header(&read, reinterpret_cast<const unsigned char*>(bytes.data()),
                     static_cast<unsigned long>(bytes.size())))
        fail_jpeg(read, name);
    check_dimensions(read.info.image_width, read.info.image_height, name);

    const int components = read.info.num_components;
    const J_COLOR_SPACE space = read.info.jpeg_color_space;
    if (components != 1 && components != 3 && components != 4)
        fail(name, "the JPEG image has " + std::to_string(components) +
                       " colour components; save it as an RGB or greyscale JPEG");
    // PDF readers take 3 components for YCbCr unless an Adobe marker says otherwise (ISO 32000-1
    // 7.4.8, ColorTransform): RGB samples without one would be drawn in false colours.
    const bool rgb_unmarked = space == JCS_RGB && !read.info.saw_Adobe_marker;
    // A DCT-encoded image XObject is baseline or progressive Huffman coding (PDF 1.4, 3.3.7).
    if (components != 4 && !read.info.arith_code && !rgb_unmarked) {
        RasterImage out;
        out.width = static_cast<int>(read.info.image_width);
        out.height = static_cast<int>(read.info.image_height);
        out.components = components;
        out.encoding = RasterImage::Encoding::dct;
        out.data = std::string(bytes);
        return out;
    }

    const std::size_t count = std::size_t{read.info.image_width} * read.info.image_height;
    const J_COLOR_SPACE out_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
    std::string samples(count * static_cast<std::size_t>(components), '\0');
    if (!read_rows(&read, out_space, components, reinterpret_cast<unsigned char*>(samples.data())))
        fail_jpeg(read, name);
    if (components == 4) cmyk_to_rgb(samples, count, read.info.saw_Adobe_marker);
    RasterImage out;
    out.width = static_cast<int>(read.info.image_width);
    out.height = static_cast<int>(read.info.image_height);
    out.components = components == 1 ? 1 : 3;
    out.data = std::move(samples);
    return out;
}

}  // namespace factsheet::image_detail
