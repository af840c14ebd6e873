#include "cli/issue.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <tuple>

#include "archive/search.hpp"
#include "archive/search_index.hpp"
#include "common/files.hpp"
#include "layout/hyphenate.hpp"
#include "source/source.hpp"
#include "templates/templates.hpp"

namespace factsheet {

namespace {

void print_errors(const Error& e, std::ostream& err) {
    for (const Diagnostic& d : e.diagnostics()) err << format_error(d) << '\n';
}

// "245.3 KB" / "245,3 Ko": sizes as the page shows them, in binary units.
std::string size_text(std::int64_t bytes, Lang lang) {
    bool fr = lang == Lang::fr;
    if (bytes < 1024) return std::to_string(bytes) + (fr ? "\u00A0octets" : " bytes");
    std::int64_t tenths = (bytes * 10 + 512) / 1024;
    const char* unit = fr ? "\u00A0Ko" : " KB";
    if (tenths >= 10240) {
        tenths = (bytes * 10 + 524288) / 1048576;
        unit = fr ? "\u00A0Mo" : " MB";
    }
    return std::to_string(tenths / 10) + (fr ? "," : ".") + std::to_string(tenths % 10) + unit;
}

std::string pages_text(int pages, Lang lang) {
    (void)lang;  // "page"/"pages" in both languages
    return std::to_string(pages) + (pages == 1 ? "\u00A0page" : "\u00A0pages");
}

// The heading of an operation's section: its factsheet's title without the " · Factsheet" tail,
// or the id when only other publications are archived.
std::string operation_name(const std::vector<const ArchivedFile*>& files, const std::string& id) {
    for (const char* lang : lang_codes)
        for (const ArchivedFile* f : files)
            if (f->kind == "factsheet" && f->lang == lang)
                return f->title.substr(0, f->title.rfind(" \u00B7 "));
    std::string name = id;
    if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
    return name;
}

View cell_view(const ArchivedFile& f) {
    Lang lang = f.lang == combined_code ? Lang::en : parse_lang(f.lang);
    View cell;
    cell.set("lang", f.lang);
    cell.set("title", f.title);
    cell.set("path", f.path);
    cell.set("edition", std::to_string(f.edition));
    cell.set("date", format_date(f.issued, lang));
    cell.set("date_iso", f.issued);
    cell.set("pages", pages_text(f.pages, lang));
    cell.set("size", size_text(f.size, lang));
    cell.set("sha256", f.sha256);
    cell.set("superseded", View::boolean(!f.superseded_by.empty()));
    return cell;
}

// The view of index.html: operations by id; in each, rows of one kind and issue date, newest
// first, with the English and the French file of that row side by side.
View index_view(const std::vector<ArchivedFile>& files) {
    std::map<std::string, std::vector<const ArchivedFile*>> by_operation;
    for (const ArchivedFile& f : files) by_operation[f.operation].push_back(&f);

    View operations = View::list();
    for (const auto& [id, list] : by_operation) {
        // Rows keyed newest first; within a key, each language's files by edition, newest first.
        using Key =
            std::tuple<std::string, int, std::string>;  // issued (inverted order below), kind rank, kind
        // English, French, and the combined edition (both in one file).
        using Files = std::array<std::vector<const ArchivedFile*>, 3>;
        std::map<Key, Files> groups;
        for (const ArchivedFile* f : list) {
            Key key{f->issued, f->kind == "factsheet" ? 0 : 1, f->kind};
            std::optional<Lang> lang = lang_from_code(f->lang);  // none: the combined edition
            groups[key][lang == Lang::en ? 0 : lang == Lang::fr ? 1 : 2].push_back(f);
        }
        View rows = View::list();
        for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
            auto& [en, fr, both] = it->second;
            auto newest = [](const ArchivedFile* a, const ArchivedFile* b) {
                return a->edition > b->edition;
            };
            std::sort(en.begin(), en.end(), newest);
            std::sort(fr.begin(), fr.end(), newest);
            std::sort(both.begin(), both.end(), newest);
            for (std::size_t i = 0; i < std::max({en.size(), fr.size(), both.size()}); ++i) {
                View row;
                row.set("date_iso", std::get<0>(it->first));
                row.set("date", format_date(std::get<0>(it->first), Lang::en));
                row.set("kind", std::get<2>(it->first) == "factsheet" ? "Factsheet" : "Publication");
                row.set("has_en", View::boolean(i < en.size()));
                row.set("has_fr", View::boolean(i < fr.size()));
                if (i < en.size()) row.set("en", cell_view(*en[i]));
                if (i < fr.size()) row.set("fr", cell_view(*fr[i]));
                row.set("has_both", View::boolean(i < both.size()));
                if (i < both.size()) row.set("both", cell_view(*both[i]));
                rows.items.push_back(std::move(row));
            }
        }
        View operation;
        operation.set("id", id);
        operation.set("name", operation_name(list, id));
        operation.set("count", std::to_string(list.size()));
        operation.set("rows", std::move(rows));
        operations.items.push_back(std::move(operation));
    }
    View view;
    view.set("has_files", View::boolean(!files.empty()));
    view.set("count", std::to_string(files.size()));
    view.set("updated", files.empty() ? std::string() : format_date(files.front().issued, Lang::en));
    view.set("updated_iso", files.empty() ? std::string() : files.front().issued);
    view.set("operations", std::move(operations));
    return view;
}

// The key figures of a source as the archive keeps them: numbers, never formatted.
std::vector<FigureValue> figure_values(const Operation& op) {
    std::vector<FigureValue> out;
    for (const Figure& f : op.figures) {
        const char* kind = f.kind == FigureKind::people       ? "people"
                           : f.kind == FigureKind::money      ? "money"
                           : f.kind == FigureKind::percentage ? "percentage"
                                                              : "count";
        out.push_back(FigureValue{f.id, kind, f.value, f.decimals, f.currency, f.year});
    }
    return out;
}

void print_issued(const IssueResult& r, const std::string& archive, std::ostream& out, std::ostream& err) {
    for (const std::string& path : r.adopted)
        err << format_warning(Diagnostic{SourcePos{archive + "/" + path, 0, 0},
                                         "adopted into the catalog: a stopped run had written it"})
            << '\n';
    const ArchivedFile& f = r.file;
    if (!r.added) {
        out << f.operation << " " << f.lang << ": unchanged since edition " << f.edition << " (" << archive
            << "/" << f.path << ")\n";
        return;
    }
    out << archive << "/" << f.path << ": edition " << f.edition << ", " << f.pages
        << (f.pages == 1 ? " page" : " pages");
    if (!f.supersedes_path.empty()) out << ", supersedes " << f.supersedes_path;
    out << '\n';
}

// The key figures as stamped into an issued factsheet: "pin=2200000;funded=385/1" (a value, and
// after '/' its decimals when it has any), in the source's order.
// Warnings for key figures that changed since the latest edition of this language while the
// source's as-of date did not: the date printed beside them would then be wrong. Editions issued
// before the figures were stamped are not compared.
std::vector<Diagnostic> figures_changed_warnings(const Operation& op, const std::string& file,
                                                 const std::string& lang, const IssueContext& context,
                                                 const std::string& archive_dir) {
    const ArchivedFile* latest = nullptr;
    for (const ArchivedFile& f : context.publications)
        if (f.kind == "factsheet" && f.lang == lang && (!latest || f.edition > latest->edition)) latest = &f;
    if (!latest) return {};
    PdfFacts facts;
    try {
        facts = read_pdf_facts(read_whole_file(archive_dir + "/" + latest->path), latest->path);
    } catch (const Error&) {
        return {};  // verify reports a file that does not read
    }
    auto as_of = facts.info.find("FactsheetAsOf");
    auto figures = facts.info.find(archive_search::figures_stamp_key);
    if (as_of == facts.info.end() || figures == facts.info.end() || as_of->second != op.as_of) return {};
    std::map<std::string, std::string> before, now;
    try {
        for (const FigureValue& f : archive_search::parse_figures_stamp(figures->second, latest->path))
            before[f.id] = figure_value_text(f);
    } catch (const Error&) {
        return {};  // verify reports a file whose stamps do not read
    }
    for (const FigureValue& f : figure_values(op)) now[f.id] = figure_value_text(f);
    std::vector<Diagnostic> out;
    std::string since = " since edition " + std::to_string(latest->edition) + " (" + latest->path +
                        ") while the as-of date stayed " + op.as_of +
                        ": update as-of to the date of the new figures";
    for (const Figure& f : op.figures) {
        auto old = before.find(f.id);
        if (old == before.end())
            out.push_back({f.pos.file.empty() ? SourcePos{file, 0, 0} : f.pos,
                           "key figure \"" + f.id + "\" is new" + since});
        else if (old->second != now[f.id])
            out.push_back(
                {f.pos.file.empty() ? SourcePos{file, 0, 0} : f.pos,
                 "key figure \"" + f.id + "\" changed (" + old->second + " to " + now[f.id] + ")" + since});
    }
    for (const auto& [id, value] : before)
        if (!now.count(id))
            out.push_back({SourcePos{file, 0, 0}, "key figure \"" + id + "\" was removed" + since});
    return out;
}

}  // namespace

