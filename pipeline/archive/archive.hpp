// Stage 6: the archive of issued PDFs. Files are immutable once issued; a SQLite catalog records
// them; index.json, index.html and the Atom feeds are regenerated after every change. docs/archive.md
// describes the layout on disk, the order of writes and what a crash can leave.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/edition_text.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"

namespace factsheet {

namespace archive_catalog {
class Catalog;
}

/// One file of the archive, as the catalog records it.
struct ArchivedFile {
    std::int64_t id = 0;    // catalog row; internal, renumbered by reindex
    std::string operation;  // "mali"
    std::string lang;       // "en" | "fr" | "en-fr" (combined_code)
    std::string kind;       // "factsheet" | "external"
    std::string title;
    int edition = 0;        // 1, 2... per operation, language and kind
    std::string issued;     // YYYY-MM-DD
    std::string path;       // relative to the archive: "mali/mali-en-e1-2026-11-29.pdf"
    std::string sha256;     // of the file, lowercase hex
    std::int64_t size = 0;  // bytes
    int pages = 0;
    std::string source_hash;                 // what the edition was made from (docs/archive.md)
    std::optional<std::int64_t> supersedes;  // id of the previous edition
    std::string supersedes_path;             // path of the previous edition; empty when none
    std::string superseded_by;               // path of the edition that replaced it; empty when none
    // What the file says of itself (PdfFacts); unset when the catalog predates them, until reindex.
    std::optional<std::string> pdfa;  // "PDF/A-1b" as claimed in its XMP; "" when it claims none
    std::optional<bool> tagged;       // /MarkInfo /Marked true and a /StructTreeRoot
};

/// Asks the archive for a factsheet edition.
struct IssueRequest {
    std::string operation;
    std::string lang;
    std::string title;
    std::string source_hash;           // equal hashes mean unchanged content: nothing is issued
    std::string issued;                // YYYY-MM-DD
    std::vector<FigureValue> figures;  // its key figures: stamped into the PDF and indexed
    // More stamps for the PDF, beside the archive's own and the figures (the as-of date): what a
    // later issue compares with. Not part of the content hash.
    std::vector<std::pair<std::string, std::string>> more_stamps;
};

/// What the builder gets while the catalog is locked: the edition allocated to it, the metadata
/// entries to stamp into the PDF and the operation's earlier publications (newest first).
struct IssueContext {
    int edition = 0;
    std::string issued;
    std::string base_url;  // the archive's base URL (ArchiveSettings); empty when it has none
    std::string path;      // where the edition will be, in the archive: "mali/mali-en-e2-2026-11-29.pdf"
    std::vector<std::pair<std::string, std::string>> meta;
    std::vector<ArchivedFile> publications;
    /// The builder may put the edition's text here, by section, for the search index; when it
    /// leaves it empty, the text is read from the PDF, page by page.
    EditionText* text = nullptr;
};

/// The archive's settings, kept in archive.json in its folder rather than in the catalog, so that
/// reindex, which rebuilds the catalog from the PDFs alone, keeps them.
struct ArchiveSettings {
    std::string base_url;  // the folder's published address, ending in '/'; empty: not known
};

/// A PDF made elsewhere, to be copied into the archive.
struct ExternalRequest {
    std::string pdf_path;
    std::string operation;
    std::string lang;
    std::string title;
    std::string issued;  // YYYY-MM-DD
};

/// The outcome of issue or add.
struct IssueResult {
    bool added = false;                // false: the same content was already there
    ArchivedFile file;                 // the new file, or the one that already holds this content
    std::vector<std::string> adopted;  // orphan files taken into the catalog on the way
    std::vector<Diagnostic> warnings;  // about the file added (JavaScript in it)
};

/// Something verify found wrong.
struct ArchiveProblem {
    enum class Kind { missing, changed, orphan, unknown, unindexed, unreadable_export };
    Kind kind = Kind::unknown;
    std::string path;    // relative to the archive
    std::string detail;  // lowercase, says what to do
    int line = 0;        // where in the file, when known (an export that does not parse)
    int col = 0;
};

/// What reindex did.
struct ReindexResult {
    std::size_t files = 0;                // files cataloged
    std::vector<ArchiveProblem> skipped;  // files it could not catalog
};

/// Filters for list; empty means any.
struct ListFilter {
    std::string operation;
    std::string lang;
};

/// Makes index.html from the archive's files, newest first (the CLI expands a Mustache layout).
using IndexPageRenderer = std::function<std::string(const std::vector<ArchivedFile>& newest_first)>;

/// Builds the PDF of an edition from its context; may throw Error, which cancels the issue.
using EditionBuilder = std::function<std::string(const IssueContext& context)>;

/// The largest PDF archive add reads (bytes).
inline constexpr std::size_t max_external_bytes = std::size_t{1} << 30;

/// An archive folder. Changes take an exclusive lock on the folder and a catalog transaction;
/// reads need neither.
class Archive {
public:
    /// An archive at `dir` (created by the first change). `render_html` makes index.html.
    Archive(std::string dir, IndexPageRenderer render_html);

