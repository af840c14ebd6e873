// The digests of the large files a batch's key of its environment covers (the program itself,
// the fonts, the hyphenation dictionaries), kept from one batch to the next by the identity of the
// file each was taken of: the key took 13 ms of a batch before its first source, most of it the
// 9 MB program's SHA-256 (a batch of one source 36 -> 30 ms once kept). Kept in the batch's record
// (cli/batch.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace factsheet {

/// What stat says of a file that changes whenever its bytes may have: its device and inode (a file
/// renamed over it has others), its size, and its modification and change times in nanoseconds.
/// The change time is set by the system on every write and cannot be set back by a user.
struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::int64_t modified_ns = 0;
    std::int64_t changed_ns = 0;
    bool operator==(const FileIdentity&) const = default;
};

/// The identity of the regular file at `path` (symbolic links followed); none when it cannot be
/// read by stat or is not a regular file.
std::optional<FileIdentity> identity_of(const std::string& path);

/// Digests by path, each with the identity of the file it was taken of.
class FileDigests {
public:
    /// How long before it is read a file must have last changed for its digest to be kept: a
    /// write in the same tick of the system's clock as the one recorded would leave the same
    /// change time (file systems stamp times from a clock that moves in ticks of at most 10 ms).
    static constexpr std::int64_t settled_ns = 100'000'000;

    /// The SHA-256 of the file at `path`, lowercase hex: the digest kept when the file has the
    /// identity it had, else the file's bytes hashed (and the digest kept when the file did not
    /// change while it was read and had settled before). Throws as sha256_file_hex does.
    std::string digest(const std::string& path);

    /// Takes a line of the record, "file DIGEST DEVICE INODE SIZE MODIFIED CHANGED PATH" (the path
    /// last, as it may hold spaces); false when the line is not one.
    bool read_line(std::string_view line);

    /// The lines of the digests still true, each ending in a newline: those taken or confirmed by
    /// digest() and, of those read, the ones whose file still has its identity.
    std::string lines() const;

    /// Whether digest() kept a digest that was not read.
    bool changed() const { return changed_; }

private:
    struct Known {
        FileIdentity identity;
        std::string digest;
        bool confirmed = false;  // by digest() in this run
    };
    std::map<std::string, Known, std::less<>> known_;
    bool changed_ = false;
};

}  // namespace factsheet
