// Reading and decoding the DCW's countries.
#include "map/prepare/dcw.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>
#include <sstream>

#include "common/error.hpp"
#include "common/files.hpp"

namespace factsheet::map_detail {

namespace {

// The marker that starts a ring, in the lon array.
constexpr std::uint16_t ring_marker = 65535;

// Values decoded at a time: 4 KB of lon and lat.
constexpr std::size_t block_values = 1024;

bool is_code(const std::string& code) {
    if (code.size() != 2) return false;
    for (char c : code)
        if (c < 'A' || c > 'Z') return false;
    return true;
}

/// The bytes of one stored chunk in order, inflated as they are read when the chunk is deflated.
class ChunkBytes {
public:
    ChunkBytes(const StoredChunk& chunk, const std::string& name) : raw_(chunk.bytes), name_(name) {
        if (!chunk.deflated) return;
        if (raw_.size() > UINT_MAX) throw DataError("a chunk of " + name + " is too large");
        if (inflateInit(&z_) != Z_OK) throw DataError("zlib cannot start decompressing " + name);
        inflating_ = true;
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw_.data()));
        z_.avail_in = static_cast<uInt>(raw_.size());
    }
    ~ChunkBytes() {
        if (inflating_) inflateEnd(&z_);
    }
    // zlib's state points back at its z_stream: never copied nor moved.
    ChunkBytes(const ChunkBytes&) = delete;
    ChunkBytes& operator=(const ChunkBytes&) = delete;

    /// The next `n` bytes; throws DataError when the chunk holds fewer or is damaged.
    void read(unsigned char* out, std::size_t n) {
        if (!inflating_) {
            if (raw_.size() - at_ < n) too_short();
            std::memcpy(out, raw_.data() + at_, n);
            at_ += n;
            return;
        }
        z_.next_out = out;
        z_.avail_out = static_cast<uInt>(n);
        while (z_.avail_out > 0) {
            const int status = inflate(&z_, Z_NO_FLUSH);
            if (status == Z_STREAM_END && z_.avail_out > 0) too_short();
            if (status != Z_OK && status != Z_STREAM_END)
                throw DataError("the compressed data of " + name_ + " is damaged");
        }
    }

    /// Passes over the next `n` bytes.
    void skip(std::size_t n) {
        std::array<unsigned char, 4096> scratch;
        while (n > 0) {
            const std::size_t now = std::min(n, scratch.size());
            read(scratch.data(), now);
            n -= now;
        }
    }

private:
    [[noreturn]] void too_short() const { throw DataError(name_ + " ends before its last value"); }

    std::string_view raw_;
    const std::string& name_;
    std::size_t at_ = 0;
    bool inflating_ = false;
    z_stream z_{};
};

/// The values of a stored array in order, decoded chunk by chunk without ever holding a whole
/// chunk decoded: a shuffled chunk is read by two streams over the same compressed bytes, one
/// from its start (the first bytes of the values), one from its middle (the second bytes).
class ValueStream {
public:
    explicit ValueStream(const StoredArray& array) : array_(array) {}

    /// The next `n` values; the caller asks for no more than the array holds.
    void read(std::uint16_t* out, std::size_t n) {
        while (n > 0) {
            if (left_ == 0) open_next();
            const std::size_t now = std::min({n, left_, block_values});
            decode(out, now);
            out += now;
            n -= now;
            left_ -= now;
        }
    }

private:
    void open_next() {
        if (next_ >= array_.chunks.size()) throw DataError(array_.name + " ends before its last value");
        const StoredChunk& chunk = array_.chunks[next_++];
        left_ = std::min(array_.chunk_length, array_.length - chunk.first);
        first_.reset();
        second_.reset();
        first_ = std::make_unique<ChunkBytes>(chunk, array_.name);
        shuffled_ = chunk.shuffled;
        if (shuffled_) {
            // The second bytes start after the first bytes of every value of the chunk, including
            // those of a last chunk that run past the array's end.
            second_ = std::make_unique<ChunkBytes>(chunk, array_.name);
            second_->skip(array_.chunk_length);
        }
    }

