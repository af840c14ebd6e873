// The map pack, mapped into memory and checked before use.
#include "map/pack.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <utility>

#include "common/error.hpp"
#include "map/map.hpp"

namespace factsheet::map_detail {

namespace {

// Bytes of a source read at each end for its stamp.
constexpr std::size_t stamp_span = 16 * 1024;

/// A file descriptor, closed however the reading ends.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

/// Adds bytes [from, to) of a file to `crc`; false when they cannot be read.
bool crc_range(int fd, std::uint64_t from, std::uint64_t to, std::uint32_t& crc) {
    std::array<unsigned char, 4096> buffer;
    while (from < to) {
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(to - from, buffer.size()));
        const ssize_t got = ::pread(fd, buffer.data(), want, static_cast<off_t>(from));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        crc = crc32_of(crc, buffer.data(), static_cast<std::size_t>(got));
        from += static_cast<std::uint64_t>(got);
    }
    return true;
}

bool is_code(const char* code) {
    return code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
}

/// Whether [at, at + size) lies within `limit` bytes.
bool fits(std::uint64_t at, std::uint64_t size, std::uint64_t limit) {
    return at <= limit && size <= limit - at;
}

}  // namespace

StoredAxis make_axis(double min, double max, double scale, const std::string& name, double lowest,
                     double highest) {
    if (!std::isfinite(min) || !std::isfinite(max) || !std::isfinite(scale) || scale <= 0 || max < min ||
        min < lowest || max > highest)
        throw DataError("attributes min, max and scale of " + name + " make no sense");
    return StoredAxis{min, max, 1 / scale};
}

std::uint32_t crc32_of(std::uint32_t crc, const void* bytes, std::size_t size) {
    return static_cast<std::uint32_t>(crc32_z(crc, static_cast<const Bytef*>(bytes), size));
}

bool stamp_file(const std::string& path, SourceStamp& out) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat info;
    if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
    const auto size = static_cast<std::uint64_t>(info.st_size);
    const std::uint64_t head = std::min<std::uint64_t>(size, stamp_span);
    const std::uint64_t tail = std::max<std::uint64_t>(head, size > stamp_span ? size - stamp_span : 0);
    std::uint32_t crc = 0;
    if (!crc_range(fd.get(), 0, head, crc) || !crc_range(fd.get(), tail, size, crc)) return false;
    out = SourceStamp{size, crc};
    return true;
}

MapPack::MapPack(const std::string& path) : path_(path) {
    const auto fail = [&](const std::string& message) { throw Error(SourcePos{path_, 0, 0}, message); };
    const std::string prepare_again = "; run \"make\" to prepare it again";

    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0 && errno == ENOENT)
        fail("the map data has not been prepared; run \"make\" (it derives it from " +
             std::string(MapAtlas::default_map_path) + ")");
    struct stat info;
    if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0)
        fail("cannot read the map data (" + std::string(std::strerror(errno)) + ")");
    if (!S_ISREG(info.st_mode)) fail("the map data is not a file" + prepare_again);
    const auto size = static_cast<std::uint64_t>(info.st_size);
    const auto read = [&](std::uint64_t bytes) {
        head_.assign(static_cast<std::size_t>((bytes + 7) / 8), 0);
        auto* to = reinterpret_cast<char*>(head_.data());
        for (std::uint64_t done = 0; done < bytes;) {
            const ssize_t got = ::pread(fd.get(), to + done, static_cast<std::size_t>(bytes - done),
                                        static_cast<off_t>(done));
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) fail("cannot read the map data (" + std::string(std::strerror(errno)) + ")");
            if (got == 0) damaged("it is truncated");
            done += static_cast<std::uint64_t>(got);
        }
    };
    if (size < sizeof(PackHeader)) damaged("it is not a map pack, or a truncated one");
    read(sizeof(PackHeader));
    std::memcpy(static_cast<void*>(&header_), head_.data(), sizeof header_);
    const PackHeader& h = header_;
    if (std::memcmp(h.magic, pack_magic, sizeof pack_magic) != 0) damaged("it is not a map pack");
    if (h.byte_order != pack_byte_order || h.version != pack_version)
        fail("the map data was prepared by another version of this program, or for another kind of machine" +
             prepare_again);
    if (h.pack_size != size) damaged(h.pack_size > size ? "it is truncated" : "it runs past its end");
    if (h.outlines_at % 16 != 0 || h.outlines_at < sizeof(PackHeader) ||
        !fits(h.outlines_at, h.outlines_size, size) || h.countries_at % 16 != 0 ||
        h.countries_at < sizeof(PackHeader) ||
        !fits(h.countries_at, std::uint64_t(h.country_count) * sizeof(PackCountry), h.outlines_at) ||
        !fits(h.strings_at, h.strings_size, h.outlines_at))
        damaged("its parts lie outside it");

    read(h.outlines_at);  // the header again, the countries and the strings
    PackHeader unsealed = h;
    unsealed.header_crc = 0;
    std::uint32_t crc = crc32_of(0, &unsealed, sizeof unsealed);
    crc = crc32_of(crc, head_bytes() + h.countries_at, h.country_count * sizeof(PackCountry));
    crc = crc32_of(crc, head_bytes() + h.strings_at, static_cast<std::size_t>(h.strings_size));
    if (crc != h.header_crc) damaged("its table of countries does not match its checksum");

    country_count_ = h.country_count;
    axes_ = std::make_unique<CountryAxes[]>(country_count_);
    for (std::size_t i = 0; i < country_count_; ++i) {
        const PackCountry& c = entry(i);
        if (!is_code(c.code) || c.name_size == 0 || !fits(c.name_at, c.name_size, h.strings_size) ||
            c.outline_at % 16 != 0 ||
            !fits(c.outline_at, outline_bytes(c.ring_count, c.point_count), h.outlines_size))
            damaged("entry " + std::to_string(i + 1) + " of its table of countries makes no sense");
        const std::string code(c.code, 2);
        try {
            axes_[i].lon =
                make_axis(c.lon_min, c.lon_max, c.lon_scale, code + "_lon", lowest_lon, highest_lon);
            axes_[i].lat = make_axis(c.lat_min, c.lat_max, c.lat_scale, code + "_lat", -90, 90);
        } catch (const DataError& e) {
            damaged(e.what());
        }
    }
    for (const PackSource& source : h.sources)
        if (!fits(source.path_at, source.path_size, h.strings_size))
            damaged("a source's path lies outside it");

    // A source that is still there must be the one the pack was derived from. One that is gone
    // (gmt-dcw removed) leaves the pack as good as it was.
    for (std::size_t i = 0; i < source_count; ++i) {
        const PackSource& recorded = h.sources[i];
        const std::string source(source_path(static_cast<PackSourceIndex>(i)));
        SourceStamp now;
        if (stamp_file(source, now) && !(now == SourceStamp{recorded.size, recorded.crc}))
            fail("the map data was prepared from another version of " + source + prepare_again);
    }

    mapped_ = std::make_unique<std::atomic<const unsigned char*>[]>(country_count_);
    damaged_ = std::make_unique<std::atomic<bool>[]>(country_count_);
    fd_ = fd.release();
}

