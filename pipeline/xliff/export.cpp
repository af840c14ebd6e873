// factsheet xliff export: a source's texts as an XLIFF 1.2 document.
#include "common/sha256.hpp"
#include "common/xml.hpp"
#include "xliff/scan.hpp"
#include "xliff/xliff.hpp"

namespace factsheet::xliff {

std::string export_xliff(const SourceTexts& source, const ExportOptions& options, ExportCounts* counts) {
    Lang target = options.target;
    Lang from = other_lang(target);
    ExportCounts n;
    std::string out;
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<xliff version=\"1.2\" xmlns=\"" + std::string(xliff_namespace) + "\" xmlns:fs=\"" +
           std::string(factsheet_namespace) + "\">\n";
    out += "  <file original=\"" + escape_xml(options.original) + "\" source-language=\"" + lang_code(from) +
           "\" target-language=\"" + lang_code(target) +
           "\" datatype=\"plaintext\" tool-id=\"factsheet\" fs:operation=\"" +
           escape_xml(source.operation_id) + "\" fs:source-sha256=\"" + sha256_hex(source.bytes) + "\">\n";
    out += "    <header>\n";
    out += "      <tool tool-id=\"factsheet\" tool-name=\"factsheet\" tool-version=\"" +
           escape_xml(options.tool_version) + "\"/>\n";
    out +=
        "      <note>" +
        escape_xml_text("The texts of the factsheet of operation " + source.operation_id + " (" +
                        source.file + "), " + english_name(from) + " to " + english_name(target) +
                        ". Write each translation in the target of its unit, as plain text without markup, "
                        "in at most maxwidth characters; keep the ids. Units marked "
                        "needs-review-translation were translated from an older " +
                        english_name(from) + " text: check them against the new one.") +
        "</note>\n";
    out += "    </header>\n";
    out += "    <body>\n";
    for (const SourceText& text : source.texts) {
        const LanguageElement& element = text.in(target);
        ++n.units;
        TranslationState state = translation_state(text, target);
        // approved="yes" on the translations that stand: tools built on the Translate Toolkit
        // (Weblate, Virtaal) take a unit without it for a fuzzy one, whatever its state.
        bool approved = state == TranslationState::fresh || state == TranslationState::unchecked;
        out += "      <trans-unit id=\"" + escape_xml(text.id) + "\"" +
               (approved ? " approved=\"yes\"" : "") + " size-unit=\"char\" maxwidth=\"" +
               std::to_string(text.max_chars) + "\">\n";
        out += "        <source>" + escape_xml_text(text.in(from).text) + "</source>\n";
        if (state == TranslationState::missing) {
            ++n.new_units;
        } else {
            const char* word = "translated";
            if (state == TranslationState::stale) {
                word = "needs-review-translation";
                ++n.review;
            } else {
                ++n.translated;
            }
            out += "        <target state=\"" + std::string(word) + "\">" + escape_xml_text(element.text) +
                   "</target>\n";
        }
        SourcePos where = element.present ? element.pos : text.pos;
        out += "        <note from=\"factsheet\">" +
               escape_xml_text(text.context + "; " + format_pos(where)) + "</note>\n";
        if (state == TranslationState::stale)
            out += "        <note from=\"factsheet\">" +
                   escape_xml_text(std::string("The ") + english_name(from) + " changed since this " +
                                   english_name(target) +
                                   " was written: check that it still says the same, correct it if not, and "
                                   "mark it translated.") +
                   "</note>\n";
        out += "      </trans-unit>\n";
    }
    out += "    </body>\n";
    out += "  </file>\n";
    out += "</xliff>\n";
    if (counts) *counts = n;
    return out;
}

}  // namespace factsheet::xliff
