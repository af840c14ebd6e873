// Full-text search of the archive and the history of the key figures. Each file's text is kept in
// the catalog (an SQLite FTS5 table) beside its row, written in the same transaction; its key
// figures as rows of their own. docs/archive.md ("Search") describes the index and the queries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/archive.hpp"
#include "archive/edition_text.hpp"

namespace factsheet {

/// A search of the archive (FTS5 query syntax: words, "phrases", prefix*, AND, OR, NOT).
struct SearchQuery {
    std::string text;
    std::string lang;       // "en" | "fr" | "en-fr"; empty: any
    std::string operation;  // empty: any
    std::string since;      // YYYY-MM-DD: issued on or after; empty: any time
    std::size_t limit = 50;
};

/// One place a query matched: a section of an edition, or a page of an added PDF.
struct SearchHit {
    ArchivedFile file;        // the edition (no supersedes_path, pdfa or tagged)
    bool superseded = false;  // a later edition of its language replaced it
    std::string section;      // empty for a page
    int page = 0;
    std::string snippet;  // the text around the match, each matched word between [ and ]
    double rank = 0;      // bm25: lower is better
};

/// One edition's value of a key figure.
struct FigureEdition {
    FigureValue figure;
    int edition = 0;
    std::string issued;              // YYYY-MM-DD
    std::vector<std::string> langs;  // the files that carry it: "en", "fr", "en-fr"
    std::string path;                // the first of them
};

/// A key figure of an operation, edition by edition, oldest first.
struct FigureHistory {
    std::string operation;
    std::string figure;
    std::string kind;
    std::vector<FigureEdition> editions;
};

/// Searches the archive at `dir`, best matches first. Throws Error when the query is malformed
/// (at "query", saying what to change), too long, or the catalog has no search index.
std::vector<SearchHit> search_archive(const std::string& dir, const SearchQuery& query);

/// The history of an operation's key figures (of one figure when `figure` is given), oldest
/// edition first; an edition issued in several languages counted once. Throws Error when the
/// catalog has no search index.
std::vector<FigureHistory> figure_history(const std::string& dir, const std::string& operation,
                                          const std::string& figure = "");

/// A figure's value as text: "3900000", "38.5 %", "102320000 USD".
std::string figure_value_text(const FigureValue& figure);

/// Words joined as a reader reads them: runs of white space made one space, a word broken by a
/// hyphen at a line's end joined again.
std::string joined_text(std::string_view text);

/// Texts in JSON (search --json, figures --json).
std::string hits_json(const std::vector<SearchHit>& hits);
std::string figures_json(const std::vector<FigureHistory>& figures);

}  // namespace factsheet