    /// Issues a factsheet edition, or reports the edition that already has this content.
    IssueResult issue(const IssueRequest& request, const EditionBuilder& build);

    /// Copies a PDF made elsewhere into the archive; refuses what is not a regular file of at most
    /// max_external_bytes, files that are not readable PDFs, and encrypted ones.
    IssueResult add_external(const ExternalRequest& request);

    /// The cataloged files, newest first. Throws Error when the archive has no catalog.
    std::vector<ArchivedFile> list(const ListFilter& filter = {}) const;

    /// Re-hashes every file and looks for files the catalog does not know; empty when all is well.
    std::vector<ArchiveProblem> verify() const;

    /// Rebuilds the catalog from the files alone and swaps it in atomically.
    ReindexResult reindex();

    /// Regenerates index.json, index.html and the feeds (feed.xml, feed-en.xml, feed-fr.xml) from the
    /// catalog.
    void publish();

    /// The settings of archive.json; the defaults when there is none. Throws Error naming the
    /// file (line:col of a syntax error) when it is malformed.
    ArchiveSettings settings() const;

    /// Saves the settings (archive.json is removed when they are the defaults) and republishes.
    void configure(const ArchiveSettings& settings);

    /// True when the folder holds a catalog.
    bool has_catalog() const;

    /// The archive folder.
    const std::string& dir() const { return dir_; }

private:
    void publish_locked(const archive_catalog::Catalog& catalog);

    std::string dir_;
    IndexPageRenderer render_html_;
};

/// SHA-256 over every file under a folder (names and contents, in name order), lowercase hex.
std::string folder_hash(const std::string& dir);

/// What libqpdf reads from a PDF: its page count, Info dictionary (UTF-8 values), PDF/A claim and tags.
struct PdfFacts {
    int pages = 0;
    std::map<std::string, std::string> info;  // keys without the slash
    std::string pdfa;                         // pdfa_claim of the catalog's /Metadata; "" when none
    bool tagged = false;      // the catalog has /MarkInfo <</Marked true>> and a /StructTreeRoot
    bool javascript = false;  // an object is a JavaScript action or the /Names /JavaScript tree
};

/// The PDF/A part and conformance an XMP packet claims (pdfaid:part and pdfaid:conformance, as
/// attributes or elements, any prefix bound to the pdfaid namespace), as "PDF/A-1b" or "PDF/A-4";
/// "" when it claims none or is not XML. A claim, not a validation.
std::string pdfa_claim(std::string_view xmp);

/// Opens PDF bytes with libqpdf, without repairing them. Throws Error at `name` when the bytes
/// are not a readable PDF.
PdfFacts read_pdf_facts(const std::string& bytes, const std::string& name);

/// The string members of a sidecar's JSON object (other members are left out). Throws Error at
/// `name` (line:col of a syntax error) when the text is not one JSON object.
std::map<std::string, std::string> parse_sidecar(std::string_view text, const std::string& name);

/// The files as a JSON array (the form of list --json and of index.json's "publications"); with a
/// base URL, each object also has the file's absolute "url".
std::string files_json(const std::vector<ArchivedFile>& files, const std::string& base_url = "");

/// A base URL checked and ended with '/': http:// or https://, a host, no space, no query or
/// fragment. Throws Error at `where` saying what is wrong and what to give instead.
std::string checked_base_url(std::string_view url, const std::string& where);

/// The address of a file of the archive: the base URL, then its path percent-encoded where needed.
std::string file_url(const std::string& base_url, std::string_view path);

/// True for an operation id safe to use as a file name: [a-z0-9] words joined by '-'.
bool valid_operation_id(std::string_view id);

/// True for a real calendar date written YYYY-MM-DD, of 1900 or later.
bool valid_iso_date(std::string_view date);

}  // namespace factsheet