std::string issue_date(const std::string& given, const Environment& env) {
    std::string date = !given.empty() ? given : env.date ? env.date->substr(0, 10) : env.today;
    if (!valid_iso_date(date))
        throw Error(SourcePos{"--date", 0, 0}, "\"" + date + "\" is not a date written YYYY-MM-DD");
    return date;
}

std::string content_hash(const std::string& source_bytes, const std::string& layout_hash,
                         const std::string& lang) {
    return sha256_hex("factsheet content 1\nsource " + sha256_hex(source_bytes) + "\nlayout " + layout_hash +
                      "\nlang " + lang + "\n");
}

std::vector<Publication> archive_publications(const std::vector<ArchivedFile>& files, Lang lang,
                                              const FactsheetBuilder& builder, const std::string& issuing,
                                              const std::string& base_url, std::size_t limit) {
    std::string code = lang_code(lang);
    std::set<std::pair<std::string, std::string>> in_lang;  // (kind, issued) with a file in `lang`
    if (!issuing.empty()) in_lang.insert({"factsheet", issuing});
    // A combined edition holds the edition's language too.
    auto in_edition_lang = [&](const ArchivedFile& f) { return f.lang == code || f.lang == combined_code; };
    for (const ArchivedFile& f : files)
        if (in_edition_lang(f)) in_lang.insert({f.kind, f.issued});
    std::vector<const ArchivedFile*> chosen;
    for (const ArchivedFile& f : files)
        if (in_edition_lang(f)) chosen.push_back(&f);
    for (const ArchivedFile& f : files)
        if (!in_edition_lang(f) && !in_lang.count({f.kind, f.issued})) chosen.push_back(&f);
    if (chosen.size() > limit) chosen.resize(limit);

    std::vector<Publication> out;
    for (const ArchivedFile* f : chosen) {
        std::string note;
        if (f->kind == "factsheet")
            note += " \u00B7 " + builder.label("edition", lang) + " " + std::to_string(f->edition);
        Publication p;
        p.title = Text{f->title, f->title, SourcePos{}};
        if (f->lang != code && f->lang != combined_code) {
            note += " (" + builder.label("other_language", lang) + ")";
            if (lang_from_code(f->lang)) p.title_lang = f->lang;
        }
        p.note = note;
        p.date = f->issued;
        if (!base_url.empty()) p.url = file_url(base_url, f->path);
        out.push_back(std::move(p));
    }
    return out;
}

