#include "archive/archive.hpp"

#include "common/ids.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "archive/catalog.hpp"
#include "archive/disk.hpp"
#include "archive/publish.hpp"
#include "archive/search_index.hpp"
#include "common/date.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/language.hpp"
#include "common/utf8.hpp"

namespace factsheet {

namespace fs = std::filesystem;
using archive_catalog::Catalog;

// Every file of the archive is read back whole (verify, reindex, search): the largest it takes
// must be one read_whole_file reads.
static_assert(max_external_bytes <= max_whole_file_bytes);

namespace {

constexpr const char* catalog_name = "catalog.sqlite";
constexpr const char* kind_factsheet = "factsheet";
constexpr const char* kind_external = "external";

// The names kept in the archive's root folder besides the operations' folders.
const std::set<std::string> root_files = {
    "catalog.sqlite", "catalog.sqlite-journal", ".lock", "index.json", "index.html", "feed.xml",
    "feed-en.xml", "feed-fr.xml", "archive.json", "search.js",
    // complete copies left when a run stopped just before renaming; the next change removes them
    ".index.json.new", ".index.html.new", ".feed.xml.new", ".feed-en.xml.new", ".feed-fr.xml.new",
    ".archive.json.new", ".search.js.new",
    // a catalog being created, renamed into place once complete (a stopped run's is started afresh)
    ".catalog.sqlite.new", ".catalog.sqlite.new-journal", ".catalog.sqlite.reindex.new",
    ".catalog.sqlite.reindex.new-journal",
    // a catalog reindex was building when stopped; the next reindex starts it afresh
    "catalog.sqlite.reindex", "catalog.sqlite.reindex-journal"};

// "mali-en-e2-2026-11-29.pdf"; external files: "mali-external-fr-e1-2026-11-29.pdf".
std::string file_name(const std::string& operation, const std::string& lang, const std::string& kind,
                      int edition, const std::string& issued) {
    std::string infix = kind == kind_external ? "-external-" : "-";
    return operation + infix + lang + "-e" + std::to_string(edition) + "-" + issued + ".pdf";
}

// The edition a file name of the operation's folder carries (any kind and language), or 0.
int edition_in_name(const std::string& name, const std::string& operation, const std::string& lang,
                    const std::string& kind) {
    std::string prefix = operation + (kind == kind_external ? "-external-" : "-") + lang + "-e";
    if (name.rfind(prefix, 0) != 0) return 0;
    std::size_t at = prefix.size(), end = at;
    while (end < name.size() && end - at < 9 && name[end] >= '0' && name[end] <= '9') ++end;
    if (end == at || end >= name.size() || name[end] != '-') return 0;
    return std::stoi(name.substr(at, end - at));
}

// A title goes into the catalog, the PDF's stamps, the page, the feeds and the JSON: one line of
// UTF-8 text, refused here rather than written raw into them.
void check_title(const std::string& title, const std::string& where) {
    if (std::optional<utf8::Unsafe> bad = utf8::find_unsafe(title))
        throw Error(SourcePos{where, 0, 0}, "the title has " + utf8::describe(title, *bad) + " at byte " +
                                                std::to_string(bad->offset + 1) +
                                                ": a title is one line of UTF-8 text without control "
                                                "characters; remove it or retype the title");
}

void check_request(const std::string& operation, const std::string& lang, const std::string& title,
                   const std::string& issued, const std::string& where) {
    if (!valid_operation_id(operation))
        throw Error(SourcePos{where, 0, 0},
                    "operation \"" + operation + "\" is not an id of lowercase letters, digits and '-'");
    if (!is_edition_code(lang))
        throw Error(SourcePos{where, 0, 0}, "language \"" + lang + "\" is not en, fr or en-fr");
    if (!valid_iso_date(issued))
        throw Error(SourcePos{where, 0, 0}, "issue date \"" + issued + "\" is not a date written YYYY-MM-DD");
    if (title.empty()) throw Error(SourcePos{where, 0, 0}, "the title is empty: give one with --title");
    check_title(title, where);
}

// The metadata stamped into an issued factsheet: enough for reindex to catalog it again.
std::vector<std::pair<std::string, std::string>> stamps(const ArchivedFile& f) {
    return {{"FactsheetOperation", f.operation}, {"FactsheetLang", f.lang},
            {"FactsheetKind", f.kind},           {"FactsheetEdition", std::to_string(f.edition)},
            {"FactsheetIssued", f.issued},       {"FactsheetSourceHash", f.source_hash},
            {"FactsheetTitle", f.title}};
}

// The sidecar of an external PDF: the same stamps, as JSON beside it (its own bytes stay as given).
std::string sidecar_json(const ArchivedFile& f) {
    nlohmann::ordered_json sidecar = {{"format", "factsheet-archive-sidecar"}, {"version", 1}};
    for (const auto& [key, value] : stamps(f)) sidecar[key] = value;
    // A title that is not UTF-8 gets U+FFFD: the sidecar is always valid JSON.
    return sidecar.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

// Reads what a file of the archive says about itself; throws Error with what is wrong.
ArchivedFile read_stamped(const std::string& dir, const std::string& relative) {
    fs::path rel(relative);
    std::string folder = rel.parent_path().string(), name = rel.filename().string();
    std::string bytes = read_whole_file(dir + "/" + relative);
    PdfFacts facts = read_pdf_facts(bytes, relative);
    std::map<std::string, std::string> fields;
    if (name.rfind(folder + "-external-", 0) == 0) {
        std::string sidecar_path = relative + ".json";
        fields = parse_sidecar(read_whole_file(dir + "/" + sidecar_path), sidecar_path);
    } else {
        fields = facts.info;
    }
    auto field = [&](const char* key) {
        auto it = fields.find(key);
        if (it == fields.end() || it->second.empty())
            throw Error(SourcePos{relative, 0, 0},
                        std::string("has no ") + key + " stamp: it was not issued by this archive");
        return it->second;
    };
    ArchivedFile f;
    f.operation = field("FactsheetOperation");
    f.lang = field("FactsheetLang");
    f.kind = field("FactsheetKind");
    std::string edition = field("FactsheetEdition");
    f.issued = field("FactsheetIssued");
    f.source_hash = field("FactsheetSourceHash");
    f.title = field("FactsheetTitle");
    bool digits = edition.size() <= 9 &&
                  std::all_of(edition.begin(), edition.end(), [](char c) { return c >= '0' && c <= '9'; });
    f.edition = digits ? std::stoi(edition) : 0;
    if (!valid_operation_id(f.operation) || !is_edition_code(f.lang) || !valid_iso_date(f.issued) ||
        f.edition < 1 || (f.kind != kind_factsheet && f.kind != kind_external))
        throw Error(SourcePos{relative, 0, 0}, "has malformed stamps");
    std::string expected = f.operation + "/" + file_name(f.operation, f.lang, f.kind, f.edition, f.issued);
    if (expected != relative)
        throw Error(SourcePos{relative, 0, 0},
                    "its stamps name it " + expected + ": it was renamed or moved");
    f.path = relative;
    f.sha256 = sha256_hex(bytes);
    f.size = static_cast<std::int64_t>(bytes.size());
    f.pages = facts.pages;
    f.pdfa = facts.pdfa;
    f.tagged = facts.tagged;
    return f;
}

// The PDFs directly inside an operation's folder, relative to the archive, sorted.
std::vector<std::string> pdfs_of(const std::string& dir, const std::string& operation) {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir + "/" + operation, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (it->is_regular_file() && name.size() > 4 && name.compare(name.size() - 4, 4, ".pdf") == 0)
            out.push_back(operation + "/" + name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The highest edition any file name of the folder already takes, cataloged or not: a new
// edition never reuses a name, even one held by a damaged file.
int edition_on_disk(const std::string& dir, const std::string& operation, const std::string& lang,
                    const std::string& kind) {
    int highest = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir + "/" + operation, ec), end; !ec && it != end; it.increment(ec))
        highest = std::max(highest, edition_in_name(it->path().filename().string(), operation, lang, kind));
    return highest;
}

// The operations' folders of the archive, sorted.
std::vector<std::string> operation_folders(const std::string& dir) {
    std::vector<std::string> operations;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (it->is_directory() && valid_operation_id(name)) operations.push_back(name);
    }
    std::sort(operations.begin(), operations.end());
    return operations;
}

// Catalogs the complete files that a stopped run wrote but did not record (docs/archive.md), in
// every operation's folder: the next change, whatever operation it is for, leaves the archive
// whole. Runs inside the caller's transaction. Returns their paths.
std::vector<std::string> adopt_orphans(Catalog& catalog, const std::string& dir) {
    std::vector<ArchivedFile> found;
    for (const std::string& operation : operation_folders(dir)) {
        for (const std::string& relative : pdfs_of(dir, operation)) {
            if (catalog.has_path(relative)) continue;
            try {
                found.push_back(read_stamped(dir, relative));
            } catch (const Error&) {
                // not adoptable: verify reports it, and its name is never reused
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const ArchivedFile& a, const ArchivedFile& b) {
        return std::tie(a.operation, a.kind, a.lang, a.edition) <
               std::tie(b.operation, b.kind, b.lang, b.edition);
    });
    std::vector<std::string> adopted;
    for (ArchivedFile& f : found) {
        if (f.kind == kind_factsheet)
            if (auto previous = catalog.before(f.operation, f.lang, f.kind, f.edition))
                f.supersedes = previous->id;
        f.id = catalog.insert(f);
        archive_search::store(catalog.handle(), catalog.path(), f, archive_search::file_text(dir, f));
        adopted.push_back(f.path);
    }
    return adopted;
}

// Every file as the catalog lists it, each superseded edition naming the one that replaced it (a
// later edition of its operation, language and kind links back to it).
std::vector<ArchivedFile> all_files(const Catalog& catalog) {
    std::vector<ArchivedFile> files = catalog.all();
    // The one place the exports' texts pass: what an older program stored raw (a title with a
    // control character, bytes that are not UTF-8) or a hand-edited catalog holds leaves as U+FFFD.
    for (ArchivedFile& f : files)
        for (std::string* text : {&f.operation, &f.lang, &f.kind, &f.title, &f.issued, &f.path, &f.sha256,
                                  &f.source_hash, &f.supersedes_path})
            *text = utf8::safe_line(*text);
    for (ArchivedFile& f : files)
        if (f.pdfa) f.pdfa = utf8::safe_line(*f.pdfa);
    std::map<std::string, std::string> replaced;  // path -> the path of the edition that supersedes it
    for (const ArchivedFile& f : files)
        if (!f.supersedes_path.empty()) replaced[f.supersedes_path] = f.path;
    for (ArchivedFile& f : files)
        if (auto it = replaced.find(f.path); it != replaced.end()) f.superseded_by = it->second;
    return files;
}

std::vector<ArchivedFile> of_operation(const std::vector<ArchivedFile>& files, const std::string& operation) {
    std::vector<ArchivedFile> out;
    for (const ArchivedFile& f : files)
        if (f.operation == operation) out.push_back(f);
    return out;
}

}  // namespace

std::map<std::string, std::string> parse_sidecar(std::string_view text, const std::string& name) {
    nlohmann::json sidecar;
    try {
        sidecar = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // what() is "[json.exception.parse_error.101] parse error at line 1, column 4: <detail>";
        // the position is given again as file:line:col, so only the detail is kept.
        std::string detail = e.what();
        std::size_t at = detail.find(": ");
        if (at != std::string::npos) detail.erase(0, at + 2);
        // `byte` counts the bytes read, the offending one included.
        throw Error(LineMap(name, text).at(e.byte > 0 ? e.byte - 1 : 0), "not valid JSON: " + detail);
    }
    if (!sidecar.is_object())
        throw Error(SourcePos{name, 1, 1}, "not a JSON object: a sidecar holds one object of stamps");
    std::map<std::string, std::string> fields;
    for (const auto& [key, value] : sidecar.items())
        if (value.is_string()) fields[key] = value.get<std::string>();
    return fields;
}

bool valid_operation_id(std::string_view id) {
    return is_valid_id(id);  // the sources' own rule: an id that validates can be issued
}

bool valid_iso_date(std::string_view date) {
    std::optional<Date> day = parse_iso_date(date);
    return day && day->year >= 1900;
}

Archive::Archive(std::string dir, IndexPageRenderer render_html)
    : dir_(std::move(dir)), render_html_(std::move(render_html)) {}

bool Archive::has_catalog() const {
    struct stat st {};
    // An empty file (an older program killed while creating the catalog) is no catalog: the next
    // change creates it.
    return ::stat((dir_ + "/" + catalog_name).c_str(), &st) == 0 && st.st_size > 0;
}

namespace {

// Writes a file of the archive that must not exist yet (its folder made if needed); an issued file
// is never replaced.
void store_new_file(const std::string& dir, const std::string& relative, const std::string& bytes) {
    fs::path path = fs::path(dir) / relative;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        throw Error(SourcePos{path.parent_path().string(), 0, 0},
                    "cannot create the folder: " + ec.message());
    remove_stale_temporaries(path.parent_path().string());  // what killed runs left in the folder
    if (!archive_disk::write_new_file(path.string(), bytes))
        throw Error(SourcePos{path.string(), 0, 0}, "already exists: an issued file is never replaced");
}

// The next edition of a publication: numbered after the catalog's latest and after any file on
// disk (an orphan a crash left keeps its number), and named from its fields.
ArchivedFile next_edition(const std::string& dir, const std::string& operation, const std::string& lang,
                          const std::string& kind, const std::string& title, const std::string& issued,
                          const std::string& source_hash, const std::optional<ArchivedFile>& latest) {
    ArchivedFile f;
    f.operation = operation;
    f.lang = lang;
    f.kind = kind;
    f.title = title;
    f.issued = issued;
    f.source_hash = source_hash;
    f.edition = std::max(latest ? latest->edition : 0, edition_on_disk(dir, operation, lang, kind)) + 1;
    f.path = operation + "/" + file_name(operation, lang, kind, f.edition, issued);
    return f;
}

}  // namespace

IssueResult Archive::issue(const IssueRequest& request, const EditionBuilder& build) {
    check_request(request.operation, request.lang, request.title, request.issued, request.operation);
    archive_disk::FolderLock lock(dir_);
    std::string base_url = settings().base_url;  // read under the lock: a malformed file stops here
    Catalog catalog(dir_ + "/" + catalog_name, true);
    IssueResult result;
    catalog.begin();
    try {
        result.adopted = adopt_orphans(catalog, dir_);
        std::optional<ArchivedFile> latest = catalog.latest(request.operation, request.lang, kind_factsheet);
        if (latest && latest->source_hash == request.source_hash) {
            catalog.commit();
            result.file = *latest;
            if (!result.adopted.empty()) publish_locked(catalog);
            return result;
        }
        ArchivedFile f = next_edition(dir_, request.operation, request.lang, kind_factsheet, request.title,
                                      request.issued, request.source_hash, latest);
        if (latest) {
            f.supersedes = latest->id;
            f.supersedes_path = latest->path;
        }

        IssueContext context;
        context.edition = f.edition;
        context.issued = f.issued;
        context.base_url = base_url;
        context.path = f.path;
        context.meta = stamps(f);
        if (!request.figures.empty())
            context.meta.emplace_back(archive_search::figures_stamp_key,
                                      archive_search::figures_stamp(request.figures));
        context.meta.insert(context.meta.end(), request.more_stamps.begin(), request.more_stamps.end());
        context.publications = of_operation(all_files(catalog), f.operation);
        EditionText text;
        context.text = &text;
        std::string pdf = build(context);
        if (text.sections.empty()) text = archive_search::pdf_text(pdf, f.path);
        text.figures = request.figures;

        PdfFacts facts = read_pdf_facts(pdf, f.path);
        for (const auto& [key, value] : context.meta)
            if (facts.info[key] != value)
                throw Error(SourcePos{f.path, 0, 0},
                            "the built PDF lacks its " + key + " stamp: the layout must write document.meta");
        f.sha256 = sha256_hex(pdf);
        f.size = static_cast<std::int64_t>(pdf.size());
        f.pages = facts.pages;
        f.pdfa = facts.pdfa;
        f.tagged = facts.tagged;

        // The file first, under a name nobody else can take while we hold the lock; then the row.
        store_new_file(dir_, f.path, pdf);
        f.id = catalog.insert(f);
        archive_search::store(catalog.handle(), catalog.path(), f, text);
        catalog.commit();
        result.added = true;
        result.file = f;
    } catch (...) {
        catalog.rollback();
        throw;
    }
    publish_locked(catalog);
    return result;
}

IssueResult Archive::add_external(const ExternalRequest& request) {
    check_title(request.title, "--title");
    check_request(request.operation, request.lang, request.title, request.issued, request.pdf_path);
    // Only a regular file is read: a device (/dev/zero) or a pipe could be read forever.
    SourcePos at{request.pdf_path, 0, 0};
    std::string pdf = read_regular_file(
        request.pdf_path, max_external_bytes,
        FileErrors{[&](std::size_t) {
                       return Error(at,
                                    "larger than " + std::to_string(max_external_bytes >> 20) +
                                        " MB: the archive takes PDFs up to that size; make a smaller export");
                   },
                   [&](std::string_view kind) {
                       return Error(at, std::string("not a regular file (") +
                                            (kind == "a folder" ? "a folder" : "a device or a pipe") +
                                            "): give the path of a PDF file");
                   },
                   [&](int e) { return Error(at, std::string("cannot read: ") + std::strerror(e)); }});
    PdfFacts facts = read_pdf_facts(pdf, request.pdf_path);
    std::string sha = sha256_hex(pdf);
    EditionText text = archive_search::pdf_text(pdf, request.pdf_path);

    archive_disk::FolderLock lock(dir_);
    settings();  // a malformed archive.json stops the change before anything is written
    Catalog catalog(dir_ + "/" + catalog_name, true);
    IssueResult result;
    catalog.begin();
    try {
        result.adopted = adopt_orphans(catalog, dir_);
        if (std::optional<ArchivedFile> same = catalog.with_sha256(sha)) {
            catalog.commit();
            result.file = *same;
            if (!result.adopted.empty()) publish_locked(catalog);
            return result;
        }
        std::optional<ArchivedFile> latest = catalog.latest(request.operation, request.lang, kind_external);
        ArchivedFile f = next_edition(dir_, request.operation, request.lang, kind_external, request.title,
                                      request.issued, sha, latest);
        f.sha256 = sha;
        f.size = static_cast<std::int64_t>(pdf.size());
        f.pages = facts.pages;
        f.pdfa = facts.pdfa;
        f.tagged = facts.tagged;

        // The sidecar before the PDF: a PDF of the archive always has its stamps beside it.
        store_new_file(dir_, f.path + ".json", sidecar_json(f));
        store_new_file(dir_, f.path, pdf);
        f.id = catalog.insert(f);
        archive_search::store(catalog.handle(), catalog.path(), f, text);
        catalog.commit();
        result.added = true;
        result.file = f;
        // Archived all the same: it is what was published, and the archive keeps bytes as given.
        if (facts.javascript)
            result.warnings.push_back(
                {SourcePos{request.pdf_path, 0, 0},
                 "the PDF contains JavaScript, which viewers may run when it is opened: "
                 "archived as it is; if it is not meant to be there, export the file "
                 "again without it"});
    } catch (...) {
        catalog.rollback();
        throw;
    }
    publish_locked(catalog);
    return result;
}

std::vector<ArchivedFile> Archive::list(const ListFilter& filter) const {
    struct stat st {};
    if (::stat((dir_ + "/" + catalog_name).c_str(), &st) == 0 && st.st_size == 0)
        return {};  // an empty catalog an older program left, killed while creating it: no file yet
    Catalog catalog(dir_ + "/" + catalog_name, false);
    std::vector<ArchivedFile> out;
    for (ArchivedFile& f : all_files(catalog))
        if ((filter.operation.empty() || f.operation == filter.operation) &&
            (filter.lang.empty() || f.lang == filter.lang))
            out.push_back(std::move(f));
    return out;
}

std::vector<ArchiveProblem> Archive::verify() const {
    using Kind = ArchiveProblem::Kind;
    std::vector<ArchivedFile> files = list();
    std::vector<ArchiveProblem> problems;
    std::set<std::string> known;
    for (const ArchivedFile& f : files) {
        known.insert(f.path);
        if (f.kind == kind_external) known.insert(f.path + ".json");
        std::string full = dir_ + "/" + f.path;
        struct stat st {};
        if (::stat(full.c_str(), &st) != 0) {
            problems.push_back(
                {Kind::missing, f.path, "missing: restore it from a backup (sha256 " + f.sha256 + ")"});
            continue;
        }
        std::string bytes = read_whole_file(full);
        std::string sha = sha256_hex(bytes);
        if (sha != f.sha256)
            problems.push_back({Kind::changed, f.path,
                                "changed since it was issued (sha256 " + sha + ", cataloged " + f.sha256 +
                                    "): restore it from a backup"});
    }
    std::error_code ec;
    std::vector<std::string> entries;
    for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec))
        entries.push_back(it->path().filename().string());
    std::sort(entries.begin(), entries.end());
    for (const std::string& name : entries) {
        fs::path full = fs::path(dir_) / name;
        if (fs::is_directory(full) && valid_operation_id(name)) {
            std::vector<std::string> inside;
            for (fs::directory_iterator it(full, ec), end; !ec && it != end; it.increment(ec))
                inside.push_back(name + "/" + it->path().filename().string());
            std::sort(inside.begin(), inside.end());
            for (const std::string& relative : inside) {
                if (known.count(relative)) continue;
                bool pdf = relative.size() > 4 && relative.compare(relative.size() - 4, 4, ".pdf") == 0;
                if (is_temporary_name(fs::path(relative).filename().string())) {
                    problems.push_back({Kind::unknown, relative,
                                        "a temporary file a stopped run left: the next change removes it"});
                    continue;
                }
                if (!pdf) {
                    bool sidecar =
                        relative.size() > 9 && relative.compare(relative.size() - 9, 9, ".pdf.json") == 0;
                    if (sidecar && known.count(relative.substr(0, relative.size() - 5)) == 0 &&
                        fs::exists(fs::path(dir_) / relative.substr(0, relative.size() - 5)))
                        continue;  // the sidecar of an orphan, reported with it
                    problems.push_back(
                        {Kind::unknown, relative, "not a file of the archive: move it elsewhere"});
                    continue;
                }
                try {
                    read_stamped(dir_, relative);
                    problems.push_back(
                        {Kind::orphan, relative,
                         "complete but not in the catalog: a run was stopped before recording it; the next "
                         "change (issue, archive add) adopts it, or run \"factsheet archive reindex\""});
                } catch (const Error& e) {
                    problems.push_back({Kind::unknown, relative,
                                        "not a file of the archive (" + e.diagnostics().front().message +
                                            "): move it elsewhere"});
                }
            }
        } else if (!root_files.count(name)) {
            problems.push_back({Kind::unknown, name, "not a file of the archive: move it elsewhere"});
        }
    }
    {
        Catalog catalog(dir_ + "/" + catalog_name, false);
        for (const std::string& path : archive_search::unindexed(catalog.handle(), catalog.path()))
            problems.push_back({Kind::unindexed, path,
                                "not in the search index: run \"factsheet archive reindex\" to index it"});
    }
    for (ArchiveProblem& p : archive_publish::check_exports(dir_)) problems.push_back(std::move(p));
    return problems;
}

