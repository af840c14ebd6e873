// Full-text search (SQLite FTS5) and key figures kept in the catalog.
#include "archive/search.hpp"
#include "archive/statement.hpp"

#include <dlfcn.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "archive/poppler/pdf_text_module.h"
#include "archive/search_index.hpp"
#include "common/error.hpp"
#include "common/files.hpp"

namespace factsheet {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* catalog_name = "catalog.sqlite";

// What a query may hold: enough for any question a person types, small enough that a pasted
// document is refused before FTS5 spends time on it.
constexpr std::size_t max_query_bytes = 4096;
constexpr std::size_t max_query_terms = 256;

// Section headings weigh more than the text under them (bm25's column weights).
constexpr const char* ranking = "bm25(search_text, 2.0, 1.0)";

// A row of search_text is numbered after its file: file id * rows_per_file + its place. A search
// finds each match's file from the number alone, without reading the row's text (which, for a
// query that matches every edition, was most of its time).
constexpr std::int64_t rows_per_file = 65536;

// A prepared statement of the search tables (archive/statement.hpp), reporting a failure of a
// MATCH expression as the query's: FTS5 says what is wrong with it.
class Query : public archive_catalog::Statement {
public:
    Query(sqlite3* db, const std::string& sql, const std::string& file)
        : Statement(db, sql, file, "search index"), db_(db) {}
    bool step_match() {
        int rc = step_code();
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        std::string why = sqlite3_errmsg(db_);
        throw Error(SourcePos{"query", 0, 0},
                    "not a search the index understands (" + why +
                        "): write words, \"a phrase\" in double quotes, a prefix*, and AND, OR, NOT between "
                        "them");
    }

private:
    sqlite3* db_;
};

void exec(sqlite3* db, const std::string& sql, const std::string& file) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        throw Error(SourcePos{file, 0, 0}, "search index update failed: " + text);
    }
}

// A read-only connection to an archive's catalog that has the search tables.
class ReadCatalog {
public:
    explicit ReadCatalog(const std::string& dir) : path_(dir + "/" + catalog_name) {
        struct stat st {};
        if (::stat(path_.c_str(), &st) != 0)
            throw Error(SourcePos{path_, 0, 0},
                        "no catalog: check --archive, or run \"factsheet archive reindex\" to rebuild it "
                        "from the files");
        if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK) {
            std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            db_ = nullptr;
            throw Error(SourcePos{path_, 0, 0}, "cannot open the catalog: " + message);
        }
        sqlite3_busy_timeout(db_, 120000);
        if (!archive_search::has_index(db_)) {
            sqlite3_close(db_);
            db_ = nullptr;
            throw Error(SourcePos{path_, 0, 0},
                        "the catalog has no search index (it predates it): run \"factsheet archive "
                        "reindex\"");
        }
    }
    ~ReadCatalog() { sqlite3_close(db_); }
    ReadCatalog(const ReadCatalog&) = delete;
    ReadCatalog& operator=(const ReadCatalog&) = delete;
    sqlite3* db() const { return db_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

// The query as FTS5 is given it: an ASCII apostrophe, which FTS5 does not take inside a word
// ("l'armée"), becomes the typographic one, which it does and the tokenizer splits on like the
// other. Refuses what FTS5 would only report obscurely, or spend long on.
std::string checked_query(const std::string& text) {
    if (text.size() > max_query_bytes)
        throw Error(SourcePos{"query", 0, 0}, "the query is " + std::to_string(text.size()) +
                                                  " bytes long: a query holds at most " +
                                                  std::to_string(max_query_bytes));
    std::size_t terms = 0, quotes = 0;
    bool in_word = false;
    std::string out;
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n')
            throw Error(SourcePos{"query", 0, 0}, "the query holds a control character: type words only");
        bool space = c == ' ' || c == '\t' || c == '\n';
        if (!space && !in_word) ++terms;
        in_word = !space;
        if (c == '"') ++quotes;
        if (c == '\'' && quotes % 2 == 0)
            out += "\u2019";
        else
            out += c;
    }
    if (terms == 0) throw Error(SourcePos{"query", 0, 0}, "the query is empty: give the words to look for");
    if (terms > max_query_terms)
        throw Error(SourcePos{"query", 0, 0}, "the query has " + std::to_string(terms) +
                                                  " terms: a query takes at most " +
                                                  std::to_string(max_query_terms));
    if (quotes % 2 != 0)
        throw Error(SourcePos{"query", 0, 0},
                    "a phrase is not closed: end it with a double quote (\"), or leave the quote out");
    return out;
}

