#include "xliff/texts.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdio>

#include "common/ids.hpp"
#include "common/sha256.hpp"
#include "common/xml.hpp"
#include "source/source.hpp"
#include "source/syntax.hpp"
#include "xliff/scan.hpp"

namespace factsheet::xliff {

namespace {

std::string hex_code_point(long code_point) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04lX", static_cast<unsigned long>(code_point));
    return buffer;
}

// Finds the texts in the order of the format (docs/source-format.md), by the same element
// names the reader reads; locate_texts then sorts them into the order they are written.
class Locator {
public:
    Locator(std::string_view xml, const std::string& file) : xml_(xml), lines_(file, xml) {}

    std::vector<SourceText> run(pugi::xml_node root) {
        text(root.child("country"), "country", "Country name", max_short_text_chars);
        text(root.child("cluster"), "cluster", "Name of the cluster", max_short_text_chars);
        text(root.child("source"), "source", "Where the information comes from, printed in the footer",
             max_text_chars);
        int index = 0;
        for (pugi::xml_node org : root.child("organisations").children("organisation")) {
            auto [key, name] = keyed(org, "organisation", ++index);
            text(org.child("acronym"), key + "/acronym", "Acronym of organisation " + name,
                 max_acronym_chars);
            text(org.child("name"), key + "/name", "Full name of organisation " + name, max_short_text_chars);
        }
        paragraphs(root.child("intro"), "intro", "Introduction");
        paragraphs(root.child("protection-issues"), "protection-issues", "Protection Issues");
        pugi::xml_node cluster_operation = root.child("cluster-operation");
        paragraphs(cluster_operation, "cluster-operation", "Cluster Operation");
        index = 0;
        for (pugi::xml_node area : cluster_operation.child("areas").children("area")) {
            auto [key, name] = keyed(area, "area", ++index);
            std::string body = "coordination body " + name + " (Cluster Operation)";
            text(area.child("name"), key + "/name", "Name of " + body, max_short_text_chars);
            text(area.child("acronym"), key + "/acronym", "Acronym of " + body, max_acronym_chars);
        }
        index = 0;
        for (pugi::xml_node figure : root.child("figures").children("figure")) {
            auto [key, name] = keyed(figure, "figure", ++index);
            text(figure.child("label"), key + "/label", "Label of key figure " + name, max_short_text_chars);
        }
        index = 0;
        for (pugi::xml_node member : root.child("team").children("member")) {
            std::string n = std::to_string(++index);
            std::string who = collapse_whitespace(member.child("name").child_value());
            text(member.child("role"), "team/member[" + n + "]/role",
                 "Role of team member " + n + (who.empty() ? "" : " (" + who + ")"), max_short_text_chars);
        }
        index = 0;
        for (pugi::xml_node publication : root.child("publications").children("publication")) {
            std::string n = std::to_string(++index);
            std::string date = collapse_whitespace(publication.attribute("date").value());
            text(publication.child("title"), "publications/publication[" + n + "]/title",
                 "Title of publication " + n + (date.empty() ? "" : " (" + date + ")"), max_text_chars);
        }
        index = 0;
        for (pugi::xml_node place : root.child("places").children("place")) {
            std::string n = std::to_string(++index);
            text(place, "places/place[" + n + "]", "Name of place " + n + " on the locator map",
                 max_acronym_chars);
        }
        std::stable_sort(texts_.begin(), texts_.end(),
                         [](const SourceText& a, const SourceText& b) { return a.start < b.start; });
        return std::move(texts_);
    }

private:
    // "organisation[unhcr]" and "unhcr"; "organisation[#2]" and "2" while the id is missing or
    // not an id (a source the reader refuses): '#' is never part of an id.
    static std::pair<std::string, std::string> keyed(pugi::xml_node node, const char* kind, int index) {
        std::string id = collapse_whitespace(node.attribute("id").value());
        if (is_valid_id(id)) return {std::string(kind) + "[" + id + "]", id};
        std::string n = std::to_string(index);
        return {std::string(kind) + "[#" + n + "]", n};
    }

    void paragraphs(pugi::xml_node section, const std::string& id, const std::string& title) {
        int index = 0;
        for (pugi::xml_node p : section.children("p")) {
            std::string n = std::to_string(++index);
            text(p, id + "/p[" + n + "]", title + ", paragraph " + n, max_text_chars);
        }
    }

