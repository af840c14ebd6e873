#include "cli/translate.hpp"

#include <filesystem>
#include <ostream>

#include "cli/terminal.hpp"
#include "common/files.hpp"
#include "source/source.hpp"

namespace factsheet {

namespace fs = std::filesystem;

namespace {

// `to` as a path from the folder `from`, with '/' separators; absolute when they share no root.
std::string path_from(const fs::path& from, const fs::path& to) {
    fs::path target = fs::absolute(to).lexically_normal();
    fs::path relative = target.lexically_relative(fs::absolute(from).lexically_normal());
    return (relative.empty() ? target : relative).generic_string();
}

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int run_xliff_export(const TranslateOptions& o, std::ostream& out, std::ostream& err) {
    const std::string& file = o.files.at(0);
    std::string bytes = read_source_file(file);
    parse_operation(bytes, file);  // only a source the reader takes is sent to translators
    xliff::SourceTexts texts = xliff::locate_texts(std::move(bytes), file);
    xliff::ExportOptions options;
    options.target = o.target;
    // <file original> names the source from the XLIFF's folder, where import looks for it.
    fs::path folder = o.out.empty() ? fs::current_path() : fs::absolute(o.out).parent_path();
    options.original = path_from(folder, file);
    options.tool_version = FACTSHEET_VERSION;
    xliff::ExportCounts counts;
    std::string document = xliff::export_xliff(texts, options, &counts);
    if (o.out.empty()) {
        out << document;
        return 0;
    }
    write_file_atomic(o.out, document);
    if (!o.quiet)
        err << o.out << ": " << plural(counts.units, "text", "texts") << " of " << file
            << " for translation into " << english_name(o.target) << ": " << counts.new_units << " new, "
            << counts.review << " to review, " << counts.translated << " translated\n";
    return 0;
}

int run_xliff_import(const TranslateOptions& o, const xliff::Validator& validate, std::ostream& out,
                     std::ostream& err) {
    const std::string& file = o.files.at(0);
    std::string document = xliff::read_xliff_file(file);
    xliff::Xliff x = xliff::parse_xliff(document, file);
    std::string into = o.into;
    if (into.empty()) {
        fs::path original(x.original);
        into = original.is_absolute()
                   ? original.generic_string()
                   : (fs::path(file).parent_path() / original).lexically_normal().generic_string();
        if (!fs::is_regular_file(into))
            throw Error(SourcePos{file, 0, 0}, "the XLIFF's source, original=\"" + x.original +
                                                   "\", is not at " + into + "; name the source with --into");
    }
    xliff::SourceTexts texts = xliff::locate_texts(read_source_file(into), into);
    xliff::ImportOptions options;
    options.confirm = o.confirm;
    options.validate = validate;
    xliff::ImportResult result = xliff::import_xliff(x, texts, options);
    for (const Diagnostic& w : result.warnings)
        err << paint_diagnostic(format_warning(w), o.colour_err) << '\n';
    if (!result.changes.empty() && !o.dry_run) write_file_atomic(into, result.bytes);
    std::size_t counted[3] = {0, 0, 0};
    const char* done[3] = {"updated", "added", "confirmed"};
    std::string code = lang_code(x.target_lang);
    for (const xliff::UnitChange& c : result.changes) {
        ++counted[c.kind];
        if (!o.quiet)
            out << format_pos(c.pos) << ": " << code << " text of " << c.id << " " << done[c.kind] << '\n';
    }
    std::string summary = into + ": ";
    if (result.changes.empty())
        summary += "nothing to change";
    else
        summary += std::string(o.dry_run ? "would write " : "") + std::to_string(counted[0]) + " updated, " +
                   std::to_string(counted[1]) + " added, " + std::to_string(counted[2]) + " confirmed";
    summary += "; " + std::to_string(result.unchanged) + " unchanged, " +
               std::to_string(result.untranslated) + " untranslated";
    if (result.source_changed) summary += " (the source changed since the export)";
    out << summary << '\n';
    return 0;
}

int run_translations(const TranslateOptions& o, std::ostream& out, std::ostream& err) {
    struct Totals {
        std::size_t texts = 0, fresh = 0, stale = 0, missing = 0, unchecked = 0;
    };
    std::vector<Totals> totals(o.langs.size());
    bool unreadable = false;
    std::size_t sources = 0;
    for (const std::string& file : o.files) {
        xliff::SourceTexts texts;
        try {
            texts = xliff::locate_texts(read_source_file(file), file);
        } catch (const Error& e) {
            for (const Diagnostic& d : e.diagnostics())
                err << paint_diagnostic(format_error(d), o.colour_err) << '\n';
            unreadable = true;
            continue;
        }
        ++sources;
        for (std::size_t i = 0; i < o.langs.size(); ++i) {
            xliff::TranslationReport report = xliff::check_translations(texts, o.langs[i]);
            for (const Diagnostic& d : report.problems)
                err << paint_diagnostic(format_error(d), o.colour_err) << '\n';
            totals[i].texts += report.texts;
            totals[i].fresh += report.fresh;
            totals[i].stale += report.stale;
            totals[i].missing += report.missing;
            totals[i].unchecked += report.unchecked;
        }
    }
    bool any = unreadable;
    for (std::size_t i = 0; i < o.langs.size(); ++i) {
        const Totals& t = totals[i];
        any = any || t.stale > 0 || t.missing > 0;
        out << lang_code(o.langs[i]) << ": " << plural(t.texts, "text", "texts") << " in "
            << plural(sources, "source", "sources") << ": " << t.missing << " missing, " << t.stale
            << " stale, " << t.fresh << " up to date, " << t.unchecked << " unchecked (no fingerprint)\n";
    }
    return any ? 1 : 0;
}

}  // namespace factsheet
