// Private to the pdf stage: the compression of every stream the document writes.
#pragma once

#include <string>
#include <string_view>

struct libdeflate_compressor;

namespace factsheet::pdf_detail {

/// Compresses whole buffers into the zlib format (RFC 1950) that PDF's FlateDecode filter reads.
/// libdeflate rather than zlib (which libharu uses): the same format, and on the 56 KB of streams
/// of the French Mali factsheet, both at level 6, 2.8-3.2 times faster and 1% smaller (medians of
/// 15 rounds); compression was the largest single cost of a factsheet. Keeps its working memory
/// between calls; one per thread.
class Deflater {
public:
    /// libdeflate's levels: 1 (fastest) to 12 (smallest); 6 is zlib's default.
    explicit Deflater(int level);
    ~Deflater();
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;

    /// The compressed bytes of `data`; the same input always gives the same output.
    std::string compress(std::string_view data);

    /// The level it compresses at.
    int level() const { return level_; }

private:
    libdeflate_compressor* compressor_ = nullptr;
    int level_ = 0;
};

}  // namespace factsheet::pdf_detail
