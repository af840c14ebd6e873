#include "driver/factsheets.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>

#include "archive/search.hpp"
#include "driver/coverage.hpp"
#include "layout/combine.hpp"
#include "pdf/pdf.hpp"
#include "source/source.hpp"

namespace factsheet {

namespace {

std::string date_from_epoch(const char* text) {
    char* end = nullptr;
    long long seconds = std::strtoll(text, &end, 10);
    if (end == text || *end != '\0' || seconds < 0)
        throw Error(SourcePos{"SOURCE_DATE_EPOCH", 0, 0}, "must be a whole number of seconds since 1970");
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    return buffer;
}

// Adds the seconds since `start` to `total` (when asked for) and restarts the count.
void lap(std::chrono::steady_clock::time_point& start, double* total) {
    auto now = std::chrono::steady_clock::now();
    if (total) *total += std::chrono::duration<double>(now - start).count();
    start = now;
}

}  // namespace

Environment process_environment(const std::string& layout_dir) {
    Environment env;
    env.layout_dir = layout_dir;
    env.creator = std::string("factsheet ") + FACTSHEET_VERSION;
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch)
        env.date = date_from_epoch(epoch);
    // The one place the clock is read; everything after takes the date from here.
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char today[16];
    std::strftime(today, sizeof today, "%Y-%m-%d", &tm);
    env.today = today;
    return env;
}

FactsheetBuilder::FactsheetBuilder(Environment env, TypesetRules rules)
    : env_(std::move(env)),
      labels_(read_labels(env_.layout_dir + "/labels.xml")),
      template_(Template::load(env_.layout_dir + "/factsheet.mustache")),
      engine_(read_styles(env_.layout_dir + "/styles.xml"), rules) {
    check_program_characters(engine_.sheet());
}

Operation FactsheetBuilder::read_source(const std::string& path, const EditionPlan& plan) const {
    return parse_source(read_source_file(path), path, plan);
}

Operation FactsheetBuilder::parse_source(std::string_view xml, const std::string& path,
                                         const EditionPlan& plan) const {
    Operation op = parse_operation(xml, path, plan);
    DiagnosticSink sink;
    check_source_characters(xml, path, engine_.sheet(), sink);
    check_source_pictures(op, sink);
    sink.throw_if_any();
    return op;
}

void FactsheetBuilder::check_source_pictures(const Operation& op, DiagnosticSink& sink) const {
    // The picture's own message names its file or its limit; the source's position says where
    // it is asked for.
    auto add = [&](const SourcePos& pos, const std::string& what, const Error& e) {
        const Diagnostic& d = e.diagnostics().front();
        bool names_file = !d.pos.file.empty() && d.pos.file != "pdf";
        sink.add(pos, what + ": " + (names_file ? d.pos.file + ": " : std::string()) + d.message);
    };
    if (!op.country_code.empty()) {
        try {
            if (!engine_.atlas().has_country(op.country_code))
                sink.add(op.country_code_pos, "country code \"" + op.country_code +
                                                  "\" is not in the map data; use the ISO 3166 code of a "
                                                  "country listed in " +
                                                  MapAtlas::default_countries_path);
        } catch (const Error& e) {
            add(op.country_code_pos, "the locator map", e);
        }
    }
    for (const Organisation& org : op.organisations) {
        if (org.logo.empty()) continue;
        try {
            engine_.image(org.logo, Color{1, 1, 1});
        } catch (const Error& e) {
            add(org.logo_pos, "logo of organisation \"" + org.id + "\"", e);
        }
    }
    if (!op.web.empty()) {
        try {
            engine_.qr(op.web);  // encoded once: the editions draw the code kept here
        } catch (const Error& e) {
            add(op.web_pos, "the web address's QR code", e);
        }
    }
}

std::string edition_file_name(const Operation& op, Lang lang) {
    return op.id + "-" + lang_code(lang) + ".pdf";
}

std::string FactsheetBuilder::markup(const Operation& op, Lang lang, const EditionOptions& options) const {
    return markup(op, lang, options, nullptr);
}

std::string FactsheetBuilder::markup(const Operation& op, Lang lang, const EditionOptions& options,
                                     StageTimes* times) const {
    auto start = std::chrono::steady_clock::now();
    const IssueStamp* stamp = options.stamp;
    if (stamp && options.draft)
        throw Error(SourcePos{op.file},
                    "a draft cannot be issued: issue the edition once its texts are complete");
    EditionPlan plan{{lang}, options.draft};
    if (std::vector<Diagnostic> missing = missing_text_errors(op, plan); !missing.empty())
        throw Error(missing);
    // What stands in is set in the layout's fallback colour: a layout that lacks it cannot make
    // such a draft, and says so here rather than at a span of the markup.
    bool stands_in = std::any_of(op.missing_texts.begin(), op.missing_texts.end(),
                                 [&](const MissingText& m) { return m.lang == lang; });
    if (options.draft && stands_in && !engine_.sheet().colors.count(std::string(fallback_colour)))
        throw Error(SourcePos{engine_.sheet().file},
                    "a draft sets the texts its language lacks in the colour \"" +
                        std::string(fallback_colour) + "\": define it in the styles file (<colour name=\"" +
                        std::string(fallback_colour) + "\" value=\"#RRGGBB\"/>)");
    View view = build_view(op, labels_, lang, options.draft);
    View edition;
    edition.set("has", View::boolean(stamp != nullptr));
    if (stamp) {
        edition.set("number", std::to_string(stamp->edition));
        edition.set("date", format_date(stamp->issued, lang));
        edition.set("date_iso", stamp->issued);
    }
    // An issued edition's permanent address, for a layout that prints it or puts it in a QR code.
    edition.set("url", stamp ? stamp->url : std::string());
    edition.set("has_url", View::boolean(stamp && !stamp->url.empty()));
    view.set("edition", std::move(edition));
    lap(start, times ? &times->view : nullptr);
    std::string text = template_.render(view);
    lap(start, times ? &times->templates : nullptr);
    return text;
}

