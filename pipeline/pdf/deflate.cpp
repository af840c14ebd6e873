#include "pdf/deflate.hpp"

#include <libdeflate.h>

#include <new>

namespace factsheet::pdf_detail {

Deflater::Deflater(int level) : compressor_(libdeflate_alloc_compressor(level)), level_(level) {
    if (!compressor_) throw std::bad_alloc();
}

Deflater::~Deflater() {
    libdeflate_free_compressor(compressor_);
}

std::string Deflater::compress(std::string_view data) {
    std::string out(libdeflate_zlib_compress_bound(compressor_, data.size()), '\0');
    std::size_t size =
        libdeflate_zlib_compress(compressor_, data.data(), data.size(), out.data(), out.size());
    // The bound is always enough; zero would mean it was not.
    if (size == 0) throw std::bad_alloc();
    out.resize(size);
    return out;
}

}  // namespace factsheet::pdf_detail