// FigureValue's kind, checked.
bool valid_kind(const std::string& kind) {
    return kind == "people" || kind == "money" || kind == "percentage" || kind == "count";
}

// The library is loaded the first time a PDF's text is read (see pdf_text_module.cxx).
factsheet_pdf_text_fn* text_module() {
    static void* handle = dlopen(FACTSHEET_PDF_TEXT_MODULE, RTLD_NOW | RTLD_LOCAL);
    static std::string problem = handle ? std::string() : std::string(dlerror());
    if (!handle)
        throw Error(SourcePos{FACTSHEET_PDF_TEXT_MODULE, 0, 0},
                    "cannot load the text reader (" + problem +
                        "): build the program again, with the Debian package libpoppler-cpp-dev");
    auto* read = reinterpret_cast<factsheet_pdf_text_fn*>(dlsym(handle, "factsheet_pdf_text"));
    if (!read)
        throw Error(SourcePos{FACTSHEET_PDF_TEXT_MODULE, 0, 0},
                    "the text reader lacks factsheet_pdf_text: build the program again");
    return read;
}

}  // namespace

namespace archive_search {

const char* schema_sql() {
    // The text of each file, by section (a factsheet's heading) or page; FTS5's unicode61
    // tokenizer folds case and, with remove_diacritics 2, every accent ("Ménaka" and "menaka"
    // are one word); apostrophes, straight and typographic, separate words, so "l'armée"
    // holds "armée" (docs/archive.md, "Search").
    return R"sql(
CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
  section, body, file_id UNINDEXED, page UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS search_files (
  file_id  INTEGER PRIMARY KEY REFERENCES files (id),
  has_text INTEGER NOT NULL CHECK (has_text IN (0, 1))
);
CREATE TABLE IF NOT EXISTS figures (
  file_id   INTEGER NOT NULL REFERENCES files (id),
  position  INTEGER NOT NULL,
  operation TEXT NOT NULL,
  figure    TEXT NOT NULL,
  kind      TEXT NOT NULL,
  value     INTEGER NOT NULL,
  decimals  INTEGER NOT NULL,
  currency  TEXT NOT NULL,
  year      INTEGER,
  edition   INTEGER NOT NULL,
  issued    TEXT NOT NULL,
  lang      TEXT NOT NULL,
  PRIMARY KEY (file_id, figure)
);
CREATE INDEX IF NOT EXISTS figures_of_operation ON figures (operation, figure);
)sql";
}

bool has_index(sqlite3* db) {
    Query q(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('search_text', 'search_files', 'figures')",
            "catalog");
    q.step();
    return q.integer(0) == 3;
}

