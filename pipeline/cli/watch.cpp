#include "cli/watch.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.hpp"

namespace factsheet {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// What a folder watch listens for. Only a file written and closed, or renamed into place, counts
// as a change: a file being created or written is not finished yet, and one deleted or renamed
// away is usually about to be replaced (vim renames the old file to its backup, then writes).
constexpr std::uint32_t folder_events =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
constexpr std::uint32_t change_events = IN_CLOSE_WRITE | IN_MOVED_TO;

// How long to wait before looking again for a watched folder that went away.
constexpr std::chrono::milliseconds retry_interval{250};

// However long a burst of events lasts, what changed is reported after this long: a file written
// over and over must not put the rebuild off for ever.
constexpr std::chrono::milliseconds longest_burst{1000};

// Files of a watched folder that editors write beside the one edited (vim's swap files and its
// "4913" test of the folder, backups ending in ~, emacs's #autosaves#, gedit's hidden temporary
// file): writing them is no change to the layout.
bool editor_file(const std::string& name) {
    return name.empty() || name[0] == '.' || name.back() == '~' || name[0] == '#' || name == "4913";
}

// The folder and name of a file as given, and, when it is reached through a symbolic link, as
// resolved: a change to either is a change to the file.
std::vector<std::pair<fs::path, std::string>> places_of(const std::string& file) {
    std::vector<std::pair<fs::path, std::string>> places;
    fs::path given(file);
    fs::path folder = given.parent_path().empty() ? fs::path(".") : given.parent_path();
    places.emplace_back(folder, given.filename().string());
    std::error_code ec;
    fs::path real = fs::canonical(given, ec);
    if (!ec) {
        fs::path real_folder = real.parent_path();
        if (fs::canonical(folder, ec) != real_folder || real.filename() != given.filename())
            places.emplace_back(real_folder, real.filename().string());
    }
    return places;
}

}  // namespace

Watcher::Watcher(const WatchList& list) {
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    // Blocked, the signals wait in the signalfd for the poll below instead of ending the process
    // halfway through a write.
    pthread_sigmask(SIG_BLOCK, &stops, &old_mask_);
    signals_ = signalfd(-1, &stops, SFD_CLOEXEC | SFD_NONBLOCK);
    inotify_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (signals_ < 0 || inotify_ < 0) {
        int error = errno;
        clear();
        throw Error(SourcePos{"inotify"}, std::string("cannot watch files: ") + std::strerror(error));
    }
    try {
        rewatch(list);
    } catch (...) {
        clear();
        throw;
    }
    if (stale_) {
        clear();
        throw Error(SourcePos{missing_}, "cannot watch a folder that does not exist");
    }
}

Watcher::~Watcher() {
    clear();
}

void Watcher::clear() {
    if (inotify_ >= 0) ::close(inotify_);
    if (signals_ >= 0) ::close(signals_);
    inotify_ = signals_ = -1;
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

void Watcher::rewatch(const WatchList& list) {
    list_ = list;
    stale_ = false;
    missing_.clear();
    std::map<int, Folder> folders;
    auto watch = [&](const fs::path& path) -> Folder* {
        int wd = inotify_add_watch(inotify_, path.c_str(), folder_events);
        if (wd < 0) {
            if (errno == ENOENT || errno == ENOTDIR) {
                stale_ = true;  // gone for now: looked for again while waiting
                if (missing_.empty()) missing_ = path.string();
                return nullptr;
            }
            throw Error(SourcePos{path.string()},
                        std::string("cannot watch this folder: ") + std::strerror(errno) +
                            "; raise fs.inotify.max_user_watches if it is the limit");
        }
        Folder& f = folders[wd];
        if (f.path.empty()) f.path = path.string();
        return &f;
    };
    for (const auto& [path, tag] : list.folders) {
        if (Folder* f = watch(path)) f->tag = tag;
        std::error_code ec;
        for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_directory(ec) && !editor_file(it->path().filename().string()))
                if (Folder* sub = watch(it->path())) sub->tag = tag;
    }
    for (const auto& [path, tag] : list.files)
        for (const auto& [folder, name] : places_of(path))
            if (Folder* f = watch(folder)) f->entries[name] = tag;
    // Watches no longer wanted are removed; those kept were never interrupted, so no event of a
    // file still watched is lost.
    for (const auto& [wd, folder] : folders_)
        if (!folders.count(wd)) inotify_rm_watch(inotify_, wd);
    folders_ = std::move(folders);
}

