// Private to the map stage: drawn maps kept between runs in the user's cache folder. Drawing a
// map projects, clips and thins tens of thousands of points of the country and its neighbours (a
// quarter of a single factsheet's work); the drawing depends only on the map pack, the program, the
// country and the size of its box, so a later run reads it back instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "map/geometry.hpp"
#include "map/map.hpp"

namespace factsheet::map_detail {

/// What a map's drawing yields besides its places: the frame (where places fall) and the shapes.
struct DrawnMap {
    Frame frame;
    MapShape country;
    std::vector<MapShape> neighbours;
};

/// Drawn maps kept as files of `folder`/maps, one per pack, program, country and box. An entry is
/// used only when the whole key it holds matches (the pack's and the program's file identity:
/// device, inode, size and modification time) and it reads back whole; anything else is drawn
/// again and replaced. Writes are atomic; a cache that cannot be read or written is passed by, never
/// an error: it only saves time.
class MapCache {
public:
    /// No cache when `folder` is empty.
    MapCache(std::string folder, const std::string& pack_path);

    std::optional<DrawnMap> find(std::string_view code, double width, double height) const;
    void keep(std::string_view code, double width, double height, const DrawnMap& map) const;

private:
    std::string key(std::string_view code, double width, double height) const;
    std::string path_of(const std::string& key) const;

    std::string folder_;    // empty: off
    std::string identity_;  // of the program and the pack
};

}  // namespace factsheet::map_detail