void store(sqlite3* db, const std::string& catalog_path, const ArchivedFile& file, const EditionText& text) {
    Query known(db, "INSERT INTO search_files (file_id, has_text) VALUES (?1, ?2)", catalog_path);
    known.bind(1, file.id).bind(2, std::int64_t{text.has_text ? 1 : 0});
    known.step();
    Query section(db,
                  "INSERT INTO search_text (rowid, section, body, file_id, page) VALUES (?5, ?1, ?2, ?3, ?4)",
                  catalog_path);
    std::int64_t place = 0;
    for (const SectionText& s : text.sections) {
        if (s.text.empty() && s.section.empty()) continue;
        if (place == rows_per_file) break;  // a PDF of more than 65,536 pages: the rest unindexed
        section.bind(1, s.section).bind(2, s.text).bind(3, file.id).bind(4, std::int64_t{s.page});
        section.bind(5, file.id * rows_per_file + place++);
        section.step();
        section.reset();
    }
    // A figure listed twice keeps its first place and last value, as the source's reader allows
    // neither; the key holds.
    Query figure(
        db,
        "INSERT OR REPLACE INTO figures (file_id, position, operation, figure, kind, value, decimals, "
        "currency, year, edition, issued, lang) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12)",
        catalog_path);
    std::int64_t position = 0;
    for (const FigureValue& g : text.figures) {
        figure.bind(1, file.id).bind(2, position++).bind(3, file.operation).bind(4, g.id).bind(5, g.kind);
        figure.bind(6, g.value).bind(7, std::int64_t{g.decimals}).bind(8, g.currency);
        if (g.year)
            figure.bind(9, std::int64_t{*g.year});
        else
            figure.bind_null(9);
        figure.bind(10, std::int64_t{file.edition}).bind(11, file.issued).bind(12, file.lang);
        figure.step();
        figure.reset();
    }
}

std::string figures_stamp(const std::vector<FigureValue>& figures) {
    Json list = Json::array();
    for (const FigureValue& g : figures) {
        Json item = {{"id", g.id}, {"kind", g.kind}, {"value", g.value}};
        if (g.decimals != 0) item["decimals"] = g.decimals;
        if (!g.currency.empty()) item["currency"] = g.currency;
        if (g.year) item["year"] = *g.year;
        list.push_back(std::move(item));
    }
    return list.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<FigureValue> parse_figures_stamp(std::string_view json, const std::string& name) {
    auto malformed = [&](const std::string& why) {
        return Error(SourcePos{name, 0, 0}, std::string("its ") + figures_stamp_key +
                                                " stamp is malformed (" + why +
                                                "): issue the factsheet again");
    };
    Json list;
    try {
        list = Json::parse(json);
    } catch (const Json::exception& e) {
        throw malformed("not JSON");
    }
    if (!list.is_array()) throw malformed("not an array");
    std::vector<FigureValue> out;
    for (const Json& item : list) {
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("kind") ||
            !item["kind"].is_string() || !item.contains("value") || !item["value"].is_number_integer())
            throw malformed("a figure lacks its id, kind or value");
        FigureValue g;
        g.id = item["id"].get<std::string>();
        g.kind = item["kind"].get<std::string>();
        if (!valid_kind(g.kind)) throw malformed("kind \"" + g.kind + "\"");
        g.value = item["value"].get<std::int64_t>();
        if (item.contains("decimals") && item["decimals"].is_number_integer())
            g.decimals = item["decimals"].get<int>();
        if (item.contains("currency") && item["currency"].is_string())
            g.currency = item["currency"].get<std::string>();
        if (item.contains("year") && item["year"].is_number_integer()) g.year = item["year"].get<int>();
        out.push_back(std::move(g));
    }
    return out;
}

EditionText pdf_text(const std::string& bytes, const std::string& name) {
    factsheet_pdf_text_fn* read = text_module();
    EditionText out;
    char problem[512] = {0};
    auto page = [](void* context, int number, const char* text, std::size_t size) {
        std::string joined = factsheet::joined_text(std::string_view(text, size));
        if (!joined.empty())
            static_cast<EditionText*>(context)->sections.push_back(
                SectionText{"", number, std::move(joined)});
    };
    if (read(bytes.data(), bytes.size(), page, &out, problem, sizeof problem) != 0)
        throw Error(SourcePos{name, 0, 0}, std::string("cannot read its text (") + problem +
                                               "): it may be damaged or encrypted; export it again");
    out.has_text = !out.sections.empty();
    return out;
}

