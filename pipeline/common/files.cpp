#include "common/files.hpp"

#include <fcntl.h>
#include <libdeflate.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace factsheet {

namespace {

// What a file that is not regular is, for messages.
std::string_view file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

void check_stat(const struct stat& info, std::size_t max_bytes, const FileErrors& errors) {
    if (!S_ISREG(info.st_mode)) throw errors.not_regular(file_kind(info.st_mode));
    if (static_cast<std::uintmax_t>(info.st_size) > max_bytes)
        throw errors.too_large(static_cast<std::size_t>(info.st_size));
}

// A limit as messages give it: "1048576 bytes (1 MiB)", "1073741824 bytes (1 GiB)".
std::string limit_text(std::size_t max_bytes) {
    std::string limit = std::to_string(max_bytes) + " bytes";
    constexpr std::size_t mib = 1024 * 1024, gib = 1024 * mib;
    if (max_bytes % gib == 0)
        limit += " (" + std::to_string(max_bytes / gib) + " GiB)";
    else if (max_bytes % mib == 0)
        limit += " (" + std::to_string(max_bytes / mib) + " MiB)";
    return limit;
}

}  // namespace

FileErrors layout_file_errors(const std::string& path, const std::string& what, std::size_t max_bytes,
                              std::function<Error(int error_number)> cannot_read) {
    std::string limit = limit_text(max_bytes);
    return FileErrors{
        [path, what, limit](std::size_t size) {
            return Error(SourcePos{path, 0, 0}, what + " is " + std::to_string(size) +
                                                    " bytes; it may hold at most " + limit +
                                                    ": check that this is the right file");
        },
        [path, what](std::string_view kind) {
            return Error(SourcePos{path, 0, 0},
                         what + " is " + std::string(kind) + ", not a regular file: give the path of a file");
        },
        std::move(cannot_read)};
}

void check_regular_file(const std::string& path, std::size_t max_bytes, const FileErrors& errors) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) throw errors.cannot_read(errno);
    check_stat(info, max_bytes, errors);
}

namespace {

// A regular file opened for reading, closed with it; throws as read_regular_file does.
class OpenedFile {
public:
    OpenedFile(const std::string& path, std::size_t max_bytes, const FileErrors& errors)
        : max_bytes_(max_bytes), errors_(errors) {
        // stat first, so that a device is refused without being opened (opening some does something).
        check_regular_file(path, max_bytes, errors);
        // O_NONBLOCK: were the file swapped for a FIFO since stat, opening it must not wait for a
        // writer; fstat then tells what was opened.
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd_ < 0) throw errors.cannot_read(errno);
        struct stat info {};
        if (::fstat(fd_, &info) != 0) {
            int e = errno;
            ::close(fd_);
            throw errors.cannot_read(e);
        }
        try {
            check_stat(info, max_bytes, errors);
        } catch (...) {
            ::close(fd_);
            throw;
        }
        size_ = static_cast<std::size_t>(info.st_size);
    }
    OpenedFile(const OpenedFile&) = delete;
    OpenedFile& operator=(const OpenedFile&) = delete;
    ~OpenedFile() { ::close(fd_); }

    /// The size fstat gave when the file was opened.
    std::size_t size() const { return size_; }

    /// The open file's descriptor, closed with this object.
    int fd() const { return fd_; }

    /// Reads to the end, handing each piece read to `take`.
    template <typename Take>
    void read(Take&& take) {
        std::size_t total = 0;
        char buffer[65536];
        for (;;) {
            ssize_t n = ::read(fd_, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw errors_.cannot_read(errno);
            if (n == 0) break;
            total += static_cast<std::size_t>(n);
            if (total > max_bytes_) throw errors_.too_large(total);  // it grew while read
            take(std::string_view(buffer, static_cast<std::size_t>(n)));
        }
    }

private:
    int fd_ = -1;
    std::size_t size_ = 0;
    std::size_t max_bytes_;
    const FileErrors& errors_;
};

}  // namespace

std::string read_regular_file(const std::string& path, std::size_t max_bytes, const FileErrors& errors) {
    OpenedFile file(path, max_bytes, errors);
    std::string out;
    out.reserve(file.size());
    file.read([&](std::string_view piece) { out.append(piece); });
    return out;
}

void read_regular_file(const std::string& path, std::size_t max_bytes, const FileErrors& errors,
                       const std::function<void(std::string_view piece)>& take) {
    OpenedFile file(path, max_bytes, errors);
    file.read(take);
}

