// Numbers and arrays of numbers as bytes, for the entries of the cache folder (drawn maps, compiled
// hyphenation dictionaries, prepared fonts). In the machine's own byte order and sizes: an entry is
// written and read back by this program on this machine, and its key names the program.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace factsheet {

/// Appends a number (or another trivially copyable value) as its bytes.
template <typename T>
void put(std::string& out, T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    out.append(bytes, sizeof value);
}

/// Appends an array: its length, then its elements' bytes.
template <typename T>
void put_array(std::string& out, const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    put(out, static_cast<std::uint64_t>(values.size()));
    if (!values.empty()) out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

/// Reads back what put() and put_array() wrote; every read checks that the bytes are there, so
/// a damaged or truncated entry fails to read rather than reading past its end.
class PackedReader {
public:
    explicit PackedReader(std::string_view bytes) : rest_(bytes) {}

    template <typename T>
    bool get(T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        if (rest_.size() < sizeof value) return false;
        std::memcpy(&value, rest_.data(), sizeof value);
        rest_.remove_prefix(sizeof value);
        return true;
    }

    /// An array put_array() wrote; false when its length runs past the bytes left.
    template <typename T>
    bool get_array(std::vector<T>& values) {
        static_assert(std::is_trivially_copyable_v<T>);
        std::uint64_t count = 0;
        if (!get(count) || count > rest_.size() / sizeof(T)) return false;
        values.resize(static_cast<std::size_t>(count));
        if (count > 0) std::memcpy(values.data(), rest_.data(), values.size() * sizeof(T));
        rest_.remove_prefix(values.size() * sizeof(T));
        return true;
    }

    /// The next `size` bytes; false when fewer are left.
    bool take(std::size_t size, std::string_view& bytes) {
        if (size > rest_.size()) return false;
        bytes = rest_.substr(0, size);
        rest_.remove_prefix(size);
        return true;
    }

    std::size_t left() const { return rest_.size(); }
    bool done() const { return rest_.empty(); }

private:
    std::string_view rest_;
};

}  // namespace factsheet
