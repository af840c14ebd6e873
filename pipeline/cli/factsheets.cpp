#include "cli/factsheets.hpp"

#include <cstdlib>
#include <ctime>

#include "pdf/pdf.hpp"

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

}  // namespace

Environment process_environment(const std::string& layout_dir) {
    Environment env;
    env.layout_dir = layout_dir;
    env.creator = std::string("factsheet ") + FACTSHEET_VERSION;
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) env.date = date_from_epoch(epoch);
    return env;
}

FactsheetBuilder::FactsheetBuilder(Environment env)
    : env_(std::move(env)),
      labels_(read_labels(env_.layout_dir + "/labels.xml")),
      template_(Template::load(env_.layout_dir + "/factsheet.mustache")),
      engine_(read_styles(env_.layout_dir + "/styles.xml")) {}

std::string edition_file_name(const Operation& op, Lang lang) {
    return op.id + "-" + lang_code(lang) + ".pdf";
}

std::string FactsheetBuilder::markup(const Operation& op, Lang lang) const {
    View view = build_view(op, labels_, lang);
    View& document = view.fields["document"];
    document.set("creator", env_.creator);
    document.set("date", env_.date.value_or(op.as_of));
    return template_.render(view);
}

PagedDocument FactsheetBuilder::lay_out(const Operation& op, Lang lang, std::vector<Diagnostic>& warnings,
                                       LayoutReport* report) const {
    std::string markup_text = markup(op, lang);
    // Positions in the markup name it as "factsheet markup" prints it, so a designer can look.
    return engine_.lay_out(markup_text, op.id + "-" + lang_code(lang) + ".markup.xml", warnings, report);
}

Edition FactsheetBuilder::build(const Operation& op, Lang lang, LayoutReport* report) const {
    Edition e;
    e.lang = lang;
    e.file_name = edition_file_name(op, lang);
    PagedDocument doc = lay_out(op, lang, e.warnings, report);
    e.pages = static_cast<int>(doc.pages.size());
    e.pdf = render_pdf(doc);
    return e;
}

}  // namespace factsheet
