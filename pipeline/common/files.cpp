#include "common/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>

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

std::string read_whole_file(const std::string& path) {
    auto cannot_read = [&](int e) {
        return Error(SourcePos{path, 0, 0}, std::string("cannot read: ") + std::strerror(e));
    };
    return read_capped_file(
        path, static_cast<std::size_t>(-1), [&](std::size_t) { return cannot_read(EFBIG); }, cannot_read);
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

void write_file_atomic(const std::string& path, const std::string& bytes) {
    std::filesystem::path target(path);
    sweep_once(target.has_parent_path() ? target.parent_path().string() : ".");
    std::string tmp;
    int fd = create_temporary(path, tmp);
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
    // Renamed while still open and locked: a sweep never takes a file that is about to get its name.
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot write: ");
    if (::close(fd) != 0)
        throw Error(SourcePos{path, 0, 0}, std::string("cannot write: ") + std::strerror(errno));
}

}  // namespace factsheet
