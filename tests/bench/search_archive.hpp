// The archive the search benchmarks ask: made by stage_bench --archive and by the in-process
// benchmark of stages_bench.cpp.
#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "archive/catalog.hpp"
#include "archive/search_index.hpp"
#include "common/files.hpp"
#include "driver/factsheets.hpp"
#include "source/source.hpp"
#include "synthetic.hpp"

namespace factsheet::bench {

// An archive for the search benchmark: COUNT editions, 5 of each operation in each language, as
// issue would index them (each synthetic source laid out for real, its text by section and its
// figures), the later editions with their People in Need changed. Only the catalog is written:
// a search reads nothing else.
inline void make_search_archive(const std::string& dir, int count) {
    std::string mali = read_whole_file(std::string(FACTSHEET_SOURCE_DIR) + "/input/mali.xml");
    std::filesystem::create_directories(dir);
    FactsheetBuilder builder(process_environment(std::string(FACTSHEET_SOURCE_DIR) + "/layouts/factsheet"));
    archive_catalog::Catalog catalog(dir + "/catalog.sqlite", true);
    catalog.begin();
    constexpr int editions = 5;
    for (int made = 0, n = 1; made < count; ++n) {
        std::string xml = synthetic_source(mali, n, 1);
        Operation op = parse_operation(xml, "synthetic.xml");
        for (Lang lang : {Lang::en, Lang::fr}) {
            std::vector<Diagnostic> warnings;
            EditionText text;
            text.sections = section_texts(builder.lay_out(op, lang, warnings));
            std::optional<std::int64_t> previous;
            for (int e = 1; e <= editions && made < count; ++e, ++made) {
                ArchivedFile f;
                f.operation = op.id;
                f.lang = lang_code(lang);
                f.kind = "factsheet";
                f.title = builder.publication_title(op, lang);
                f.edition = e;
                char date[16];
                std::snprintf(date, sizeof date, "2026-%02d-%02d", 1 + e, 1 + n % 28);
                f.issued = date;
                f.path = f.operation + "/" + f.operation + "-" + f.lang + "-e" + std::to_string(e) + "-" +
                         date + ".pdf";
                f.sha256 = std::to_string(made);
                f.source_hash = std::to_string(made);
                f.pages = 2;
                f.supersedes = previous;
                text.figures.clear();
                for (const Figure& g : op.figures)
                    text.figures.push_back(FigureValue{g.id, g.kind == FigureKind::money ? "money" : "people",
                                                       g.value + (g.id == "pin" ? e * 1000 : 0), g.decimals,
                                                       g.currency, g.year});
                f.id = catalog.insert(f);
                previous = f.id;
                archive_search::store(catalog.handle(), catalog.path(), f, text);
            }
        }
    }
    catalog.commit();
}

}  // namespace factsheet::bench
