#include "archive/catalog.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>

#include "archive/search_index.hpp"
#include "archive/statement.hpp"
#include "common/error.hpp"
#include "common/files.hpp"

namespace factsheet::archive_catalog {

namespace {

// Version 2 lets a file's language be "en-fr" (the combined edition). A writer moves a version 1
// catalog to version 2 (SQLite cannot change a CHECK constraint in place: the table is copied);
// version 1 catalogs are still read as they are. Version 3 adds the search index (search_text,
// search_files, figures: archive/search_index.hpp); a writer adds its tables to a version 2
// catalog, whose files stay unindexed until reindex (verify says so).
constexpr int schema_version = 3;

// Writers wait for each other this long before giving up (an issue holds the lock while it lays
// out and renders a factsheet, which takes about a second).
constexpr int busy_timeout_ms = 120000;

// The table, named by the caller: "files", or a copy's name while a catalog is upgraded.
std::string files_table_sql(const std::string& name) {
    return R"sql(
CREATE TABLE )sql" +
           name + R"sql( (
  id          INTEGER PRIMARY KEY,
  operation   TEXT NOT NULL,
  lang        TEXT NOT NULL CHECK (lang IN ('en', 'fr', 'en-fr')),
  kind        TEXT NOT NULL CHECK (kind IN ('factsheet', 'external')),
  title       TEXT NOT NULL,
  edition     INTEGER NOT NULL CHECK (edition >= 1),
  issued      TEXT NOT NULL,
  path        TEXT NOT NULL UNIQUE,
  sha256      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  pages       INTEGER NOT NULL,
  source_hash TEXT NOT NULL,
  supersedes  INTEGER REFERENCES files (id),
  pdfa        TEXT,
  tagged      INTEGER,
  UNIQUE (operation, lang, kind, edition)
);
)sql";
}

constexpr const char* columns =
    "f.id, f.operation, f.lang, f.kind, f.title, f.edition, f.issued, f.path, f.sha256, f.size, "
    "f.pages, f.source_hash, f.supersedes, p.path";

// Columns added after the first catalogs, still version 1: nullable, so a catalog made before them
// keeps working (NULL: not recorded, until reindex reads the files), and a program that predates
// them keeps reading and writing a catalog that has them. A writer adds them when missing.
constexpr const char* added_columns[][2] = {{"pdfa", "TEXT"}, {"tagged", "INTEGER"}};

// The file of a row selected with select()'s columns.
ArchivedFile file_of(const Statement& s) {
    ArchivedFile f;
    f.id = s.integer(0);
    f.operation = s.text(1);
    f.lang = s.text(2);
    f.kind = s.text(3);
    f.title = s.text(4);
    f.edition = static_cast<int>(s.integer(5));
    f.issued = s.text(6);
    f.path = s.text(7);
    f.sha256 = s.text(8);
    f.size = s.integer(9);
    f.pages = static_cast<int>(s.integer(10));
    f.source_hash = s.text(11);
    if (!s.is_null(12)) f.supersedes = s.integer(12);
    f.supersedes_path = s.text(13);
    if (!s.is_null(14)) f.pdfa = s.text(14);
    if (!s.is_null(15)) f.tagged = s.integer(15) != 0;
    return f;
}

}  // namespace

std::string Catalog::select(const std::string& where) const {
    // A catalog read before any writer added the columns reads them as not recorded.
    std::string added = has_added_columns_ ? ", f.pdfa, f.tagged" : ", NULL, NULL";
    return std::string("SELECT ") + columns + added +
           " FROM files f LEFT JOIN files p ON p.id = f.supersedes " + where;
}

std::vector<std::string> Catalog::missing_added_columns() const {
    std::set<std::string> present;
    Statement s(db_, "PRAGMA table_info(files)", path_);
    while (s.step()) present.insert(s.text(1));
    std::vector<std::string> missing;
    for (const auto& column : added_columns)
        if (!present.count(column[0])) missing.push_back(std::string(column[0]) + " " + column[1]);
    return missing;
}

namespace {}  // namespace

