// The search index inside the catalog: its tables, what is written into them, and the page's
// compact copy (search.js). Private to the archive stage; search.hpp is the public side.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "archive/search.hpp"

struct sqlite3;

namespace factsheet::archive_search {

/// The Info entry of an issued factsheet that carries its key figures (JSON), so that reindex
/// finds them in the file.
inline constexpr const char* figures_stamp_key = "FactsheetFigures";

/// The statements that create the search tables (run in the catalog's creating transaction).
const char* schema_sql();

/// True when the catalog has the search tables (version 3 and later).
bool has_index(sqlite3* db);

/// Records a cataloged file's text and figures; inside the transaction that inserts its row.
void store(sqlite3* db, const std::string& catalog_path, const ArchivedFile& file, const EditionText& text);

/// The figures stamp's value: a compact JSON array.
std::string figures_stamp(const std::vector<FigureValue>& figures);

/// Reads a figures stamp; throws Error at `name` when it is malformed.
std::vector<FigureValue> parse_figures_stamp(std::string_view json, const std::string& name);

/// The text of a PDF's pages, one SectionText per page with text (poppler, through a module
/// loaded the first time). Throws Error at `name` when poppler cannot read it.
EditionText pdf_text(const std::string& bytes, const std::string& name);

/// What the index holds of a file of the archive, read from the file alone: its pages' text and,
/// for a factsheet, the figures of its stamp.
EditionText file_text(const std::string& dir, const ArchivedFile& file);

/// The paths of cataloged files the index lacks.
std::vector<std::string> unindexed(sqlite3* db, const std::string& catalog_path);

/// search.js: the page's index, the files (newest first) and, for each folded word, the files
/// that hold it, as the catalog's tokenizer folds it.
std::string page_index(sqlite3* db, const std::string& catalog_path,
                       const std::vector<ArchivedFile>& newest_first);

}  // namespace factsheet::archive_search
