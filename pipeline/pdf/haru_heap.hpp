// Private to the pdf stage: the memory libharu allocates for one handle.
#pragma once

#include <hpdf.h>

#include <array>
#include <cstddef>

namespace factsheet::pdf_detail {

/// Where libharu's allocations for one handle come from (HPDF_NewEx's allocation functions).
/// libharu allocates every object of a document on its own, some 3,300 a factsheet, and frees them
/// all when the next document starts: glibc's malloc and free took 6 % of a batch's instructions
/// for them (1.2M of some 20M a PDF, callgrind). Blocks of up to 1 KiB come from free lists by size
/// (16-byte steps) in chunks this heap keeps until it is destroyed; a block freed is reused for the
/// next of its size. Larger blocks, blocks allocated while no Scope of a heap is open on the
/// thread, and every block in a sanitized build (so that AddressSanitizer keeps watching libharu's
/// memory) come from malloc.
///
/// A heap serves one handle, used by one thread at a time; every block records where it came
/// from, so it may be freed outside any Scope. The heap must outlive every block of its own: the
/// handle is freed (HPDF_Free) before the heap is destroyed.
class HaruHeap {
public:
    HaruHeap() = default;
    ~HaruHeap();
    HaruHeap(const HaruHeap&) = delete;
    HaruHeap& operator=(const HaruHeap&) = delete;

    /// While it lives, libharu's allocations on this thread come from `heap`.
    class Scope {
    public:
        explicit Scope(HaruHeap& heap);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        HaruHeap* previous_;
    };

    /// HPDF_NewEx's allocation and free functions. allocate() returns null when out of memory,
    /// as libharu expects; neither throws.
    static void* allocate(HPDF_UINT size);
    static void release(void* block);

    /// Bytes of the chunks this heap holds.
    std::size_t reserved_bytes() const { return chunk_count_ * kChunkBytes; }

    /// The largest block served from the free lists.
    static constexpr std::size_t kLargest = 1024;

private:
    static constexpr std::size_t kStep = 16;
    static constexpr std::size_t kChunkBytes = std::size_t{16} << 10;

    void* take(std::size_t size);

    std::array<void*, kLargest / kStep + 1> free_{};  // by size class, linked through their first word
    void* chunks_ = nullptr;                          // the newest chunk; each begins with the one before it
    std::size_t chunk_count_ = 0;
    char* next_ = nullptr;  // the unused rest of the newest chunk
    std::size_t left_ = 0;
};

}  // namespace factsheet::pdf_detail
