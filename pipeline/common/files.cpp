#include "common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.hpp"

namespace factsheet {

std::string read_whole_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(SourcePos{path, 0, 0}, std::string("cannot read: ") + std::strerror(errno));
    std::string out;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            ::close(fd);
            throw Error(SourcePos{path, 0, 0}, std::string("cannot read: ") + std::strerror(e));
        }
        if (n == 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
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