MapPack::~MapPack() {
    for (std::size_t i = 0; mapped_ && i < country_count_; ++i) {
        const unsigned char* at = mapped_[i].load();
        if (!at) continue;
        const Span span = span_of(i);
        ::munmap(const_cast<unsigned char*>(at - (span.at - span.page)), span.pages_size);
    }
    if (fd_ >= 0) ::close(fd_);
}

void MapPack::damaged(const std::string& why) const {
    throw Error(SourcePos{path_, 0, 0},
                "the map data is damaged (" + why + "); run \"make\" to prepare it again");
}

const PackCountry& MapPack::entry(std::size_t country) const {
    return reinterpret_cast<const PackCountry*>(head_bytes() + header().countries_at)[country];
}

std::string_view MapPack::code(std::size_t country) const {
    return {entry(country).code, 2};
}

std::string_view MapPack::name(std::size_t country) const {
    const PackCountry& c = entry(country);
    return {reinterpret_cast<const char*>(head_bytes() + header().strings_at + c.name_at), c.name_size};
}

std::string_view MapPack::source_path(PackSourceIndex source) const {
    const PackSource& s = header().sources[source];
    return {reinterpret_cast<const char*>(head_bytes() + header().strings_at + s.path_at), s.path_size};
}

MapPack::Span MapPack::span_of(std::size_t country) const {
    static const auto page_size = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const PackCountry& c = entry(country);
    Span span;
    span.at = header().outlines_at + c.outline_at;
    span.size = outline_bytes(c.ring_count, c.point_count);
    span.page = span.at / page_size * page_size;
    span.pages_size = span.at + span.size - span.page;
    return span;
}

Outline MapPack::view(std::size_t country, const unsigned char* at) const {
    const PackCountry& c = entry(country);
    Outline out;
    out.rings = {reinterpret_cast<const OutlineRing*>(at), c.ring_count};
    out.lon = {reinterpret_cast<const std::uint16_t*>(at + c.ring_count * sizeof(OutlineRing)),
               c.point_count};
    out.lat = {out.lon.data() + c.point_count, c.point_count};
    return out;
}

Outline MapPack::outline(std::size_t country) const {
    if (const unsigned char* at = mapped_[country].load(std::memory_order_acquire)) return view(country, at);
    const std::string code(this->code(country));
    if (damaged_[country].load()) throw DataError("the outline of " + code + " is damaged");
    const PackCountry& c = entry(country);
    const Span span = span_of(country);
    if (span.size == 0) {  // no rings: nothing to map, a view of nothing
        if (c.outline_crc != 0) throw DataError("the outline of " + code + " is damaged");
        return {};
    }
    void* pages = ::mmap(nullptr, static_cast<std::size_t>(span.pages_size), PROT_READ, MAP_PRIVATE, fd_,
                         static_cast<off_t>(span.page));
    if (pages == MAP_FAILED)
        throw DataError("cannot map the outline of " + code + " into memory (" + std::strerror(errno) + ")");
    const unsigned char* at = static_cast<const unsigned char*>(pages) + (span.at - span.page);
    const Outline out = view(country, at);
    bool sound = crc32_of(0, at, static_cast<std::size_t>(span.size)) == c.outline_crc;
    for (const OutlineRing& ring : out.rings)
        sound = sound && ring.first <= c.point_count && ring.count <= c.point_count - ring.first &&
                ring.count >= 3;
    if (!sound) {
        ::munmap(pages, static_cast<std::size_t>(span.pages_size));
        damaged_[country].store(true);
        throw DataError("the outline of " + code + " is damaged");
    }
    // Threads drawing the same country at once may both map it: one mapping is kept.
    const unsigned char* expected = nullptr;
    if (!mapped_[country].compare_exchange_strong(expected, at, std::memory_order_acq_rel)) {
        ::munmap(pages, static_cast<std::size_t>(span.pages_size));
        return view(country, expected);
    }
    return out;
}

void MapPack::check_all() const {
    for (std::size_t i = 0; i < country_count_; ++i) outline(i);
}

}  // namespace factsheet::map_detail
