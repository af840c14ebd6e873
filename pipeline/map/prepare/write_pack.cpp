// Writing the map pack from gmt-dcw's files.
#include "map/prepare/write_pack.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/error.hpp"
#include "common/files.hpp"
#include "map/pack.hpp"
#include "map/prepare/dcw.hpp"
#include "map/prepare/hdf5.hpp"

namespace factsheet::map_detail {

namespace {

/// The temporary file a pack is written to, removed unless it is kept.
class TemporaryFile {
public:
    explicit TemporaryFile(const std::string& beside) : path_(beside + ".XXXXXX") {
        fd_ = ::mkstemp(path_.data());
        if (fd_ < 0) fail();
    }
    ~TemporaryFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!kept_) ::unlink(path_.c_str());
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    /// Writes `size` bytes at `offset`.
    void write(std::uint64_t offset, const void* bytes, std::size_t size) {
        const auto* from = static_cast<const char*>(bytes);
        while (size > 0) {
            const ssize_t done = ::pwrite(fd_, from, size, static_cast<off_t>(offset));
            if (done < 0 && errno == EINTR) continue;
            if (done <= 0) fail();
            from += done;
            size -= static_cast<std::size_t>(done);
            offset += static_cast<std::uint64_t>(done);
        }
    }

    /// Closes the file, readable by all as a build product is and flushed to disk, and renames it
    /// to `path`, then flushes the folder: the program's one durability rule (common/files.hpp).
    void keep_as(const std::string& path) {
        int error = ::fchmod(fd_, 0644) != 0 || ::fsync(fd_) != 0 ? errno : 0;
        if (::close(fd_) != 0 && error == 0) error = errno;
        fd_ = -1;
        if (error != 0) {
            errno = error;
            fail();
        }
        if (::rename(path_.c_str(), path.c_str()) != 0) fail();
        kept_ = true;
        std::filesystem::path target(path);
        sync_folder(target.has_parent_path() ? target.parent_path().string() : ".");
    }

private:
    [[noreturn]] void fail() const {
        throw Error(SourcePos{path_, 0, 0},
                    "cannot write the map data (" + std::string(std::strerror(errno)) + ")");
    }

    std::string path_;
    int fd_ = -1;
    bool kept_ = false;
};

/// A source's stamp; throws Error when it cannot be read, calling it `what` ("the map data").
SourceStamp stamp_of(const std::string& path, const std::string& what) {
    SourceStamp stamp;
    errno = 0;
    if (!stamp_file(path, stamp))
        throw Error(SourcePos{path, 0, 0}, "cannot read " + what + " (" +
                                               std::string(errno ? std::strerror(errno) : "not a file") +
                                               "); install the gmt-dcw package");
    return stamp;
}

}  // namespace

