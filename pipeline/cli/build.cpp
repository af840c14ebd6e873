#include "cli/build.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <ostream>

#include "cli/issue.hpp"
#include "cli/terminal.hpp"
#include "cli/watch.hpp"
#include "common/files.hpp"
#include "layout/hyphenate.hpp"

namespace factsheet {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The tags of what a watch follows: each source under its own path, the layout and its fonts
// under one tag, as a change to either rebuilds everything.
constexpr const char* layout_tag = "layout";

std::string source_tag(const std::string& file) {
    return "source " + file;
}

// A burst of events closer together than this is one save (an editor writing a backup, the file,
// its attributes).
constexpr std::chrono::milliseconds settle_time{100};

}  // namespace

std::string stage_times_line(const std::string& path, const Edition& e, double read_seconds,
                             double write_seconds) {
    char line[256];
    std::snprintf(line, sizeof line,
                  ": %d pages, %zu bytes; read %.1f ms, view %.1f ms, template %.1f ms, layout %.1f ms, "
                  "pdf %.1f ms, write %.1f ms",
                  e.pages, e.pdf.size(), read_seconds * 1000, e.times.view * 1000, e.times.templates * 1000,
                  e.times.layout * 1000, e.times.pdf * 1000, write_seconds * 1000);
    return path + line;
}

bool build_source(FactsheetBuilder& builder, const std::string& file, const BuildOptions& o,
                  std::ostream& out, std::ostream& err) {
    auto print = [&](const std::vector<Diagnostic>& list, bool as_errors) {
        for (const Diagnostic& d : list)
            err << (as_errors ? paint_diagnostic(format_error(d), o.colour_err) : format_warning(d)) << '\n';
    };
    try {
        auto start = Clock::now();
        // A text missing in a language stops only that language's edition, unless a draft.
        Operation op = builder.read_source(file, EditionPlan{o.langs, o.draft});
        double read_seconds = seconds_since(start);
        // Every edition is built in memory first: a failure leaves nothing half-written.
        std::vector<Edition> editions;
        std::vector<Diagnostic> warnings;
        auto listed = [&](Lang lang) {
            return o.archive.empty() ? op : with_archive_publications(op, lang, o.archive, builder);
        };
        for (Lang lang : o.langs) {
            editions.push_back(builder.build(listed(lang), lang, nullptr, EditionOptions{.draft = o.draft}));
            append_unique(warnings, editions.back().warnings);
        }
        if (o.combined) {
            editions.push_back(
                builder.build_combined(listed(Lang::en), listed(Lang::fr), EditionOptions{.draft = o.draft}));
            append_unique(warnings, editions.back().warnings);
        }
        // With --strict, warnings are printed as errors and stop the source.
        print(warnings, o.strict);
        if (o.strict && !warnings.empty()) return false;
        std::filesystem::create_directories(o.out_dir);
        // Written together: a failed write (a full disk) leaves every issued edition as it was.
        std::vector<FileContent> files;
        for (const Edition& e : editions)
            files.push_back({(std::filesystem::path(o.out_dir) / e.file_name).string(), e.pdf});
        auto write_start = Clock::now();
        write_files_atomic(files);
        double write_seconds = seconds_since(write_start);
        for (std::size_t i = 0; i < editions.size(); ++i) {
            const std::string& path = files[i].path;
            if (o.verbosity >= 0) out << path << '\n' << std::flush;
            // The write's time is the source's: its editions are written together.
            if (o.verbosity > 0)
                err << stage_times_line(path, editions[i], read_seconds, write_seconds) << '\n';
        }
        return true;
    } catch (const Error& e) {
        print(e.diagnostics(), true);
    } catch (const std::filesystem::filesystem_error& e) {
        err << o.out_dir << ": error: cannot create the output folder: " << e.code().message() << '\n';
    }
    return false;
}

int run_watch(const std::vector<std::string>& files, const Environment& env, const BuildOptions& o,
              std::ostream& out, std::ostream& err) {
    WatchList list;
    for (const std::string& file : files) list.files[file] = source_tag(file);
    list.folders[env.layout_dir] = layout_tag;
    // First, before any thread starts: the watcher blocks SIGINT and SIGTERM in the threads to come.
    Watcher watcher(list);

    std::unique_ptr<FactsheetBuilder> builder;
    std::vector<Diagnostic> layout_errors;
    auto print_errors = [&](const std::vector<Diagnostic>& list_of) {
        for (const Diagnostic& d : list_of) err << paint_diagnostic(format_error(d), o.colour_err) << '\n';
        err.flush();
    };
    // Loads the layout again, and watches the fonts its styles use now.
    auto load_layout = [&] {
        builder.reset();
        layout_errors.clear();
        WatchList now = list;
        try {
            builder = std::make_unique<FactsheetBuilder>(env);
            for (const auto& font : builder->engine().sheet().fonts) now.files[font->path()] = layout_tag;
        } catch (const Error& e) {
            layout_errors = e.diagnostics();
            print_errors(layout_errors);
        }
        // A layout that does not load keeps the fonts of the last one watched.
        if (builder) list = now;
        watcher.rewatch(list);
    };
    auto build = [&](const std::string& file) {
        // While the layout does not load, nothing is built: its problems are said again instead.
        if (!builder) return print_errors(layout_errors);
        build_source(*builder, file, o, out, err);
        out.flush();
        err.flush();
    };

    for (Lang lang : o.combined ? std::vector<Lang>{Lang::en, Lang::fr} : o.langs)
        prefetch_hyphenator(lang_code(lang));  // while the fonts load
    load_layout();
    if (builder)
        for (const std::string& file : files) build(file);
    if (o.verbosity >= 0)
        err << "watching " << files.size() << (files.size() == 1 ? " source" : " sources") << ", "
            << env.layout_dir << " and its fonts; press Ctrl-C to stop\n"
            << std::flush;
    for (;;) {
        WatchEvents events = watcher.wait(settle_time);
        if (events.stop) break;
        if (events.tags.count(layout_tag)) {
            load_layout();
            if (builder)
                for (const std::string& file : files) build(file);
            continue;
        }
        for (const std::string& file : files)
            if (events.tags.count(source_tag(file))) build(file);
    }
    return 0;
}

}  // namespace factsheet
