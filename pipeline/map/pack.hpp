// Private to the map stage: the map pack, the Digital Chart of the World as the program reads it.
//
// dcw_pack (map/prepare/) derives the pack at build time from Debian's gmt-dcw files, decoding and
// thinning every country's outline once; the program maps the outlines a map shows into memory and
// draws from them as they lie, touching no other pages of the pack. The pack is a build product, written and
// read on the same machine: its numbers are in the machine's byte order, which its header records.
//
// Layout (all offsets in bytes from the start of the file, every part aligned to 16 bytes):
//   PackHeader                   at 0
//   PackCountry[country_count]   at countries_at, in the order of dcw-countries.txt
//   strings                      at strings_at: countries' names and the sources' paths, UTF-8
//   outlines                     at outlines_at: per country, at its outline_at from there,
//                                OutlineRing[ring_count], then uint16 lon[point_count], then
//                                uint16 lat[point_count] (raw values, see StoredAxis)
//
// The header's CRC-32 covers the header, the table of countries and the strings, checked when the
// pack is opened; each outline has its own, checked the first time it is drawn. A damaged pack is
// an Error, never a crash: every offset and count is checked against the file before use.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace factsheet::map_detail {

/// What is wrong with the map data, said for a message ("the outline of ML is damaged"); the atlas
/// turns it into an Error naming the file and what to do.
struct DataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// How one coordinate of a country is stored: a raw value stands for raw / scale + min degrees.
struct StoredAxis {
    double min = 0;
    double max = 0;
    double step = 1;  // 1 / the scale attribute

    /// The coordinate a raw value stands for, in degrees.
    double value(std::uint16_t raw) const { return raw * step + min; }
};

/// Where a country's points lie, from its variables' attributes in dcw-gmt.nc. A country's
/// longitudes are continuous, which puts some past 180 (Fiji 176.9..185.0, Russia 19.8..191.0)
/// and gives others from 0 to 360 (Senegal 342.5..348.6, Morocco 346.8..359.0): compare them
/// modulo 360.
struct CountryAxes {
    StoredAxis lon;
    StoredAxis lat;
};

/// A stored axis from the attributes min, max and scale; throws DataError naming `name` ("ML_lon")
/// when they make no sense (not finite, scale not positive, outside lowest..highest).
StoredAxis make_axis(double min, double max, double scale, const std::string& name, double lowest,
                     double highest);

/// Longitudes run past 180 or from 0 to 360 (see CountryAxes), not further.
constexpr double lowest_lon = -360, highest_lon = 720;

/// One ring of an Outline: its points are lon[first .. first + count) and lat[...] alike.
struct OutlineRing {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    // The ring's extent in raw values.
    std::uint16_t lon0 = 0, lon1 = 0, lat0 = 0, lat1 = 0;
};
static_assert(sizeof(OutlineRing) == 16);

/// A country's outline, decoded and thinned (see map/prepare/dcw.hpp): its rings of raw values
/// (see StoredAxis), holes among them, each of 3 points at least. A view of the data held by the
/// pack, or by a DecodedOutline.
struct Outline {
    std::span<const std::uint16_t> lon;
    std::span<const std::uint16_t> lat;
    std::span<const OutlineRing> rings;
};

// The pack's identity: "FSDCWPK" and a zero, then a number that reads 0x01020304 in the byte order
// of the machine that wrote it.
constexpr char pack_magic[8] = {'F', 'S', 'D', 'C', 'W', 'P', 'K', '\0'};
constexpr std::uint32_t pack_byte_order = 0x01020304;
// The format's version, and that of the decoding and thinning that made its outlines: a pack of
// another version is prepared again.
constexpr std::uint32_t pack_version = 1;

/// A file the pack was derived from, for telling when it has changed: its size and the CRC-32 of
/// its first and last 16 KB (the whole of a smaller file).
struct SourceStamp {
    std::uint64_t size = 0;
    std::uint32_t crc = 0;
    bool operator==(const SourceStamp&) const = default;
};

/// The stamp of a file as it is now; false when it cannot be read.
bool stamp_file(const std::string& path, SourceStamp& out);

/// A file the pack was derived from, as the header records it.
struct PackSource {
    std::uint64_t size = 0;
    std::uint32_t crc = 0;
    std::uint32_t path_size = 0;  // its path, in the strings
    std::uint64_t path_at = 0;    // from strings_at
};
static_assert(sizeof(PackSource) == 24);

/// The pack's sources: dcw-gmt.nc, then dcw-countries.txt.
enum PackSourceIndex : std::size_t { map_source = 0, countries_source = 1, source_count = 2 };