namespace {

// A new catalog is made whole under a temporary name, then renamed into place: a run killed while
// creating it leaves no catalog rather than an empty file that readers would refuse. Writers hold
// the folder's lock, so the temporary name can be fixed; one a killed run left is started afresh.
void create_complete(const std::string& path) {
    std::filesystem::path target(path);
    std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".new")).string();
    ::unlink(tmp.c_str());
    ::unlink((tmp + "-journal").c_str());
    {
        Catalog fresh(tmp, true);
        fresh.close();
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        throw Error(SourcePos{path, 0, 0}, std::string("cannot create the catalog: ") + std::strerror(errno));
    sync_folder(target.parent_path().empty() ? "." : target.parent_path().string());
}

}  // namespace

Catalog::Catalog(const std::string& path, bool create) : path_(path) {
    struct stat st {};
    bool temporary = std::filesystem::path(path).filename().string().rfind('.', 0) == 0;
    // An empty file is what an older program killed while creating the catalog left: no catalog.
    if (create && !temporary && (::stat(path.c_str(), &st) != 0 || st.st_size == 0)) create_complete(path);
    if (!create && ::stat(path.c_str(), &st) != 0)
        throw Error(
            SourcePos{path, 0, 0},
            "no catalog: check --archive, or run \"factsheet archive reindex\" to rebuild it from the files");
    int flags = create ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READWRITE;
    if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(SourcePos{path, 0, 0}, "cannot open the catalog: " + message);
    }
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    try {
        // A rollback journal, not WAL: reindex renames a new catalog over this one, and a WAL file
        // left beside it would be replayed into the wrong database.
        exec("PRAGMA journal_mode=DELETE");
        exec("PRAGMA synchronous=FULL");
        exec("PRAGMA foreign_keys=ON");
        std::int64_t found = 0;
        {  // finalized before anything changes the schema
            Statement version(db_, "PRAGMA user_version", path_);
            version.step();
            found = version.integer(0);
        }
        if (found == 0) {
            if (!create)
                throw Error(SourcePos{path, 0, 0},
                            "not a factsheet catalog: run \"factsheet archive reindex\"");
            begin();
            exec(files_table_sql("files").c_str());
            exec(archive_search::schema_sql());
            exec(("PRAGMA user_version=" + std::to_string(schema_version)).c_str());
            commit();
        } else if ((found == 1 || found == 2) && !create) {
            // Read as it is; the next writer upgrades it.
        } else if (found == 1 || found == 2) {
            if (found == 1) upgrade_from_version_1();
            upgrade_from_version_2();
        } else if (found != schema_version) {
            throw Error(SourcePos{path, 0, 0}, "catalog version " + std::to_string(found) +
                                                   " is not the one this program knows (" +
                                                   std::to_string(schema_version) + ")");
        } else if (create && !missing_added_columns().empty()) {
            begin();  // listed again under the write lock: another writer may have added them
            try {
                for (const std::string& column : missing_added_columns())
                    exec(("ALTER TABLE files ADD COLUMN " + column).c_str());
                commit();
            } catch (...) {
                rollback();
                throw;
            }
        }
        has_added_columns_ = missing_added_columns().empty();
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

Catalog::~Catalog() {
    if (db_) sqlite3_close(db_);
}

void Catalog::close() {
    if (db_ && sqlite3_close(db_) != SQLITE_OK)
        throw Error(SourcePos{path_, 0, 0}, std::string("cannot close the catalog: ") + sqlite3_errmsg(db_));
    db_ = nullptr;
}

void Catalog::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        throw Error(SourcePos{path_, 0, 0}, "catalog update failed: " + text);
    }
}

void Catalog::upgrade_if_at(std::int64_t version, const std::function<void()>& change) {
    begin();
    try {
        std::int64_t found = 0;
        {
            Statement current(db_, "PRAGMA user_version", path_);
            current.step();
            found = current.integer(0);
        }
        if (found == version) change();  // not upgraded by another writer meanwhile
        commit();
    } catch (...) {
        rollback();
        throw;
    }
}