void write_pack(const std::string& map_path, const std::string& countries_path,
                const std::string& pack_path) {
    const std::vector<CountryEntry> countries = read_country_list(countries_path);
    const SourceStamp sources[source_count] = {stamp_of(map_path, "the map data"),
                                               stamp_of(countries_path, "the list of countries")};

    // The header, table and strings are known but for the outlines' places and checksums, filled
    // in as the outlines are written after them.
    PackHeader header;
    std::memcpy(header.magic, pack_magic, sizeof pack_magic);
    header.byte_order = pack_byte_order;
    header.version = pack_version;
    header.country_count = static_cast<std::uint32_t>(countries.size());
    header.countries_at = sizeof(PackHeader);
    std::vector<PackCountry> table(countries.size());
    std::string strings;
    const auto add_string = [&](const std::string& text) {
        const std::uint64_t at = strings.size();
        strings += text;
        return at;
    };
    for (std::size_t i = 0; i < countries.size(); ++i) {
        std::memcpy(table[i].code, countries[i].code.data(), 2);
        if (countries[i].name.size() > UINT16_MAX)
            throw Error(SourcePos{countries_path, 0, 0}, "the name of " + countries[i].code + " is too long");
        table[i].name_size = static_cast<std::uint16_t>(countries[i].name.size());
        table[i].name_at = static_cast<std::uint32_t>(add_string(countries[i].name));
    }
    const std::string* paths[source_count] = {&map_path, &countries_path};
    for (std::size_t i = 0; i < source_count; ++i) {
        header.sources[i].size = sources[i].size;
        header.sources[i].crc = sources[i].crc;
        header.sources[i].path_size = static_cast<std::uint32_t>(paths[i]->size());
        header.sources[i].path_at = add_string(*paths[i]);
    }
    header.strings_at = pack_align(header.countries_at + table.size() * sizeof(PackCountry));
    header.strings_size = strings.size();
    header.outlines_at = pack_align(header.strings_at + header.strings_size);

    std::filesystem::path folder = std::filesystem::path(pack_path).parent_path();
    std::error_code ec;
    if (!folder.empty()) std::filesystem::create_directories(folder, ec);
    if (ec) throw Error(SourcePos{folder.string(), 0, 0}, "cannot make the folder (" + ec.message() + ")");
    TemporaryFile out(pack_path);
    try {
        const Hdf5File file(map_path);
        std::uint64_t at = 0;  // from outlines_at
        for (std::size_t i = 0; i < countries.size(); ++i) {
            const std::string& code = countries[i].code;
            const CountryAttributes read = read_axes(file, code);
            const DecodedOutline outline = read_outline(file, code, read.axes);
            PackCountry& c = table[i];
            c.lon_min = read.lon_min;
            c.lon_max = read.lon_max;
            c.lon_scale = read.lon_scale;
            c.lat_min = read.lat_min;
            c.lat_max = read.lat_max;
            c.lat_scale = read.lat_scale;
            if (outline.lon.size() > UINT32_MAX || outline.rings.size() > UINT32_MAX)
                throw DataError(code + "_lon holds more points than a map pack can");
            c.outline_at = at;
            c.ring_count = static_cast<std::uint32_t>(outline.rings.size());
            c.point_count = static_cast<std::uint32_t>(outline.lon.size());
            std::string bytes(static_cast<std::size_t>(outline_bytes(c.ring_count, c.point_count)), '\0');
            char* to = bytes.data();
            for (const auto& part : {std::string_view(reinterpret_cast<const char*>(outline.rings.data()),
                                                      outline.rings.size() * sizeof(OutlineRing)),
                                     std::string_view(reinterpret_cast<const char*>(outline.lon.data()),
                                                      outline.lon.size() * sizeof(std::uint16_t)),
                                     std::string_view(reinterpret_cast<const char*>(outline.lat.data()),
                                                      outline.lat.size() * sizeof(std::uint16_t))}) {
                if (!part.empty()) std::memcpy(to, part.data(), part.size());
                to += part.size();
            }
            c.outline_crc = crc32_of(0, bytes.data(), bytes.size());
            bytes.resize(static_cast<std::size_t>(pack_align(bytes.size())), '\0');
            out.write(header.outlines_at + at, bytes.data(), bytes.size());
            at += bytes.size();
        }
        header.outlines_size = at;
    } catch (const DataError& e) {
        throw Error(SourcePos{map_path, 0, 0},
                    "cannot read the map data (" + std::string(e.what()) + "); install the gmt-dcw package");
    }
    header.pack_size = header.outlines_at + header.outlines_size;

    std::string head(static_cast<std::size_t>(header.outlines_at), '\0');
    std::memcpy(head.data() + header.countries_at, table.data(), table.size() * sizeof(PackCountry));
    std::memcpy(head.data() + header.strings_at, strings.data(), strings.size());
    std::uint32_t crc = crc32_of(0, &header, sizeof header);
    crc = crc32_of(crc, head.data() + header.countries_at, table.size() * sizeof(PackCountry));
    header.header_crc = crc32_of(crc, strings.data(), strings.size());
    std::memcpy(head.data(), &header, sizeof header);
    out.write(0, head.data(), head.size());
    out.keep_as(pack_path);
}

std::string pack_problem(const std::string& map_path, const std::string& countries_path,
                         const std::string& pack_path) {
    if (!std::filesystem::exists(pack_path)) return "it is missing";
    try {
        const MapPack pack(pack_path);
        pack.check_all();
        if (pack.source_path(map_source) != map_path || pack.source_path(countries_source) != countries_path)
            return "it was derived from other files";
    } catch (const Error& e) {
        // The program's message without its advice to run the build, which is what is running.
        const std::string& message = e.diagnostics().front().message;
        return message.substr(0, message.find("; run \"make\""));
    } catch (const DataError& e) {
        return e.what();
    }
    return "";
}

}  // namespace factsheet::map_detail
