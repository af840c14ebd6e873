// The program's heap on the system's huge pages.
#pragma once

#include <cstdint>

namespace factsheet {

/// Sets glibc's allocator up so that what the program allocates from now on comes from a heap the
/// kernel may back with transparent huge pages (2 MiB on x86-64), where it would otherwise fault
/// its pages in one 4 KiB page at a time. A cold build touched about 1.7 MB of heap: some 430
/// first touches, each a page fault, which cost 11-14 µs apiece on a virtual machine (see
/// `stage_bench --fault-cost`); on huge pages they are two faults (the cold French build went
/// from 23.3 to 16.5 ms, its faults from 1,004 to 441).
///
/// How: blocks of up to 4 MiB come from the heap rather than from mappings of their own; the heap
/// grows by 8 MiB of address space at once (untouched, it costs no memory), from a 2 MiB boundary
/// (a block that is never touched fills the gap below it), and that range is marked
/// MADV_HUGEPAGE. The price: memory is taken 2 MiB at a time (one factsheet's peak grew by 1.4 MB,
/// 11.9 to 13.3), and the heap is not trimmed below 16 MiB.
///
/// Does nothing when the kernel offers no huge pages ("never" in
/// /sys/kernel/mm/transparent_hugepage/enabled), when their size is not 2 MiB, or when the heap is
/// not glibc's own (a sanitizer's allocator); returns whether the heap was set up. To be called
/// once, first thing in main, before any thread starts.
bool use_huge_pages_for_heap();

/// Where use_huge_pages_for_heap starts the range it marks, for a heap whose free end (glibc's top
/// chunk) runs from `top_start` to `top_end`: the first 2 MiB boundary at least a page above
/// `top_start`, so that the headers written below it touch no page of the range, and one boundary
/// further when the free end would otherwise hold less than a whole huge page above it. Either the
/// range starts above `top_end` (the block that fills the gap makes the heap grow) or a whole huge
/// page of it is already in the heap.
std::uintptr_t huge_page_range_start(std::uintptr_t top_start, std::uintptr_t top_end);

}  // namespace factsheet
