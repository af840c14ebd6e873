// Reading and writing whole files. Every write is atomic: the file appears whole or not at all.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace factsheet {

/// What a reader says when a file is not one it can read; each makes the Error thrown.
struct FileErrors {
    std::function<Error(std::size_t size)> too_large;
    std::function<Error(std::string_view kind)> not_regular;  // kind: "a folder", "a FIFO", "a device"...
    std::function<Error(int error_number)> cannot_read;
};

/// Reads a whole regular file of at most `max_bytes`, and nothing else: a folder, a FIFO, a device
/// (/dev/zero) or a socket is refused before anything is read (stat first, then fstat on the file
/// opened with O_NONBLOCK, so that neither a FIFO nor an endless device can make the read wait or
/// run forever), and so is a file larger than `max_bytes` (or one that grows past it while read).
/// The program's one reader of whole files: nothing it reads is meant to come through a pipe.
std::string read_regular_file(const std::string& path, std::size_t max_bytes, const FileErrors& errors);

/// A regular file's bytes mapped into memory, read-only: checked and refused as read_regular_file
/// checks and refuses a file. For a large file read in places (a font program): its pages come
/// from the system's file cache when first read, where reading it would copy every byte into new
/// memory. The file must not shrink while mapped; fonts are mapped so by FreeType too.
class MappedFile {
public:
    MappedFile(const std::string& path, std::size_t max_bytes, const FileErrors& errors);
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    /// The file's bytes as they were when it was mapped (its size then).
    std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

private:
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

/// Reads a file as read_regular_file does, handing its bytes to `take` a piece at a time (64 KiB
/// at most) instead of holding them whole: for a file of megabytes read once, in order.
void read_regular_file(const std::string& path, std::size_t max_bytes, const FileErrors& errors,
                       const std::function<void(std::string_view piece)>& take);

/// The most read_whole_file reads of a file: the largest file the program writes or reads back is
/// a PDF of the archive, of at most 1 GiB (the archive's limit on a PDF it takes, which is checked
/// against this one).
inline constexpr std::size_t max_whole_file_bytes = std::size_t{1} << 30;

/// Reads a whole file that the program wrote itself or that the system provides (the archive's
/// PDFs, settings and pages, the batch's record, the files hashed to tell builds apart, a colour
/// profile): read_regular_file with max_whole_file_bytes. Throws Error naming the file, "cannot
/// read: " and the reason. What a user names (a source, a layout file, an XLIFF, a PDF to archive)
/// is read with read_regular_file and that file's own limit and messages.
std::string read_whole_file(const std::string& path);

/// read_whole_file a piece at a time, as the second read_regular_file reads.
void read_whole_file(const std::string& path, const std::function<void(std::string_view piece)>& take);

/// The errors of a layout file (template, styles, labels, font, image) that `what` names ("the
/// template"): too large for `max_bytes`, not a regular file; `cannot_read` says what to do when
/// it is missing or unreadable.
FileErrors layout_file_errors(const std::string& path, const std::string& what, std::size_t max_bytes,
                              std::function<Error(int error_number)> cannot_read);

/// Checks that `path` is a regular file of at most `max_bytes` without reading it, for files a
/// library opens by itself (FreeType, libhyphen); throws as read_regular_file does.
void check_regular_file(const std::string& path, std::size_t max_bytes, const FileErrors& errors);

// Every write of the program follows one durability rule: the bytes go to a file under no name or
// a temporary one, are flushed to disk (write_flushed), and only then does the file get its name
// (rename, or link for a name that must be new), after which the folder is flushed (sync_folder).
// A crash thus leaves the old file or the new one, whole. (SQLite keeps the catalog by its own.)

/// Writes all of `bytes` to the open file `fd`, makes it readable by all (0644) and flushes it to
/// disk (fsync): a file is complete on disk before it gets its name. Throws Error naming `path`,
/// "cannot write: ", "cannot set permissions: " or "cannot flush to disk: " and the reason.
void write_flushed(int fd, std::string_view bytes, const std::string& path);

/// Flushes a folder's entries (the names just given in it) to disk. A folder that may be written
/// but not read (EACCES) or on a file system that cannot flush folders (EINVAL) is left to the
/// system; any other failure throws Error naming the folder: the file has its name, but it might
/// not survive a crash.
void sync_folder(const std::string& folder);

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk, then
/// renamed over the target, and the folder flushed. On failure the target is untouched and the
/// temporary file removed; throws Error naming the path and the reason (e.g. "no space left on
/// device"). The first write into a folder removes the temporary files killed runs left there
/// (remove_stale_temporaries).
void write_file_atomic(const std::string& path, const std::string& bytes);

/// Writes `path` as write_file_atomic does, from the pieces `produce` hands to `put`, in order:
/// a file of megabytes is then never held whole (the batch's record).
void write_file_atomic(
    const std::string& path,
    const std::function<void(const std::function<void(std::string_view piece)>& put)>& produce);

/// A file to write: its path and its bytes (which must outlive the call).
struct FileContent {
    std::string path;
    std::string_view bytes;
};

/// Writes several files as one: each to its temporary file, flushed; only when all are on disk
/// are they renamed over their targets. When any fails, no target changes (a rename failing after
/// others puts back the files those replaced) and no temporary file is left. Throws Error naming
/// the path that failed and the reason. The editions of a source are written so.
void write_files_atomic(const std::vector<FileContent>& files);

/// Groups of files, each written as write_files_atomic writes its files (all replace their
/// targets or none does), with one flush to disk for all the groups added before a commit. A
/// flush costs a request to the disk and a wait for it whatever it holds, and a batch writes
/// thousands of files. add() writes a group's temporary files at once, so that its bytes can be
/// freed while it waits; commit() flushes each filesystem they are on once (syncfs), renames each
/// group over its targets, then flushes each folder once. What was added and not committed is
/// removed when the object goes.
class FileGroups {
public:
    FileGroups();
    ~FileGroups();
    FileGroups(const FileGroups&) = delete;
    FileGroups& operator=(const FileGroups&) = delete;

