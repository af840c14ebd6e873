#include "common/lru_cache.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>

using factsheet::LruCache;

TEST(lru_cache, a_full_cache_drops_the_value_used_longest_ago) {
    LruCache<std::string, int> cache(2);
    cache.put("a", 1);
    cache.put("b", 2);
    ASSERT_NE(cache.find("a"), nullptr);  // "a" now used after "b"
    cache.put("c", 3);                    // drops "b"
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.find("b"), nullptr);
    ASSERT_NE(cache.find("a"), nullptr);
    EXPECT_EQ(*cache.find("a"), 1);
    ASSERT_NE(cache.find("c"), nullptr);
    EXPECT_EQ(*cache.find("c"), 3);
}

TEST(lru_cache, a_value_put_again_replaces_the_one_kept_and_counts_as_used) {
    LruCache<std::string, int> cache(2);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.put("a", 10);  // "a" replaced and now the most recently used
    cache.put("c", 3);   // drops "b", not "a"
    EXPECT_EQ(cache.size(), 2u);
    ASSERT_NE(cache.find("a"), nullptr);
    EXPECT_EQ(*cache.find("a"), 10);
    EXPECT_EQ(cache.find("b"), nullptr);
    cache.clear();
    EXPECT_EQ(cache.size(), 0u);
    EXPECT_EQ(cache.bytes(), 0u);
    EXPECT_EQ(cache.find("a"), nullptr);
}

TEST(lru_cache, a_cache_of_no_room_still_keeps_the_last_value) {
    LruCache<int, int> cache(0);
    cache.put(1, 1);
    cache.put(2, 2);
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(cache.find(1), nullptr);
    ASSERT_NE(cache.find(2), nullptr);
}

// Values dropped to keep their costs within the budget, the least recently used first; a value
// costlier than the whole budget is not kept at all.
TEST(lru_cache, costs_are_kept_within_the_budget) {
    LruCache<std::string, int> cache(100, 10);
    cache.put("a", 1, 4);
    cache.put("b", 2, 4);
    EXPECT_EQ(cache.bytes(), 8u);
    ASSERT_NE(cache.find("a"), nullptr);  // "b" is now the least recently used
    cache.put("c", 3, 4);                 // 12 > 10: "b" goes
    EXPECT_EQ(cache.find("b"), nullptr);
    EXPECT_EQ(cache.bytes(), 8u);
    cache.put("a", 1, 9);  // "a" grows: "c" goes too
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(cache.bytes(), 9u);
    cache.put("huge", 4, 11);
    EXPECT_EQ(cache.find("huge"), nullptr);
    ASSERT_NE(cache.find("a"), nullptr) << "a value too costly to keep drops nothing";
    EXPECT_EQ(cache.bytes(), 9u);
}

// A value is made once and handed out again; what make throws is thrown, and nothing is kept.
TEST(lru_cache, find_or_make_makes_a_value_once_and_keeps_nothing_it_could_not_make) {
    std::mutex mutex;
    LruCache<std::string, int> cache(4);
    int made = 0;
    auto make = [&made] { return ++made; };
    EXPECT_EQ(factsheet::find_or_make(mutex, cache, std::string("a"), make), 1);
    EXPECT_EQ(factsheet::find_or_make(mutex, cache, std::string("a"), make), 1);
    EXPECT_EQ(made, 1);
    EXPECT_THROW(factsheet::find_or_make(mutex, cache, std::string("b"), []() -> int { throw 7; }), int);
    EXPECT_EQ(cache.find("b"), nullptr);
    EXPECT_EQ(
        factsheet::find_or_make(mutex, cache, std::string("c"), make, [](int) { return std::size_t{3}; }), 2);
    EXPECT_EQ(cache.bytes(), 3u);
}
