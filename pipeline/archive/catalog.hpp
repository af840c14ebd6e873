// The SQLite catalog of the archive. Private to the archive stage.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "archive/archive.hpp"

struct sqlite3;

namespace factsheet::archive_catalog {

/// An open catalog database (rollback journal, busy timeout, foreign keys on).
class Catalog {
public:
    /// Opens `path`. With `create` (the writers) it creates the catalog with the schema, or adds the
    /// columns an older one lacks; without, it fails when absent and reads such columns as NULL.
    Catalog(const std::string& path, bool create);
    ~Catalog();
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    /// BEGIN IMMEDIATE: takes the write lock now, so what is read next stays true until commit.
    void begin();
    /// COMMIT.
    void commit();
    /// ROLLBACK; never throws.
    void rollback() noexcept;

    /// Every file, newest first (issued, then operation, kind, edition, language).
    std::vector<ArchivedFile> all() const;
    /// The highest edition of an operation, language and kind, if any.
    std::optional<ArchivedFile> latest(const std::string& operation, const std::string& lang,
                                       const std::string& kind) const;
    /// The highest edition below `edition` of an operation, language and kind, if any.
    std::optional<ArchivedFile> before(const std::string& operation, const std::string& lang,
                                       const std::string& kind, int edition) const;
    /// A file with these bytes, if any.
    std::optional<ArchivedFile> with_sha256(const std::string& sha256) const;
    /// True when a row has this path.
    bool has_path(const std::string& path) const;
    /// Inserts a row and returns its id (file.id is ignored).
    std::int64_t insert(const ArchivedFile& file);
    /// The open database, for the search index kept in it (archive/search_index.hpp).
    sqlite3* handle() const { return db_; }
    /// Its file.
    const std::string& path() const { return path_; }
    /// Flushes and closes the database (for a catalog about to be renamed into place).
    void close();

private:
    void exec(const char* sql);
    std::string select(const std::string& where) const;
    std::vector<std::string> missing_added_columns() const;  // "name TYPE" of each
    void upgrade_from_version_1();                           // to version 2, under the write lock
    void upgrade_from_version_2();                           // to version 3 (the search index)
    /// Runs `change` in a transaction when the catalog is still at `version`.
    void upgrade_if_at(std::int64_t version, const std::function<void()>& change);
    bool has_added_columns_ = true;
    std::string path_;
    sqlite3* db_ = nullptr;
};

}  // namespace factsheet::archive_catalog
