// Files of the archive on disk: the folder lock and writes that never expose a partial file, by
// the program's one durability rule (common/files.hpp). Private to the archive stage.
#pragma once

#include <string>

namespace factsheet::archive_disk {

/// An exclusive lock on the archive folder (flock on <dir>/.lock), released when destroyed or
/// when the process dies. Every change to the archive holds it.
class FolderLock {
public:
    /// Creates the folder when needed and waits for the lock.
    explicit FolderLock(const std::string& dir);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int fd_ = -1;
};

/// Writes a new file that must not exist yet: the bytes go to an unnamed file in the same folder
/// (O_TMPFILE), are flushed to disk, then get their name with link(), which fails rather than
/// replace. Returns false, writing nothing, when the name is taken; throws Error on I/O failure.
bool write_new_file(const std::string& path, const std::string& bytes);

/// Replaces a file atomically (a complete temporary copy renamed over it). Only under FolderLock:
/// the temporary name ".<name>.new" is fixed.
void replace_file(const std::string& path, const std::string& bytes);

}  // namespace factsheet::archive_disk