std::string find_archive_template() {
    if (std::filesystem::exists("layouts/archive/index.mustache")) return "layouts/archive/index.mustache";
    return std::string(FACTSHEET_DEFAULT_LAYOUTS) + "/archive/index.mustache";
}

IndexPageRenderer index_page_renderer(const std::string& template_path) {
    auto page = std::make_shared<Template>(Template::load(template_path));
    // The search block: search.mustache beside the page's template, rendered once and inserted
    // where the page says {{{search}}}; a layout without it has no search box.
    std::string search_path =
        (std::filesystem::path(template_path).parent_path() / "search.mustache").string();
    std::string search =
        std::filesystem::exists(search_path) ? Template::load(search_path).render(View{}) : std::string();
    return [page, search](const std::vector<ArchivedFile>& files) {
        View view = index_view(files);
        view.set("search", search);
        return page->render(view);
    };
}

Operation with_archive_publications(const Operation& op, Lang lang, const std::string& archive_dir,
                                    const FactsheetBuilder& builder) {
    Archive archive(archive_dir, nullptr);
    std::vector<Publication> publications = archive_publications(archive.list(ListFilter{op.id, ""}), lang,
                                                                 builder, "", archive.settings().base_url);
    Operation out = op;
    out.publications.insert(out.publications.begin(), publications.begin(), publications.end());
    return out;
}