MappedFile::MappedFile(const std::string& path, std::size_t max_bytes, const FileErrors& errors) {
    OpenedFile file(path, max_bytes, errors);
    if (file.size() == 0) return;  // nothing to map (mmap refuses a length of 0)
    void* data = ::mmap(nullptr, file.size(), PROT_READ, MAP_PRIVATE, file.fd(), 0);
    if (data == MAP_FAILED) throw errors.cannot_read(errno);
    data_ = data;
    size_ = file.size();
}

MappedFile::~MappedFile() {
    if (data_) ::munmap(data_, size_);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        if (data_) ::munmap(data_, size_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

namespace {

FileErrors whole_file_errors(const std::string& path) {
    auto at = [path](const std::string& message) {
        return Error(SourcePos{path, 0, 0}, "cannot read: " + message);
    };
    return FileErrors{
        [at](std::size_t size) {
            return at("it is " + std::to_string(size) + " bytes, more than the " +
                      limit_text(max_whole_file_bytes) + " the program reads of a file");
        },
        [at](std::string_view kind) { return at("it is " + std::string(kind) + ", not a regular file"); },
        [at](int e) { return at(std::strerror(e)); }};
}

}  // namespace

std::string read_whole_file(const std::string& path) {
    return read_regular_file(path, max_whole_file_bytes, whole_file_errors(path));
}

void read_whole_file(const std::string& path, const std::function<void(std::string_view piece)>& take) {
    read_regular_file(path, max_whole_file_bytes, whole_file_errors(path), take);
}

namespace {

// Each folder is swept once per process, before its first write.
void sweep_once(const std::string& folder) {
    static std::mutex mutex;
    static std::set<std::string> swept;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (!swept.insert(folder).second) return;
    }
    remove_stale_temporaries(folder);
}

}  // namespace

bool is_temporary_name(const std::string& name) {
    constexpr std::string_view infix = ".tmp-";
    if (name.size() < 1 + infix.size() + 6 || name[0] != '.') return false;
    std::size_t at = name.size() - 6 - infix.size();
    if (name.compare(at, infix.size(), infix) != 0) return false;
    for (std::size_t i = name.size() - 6; i < name.size(); ++i)
        if (!std::isalnum(static_cast<unsigned char>(name[i]))) return false;
    return true;
}

int create_temporary(const std::string& path, std::string& tmp) {
    std::filesystem::path target(path);
    std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
    for (;;) {
        tmp = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
        int fd = ::mkstemp(tmp.data());
        if (fd < 0)
            throw Error(SourcePos{path, 0, 0}, std::string("cannot write: ") + std::strerror(errno) +
                                                   ": check that the folder exists and is writable");
        // Locked at once. A sweep that locked it first has removed it, or is about to: that shows
        // as a lock refused or as no link left, and the write starts again under a new name.
        struct stat info {};
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && ::fstat(fd, &info) == 0 && info.st_nlink > 0) return fd;
        ::close(fd);
    }
}

std::size_t remove_stale_temporaries(const std::string& folder) {
    std::size_t removed = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!is_temporary_name(name)) continue;
        std::string path = it->path().string();
        int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) continue;
        struct stat info {};
        // Removed while locked, so a writer that locks it later sees it has no link left.
        if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            ::unlink(path.c_str()) == 0)
            ++removed;
        ::close(fd);
    }
    return removed;
}

namespace {

[[noreturn]] void fail_write(const std::string& path, const char* what, int error_number) {
    throw Error(SourcePos{path, 0, 0}, std::string(what) + std::strerror(error_number));
}

// A file written beside its target under a temporary name (create_temporary), flushed to disk and
// still open and locked: what is left is to rename it over the target, then close it.
struct Staged {
    std::string target;
    std::string tmp;
    int fd = -1;
};

// Gives up a staged file: closed and removed.
void discard(Staged& s) {
    if (s.fd >= 0) ::close(s.fd);
    s.fd = -1;
    ::unlink(s.tmp.c_str());
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail_write(path, "cannot write: ", errno);
        }
        done += static_cast<std::size_t>(n);
    }
}

// A written file gets the mode of the files the program makes, which its temporary file had not.
void make_readable(int fd, const std::string& path) {
    if (::fchmod(fd, 0644) != 0) fail_write(path, "cannot set permissions: ", errno);
}