EditionText file_text(const std::string& dir, const ArchivedFile& file) {
    std::string bytes = read_whole_file(dir + "/" + file.path);
    EditionText out = pdf_text(bytes, file.path);
    if (file.kind == "factsheet") {
        PdfFacts facts = read_pdf_facts(bytes, file.path);
        auto stamp = facts.info.find(figures_stamp_key);
        if (stamp != facts.info.end()) out.figures = parse_figures_stamp(stamp->second, file.path);
    }
    return out;
}

std::vector<std::string> unindexed(sqlite3* db, const std::string& catalog_path) {
    if (!has_index(db)) {
        std::vector<std::string> all;
        Query q(db, "SELECT path FROM files ORDER BY path", catalog_path);
        while (q.step()) all.push_back(q.text(0));
        return all;
    }
    Query q(db, "SELECT path FROM files WHERE id NOT IN (SELECT file_id FROM search_files) ORDER BY path",
            catalog_path);
    std::vector<std::string> out;
    while (q.step()) out.push_back(q.text(0));
    return out;
}

std::string page_index(sqlite3* db, const std::string& catalog_path,
                       const std::vector<ArchivedFile>& newest_first) {
    std::set<std::string> superseded;
    for (const ArchivedFile& f : newest_first)
        if (!f.supersedes_path.empty()) superseded.insert(f.supersedes_path);
    Json files = Json::array();
    std::map<std::int64_t, std::size_t> place;  // catalog id -> index in `files`
    for (const ArchivedFile& f : newest_first) {
        place[f.id] = files.size();
        files.push_back(Json{{"path", f.path},
                             {"operation", f.operation},
                             {"lang", f.lang},
                             {"kind", f.kind},
                             {"edition", f.edition},
                             {"issued", f.issued},
                             {"title", f.title},
                             {"superseded", superseded.count(f.path) > 0}});
    }
    // The words as the catalog's tokenizer made them (fts5vocab), so the page's folding is the
    // command line's: for each, the files holding it, in the order of `files`.
    std::map<std::int64_t, std::size_t> row_file;  // search_text rowid -> index in `files`
    {
        Query rows(db, "SELECT rowid, rowid / " + std::to_string(rows_per_file) + " FROM search_text",
                   catalog_path);
        while (rows.step()) {
            auto it = place.find(rows.integer(1));
            if (it != place.end()) row_file[rows.integer(0)] = it->second;
        }
    }
    exec(db,
         "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_words USING fts5vocab(main, search_text, instance)",
         catalog_path);
    std::map<std::string, std::set<std::size_t>> words;
    {
        Query instances(db, "SELECT term, doc FROM temp.search_words", catalog_path);
        std::string term;
        std::set<std::size_t>* holders = nullptr;
        while (instances.step()) {
            std::string t = instances.text(0);
            if (!holders || t != term) {
                term = t;
                holders = &words[term];
            }
            auto it = row_file.find(instances.integer(1));
            if (it != row_file.end()) holders->insert(it->second);
        }
    }
    Json terms = Json::object();
    for (const auto& [word, holders] : words)
        if (!holders.empty()) terms[word] = Json(std::vector<std::size_t>(holders.begin(), holders.end()));
    Json index = {{"format", "factsheet-search"}, {"version", 1}, {"files", files}, {"words", terms}};
    return "// The archive's search index for index.html (docs/archive.md, \"Search\"). Generated.\n"
           "window.factsheetSearchIndex = " +
           index.dump(-1, ' ', false, Json::error_handler_t::replace) + ";\n";
}

}  // namespace archive_search

