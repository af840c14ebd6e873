// A cache of at most a given number of values by key, which makes room by dropping the value used
// longest ago: a batch keeps what its documents use again, and its memory stays flat whatever
// they use.
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <utility>

namespace factsheet {

/// Not thread-safe: its owner locks around it.
template <typename Key, typename Value, typename Less = std::less<Key>>
class LruCache {
public:
    explicit LruCache(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

    /// The value kept for `key`, now the most recently used; nullptr when there is none.
    const Value* find(const Key& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return &it->second->second;
    }

    /// Keeps `value` for `key` (replacing the value kept for it), dropping the value used longest
    /// ago when the cache is full; returns the value kept.
    const Value& put(const Key& key, Value value) {
        if (auto it = index_.find(key); it != index_.end()) {
            it->second->second = std::move(value);
            order_.splice(order_.begin(), order_, it->second);
            return it->second->second;
        }
        if (index_.size() >= capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
        order_.emplace_front(key, std::move(value));
        index_.emplace(key, order_.begin());
        return order_.front().second;
    }

    std::size_t size() const { return index_.size(); }
    void clear() {
        index_.clear();
        order_.clear();
    }

private:
    using Entries = std::list<std::pair<Key, Value>>;  // the most recently used first
    std::size_t capacity_;
    Entries order_;
    std::map<Key, typename Entries::iterator, Less> index_;
};

}  // namespace factsheet
