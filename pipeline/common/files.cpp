#include "common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

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

[[noreturn]] void fail_write(const std::string& path, const char* what, int error_number) {
    throw Error(SourcePos{path, 0, 0}, std::string(what) + std::strerror(error_number));
}

// A file written beside its target under a hidden temporary name, flushed to disk: what is left
// is to rename it over the target. Removed when given up.
struct Staged {
    std::string target;
    std::string tmp;
};

Staged stage(const std::string& path, std::string_view bytes) {
    std::filesystem::path target(path);
    std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
    Staged staged{path, (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string()};
    int fd = ::mkstemp(staged.tmp.data());
    if (fd < 0)
        throw Error(SourcePos{path, 0, 0}, std::string("cannot write: ") + std::strerror(errno) +
                                               ": check that the folder exists and is writable");
    auto fail = [&](const char* what) {
        int e = errno;
        ::close(fd);
        ::unlink(staged.tmp.c_str());
        fail_write(path, what, e);
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
        ::unlink(staged.tmp.c_str());
        fail_write(path, "cannot write: ", e);
    }
    return staged;
}

// Flushes a folder's entries (the renames into it) to disk; a folder that cannot be opened for it
// (some file systems) is left to the system.
void sync_folder(const std::string& path) {
    std::filesystem::path target(path);
    std::string folder = target.has_parent_path() ? target.parent_path().string() : ".";
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void write_files_atomic(const std::vector<FileContent>& files) {
    std::vector<Staged> staged;
    auto remove_staged = [&] {
        for (const Staged& s : staged) ::unlink(s.tmp.c_str());
    };
    try {
        for (const FileContent& f : files) staged.push_back(stage(f.path, f.bytes));
    } catch (...) {
        remove_staged();
        throw;
    }
    // Each target that exists is kept under a second name until every rename has been done, to be
    // put back if one fails: then no target changes.
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
    if (staged.size() > 1) {
        for (std::size_t i = 0; i < staged.size(); ++i) {
            std::string keep = staged[i].tmp + ".old";
            if (::link(staged[i].target.c_str(), keep.c_str()) == 0)
                kept[i] = keep;
            else if (errno != ENOENT) {
                int e = errno;
                put_back(0);
                remove_staged();
                fail_write(staged[i].target, "cannot write: ", e);
            }
        }
    }
    for (std::size_t i = 0; i < staged.size(); ++i) {
        if (::rename(staged[i].tmp.c_str(), staged[i].target.c_str()) != 0) {
            int e = errno;
            put_back(i);
            for (std::size_t j = i; j < staged.size(); ++j) ::unlink(staged[j].tmp.c_str());
            fail_write(staged[i].target, "cannot write: ", e);
        }
    }
    for (const std::string& k : kept)
        if (!k.empty()) ::unlink(k.c_str());
    std::vector<std::string> folders;
    for (const Staged& s : staged) {
        std::string folder = std::filesystem::path(s.target).parent_path().string();
        if (std::find(folders.begin(), folders.end(), folder) == folders.end()) {
            folders.push_back(folder);
            sync_folder(s.target);
        }
    }
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
    write_files_atomic({{path, bytes}});
}

}  // namespace factsheet