void Catalog::upgrade_from_version_1() {
    // SQLite's recipe for changing a table: a new one, the rows copied, the old one dropped, the new
    // one renamed; foreign keys off meanwhile (they cannot change inside a transaction).
    exec("PRAGMA foreign_keys=OFF");
    try {
        upgrade_if_at(1, [&] {
            for (const std::string& column : missing_added_columns())
                exec(("ALTER TABLE files ADD COLUMN " + column).c_str());
            exec(files_table_sql("files_v2").c_str());
            const char* all =
                "id, operation, lang, kind, title, edition, issued, path, sha256, size, pages, source_hash, "
                "supersedes, pdfa, tagged";
            exec((std::string("INSERT INTO files_v2 (") + all + ") SELECT " + all + " FROM files").c_str());
            exec("DROP TABLE files");
            exec("ALTER TABLE files_v2 RENAME TO files");
            exec("PRAGMA user_version=2");
        });
    } catch (...) {
        exec("PRAGMA foreign_keys=ON");
        throw;
    }
    exec("PRAGMA foreign_keys=ON");
}

void Catalog::upgrade_from_version_2() {
    upgrade_if_at(2, [&] {
        exec(archive_search::schema_sql());
        exec(("PRAGMA user_version=" + std::to_string(schema_version)).c_str());
    });
}

void Catalog::begin() {
    exec("BEGIN IMMEDIATE");
}
void Catalog::commit() {
    exec("COMMIT");
}
void Catalog::rollback() noexcept {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::vector<ArchivedFile> Catalog::all() const {
    Statement s(db_, select("ORDER BY f.issued DESC, f.operation, f.kind, f.edition DESC, f.lang"), path_);
    std::vector<ArchivedFile> out;
    while (s.step()) out.push_back(file_of(s));
    return out;
}

std::optional<ArchivedFile> Catalog::latest(const std::string& operation, const std::string& lang,
                                            const std::string& kind) const {
    return before(operation, lang, kind, 1 << 30);
}

std::optional<ArchivedFile> Catalog::before(const std::string& operation, const std::string& lang,
                                            const std::string& kind, int edition) const {
    Statement s(db_,
                select("WHERE f.operation = ?1 AND f.lang = ?2 AND f.kind = ?3 AND f.edition < ?4 "
                       "ORDER BY f.edition DESC LIMIT 1"),
                path_);
    s.bind(1, operation).bind(2, lang).bind(3, kind).bind(4, std::int64_t{edition});
    if (!s.step()) return std::nullopt;
    return file_of(s);
}

std::optional<ArchivedFile> Catalog::with_sha256(const std::string& sha256) const {
    Statement s(db_, select("WHERE f.sha256 = ?1 ORDER BY f.id LIMIT 1"), path_);
    s.bind(1, sha256);
    if (!s.step()) return std::nullopt;
    return file_of(s);
}

bool Catalog::has_path(const std::string& path) const {
    Statement s(db_, "SELECT 1 FROM files WHERE path = ?1", path_);
    s.bind(1, path);
    return s.step();
}

std::int64_t Catalog::insert(const ArchivedFile& f) {
    Statement s(
        db_,
        "INSERT INTO files (operation, lang, kind, title, edition, issued, path, sha256, size, pages, "
        "source_hash, supersedes, pdfa, tagged) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
        "?13, ?14)",
        path_);
    s.bind(1, f.operation).bind(2, f.lang).bind(3, f.kind).bind(4, f.title).bind(5, std::int64_t{f.edition});
    s.bind(6, f.issued).bind(7, f.path).bind(8, f.sha256).bind(9, f.size).bind(10, std::int64_t{f.pages});
    s.bind(11, f.source_hash);
    if (f.supersedes)
        s.bind(12, *f.supersedes);
    else
        s.bind_null(12);
    if (f.pdfa)
        s.bind(13, *f.pdfa);
    else
        s.bind_null(13);
    if (f.tagged)
        s.bind(14, std::int64_t{*f.tagged ? 1 : 0});
    else
        s.bind_null(14);
    s.step();
    return sqlite3_last_insert_rowid(db_);
}

}  // namespace factsheet::archive_catalog
