// Private to the map pack's builder: derives the map pack (map/pack.hpp) from Debian's gmt-dcw files.
#pragma once

#include <string>

namespace factsheet::map_detail {

/// Reads the list of countries and, for each, its attributes and outline from dcw-gmt.nc (decoded
/// and thinned as map/prepare/dcw.hpp says), and writes the pack to `pack_path`: into a temporary
/// file beside it, renamed over it once complete, so a program drawing from the old pack keeps it
/// whole. Throws Error at the file at fault.
void write_pack(const std::string& map_path, const std::string& countries_path, const std::string& pack_path);

/// Why the pack at `pack_path` is not the one write_pack would write now from these files ("it is
/// damaged", "it was derived from another dcw-gmt.nc"...), or "" when it is: it opens, every
/// outline in it is sound, and it records these two paths with their current stamps.
std::string pack_problem(const std::string& map_path, const std::string& countries_path,
                         const std::string& pack_path);

}  // namespace factsheet::map_detail
