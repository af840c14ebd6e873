#include "map/cache.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/hash.hpp"
#include "common/packed.hpp"

namespace factsheet::map_detail {

namespace {

// The largest entry read back: a map of the most detailed countries is a few hundred kilobytes.
constexpr std::size_t max_entry_bytes = std::size_t{16} << 20;
constexpr std::string_view format = "factsheet drawn map 1";

// A double's bits in hex: the key tells 100 from 100.000001.
std::string bits(double v) {
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(u));
    return text;
}

void put_shape(std::string& out, const MapShape& shape) {
    put(out, static_cast<std::uint32_t>(shape.code.size()));
    out += shape.code;
    put(out, static_cast<std::uint32_t>(shape.rings.size()));
    for (const auto& ring : shape.rings) {
        put(out, static_cast<std::uint32_t>(ring.size()));
        for (const MapPoint& p : ring) {
            put(out, p.x);
            put(out, p.y);
        }
    }
}

// Reads a shape put_shape() wrote; false when the bytes do not hold one.
bool get_shape(PackedReader& in, MapShape& shape) {
    std::uint32_t size = 0, rings = 0;
    std::string_view code;
    if (!in.get(size) || !in.take(size, code)) return false;
    shape.code.assign(code);
    // Each ring takes at least its count: a damaged count cannot make this allocate much.
    if (!in.get(rings) || rings > in.left() / sizeof(std::uint32_t)) return false;
    shape.rings.resize(rings);
    for (auto& ring : shape.rings) {
        std::uint32_t points = 0;
        if (!in.get(points) || points > in.left() / (2 * sizeof(double))) return false;
        ring.resize(points);
        for (MapPoint& p : ring)
            if (!in.get(p.x) || !in.get(p.y)) return false;
    }
    return true;
}

}  // namespace

MapCache::MapCache(std::string folder, const std::string& pack_path) : folder_(std::move(folder)) {
    if (folder_.empty()) return;
    std::string program = file_identity("/proc/self/exe"), pack = file_identity(pack_path);
    if (program.empty() || pack.empty()) {
        folder_.clear();  // nothing to tell one state from another: no cache
        return;
    }
    identity_ = std::string(format) + " program " + program + " pack " + pack;
}

std::string MapCache::key(std::string_view code, double width, double height) const {
    return identity_ + " map " + std::string(code) + " " + bits(width) + " " + bits(height) + "\n";
}

// An entry's file is named by its key's FNV-1a hash; entries hold their whole key, so a collision
// only costs a drawing.
std::string MapCache::path_of(const std::string& key) const {
    char name[17];
    std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
    return folder_ + "/maps/" + name;
}

std::optional<DrawnMap> MapCache::find(std::string_view code, double width, double height) const {
    if (folder_.empty()) return std::nullopt;
    const std::string k = key(code, width, height);
    const std::string path = path_of(k);
    std::string bytes;
    try {
        auto none = [&](auto&&...) { return Error(SourcePos{path, 0, 0}, "not a cache entry"); };
        bytes = read_regular_file(path, max_entry_bytes, FileErrors{none, none, none});
    } catch (const Error&) {
        return std::nullopt;  // none yet, or not one to read
    }
    if (bytes.compare(0, k.size(), k) != 0) return std::nullopt;
    PackedReader in(std::string_view(bytes).substr(k.size()));
    DrawnMap map;
    std::uint32_t neighbours = 0;
    if (!in.get(map.frame.left) || !in.get(map.frame.top) || !in.get(map.frame.scale) ||
        !in.get(map.frame.width) || !in.get(map.frame.height) || !get_shape(in, map.country) ||
        !in.get(neighbours) || neighbours > in.left() / (2 * sizeof(std::uint32_t)))
        return std::nullopt;
    map.neighbours.resize(neighbours);
    for (MapShape& shape : map.neighbours)
        if (!get_shape(in, shape)) return std::nullopt;
    if (!in.done()) return std::nullopt;
    touch_cache_entry(path);
    return map;
}

void MapCache::keep(std::string_view code, double width, double height, const DrawnMap& map) const {
    if (folder_.empty()) return;
    const std::string k = key(code, width, height);
    std::string bytes = k;
    for (double v : {map.frame.left, map.frame.top, map.frame.scale, map.frame.width, map.frame.height})
        put(bytes, v);
    put_shape(bytes, map.country);
    put(bytes, static_cast<std::uint32_t>(map.neighbours.size()));
    for (const MapShape& shape : map.neighbours) put_shape(bytes, shape);
    write_cache_entry(path_of(k), bytes);
}

}  // namespace factsheet::map_detail
