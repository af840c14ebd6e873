// Watching files for changes with inotify(7), for `factsheet watch`. The folders holding the files
// are watched, not the files' own inodes: editors that save by writing a new file and renaming it
// over the old one (vim, gedit) replace the inode, and a watch on it would see nothing more.
// SIGINT and SIGTERM are read from a signalfd, so a stop request wakes the wait like a change.
#pragma once

#include <signal.h>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace factsheet {

/// What to watch: files, each with a tag saying what a change to it calls for, and folders whose
/// every file (and subfolder) counts.
struct WatchList {
    std::map<std::string, std::string> files;    // path -> tag
    std::map<std::string, std::string> folders;  // path -> tag
};

/// What a wait saw: the tags of what changed, or a request to stop.
struct WatchEvents {
    std::set<std::string> tags;
    bool stop = false;       // SIGINT or SIGTERM arrived
    bool timed_out = false;  // nothing happened before the timeout
};

/// Watches the files and folders of a WatchList. While one exists, SIGINT and SIGTERM are blocked
/// in the calling thread (and the threads it starts) and delivered to wait() instead.
class Watcher {
public:
    /// Starts watching; throws Error naming a folder that cannot be watched.
    explicit Watcher(const WatchList& list);
    ~Watcher();
    Watcher(const Watcher&) = delete;
    Watcher& operator=(const Watcher&) = delete;

    /// Watches a new list instead (after a layout change names other fonts, or a folder was
    /// replaced): every path is resolved again.
    void rewatch(const WatchList& list);

    /// Waits for a change, then until nothing more has changed for `settle` (a burst of events
    /// from one save is one change), and returns the tags of what changed. Returns with `stop`
    /// as soon as a stop signal arrives, and with `timed_out` after `timeout` without a change.
    WatchEvents wait(std::chrono::milliseconds settle,
                     std::optional<std::chrono::milliseconds> timeout = std::nullopt);

private:
    struct Folder {
        std::string path;
        std::optional<std::string> tag;              // every entry counts, under this tag
        std::map<std::string, std::string> entries;  // name -> tag, for the files watched in it
    };
    void add_folder(const std::string& path, const std::optional<std::string>& tag, const std::string& name,
                    const std::string& entry_tag);
    void clear();
    // Reads the pending inotify events into `seen`; returns whether a watched folder went away.
    bool read_events(std::set<std::string>& seen);

    int inotify_ = -1;
    int signals_ = -1;
    WatchList list_;
    std::map<int, Folder> folders_;  // by watch descriptor
    bool stale_ = false;             // a watched folder went away: rewatch when it is back
    std::string missing_;            // the first folder found missing by the last rewatch
    sigset_t old_mask_{};            // the signal mask to restore
};

}  // namespace factsheet
