#include "archive/disk.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.hpp"
#include "common/files.hpp"

namespace factsheet::archive_disk {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int error) {
    throw Error(SourcePos{path, 0, 0}, what + ": " + std::strerror(error));
}

std::string folder_of(const std::string& path) {
    std::filesystem::path p(path);
    return p.has_parent_path() ? p.parent_path().string() : std::string(".");
}

// A file with the bytes, flushed, under no name yet; -1 when the file system has no O_TMPFILE.
int unnamed_file(const std::string& folder, const std::string& path, const std::string& bytes) {
    int fd = ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) return -1;
        fail(path, "cannot write", errno);
    }
    try {
        write_flushed(fd, bytes, path);
    } catch (...) {
        ::close(fd);
        throw;
    }
    return fd;
}

}  // namespace

FolderLock::FolderLock(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(SourcePos{dir, 0, 0}, "cannot create the archive folder: " + ec.message());
    std::string path = dir + "/.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) fail(path, "cannot open the archive lock", errno);
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        int e = errno;
        ::close(fd_);
        fail(path, "cannot lock the archive", e);
    }
}

FolderLock::~FolderLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

bool write_new_file(const std::string& path, const std::string& bytes) {
    std::string folder = folder_of(path);
    int fd = unnamed_file(folder, path, bytes);
    if (fd >= 0) {
        std::string proc = "/proc/self/fd/" + std::to_string(fd);
        int rc = ::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW);
        int e = errno;
        ::close(fd);
        if (rc != 0) {
            if (e == EEXIST) return false;
            fail(path, "cannot write", e);
        }
        sync_folder(folder);
        return true;
    }
    // No O_TMPFILE here: a named temporary file, complete and flushed before link() names it. Its
    // name and lock are the program's own (common/files), so a killed run's is swept like any other.
    remove_stale_temporaries(folder);
    std::string tmp;
    fd = create_temporary(path, tmp);
    try {
        write_flushed(fd, bytes, path);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    int rc = ::link(tmp.c_str(), path.c_str());
    int e = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) {
        if (e == EEXIST) return false;
        fail(path, "cannot write", e);
    }
    sync_folder(folder);
    return true;
}

void replace_file(const std::string& path, const std::string& bytes) {
    std::filesystem::path target(path);
    std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".new")).string();
    ::unlink(tmp.c_str());  // a copy left by a run that was stopped; we hold the lock
    if (!write_new_file(tmp, bytes)) fail(tmp, "cannot write", EEXIST);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        fail(path, "cannot write", e);
    }
    sync_folder(folder_of(path));
}

}  // namespace factsheet::archive_disk
