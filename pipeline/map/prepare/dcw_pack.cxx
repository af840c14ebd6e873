// dcw_pack: derives the map pack the factsheet program draws its locator maps from (map/pack.hpp)
// from Debian's gmt-dcw files. The build runs it with --update before every build of the program:
// the pack is written again only when it is missing or damaged, when the files it was derived from
// have changed (a newer gmt-dcw: Debian keeps the files' dates, often older than the pack, so
// their dates alone would not tell), or when this program, which decodes and thins the outlines,
// is newer than it.
//
// Usage: dcw_pack [--update] DCW_GMT_NC DCW_COUNTRIES_TXT PACK
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "common/error.hpp"
#include "map/prepare/write_pack.hpp"

namespace {

/// Why the pack must be written again, or "" when it need not.
std::string update_reason(const std::string& map, const std::string& countries, const std::string& pack) {
    std::string reason = factsheet::map_detail::pack_problem(map, countries, pack);
    if (!reason.empty()) return reason;
    std::error_code ec;
    const auto pack_time = std::filesystem::last_write_time(pack, ec);
    const auto program_time = std::filesystem::last_write_time("/proc/self/exe", ec);
    if (!ec && program_time > pack_time) return "dcw_pack is newer than it";
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    const bool update = argc == 5 && std::strcmp(argv[1], "--update") == 0;
    if (argc != 4 && !update) {
        std::cerr << "usage: dcw_pack [--update] DCW_GMT_NC DCW_COUNTRIES_TXT PACK\n";
        return 2;
    }
    const std::string map = argv[argc - 3], countries = argv[argc - 2], pack = argv[argc - 1];
    try {
        if (update) {
            const std::string reason = update_reason(map, countries, pack);
            if (reason.empty()) return 0;
            std::printf("dcw_pack: preparing the map data %s from %s: %s\n", pack.c_str(), map.c_str(),
                        reason.c_str());
        }
        const auto start = std::chrono::steady_clock::now();
        factsheet::map_detail::write_pack(map, countries, pack);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("dcw_pack: wrote %s, %.1f MB, in %.1f s\n", pack.c_str(),
                    double(std::filesystem::file_size(pack)) / 1e6, seconds);
        return 0;
    } catch (const factsheet::Error& e) {
        for (const factsheet::Diagnostic& d : e.diagnostics())
            std::cerr << "dcw_pack: " << factsheet::format_error(d) << '\n';
    } catch (const std::exception& e) {
        std::cerr << "dcw_pack: error: " << e.what() << '\n';
    }
    return 1;
}
