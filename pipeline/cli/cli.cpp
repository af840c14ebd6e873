#include "cli/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/factsheets.hpp"
#include "common/files.hpp"
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
};

void print_diagnostics(const Error& e) {
    for (const Diagnostic& d : e.diagnostics()) std::cerr << format_error(d) << '\n';
}

std::vector<Lang> parse_langs(const std::string& text) {
    std::vector<Lang> langs;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string code = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        Lang lang = parse_lang(code);
        bool seen = false;
        for (Lang l : langs) seen = seen || l == lang;
        if (!seen) langs.push_back(lang);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return langs;
}

// The layout folder: as given, else layouts/factsheet under the working folder, else the one
// next to the sources the program was built from.
std::string find_layout(const std::string& given) {
    if (!given.empty()) return given;
    if (std::filesystem::exists("layouts/factsheet/factsheet.mustache")) return "layouts/factsheet";
    return std::string(FACTSHEET_DEFAULT_LAYOUTS) + "/factsheet";
}

int run_validate(const Options& o) {
    int status = exit_ok;
    for (const std::string& file : o.files) {
        try {
            read_operation(file);
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
    FactsheetBuilder builder(process_environment(find_layout(o.layout)));
    int status = exit_ok;
    for (const std::string& file : o.files) {
        try {
            Operation op = read_operation(file);
            // Every edition is built in memory first: a failure leaves nothing half-written.
            std::vector<Edition> editions;
            for (Lang lang : langs) editions.push_back(builder.build(op, lang));
            std::filesystem::create_directories(o.out);
            for (const Edition& e : editions) {
                for (const Diagnostic& w : e.warnings) std::cerr << format_warning(w) << '\n';
                std::string path = (std::filesystem::path(o.out) / e.file_name).string();
                write_file_atomic(path, e.pdf);
                std::cout << path << '\n';
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

int run_markup(const Options& o) {
    FactsheetBuilder builder(process_environment(find_layout(o.layout)));
    std::vector<Lang> langs = parse_langs(o.langs);
    Operation op = read_operation(o.files.at(0));
    std::cout << builder.markup(op, langs.at(0));
    return exit_ok;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{"factsheet: turns an operation's XML source into PDF factsheets in English and French"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("factsheet ") + FACTSHEET_VERSION);
    app.fallthrough();
    Options o;

    CLI::App* validate = app.add_subcommand("validate", "Check sources completely; print every problem as FILE:LINE:COL")
                             ->footer("Example: factsheet validate input/*.xml");
    validate->add_option("files", o.files, "XML sources")->required()->check(CLI::ExistingFile);
    validate->add_flag("-q,--quiet", o.quiet, "Print problems only");

    CLI::App* build = app.add_subcommand("build", "Build the PDF factsheets of sources (both languages by default)")
                          ->footer("Example: factsheet build input/mali.xml --lang fr --out output");
    build->add_option("files", o.files, "XML sources")->required()->check(CLI::ExistingFile);
    build->add_option("--lang", o.langs, "Editions to build: en, fr or en,fr")->capture_default_str();
    build->add_option("--out", o.out, "Folder for the PDFs")->capture_default_str();
    build->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");

    CLI::App* markup = app.add_subcommand("markup", "Print the layout markup of one edition, to debug a layout")
                           ->footer("Example: factsheet markup input/mali.xml --lang fr");
    markup->add_option("file", o.files, "XML source")->required()->check(CLI::ExistingFile)->expected(1);
    markup->add_option("--lang", o.langs, "Edition: en or fr")->capture_default_str();
    markup->add_option("--layout", o.layout, "Layout folder (default: layouts/factsheet)");

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