bool Watcher::read_events(std::set<std::string>& seen) {
    alignas(inotify_event) char buffer[16 * 1024];
    bool changed = false;
    for (;;) {
        ssize_t size = ::read(inotify_, buffer, sizeof buffer);
        if (size <= 0) break;
        for (char* at = buffer; at < buffer + size;) {
            const auto* event = reinterpret_cast<const inotify_event*>(at);
            at += sizeof(inotify_event) + event->len;
            if (event->mask & IN_Q_OVERFLOW) {
                // Events were lost: count everything as changed.
                for (const auto& [path, tag] : list_.folders) seen.insert(tag);
                for (const auto& [path, tag] : list_.files) seen.insert(tag);
                changed = true;
                continue;
            }
            auto it = folders_.find(event->wd);
            if (it == folders_.end()) continue;
            Folder& folder = it->second;
            if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
                stale_ = true;
                continue;
            }
            std::string name = event->len > 0 ? std::string(event->name) : std::string();
            if (auto entry = folder.entries.find(name);
                entry != folder.entries.end() && (event->mask & change_events)) {
                seen.insert(entry->second);
                changed = true;
            }
            if (folder.tag && !editor_file(name)) {
                if ((event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO))) {
                    stale_ = true;  // a new subfolder: watched from the next rewatch on
                    seen.insert(*folder.tag);
                    changed = true;
                } else if (event->mask & change_events) {
                    seen.insert(*folder.tag);
                    changed = true;
                }
            }
        }
    }
    return changed;
}

WatchEvents Watcher::wait(std::chrono::milliseconds settle,
                          std::optional<std::chrono::milliseconds> timeout) {
    WatchEvents result;
    auto start = Clock::now();
    std::optional<Clock::time_point> first_change, quiet_since;
    for (;;) {
        if (stale_) {
            // A watched folder went away (replaced by a rename, say): once it is back, everything
            // under it may have changed.
            rewatch(list_);
            if (!stale_) {
                for (const auto& [path, tag] : list_.folders) result.tags.insert(tag);
                for (const auto& [path, tag] : list_.files) result.tags.insert(tag);
                first_change = quiet_since = Clock::now();
            }
        }
        auto now = Clock::now();
        std::optional<Clock::time_point> wake;
        auto sooner = [&](Clock::time_point t) {
            if (!wake || t < *wake) wake = t;
        };
        if (first_change) {
            Clock::time_point due = std::min(*quiet_since + settle, *first_change + longest_burst);
            if (now >= due) {
                // Files given through links may point elsewhere after the change.
                rewatch(list_);
                return result;
            }
            sooner(due);
        } else if (timeout) {
            if (now >= start + *timeout) {
                result.timed_out = true;
                return result;
            }
            sooner(start + *timeout);
        }
        if (stale_) sooner(now + retry_interval);
        int wait_ms = -1;
        if (wake)
            wait_ms = static_cast<int>(
                std::chrono::ceil<std::chrono::milliseconds>(std::max(*wake - now, Clock::duration(0)))
                    .count());
        pollfd fds[2] = {{signals_, POLLIN, 0}, {inotify_, POLLIN, 0}};
        int ready = ::poll(fds, 2, wait_ms);
        if (ready < 0 && errno != EINTR)
            throw Error(SourcePos{"inotify"},
                        std::string("cannot wait for changes: ") + std::strerror(errno));
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo info;
            while (::read(signals_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {}
            result.stop = true;
            return result;
        }
        if ((fds[1].revents & POLLIN) && read_events(result.tags)) {
            quiet_since = Clock::now();
            if (!first_change) first_change = quiet_since;
        }
    }
}

}  // namespace factsheet
