#include "cli/cli.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <vector>

#include "cli/batch.hpp"
#include "cli/build.hpp"
#include "cli/issue.hpp"
#include "cli/report.hpp"
#include "cli/search.hpp"
#include "cli/terminal.hpp"
#include "cli/translate.hpp"
#include "common/files.hpp"
#include "driver/factsheets.hpp"
#include "layout/hyphenate.hpp"
#include "source/source.hpp"

namespace factsheet {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_invalid = 1;
constexpr int exit_usage = 2;
constexpr int exit_internal = 3;

struct Options {
    std::vector<std::string> files;
    std::string langs = "en,fr";
    std::string markup_lang = "en";  // markup makes one edition
    std::string out = "output";
    std::string layout;
    bool quiet = false;
    bool verbose = false;
    std::string source_dir = "input";
    unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    bool force = false;
    bool dry_run = false;
    bool json = false;
    std::string archive;  // build: list this archive's publications; empty: the source's only
    bool strict = false;  // warnings are errors
    bool draft = false;   // texts missing in an edition's language stand in from the other; pages say so
};

void print_diagnostics(const Error& e) {
    bool colour = colour_wanted(2);
    for (const Diagnostic& d : e.diagnostics())
        std::cerr << paint_diagnostic(format_error(d), colour) << '\n';
}

// The editions a --lang value asks for: "en", "fr", "en+fr" (the combined edition), separated by
// commas. The separate languages, in order and once each.
std::vector<Lang> parse_langs(const std::string& text) {
    std::vector<Lang> langs;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string code = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (code == "en+fr") {
            if (comma == std::string::npos) break;
            start = comma + 1;
            continue;
        }
        Lang lang = parse_lang(code);
        bool seen = false;
        for (Lang l : langs) seen = seen || l == lang;
        if (!seen) langs.push_back(lang);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return langs;
}

// Whether a --lang value asks for the combined edition (en+fr).
bool wants_combined(const std::string& text) {
    return ("," + text + ",").find(",en+fr,") != std::string::npos;
}

// A --lang value of one edition's language (markup, typeset-report): en or fr, not en+fr.
const CLI::Validator single_lang_list(
    [](std::string& text) {
        if (wants_combined(text)) return std::string("en+fr is not a language: give en or fr");
        try {
            parse_langs(text);
            return std::string();
        } catch (const Error& e) {
            return e.diagnostics().front().message;
        }
    },
    "en|fr|en,fr");

// The --lang of markup, which prints one edition: en or fr, not a list.
const CLI::Validator one_edition(
    [](std::string& text) {
        if (lang_from_code(text)) return std::string();
        if (text.find(',') != std::string::npos)
            return "markup prints one edition: give en or fr, not the list " + text +
                   " (run it once for each edition)";
        if (text == "en+fr") return std::string("en+fr is not a language: give en or fr");
        return "unknown language \"" + text + "\": give en or fr";
    },
    "en|fr");

// --lang checked while parsing, so a wrong language is wrong usage (exit 2) like any other.
const CLI::Validator lang_list(
    [](std::string& text) {
        try {
            parse_langs(text);
            return std::string();
        } catch (const Error& e) {
            return e.diagnostics().front().message;
        }
    },
    "en|fr|en+fr|en,fr,en+fr");

// The layout folder: as given, else layouts/factsheet under the working folder, else the one
// next to the sources the program was built from.
std::string find_layout(const std::string& given) {
    if (!given.empty()) return given;
    if (std::filesystem::exists("layouts/factsheet/factsheet.mustache")) return "layouts/factsheet";
    return std::string(FACTSHEET_DEFAULT_LAYOUTS) + "/factsheet";
}

// Prints the warnings of a source's editions: as errors with --strict, where they fail it.
// Returns whether the source may still be written.
bool print_warnings(const std::vector<Diagnostic>& warnings, bool strict) {
    bool colour = colour_wanted(2);
    for (const Diagnostic& w : warnings)
        std::cerr << (strict ? paint_diagnostic(format_error(w), colour) : format_warning(w)) << '\n';
    return !strict || warnings.empty();
}

// What a command uses until the process exits is left for the system to take back with the rest
// of its memory: freeing a builder block by block (its template, fonts and kept paragraphs) was 2 %
// of a cold build's instructions. It stays reachable from here, so leak checkers do not count it.
template <typename T>
T& kept_until_exit(std::unique_ptr<T> kept) {
    static auto* everything = new std::vector<std::shared_ptr<void>>();
    everything->push_back(std::shared_ptr<void>(std::move(kept)));
    return *static_cast<T*>(everything->back().get());
}

int run_validate(const Options& o) {
    // Validation refuses whatever a build would, with the same messages: it loads the layout,
    // checks the source's characters against its fonts and makes the editions in memory.
    // Both editions by default: a text missing in either language is an error.
    EditionPlan plan{parse_langs(o.langs), o.draft};
    for (Lang lang : plan.langs) prefetch_hyphenator(lang_code(lang));  // while the fonts load
    FactsheetBuilder& builder =
        kept_until_exit(std::make_unique<FactsheetBuilder>(process_environment(find_layout(o.layout))));
    int status = exit_ok;
    for (const std::string& file : o.files) {
        try {
            Operation op = builder.read_source(file, plan);
            std::vector<Diagnostic> warnings;
            for (Lang lang : plan.langs) {
                Edition e = builder.build(op, lang, nullptr, EditionOptions{.draft = o.draft});
                append_unique(warnings, e.warnings);
            }
            if (!print_warnings(warnings, o.strict)) {
                status = exit_invalid;
                continue;
            }
            if (!o.quiet) std::cout << file << ": valid\n";
        } catch (const Error& e) {
            print_diagnostics(e);
            status = exit_invalid;
        }
    }
    return status;
}

BuildOptions build_options(const Options& o) {
    BuildOptions b;
    b.langs = parse_langs(o.langs);
    b.combined = wants_combined(o.langs);
    b.out_dir = o.out;
    b.archive = o.archive;
    b.strict = o.strict;
    b.draft = o.draft;
    b.verbosity = o.quiet ? -1 : o.verbose ? 1 : 0;
    b.colour_err = colour_wanted(2);
    return b;
}

int run_build(const Options& o) {
    BuildOptions b = build_options(o);
    for (Lang lang : b.combined ? std::vector<Lang>{Lang::en, Lang::fr} : b.langs)
        prefetch_hyphenator(lang_code(lang));  // while the fonts load
    FactsheetBuilder& builder =
        kept_until_exit(std::make_unique<FactsheetBuilder>(process_environment(find_layout(o.layout))));
    int status = exit_ok;
    // Each source on its own: one failure does not stop the others.
    for (const std::string& file : o.files)
        if (!build_source(builder, file, b, std::cout, std::cerr)) status = exit_invalid;
    return status;
}

int run_batch(const Options& o) {
    BatchOptions b;
    b.source_dir = o.source_dir;
    b.langs = parse_langs(o.langs);
    b.combined = wants_combined(o.langs);
    b.out_dir = o.out;
    b.env = process_environment(find_layout(o.layout));
    b.jobs = o.jobs;
    b.force = o.force;
    b.dry_run = o.dry_run;
    b.strict = o.strict;
    b.draft = o.draft;
    BatchDisplay d;
    d.verbosity = o.quiet ? -1 : o.verbose ? 1 : 0;
    d.json = o.json;
    d.progress_bar = is_terminal(2);
    // On a terminal the bar shows the progress; a line per factsheet is for logs, or asked with -v.
    d.lines = !is_terminal(1) || o.verbose;
    d.colour_out = colour_wanted(1);
    d.colour_err = colour_wanted(2);
    d.width = terminal_width(2);
    BatchResult r = run_batch_command(b, d, std::cout, std::cerr);
    if (r.internal) return exit_internal;
    return r.by_source.failed > 0 ? exit_invalid : exit_ok;
}

int run_typeset_report(const Options& o) {
    Environment env = process_environment(find_layout(o.layout));
    std::vector<Lang> langs = parse_langs(o.langs);
    Operation op = FactsheetBuilder(env).read_source(o.files.at(0), EditionPlan{langs});
    for (Lang lang : langs) print_typeset_report(op, lang, env, std::cout);
    return exit_ok;
}

int run_markup(const Options& o) {
    FactsheetBuilder builder(process_environment(find_layout(o.layout)));
    Lang lang = parse_lang(o.markup_lang);
    Operation op = builder.read_source(o.files.at(0), EditionPlan{{lang}, o.draft});
    std::cout << builder.markup(op, lang, EditionOptions{.draft = o.draft});
    return exit_ok;
}

// Whether each file argument of a command can be read; prints those that cannot, as the program
// prints every problem ("FILE: error: ..."), and returns false when there is any.
bool readable_arguments(const std::vector<std::string>& paths, const std::string& what, bool folder) {
    bool all = true;
    bool colour = colour_wanted(2);
    for (const std::string& path : paths) {
        std::string problem;
        struct stat info {};
        if (::stat(path.c_str(), &info) != 0) {
            if (errno == ENOENT || errno == ENOTDIR)
                problem = "no such " + std::string(folder ? "folder" : "file") + ": give the path of " + what;
            else
                problem = "cannot read " + what + ": " + std::strerror(errno);
        } else if (folder != S_ISDIR(info.st_mode)) {
            problem = folder ? "is not a folder: give the path of " + what
                             : "is a folder, not a file: give the path of " + what;
        } else if (::access(path.c_str(), folder ? (R_OK | X_OK) : R_OK) != 0) {
            problem = "cannot read " + what + ": " + std::strerror(errno);
        }
        if (problem.empty()) continue;
        std::cerr << paint_diagnostic(format_error(Diagnostic{SourcePos{path}, problem}), colour) << '\n';
        all = false;
    }
    return all;
}

constexpr const char* exit_codes_text =
    "Exit codes: 0 success, 1 invalid input or a failed build, 2 wrong usage, 3 internal error";

// Ends a command's help with its own examples, then the exit codes.
CLI::App* with_examples(CLI::App* command, const std::vector<std::string>& examples,
                        const std::string& note = "") {
    std::string footer;
    if (examples.size() == 1) {
        footer = "Example: " + examples.front() + "\n";
    } else {
        footer = "Examples:\n";
        for (const std::string& e : examples) footer += "  " + e + "\n";
    }
    if (!note.empty()) footer += note + "\n";
    command->footer(footer + exit_codes_text);
    return command;
}

}  // namespace

