// Private to the archive stage: a prepared SQLite statement of the catalog or its search index,
// finalized when it goes out of scope. Failures throw Error naming the catalog's file and the
// table set asked ("the catalog", "the search index").
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "common/error.hpp"

namespace factsheet::archive_catalog {

class Statement {
public:
    /// Prepares `sql`; `subject` names what is read in messages: "catalog", "search index".
    Statement(sqlite3* db, const std::string& sql, const std::string& file,
              const std::string& subject = "catalog")
        : db_(db), file_(file), subject_(subject) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
            fail("cannot read the " + subject_);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, const std::string& text) {
        sqlite3_bind_text(stmt_, i, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int i, std::int64_t value) {
        sqlite3_bind_int64(stmt_, i, value);
        return *this;
    }
    Statement& bind_null(int i) {
        sqlite3_bind_null(stmt_, i);
        return *this;
    }
    /// True while there is a row.
    bool step() {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(subject_ + " query failed");
    }
    /// The raw result of one step, for a caller that reports a failure its own way (a search's
    /// MATCH expression); sqlite3_errmsg(db) then says why.
    int step_code() { return sqlite3_step(stmt_); }
    std::string text(int col) const {
        const unsigned char* t = sqlite3_column_text(stmt_, col);
        return t ? std::string(reinterpret_cast<const char*>(t),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
                 : std::string();
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
    double real(int col) const { return sqlite3_column_double(stmt_, col); }
    bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    /// Ready to run again with new values.
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(SourcePos{file_, 0, 0}, what + ": " + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    std::string file_;
    std::string subject_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace factsheet::archive_catalog
