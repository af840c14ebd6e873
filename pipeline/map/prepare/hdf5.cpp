// Reading the DCW's datasets and attributes through HDF5's C API (HDF5 1.10 reference manual),
// loaded with dlopen the first time a file is opened.
#include "map/prepare/hdf5.hpp"

#include <dlfcn.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "common/error.hpp"
#include "common/library.hpp"

namespace factsheet::map_detail {

namespace {

/// The HDF5 functions used here, found in the library loaded on first use and kept for the life of
/// the program (unloading a library at exit is a risk with no gain).
struct Hdf5 {
    decltype(&H5open) open = nullptr;
    decltype(&H5dont_atexit) dont_atexit = nullptr;
    decltype(&H5Eset_auto2) set_error_printer = nullptr;
    decltype(&H5Pcreate) create_properties = nullptr;
    decltype(&H5Pclose) close_properties = nullptr;
    decltype(&H5Pset_evict_on_close) set_evict_on_close = nullptr;
    decltype(&H5Fopen) open_file = nullptr;
    decltype(&H5Fclose) close_file = nullptr;
    decltype(&H5Oopen) open_object = nullptr;
    decltype(&H5Oclose) close_object = nullptr;
    decltype(&H5Aopen) open_attribute = nullptr;
    decltype(&H5Aclose) close_attribute = nullptr;
    decltype(&H5Aget_space) attribute_space = nullptr;
    decltype(&H5Aget_type) attribute_type = nullptr;
    decltype(&H5Aread) read_attribute = nullptr;
    decltype(&H5Dopen2) open_dataset = nullptr;
    decltype(&H5Dclose) close_dataset = nullptr;
    decltype(&H5Dget_space) dataset_space = nullptr;
    decltype(&H5Dget_type) dataset_type = nullptr;
    decltype(&H5Dget_create_plist) dataset_properties = nullptr;
    decltype(&H5Dget_chunk_storage_size) chunk_storage_size = nullptr;
    decltype(&H5Dread_chunk) read_chunk = nullptr;
    decltype(&H5Dread) read_dataset = nullptr;
    decltype(&H5Sget_simple_extent_ndims) space_rank = nullptr;
    decltype(&H5Sget_simple_extent_dims) space_dims = nullptr;
    decltype(&H5Sget_simple_extent_npoints) space_points = nullptr;
    decltype(&H5Sclose) close_space = nullptr;
    decltype(&H5Tget_class) type_class = nullptr;
    decltype(&H5Tget_size) type_size = nullptr;
    decltype(&H5Tget_order) type_order = nullptr;
    decltype(&H5Tget_sign) type_sign = nullptr;
    decltype(&H5Tclose) close_type = nullptr;
    decltype(&H5Pget_layout) layout = nullptr;
    decltype(&H5Pget_chunk) chunk_dims = nullptr;
    decltype(&H5Pget_nfilters) filter_count = nullptr;
    decltype(&H5Pget_filter2) filter = nullptr;
    // Identifiers the library's macros (H5P_FILE_ACCESS, H5T_NATIVE_DOUBLE...) read from its
    // globals, valid once H5open has run.
    hid_t file_access_class = -1;
    hid_t native_double = -1;
    hid_t u16_little_endian = -1;

    std::string problem;  // why the library is unusable, "" when it is usable