std::string_view command_of(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (!arg.empty() && arg[0] != '-') return arg;
    }
    return {};
}

int run_cli(int argc, char** argv) {
    // Only the command asked for gets its options (and the archive's and xliff's their commands):
    // making every command's, 68 options, their checks and 9 commands more, was 0.8M of a
    // cold build's 25.3M instructions. Without a command the program knows (none, a misspelt one,
    // --help alone), every command gets them, for the help and the messages.
    static constexpr std::string_view commands[] = {"validate",       "build",       "watch", "markup",
                                                    "typeset-report", "batch",       "issue", "archive",
                                                    "xliff",          "translations"};
    const std::string_view asked = command_of(argc, argv);
    const bool known = std::find(std::begin(commands), std::end(commands), asked) != std::end(commands);
    auto wanted = [&](std::string_view name) { return !known || asked == name; };

    CLI::App app{"factsheet: turns an operation's XML source into PDF factsheets in English and French"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("factsheet ") + FACTSHEET_VERSION);
    app.fallthrough();
    with_examples(&app, {"factsheet build input/mali.xml", "factsheet batch input --out output"},
                  "Run factsheet COMMAND --help for a command's options and examples.");
    Options o;
    app.add_flag("-q,--quiet", o.quiet, "Print problems only");
    app.add_flag(
        "-v,--verbose", o.verbose,
        "Print more detail: build and watch print each PDF's pages, size and the time of each stage, "
        "batch each factsheet's pages, size and time");

    // Each command that takes files checks them after parsing (readable_arguments), to say what
    // is wrong with one as the program says every problem.
    std::vector<std::tuple<CLI::App*, std::vector<std::string>*, std::string>> file_arguments;

    CLI::App* validate = with_examples(
        app.add_subcommand("validate", "Check sources completely; print every problem as FILE:LINE:COL"),
        {"factsheet validate input/*.xml", "factsheet validate input/mali.xml --lang fr --draft"});
    if (wanted("validate")) {
        validate->add_option("files", o.files, "XML sources")->required();
        file_arguments.emplace_back(validate, &o.files, "an XML source");
        validate->add_option("--lang", o.langs, "Editions to check: en, fr or en,fr")
            ->capture_default_str()
            ->check(lang_list);
        validate->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
        validate->add_flag("--strict", o.strict, "Warnings are errors");
        validate->add_flag("--draft", o.draft,
                           "Check drafts: a text missing in one language may stand in from the other");
    }

    CLI::App* build = with_examples(
        app.add_subcommand("build", "Build the PDF factsheets of sources (both languages by default)"),
        {"factsheet build input/mali.xml --lang fr --out output",
         "factsheet build input/mali.xml --lang en,fr,en+fr"});
    // The options of the commands that build and write factsheets from sources, in the order
    // their help lists them; build also takes an archive to list publications from.
    auto add_building_options = [&](CLI::App* command, bool archive) {
        command->add_option("files", o.files, "XML sources")->required();
        file_arguments.emplace_back(command, &o.files, "an XML source");
        command
            ->add_option("--lang", o.langs,
                         "Editions to build: en, fr, en+fr (both in one file), e.g. en,fr,en+fr")
            ->capture_default_str()
            ->check(lang_list);
        command->add_option("--out", o.out, "Folder for the PDFs")->capture_default_str();
        command->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
        if (archive)
            command->add_option("--archive", o.archive, "List this archive's publications in the factsheets");
        command->add_flag("--strict", o.strict, "Warnings are errors: a factsheet with any is not written");
        command->add_flag(
            "--draft", o.draft,
            "Build drafts: a text missing in an edition's language is shown in the other, set apart, "
            "and every page says DRAFT");
    };
    if (wanted("build")) add_building_options(build, true);

    CLI::App* watch = with_examples(
        app.add_subcommand("watch",
                           "Build sources, then build them again whenever they or the layout change"),
        {"factsheet watch input/mali.xml --lang fr --out output"},
        "Stop with Ctrl-C. A source that changes is built again; a change to the layout folder or its "
        "fonts builds every source.");
    if (wanted("watch")) add_building_options(watch, false);

    CLI::App* markup = with_examples(
        app.add_subcommand("markup", "Print the layout markup of one edition, to debug a layout"),
        {"factsheet markup input/mali.xml --lang fr > mali-fr.markup.xml"});
    if (wanted("markup")) {
        markup->add_option("file", o.files, "XML source")->required()->expected(1);
        file_arguments.emplace_back(markup, &o.files, "an XML source");
        markup->add_option("--lang", o.markup_lang, "The edition: en or fr (one edition only)")
            ->capture_default_str()
            ->check(one_edition);
        markup->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
        markup->add_flag("--draft", o.draft, "The markup of a draft");
    }

    CLI::App* report = with_examples(
        app.add_subcommand("typeset-report",
                           "Line-breaking statistics of editions, Knuth-Plass against first-fit"),
        {"factsheet typeset-report input/mali.xml --lang fr"});
    if (wanted("typeset-report")) {
        report->add_option("file", o.files, "XML source")->required()->expected(1);
        file_arguments.emplace_back(report, &o.files, "an XML source");
        report->add_option("--lang", o.langs, "Editions: en, fr or en,fr")
            ->capture_default_str()
            ->check(single_lang_list);
        report->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
    }

    CLI::App* batch = with_examples(
        app.add_subcommand("batch", "Build every source of a folder, skipping what is up to date"),
        {"factsheet batch input --lang fr --out output --jobs 2", "factsheet batch input --dry-run"});
    std::vector<std::string> batch_folder;  // filled after parsing, to be checked
    if (wanted("batch")) {
        batch->add_option("dir", o.source_dir, "Folder of XML sources")->capture_default_str();
        batch->add_option("--lang", o.langs, "Editions to build: en, fr or en,fr")
            ->capture_default_str()
            ->check(lang_list);
        batch->add_option("--out", o.out, "Folder for the PDFs")->capture_default_str();
        batch->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
        batch->add_option("-j,--jobs", o.jobs, "Worker threads (default: the number of cores)")
            ->check(CLI::Range(1u, 256u));
        batch->add_flag("--force", o.force, "Rebuild every factsheet, even those up to date");
        batch->add_flag("--dry-run", o.dry_run, "Say what would be built; write nothing");
        batch->add_flag("--json", o.json, "Print the result as JSON on stdout, and nothing else");
        batch->add_flag("--strict", o.strict, "Warnings are errors: a factsheet with any is not written");
        batch->add_flag(
            "--draft", o.draft,
            "Build drafts: a text missing in an edition's language is shown in the other, set apart, "
            "and every page says DRAFT");
    }

    IssueOptions io;
    ArchiveOptions ao;
    bool issue_draft = false;
    CLI::App* issue = with_examples(
        app.add_subcommand("issue", "Build editions and issue them into the publication archive"),
        {"factsheet issue input/mali.xml --archive output/archive",
         "factsheet issue input/mali.xml --lang en --date 2024-03-01"});
    if (wanted("issue")) {
        issue->add_option("files", io.files, "XML sources")->required();
        file_arguments.emplace_back(issue, &io.files, "an XML source");
        issue->add_option("--lang", o.langs, "Editions to issue: en, fr or en,fr")
            ->capture_default_str()
            ->check(lang_list);
        issue->add_option("--archive", io.archive, "Archive folder")->capture_default_str();
        issue->add_option("--date", io.date,
                          "Issue date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)");
        issue->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
        // Known only to be refused with a reason, rather than as an unknown option.
        issue->add_flag("--draft", issue_draft, "Refused: drafts are built with build --draft, never issued");
    }

    CLI::App* archive = with_examples(
        app.add_subcommand("archive",
                           "Add, list, search, verify, reindex or configure the publication archive"),
        {"factsheet archive list --archive output/archive",
         "factsheet archive search menaka --archive output/archive",
         "factsheet archive verify --archive output/archive"},
        "Run factsheet archive COMMAND --help for a command's options and examples.");
    // The archive's commands, and their options, only for an archive command (or for the help).
    CLI::App *archive_add = nullptr, *archive_list = nullptr, *archive_verify = nullptr,
             *archive_reindex = nullptr, *archive_config = nullptr, *archive_search = nullptr,
             *archive_figures = nullptr;
    std::vector<std::string> archive_pdf;  // filled after parsing, to be checked
    SearchOptions so;
    if (wanted("archive")) {
        archive->require_subcommand(1);
        archive_add =
            with_examples(archive->add_subcommand("add", "Copy a PDF made elsewhere into the archive"),
                          {"factsheet archive add update.pdf --operation mali --lang fr --title \"...\""});
        archive_add->add_option("pdf", ao.pdf, "The PDF")->required();
        archive_add->add_option("--operation", ao.operation, "Operation id, e.g. mali")->required();
        archive_add->add_option("--lang", ao.lang, "Its language: en or fr")
            ->required()
            ->check(CLI::IsMember(lang_codes));
        archive_add->add_option("--title", ao.title, "Its title")->required();
        archive_add->add_option("--date", ao.date,
                                "Issue date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)");
        archive_list = with_examples(archive->add_subcommand("list", "List the archived files, newest first"),
                                     {"factsheet archive list --archive output/archive --operation mali",
                                      "factsheet archive list --lang fr --json"});
        archive_list->add_option("--operation", ao.operation, "Only this operation");
        archive_list->add_option("--lang", ao.lang, "Only this language (en-fr: combined editions)")
            ->check(CLI::IsMember(edition_codes));
        archive_list->add_flag("--json", ao.json, "Print a JSON array");
        archive_verify = with_examples(
            archive->add_subcommand(
                "verify", "Re-hash every file; report missing, changed, unknown and unindexed files"),
            {"factsheet archive verify --archive output/archive"});
        archive_reindex =
            with_examples(archive->add_subcommand(
                              "reindex", "Rebuild the catalog and the search index from the files alone"),
                          {"factsheet archive reindex --archive output/archive"});
        archive_config = with_examples(
            archive->add_subcommand("config", "Show or set the address the archive is published at"),
            {"factsheet archive config --base-url https://example.org/factsheets/"});
        CLI::Option* base_url = archive_config->add_option_function<std::string>(
            "--base-url", [&ao](const std::string& url) { ao.base_url = url; },
            "Published address of the archive folder (http:// or https://); links become absolute");
        archive_config->add_flag("--no-base-url", ao.no_base_url, "Forget the address; links become relative")
            ->excludes(base_url);
        for (CLI::App* command : {archive_add, archive_list, archive_verify, archive_reindex, archive_config})
            command->add_option("--archive", ao.archive, "Archive folder")->capture_default_str();
        archive_search = with_examples(
            archive->add_subcommand("search", "Search the text of the archived files"),
            {"factsheet archive search menaka --archive output/archive",
             "factsheet archive search 'menaka OR \"armed groups\"' --lang fr --since 2026-01-01"});
        archive_search->add_option("query", so.query, "Words, \"a phrase\", prefix*, AND, OR, NOT")
            ->required();
        archive_search->add_option("--lang", so.lang, "Only this language (en-fr: combined editions)")
            ->check(CLI::IsMember(edition_codes));
        archive_search->add_option("--operation", so.operation, "Only this operation");
        archive_search->add_option("--since", so.since,
                                   "Only files issued on or after this date (YYYY-MM-DD)");
        archive_search->add_option("--limit", so.limit, "At most this many matches")
            ->capture_default_str()
            ->check(CLI::Range(1, 10000));
        archive_search->add_flag("--json", so.json, "Print a JSON array");
        archive_figures =
            with_examples(archive->add_subcommand(
                              "figures", "The history of an operation's key figures, edition by edition"),
                          {"factsheet archive figures mali --figure pin"});
        archive_figures->add_option("operation", so.operation, "Operation id, e.g. mali")->required();
        archive_figures->add_option("--figure", so.figure, "Only this figure (its id, e.g. pin)");
        archive_figures->add_flag("--json", so.json, "Print a JSON array");
        for (CLI::App* command : {archive_search, archive_figures})
            command->add_option("--archive", so.archive, "Archive folder")->capture_default_str();
    }
    TranslateOptions to;
    std::string translation_langs = "fr";
    CLI::App* xliff = with_examples(
        app.add_subcommand("xliff", "Send a source's texts to translators and write their translations back"),
        {"factsheet xliff export input/mali.xml --target fr -o mali.fr.xlf",
         "factsheet xliff import mali.fr.xlf"},
        "The texts go out and come back as XLIFF 1.2; see docs/translation.md");
    CLI::App *xliff_export = nullptr, *xliff_import = nullptr;
    if (wanted("xliff")) {
        xliff->require_subcommand(1);
        xliff_export = with_examples(
            xliff->add_subcommand("export", "Write a source's texts as XLIFF 1.2, for translation"),
            {"factsheet xliff export input/mali.xml --target fr -o mali.fr.xlf"});
        xliff_export->add_option("file", to.files, "XML source")->required()->expected(1);
        file_arguments.emplace_back(xliff_export, &to.files, "an XML source");
        xliff_export
            ->add_option_function<std::string>(
                "--target", [&to](const std::string& code) { to.target = parse_lang(code); },
                "Language to translate into, en or fr (default: fr); the other is the source's")
            ->check(CLI::IsMember(lang_codes));
        xliff_export->add_option("-o,--out", to.out, "The XLIFF file to write (default: standard output)");
        xliff_import = with_examples(
            xliff->add_subcommand("import", "Write the translations of an XLIFF into its source"),
            {"factsheet xliff import mali.fr.xlf --into input/mali.xml",
             "factsheet xliff import mali.fr.xlf --dry-run"});
        xliff_import->add_option("file", to.files, "XLIFF file")->required()->expected(1);
        file_arguments.emplace_back(xliff_import, &to.files, "an XLIFF file");
        xliff_import->add_option("--into", to.into,
                                 "The source to write into (default: the XLIFF's original, from its folder)");
        xliff_import->add_flag(
            "--confirm", to.confirm,
            "Also record the fingerprint of unchanged texts marked translated that have none");
        xliff_import->add_flag("--dry-run", to.dry_run, "Say what would change; write nothing");
        xliff_import->add_option("--layout", o.layout, "Layout folder whose fonts the texts must fit");
    }
    CLI::App* translations = with_examples(
        app.add_subcommand("translations", "Report missing and stale translations; exit 1 if there are any"),
        {"factsheet translations input/*.xml --lang fr"});
    if (wanted("translations")) {
        translations->add_option("files", to.files, "XML sources")->required();
        file_arguments.emplace_back(translations, &to.files, "an XML source");
        translations->add_option("--lang", translation_langs, "Languages to check: en, fr or en,fr")
            ->capture_default_str()
            ->check(lang_list);
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    }
    // A file or folder argument that cannot be read is wrong usage, said as FILE: error: ...
    batch_folder = {o.source_dir};
    archive_pdf = {ao.pdf};
    if (archive_add) file_arguments.emplace_back(archive_add, &archive_pdf, "a PDF");
    if (*batch && !readable_arguments(batch_folder, "a folder of XML sources", true)) return exit_usage;
    for (const auto& [command, paths, what] : file_arguments)
        if (*command && !readable_arguments(*paths, what, false)) return exit_usage;
    try {
        if (*validate) return run_validate(o);
        if (*build) return run_build(o);
        if (*watch)
            return run_watch(o.files, process_environment(find_layout(o.layout)), build_options(o), std::cout,
                             std::cerr);
        if (*markup) return run_markup(o);
        if (*report) return run_typeset_report(o);
        if (*batch) return run_batch(o);
        if (*issue) {
            if (issue_draft) {
                print_diagnostics(Error(SourcePos{"--draft"},
                                        "a draft cannot be issued: the archive keeps "
                                        "complete editions only; print a draft with "
                                        "factsheet build --draft"));
                return exit_usage;
            }
            io.langs = parse_langs(o.langs);
            io.combined = wants_combined(o.langs);
            return run_issue(io, process_environment(find_layout(o.layout)), std::cout, std::cerr);
        }
        if (archive_add && *archive_add)
            return run_archive_add(ao, process_environment(find_layout(o.layout)), std::cout, std::cerr);
        if (archive_list && *archive_list) return run_archive_list(ao, std::cout);
        if (archive_verify && *archive_verify) return run_archive_verify(ao, std::cout, std::cerr);
        if (archive_reindex && *archive_reindex) return run_archive_reindex(ao, std::cout, std::cerr);
        if (archive_config && *archive_config) return run_archive_config(ao, std::cout);
        if (archive_search && *archive_search) return run_archive_search(so, std::cout);
        if (archive_figures && *archive_figures) return run_archive_figures(so, std::cout);
        to.quiet = o.quiet;
        to.colour_err = colour_wanted(2);
        if (xliff_export && *xliff_export) return run_xliff_export(to, std::cout, std::cerr);
        if (xliff_import && *xliff_import) {
            // The new source is checked as validate checks it: the reader, and the layout's fonts
            // (loaded only once the XLIFF has been read and found fit to import).
            std::optional<FactsheetBuilder> builder;
            return run_xliff_import(
                to,
                [&](std::string_view xml, const std::string& file) {
                    if (!builder) builder.emplace(process_environment(find_layout(o.layout)));
                    builder->parse_source(xml, file);
                },
                std::cout, std::cerr);
        }
        if (*translations) {
            to.langs = parse_langs(translation_langs);
            return run_translations(to, std::cout, std::cerr);
        }
    } catch (const Error& e) {
        print_diagnostics(e);
        return exit_invalid;
    } catch (const std::exception& e) {
        std::cerr << "factsheet: internal error: " << e.what() << '\n';
        return exit_internal;
    }
    return exit_usage;
}

}  // namespace factsheet
