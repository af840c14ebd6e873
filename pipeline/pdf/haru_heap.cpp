#include "pdf/haru_heap.hpp"

#include <cstdint>
#include <cstdlib>

#include "common/sanitizers.hpp"

namespace factsheet::pdf_detail {
namespace {

// Before every block: the heap it came from (null: from malloc) and its size class. 16 bytes, so
// that the block keeps malloc's alignment.
struct alignas(16) Header {
    HaruHeap* heap;
    std::size_t size_class;
};
static_assert(sizeof(Header) == 16);

thread_local HaruHeap* current = nullptr;

}  // namespace

HaruHeap::~HaruHeap() {
    while (chunks_) {
        void* before = *static_cast<void**>(chunks_);
        std::free(chunks_);
        chunks_ = before;
    }
}

HaruHeap::Scope::Scope(HaruHeap& heap) : previous_(current) {
    current = &heap;
}

HaruHeap::Scope::~Scope() {
    current = previous_;
}

void* HaruHeap::allocate(HPDF_UINT size) {
    if (!address_sanitizer && current && size <= kLargest) return current->take(size);
    auto* header = static_cast<Header*>(std::malloc(sizeof(Header) + size));
    if (!header) return nullptr;
    *header = Header{nullptr, 0};
    return header + 1;
}

void HaruHeap::release(void* block) {
    if (!block) return;
    Header* header = static_cast<Header*>(block) - 1;
    HaruHeap* heap = header->heap;
    if (!heap) {
        std::free(header);
        return;
    }
    *static_cast<void**>(block) = heap->free_[header->size_class];
    heap->free_[header->size_class] = block;
}

void* HaruHeap::take(std::size_t size) {
    const std::size_t size_class = size == 0 ? 1 : (size + kStep - 1) / kStep;
    if (void* block = free_[size_class]) {
        free_[size_class] = *static_cast<void**>(block);
        return block;
    }
    const std::size_t need = sizeof(Header) + size_class * kStep;
    if (left_ < need) {
        // Nothing here may throw: this runs inside libharu's C frames.
        void* chunk = std::malloc(kChunkBytes);
        if (!chunk) return nullptr;
        *static_cast<void**>(chunk) = chunks_;
        chunks_ = chunk;
        ++chunk_count_;
        next_ = static_cast<char*>(chunk) + sizeof(Header);  // the link, padded to keep alignment
        left_ = kChunkBytes - sizeof(Header);
    }
    auto* header = reinterpret_cast<Header*>(next_);
    *header = Header{this, size_class};
    next_ += need;
    left_ -= need;
    return header + 1;
}

}  // namespace factsheet::pdf_detail
