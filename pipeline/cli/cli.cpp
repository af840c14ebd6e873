#include "cli/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "cli/batch.hpp"
#include "cli/factsheets.hpp"
#include "cli/issue.hpp"
#include "cli/report.hpp"
#include "cli/search.hpp"
#include "cli/terminal.hpp"
#include "cli/translate.hpp"
#include "common/files.hpp"
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

int run_validate(const Options& o) {
    // Validation refuses whatever a build would, with the same messages: it loads the layout,
    // checks the source's characters against its fonts and makes the editions in memory.
    // Both editions by default: a text missing in either language is an error.
    EditionPlan plan{parse_langs(o.langs), o.draft};
    for (Lang lang : plan.langs) prefetch_hyphenator(lang_code(lang));  // while the fonts load
    FactsheetBuilder builder(process_environment(find_layout(o.layout)));
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

int run_build(const Options& o) {
    std::vector<Lang> langs = parse_langs(o.langs);
    for (Lang lang : wants_combined(o.langs) ? std::vector<Lang>{Lang::en, Lang::fr} : langs)
        prefetch_hyphenator(lang_code(lang));  // while the fonts load
    FactsheetBuilder builder(process_environment(find_layout(o.layout)));
    int status = exit_ok;
    for (const std::string& file : o.files) {
        try {
            // A text missing in a language stops only that language's edition, unless a draft.
            Operation op = builder.read_source(file, EditionPlan{langs, o.draft});
            // Every edition is built in memory first: a failure leaves nothing half-written.
            std::vector<Edition> editions;
            std::vector<Diagnostic> warnings;
            auto listed = [&](Lang lang) {
                return o.archive.empty() ? op : with_archive_publications(op, lang, o.archive, builder);
            };
            for (Lang lang : langs) {
                editions.push_back(
                    builder.build(listed(lang), lang, nullptr, EditionOptions{.draft = o.draft}));
                append_unique(warnings, editions.back().warnings);
            }
            if (wants_combined(o.langs)) {
                editions.push_back(builder.build_combined(listed(Lang::en), listed(Lang::fr),
                                                          EditionOptions{.draft = o.draft}));
                append_unique(warnings, editions.back().warnings);
            }
            if (!print_warnings(warnings, o.strict)) {
                status = exit_invalid;
                continue;
            }
            std::filesystem::create_directories(o.out);
            for (const Edition& e : editions) {
                std::string path = (std::filesystem::path(o.out) / e.file_name).string();
                write_file_atomic(path, e.pdf);
                if (!o.quiet) std::cout << path << '\n';
                if (o.verbose)
                    std::cerr << path << ": " << e.pages << " pages, " << e.pdf.size() << " bytes\n";
            }
        } catch (const Error& e) {
            print_diagnostics(e);
            status = exit_invalid;
        } catch (const std::filesystem::filesystem_error& e) {
            std::cerr << o.out << ": error: cannot create the output folder: " << e.code().message() << '\n';
            status = exit_invalid;
        }
    }
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
    return r.failed > 0 ? exit_invalid : exit_ok;
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
    Lang lang = parse_langs(o.langs).at(0);
    Operation op = builder.read_source(o.files.at(0), EditionPlan{{lang}, o.draft});
    std::cout << builder.markup(op, lang, EditionOptions{.draft = o.draft});
    return exit_ok;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{"factsheet: turns an operation's XML source into PDF factsheets in English and French"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("factsheet ") + FACTSHEET_VERSION);
    app.fallthrough();
    app.footer(
        "Example: factsheet batch input --lang en,fr --out output\n"
        "Exit codes: 0 success, 1 invalid input or a failed build, 2 wrong usage, 3 internal error");
    Options o;
    app.add_flag("-q,--quiet", o.quiet, "Print problems only");
    app.add_flag("-v,--verbose", o.verbose, "Print more detail (pages, sizes, times)");

    CLI::App* validate =
        app.add_subcommand("validate", "Check sources completely; print every problem as FILE:LINE:COL")
            ->footer("Example: factsheet validate input/*.xml");
    validate->add_option("files", o.files, "XML sources")->required()->check(CLI::ExistingFile);
    validate->add_option("--lang", o.langs, "Editions to check: en, fr or en,fr")
        ->capture_default_str()
        ->check(lang_list);
    validate->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
    validate->add_flag("--strict", o.strict, "Warnings are errors");
    validate->add_flag("--draft", o.draft,
                       "Check drafts: a text missing in one language may stand in from the other");

    CLI::App* build =
        app.add_subcommand("build", "Build the PDF factsheets of sources (both languages by default)")
            ->footer("Example: factsheet build input/mali.xml --lang fr --out output");
    build->add_option("files", o.files, "XML sources")->required()->check(CLI::ExistingFile);
    build
        ->add_option("--lang", o.langs,
                     "Editions to build: en, fr, en+fr (both in one file), e.g. en,fr,en+fr")
        ->capture_default_str()
        ->check(lang_list);
    build->add_option("--out", o.out, "Folder for the PDFs")->capture_default_str();
    build->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
    build->add_option("--archive", o.archive, "List this archive's publications in the factsheets");
    build->add_flag("--strict", o.strict, "Warnings are errors: a factsheet with any is not written");
    build->add_flag("--draft", o.draft,
                    "Build drafts: a text missing in an edition's language is shown in the other, set apart, "
                    "and every page says DRAFT");

    CLI::App* markup =
        app.add_subcommand("markup", "Print the layout markup of one edition, to debug a layout")
            ->footer("Example: factsheet markup input/mali.xml --lang fr");
    markup->add_option("file", o.files, "XML source")->required()->check(CLI::ExistingFile)->expected(1);
    markup->add_option("--lang", o.langs, "Edition: en or fr")
        ->capture_default_str()
        ->check(single_lang_list);
    markup->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
    markup->add_flag("--draft", o.draft, "The markup of a draft");

    CLI::App* report =
        app.add_subcommand("typeset-report",
                           "Line-breaking statistics of editions, Knuth-Plass against first-fit")
            ->footer("Example: factsheet typeset-report input/mali.xml --lang fr");
    report->add_option("file", o.files, "XML source")->required()->check(CLI::ExistingFile)->expected(1);
    report->add_option("--lang", o.langs, "Editions: en, fr or en,fr")
        ->capture_default_str()
        ->check(single_lang_list);
    report->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");

    CLI::App* batch =
        app.add_subcommand("batch", "Build every source of a folder, skipping what is up to date")
            ->footer("Example: factsheet batch input --lang fr --out output --jobs 2");
    batch->add_option("dir", o.source_dir, "Folder of XML sources")
        ->capture_default_str()
        ->check(CLI::ExistingDirectory);
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
    batch->add_flag("--draft", o.draft,
                    "Build drafts: a text missing in an edition's language is shown in the other, set apart, "
                    "and every page says DRAFT");

    IssueOptions io;
    ArchiveOptions ao;
    CLI::App* issue =
        app.add_subcommand("issue", "Build editions and issue them into the publication archive")
            ->footer("Example: factsheet issue input/mali.xml --archive output/archive");
    issue->add_option("files", io.files, "XML sources")->required()->check(CLI::ExistingFile);
    issue->add_option("--lang", o.langs, "Editions to issue: en, fr or en,fr")
        ->capture_default_str()
        ->check(lang_list);
    issue->add_option("--archive", io.archive, "Archive folder")->capture_default_str();
    issue->add_option("--date", io.date, "Issue date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)");
    issue->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");
    // Known only to be refused with a reason, rather than as an unknown option.
    bool issue_draft = false;
    issue->add_flag("--draft", issue_draft, "Refused: drafts are built with build --draft, never issued");

    CLI::App* archive = app.add_subcommand(
        "archive", "Add, list, search, verify, reindex or configure the publication archive");
    archive->require_subcommand(1);
    CLI::App* archive_add =
        archive->add_subcommand("add", "Copy a PDF made elsewhere into the archive")
            ->footer("Example: factsheet archive add update.pdf --operation mali --lang fr --title \"...\"");
    archive_add->add_option("pdf", ao.pdf, "The PDF")->required()->check(CLI::ExistingFile);
    archive_add->add_option("--operation", ao.operation, "Operation id, e.g. mali")->required();
    archive_add->add_option("--lang", ao.lang, "Its language: en or fr")
        ->required()
        ->check(CLI::IsMember({"en", "fr"}));
    archive_add->add_option("--title", ao.title, "Its title")->required();
    archive_add->add_option("--date", ao.date,
                            "Issue date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)");
    CLI::App* archive_list = archive->add_subcommand("list", "List the archived files, newest first");
    archive_list->add_option("--operation", ao.operation, "Only this operation");
    archive_list->add_option("--lang", ao.lang, "Only this language (en-fr: combined editions)")
        ->check(CLI::IsMember({"en", "fr", "en-fr"}));
    archive_list->add_flag("--json", ao.json, "Print a JSON array");
    CLI::App* archive_verify = archive->add_subcommand(
        "verify", "Re-hash every file; report missing, changed, unknown and unindexed files");
    CLI::App* archive_reindex =
        archive->add_subcommand("reindex", "Rebuild the catalog and the search index from the files alone");
    CLI::App* archive_config =
        archive->add_subcommand("config", "Show or set the address the archive is published at")
            ->footer("Example: factsheet archive config --base-url https://example.org/factsheets/");
    CLI::Option* base_url = archive_config->add_option_function<std::string>(
        "--base-url", [&ao](const std::string& url) { ao.base_url = url; },
        "Published address of the archive folder (http:// or https://); links become absolute");
    archive_config->add_flag("--no-base-url", ao.no_base_url, "Forget the address; links become relative")
        ->excludes(base_url);
    for (CLI::App* command : {archive_add, archive_list, archive_verify, archive_reindex, archive_config})
        command->add_option("--archive", ao.archive, "Archive folder")->capture_default_str();
    SearchOptions so;
    CLI::App* archive_search = archive->add_subcommand("search", "Search the text of the archived files")
                                   ->footer(
                                       "Example: factsheet archive search 'menaka OR \"armed groups\"' "
                                       "--lang fr --since 2026-01-01");
    archive_search->add_option("query", so.query, "Words, \"a phrase\", prefix*, AND, OR, NOT")->required();
    archive_search->add_option("--lang", so.lang, "Only this language (en-fr: combined editions)")
        ->check(CLI::IsMember({"en", "fr", "en-fr"}));
    archive_search->add_option("--operation", so.operation, "Only this operation");
    archive_search->add_option("--since", so.since, "Only files issued on or after this date (YYYY-MM-DD)");
    archive_search->add_option("--limit", so.limit, "At most this many matches")
        ->capture_default_str()
        ->check(CLI::Range(1, 10000));
    archive_search->add_flag("--json", so.json, "Print a JSON array");
    CLI::App* archive_figures =
        archive->add_subcommand("figures", "The history of an operation's key figures, edition by edition")
            ->footer("Example: factsheet archive figures mali --figure pin");
    archive_figures->add_option("operation", so.operation, "Operation id, e.g. mali")->required();
    archive_figures->add_option("--figure", so.figure, "Only this figure (its id, e.g. pin)");
    archive_figures->add_flag("--json", so.json, "Print a JSON array");
    for (CLI::App* command : {archive_search, archive_figures})
        command->add_option("--archive", so.archive, "Archive folder")->capture_default_str();

    TranslateOptions to;
    std::string translation_langs = "fr";
    CLI::App* xliff =
        app.add_subcommand("xliff", "Send a source's texts to translators and write their translations back")
            ->footer("The texts go out and come back as XLIFF 1.2; see docs/translation.md");
    xliff->require_subcommand(1);
    CLI::App* xliff_export =
        xliff->add_subcommand("export", "Write a source's texts as XLIFF 1.2, for translation")
            ->footer("Example: factsheet xliff export input/mali.xml --target fr -o mali.fr.xlf");
    xliff_export->add_option("file", to.files, "XML source")
        ->required()
        ->check(CLI::ExistingFile)
        ->expected(1);
    xliff_export
        ->add_option_function<std::string>(
            "--target", [&to](const std::string& code) { to.target = parse_lang(code); },
            "Language to translate into, en or fr (default: fr); the other is the source's")
        ->check(CLI::IsMember({"en", "fr"}));
    xliff_export->add_option("-o,--out", to.out, "The XLIFF file to write (default: standard output)");
    CLI::App* xliff_import =
        xliff->add_subcommand("import", "Write the translations of an XLIFF into its source")
            ->footer("Example: factsheet xliff import mali.fr.xlf --into input/mali.xml");
    xliff_import->add_option("file", to.files, "XLIFF file")
        ->required()
        ->check(CLI::ExistingFile)
        ->expected(1);
    xliff_import->add_option("--into", to.into,
                             "The source to write into (default: the XLIFF's original, from its folder)");
    xliff_import->add_flag("--confirm", to.confirm,
                           "Also record the fingerprint of unchanged texts marked translated that have none");
    xliff_import->add_flag("--dry-run", to.dry_run, "Say what would change; write nothing");
    xliff_import->add_option("--layout", o.layout, "Layout folder whose fonts the texts must fit");
    CLI::App* translations =
        app.add_subcommand("translations", "Report missing and stale translations; exit 1 if there are any")
            ->footer("Example: factsheet translations input/*.xml --lang fr");
    translations->add_option("files", to.files, "XML sources")->required()->check(CLI::ExistingFile);
    translations->add_option("--lang", translation_langs, "Languages to check: en, fr or en,fr")
        ->capture_default_str()
        ->check(lang_list);

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    }
    try {
        if (*validate) return run_validate(o);
        if (*build) return run_build(o);
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
        if (*archive_add)
            return run_archive_add(ao, process_environment(find_layout(o.layout)), std::cout, std::cerr);
        if (*archive_list) return run_archive_list(ao, std::cout);
        if (*archive_verify) return run_archive_verify(ao, std::cout, std::cerr);
        if (*archive_reindex) return run_archive_reindex(ao, std::cout, std::cerr);
        if (*archive_config) return run_archive_config(ao, std::cout);
        if (*archive_search) return run_archive_search(so, std::cout);
        if (*archive_figures) return run_archive_figures(so, std::cout);
        to.quiet = o.quiet;
        to.colour_err = colour_wanted(2);
        if (*xliff_export) return run_xliff_export(to, std::cout, std::cerr);
        if (*xliff_import) {
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
