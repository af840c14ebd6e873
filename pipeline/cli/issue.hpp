// Issuing factsheets into the publication archive, and the archive commands (add, list, verify,
// reindex, config). The archive stage keeps the files and the catalog; this side builds the editions and
// the "Latest Publications" page. docs/archive.md describes both.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "archive/archive.hpp"
#include "driver/factsheets.hpp"

namespace factsheet {

/// The archive folder every command uses unless told otherwise.
inline constexpr const char* default_archive_dir = "output/archive";

/// Options of `factsheet issue`.
struct IssueOptions {
    std::vector<std::string> files;
    std::vector<Lang> langs{Lang::en, Lang::fr};
    bool combined = false;  // also the combined edition (en+fr)
    std::string archive = default_archive_dir;
    std::string date;  // YYYY-MM-DD; empty: SOURCE_DATE_EPOCH's day, else today
};

/// Options of the `factsheet archive` commands.
struct ArchiveOptions {
    std::string archive = default_archive_dir;
    std::string pdf;                      // add: the file
    std::string operation;                // add: required; list: a filter
    std::string lang;                     // add: required; list: a filter
    std::string title;                    // add
    std::string date;                     // add: YYYY-MM-DD, same default as issue
    bool json = false;                    // list
    std::optional<std::string> base_url;  // config: the address to set (given, even if empty)
    bool no_base_url = false;             // config: remove the address
};

/// The issue date: `given`, else the day of SOURCE_DATE_EPOCH, else today, all as `env` holds
/// them. Throws Error for a date that is not YYYY-MM-DD.
std::string issue_date(const std::string& given, const Environment& env);

/// What an edition is made from, hashed: the source's bytes, the layout folder and the language.
/// Equal hashes mean the same factsheet; the stamp and the publications list are left out.
std::string content_hash(const std::string& source_bytes, const std::string& layout_hash,
                         const std::string& lang);

/// The "Latest Publications" of a factsheet in `lang` from the operation's archived files
/// (newest first): those in `lang` first, then those in the other language that have no
/// counterpart in `lang` (same kind, same issue date); at most `limit`. `issuing` is the date of
/// the edition being issued, whose own counterpart is left out; empty for a plain build. With the
/// archive's `base_url`, each entry links to its file.
std::vector<Publication> archive_publications(const std::vector<ArchivedFile>& files, Lang lang,
                                              const FactsheetBuilder& builder,
                                              const std::string& issuing = "",
                                              const std::string& base_url = "", std::size_t limit = 5);

/// The template of the archive's index.html: layouts/archive/index.mustache under the working
/// folder, else the one next to the sources the program was built from.
std::string find_archive_template();

/// Renders index.html from a Mustache template (docs/archive.md lists its fields).
IndexPageRenderer index_page_renderer(const std::string& template_path);

/// The operation with the archive's publications listed before its own (for build --archive).
Operation with_archive_publications(const Operation& op, Lang lang, const std::string& archive_dir,
                                    const FactsheetBuilder& builder);

/// `factsheet issue`: builds each edition and issues it; returns the exit code.
int run_issue(const IssueOptions& options, const Environment& env, std::ostream& out, std::ostream& err);

/// `factsheet archive add`.
int run_archive_add(const ArchiveOptions& options, const Environment& env, std::ostream& out,
                    std::ostream& err);

/// `factsheet archive list`.
int run_archive_list(const ArchiveOptions& options, std::ostream& out);

/// `factsheet archive verify`: exit 1 when anything is wrong.
int run_archive_verify(const ArchiveOptions& options, std::ostream& out, std::ostream& err);

/// `factsheet archive reindex`.
int run_archive_reindex(const ArchiveOptions& options, std::ostream& out, std::ostream& err);

/// `factsheet archive config`: prints the base URL, or sets or removes it and republishes.
int run_archive_config(const ArchiveOptions& options, std::ostream& out);

}  // namespace factsheet