void flush_file(int fd, const std::string& path) {
    make_readable(fd, path);
    if (::fsync(fd) != 0) fail_write(path, "cannot flush to disk: ", errno);
}

// The folder a file is written in.
std::string folder_of(const std::string& path) {
    std::filesystem::path target(path);
    return target.has_parent_path() ? target.parent_path().string() : ".";
}

// Whether a staged file is flushed to disk as soon as it is written, or left for the caller to
// flush with others.
enum class Flush { now, later };

// Writes `path`'s temporary file: `fill(fd)` writes its bytes, then it is flushed to disk (or
// left for the caller to flush).
template <typename Fill>
Staged stage(const std::string& path, Fill&& fill, Flush flush = Flush::now) {
    sweep_once(folder_of(path));
    Staged staged{path, {}, -1};
    staged.fd = create_temporary(path, staged.tmp);
    try {
        fill(staged.fd);
        if (flush == Flush::now)
            flush_file(staged.fd, path);
        else
            make_readable(staged.fd, path);
    } catch (...) {
        discard(staged);
        throw;
    }
    return staged;
}

// Renames staged files over their targets (see below). Their folders are then flushed, or, given
// `folders`, added to it for the caller to flush.
void install(std::vector<Staged>& staged, std::vector<std::string>* folders = nullptr);

}  // namespace

void write_flushed(int fd, std::string_view bytes, const std::string& path) {
    write_all(fd, bytes, path);
    flush_file(fd, path);
}

void sync_folder(const std::string& folder) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == EACCES) return;
        fail_write(folder, "cannot open the folder: ", errno);
    }
    int rc = ::fsync(fd);
    int e = errno;
    ::close(fd);
    if (rc != 0 && e != EINVAL) fail_write(folder, "cannot flush the folder to disk: ", e);
}

void write_files_atomic(const std::vector<FileContent>& files) {
    std::vector<Staged> staged;
    try {
        for (const FileContent& f : files)
            staged.push_back(stage(f.path, [&](int fd) { write_all(fd, f.bytes, f.path); }));
    } catch (...) {
        for (Staged& s : staged) discard(s);
        throw;
    }
    install(staged);
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
    write_files_atomic({{path, bytes}});
}

void write_file_atomic(const std::string& path,
                       const std::function<void(const std::function<void(std::string_view)>& put)>& produce) {
    std::vector<Staged> staged;
    staged.push_back(stage(path, [&](int fd) {
        // Pieces are gathered into writes of some 64 KiB: the producer may hand over a line at a time.
        std::string buffer;
        buffer.reserve(std::size_t{1} << 16);
        produce([&](std::string_view piece) {
            if (buffer.size() + piece.size() > buffer.capacity()) {
                write_all(fd, buffer, path);
                buffer.clear();
            }
            if (piece.size() >= buffer.capacity())
                write_all(fd, piece, path);
            else
                buffer.append(piece);
        });
        write_all(fd, buffer, path);
    }));
    install(staged);
}

struct FileGroups::Pending {
    std::vector<std::vector<Staged>> groups;
};

FileGroups::FileGroups() : pending_(std::make_unique<Pending>()) {}

FileGroups::~FileGroups() {
    for (std::vector<Staged>& group : pending_->groups)
        for (Staged& s : group)
            if (s.fd >= 0) discard(s);
}

std::size_t FileGroups::pending() const {
    return pending_->groups.size();
}

std::optional<Error> FileGroups::add(const std::vector<FileContent>& files) {
    std::vector<Staged> group;
    try {
        for (const FileContent& f : files)
            group.push_back(stage(
                f.path, [&](int fd) { write_all(fd, f.bytes, f.path); }, Flush::later));
        pending_->groups.push_back(std::move(group));
    } catch (const Error& error) {
        for (Staged& s : group) discard(s);
        return error;
    } catch (...) {
        for (Staged& s : group) discard(s);
        throw;
    }
    return std::nullopt;
}