std::vector<SearchHit> search_archive(const std::string& dir, const SearchQuery& query) {
    std::string match = checked_query(query.text);
    ReadCatalog catalog(dir);
    std::set<std::int64_t> superseded;
    {
        Query q(catalog.db(), "SELECT supersedes FROM files WHERE supersedes IS NOT NULL", catalog.path());
        while (q.step()) superseded.insert(q.integer(0));
    }
    // The best rows first (bm25 over every match), then the snippets of those alone: SQLite
    // would otherwise make a snippet for every match before sorting them. The second pass reads
    // the matches once and keeps the best by their number: written "s.rowid IN", the list would
    // reach FTS5 as a rowid constraint, which runs the full-text query again for each of the
    // best rows (for a prefix query, merging every segment's entries under the prefix each time:
    // "protect*" over 1,000 editions took four times as long).
    std::string file = "s.rowid / " + std::to_string(rows_per_file);
    std::string best =
        "SELECT s.rowid FROM search_text s CROSS JOIN files f ON f.id = " + file +
        " WHERE search_text MATCH ?1 AND (?2 = '' OR f.lang = ?2) AND (?3 = '' OR f.operation = "
        "?3) AND (?4 = '' OR f.issued >= ?4) ORDER BY " +
        ranking + ", f.issued DESC, f.path LIMIT ?5";
    Query q(catalog.db(),
            std::string("SELECT f.id, f.operation, f.lang, f.kind, f.title, f.edition, f.issued, f.path, "
                        "f.sha256, f.size, f.pages, f.source_hash, s.section, s.page, "
                        "snippet(search_text, -1, '[', ']', '\u2026', 16), ") +
                ranking + " AS score FROM search_text s CROSS JOIN files f ON f.id = " + file +
                " WHERE search_text MATCH ?1 AND +s.rowid IN (" + best +
                ") ORDER BY score, f.issued DESC, f.path",
            catalog.path());
    q.bind(1, match).bind(2, query.lang).bind(3, query.operation).bind(4, query.since);
    q.bind(5, static_cast<std::int64_t>(query.limit));
    std::vector<SearchHit> hits;
    while (q.step_match()) {
        SearchHit hit;
        ArchivedFile& f = hit.file;
        f.id = q.integer(0);
        f.operation = q.text(1);
        f.lang = q.text(2);
        f.kind = q.text(3);
        f.title = q.text(4);
        f.edition = static_cast<int>(q.integer(5));
        f.issued = q.text(6);
        f.path = q.text(7);
        f.sha256 = q.text(8);
        f.size = q.integer(9);
        f.pages = static_cast<int>(q.integer(10));
        f.source_hash = q.text(11);
        hit.superseded = superseded.count(f.id) > 0;
        hit.section = q.text(12);
        hit.page = static_cast<int>(q.integer(13));
        hit.snippet = q.text(14);
        hit.rank = q.real(15);
        hits.push_back(std::move(hit));
    }
    return hits;
}

std::vector<FigureHistory> figure_history(const std::string& dir, const std::string& operation,
                                          const std::string& figure) {
    ReadCatalog catalog(dir);
    Query q(catalog.db(),
            "SELECT g.figure, g.kind, g.value, g.decimals, g.currency, g.year, g.edition, g.issued, g.lang, "
            "f.path, g.position FROM figures g JOIN files f ON f.id = g.file_id WHERE g.operation = ?1 AND "
            "(?2 = '' OR g.figure = ?2) ORDER BY g.issued, g.edition, g.lang",
            catalog.path());
    q.bind(1, operation).bind(2, figure);
    std::vector<FigureHistory> out;
    std::map<std::string, std::size_t> index;       // figure id -> place in out
    std::map<std::string, std::int64_t> placement;  // figure id -> its place in its latest edition
    while (q.step()) {
        FigureValue g;
        g.id = q.text(0);
        g.kind = q.text(1);
        g.value = q.integer(2);
        g.decimals = static_cast<int>(q.integer(3));
        g.currency = q.text(4);
        if (!q.is_null(5)) g.year = static_cast<int>(q.integer(5));
        int edition = static_cast<int>(q.integer(6));
        std::string issued = q.text(7), lang = q.text(8), path = q.text(9);
        placement[g.id] = q.integer(10);
        auto [it, added] = index.emplace(g.id, out.size());
        if (added) out.push_back(FigureHistory{operation, g.id, g.kind, {}});
        FigureHistory& history = out[it->second];
        history.kind = g.kind;
        // The English and the French edition of a day carry the same figures: counted once.
        auto same =
            std::find_if(history.editions.begin(), history.editions.end(), [&](const FigureEdition& e) {
                return e.issued == issued && e.edition == edition && e.figure == g;
            });
        if (same != history.editions.end()) {
            same->langs.push_back(lang);
            continue;
        }
        history.editions.push_back(FigureEdition{g, edition, issued, {lang}, path});
    }
    // In the order the latest edition lists them.
    std::stable_sort(out.begin(), out.end(), [&](const FigureHistory& a, const FigureHistory& b) {
        return placement[a.figure] < placement[b.figure];
    });
    return out;
}

