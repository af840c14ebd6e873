// Private to the map pack's builder: the few HDF5 calls that read the DCW's netCDF-4 file (a
// netCDF-4 file is an HDF5 file: a variable is a dataset, its attributes HDF5 attributes).
//
// Why HDF5 and not libnetcdf: nc_open of a netCDF-4 file opens every dataset in it, and dcw-gmt.nc
// holds 1,569 (countries, states and their dimensions): 0.3 to 0.45 s and 60 to 90 MB before the
// first value is read (libnetcdf 4.9.0, HDF5 1.10.8). HDF5 opens only the datasets asked for.
//
// The library is loaded (dlopen) when the first file is opened, not linked; only its header and
// soname are used. The factsheet program itself never loads it: with its dependencies (libcurl,
// GnuTLS, Kerberos...) it cost a run that drew a map about 40 ms and 11 MB, which is why the
// program draws from the map pack (map/pack.hpp) that dcw_pack derives from the file at build time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "map/pack.hpp"  // DataError

namespace factsheet::map_detail {

/// One chunk of a dataset as the file stores it, filters still applied.
struct StoredChunk {
    std::string bytes;
    std::size_t first = 0;  // index in the dataset of the chunk's first value
    bool shuffled = false;  // HDF5 shuffle filter: all first bytes of the values, then all second bytes
    bool deflated = false;  // zlib stream
};

/// A one-dimensional dataset of 16-bit unsigned integers, its chunks still compressed: a sixth
/// (the US: 1.3 MB for 7.5 MB) to two thirds (Mali) of the decoded size, decoded as it is read.
struct StoredArray {
    std::string name;                 // the dataset's name, for messages
    std::size_t length = 0;           // values in the dataset
    std::size_t chunk_length = 0;     // values per chunk (the last chunk may run past `length`)
    bool big_endian = false;          // byte order of the stored values
    std::vector<StoredChunk> chunks;  // in order, one per `chunk_length` values
};

/// An HDF5 file opened for reading. Thread-safe: Debian's HDF5 is built without its thread-safety
/// option, so every call into the library holds one process-wide lock.
class Hdf5File {
public:
    /// Loads the library if needed and opens the file. Throws Error when the library cannot be
    /// loaded, DataError when the file cannot be opened as HDF5 (missing, not HDF5, truncated).
    explicit Hdf5File(const std::string& path);
    ~Hdf5File();
    Hdf5File(const Hdf5File&) = delete;
    Hdf5File& operator=(const Hdf5File&) = delete;

    /// Numeric scalar attributes of an object, as doubles, in the order of `names`. Throws
    /// DataError when the object or one of the attributes is missing or not a single number.
    std::vector<double> attributes(const std::string& object, const std::vector<const char*>& names) const;

    /// Reads a one-dimensional dataset of 16-bit unsigned integers, chunked or not, compressed with
    /// the filters netCDF-4 writes (shuffle, deflate; a Fletcher-32 checksum is ignored). Throws
    /// DataError for anything else.
    StoredArray read_array(const std::string& dataset) const;

private:
    std::int64_t file_ = -1;  // hid_t
    std::uintmax_t file_size_ = 0;
};

}  // namespace factsheet::map_detail
