// Runs the pipeline for one operation and edition: source -> view -> markup -> pages -> PDF.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/edition_text.hpp"
#include "common/error.hpp"
#include "layout/layout.hpp"
#include "locale/locale.hpp"
#include "pdf/pdf.hpp"
#include "source/operation.hpp"
#include "source/source.hpp"
#include "templates/templates.hpp"

namespace factsheet {

/// What a build takes from outside the source: the layout folder, the program's name and
/// version, and the date stamped into the PDF (never read from the clock).
struct Environment {
    std::string layout_dir;           // holds factsheet.mustache, styles.xml, labels.xml
    std::string creator;              // "factsheet 0.1.0"
    std::optional<std::string> date;  // ISO 8601; from SOURCE_DATE_EPOCH when set, else the source's as-of
    std::string today;                // YYYY-MM-DD from the clock: the issue date when nothing pins it
};

/// Reads the environment of this process: SOURCE_DATE_EPOCH, and the layout folder given or found.
Environment process_environment(const std::string& layout_dir);

/// The stamp of an issued edition: printed on the page and written into the PDF's metadata.
struct IssueStamp {
    int edition = 0;
    std::string issued;                                     // YYYY-MM-DD
    std::vector<std::pair<std::string, std::string>> meta;  // Info entries (RenderOptions::stamps)
    std::string url;  // where the edition is published, when the archive knows its base URL
};

/// How an edition is made besides its language: as `build` makes it, issued (with its stamp), or
/// as a draft.
struct EditionOptions {
    const IssueStamp* stamp = nullptr;  // an issued edition's
    /// A draft: a text the source lacks in the edition's language stands in from the other
    /// language, set apart (the layout's colour "draft-fallback"), and the view's `draft` flag is
    /// set for the template to mark every page. A draft is never issued.
    bool draft = false;
    /// When set, receives the edition's laid-out text by section (section_texts), for the
    /// archive's search index.
    std::vector<SectionText>* text = nullptr;
};

/// Where the time of one edition went, in seconds: the localized view, the template's expansion,
/// the layout and the PDF (for the combined edition, both parts summed).
struct StageTimes {
    double view = 0;
    double templates = 0;
    double layout = 0;
    double pdf = 0;
};

/// The text a document's pages show, by section: each text run (not the running header and
/// footer, nor decoration) goes under the last outline heading above it; what comes before the
/// first heading is a section without a name. Words broken at a line's end are joined again.
std::vector<SectionText> section_texts(const PagedDocument& doc);

/// One edition built in memory, ready to be written.
struct Edition {
    Lang lang = Lang::en;
    bool combined = false;  // the English edition then the French one, in one file (lang: en)
    std::string file_name;  // "mali-fr.pdf", "mali-en-fr.pdf"
    std::string pdf;        // the PDF's bytes
    int pages = 0;
    std::vector<Diagnostic> warnings;
    StageTimes times;
};

/// A layout loaded once (template, labels, styles, fonts) and used for many factsheets.
class FactsheetBuilder {
public:
    /// Loads the layout; throws Error naming the layout file at fault, or the font lacking a
    /// character the program writes into texts (check_program_characters).
    explicit FactsheetBuilder(Environment env, TypesetRules rules = {});

    /// Reads and validates a source for the editions of `plan`, then checks that the layout's
    /// fonts have every character of its texts. Throws Error listing every problem, at its place
    /// in the source (a text an edition of `plan` needs and the source lacks among them).
    Operation read_source(const std::string& path, const EditionPlan& plan = {}) const;

    /// The same for a source already read into memory; `path` names it.
    Operation parse_source(std::string_view xml, const std::string& path, const EditionPlan& plan = {}) const;

    /// Adds to `sink` what would stop a picture of the source from being drawn, at its place in
    /// the source: a country code the map data lacks, a logo that is missing or not a readable
    /// PNG or JPEG (or too large), a web address too long for a QR code.
    void check_source_pictures(const Operation& op, DiagnosticSink& sink) const;

    /// The layout markup of an edition (useful to debug a template). Throws Error listing the
    /// texts the edition needs and the source lacks (missing_text_errors), if any.
    std::string markup(const Operation& op, Lang lang, const EditionOptions& options = {}) const;

    /// The same, adding the time spent making the view and expanding the template to `times`.
    std::string markup(const Operation& op, Lang lang, const EditionOptions& options,
                       StageTimes* times) const;

    /// Builds one edition. Throws Error (with the source's or the layout's position) on failure.
    /// `report`, when given, records what the line breaker and paginator did. Not const: the
    /// builder keeps its PDF renderer (and the fonts it loaded) between editions.
    Edition build(const Operation& op, Lang lang, LayoutReport* report = nullptr,
                  const EditionOptions& options = {});

    /// Builds the combined edition: the English edition (of `en`) then the French one (of `fr`,
    /// the same operation with the publications listed in French), in one file with a page
    /// numbering, an outline entry and a structure Part for each; a draft or an issued one as
    /// `options` say.
    Edition build_combined(const Operation& en, const Operation& fr, const EditionOptions& options = {});

    /// Lays out one edition without rendering it (for checks and reports); adds the time of each
    /// stage to `times` when given.
    PagedDocument lay_out(const Operation& op, Lang lang, std::vector<Diagnostic>& warnings,
                          LayoutReport* report = nullptr, const EditionOptions& options = {},
                          StageTimes* times = nullptr) const;

    /// What the renderer writes of an edition besides its pages: language, program, date, stamps.
    RenderOptions render_options(const Operation& op, Lang lang, const IssueStamp* stamp = nullptr) const;

    /// The title an edition is published under: "Mali — Protection Cluster · Factsheet".
    std::string publication_title(const Operation& op, Lang lang) const;

    /// A label of the layout in one language, typeset ("" when the layout lacks it).
    std::string label(const std::string& key, Lang lang) const;

    /// The layout engine in use.
    const LayoutEngine& engine() const { return engine_; }

    const Environment& environment() const { return env_; }

private:
    Environment env_;
    Labels labels_;
    Template template_;
    LayoutEngine engine_;
    PdfRenderer renderer_;
};

/// The file name of an edition: "<id>-<lang>.pdf".
std::string edition_file_name(const Operation& op, Lang lang);

}  // namespace factsheet