std::string FactsheetBuilder::label(const std::string& key, Lang lang) const {
    auto it = labels_.find(key);
    return it == labels_.end() ? std::string() : apply_typography(it->second.in(lang), lang);
}

std::string FactsheetBuilder::publication_title(const Operation& op, Lang lang) const {
    return apply_typography(op.country.in(lang), lang) + " \u2014 " +
           apply_typography(op.cluster.in(lang), lang) + " \u00B7 " + label("factsheet", lang);
}

RenderOptions FactsheetBuilder::render_options(const Operation& op, Lang lang,
                                               const IssueStamp* stamp) const {
    RenderOptions options;
    options.lang = lang_code(lang);
    options.creator = env_.creator;
    // An issued edition is dated the day it was issued; a build, by SOURCE_DATE_EPOCH or else the
    // source's as-of date: never the clock, so that the same input gives the same bytes.
    std::string date = stamp ? stamp->issued : env_.date.value_or(op.as_of);
    options.date = parse_pdf_date(date);
    if (!options.date)
        throw Error(SourcePos{op.file, 0, 0},
                    "date \"" + date + "\" is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS");
    if (stamp) options.stamps = stamp->meta;
    return options;
}

PagedDocument FactsheetBuilder::lay_out(const Operation& op, Lang lang, std::vector<Diagnostic>& warnings,
                                        LayoutReport* report, const EditionOptions& options,
                                        StageTimes* times) const {
    std::string markup_text = markup(op, lang, options, times);
    auto start = std::chrono::steady_clock::now();
    // Positions in the markup name it as "factsheet markup" prints it, so a designer can look.
    PagedDocument doc =
        engine_.lay_out(markup_text, op.id + "-" + lang_code(lang) + ".markup.xml", warnings, report);
    lap(start, times ? &times->layout : nullptr);
    return doc;
}

Edition FactsheetBuilder::build(const Operation& op, Lang lang, LayoutReport* report,
                                const EditionOptions& options) {
    Edition e;
    e.lang = lang;
    e.file_name = edition_file_name(op, lang);
    e.warnings = op.warnings;  // the source's own, given with each edition (printed once)
    PagedDocument doc = lay_out(op, lang, e.warnings, report, options, &e.times);
    e.pages = static_cast<int>(doc.pages.size());
    auto start = std::chrono::steady_clock::now();
    if (options.text) *options.text = section_texts(doc);
    e.pdf = renderer_.render(doc, render_options(op, lang, options.stamp));
    lap(start, &e.times.pdf);
    return e;
}

Edition FactsheetBuilder::build_combined(const Operation& en, const Operation& fr,
                                         const EditionOptions& options) {
    Edition e;
    e.lang = Lang::en;
    e.combined = true;
    e.file_name = en.id + "-" + combined_code + ".pdf";
    e.warnings = en.warnings;
    std::vector<CombinedPart> parts;
    for (Lang lang : {Lang::en, Lang::fr}) {
        std::string code = lang_code(lang);
        // Each part is dated and stamped as the whole is; its running lines are its own.
        PagedDocument doc = lay_out(lang == Lang::en ? en : fr, lang, e.warnings, nullptr, options, &e.times);
        for (char& c : code) c = static_cast<char>(c - 'a' + 'A');
        parts.push_back({std::move(doc), lang_code(lang), label("language_name", lang), code + "-"});
    }
    auto start = std::chrono::steady_clock::now();
    PagedDocument doc = combine(std::move(parts));
    lap(start, &e.times.layout);
    e.pages = static_cast<int>(doc.pages.size());
    if (options.text) *options.text = section_texts(doc);
    e.pdf = renderer_.render(doc, render_options(en, Lang::en, options.stamp));
    lap(start, &e.times.pdf);
    return e;
}

std::vector<SectionText> section_texts(const PagedDocument& doc) {
    std::vector<SectionText> out;
    SectionText current{"", 1, ""};
    auto flush = [&] {
        current.text = joined_text(current.text);
        if (!current.text.empty() || !current.section.empty()) out.push_back(std::move(current));
    };
    std::size_t next = 0;  // the next heading of the outline, in reading order
    for (std::size_t p = 0; p < doc.pages.size(); ++p) {
        double line = -1;  // the baseline of the last run
        bool space = false;
        for (const PageItem& item : doc.pages[p].items) {
            const auto* run = std::get_if<TextItem>(&item);
            if (!run || run->tag < 0) continue;  // decoration, running header and footer
            bool heading = false;
            while (next < doc.outline.size() &&
                   (doc.outline[next].page < p ||
                    (doc.outline[next].page == p && doc.outline[next].y <= run->y))) {
                if (!heading) flush();
                heading = true;
                current = SectionText{doc.outline[next].title, static_cast<int>(p) + 1, ""};
                ++next;
            }
            // Another line: a line break, which joined_text makes a space or joins a broken word.
            if (line >= 0 && std::abs(run->y - line) > 0.5)
                current.text += '\n';
            else if (space)
                current.text += ' ';
            current.text += run->text;
            line = run->y;
            space = run->space_after;
        }
        current.text += '\n';
    }
    flush();
    return out;
}

}  // namespace factsheet