    /// The library, loaded by the first call; the caller holds the lock.
    static const Hdf5& get() {
        static const Hdf5 library;
        return library;
    }

private:
    Hdf5() {
        LoadedLibrary library(FACTSHEET_HDF5_LIBRARY);
        void* const handle = library.handle();
        problem = library.failure();
        if (!handle) return;
        bool all =
            library.find(open, "H5open") && library.find(dont_atexit, "H5dont_atexit") &&
            library.find(set_error_printer, "H5Eset_auto2") && library.find(create_properties, "H5Pcreate") &&
            library.find(close_properties, "H5Pclose") &&
            library.find(set_evict_on_close, "H5Pset_evict_on_close") && library.find(open_file, "H5Fopen") &&
            library.find(close_file, "H5Fclose") && library.find(open_object, "H5Oopen") &&
            library.find(close_object, "H5Oclose") && library.find(open_attribute, "H5Aopen") &&
            library.find(close_attribute, "H5Aclose") && library.find(attribute_space, "H5Aget_space") &&
            library.find(attribute_type, "H5Aget_type") && library.find(read_attribute, "H5Aread") &&
            library.find(open_dataset, "H5Dopen2") && library.find(close_dataset, "H5Dclose") &&
            library.find(dataset_space, "H5Dget_space") && library.find(dataset_type, "H5Dget_type") &&
            library.find(dataset_properties, "H5Dget_create_plist") &&
            library.find(chunk_storage_size, "H5Dget_chunk_storage_size") &&
            library.find(read_chunk, "H5Dread_chunk") && library.find(read_dataset, "H5Dread") &&
            library.find(space_rank, "H5Sget_simple_extent_ndims") &&
            library.find(space_dims, "H5Sget_simple_extent_dims") &&
            library.find(space_points, "H5Sget_simple_extent_npoints") &&
            library.find(close_space, "H5Sclose") && library.find(type_class, "H5Tget_class") &&
            library.find(type_size, "H5Tget_size") && library.find(type_order, "H5Tget_order") &&
            library.find(type_sign, "H5Tget_sign") && library.find(close_type, "H5Tclose") &&
            library.find(layout, "H5Pget_layout") && library.find(chunk_dims, "H5Pget_chunk") &&
            library.find(filter_count, "H5Pget_nfilters") && library.find(filter, "H5Pget_filter2");
        if (!all) {
            problem = library.failure();
            return;
        }
        // The atlas holding the open file is a static of the program, destroyed at exit, when
        // HDF5's own atexit handler may already have shut the library down: its H5Fclose then
        // failed and printed HDF5's error stack. The program closes what it opens; the library
        // needs no cleanup of its own at exit.
        dont_atexit();
        if (open() < 0) {
            problem = "H5open failed";
            return;
        }
        // HDF5 prints its error stack to stderr by default; failures are reported here instead.
        set_error_printer(H5E_DEFAULT, nullptr, nullptr);
        all = global(handle, file_access_class, "H5P_CLS_FILE_ACCESS_ID_g") &&
              global(handle, native_double, "H5T_NATIVE_DOUBLE_g") &&
              global(handle, u16_little_endian, "H5T_STD_U16LE_g");
        if (!all) return;
    }

