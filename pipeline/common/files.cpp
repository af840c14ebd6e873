#include "common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.hpp"

namespace factsheet {

std::string read_capped_file(const std::string& path, std::size_t max_bytes,
                             const std::function<Error(std::size_t size)>& too_large,
                             const std::function<Error(int error_number)>& cannot_read) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw cannot_read(errno);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) == 0) {
        if (S_ISDIR(info.st_mode)) throw cannot_read(EISDIR);
        if (S_ISREG(info.st_mode) && static_cast<std::uintmax_t>(info.st_size) > max_bytes)
            throw too_large(static_cast<std::size_t>(info.st_size));
    }
    std::string out;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw cannot_read(errno);
        if (n == 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
        if (out.size() > max_bytes) throw too_large(out.size());
    }
    return out;
}

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

}  // namespace

FileErrors layout_file_errors(const std::string& path, const std::string& what, std::size_t max_bytes,
                              std::function<Error(int error_number)> cannot_read) {
    std::string limit = std::to_string(max_bytes) + " bytes";
    if (max_bytes % (1024 * 1024) == 0) limit += " (" + std::to_string(max_bytes / (1024 * 1024)) + " MiB)";
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

std::string read_regular_file(const std::string& path, std::size_t max_bytes, const FileErrors& errors) {
    check_regular_file(path, max_bytes, errors);
    // O_NONBLOCK: were the file swapped for a FIFO since stat, opening it must not wait for a writer.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw errors.cannot_read(errno);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw errors.cannot_read(errno);
    check_stat(info, max_bytes, errors);
    std::string out;
    out.reserve(static_cast<std::size_t>(info.st_size));
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw errors.cannot_read(errno);
        if (n == 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
        if (out.size() > max_bytes) throw errors.too_large(out.size());  // it grew while read
    }
    return out;
}

std::string read_whole_file(const std::string& path) {
    auto cannot_read = [&](int e) {
        return Error(SourcePos{path, 0, 0}, std::string("cannot read: ") + std::strerror(e));
    };
    return read_capped_file(
        path, static_cast<std::size_t>(-1), [&](std::size_t) { return cannot_read(EFBIG); }, cannot_read);
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
    std::filesystem::path target(path);
    std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
    std::string tmp = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    int fd = ::mkstemp(tmp.data());
    if (fd < 0)
        throw Error(SourcePos{path, 0, 0}, std::string("cannot write: ") + std::strerror(errno) +
                                               ": check that the folder exists and is writable");
    auto fail = [&](const char* what) {
        int e = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(SourcePos{path, 0, 0}, std::string(what) + std::strerror(e));
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write: ");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0) fail("cannot set permissions: ");
    if (::fsync(fd) != 0) fail("cannot flush to disk: ");
    if (::close(fd) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        throw Error(SourcePos{path, 0, 0}, std::string("cannot write: ") + std::strerror(e));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        throw Error(SourcePos{path, 0, 0}, std::string("cannot write: ") + std::strerror(e));
    }
}

}  // namespace factsheet