ReindexResult Archive::reindex() {
    archive_disk::FolderLock lock(dir_);
    settings();  // a malformed archive.json stops the change before anything is written
    ReindexResult result;
    std::vector<ArchivedFile> found;
    for (const std::string& operation : operation_folders(dir_)) {
        for (const std::string& relative : pdfs_of(dir_, operation)) {
            try {
                found.push_back(read_stamped(dir_, relative));
            } catch (const Error& e) {
                result.skipped.push_back(
                    {ArchiveProblem::Kind::unknown, relative, e.diagnostics().front().message});
            }
        }
    }
    // Earlier editions first, so each row can point at the one it supersedes.
    std::sort(found.begin(), found.end(), [](const ArchivedFile& a, const ArchivedFile& b) {
        return std::tie(a.operation, a.kind, a.lang, a.edition) <
               std::tie(b.operation, b.kind, b.lang, b.edition);
    });

    std::string target = dir_ + "/" + catalog_name;
    std::string fresh = target + ".reindex";
    ::unlink(fresh.c_str());
    ::unlink((fresh + "-journal").c_str());
    {
        Catalog catalog(fresh, true);
        catalog.begin();
        try {
            for (ArchivedFile& f : found) {
                if (f.kind == kind_factsheet)
                    if (auto previous = catalog.before(f.operation, f.lang, f.kind, f.edition))
                        f.supersedes = previous->id;
                f.id = catalog.insert(f);
                archive_search::store(catalog.handle(), catalog.path(), f,
                                      archive_search::file_text(dir_, f));
            }
            catalog.commit();
        } catch (...) {
            catalog.rollback();
            catalog.close();
            ::unlink(fresh.c_str());
            throw;
        }
        catalog.close();
    }
    // Opening the old catalog lets SQLite settle a journal a stopped writer left; any journal
    // still there belongs to the old file and must not meet the new one.
    try {
        if (has_catalog()) Catalog old(target, false);
    } catch (const Error&) {}
    ::unlink((target + "-journal").c_str());
    if (::rename(fresh.c_str(), target.c_str()) != 0)
        throw Error(SourcePos{target, 0, 0},
                    std::string("cannot replace the catalog: ") + std::strerror(errno));
    sync_folder(dir_);
    result.files = found.size();
    Catalog catalog(target, false);
    publish_locked(catalog);
    return result;
}

void Archive::publish() {
    archive_disk::FolderLock lock(dir_);
    Catalog catalog(dir_ + "/" + catalog_name, true);
    publish_locked(catalog);
}

void Archive::publish_locked(const archive_catalog::Catalog& catalog) {
    std::vector<ArchivedFile> files = all_files(catalog);
    remove_stale_temporaries(dir_);  // what killed runs left at the root
    std::string base_url = settings().base_url;
    archive_disk::replace_file(dir_ + "/index.json", archive_publish::index_json(files, base_url));
    archive_disk::replace_file(dir_ + "/feed.xml", archive_publish::atom_feed(files, base_url));
    for (const char* lang : lang_codes)
        archive_disk::replace_file(dir_ + "/feed-" + lang + ".xml",
                                   archive_publish::atom_feed(files, base_url, lang));
    if (archive_search::has_index(catalog.handle()))
        archive_disk::replace_file(dir_ + "/search.js",
                                   archive_search::page_index(catalog.handle(), catalog.path(), files));
    if (render_html_) archive_disk::replace_file(dir_ + "/index.html", render_html_(files));
}

}  // namespace factsheet