    void decode(std::uint16_t* out, std::size_t n) {
        std::array<unsigned char, 2 * block_values> bytes;
        unsigned char* a = bytes.data();  // first byte of each value
        unsigned char* b = bytes.data() + block_values;
        if (shuffled_) {
            first_->read(a, n);
            second_->read(b, n);
        } else {
            std::array<unsigned char, 2 * block_values> pairs;
            first_->read(pairs.data(), 2 * n);
            for (std::size_t i = 0; i < n; ++i) {
                a[i] = pairs[2 * i];
                b[i] = pairs[2 * i + 1];
            }
        }
        const unsigned char* low = array_.big_endian ? b : a;
        const unsigned char* high = array_.big_endian ? a : b;
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint16_t>(low[i] | (high[i] << 8));
    }

    const StoredArray& array_;
    std::size_t next_ = 0;  // the next chunk to open
    std::size_t left_ = 0;  // values left in the open chunk
    bool shuffled_ = false;
    std::unique_ptr<ChunkBytes> first_, second_;
};

}  // namespace

std::vector<CountryEntry> read_country_list(const std::string& path) {
    // The list is 4 KB: a megabyte is room enough.
    constexpr std::size_t max_list_bytes = 1024 * 1024;
    auto cannot_read = [&](const std::string& reason) {
        return Error(SourcePos{path, 0, 0},
                     "cannot read the list of countries (" + reason + "); install the gmt-dcw package");
    };
    std::istringstream in(read_regular_file(
        path, max_list_bytes,
        FileErrors{[&](std::size_t size) { return cannot_read(std::to_string(size) + " bytes, too large"); },
                   [&](std::string_view kind) { return cannot_read("it is " + std::string(kind)); },
                   [&](int e) { return cannot_read(std::strerror(e)); }}));
    std::vector<CountryEntry> out;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string continent, code, name;
        fields >> continent >> code;
        std::getline(fields >> std::ws, name);
        if (!is_code(code) || name.empty())
            throw Error(SourcePos{path, number, 0},
                        "not a line of a continent, a country code and a name, as in \"AF ML Mali\"; "
                        "install the gmt-dcw package again");
        out.push_back({code, name});
    }
    return out;
}

CountryAttributes read_axes(const Hdf5File& file, const std::string& code) {
    const std::vector<const char*> names{"min", "max", "scale"};
    const std::vector<double> lon = file.attributes(code + "_lon", names);
    const std::vector<double> lat = file.attributes(code + "_lat", names);
    CountryAttributes read{lon[0], lon[1], lon[2], lat[0], lat[1], lat[2], {}};
    read.axes.lon =
        make_axis(read.lon_min, read.lon_max, read.lon_scale, code + "_lon", lowest_lon, highest_lon);
    read.axes.lat = make_axis(read.lat_min, read.lat_max, read.lat_scale, code + "_lat", -90, 90);
    return read;
}

namespace {

/// Receives the rings of stored arrays as decode_rings finds them.
class RingSink {
public:
    virtual ~RingSink() = default;
    virtual void begin_ring() = 0;
    virtual void point(int lon, int lat) = 0;  // raw values
    virtual void end_ring() = 0;
};

/// Decodes the two arrays in step, block by block, and hands their rings to `sink`.
void decode_rings(const StoredArray& lon_array, const StoredArray& lat_array, RingSink& sink) {
    ValueStream lons(lon_array), lats(lat_array);
    std::array<std::uint16_t, block_values> lon, lat;
    bool in_ring = false;
    for (std::size_t done = 0; done < lon_array.length;) {
        const std::size_t n = std::min(block_values, lon_array.length - done);
        lons.read(lon.data(), n);
        lats.read(lat.data(), n);
        for (std::size_t i = 0; i < n; ++i) {
            if (lon[i] == ring_marker) {
                // The lat beside a marker says whether the ring is a hole (1) or not (0): for
                // filling with the even-odd rule the difference does not matter.
                if (in_ring) sink.end_ring();
                sink.begin_ring();
                in_ring = true;
            } else if (in_ring) {
                sink.point(lon[i], lat[i]);
            }
        }
        done += n;
    }
    if (in_ring) sink.end_ring();
}

// Thinning of decoded outlines (see DecodedOutline): how far from the line a dropped point may be, in
// raw units, and the longest edge that may replace points, in degrees.
constexpr double thinning_tolerance = 1;
constexpr double longest_thinned_edge = 0.25;

/// Builds a DecodedOutline from decoded rings, thinning them (Reumann and Witkam 1974).
class OutlineBuilder : public RingSink {
public:
    OutlineBuilder(DecodedOutline& out, const CountryAxes& axes)
        : out_(out),
          longest_lon_(longest_thinned_edge / axes.lon.step),
          longest_lat_(longest_thinned_edge / axes.lat.step) {}

