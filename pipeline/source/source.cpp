// Reads an operation source: checks the XML against the format of docs/source-format.md and
// fills an Operation, reporting every problem with its line and column.
#include "source/source.hpp"

#include "common/files.hpp"
#include "common/xml.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "source/syntax.hpp"
#include "source/xml_reader.hpp"

namespace factsheet {

bool stops(const MissingText& missing, const EditionPlan& plan) {
    bool made = std::find(plan.langs.begin(), plan.langs.end(), missing.lang) != plan.langs.end();
    return made && !(plan.draft && missing.has_other);
}

std::vector<Diagnostic> missing_text_errors(const Operation& op, const EditionPlan& plan) {
    std::vector<Diagnostic> errors;
    for (const MissingText& missing : op.missing_texts)
        if (stops(missing, plan)) errors.push_back(missing.problem);
    return errors;
}

namespace {

using detail::ChildRule;
using detail::Occurs;
using detail::Shape;
using detail::XmlReader;

// The format, element by element (docs/schema/operation.xsd says the same for editors).
const Shape operation_shape{"operation",
                            {"id", "as-of", "format", "web", "xmlns:xsi", "xsi:noNamespaceSchemaLocation"},
                            {{"country", Occurs::one},
                             {"cluster", Occurs::one},
                             {"source", Occurs::one},
                             {"organisations", Occurs::one},
                             {"intro", Occurs::one},
                             {"protection-issues", Occurs::one},
                             {"cluster-operation", Occurs::one},
                             {"figures", Occurs::optional},
                             {"team", Occurs::optional},
                             {"publications", Occurs::optional},
                             {"places", Occurs::optional},
                             {"hyphenation", Occurs::optional}}};
const Shape country_shape{"country", {"code"}, {{"en", Occurs::one}, {"fr", Occurs::one}}};
const Shape places_shape{"places", {}, {{"place", Occurs::one_or_more}}};
const Shape place_shape{"place", {"lon", "lat"}, {{"en", Occurs::one}, {"fr", Occurs::one}}};
const Shape organisations_shape{"organisations", {}, {{"organisation", Occurs::one_or_more}}};
const Shape organisation_shape{
    "organisation", {"id", "type", "logo"}, {{"acronym", Occurs::one}, {"name", Occurs::one}}};
const Shape intro_shape{"intro", {}, {{"p", Occurs::one_or_more}}};
const Shape issues_shape{"protection-issues", {}, {{"p", Occurs::one_or_more}}};
const Shape cluster_operation_shape{"cluster-operation",
                                    {"lead", "co-coordinator"},
                                    {{"p", Occurs::one_or_more}, {"areas", Occurs::optional}}};
const Shape areas_shape{"areas", {}, {{"area", Occurs::one_or_more}}};
const Shape area_shape{
    "area", {"id", "kind", "lead", "co-lead"}, {{"name", Occurs::one}, {"acronym", Occurs::optional}}};
const Shape figures_shape{"figures", {"funding-required", "funding-received"}, {{"figure", Occurs::any}}};
const Shape figure_shape{
    "figure", {"id", "kind", "value", "currency", "year", "approximate"}, {{"label", Occurs::one}}};
const Shape team_shape{"team", {}, {{"member", Occurs::any}}};
const Shape member_shape{"member",
                         {"organisation"},
                         {{"name", Occurs::one},
                          {"role", Occurs::optional},
                          {"email", Occurs::optional},
                          {"phone", Occurs::optional}}};
const Shape publications_shape{"publications", {}, {{"publication", Occurs::any}}};
const Shape publication_shape{"publication", {"date", "url"}, {{"title", Occurs::one}}};
const Shape hyphenation_shape{"hyphenation", {}, {{"word", Occurs::one_or_more}}};

std::vector<const Shape*> grammar() {
    return {&operation_shape,    &organisations_shape, &organisation_shape,
            &intro_shape,        &issues_shape,        &cluster_operation_shape,
            &areas_shape,        &area_shape,          &figures_shape,
            &figure_shape,       &team_shape,          &member_shape,
            &publications_shape, &publication_shape,   &hyphenation_shape,
            &country_shape,      &places_shape,        &place_shape};
}

constexpr const char* xsi_namespace = "http://www.w3.org/2001/XMLSchema-instance";

// A value quoted in a message; a very long one is cut (at a character boundary) to stay readable.
std::string quoted(const std::string& s) {
    constexpr std::size_t max_bytes = 80;
    if (s.size() <= max_bytes) return "\"" + s + "\"";
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return "\"" + s.substr(0, cut) + "...\"";
}

// Splits a list of ids written with spaces between them ("drc nrc"); whitespace is collapsed.
std::vector<std::string> split_ids(const std::string& list) {
    std::vector<std::string> ids;
    std::size_t start = 0;
    while (start < list.size()) {
        std::size_t space = list.find(' ', start);
        if (space == std::string::npos) space = list.size();
        if (space > start) ids.push_back(list.substr(start, space - start));
        start = space + 1;
    }
    return ids;
}

// A keyword attribute's value among its allowed words, or nothing.
template <typename Enum, std::size_t N>
std::optional<Enum> parse_keyword(const std::string& text, const std::pair<const char*, Enum> (&words)[N]) {
    for (const auto& [word, value] : words)
        if (text == word) return value;
    return std::nullopt;
}

// "a, b, c or d": the allowed words of a keyword attribute, for messages.
template <typename Enum, std::size_t N>
std::string keyword_list(const std::pair<const char*, Enum> (&words)[N]) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i)
        out += (i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(words[i].first);
    return out;
}

const std::pair<const char*, OrganisationType> organisation_types[] = {
    {"un-agency", OrganisationType::un_agency},
    {"ingo", OrganisationType::ingo},
    {"nngo", OrganisationType::nngo},
    {"government", OrganisationType::government},
    {"other", OrganisationType::other}};
const std::pair<const char*, AreaKind> area_kinds[] = {{"aor", AreaKind::aor},
                                                       {"working-group", AreaKind::working_group},
                                                       {"task-force", AreaKind::task_force},
                                                       {"sub-national", AreaKind::sub_national},
                                                       {"hub", AreaKind::hub}};
const std::pair<const char*, FigureKind> figure_kinds[] = {{"people", FigureKind::people},
                                                           {"money", FigureKind::money},
                                                           {"percentage", FigureKind::percentage},
                                                           {"count", FigureKind::count}};

// What a figure is, as messages say it: "counts people", "is a percentage".
std::string kind_phrase(FigureKind kind) {
    switch (kind) {
        case FigureKind::people: return "counts people";
        case FigureKind::money: return "counts money";
        case FigureKind::percentage: return "is a percentage";
        case FigureKind::count: return "is a count";
    }
    return "";
}

std::string lowercase(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string join_ids(const std::map<std::string, SourcePos>& ids) {
    std::string out;
    for (const auto& [id, pos] : ids) out += (out.empty() ? "" : ", ") + id;
    return out.empty() ? "none" : out;
}

// "organisation \"unhcr\"", or "organisation 2" while the id is missing.
std::string describe(std::string_view what, const std::optional<std::string>& id, int index) {
    if (id && !id->empty()) return std::string(what) + " " + quoted(*id);
    return std::string(what) + " " + std::to_string(index);
}

// A reference to an id defined elsewhere in the source, checked once everything is read.
struct Reference {
    std::string value;
    SourcePos pos;
    std::string what;  // "lead of <cluster-operation>"
};

// Reads one source; problems go to the XmlReader, which throws them all at the end.
class OperationReader {
public:
    // `source_dir`: the folder of the source file, which paths in it (logos) are relative to.
    OperationReader(XmlReader& reader, std::string source_dir)
        : r_(reader), source_dir_(std::move(source_dir)) {}

    Operation read(pugi::xml_node root) {
        Operation op;
        r_.check_shape(root, operation_shape, "<operation>");
        check_schema_attributes(root);
        if (auto id = r_.required_attribute(root, "id", "<operation>")) {
            check_id(root, "id", *id, "operation");
            op.id = *id;
        }
        if (auto as_of = r_.required_attribute(root, "as-of", "<operation>")) {
            if (!detail::is_real_date(*as_of))
                r_.error(r_.attribute_pos(root, "as-of"),
                         "as-of " + quoted(*as_of) + " is not a real date written YYYY-MM-DD");
            op.as_of = *as_of;
        }
        if (auto format = r_.attribute(root, "format")) op.format = read_format(root, *format);
        if (auto web = r_.attribute(root, "web")) {
            if (auto invisible = detail::find_invisible_character(*web))
                r_.error(r_.attribute_pos(root, "web"), "web holds the invisible character " +
                                                            detail::code_point_name(*invisible) +
                                                            "; retype the address without it");
            else if (!detail::is_web_url(*web))
                r_.error(r_.attribute_pos(root, "web"),
                         "web " + quoted(*web) + " is not a web address starting with https:// or http://");
            op.web = *web;
            op.web_pos = r_.attribute_pos(root, "web");
        }
        read_country(root.child("country"), op);
        op.cluster = r_.text(root.child("cluster"), "<cluster>", max_short_text_chars);
        op.source = r_.text(root.child("source"), "<source>", max_text_chars);
        read_organisations(root.child("organisations"), op);
        op.intro = read_paragraphs(root.child("intro"), intro_shape);
        op.protection_issues = read_paragraphs(root.child("protection-issues"), issues_shape);
        read_cluster_operation(root.child("cluster-operation"), op);
        read_figures(root.child("figures"), op);
        read_team(root.child("team"), op);
        read_publications(root.child("publications"), op);
        read_places(root.child("places"), op);
        read_hyphenation(root.child("hyphenation"), op);
        check_references();
        return op;
    }

private:
    // The format a source says it is written in; a newer one than this program's is refused, so
    // that what it adds is never silently misread.
    int read_format(pugi::xml_node root, const std::string& text) {
        std::string formats;  // "1 and 2"
        for (int f = 1; f <= newest_source_format; ++f)
            formats += (f == 1 ? "" : f == newest_source_format ? " and " : ", ") + std::to_string(f);
        detail::CountProblem problem{};
        auto number = detail::parse_count(text, problem);
        SourcePos where = r_.attribute_pos(root, "format");
        if ((!number && problem == detail::CountProblem::not_digits) || number == 0 ||
            text.starts_with('0')) {
            r_.error(where, "format " + quoted(text) +
                                " is not a source format; this program reads formats " + formats +
                                " (format=\"1\")");
            return 1;
        }
        if (!number || *number > newest_source_format) {
            r_.error(where, "source format " + quoted(text) +
                                " is newer than this program reads; it reads formats " + formats +
                                ": use a newer factsheet program");
            return newest_source_format;
        }
        return static_cast<int>(*number);
    }

    // A list of organisation ids ("drc nrc"), each checked once everything is read.
    std::vector<std::string> read_organisation_list(pugi::xml_node node, const char* attr,
                                                    const std::string& what) {
        std::vector<std::string> ids;
        auto list = r_.attribute(node, attr);
        if (!list) return ids;
        SourcePos where = r_.attribute_pos(node, attr);
        ids = split_ids(*list);
        if (ids.empty())
            r_.error(where,
                     what + " is empty; write organisation ids separated by spaces, or leave out " + attr);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(i), ids[i]) !=
                ids.begin() + static_cast<std::ptrdiff_t>(i)) {
                r_.error(where, what + " names " + quoted(ids[i]) + " twice");
                continue;
            }
            references_.push_back({ids[i], where, what});
        }
        return ids;
    }

    // Reports the first element past what a factsheet has room for.
    void check_count(pugi::xml_node node, const char* child, std::size_t limit) {
        std::size_t count = 0;
        for (pugi::xml_node item : node.children(child))
            if (++count == limit + 1) {
                std::size_t total = limit + 1;
                for (pugi::xml_node rest = item.next_sibling(child); rest; rest = rest.next_sibling(child))
                    ++total;
                r_.error(r_.pos(item), "<" + std::string(node.name()) + "> has " + std::to_string(total) +
                                           " <" + child + ">; a factsheet has room for at most " +
                                           std::to_string(limit));
            }
    }

    // Only what an editor needs to find the schema: xmlns:xsi bound to its one true namespace.
    void check_schema_attributes(pugi::xml_node root) {
        auto xsi = r_.attribute(root, "xmlns:xsi");
        if (xsi && *xsi != xsi_namespace)
            r_.error(r_.attribute_pos(root, "xmlns:xsi"),
                     std::string("xmlns:xsi must be \"") + xsi_namespace + "\"");
        if (!xsi && root.attribute("xsi:noNamespaceSchemaLocation"))
            r_.error(r_.attribute_pos(root, "xsi:noNamespaceSchemaLocation"),
                     std::string("xsi:noNamespaceSchemaLocation needs xmlns:xsi=\"") + xsi_namespace +
                         "\" on <operation>");
    }

    void check_id(pugi::xml_node node, const char* attr, const std::string& id, const char* kind) {
        if (detail::is_valid_id(id)) return;
        r_.error(r_.attribute_pos(node, attr), std::string("invalid ") + kind + " id " + quoted(id) +
                                                   "; use lowercase letters a-z, digits and '-', starting "
                                                   "and ending with a letter or digit, never '--', "
                                                   "at most " +
                                                   std::to_string(detail::max_id_length) + " characters");
    }

    // Records an id, reporting it when it was already defined.
    void define(std::map<std::string, SourcePos>& ids, const std::string& id, SourcePos pos,
                const char* kind) {
        auto [it, added] = ids.emplace(id, pos);
        if (!added)
            r_.error(std::move(pos), std::string("duplicate ") + kind + " id " + quoted(id) +
                                         ": already used at line " + std::to_string(it->second.line) +
                                         ", column " + std::to_string(it->second.col));
    }

    // What every element with an id starts with: its shape checked, its id checked and defined,
    // and the words messages name it by ("organisation \"unhcr\"", "area 2").
    struct Identified {
        std::string id;  // empty when missing or invalid (already reported)
        std::string subject;
    };
    Identified read_identified(pugi::xml_node node, const Shape& shape, const char* kind, int index,
                               std::map<std::string, SourcePos>& ids) {
        Identified out;
        auto id = r_.attribute(node, "id");
        out.subject = describe(kind, id, index);
        r_.check_shape(node, shape, out.subject);
        if (r_.required_attribute(node, "id", out.subject)) {
            check_id(node, "id", *id, kind);
            define(ids, *id, r_.attribute_pos(node, "id"), kind);
            out.id = *id;
        }
        return out;
    }

    void read_organisations(pugi::xml_node node, Operation& op) {
        if (!node) return;
        r_.check_shape(node, organisations_shape, "<organisations>");
        int index = 0;
        for (pugi::xml_node child : node.children("organisation")) {
            Organisation org;
            org.pos = r_.pos(child);
            auto [id, subject] =
                read_identified(child, organisation_shape, "organisation", ++index, organisation_ids_);
            org.id = id;
            org.acronym = r_.text(child.child("acronym"), "<acronym> of " + subject, max_acronym_chars);
            org.name = r_.text(child.child("name"), "<name> of " + subject, max_short_text_chars);
            if (auto type = r_.attribute(child, "type")) {
                org.type = parse_keyword(*type, organisation_types);
                if (!org.type)
                    r_.error(r_.attribute_pos(child, "type"), "type " + quoted(*type) + " of " + subject +
                                                                  " is unknown; use " +
                                                                  keyword_list(organisation_types));
            }
            if (auto logo = r_.attribute(child, "logo")) {
                org.logo_pos = r_.attribute_pos(child, "logo");
                if (logo->empty())
                    r_.error(org.logo_pos,
                             "logo of " + subject + " is empty; give a PNG or JPEG file or leave out logo");
                // Relative to the source's folder, as an editor sees it.
                org.logo = logo->starts_with('/') || source_dir_.empty() ? *logo : source_dir_ + "/" + *logo;
            }
            op.organisations.push_back(std::move(org));
        }
    }

    // <country code="ML">: the code names it on the locator map (ISO 3166 alpha-2; whether the
    // map data knows it is checked where the map is drawn, as validate does).
    void read_country(pugi::xml_node node, Operation& op) {
        op.country = r_.text(node, "<country>", max_short_text_chars, country_shape);
        if (auto code = r_.attribute(node, "code")) {
            bool ok = code->size() == 2 &&
                      std::all_of(code->begin(), code->end(), [](char c) { return c >= 'A' && c <= 'Z'; });
            if (!ok)
                r_.error(r_.attribute_pos(node, "code"),
                         "country code " + quoted(*code) +
                             " is not two capital letters; use the ISO 3166 code, e.g. \"ML\"");
            op.country_code = *code;
            op.country_code_pos = r_.attribute_pos(node, "code");
        }
    }

    // <places>: dots on the locator map, each at its longitude and latitude (decimal degrees).
    void read_places(pugi::xml_node node, Operation& op) {
        if (!node) return;
        r_.check_shape(node, places_shape, "<places>");
        if (op.country_code.empty())
            r_.error(r_.pos(node),
                     "<places> are drawn on the locator map, which needs <country code=\"...\">");
        int index = 0;
        constexpr int kMaxPlaces = 12;
        for (pugi::xml_node child : node.children("place")) {
            std::string subject = "place " + std::to_string(++index);
            if (index == kMaxPlaces + 1)
                r_.error(r_.pos(child), "<places> holds more than " + std::to_string(kMaxPlaces) +
                                            " places; a locator map shows a few: keep the main ones");
            Place place;
            place.pos = r_.pos(child);
            place.name = r_.text(child, subject, max_acronym_chars, place_shape);
            auto coordinate = [&](const char* attr, double limit) {
                auto text = r_.required_attribute(child, attr, subject);
                if (!text) return 0.0;
                double v = 0;
                auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
                if (ec != std::errc() || end != text->data() + text->size() || !(v >= -limit && v <= limit))
                    r_.error(r_.attribute_pos(child, attr),
                             std::string(attr) + " " + quoted(*text) + " of " + subject +
                                 " is not a number from " + std::to_string(static_cast<int>(-limit)) +
                                 " to " + std::to_string(static_cast<int>(limit)) +
                                 " (decimal degrees, e.g. -8.0)");
                return v;
            };
            place.lon = coordinate("lon", 180);
            place.lat = coordinate("lat", 90);
            op.places.push_back(std::move(place));
        }
    }

    std::vector<Text> read_paragraphs(pugi::xml_node node, const Shape& shape) {
        std::vector<Text> paragraphs;
        if (!node) return paragraphs;
        std::string subject = "<" + std::string(shape.element) + ">";
        r_.check_shape(node, shape, subject);
        int index = 0;
        for (pugi::xml_node p : node.children("p"))
            paragraphs.push_back(
                r_.text(p, "paragraph " + std::to_string(++index) + " of " + subject, max_text_chars));
        return paragraphs;
    }

    void read_cluster_operation(pugi::xml_node node, Operation& op) {
        if (!node) return;
        op.cluster_operation = read_paragraphs(node, cluster_operation_shape);
        // The schema fixes the order: what the cluster does, then its areas.
        bool seen_areas = false;
        for (pugi::xml_node child : node.children()) {
            std::string_view name = child.name();
            if (name == "areas") seen_areas = true;
            if (name == "p" && seen_areas)
                r_.error(r_.pos(child), "<p> in <cluster-operation> must come before <areas>");
        }
        if (auto lead = r_.required_attribute(node, "lead", "<cluster-operation>")) {
            references_.push_back({*lead, r_.attribute_pos(node, "lead"), "lead of <cluster-operation>"});
            op.lead = *lead;
        }
        op.co_coordinators =
            read_organisation_list(node, "co-coordinator", "co-coordinator of <cluster-operation>");
        pugi::xml_node areas = node.child("areas");
        if (!areas) return;
        r_.check_shape(areas, areas_shape, "<areas>");
        check_count(areas, "area", max_areas);
        std::map<std::string, SourcePos> area_ids;
        int index = 0;
        for (pugi::xml_node child : areas.children("area")) {
            Area area;
            area.pos = r_.pos(child);
            auto [id, subject] = read_identified(child, area_shape, "area", ++index, area_ids);
            area.id = id;
            if (auto kind = r_.attribute(child, "kind")) {
                auto known = parse_keyword(*kind, area_kinds);
                if (!known)
                    r_.error(r_.attribute_pos(child, "kind"), "kind " + quoted(*kind) + " of " + subject +
                                                                  " is unknown; use " +
                                                                  keyword_list(area_kinds));
                area.kind = known.value_or(AreaKind::aor);
            }
            area.lead = read_organisation_list(child, "lead", "lead of " + subject);
            area.co_lead = read_organisation_list(child, "co-lead", "co-lead of " + subject);
            area.name = r_.text(child.child("name"), "<name> of " + subject, max_short_text_chars);
            if (pugi::xml_node acronym = child.child("acronym"))
                area.acronym = r_.text(acronym, "<acronym> of " + subject, max_acronym_chars);
            op.areas.push_back(std::move(area));
        }
    }

    void read_figures(pugi::xml_node node, Operation& op) {
        if (!node) return;
        r_.check_shape(node, figures_shape, "<figures>");
        check_count(node, "figure", max_figures);
        int index = 0;
        for (pugi::xml_node child : node.children("figure"))
            op.figures.push_back(read_figure(child, ++index));
        read_funding(node, op);
    }

    // funding-required and funding-received: money figures of one currency. Format 1 accepted one
    // without the other, both naming one figure, and a requirement of 0, and printed no coverage;
    // sources written so stay valid, with a warning, since no coverage can be printed.
    void read_funding(pugi::xml_node node, Operation& op) {
        auto required = r_.attribute(node, "funding-required");
        auto received = r_.attribute(node, "funding-received");
        if (!required && !received) return;
        if (!required || !received) {
            const char* given = required ? "funding-required" : "funding-received";
            const char* missing = required ? "funding-received" : "funding-required";
            op.warnings.push_back({r_.attribute_pos(node, given),
                                   std::string(given) + " needs " + missing +
                                       " beside it, so no funding coverage is printed; name both figures, or "
                                       "neither"});
            return;
        }
        op.funding_required = *required;
        op.funding_received = *received;
        const Figure* figures[2] = {nullptr, nullptr};
        const char* attrs[2] = {"funding-required", "funding-received"};
        for (int i = 0; i < 2; ++i) {
            const std::string& id = i == 0 ? *required : *received;
            SourcePos where = r_.attribute_pos(node, attrs[i]);
            auto figure = std::find_if(op.figures.begin(), op.figures.end(),
                                       [&](const Figure& f) { return f.id == id; });
            if (figure == op.figures.end())
                r_.error(where,
                         std::string(attrs[i]) + " " + quoted(id) +
                             " is not the id of a figure in <figures>; known ids: " + join_ids(figure_ids_));
            else if (figure->kind != FigureKind::money)
                r_.error(where, std::string(attrs[i]) + " must name a money figure, but figure " +
                                    quoted(id) + " " + kind_phrase(figure->kind));
            else
                figures[i] = &*figure;
        }
        SourcePos received_pos = r_.attribute_pos(node, "funding-received");
        if (*required == *received) {
            op.warnings.push_back(
                {received_pos, "funding-received names the same figure as funding-required, " +
                                   quoted(*required) +
                                   ", so no funding coverage is printed; name the figure "
                                   "with the funds received"});
            op.funding_required.clear();
            op.funding_received.clear();
            return;
        }
        if (figures[0] && figures[0]->value == 0 && value_pos_.count(figures[0]->id))
            op.warnings.push_back({value_pos_.at(figures[0]->id),
                                   "figure " + quoted(figures[0]->id) +
                                       " is the funding requirement (funding-required) and is 0, so no "
                                       "funding coverage is printed (it is divided by the requirement)"});
        // Values are at most max_figure_value: the product cannot overflow.
        if (figures[0] && figures[1] && figures[0]->value > 0 &&
            figures[1]->value > figures[0]->value * max_funding_coverage)
            r_.error(received_pos, "funding-received figure " + quoted(figures[1]->id) + " is more than " +
                                       std::to_string(max_funding_coverage) +
                                       " times the funding-required figure " + quoted(figures[0]->id) +
                                       " (a coverage over " + std::to_string(max_funding_coverage * 100) +
                                       "%); check both values");
        if (figures[0] && figures[1] && !figures[0]->currency.empty() && !figures[1]->currency.empty() &&
            figures[0]->currency != figures[1]->currency)
            r_.error(received_pos, "funding-received figure " + quoted(figures[1]->id) + " is in " +
                                       figures[1]->currency + " but funding-required figure " +
                                       quoted(figures[0]->id) + " is in " + figures[0]->currency +
                                       "; both must be in the same currency");
    }

    Figure read_figure(pugi::xml_node node, int index) {
        Figure figure;
        figure.pos = r_.pos(node);
        auto [id, subject] = read_identified(node, figure_shape, "figure", index, figure_ids_);
        figure.id = id;
        std::optional<FigureKind> kind;
        if (auto text = r_.required_attribute(node, "kind", subject)) {
            kind = parse_keyword(*text, figure_kinds);
            if (!kind)
                r_.error(r_.attribute_pos(node, "kind"), "kind " + quoted(*text) + " of " + subject +
                                                             " is unknown; use " +
                                                             keyword_list(figure_kinds));
            figure.kind = kind.value_or(FigureKind::people);
        }
        if (auto text = r_.required_attribute(node, "value", subject)) {
            SourcePos where = r_.attribute_pos(node, "value");
            if (!id.empty()) value_pos_.emplace(id, where);
            if (kind == FigureKind::percentage) {
                if (auto percentage = detail::parse_percentage(*text)) {
                    figure.value = percentage->scaled;
                    figure.decimals = percentage->decimals;
                } else {
                    r_.error(where, "value " + quoted(*text) + " of " + subject +
                                        " is not a percentage from 0 to 1000 with at most one decimal after "
                                        "a dot (38.5, not 38,5 or 38.55)");
                }
            } else {
                detail::CountProblem problem{};
                auto value = detail::parse_count(*text, problem);
                if (value && *value <= max_figure_value)
                    figure.value = *value;
                else if (value || problem == detail::CountProblem::too_large)
                    r_.error(where, "value " + quoted(*text) + " of " + subject +
                                        " is too large; a figure is at most 999999999999999 (a thousand "
                                        "trillion less one)");
                else
                    r_.error(where, "value " + quoted(*text) + " of " + subject +
                                        " is not a whole number; write digits only, without sign, separators "
                                        "or suffix (3900000, not 3.9M or 3,900,000)");
            }
        }
        auto currency = r_.attribute(node, "currency");
        if (kind == FigureKind::money) {
            if (!currency)
                r_.error(figure.pos, subject +
                                         " counts money but has no currency; add "
                                         "currency=\"USD\" (an ISO 4217 code)");
            else if (!detail::is_currency_code(*currency))
                r_.error(r_.attribute_pos(node, "currency"),
                         "currency " + quoted(*currency) + " of " + subject +
                             " is not an ISO 4217 code of three uppercase letters such as \"USD\"");
            else
                figure.currency = *currency;
        } else if (kind && currency) {
            r_.error(r_.attribute_pos(node, "currency"),
                     subject + " " + kind_phrase(*kind) + " and cannot have a currency; remove currency=\"" +
                         *currency + "\"");
        }
        if (auto year = r_.attribute(node, "year")) {
            if (detail::is_four_digit_year(*year))
                figure.year = std::stoi(*year);
            else
                r_.error(r_.attribute_pos(node, "year"),
                         "year " + quoted(*year) + " of " + subject + " is not a four-digit year");
        }
        if (auto approximate = r_.attribute(node, "approximate")) {
            if (*approximate == "yes" || *approximate == "no")
                figure.approximate = *approximate == "yes";
            else
                r_.error(
                    r_.attribute_pos(node, "approximate"),
                    "approximate " + quoted(*approximate) + " of " + subject + " must be \"yes\" or \"no\"");
        }
        figure.label = r_.text(node.child("label"), "<label> of " + subject, max_short_text_chars);
        return figure;
    }

    void read_team(pugi::xml_node node, Operation& op) {
        if (!node) return;
        r_.check_shape(node, team_shape, "<team>");
        check_count(node, "member", max_team_members);
        int index = 0;
        for (pugi::xml_node child : node.children("member")) {
            Member member;
            member.pos = r_.pos(child);
            ++index;
            std::string fallback = "team member " + std::to_string(index);
            member.name = r_.plain_text(child.child("name"), "<name> of " + fallback, max_short_text_chars);
            std::string subject = member.name.empty() ? fallback : "team member " + quoted(member.name);
            r_.check_shape(child, member_shape, subject);
            if (child.child("name") && member.name.empty())
                r_.error(r_.pos(child.child("name")), subject + " has an empty <name>");
            if (auto org = r_.attribute(child, "organisation")) {
                references_.push_back(
                    {*org, r_.attribute_pos(child, "organisation"), "organisation of " + subject});
                member.organisation = *org;
            }
            if (pugi::xml_node role = child.child("role"))
                member.role = r_.text(role, "<role> of " + subject, max_short_text_chars);
            if (pugi::xml_node email = child.child("email")) {
                member.email = r_.plain_text(email, "<email> of " + subject, max_text_chars);
                std::size_t chars = detail::count_chars(member.email);
                if (member.email.empty())
                    r_.error(r_.pos(email), subject + " has an empty <email>");
                else if (chars > max_email_chars)
                    r_.error(r_.pos(email), "email of " + subject + " has " + std::to_string(chars) +
                                                " characters; an address has at most " +
                                                std::to_string(max_email_chars));
                else if (auto invisible = detail::find_invisible_character(member.email))
                    r_.error(r_.pos(email), "email of " + subject + " holds the invisible character " +
                                                detail::code_point_name(*invisible) +
                                                "; retype the address without it");
                else if (!detail::is_valid_email(member.email))
                    r_.error(r_.pos(email), "email " + quoted(member.email) + " of " + subject +
                                                " is not a valid address (local@domain.tld, "
                                                "without spaces)");
            }
            if (pugi::xml_node phone = child.child("phone")) {
                member.phone = r_.plain_text(phone, "<phone> of " + subject, max_text_chars);
                std::size_t chars = detail::count_chars(member.phone);
                if (member.phone.empty())
                    r_.error(r_.pos(phone), subject + " has an empty <phone>");
                else if (chars > max_phone_chars || !detail::is_phone_number(member.phone))
                    r_.error(r_.pos(phone), "phone " + quoted(member.phone) + " of " + subject +
                                                " is not a telephone number: write 4 to 20 digits, with "
                                                "spaces, dots, '-', parentheses and a leading '+' only "
                                                "(+223 20 22 55 80)");
            }
            op.team.push_back(std::move(member));
        }
    }

    // Words as TeX's \hyphenation takes them: letters, with "-" where a break is allowed.
    void read_hyphenation(pugi::xml_node node, Operation& op) {
        if (!node) return;
        r_.check_shape(node, hyphenation_shape, "<hyphenation>");
        for (pugi::xml_node child : node.children("word")) {
            std::string word = r_.plain_text(child, "<word> of <hyphenation>", max_word_chars);
            bool ok = !word.empty() && word.front() != '-' && word.back() != '-' &&
                      word.find("--") == std::string::npos &&
                      word.find_first_of(" \t\n\r.,;:!?/@") == std::string::npos;
            if (!ok)
                r_.error(r_.pos(child), "hyphenation word " + quoted(word) +
                                            " must be one word, with '-' only between letters where a break "
                                            "is allowed (\"Tom-bouc-tou\"), or none (\"Ouagadougou\")");
            else
                op.hyphenation.push_back(word);
        }
    }

    void read_publications(pugi::xml_node node, Operation& op) {
        if (!node) return;
        r_.check_shape(node, publications_shape, "<publications>");
        int index = 0;
        for (pugi::xml_node child : node.children("publication")) {
            Publication publication;
            publication.pos = r_.pos(child);
            std::string subject = "publication " + std::to_string(++index);
            r_.check_shape(child, publication_shape, subject);
            if (auto date = r_.required_attribute(child, "date", subject)) {
                if (!detail::is_real_date(*date))
                    r_.error(r_.attribute_pos(child, "date"), "date " + quoted(*date) + " of " + subject +
                                                                  " is not a real date written YYYY-MM-DD");
                publication.date = *date;
            }
            if (auto url = r_.attribute(child, "url")) {
                if (auto invisible = detail::find_invisible_character(*url))
                    r_.error(r_.attribute_pos(child, "url"),
                             "url of " + subject + " holds the invisible character " +
                                 detail::code_point_name(*invisible) + "; retype the address without it");
                else if (!detail::is_web_url(*url))
                    r_.error(r_.attribute_pos(child, "url"),
                             "url " + quoted(*url) + " of " + subject +
                                 " is not a web address starting with https:// or http://");
                publication.url = *url;
            }
            publication.title = r_.text(child.child("title"), "<title> of " + subject, max_text_chars);
            op.publications.push_back(std::move(publication));
        }
    }

    void check_references() {
        for (const Reference& ref : references_)
            if (!organisation_ids_.count(ref.value))
                r_.error(ref.pos, ref.what + " is " + quoted(ref.value) +
                                      ", which is not the id of an organisation in <organisations>; "
                                      "known ids: " +
                                      join_ids(organisation_ids_));
    }

    XmlReader& r_;
    std::string source_dir_;
    std::map<std::string, SourcePos> organisation_ids_;
    std::map<std::string, SourcePos> figure_ids_;
    std::map<std::string, SourcePos> value_pos_;  // where each figure's value is written
    std::vector<Reference> references_;
};

