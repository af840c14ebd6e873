#include "cli/file_digests.hpp"

#include <sys/stat.h>

#include <charconv>
#include <ctime>

#include "common/sha256.hpp"

namespace factsheet {

namespace {

std::int64_t nanoseconds(const struct timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

std::int64_t now_ns() {
    struct timespec t {};
    ::clock_gettime(CLOCK_REALTIME, &t);
    return nanoseconds(t);
}

bool is_digest(std::string_view hex) {
    if (hex.size() != 64) return false;
    for (char c : hex)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// The next field of `line` up to a space, as a number; false when it is not one.
template <typename T>
bool take_number(std::string_view& line, T& value) {
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return false;
    auto [end, error] = std::from_chars(line.data(), line.data() + space, value);
    if (error != std::errc() || end != line.data() + space || space == 0) return false;
    line.remove_prefix(space + 1);
    return true;
}

constexpr std::string_view line_start = "file ";

}  // namespace

std::optional<FileIdentity> identity_of(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
    return FileIdentity{static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
                        static_cast<std::uint64_t>(info.st_size), nanoseconds(info.st_mtim),
                        nanoseconds(info.st_ctim)};
}

std::string FileDigests::digest(const std::string& path) {
    std::optional<FileIdentity> before = identity_of(path);
    auto found = known_.find(path);
    if (before && found != known_.end() && found->second.identity == *before) {
        found->second.confirmed = true;
        return found->second.digest;
    }
    const std::int64_t read_at = now_ns();
    std::string hex = sha256_file_hex(path);  // throws when the file cannot be read
    std::optional<FileIdentity> after = identity_of(path);
    if (before && after == before && before->changed_ns <= read_at - settled_ns &&
        before->modified_ns <= read_at - settled_ns) {
        known_.insert_or_assign(path, Known{*before, hex, true});
        changed_ = true;
    } else if (found != known_.end()) {
        known_.erase(found);  // no longer true, and not to be written again
        changed_ = true;
    }
    return hex;
}

bool FileDigests::read_line(std::string_view line) {
    if (!line.starts_with(line_start)) return false;
    line.remove_prefix(line_start.size());
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos || !is_digest(line.substr(0, space))) return false;
    std::string digest(line.substr(0, space));
    line.remove_prefix(space + 1);
    FileIdentity id;
    if (!take_number(line, id.device) || !take_number(line, id.inode) || !take_number(line, id.size) ||
        !take_number(line, id.modified_ns) || !take_number(line, id.changed_ns) || line.empty())
        return false;
    known_.insert_or_assign(std::string(line), Known{id, std::move(digest), false});
    return true;
}

std::string FileDigests::lines() const {
    std::string out;
    for (const auto& [path, known] : known_) {
        if (path.find('\n') != std::string::npos) continue;  // a line could not hold it
        if (!known.confirmed && identity_of(path) != known.identity) continue;
        const FileIdentity& id = known.identity;
        out.append(line_start).append(known.digest);
        for (auto number : {id.device, id.inode, id.size}) out.append(" ").append(std::to_string(number));
        for (auto number : {id.modified_ns, id.changed_ns}) out.append(" ").append(std::to_string(number));
        out.append(" ").append(path).append("\n");
    }
    return out;
}

}  // namespace factsheet