std::string joined_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool space = false, line_end = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        if (blank) {
            space = true;
            line_end = line_end || c == '\n' || c == '\r';
            continue;
        }
        // "protec-" at a line's end and "tion" on the next: one word again. A hyphen that belongs
        // to the word ("co-lead") is lost, which costs a search little: the tokenizer splits
        // words at hyphens anyway.
        if (space && line_end && out.size() >= 2 && out.back() == '-' && c >= 'a' && c <= 'z' &&
            out[out.size() - 2] != ' ')
            out.pop_back();
        else if (space && !out.empty())
            out += ' ';
        space = line_end = false;
        out += c;
    }
    return out;
}

std::string figure_value_text(const FigureValue& g) {
    std::string digits = std::to_string(g.value < 0 ? -g.value : g.value);
    if (g.decimals > 0) {
        auto places = static_cast<std::size_t>(g.decimals);
        if (digits.size() <= places) digits.insert(0, places + 1 - digits.size(), '0');
        digits.insert(digits.size() - places, ".");
    }
    std::string out = (g.value < 0 ? "-" : "") + digits;
    if (g.kind == "percentage") out += " %";
    if (!g.currency.empty()) out += " " + g.currency;
    return out;
}

std::string hits_json(const std::vector<SearchHit>& hits) {
    Json list = Json::array();
    for (const SearchHit& h : hits) {
        Json item = {{"operation", h.file.operation}, {"lang", h.file.lang},       {"kind", h.file.kind},
                     {"edition", h.file.edition},     {"issued", h.file.issued},   {"title", h.file.title},
                     {"path", h.file.path},           {"superseded", h.superseded}};
        item["section"] = h.section.empty() ? Json(nullptr) : Json(h.section);
        item["page"] = h.page;
        item["snippet"] = h.snippet;
        item["rank"] = h.rank;
        list.push_back(std::move(item));
    }
    return list.dump(2, ' ', false, Json::error_handler_t::replace);
}

std::string figures_json(const std::vector<FigureHistory>& figures) {
    Json list = Json::array();
    for (const FigureHistory& h : figures) {
        Json editions = Json::array();
        for (const FigureEdition& e : h.editions) {
            Json item = {{"edition", e.edition}, {"issued", e.issued}, {"value", e.figure.value}};
            if (e.figure.decimals != 0) item["decimals"] = e.figure.decimals;
            if (!e.figure.currency.empty()) item["currency"] = e.figure.currency;
            item["year"] = e.figure.year ? Json(*e.figure.year) : Json(nullptr);
            item["langs"] = e.langs;
            item["path"] = e.path;
            editions.push_back(std::move(item));
        }
        list.push_back(
            Json{{"operation", h.operation}, {"figure", h.figure}, {"kind", h.kind}, {"editions", editions}});
    }
    return list.dump(2, ' ', false, Json::error_handler_t::replace);
}

}  // namespace factsheet