std::vector<std::optional<Error>> FileGroups::commit() {
    std::vector<std::vector<Staged>>& staged = pending_->groups;
    std::vector<std::optional<Error>> errors(staged.size());
    auto fail = [&](std::size_t g, const Error& error) {
        for (Staged& s : staged[g]) discard(s);
        staged[g].clear();
        if (!errors[g]) errors[g] = error;
    };
    // Each filesystem flushed once. Where that fails, each file is flushed on its own, so that the
    // error falls on the groups whose files fail and not on the others.
    std::map<dev_t, int> filesystems;  // a file open on each
    for (const std::vector<Staged>& group : staged)
        for (const Staged& s : group) {
            struct stat info {};
            if (::fstat(s.fd, &info) == 0) filesystems.emplace(info.st_dev, s.fd);
        }
    std::set<dev_t> unflushed;
    for (const auto& [device, fd] : filesystems)
        if (::syncfs(fd) != 0) unflushed.insert(device);
    for (std::size_t g = 0; g < staged.size() && !unflushed.empty(); ++g) {
        try {
            for (const Staged& s : staged[g]) {
                struct stat info {};
                if (::fstat(s.fd, &info) != 0 || unflushed.count(info.st_dev) > 0) flush_file(s.fd, s.target);
            }
        } catch (const Error& error) {
            fail(g, error);
        }
    }
    std::vector<std::string> folders;
    std::vector<std::vector<std::string>> folders_of(staged.size());
    for (std::size_t g = 0; g < staged.size(); ++g) {
        if (staged[g].empty()) continue;
        try {
            install(staged[g], &folders_of[g]);
        } catch (const Error& error) {
            errors[g] = error;
            continue;
        }
        for (const std::string& folder : folders_of[g])
            if (std::find(folders.begin(), folders.end(), folder) == folders.end()) folders.push_back(folder);
    }
    staged.clear();  // installed, or given up (install leaves no temporary file when it fails)
    for (const std::string& folder : folders) {
        try {
            sync_folder(folder);
        } catch (const Error& error) {
            for (std::size_t g = 0; g < errors.size(); ++g)
                if (!errors[g] &&
                    std::find(folders_of[g].begin(), folders_of[g].end(), folder) != folders_of[g].end())
                    errors[g] = error;
        }
    }
    return errors;
}

namespace {

// Renames staged files over their targets, all or none, then closes them and flushes their
// folders; on failure no target has changed and no temporary file is left.
void install(std::vector<Staged>& staged, std::vector<std::string>* folders_out) {
    // Each target that exists is kept under a second name until every rename has been done, to be
    // put back if one fails: then no target changes. The second name is of the temporary pattern,
    // so what a run killed meanwhile leaves, a later sweep removes.
    std::vector<std::string> kept(staged.size());
    auto put_back = [&](std::size_t renamed) {
        for (std::size_t j = 0; j < renamed; ++j) {
            if (kept[j].empty())
                ::unlink(staged[j].target.c_str());
            else
                ::rename(kept[j].c_str(), staged[j].target.c_str());
        }
        for (std::size_t j = renamed; j < staged.size(); ++j)
            if (!kept[j].empty()) ::unlink(kept[j].c_str());
    };
    auto give_up = [&](std::size_t renamed, const std::string& path, int error_number) {
        put_back(renamed);
        for (std::size_t j = 0; j < staged.size(); ++j) {
            if (j < renamed) {
                ::close(staged[j].fd);  // its name is the target's again, or gone
                staged[j].fd = -1;
            } else {
                discard(staged[j]);
            }
        }
        fail_write(path, "cannot write: ", error_number);
    };
    if (staged.size() > 1) {
        for (std::size_t i = 0; i < staged.size(); ++i) {
            // The temporary file's name with its first random letter changed.
            std::string keep = staged[i].tmp;
            char& letter = keep[keep.size() - 6];
            letter = letter == 'K' ? 'L' : 'K';
            if (::link(staged[i].target.c_str(), keep.c_str()) == 0)
                kept[i] = keep;
            else if (errno != ENOENT)
                give_up(0, staged[i].target, errno);
        }
    }
    // Renamed while still open and locked: a sweep never takes a file that is about to get its name.
    for (std::size_t i = 0; i < staged.size(); ++i)
        if (::rename(staged[i].tmp.c_str(), staged[i].target.c_str()) != 0)
            give_up(i, staged[i].target, errno);
    for (const std::string& k : kept)
        if (!k.empty()) ::unlink(k.c_str());
    std::vector<std::string> folders;
    for (Staged& s : staged) {
        if (::close(s.fd) != 0) fail_write(s.target, "cannot write: ", errno);
        s.fd = -1;
        std::string folder = folder_of(s.target);
        if (std::find(folders.begin(), folders.end(), folder) == folders.end()) folders.push_back(folder);
    }
    if (folders_out) {
        *folders_out = std::move(folders);
        return;
    }
    for (const std::string& folder : folders) sync_folder(folder);
}

}  // namespace