    /// Writes the temporary files of a group; returns the error that kept it from being written,
    /// or nothing. A group that fails leaves nothing behind, and is not part of the next commit.
    std::optional<Error> add(const std::vector<FileContent>& files);

    /// The groups added since the last commit.
    std::size_t pending() const;

    /// Flushes and renames every group added since the last commit. Returns, for each in the
    /// order added, the error that kept it from being written, or nothing when it was; a group
    /// that fails leaves the others to be written.
    std::vector<std::optional<Error>> commit();

private:
    struct Pending;
    std::unique_ptr<Pending> pending_;
};

/// Creates the temporary file a write of `path` goes through: ".<name>.tmp-XXXXXX" in its folder,
/// mode 0600 until written, locked (flock) while the returned descriptor is open, which is how
/// remove_stale_temporaries tells it from one a killed run left. Stores its path in `tmp`; throws
/// Error naming `path` when it cannot.
int create_temporary(const std::string& path, std::string& tmp);

/// True for a name of create_temporary's pattern: ".<name>.tmp-" and six letters or digits.
bool is_temporary_name(const std::string& name);

/// Removes the files of create_temporary's pattern in `folder` that no open descriptor locks: a
/// run killed while writing left them. Returns how many it removed; never throws.
std::size_t remove_stale_temporaries(const std::string& folder);

/// The folder the program keeps what it can make again between runs (drawn maps, compiled
/// hyphenation dictionaries, fonts' metrics, drawings' compressed content): $FACTSHEET_CACHE_DIR
/// when set (set and empty: none kept), otherwise "factsheet" in $XDG_CACHE_HOME or in ~/.cache;
/// empty when there is no such place.
std::string default_cache_folder();

/// A file as a cache key knows it: which file (device, inode) in which state (size, modification
/// time to the nanosecond); empty when it cannot be examined.
std::string file_identity(const std::string& path);

/// How long an entry of the cache folder stays when no run reads or writes it: entries made by
/// earlier builds of the program, or for fonts, maps and web addresses no longer used, go then.
constexpr std::chrono::hours cache_entry_lifetime{24 * 30};

/// Writes an entry of the cache folder (atomically, creating its folder), and, the first time
/// this process writes into that folder, removes the entries there older than
/// cache_entry_lifetime (prune_cache_folder). Never throws: a cache that cannot be written only
/// saves no time.
void write_cache_entry(const std::string& path, std::string_view bytes);

/// Writes an entry of the cache folder, `key` (its first line, which names what it was made by
/// and from), `body` and the CRC-32 of `body`, as write_cache_entry does but without flushing it
/// or its folder to disk: read_checked_cache_entry refuses an entry a crash left short, empty or
/// damaged, which is then made again, and a flush takes about a millisecond, more than making one
/// such entry (a font's subset, a QR code) saves. Never throws.
void write_checked_cache_entry(const std::string& path, std::string_view key, std::string_view body);

/// An entry read back by read_checked_cache_entry: the file mapped (its pages come from the
/// system's file cache: a font's entry is 120 KB), and its body within it.
class CheckedEntry {
public:
    CheckedEntry(MappedFile file, std::string_view body) : file_(std::move(file)), body_(body) {}
    std::string_view body() const { return body_; }

private:
    MappedFile file_;  // moved, it keeps its mapping: body_ stays valid
    std::string_view body_;
};

/// The entry write_checked_cache_entry wrote at `path` with `key`, marked as used
/// (touch_cache_entry); none when there is no such entry (or not a regular file, or one over
/// `max_bytes`), when it was written with another key, or when its CRC-32 is wrong.
std::optional<CheckedEntry> read_checked_cache_entry(const std::string& path, std::string_view key,
                                                     std::size_t max_bytes);

/// Marks an entry of the cache folder just read as used (its modification time now), so that
/// pruning keeps it. Never throws.
void touch_cache_entry(const std::string& path);

/// Removes the regular files of `folder` not modified for `max_age` (and not being written: a
/// temporary file of create_temporary's pattern is left to remove_stale_temporaries). Returns how
/// many it removed; never throws.
std::size_t prune_cache_folder(const std::string& folder, std::chrono::seconds max_age);

}  // namespace factsheet
