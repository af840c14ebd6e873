// `factsheet archive search` and `factsheet archive figures`: questions to the archive's search
// index (docs/archive.md, "Search").
#pragma once

#include <iosfwd>
#include <string>

#include "cli/issue.hpp"

namespace factsheet {

/// Options of `factsheet archive search` and `factsheet archive figures`.
struct SearchOptions {
    std::string archive = default_archive_dir;
    std::string query;      // search: FTS5 syntax
    std::string lang;       // search: en, fr or en-fr
    std::string operation;  // search: a filter; figures: the operation
    std::string since;      // search: YYYY-MM-DD
    std::string figure;     // figures: one figure id
    std::size_t limit = 50;
    bool json = false;
};

/// `factsheet archive search`: the best matches, one per line with its snippet; exit 1 when
/// nothing matches.
int run_archive_search(const SearchOptions& options, std::ostream& out);

/// `factsheet archive figures`: each key figure of an operation, edition by edition.
int run_archive_figures(const SearchOptions& options, std::ostream& out);

}  // namespace factsheet
