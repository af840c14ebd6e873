// Batch regeneration: every source of a folder built on worker threads, skipping factsheets whose
// inputs (source, layout files, fonts, hyphenation dictionary, program version, date) have not
// changed since they were last built. Sources stream through: read, build, write, drop, so memory
// does not grow with the batch.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "driver/factsheets.hpp"

namespace factsheet {

/// What to build and how.
struct BatchOptions {
    std::string source_dir = "input";
    std::vector<Lang> langs{Lang::en, Lang::fr};
    bool combined = false;  // also the combined edition, <id>-en-fr.pdf
    std::string out_dir = "output";
    Environment env;       // the layout folder, program version and date
    unsigned jobs = 1;     // worker threads; never more than there are sources
    bool force = false;    // rebuild even what is up to date
    bool dry_run = false;  // decide what would be built, write nothing
    bool strict = false;   // warnings are errors: a factsheet with any is not written
    bool draft = false;    // build drafts (EditionOptions::draft); otherwise a missing text fails its edition
};

/// What happened to one factsheet (one edition of a source).
enum class BuildStatus { built, skipped, failed, planned };

/// "built", "skipped", "failed", "planned".
const char* status_name(BuildStatus status);

/// One factsheet of a source.
struct EditionResult {
    Lang lang = Lang::en;
    bool combined = false;  // the combined edition (lang: en)
    std::string path;       // output/mali-en.pdf
    BuildStatus status = BuildStatus::failed;
    int pages = 0;          // 0 when unknown (failed, planned)
    std::size_t bytes = 0;  // size of the PDF
    std::string sha256;     // of the PDF, hex; empty when there is none
    double seconds = 0;     // time spent building and writing it
    std::string input_key;  // SHA-256 of everything it is made from, hex
};

/// One source and its factsheets.
struct SourceResult {
    std::string source;                   // the path as listed: input/mali.xml
    std::string id;                       // the operation's id; empty when the source is unreadable
    std::vector<EditionResult> editions;  // empty when the source itself failed
    std::vector<Diagnostic> errors;       // every problem, FILE:LINE:COL
    std::vector<Diagnostic> warnings;
    bool internal = false;  // failed by a fault of the program, not of its input

    /// failed when any error, else built when any edition was built, planned when any would be,
    /// else skipped.
    BuildStatus status() const;
};

/// How many sources, or factsheets, ended in each status.
struct BatchCounts {
    std::size_t built = 0, skipped = 0, failed = 0, planned = 0;
};

/// The outcome of a batch: the sources by their status (SourceResult::status: a source with any
/// error failed, even when some of its factsheets were built), and the factsheets by theirs (a
/// source that cannot be read counts one failed factsheet per edition asked for). Each source's
/// own result goes to the BatchProgress callback and is not kept, so that memory does not grow
/// with the batch.
struct BatchResult {
    std::size_t sources = 0;  // how many
    BatchCounts by_source;
    BatchCounts factsheets;
    double seconds = 0;
    bool internal = false;  // some failure was a fault of the program
    bool dry_run = false;
};

/// Called once for each source as it finishes, in the order of the sources' paths, on a worker's or
/// writer's thread; never two at a time. The result is dropped when it returns.
using BatchProgress = std::function<void(const SourceResult& result, std::size_t done, std::size_t total)>;

/// The sources of a folder: its regular *.xml files (not subfolders), sorted by path.
/// Throws Error naming the folder when it cannot be read or holds no source.
std::vector<std::string> list_sources(const std::string& dir);

/// Builds the sources in `paths` (as list_sources gives them). A source that fails does not stop
/// the others. Throws Error only for what stops every build: a broken layout, an output folder
/// that cannot be created.
BatchResult run_batch(const std::vector<std::string>& paths, const BatchOptions& options,
                      const BatchProgress& progress = {});

/// The name of the record of what was built, kept in the output folder: the key and hash of each
/// PDF, and the digests of the environment's large files by their identity (cli/file_digests.hpp).
inline constexpr const char* build_record_name = ".factsheet-cache";

/// How `factsheet batch` talks to a person.
struct BatchDisplay {
    int verbosity = 0;          // -1 quiet (errors only), 0 normal, 1 verbose
    bool json = false;          // stdout gets the JSON document and nothing else
    bool progress_bar = false;  // stderr is a terminal: draw a bar there
    bool lines = true;          // one line per factsheet on stdout
    bool colour_out = false;
    bool colour_err = false;
    std::size_t width = 80;  // of the terminal the bar is drawn on
};

/// Runs a batch and reports it: errors on `err` as they come, a progress bar or plain lines, and a
/// closing summary on `out`; or on `out` the JSON document, each source's item written as it
/// finishes and the summary at the end.
BatchResult run_batch_command(const BatchOptions& options, const BatchDisplay& display, std::ostream& out,
                              std::ostream& err);

}  // namespace factsheet
