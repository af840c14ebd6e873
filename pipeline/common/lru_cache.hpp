// A cache of at most a given number of values, and of bytes, by key, which makes room by dropping
// the value used longest ago: a batch keeps what its documents use again, and its memory stays
// flat whatever they use.
#pragma once

#include <cstddef>
#include <limits>
#include <list>
#include <map>
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

}  // namespace factsheet
