// The translators' commands: `xliff export`, `xliff import` and `translations`
// (docs/translation.md). The xliff stage does the work; this side reads and writes the files and
// prints what happened.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "source/operation.hpp"
#include "xliff/xliff.hpp"

namespace factsheet {

/// Options of the translators' commands.
struct TranslateOptions {
    std::vector<std::string> files;     // export: the source; import: the XLIFF; translations: sources
    Lang target = Lang::fr;             // export: the language to translate into
    std::string out;                    // export: the XLIFF to write; empty: standard output
    std::string into;                   // import: the source; empty: the XLIFF's original
    bool confirm = false;               // import: see xliff::ImportOptions::confirm
    bool dry_run = false;               // import: report, write nothing
    std::vector<Lang> langs{Lang::fr};  // translations
    bool quiet = false;
    bool colour_err = false;  // colour the diagnostics on `err`
};

/// `factsheet xliff export`: writes the XLIFF (to `out` when no file is given). Throws Error.
int run_xliff_export(const TranslateOptions& o, std::ostream& out, std::ostream& err);

/// `factsheet xliff import`: writes the XLIFF's translations into its source, atomically, after
/// `validate` accepted the new source. Throws Error, having written nothing.
int run_xliff_import(const TranslateOptions& o, const xliff::Validator& validate, std::ostream& out,
                     std::ostream& err);

/// `factsheet translations`: prints the missing and stale texts as errors and a summary line per
/// language; 1 when there is any (or a source cannot be read), 0 otherwise.
int run_translations(const TranslateOptions& o, std::ostream& out, std::ostream& err);

}  // namespace factsheet