// The <?xml ...?> declaration, when there is one: the file is read as UTF-8 XML 1.0, so it may
// not claim anything else.
void check_declaration(XmlReader& r, pugi::xml_node declaration) {
    static const Shape shape{"?xml", {"version", "encoding", "standalone"}, {}};
    r.check_shape(declaration, shape, "the XML declaration");
    auto version = r.attribute(declaration, "version");
    if (version && *version != "1.0")
        r.error(r.attribute_pos(declaration, "version"),
                "XML version " + quoted(*version) + " is not supported; write version=\"1.0\"");
    auto encoding = r.attribute(declaration, "encoding");
    if (encoding && lowercase(*encoding) != "utf-8")
        r.error(r.attribute_pos(declaration, "encoding"),
                "encoding " + quoted(*encoding) +
                    " is not supported; save the file as UTF-8 and write encoding=\"UTF-8\"");
    auto standalone = r.attribute(declaration, "standalone");
    if (standalone && *standalone != "yes" && *standalone != "no")
        r.error(r.attribute_pos(declaration, "standalone"),
                "standalone must be \"yes\" or \"no\", not " + quoted(*standalone));
}

// A byte offset's "<!" before it: where a DOCTYPE whose content pugixml points into starts.
std::size_t doctype_start(std::string_view xml, std::ptrdiff_t value_offset) {
    if (value_offset < 0) return 0;
    std::size_t found = xml.rfind("<!", static_cast<std::size_t>(value_offset));
    return found == std::string_view::npos ? 0 : found;
}

