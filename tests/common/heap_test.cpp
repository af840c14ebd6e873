#include "common/heap.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/sanitizers.hpp"

using namespace factsheet;

namespace {

/// What /sys says of transparent huge pages: "always", "madvise", "never", or "" when absent.
std::string huge_page_mode() {
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto open = all.find('['), close = all.find(']');
    return open == std::string::npos || close == std::string::npos ? ""
                                                                   : all.substr(open + 1, close - open - 1);
}

/// The VmFlags of the mapping holding `address`, from /proc/self/smaps; "" when none holds it.
std::string flags_of_mapping_at(const void* address) {
    const auto at = reinterpret_cast<std::uintptr_t>(address);
    std::ifstream in("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        std::uintptr_t from = 0, to = 0;
        char dash = 0;
        std::istringstream head(line);
        if (head >> std::hex >> from >> dash >> to && dash == '-') {
            inside = from <= at && at < to;
        } else if (inside && line.rfind("VmFlags:", 0) == 0) {
            return line.substr(8) + " ";
        }
    }
    return "";
}

/// What main does first: the heap set up, then blocks allocated from it, each checked to lie in
/// the range marked for huge pages, then more than the range holds. Ends the process: 0 when all
/// is so, 1 with what was not.
[[noreturn]] void set_up_and_allocate() {
    if (!use_huge_pages_for_heap()) {
        std::fputs("the heap was not set up\n", stderr);
        std::_Exit(1);
    }
    // Blocks of sizes up to the 4 MiB under which blocks now come from the heap (not from mappings
    // of their own), written to their last byte; larger than the small blocks freed before (a
    // freed block is reused first, wherever it lies).
    for (std::size_t size : {std::size_t{20'000}, std::size_t{300'000}, std::size_t{3'000'000}}) {
        auto* block = static_cast<char*>(std::malloc(size));
        std::memset(block, 0x5a, size);
        if (flags_of_mapping_at(block + size - 1).find(" hg ") == std::string::npos) {
            std::fprintf(stderr, "a block of %zu bytes is not in the range\n", size);
            std::_Exit(1);
        }
    }
    // And past the range: 40 MB more in blocks of 1 MB, each written and read back.
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int i = 0; i < 40; ++i) {
        blocks.emplace_back(new char[1 << 20]);
        std::memset(blocks.back().get(), i, 1 << 20);
    }
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (blocks[i][(1 << 20) - 1] != static_cast<char>(i) || blocks[i][0] != static_cast<char>(i)) {
            std::fputs("a block past the range was overwritten\n", stderr);
            std::_Exit(1);
        }
    }
    std::_Exit(0);
}

}  // namespace

TEST(heap, what_is_allocated_next_comes_from_a_range_marked_for_huge_pages) {
    const std::string mode = huge_page_mode();
    if (address_sanitizer || (mode != "always" && mode != "madvise")) {
        EXPECT_FALSE(use_huge_pages_for_heap())
            << "the sanitizer's heap, or a kernel without huge pages (" << mode << "), is left as it is";
        GTEST_SKIP() << "no heap of glibc's with huge pages here";
    }
    // In a process of its own, started afresh (a death test of the "threadsafe" style runs this
    // program again), as the program's main: here earlier tests have shaped the heap already.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(set_up_and_allocate(), testing::ExitedWithCode(0), "");
}

TEST(heap, the_range_starts_where_a_whole_huge_page_follows_or_the_heap_must_grow) {
    constexpr std::uintptr_t page = 4096, huge = std::uintptr_t{2} << 20;
    // A free end of 132 KiB below a boundary: the range starts at that boundary, above the end.
    EXPECT_EQ(huge_page_range_start(0x5555'54fd'e000, 0x5555'54ff'f000), 0x5555'5500'0000u);
    // One ending at the boundary itself holds the whole gap block: the range starts one further.
    EXPECT_EQ(huge_page_range_start(0x5555'54fd'f000, 0x5555'5500'0000), 0x5555'5520'0000u);
    // A free end of 8 MiB from a main that allocated nothing yet: the first boundary a page in.
    EXPECT_EQ(huge_page_range_start(0x5555'5510'1000, 0x5555'5590'1000), 0x5555'5520'0000u);
    // A free end of 24 KiB crossing a boundary: less than a huge page past it, so one further.
    EXPECT_EQ(huge_page_range_start(0x5555'551f'c000, 0x5555'5520'2000), 0x5555'5540'0000u);
    // A start a few bytes under a boundary: the headers below it need a page of their own.
    EXPECT_EQ(huge_page_range_start(0x5555'5520'0000 - 64, 0x5555'5520'0000 + 16 * huge), 0x5555'5540'0000u);
    // Every shape of free end, from a page under a boundary to two huge pages past it.
    for (std::uintptr_t start = 0x5555'551f'f000; start < 0x5555'5520'2000; start += 16) {
        for (std::uintptr_t end = start + 32; end < start + 3 * huge; end += 3 * page + 48) {
            const std::uintptr_t range = huge_page_range_start(start, end);
            ASSERT_EQ(range % huge, 0u);
            ASSERT_GE(range, start + page) << std::hex << start << ' ' << end;
            ASSERT_TRUE(range > end || end >= range + huge) << std::hex << start << ' ' << end;
        }
    }
}

namespace {

/// The arguments this process was started with, from /proc/self/cmdline.
std::vector<std::string> own_arguments() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::vector<std::string> args;
    for (std::string arg; std::getline(in, arg, '\0');) args.push_back(arg);
    return args;
}

/// Starts with a setting of the user's own in GLIBC_TUNABLES (unless restarted already), then
/// asks for the restart. Ends the process: 0 when it runs again with both settings, 1 if not.
[[noreturn]] void restart_and_check() {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (!tunables || std::string_view(tunables).find("tcache_count") == std::string_view::npos)
        ::setenv("GLIBC_TUNABLES", "glibc.malloc.mxfast=64", 1);
    std::vector<std::string> args = own_arguments();
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    restart_with_more_blocks_at_hand(argv.data());
    tunables = std::getenv("GLIBC_TUNABLES");
    const std::string now = tunables ? tunables : "(none)";
    if (now != "glibc.malloc.mxfast=64:glibc.malloc.tcache_count=1000") {
        std::fprintf(stderr, "GLIBC_TUNABLES is %s\n", now.c_str());
        std::_Exit(1);
    }
    std::_Exit(0);
}

}  // namespace

TEST(heap, a_batch_starts_again_keeping_more_freed_blocks_at_hand) {
    if (address_sanitizer) GTEST_SKIP() << "the sanitizer's heap has no tcache";
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(restart_and_check(), testing::ExitedWithCode(0), "");
}

namespace {

/// Asks for the restart with a count the user set. Ends the process: 3 when the call returned
/// with the environment as the user set it. Were the program started again, the arguments given
/// make it a run of no test, which ends with 0.
[[noreturn]] void keep_the_users_count() {
    ::setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=5", 1);
    char name[] = "factsheet";
    char no_test[] = "--gtest_filter=-*";
    char* argv[] = {name, no_test, nullptr};
    restart_with_more_blocks_at_hand(argv);  // returns: nothing to add
    const char* now = std::getenv("GLIBC_TUNABLES");
    std::_Exit(now && std::string_view(now) == "glibc.malloc.tcache_count=5" ? 3 : 1);
}

}  // namespace

TEST(heap, a_count_the_user_chose_is_kept_and_nothing_starts_again) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(keep_the_users_count(), testing::ExitedWithCode(3), "");
}