    void begin_ring() override {
        ring_ = OutlineRing{static_cast<std::uint32_t>(out_.lon.size()), 0, 65535, 0, 65535, 0};
        started_ = has_direction_ = has_last_ = false;
    }

    void point(int lon, int lat) override {
        grow(ring_.lon0, ring_.lon1, lon);
        grow(ring_.lat0, ring_.lat1, lat);
        if (!started_) {
            keep(lon, lat);
            started_ = true;
            return;
        }
        if (has_last_ && lon == last_lon_ && lat == last_lat_) return;
        if (!has_direction_) {
            if (lon == key_lon_ && lat == key_lat_) return;
            aim(lon, lat);
            return;
        }
        const double dx = lon - key_lon_, dy = lat - key_lat_;
        const double along = dx * dir_x_ + dy * dir_y_;
        // Dropped: near the line, further along it than the point before (no turning back), and
        // not too far from the point kept.
        if (std::abs(dx * dir_y_ - dy * dir_x_) <= thinning_tolerance && along >= last_along_ &&
            std::abs(dx) <= longest_lon_ && std::abs(dy) <= longest_lat_) {
            last_lon_ = lon;
            last_lat_ = lat;
            last_along_ = along;
            return;
        }
        keep(last_lon_, last_lat_);
        aim(lon, lat);
    }

    void end_ring() override {
        if (has_last_) keep(last_lon_, last_lat_);
        ring_.count = static_cast<std::uint32_t>(out_.lon.size() - ring_.first);
        if (ring_.count >= 3) {
            out_.rings.push_back(ring_);
        } else {  // no area to enclose
            out_.lon.resize(ring_.first);
            out_.lat.resize(ring_.first);
        }
    }

private:
    static void grow(std::uint16_t& low, std::uint16_t& high, int v) {
        low = std::min(low, static_cast<std::uint16_t>(v));
        high = std::max(high, static_cast<std::uint16_t>(v));
    }

    void keep(int lon, int lat) {
        out_.lon.push_back(static_cast<std::uint16_t>(lon));
        out_.lat.push_back(static_cast<std::uint16_t>(lat));
        key_lon_ = lon;
        key_lat_ = lat;
        has_direction_ = has_last_ = false;
    }

    /// The line from the point kept through (lon, lat), the ring's next point.
    void aim(int lon, int lat) {
        const double dx = lon - key_lon_, dy = lat - key_lat_, length = std::hypot(dx, dy);
        if (length == 0) return;
        dir_x_ = dx / length;
        dir_y_ = dy / length;
        has_direction_ = has_last_ = true;
        last_lon_ = lon;
        last_lat_ = lat;
        last_along_ = length;
    }

    DecodedOutline& out_;
    double longest_lon_, longest_lat_;  // raw units
    OutlineRing ring_;
    bool started_ = false;
    int key_lon_ = 0, key_lat_ = 0;  // the point last kept
    bool has_direction_ = false;
    double dir_x_ = 0, dir_y_ = 0;
    bool has_last_ = false;  // a point seen since, not yet kept
    int last_lon_ = 0, last_lat_ = 0;
    double last_along_ = 0;
};

}  // namespace

DecodedOutline read_outline(const Hdf5File& file, const std::string& code, const CountryAxes& axes) {
    const StoredArray lon = file.read_array(code + "_lon");
    const StoredArray lat = file.read_array(code + "_lat");
    if (lon.length != lat.length) throw DataError(lon.name + " and " + lat.name + " differ in length");
    DecodedOutline out;
    OutlineBuilder builder(out, axes);
    decode_rings(lon, lat, builder);
    out.lon.shrink_to_fit();
    out.lat.shrink_to_fit();
    out.rings.shrink_to_fit();
    return out;
}

}  // namespace factsheet::map_detail
