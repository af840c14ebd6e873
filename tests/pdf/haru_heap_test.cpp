#include "pdf/haru_heap.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <vector>

#include "common/sanitizers.hpp"

using factsheet::address_sanitizer;
using factsheet::pdf_detail::HaruHeap;

namespace {

bool aligned(const void* p) {
    return reinterpret_cast<std::uintptr_t>(p) % 16 == 0;
}

}  // namespace

TEST(haru_heap, a_block_freed_is_the_next_of_its_size_and_blocks_do_not_overlap) {
    HaruHeap heap;
    HaruHeap::Scope scope(heap);
    std::vector<void*> blocks;
    for (HPDF_UINT size : {1u, 16u, 17u, 40u, 100u, 1000u, 1024u, 0u}) {
        void* block = HaruHeap::allocate(size);
        ASSERT_NE(block, nullptr);
        EXPECT_TRUE(aligned(block)) << size;
        std::memset(block, 0xA5, size);
        blocks.push_back(block);
    }
    EXPECT_EQ(std::set<void*>(blocks.begin(), blocks.end()).size(), blocks.size());
    if (address_sanitizer) {
        EXPECT_EQ(heap.reserved_bytes(), 0u) << "a sanitized build leaves every block to malloc";
    } else {
        EXPECT_GT(heap.reserved_bytes(), 0u);
        HaruHeap::release(blocks[3]);                  // 40 bytes: the 48-byte class
        EXPECT_EQ(HaruHeap::allocate(33), blocks[3]);  // the same class
        EXPECT_NE(HaruHeap::allocate(40), blocks[3]);  // taken already
    }
    for (void* block : blocks) HaruHeap::release(block);
}

TEST(haru_heap, large_blocks_and_blocks_outside_a_scope_come_from_malloc) {
    HaruHeap heap;
    void* outside = HaruHeap::allocate(64);  // no scope open
    ASSERT_NE(outside, nullptr);
    EXPECT_TRUE(aligned(outside));
    {
        HaruHeap::Scope scope(heap);
        void* large = HaruHeap::allocate(HaruHeap::kLargest + 1);
        ASSERT_NE(large, nullptr);
        std::memset(large, 0, HaruHeap::kLargest + 1);
        EXPECT_EQ(heap.reserved_bytes(), 0u);
        HaruHeap::release(large);
        HaruHeap::release(outside);  // a malloc block freed inside a scope goes back to malloc
    }
    EXPECT_EQ(heap.reserved_bytes(), 0u);
    HaruHeap::release(nullptr);
}

TEST(haru_heap, a_block_goes_back_to_its_own_heap_wherever_it_is_freed) {
    if (address_sanitizer) GTEST_SKIP() << "every block is malloc's in a sanitized build";
    HaruHeap first, second;
    void* block = nullptr;
    {
        HaruHeap::Scope scope(first);
        block = HaruHeap::allocate(24);
    }
    {
        HaruHeap::Scope scope(second);
        HaruHeap::release(block);                  // freed while another heap is current
        EXPECT_NE(HaruHeap::allocate(24), block);  // the other heap does not hand it out
    }
    HaruHeap::Scope scope(first);
    EXPECT_EQ(HaruHeap::allocate(24), block);  // its own does
    HaruHeap::release(block);
}

TEST(haru_heap, scopes_nest) {
    if (address_sanitizer) GTEST_SKIP() << "every block is malloc's in a sanitized build";
    HaruHeap outer, inner;
    HaruHeap::Scope a(outer);
    {
        HaruHeap::Scope b(inner);
        HaruHeap::release(HaruHeap::allocate(8));
    }
    HaruHeap::release(HaruHeap::allocate(8));
    EXPECT_GT(inner.reserved_bytes(), 0u);
    EXPECT_GT(outer.reserved_bytes(), 0u);
}