    bool global(void* handle, hid_t& slot, const char* symbol) {
        const auto* value = static_cast<const hid_t*>(dlsym(handle, symbol));
        if (!value) {
            problem = std::string("it has no variable ") + symbol;
            return false;
        }
        slot = *value;
        return true;
    }
};

/// HDF5 calls are serialised: the library keeps global state and Debian builds it without locks.
std::mutex& library_lock() {
    static std::mutex lock;
    return lock;
}

/// The library, loaded if needed; throws Error when it cannot be. The caller holds the lock.
const Hdf5& library() {
    const Hdf5& h5 = Hdf5::get();
    if (!h5.problem.empty())
        throw Error(SourcePos{FACTSHEET_HDF5_LIBRARY, 0, 0},
                    "cannot load the HDF5 library that reads the map data (" + h5.problem +
                        "); install the libhdf5-dev package");
    return h5;
}

/// An HDF5 identifier, closed however the reading ends.
class Id {
public:
    Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    ~Id() {
        if (id_ >= 0) close_(id_);
    }
    Id(const Id&) = delete;
    Id& operator=(const Id&) = delete;
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

/// A single number stored in an attribute.
double read_number(const Hdf5& h5, hid_t object, const std::string& object_name, const char* name) {
    Id attribute(h5.open_attribute(object, name, H5P_DEFAULT), h5.close_attribute);
    if (!attribute.valid()) throw DataError(object_name + " has no attribute " + std::string(name));
    Id space(h5.attribute_space(attribute.get()), h5.close_space);
    Id type(h5.attribute_type(attribute.get()), h5.close_type);
    if (!space.valid() || !type.valid())
        throw DataError("cannot read attribute " + std::string(name) + " of " + object_name);
    // H5Aread writes every value the attribute holds: one, checked, fits the double.
    const H5T_class_t kind = h5.type_class(type.get());
    if (h5.space_points(space.get()) != 1 || (kind != H5T_FLOAT && kind != H5T_INTEGER))
        throw DataError("attribute " + std::string(name) + " of " + object_name + " is not a number");
    double value = 0;
    if (h5.read_attribute(attribute.get(), h5.native_double, &value) < 0)
        throw DataError("cannot read attribute " + std::string(name) + " of " + object_name);
    return value;
}

// Filters of HDF5's pipeline (H5Zpublic.h) that a netCDF-4 file of 16-bit values may use.
constexpr H5Z_filter_t deflate_filter = H5Z_FILTER_DEFLATE;
constexpr H5Z_filter_t shuffle_filter = H5Z_FILTER_SHUFFLE;
constexpr H5Z_filter_t checksum_filter = H5Z_FILTER_FLETCHER32;  // a checksum after the data, ignored

// H5F_ACC_RDONLY, whose macro calls into the library (H5check_version, H5open), which is not linked.
constexpr unsigned read_only = 0x0000u;

}  // namespace

Hdf5File::Hdf5File(const std::string& path) {
    // The reason a file cannot be opened is clearer from the system than from HDF5's error stack.
    std::error_code ec;
    file_size_ = std::filesystem::file_size(path, ec);
    if (ec) throw DataError(ec.message());
    std::lock_guard<std::mutex> hold(library_lock());
    const Hdf5& h5 = library();
    Id access(h5.create_properties(h5.file_access_class), h5.close_properties);
    if (!access.valid()) throw DataError("HDF5 cannot make file access properties");
    // Each object's metadata leaves HDF5's cache when the object is closed: the atlas reads the
    // attributes of ~500 variables once, and keeping them cached cost about 6 MB.
    h5.set_evict_on_close(access.get(), true);
    file_ = h5.open_file(path.c_str(), read_only, access.get());
    if (file_ < 0) throw DataError("not a netCDF-4 file, or a damaged one");
}

Hdf5File::~Hdf5File() {
    std::lock_guard<std::mutex> hold(library_lock());
    Hdf5::get().close_file(file_);
}

std::vector<double> Hdf5File::attributes(const std::string& object,
                                         const std::vector<const char*>& names) const {
    std::lock_guard<std::mutex> hold(library_lock());
    const Hdf5& h5 = library();
    Id id(h5.open_object(file_, object.c_str(), H5P_DEFAULT), h5.close_object);
    if (!id.valid()) throw DataError("it has no variable " + object);
    std::vector<double> values;
    values.reserve(names.size());
    for (const char* name : names) values.push_back(read_number(h5, id.get(), object, name));
    return values;
}

StoredArray Hdf5File::read_array(const std::string& dataset) const {
    std::lock_guard<std::mutex> hold(library_lock());
    const Hdf5& h5 = library();
    Id set(h5.open_dataset(file_, dataset.c_str(), H5P_DEFAULT), h5.close_dataset);
    if (!set.valid()) throw DataError("it has no variable " + dataset);

    StoredArray array;
    array.name = dataset;
    {
        Id type(h5.dataset_type(set.get()), h5.close_type);
        if (!type.valid() || h5.type_class(type.get()) != H5T_INTEGER || h5.type_size(type.get()) != 2 ||
            h5.type_sign(type.get()) != H5T_SGN_NONE)
            throw DataError(dataset + " does not hold 16-bit unsigned integers");
        const H5T_order_t order = h5.type_order(type.get());
        if (order != H5T_ORDER_LE && order != H5T_ORDER_BE)
            throw DataError(dataset + " has values of an unknown byte order");
        array.big_endian = order == H5T_ORDER_BE;
    }
    {
        Id space(h5.dataset_space(set.get()), h5.close_space);
        hsize_t length = 0;
        if (!space.valid() || h5.space_rank(space.get()) != 1 ||
            h5.space_dims(space.get(), &length, nullptr) != 1)
            throw DataError(dataset + " is not a one-dimensional variable");
        array.length = static_cast<std::size_t>(length);
    }
    if (array.length == 0) return array;

    Id properties(h5.dataset_properties(set.get()), h5.close_properties);
    if (!properties.valid()) throw DataError("cannot read how " + dataset + " is stored");
    if (h5.layout(properties.get()) != H5D_CHUNKED) {
        // Contiguous or compact: read as it is, with HDF5 converting to little-endian.
        if (array.length > file_size_ / 2)
            throw DataError(dataset + " claims more values than the file holds");
        StoredChunk whole;
        whole.bytes.resize(array.length * 2);
        if (h5.read_dataset(set.get(), h5.u16_little_endian, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                            whole.bytes.data()) < 0)
            throw DataError("cannot read " + dataset);
        array.chunk_length = array.length;
        array.big_endian = false;
        array.chunks.push_back(std::move(whole));
        return array;
    }

    hsize_t chunk_length = 0;
    if (h5.chunk_dims(properties.get(), 1, &chunk_length) != 1 || chunk_length == 0)
        throw DataError(dataset + " has a chunk shape this program cannot read");
    array.chunk_length = static_cast<std::size_t>(chunk_length);
    // Each chunk takes a byte of the file at least: more is a damaged file, not a big country.
    if ((array.length - 1) / array.chunk_length >= file_size_)
        throw DataError(dataset + " claims more values than the file holds");
    std::vector<H5Z_filter_t> filters;
    const int filter_count = h5.filter_count(properties.get());
    for (int i = 0; i < filter_count; ++i) {
        unsigned flags = 0;
        std::size_t values = 0;
        unsigned config = 0;
        const H5Z_filter_t id = h5.filter(properties.get(), static_cast<unsigned>(i), &flags, &values,
                                          nullptr, 0, nullptr, &config);
        if (id != deflate_filter && id != shuffle_filter && id != checksum_filter)
            throw DataError(dataset + " is compressed with a filter this program cannot read (HDF5 filter " +
                            std::to_string(id) + ")");
        filters.push_back(id);
    }
    // Writing applies the filters in order; reading undoes them in reverse, so deflate must come
    // after shuffle for the decoder's order (inflate, then unshuffle) to be right.
    const auto at = [&](H5Z_filter_t id) { return std::find(filters.begin(), filters.end(), id); };
    if (at(shuffle_filter) != filters.end() && at(deflate_filter) != filters.end() &&
        at(shuffle_filter) > at(deflate_filter))
        throw DataError(dataset + " is shuffled after being compressed, which this program cannot read");

    for (std::size_t first = 0; first < array.length; first += array.chunk_length) {
        const hsize_t offset = first;
        hsize_t size = 0;
        if (h5.chunk_storage_size(set.get(), &offset, &size) < 0 || size == 0 || size > file_size_)
            throw DataError(dataset + " has a missing or damaged chunk");
        StoredChunk chunk;
        chunk.first = first;
        chunk.bytes.resize(static_cast<std::size_t>(size));
        std::uint32_t skipped = 0;  // bit i set: filter i was not applied to this chunk
        if (h5.read_chunk(set.get(), H5P_DEFAULT, &offset, &skipped, chunk.bytes.data()) < 0)
            throw DataError("cannot read " + dataset);
        for (std::size_t i = 0; i < filters.size(); ++i) {
            if (skipped & (1u << i)) continue;
            if (filters[i] == shuffle_filter) chunk.shuffled = true;
            if (filters[i] == deflate_filter) chunk.deflated = true;
        }
        array.chunks.push_back(std::move(chunk));
    }
    return array;
}

}  // namespace factsheet::map_detail