int run_issue(const IssueOptions& o, const Environment& env, std::ostream& out, std::ostream& err) {
    std::string issued = issue_date(o.date, env);
    for (Lang lang : o.langs) prefetch_hyphenator(lang_code(lang));  // while the fonts load
    FactsheetBuilder builder(env);
    std::string layout_hash = folder_hash(env.layout_dir);
    Archive archive(o.archive, index_page_renderer(find_archive_template()));
    int status = 0;
    for (const std::string& file : o.files) {
        try {
            // Read once: the bytes hashed are the bytes parsed.
            std::string bytes = read_source_file(file);
            // Only complete editions are issued: every text in each language issued (both for the
            // combined edition).
            Operation op = builder.parse_source(
                bytes, file, EditionPlan{o.combined ? std::vector<Lang>{Lang::en, Lang::fr} : o.langs});
            // Each language asked for, then the combined edition (no language of its own: nullopt).
            std::vector<std::optional<Lang>> forms(o.langs.begin(), o.langs.end());
            if (o.combined) forms.push_back(std::nullopt);
            for (std::optional<Lang> form : forms) {
                std::string code = form ? lang_code(*form) : combined_code;
                std::string title = form ? builder.publication_title(op, *form)
                                         : builder.publication_title(op, Lang::en) + " / " +
                                               builder.publication_title(op, Lang::fr);
                IssueRequest request{op.id,
                                     code,
                                     title,
                                     content_hash(bytes, layout_hash, code),
                                     issued,
                                     figure_values(op),
                                     {{"FactsheetAsOf", op.as_of}}};
                std::vector<Diagnostic> warnings;
                IssueResult result = archive.issue(request, [&](const IssueContext& context) {
                    auto listed = [&](Lang lang) {
                        Operation stamped = op;
                        std::vector<Publication> earlier = archive_publications(
                            context.publications, lang, builder, context.issued, context.base_url);
                        stamped.publications.insert(stamped.publications.begin(), earlier.begin(),
                                                    earlier.end());
                        return stamped;
                    };
                    IssueStamp stamp{
                        context.edition, context.issued, context.meta,
                        context.base_url.empty() ? std::string() : file_url(context.base_url, context.path)};
                    // The laid-out text by section goes to the search index.
                    EditionOptions options{.stamp = &stamp,
                                           .text = context.text ? &context.text->sections : nullptr};
                    Edition edition =
                        form ? builder.build(listed(*form), *form, nullptr, options)
                             : builder.build_combined(listed(Lang::en), listed(Lang::fr), options);
                    warnings = edition.warnings;
                    for (Diagnostic& d : figures_changed_warnings(op, file, code, context, o.archive))
                        warnings.push_back(std::move(d));
                    return edition.pdf;
                });
                for (const Diagnostic& w : warnings) err << format_warning(w) << '\n';
                print_issued(result, o.archive, out, err);
            }
        } catch (const Error& e) {
            print_errors(e, err);
            status = 1;
        }
    }
    return status;
}

