#include "cli/search.hpp"

#include <ostream>

#include "archive/search.hpp"
#include "common/error.hpp"

namespace factsheet {

int run_archive_search(const SearchOptions& o, std::ostream& out) {
    if (!o.since.empty() && !valid_iso_date(o.since))
        throw Error(SourcePos{"--since", 0, 0}, "\"" + o.since + "\" is not a date written YYYY-MM-DD");
    SearchQuery query{o.query, o.lang, o.operation, o.since, o.limit};
    std::vector<SearchHit> hits = search_archive(o.archive, query);
    if (o.json) {
        out << hits_json(hits) << '\n';
        return hits.empty() ? 1 : 0;
    }
    for (const SearchHit& h : hits) {
        const ArchivedFile& f = h.file;
        out << f.issued << "  " << f.operation << "  " << f.lang << "  " << f.kind << "  e" << f.edition
            << (h.superseded ? " (superseded)" : "") << "  ";
        if (!h.section.empty())
            out << h.section << " (page " << h.page << ")";
        else
            out << "page " << h.page;
        out << "  " << f.path << "\n    " << h.snippet << '\n';
    }
    return hits.empty() ? 1 : 0;
}

int run_archive_figures(const SearchOptions& o, std::ostream& out) {
    if (!valid_operation_id(o.operation))
        throw Error(SourcePos{"OPERATION", 0, 0}, "\"" + o.operation +
                                                      "\" is not an operation id (lowercase letters, digits "
                                                      "and '-'), e.g. mali");
    std::vector<FigureHistory> figures = figure_history(o.archive, o.operation, o.figure);
    if (o.json) {
        out << figures_json(figures) << '\n';
        return figures.empty() ? 1 : 0;
    }
    if (figures.empty()) {
        out << o.operation << ": no key figures archived"
            << (o.figure.empty() ? "" : " for \"" + o.figure + "\"") << '\n';
        return 1;
    }
    for (const FigureHistory& h : figures) {
        out << h.operation << "  " << h.figure << " (" << h.kind << ")\n";
        const FigureValue* previous = nullptr;
        for (const FigureEdition& e : h.editions) {
            std::string langs;
            for (const std::string& lang : e.langs) langs += (langs.empty() ? "" : ",") + lang;
            out << "  " << e.issued << "  e" << e.edition << "  " << langs << "  "
                << figure_value_text(e.figure);
            if (e.figure.year) out << " (" << *e.figure.year << ")";
            if (previous && !(*previous == e.figure)) out << "  changed";
            out << '\n';
            previous = &e.figure;
        }
    }
    return 0;
}

}  // namespace factsheet
