// Test helper: whether two locator maps are the same to the last bit (every point, every place).
#pragma once

#include "map/map.hpp"

namespace factsheet::test {

inline bool same_map(const LocatorMap& a, const LocatorMap& b) {
    const auto same_shape = [](const MapShape& x, const MapShape& y) {
        if (x.code != y.code || x.rings.size() != y.rings.size()) return false;
        for (std::size_t i = 0; i < x.rings.size(); ++i) {
            if (x.rings[i].size() != y.rings[i].size()) return false;
            for (std::size_t j = 0; j < x.rings[i].size(); ++j)
                if (x.rings[i][j].x != y.rings[i][j].x || x.rings[i][j].y != y.rings[i][j].y) return false;
        }
        return true;
    };
    if (a.width != b.width || a.height != b.height || !same_shape(a.country, b.country) ||
        a.neighbours.size() != b.neighbours.size() || a.places.size() != b.places.size())
        return false;
    for (std::size_t i = 0; i < a.neighbours.size(); ++i)
        if (!same_shape(a.neighbours[i], b.neighbours[i])) return false;
    for (std::size_t i = 0; i < a.places.size(); ++i)
        if (a.places[i].at.x != b.places[i].at.x || a.places[i].at.y != b.places[i].at.y ||
            a.places[i].inside != b.places[i].inside)
            return false;
    return true;
}

}  // namespace factsheet::test