int run_archive_add(const ArchiveOptions& o, const Environment& env, std::ostream& out, std::ostream& err) {
    Archive archive(o.archive, index_page_renderer(find_archive_template()));
    ExternalRequest request{o.pdf, o.operation, o.lang, o.title, issue_date(o.date, env)};
    IssueResult result = archive.add_external(request);
    if (!result.added) {
        for (const std::string& path : result.adopted)
            err << format_warning(Diagnostic{SourcePos{o.archive + "/" + path, 0, 0},
                                             "adopted into the catalog: a stopped run had written it"})
                << '\n';
        out << o.pdf << ": already archived as " << o.archive << "/" << result.file.path << '\n';
        return 0;
    }
    print_issued(result, o.archive, out, err);
    for (const Diagnostic& w : result.warnings) err << format_warning(w) << '\n';
    return 0;
}

namespace {

// What a file says of itself, for list: "PDF/A-1b, tagged", "PDF/A-2u", "tagged", "-" for neither,
// "?" when the catalog has not recorded it (reindex reads it).
std::string conformance_text(const ArchivedFile& f) {
    if (!f.pdfa || !f.tagged) return "?";
    std::string out = *f.pdfa;
    if (*f.tagged) out += out.empty() ? "tagged" : ", tagged";
    return out.empty() ? "-" : out;
}

}  // namespace

int run_archive_list(const ArchiveOptions& o, std::ostream& out) {
    Archive archive(o.archive, nullptr);
    std::vector<ArchivedFile> files = archive.list(ListFilter{o.operation, o.lang});
    std::string base_url = archive.settings().base_url;  // read even when unused: a bad file shows
    if (o.json) {
        out << files_json(files, base_url) << '\n';
        return 0;
    }
    for (const ArchivedFile& f : files)
        out << f.issued << "  " << f.operation << "  " << f.lang << "  " << f.kind << "  e" << f.edition
            << (f.superseded_by.empty() ? "" : "  superseded") << "  " << f.pages
            << (f.pages == 1 ? " page  " : " pages  ") << f.size << " bytes  " << conformance_text(f) << "  "
            << f.path << "  " << f.title << '\n';
    return 0;
}

int run_archive_verify(const ArchiveOptions& o, std::ostream& out, std::ostream& err) {
    Archive archive(o.archive, nullptr);
    std::size_t count = archive.list().size();
    std::size_t settings_problems = 0;
    try {
        archive.settings();
    } catch (const Error& e) {
        print_errors(e, err);
        settings_problems = 1;
    }
    std::vector<ArchiveProblem> problems = archive.verify();
    for (const ArchiveProblem& p : problems)
        err << format_error(Diagnostic{SourcePos{o.archive + "/" + p.path, p.line, p.col}, p.detail}) << '\n';
    if (problems.empty() && settings_problems == 0) {
        out << o.archive << ": " << count << (count == 1 ? " file" : " files") << " verified, no problem\n";
        return 0;
    }
    std::size_t total = problems.size() + settings_problems;
    out << o.archive << ": " << total << (total == 1 ? " problem" : " problems") << '\n';
    return 1;
}

int run_archive_reindex(const ArchiveOptions& o, std::ostream& out, std::ostream& err) {
    Archive archive(o.archive, index_page_renderer(find_archive_template()));
    ReindexResult result = archive.reindex();
    for (const ArchiveProblem& p : result.skipped)
        err << format_warning(Diagnostic{SourcePos{o.archive + "/" + p.path, 0, 0}, "skipped: " + p.detail})
            << '\n';
    out << o.archive << ": cataloged " << result.files << (result.files == 1 ? " file" : " files") << '\n';
    return 0;
}

int run_archive_config(const ArchiveOptions& o, std::ostream& out) {
    Archive archive(o.archive, index_page_renderer(find_archive_template()));
    if (o.base_url || o.no_base_url) {
        // Checked before the archive is touched: a refused address writes nothing.
        std::string base_url = o.base_url ? checked_base_url(*o.base_url, "--base-url") : std::string();
        archive.configure(ArchiveSettings{base_url});
    }
    std::string base_url = archive.settings().base_url;
    out << "base URL: " << (base_url.empty() ? "none" : base_url) << '\n';
    return 0;
}

}  // namespace factsheet
