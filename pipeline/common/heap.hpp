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

/// glibc keeps a few freed blocks of each size (7, up to 1 KiB) at hand for each thread, its
/// tcache; past those, a freed block goes back to the heap's bins, where the next allocation of
/// its size looks for it again, splitting and merging on the way. A document allocates and frees
/// thousands of small blocks of a few sizes, and a batch builds thousands of documents: with
/// 1,000 kept of each size, the 1,000-source batch took 6 % less CPU (peak memory 21.8 -> 24.2 MB;
/// 10,000 sources 26.8 -> 27.6 MB). That count is read from the environment (GLIBC_TUNABLES) when
/// the program starts, never later: this starts the program again (`/proc/self/exe`, the same
/// arguments) with `glibc.malloc.tcache_count=1000` added to it. Returns, doing nothing, when the
/// environment already sets the count (the program restarted so, or the user chose one), when the
/// heap is not glibc's, or when the program cannot be started again. To be called first thing in
/// main, for commands that build many documents.
void restart_with_more_blocks_at_hand(char** argv);

}  // namespace factsheet
