#include "common/heap.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/sanitizers.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace factsheet {
namespace {

constexpr std::size_t huge_page = std::size_t{2} << 20;

/// A small file of /sys, whole (at most 127 bytes), or "" when it cannot be read.
std::string_view read_small_file(const char* path, char (&buffer)[128]) {
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    return n > 0 ? std::string_view(buffer, static_cast<std::size_t>(n)) : std::string_view();
}

/// Whether the kernel gives huge pages of 2 MiB to a range marked MADV_HUGEPAGE.
bool kernel_offers_huge_pages() {
    char buffer[128];
    const std::string_view enabled = read_small_file("/sys/kernel/mm/transparent_hugepage/enabled", buffer);
    if (enabled.find("[always]") == std::string_view::npos &&
        enabled.find("[madvise]") == std::string_view::npos)
        return false;
    const std::string_view size =
        read_small_file("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", buffer);
    return size == "2097152\n" || size == "2097152";
}

}  // namespace

std::uintptr_t huge_page_range_start(std::uintptr_t top_start, std::uintptr_t top_end) {
    const std::uintptr_t boundary = (top_start + 4096 + huge_page - 1) & ~(huge_page - 1);
    // A gap block up to `boundary` is cut from the free end when the free end reaches it, and the
    // heap does not grow; what is left above it would then hold no whole huge page. One huge page
    // further, the gap no longer fits, and the heap grows by its 8 MiB.
    return top_end >= boundary && top_end < boundary + huge_page ? boundary + huge_page : boundary;
}

bool use_huge_pages_for_heap() {
#if defined(__GLIBC__) && defined(M_TOP_PAD) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    if (!kernel_offers_huge_pages()) return false;
    constexpr std::size_t growth = std::size_t{8} << 20;
    // Each mallopt fixes its value (glibc then stops adjusting the mapping threshold by itself).
    if (mallopt(M_MMAP_THRESHOLD, 4 << 20) == 0 || mallopt(M_TOP_PAD, static_cast<int>(growth)) == 0 ||
        mallopt(M_TRIM_THRESHOLD, 16 << 20) == 0)
        return false;
    void* volatile first = std::malloc(1);  // the allocator set up, if nothing was allocated yet
    std::free(first);
    void* const brk_before = ::sbrk(0);
    if (brk_before == reinterpret_cast<void*>(-1)) return false;
    // The top chunk, the free end of the heap where the next block is cut, is `keepcost` bytes
    // long and ends at the break.
    const auto top_end = reinterpret_cast<std::uintptr_t>(brk_before);
    const std::size_t top_size = mallinfo2().keepcost;
    if (top_size == 0 || top_size > top_end) return false;
    const std::uintptr_t top_start = top_end - top_size;
    const std::uintptr_t boundary = huge_page_range_start(top_start, top_end);
    // A block from the top chunk's start to just below the boundary, kept for ever and never
    // touched past its header (a block of n bytes takes n plus one size word, rounded to 16). The
    // heap grows by `growth` while making it, unless its free end already holds a huge page past
    // the boundary; the rest of the top chunk then begins 32 bytes below the boundary, so that its
    // header, which the allocator writes now, lies on a page below it: a 2 MiB range with a page
    // already touched would be given 4 KiB pages only.
    void* const gap = std::malloc(boundary - top_start - 32 - sizeof(std::size_t));
    if (gap == nullptr) return false;
    const auto brk_after = reinterpret_cast<std::uintptr_t>(::sbrk(0));
    if (brk_after <= boundary + huge_page) {  // another allocator's heap, or no room to grow
        std::free(gap);
        return false;
    }
    return ::madvise(reinterpret_cast<void*>(boundary), brk_after - boundary, MADV_HUGEPAGE) == 0;
#else
    return false;
#endif
}

void restart_with_more_blocks_at_hand(char** argv) {
#if defined(__GLIBC__)
    if (address_sanitizer) return;
    constexpr std::string_view setting = "glibc.malloc.tcache_count=";
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    const std::string_view given = tunables ? tunables : "";
    if (given.find(setting) != std::string_view::npos) return;
    std::string wanted(given);
    if (!wanted.empty()) wanted += ':';
    wanted += setting;
    wanted += "1000";
    if (::setenv("GLIBC_TUNABLES", wanted.c_str(), 1) != 0) return;
    ::execv("/proc/self/exe", argv);
    // Not started again (no /proc): on as it is, the environment as it was.
    if (tunables)
        ::setenv("GLIBC_TUNABLES", std::string(given).c_str(), 1);
    else
        ::unsetenv("GLIBC_TUNABLES");
#else
    (void)argv;
#endif
}

}  // namespace factsheet
