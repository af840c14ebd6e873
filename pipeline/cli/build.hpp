// The build command's work on one source, shared by `build` and `watch`: every edition made in
// memory, then written atomically, so a failed build writes nothing.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "driver/factsheets.hpp"

namespace factsheet {

/// Which editions to build, where, and what to print.
struct BuildOptions {
    std::vector<Lang> langs{Lang::en, Lang::fr};
    bool combined = false;  // also the combined edition, <id>-en-fr.pdf
    std::string out_dir = "output";
    std::string archive;  // list this archive's publications in the factsheets; empty: none
    bool strict = false;  // warnings are errors: a source with any writes nothing
    bool draft = false;   // EditionOptions::draft
    int verbosity = 0;    // -1 problems only, 0 the paths written, 1 also pages, sizes and times
    bool colour_err = false;
};

/// Builds the editions of the source `file` and writes them to the output folder, each path on
/// `out` (unless quiet); problems go to `err` as FILE:LINE:COL lines. Nothing is written unless
/// every edition was made. Returns whether the source was built.
bool build_source(FactsheetBuilder& builder, const std::string& file, const BuildOptions& options,
                  std::ostream& out, std::ostream& err);

/// `factsheet watch`: builds the sources once, then again whenever they change (a source: that
/// source; a file of the layout folder or a font its styles use: every source), until SIGINT or
/// SIGTERM. Returns the exit code: 0 once stopped, whatever the builds did.
int run_watch(const std::vector<std::string>& files, const Environment& env, const BuildOptions& options,
              std::ostream& out, std::ostream& err);

/// The time line `-v` prints for an edition written to `path`: its pages and size, then each stage
/// ("read" is the source's, shared by its editions).
std::string stage_times_line(const std::string& path, const Edition& e, double read_seconds,
                             double write_seconds);

}  // namespace factsheet