std::string default_cache_folder() {
    if (const char* chosen = std::getenv("FACTSHEET_CACHE_DIR")) return chosen;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/')
        return std::string(xdg) + "/factsheet";
    if (const char* home = std::getenv("HOME"); home && *home == '/')
        return std::string(home) + "/.cache/factsheet";
    return {};
}

std::size_t prune_cache_folder(const std::string& folder, std::chrono::seconds max_age) {
    std::size_t removed = 0;
    std::error_code ec;
    const auto oldest = std::filesystem::file_time_type::clock::now() - max_age;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code entry_ec;
        if (!it->is_regular_file(entry_ec) || is_temporary_name(it->path().filename().string())) continue;
        const auto modified = it->last_write_time(entry_ec);
        if (entry_ec || modified >= oldest) continue;
        if (std::filesystem::remove(it->path(), entry_ec)) ++removed;
    }
    return removed;
}

namespace {

// The first time this process writes into a folder of the cache, removes the entries there older
// than cache_entry_lifetime.
void prune_once(const std::string& folder) {
    static std::mutex mutex;
    static std::set<std::string> pruned;  // the folders this process pruned
    bool first = false;
    {
        std::lock_guard<std::mutex> lock(mutex);
        first = pruned.insert(folder).second;
    }
    if (first) prune_cache_folder(folder, cache_entry_lifetime);
}

}  // namespace

void write_cache_entry(const std::string& path, std::string_view bytes) {
    const std::string folder = std::filesystem::path(path).parent_path().string();
    try {
        std::error_code ec;
        std::filesystem::create_directories(folder, ec);
        prune_once(folder);
        write_file_atomic(path, [&](const std::function<void(std::string_view)>& put) { put(bytes); });
    } catch (...) {
        // A cache that cannot be written (read-only home, full disk) only saves no time.
    }
}

void write_checked_cache_entry(const std::string& path, std::string_view key, std::string_view body) {
    std::string tmp;
    int fd = -1;
    try {
        const std::string folder = std::filesystem::path(path).parent_path().string();
        std::error_code ec;
        std::filesystem::create_directories(folder, ec);
        prune_once(folder);
        sweep_once(folder);  // the temporary files of writes a killed run left
        const std::uint32_t crc = libdeflate_crc32(0, body.data(), body.size());
        char crc_bytes[sizeof crc];
        std::memcpy(crc_bytes, &crc, sizeof crc);
        fd = create_temporary(path, tmp);
        for (std::string_view piece : {key, body, std::string_view(crc_bytes, sizeof crc_bytes)})
            write_all(fd, piece, path);
        make_readable(fd, path);
        ::close(fd);
        fd = -1;
        if (::rename(tmp.c_str(), path.c_str()) != 0) ::unlink(tmp.c_str());
    } catch (...) {
        // A cache that cannot be written (read-only home, full disk) only saves no time.
        if (fd >= 0) {
            ::close(fd);
            ::unlink(tmp.c_str());
        }
    }
}

std::optional<CheckedEntry> read_checked_cache_entry(const std::string& path, std::string_view key,
                                                     std::size_t max_bytes) {
    try {
        auto none = [&](auto&&...) { return Error(SourcePos{path, 0, 0}, "not a cache entry"); };
        MappedFile file(path, max_bytes, FileErrors{none, none, none});
        const std::string_view bytes = file.bytes();
        std::uint32_t crc = 0;
        if (bytes.size() < key.size() + sizeof crc || bytes.substr(0, key.size()) != key) return std::nullopt;
        const std::string_view body = bytes.substr(key.size(), bytes.size() - key.size() - sizeof crc);
        std::memcpy(&crc, body.data() + body.size(), sizeof crc);
        if (crc != libdeflate_crc32(0, body.data(), body.size())) return std::nullopt;
        touch_cache_entry(path);
        return CheckedEntry(std::move(file), body);
    } catch (const Error&) {
        return std::nullopt;  // none yet, or not one to read
    }
}

void touch_cache_entry(const std::string& path) {
    ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // a failure only lets the entry age
}

std::string file_identity(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return {};
    return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) + ":" +
           std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
           std::to_string(info.st_mtim.tv_nsec);
}

}  // namespace factsheet