    void text(pugi::xml_node node, std::string id, std::string context, std::size_t max_chars) {
        if (!node) return;
        SourceText t;
        t.id = std::move(id);
        t.context = std::move(context);
        t.max_chars = max_chars;
        t.start = node_offset(node, xml_);
        t.pos = lines_.at(t.start);
        t.en = language(node.child("en"));
        t.fr = language(node.child("fr"));
        texts_.push_back(std::move(t));
    }

    LanguageElement language(pugi::xml_node node) {
        LanguageElement e;
        if (!node) return e;
        e.present = true;
        e.start = node_offset(node, xml_);
        e.pos = lines_.at(e.start);
        StartTag tag = scan_start_tag(xml_, e.start);
        e.name_end = tag.name_end;
        e.self_closing = tag.self_closing;
        for (const TagAttribute& a : tag.attributes)
            if (a.name == "from") {
                e.fingerprint = node.attribute("from").value();  // as the reader reads it, references decoded
                e.from_start = a.value_start;
                e.from_end = a.value_end;
            }
        if (tag.self_closing) {
            e.content_start = e.content_end = e.end = tag.end;
        } else {
            e.content_start = tag.end;
            ElementEnd end = scan_element_end(xml_, tag.end);
            e.content_end = end.content_end;
            e.end = end.end;
        }
        std::string raw;
        for (pugi::xml_node child : node.children())
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) raw += child.value();
        e.text = collapse_whitespace(raw);
        return e;
    }

    std::string_view xml_;
    LineMap lines_;
    std::vector<SourceText> texts_;
};

}  // namespace

SourceTexts locate_texts(std::string bytes, const std::string& file) {
    SourceTexts out;
    out.file = file;
    out.bytes = std::move(bytes);
    std::string_view xml = out.bytes;
    LineMap lines(file, xml);
    long code_point = 0;
    if (auto bad = detail::find_invalid_character(xml, code_point)) {
        if (code_point < 0)
            throw Error(lines.at(*bad), "the text is not valid UTF-8 here; save the file as UTF-8");
        throw Error(lines.at(*bad),
                    "character " + hex_code_point(code_point) + " is not allowed in XML; remove it");
    }
    pugi::xml_document doc;
    pugi::xml_parse_result parsed = doc.load_buffer(
        xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
    if (!parsed) throw parse_error(lines, parsed);
    for (pugi::xml_node node : doc.children())
        if (node.type() == pugi::node_doctype)
            throw Error(lines.at(doctype_start(xml, node.offset_debug())),
                        "a DOCTYPE is not allowed in a source; remove the <!DOCTYPE ...> declaration");
    check_well_formed(xml, lines, "a source");
    pugi::xml_node root = doc.document_element();
    if (!root) throw Error(lines.at(0), "the source has no <operation> element");
    if (std::string_view(root.name()) != "operation")
        throw Error(lines.at(node_offset(root, xml)),
                    "the root element must be <operation>, not <" + std::string(root.name()) + ">");
    out.operation_id = collapse_whitespace(root.attribute("id").value());
    out.texts = Locator(xml, file).run(root);
    return out;
}

std::string text_fingerprint(std::string_view text) {
    return sha256_hex(collapse_whitespace(text)).substr(0, 8);
}

TranslationState translation_state(const SourceText& text, Lang lang) {
    const LanguageElement& target = text.in(lang);
    if (!target.present || target.text.empty()) return TranslationState::missing;
    if (!target.fingerprint) return TranslationState::unchecked;
    return *target.fingerprint == text_fingerprint(text.in(other_lang(lang)).text) ? TranslationState::fresh
                                                                                   : TranslationState::stale;
}

TranslationReport check_translations(const SourceTexts& source, Lang lang) {
    TranslationReport report;
    std::string language = english_name(lang);
    std::string from = english_name(other_lang(lang));
    for (const SourceText& text : source.texts) {
        ++report.texts;
        const LanguageElement& target = text.in(lang);
        switch (translation_state(text, lang)) {
            case TranslationState::missing:
                ++report.missing;
                report.problems.push_back(
                    {target.present ? target.pos : text.pos,
                     text.id + (target.present ? " has an empty " : " has no ") + language +
                         " text; have it translated (factsheet xliff export lists it as new)"});
                break;
            case TranslationState::stale:
                ++report.stale;
                report.problems.push_back(
                    {target.pos, "the " + language + " text of " + text.id + " is stale: the " + from +
                                     " changed since it was translated; have it reviewed (factsheet xliff "
                                     "export marks it needs-review-translation)"});
                break;
            case TranslationState::fresh: ++report.fresh; break;
            case TranslationState::unchecked: ++report.unchecked; break;
        }
    }
    return report;
}

}  // namespace factsheet::xliff