struct PackHeader {
    char magic[8] = {};
    std::uint32_t byte_order = 0;
    std::uint32_t version = 0;
    std::uint64_t pack_size = 0;   // bytes in the whole file
    std::uint32_t header_crc = 0;  // of the header with this field 0, the countries and the strings
    std::uint32_t country_count = 0;
    std::uint64_t countries_at = 0;
    std::uint64_t strings_at = 0, strings_size = 0;
    std::uint64_t outlines_at = 0, outlines_size = 0;
    PackSource sources[source_count];
    std::uint64_t reserved = 0;
};
static_assert(sizeof(PackHeader) == 128);

struct PackCountry {
    char code[2] = {};  // ISO 3166 alpha-2: "ML"
    std::uint16_t name_size = 0;
    std::uint32_t name_at = 0;  // from strings_at: "Mali"
    // The attributes min, max and scale of XX_lon and XX_lat.
    double lon_min = 0, lon_max = 0, lon_scale = 1;
    double lat_min = 0, lat_max = 0, lat_scale = 1;
    std::uint64_t outline_at = 0;  // from outlines_at, a multiple of 16
    std::uint32_t ring_count = 0;
    std::uint32_t point_count = 0;
    std::uint32_t outline_crc = 0;  // of the outline's rings, lon and lat
    std::uint32_t reserved = 0;
};
static_assert(sizeof(PackCountry) == 80);

/// Bytes of an outline of `rings` rings and `points` points in the pack, padding excluded.
constexpr std::uint64_t outline_bytes(std::uint64_t rings, std::uint64_t points) {
    return rings * sizeof(OutlineRing) + points * 2 * sizeof(std::uint16_t);
}

/// `n` rounded up to the pack's alignment.
constexpr std::uint64_t pack_align(std::uint64_t n) {
    return (n + 15) & ~std::uint64_t(15);
}

/// The CRC-32 of `bytes` (zlib's), continuing `crc`.
std::uint32_t crc32_of(std::uint32_t crc, const void* bytes, std::size_t size);

/// A map pack, open for the life of the object. Thread-safe.
///
/// Its header, table of countries and strings (28 KB) are read when it is opened; each outline is
/// mapped into memory, read-only, the first time it is drawn, and stays mapped. A mapping of its
/// own per country, rather than one of the whole file, keeps the kernel from mapping the pages
/// around those a map touches (fault-around, 64 KB at a time), which are other countries' outlines:
/// Mali's map touches 158 KB of outlines, which one mapping of the pack made 640 KB of memory.
class MapPack {
public:
    /// Opens the pack and checks its header, table of countries and strings, and that the files
    /// it was derived from, where they still are, have not changed since. Throws Error at `path`
    /// saying what to do when it is missing, stale or damaged.
    explicit MapPack(const std::string& path);
    ~MapPack();
    MapPack(const MapPack&) = delete;
    MapPack& operator=(const MapPack&) = delete;

    const std::string& path() const { return path_; }
    std::size_t size() const { return country_count_; }

    /// A country's code ("ML"), name ("Mali") and axes; `country` < size().
    std::string_view code(std::size_t country) const;
    std::string_view name(std::size_t country) const;
    const CountryAxes& axes(std::size_t country) const { return axes_[country]; }

    /// The path of a source as the pack records it ("/usr/share/gmt-dcw/dcw-gmt.nc").
    std::string_view source_path(PackSourceIndex source) const;

    /// A country's outline, mapped, its CRC-32 and rings checked, the first time it is asked for.
    /// Throws DataError when they are damaged.
    Outline outline(std::size_t country) const;

    /// Checks every outline (the pack builder does, before keeping a pack); throws DataError.
    void check_all() const;

private:
    const PackHeader& header() const { return header_; }
    const unsigned char* head_bytes() const { return reinterpret_cast<const unsigned char*>(head_.data()); }
    const PackCountry& entry(std::size_t country) const;
    /// Where a country's outline lies in the file, and the pages that hold it.
    struct Span {
        std::uint64_t at = 0, size = 0, page = 0, pages_size = 0;
    };
    Span span_of(std::size_t country) const;
    Outline view(std::size_t country, const unsigned char* at) const;
    [[noreturn]] void damaged(const std::string& why) const;

    std::string path_;
    int fd_ = -1;
    PackHeader header_;                // as checked
    std::vector<std::uint64_t> head_;  // the file up to its outlines, 8-byte aligned
    std::size_t country_count_ = 0;
    std::unique_ptr<CountryAxes[]> axes_;
    // Per country: its outline once mapped and checked, and whether it was found damaged.
    mutable std::unique_ptr<std::atomic<const unsigned char*>[]> mapped_;
    mutable std::unique_ptr<std::atomic<bool>[]> damaged_;
};

}  // namespace factsheet::map_detail