// Sources are a few pages of text (input/mali.xml is under 10 KB); a file far larger is a mistake
// (a wrong file, a runaway export) and would take minutes and much memory to lay out.
constexpr std::size_t max_source_bytes = 1024 * 1024;

std::string too_large_message(std::size_t size) {
    return "the source is " + std::to_string(size) + " bytes; a source may hold at most " +
           std::to_string(max_source_bytes) + " bytes (1 MiB): check that this is the right file";
}

// UTF-16 and UTF-32 files start with a byte-order mark or have a zero byte next to the first '<'.
bool looks_like_utf16_or_32(std::string_view xml) {
    if (xml.starts_with("\xFF\xFE") || xml.starts_with("\xFE\xFF")) return true;
    return xml.size() >= 2 && ((xml[0] == '\0' && xml[1] == '<') || (xml[0] == '<' && xml[1] == '\0'));
}

bool is_blank(std::string_view xml) {
    return xml.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string hex_code_point(long code_point) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04lX", static_cast<unsigned long>(code_point));
    return buffer;
}

}  // namespace

Operation parse_operation(std::string_view xml, const std::string& file, const EditionPlan& plan) {
    LineMap lines(file, xml);
    if (xml.size() > max_source_bytes) throw Error(SourcePos{file, 0, 0}, too_large_message(xml.size()));
    if (looks_like_utf16_or_32(xml))
        throw Error(lines.at(0), "the file is UTF-16 or UTF-32; save it as UTF-8");
    if (is_blank(xml)) throw Error(lines.at(0), "the file is empty; a source holds one <operation> element");
    long code_point = 0;
    if (auto bad = detail::find_invalid_character(xml, code_point)) {
        if (code_point < 0)
            throw Error(lines.at(*bad), "the text is not valid UTF-8 here; save the file as UTF-8");
        throw Error(lines.at(*bad),
                    "character " + hex_code_point(code_point) + " is not allowed in XML; remove it");
    }

    pugi::xml_document doc;
    // parse_doctype and parse_declaration keep those as nodes, to be checked below rather than
    // skipped.
    pugi::xml_parse_result parsed = doc.load_buffer(
        xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype | pugi::parse_declaration,
        pugi::encoding_utf8);
    // pugixml calls a file cut short a tag mismatch at its very end: say what it more likely is.
    if (!parsed && parsed.status == pugi::status_end_element_mismatch &&
        parsed.offset + 1 >= static_cast<std::ptrdiff_t>(xml.size()))
        throw Error(lines.at(xml.size()),
                    "malformed XML: the file ends before its elements are closed; is it complete?");
    if (!parsed) throw parse_error(lines, parsed);

    pugi::xml_node root;
    for (pugi::xml_node node : doc.children()) {
        if (node.type() == pugi::node_doctype)
            // A DOCTYPE can declare entities (billion laughs, external files): sources never need one.
            throw Error(lines.at(doctype_start(xml, node.offset_debug())),
                        "a DOCTYPE is not allowed in a source; remove the <!DOCTYPE ...> declaration");
        if (node.type() != pugi::node_element) continue;
        if (root) {
            std::ptrdiff_t at = node.offset_debug();
            throw Error(lines.at(at > 0 ? static_cast<std::size_t>(at - 1) : 0),
                        "a source has one root element, <operation>; <" + std::string(node.name()) +
                            "> comes after its end");
        }
        root = node;
    }
    if (!root) throw Error(lines.at(0), "the source has no <operation> element");
    if (std::string_view(root.name()) != "operation") {
        std::ptrdiff_t at = root.offset_debug();
        throw Error(lines.at(at > 0 ? static_cast<std::size_t>(at - 1) : 0),
                    "the root element must be <operation>, not <" + std::string(root.name()) + ">");
    }

    // What pugixml lets through but XML 1.0 refuses (a repeated attribute, "--" in a comment...).
    check_well_formed(xml, lines, "a source");

    XmlReader reader(xml, file, grammar());
    if (pugi::xml_node declaration = doc.child("xml")) check_declaration(reader, declaration);
    std::size_t slash = file.rfind('/');
    Operation op = OperationReader(reader, slash == std::string::npos ? std::string() : file.substr(0, slash))
                       .read(root);
    op.file = file;
    op.missing_texts = reader.finish(plan);
    return op;
}

std::string read_source_file(const std::string& path) {
    return read_regular_file(
        path, max_source_bytes,
        FileErrors{[&](std::size_t size) {
                       return Error(SourcePos{path, 0, 0}, too_large_message(size));
                   },
                   [&](std::string_view kind) {
                       return Error(SourcePos{path, 0, 0},
                                    "cannot read " + path + ": it is " + std::string(kind) +
                                        ", not a regular file: give the path of an XML source");
                   },
                   [&](int e) {
                       return Error(SourcePos{path, 0, 0},
                                    "cannot read " + path + ": " + lowercase(std::strerror(e)));
                   }});
}

Operation read_operation(const std::string& path, const EditionPlan& plan) {
    return parse_operation(read_source_file(path), path, plan);
}

}  // namespace factsheet
