// A cache of at most a given number of values, and of bytes, by key, which makes room by dropping
// the value used longest ago: a batch keeps what its documents use again, and its memory stays
// flat whatever they use.
#pragma once

#include <cstddef>
#include <limits>
#include <list>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>

namespace factsheet {

/// Not thread-safe: its owner locks around it.
template <typename Key, typename Value, typename Less = std::less<Key>>
class LruCache {
public:
    /// At most `capacity` values, whose costs (as put() is told them, in bytes) add up to at
    /// most `budget`.
    explicit LruCache(std::size_t capacity, std::size_t budget = std::numeric_limits<std::size_t>::max())
        : capacity_(capacity < 1 ? 1 : capacity), budget_(budget) {}

    /// The value kept for `key`, now the most recently used; nullptr when there is none.
    const Value* find(const Key& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return &std::get<1>(*it->second);
    }

    /// Keeps `value`, which costs `cost` bytes, for `key` (in place of the value kept for it),
    /// dropping the values used longest ago until the cache is within its limits. A value that
    /// costs more than the whole budget is not kept.
    void put(const Key& key, Value value, std::size_t cost = 0) {
        if (auto it = index_.find(key); it != index_.end()) {
            used_ -= std::get<2>(*it->second);
            order_.erase(it->second);
            index_.erase(it);
        }
        if (cost > budget_) return;
        while (!order_.empty() && (index_.size() >= capacity_ || used_ + cost > budget_)) {
            used_ -= std::get<2>(order_.back());
            index_.erase(std::get<0>(order_.back()));
            order_.pop_back();
        }
        order_.emplace_front(key, std::move(value), cost);
        index_.emplace(key, order_.begin());
        used_ += cost;
    }

    std::size_t size() const { return index_.size(); }
    /// The costs of the values kept, added up.
    std::size_t bytes() const { return used_; }
    void clear() {
        index_.clear();
        order_.clear();
        used_ = 0;
    }

private:
    using Entries = std::list<std::tuple<Key, Value, std::size_t>>;  // the most recently used first
    std::size_t capacity_;
    std::size_t budget_;
    std::size_t used_ = 0;
    Entries order_;
    std::map<Key, typename Entries::iterator, Less> index_;
};

/// The value `cache` keeps for `key`, or else the value `make()` makes, kept at the cost
/// `cost(value)`: the cache of a value shared by threads, guarded by `mutex`. The value is made
/// outside the lock (drawing a map, setting a paragraph take a while); when another thread kept
/// one meanwhile, the later replaces it. What `make` throws is thrown, and nothing is kept.
template <typename Key, typename Value, typename Less, typename Make, typename Cost>
Value find_or_make(std::mutex& mutex, LruCache<Key, Value, Less>& cache, const Key& key, Make&& make,
                   Cost&& cost) {
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (const Value* found = cache.find(key)) return *found;
    }
    Value made = make();
    const std::size_t bytes = cost(made);
    std::lock_guard<std::mutex> lock(mutex);
    cache.put(key, made, bytes);
    return made;
}

/// The same, for a cache bounded by its number of values only.
template <typename Key, typename Value, typename Less, typename Make>
Value find_or_make(std::mutex& mutex, LruCache<Key, Value, Less>& cache, const Key& key, Make&& make) {
    return find_or_make(mutex, cache, key, std::forward<Make>(make),
                        [](const Value&) { return std::size_t{0}; });
}

}  // namespace factsheet
