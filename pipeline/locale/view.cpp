// The localized view of an operation: every field the layouts read, in one language.
#include <algorithm>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "locale/locale.hpp"
#include "locale/money.hpp"

namespace factsheet {

namespace {

// RFC 3966: the '+' and the digits of a number, without its visual separators. In an
// international number "(0)" is the trunk prefix dialled only from inside the country
// ("+44 (0)20 ..."), so it is left out; other parentheses hold digits that are dialled.
std::string tel_uri(const std::string& phone) {
    std::string digits = phone;
    if (phone.starts_with('+'))
        for (std::size_t at = digits.find("(0)"); at != std::string::npos; at = digits.find("(0)"))
            digits.erase(at, 3);
    std::string uri = "tel:";
    for (char c : digits)
        if ((c >= '0' && c <= '9') || c == '+') uri += c;
    return uri;
}

/// Builds the view with the edition's language and labels at hand.
class ViewBuilder {
public:
    ViewBuilder(const Operation& op, const Labels& labels, Lang lang, bool draft)
        : op_(op), labels_(labels), lang_(lang), draft_(draft) {}

    View build() const {
        View view;
        view.set("lang", lang_code(lang_));
        view.set("draft", View::boolean(draft_));
        view.set("labels", labels_view());
        view.set("operation", operation_view());
        view.set("intro", paragraphs(op_.intro));
        view.set("protection_issues", paragraphs(op_.protection_issues));
        view.set("cluster_operation", paragraphs(op_.cluster_operation));
        View areas = View::list();
        for (std::size_t i = 0; i < op_.areas.size(); ++i)
            areas.items.push_back(area_view(op_.areas[i], i + 1 == op_.areas.size()));
        // <areas> is optional: the layout leaves out its caption and row (a row needs a box).
        view.set("has_areas", View::boolean(!areas.items.empty()));
        view.set("areas", std::move(areas));
        view.set("area_groups", area_groups_view());
        view.set("organisations", organisations_view());
        view.set("lead", organisation_view(op_.lead, "lead"));
        View co_coordinators = organisation_list(op_.co_coordinators, "co-coordinator", SourcePos{op_.file});
        std::size_t co_count = co_coordinators.items.size();
        // The first co-coordinator alone, for layouts written when there could be only one.
        view.set("co_coordinator", co_count > 0 ? co_coordinators.items.front() : empty_organisation());
        view.set("has_co_coordinators", View::boolean(co_count > 0));
        view.set("co_coordinators_label", label(co_count > 1 ? "co_coordinators" : "co_coordinator"));
        bool banner_logos = false;
        if (const Organisation* lead = find_organisation(op_.lead, "lead", SourcePos{op_.file}))
            banner_logos = !lead->logo.empty();
        for (const std::string& id : op_.co_coordinators)
            if (const Organisation* co = find_organisation(id, "co-coordinator", SourcePos{op_.file}))
                banner_logos = banner_logos || !co->logo.empty();
        view.set("has_banner_logos", View::boolean(banner_logos));
        view.set("co_coordinators", std::move(co_coordinators));
        View figures = figures_view();
        // <figures> may be empty: the layout leaves out the heading and the row.
        view.set("has_figures", View::boolean(!figures.items.empty()));
        view.set("figures", std::move(figures));
        view.set("funding", funding_view());
        View team = team_view();
        view.set("has_team", View::boolean(!team.items.empty()));
        view.set("team", std::move(team));
        View publications = publications_view();
        view.set("has_publications", View::boolean(!publications.items.empty()));
        View hyphenation = View::list();
        for (const std::string& word : op_.hyphenation) hyphenation.items.push_back(View().set("word", word));
        view.set("hyphenation", std::move(hyphenation));
        view.set("publications", std::move(publications));
        view.set("document", document_view());
        view.set("map", map_view());
        return view;
    }

private:
    std::string typeset(const std::string& text) const { return apply_typography(text, lang_); }

    // A source text in the edition's language. In a draft, one the source lacks in that language
    // is taken from the other, set by that language's typography and marked (fallback_text) so
    // that the markup says which language it is in.
    std::string typeset(const Text& text) const {
        Lang other = other_lang(lang_);
        if (text.has(lang_) || !draft_ || !text.has(other)) return typeset(text.in(lang_));
        return fallback_text(apply_typography(text.in(other), other), lang_code(other));
    }

    // The text as the edition shows it, before typography: its own language's, or in a draft the
    // other's when it lacks it.
    const std::string& shown(const Text& text) const {
        Lang other = other_lang(lang_);
        return text.has(lang_) || !draft_ ? text.in(lang_) : text.in(other);
    }

    std::string label(const std::string& key) const {
        auto it = labels_.find(key);
        return it == labels_.end() ? std::string() : typeset(it->second);
    }

    // Dates were validated by the source reader; should one slip through, say where it came from.
    std::string date(const std::string& iso, const SourcePos& pos) const {
        try {
            return format_date(iso, lang_);
        } catch (const Error& e) {
            throw Error(pos, e.diagnostics().front().message);
        }
    }

    // Where a text came from, for the layout engine's diagnostics ("file:line:col").
    static std::string src(const SourcePos& pos) { return pos.line > 0 ? format_pos(pos) : std::string(); }

    View labels_view() const {
        View view;
        for (const auto& [key, text] : labels_) view.set(key, typeset(text));
        return view;
    }

    View operation_view() const {
        View view;
        view.set("id", op_.id);
        view.set("country", typeset(op_.country));
        view.set("cluster", typeset(op_.cluster));
        // Where those texts are written, for the layout's diagnostics (a character the fonts lack).
        view.set("country_src", src(op_.country.pos));
        view.set("cluster_src", src(op_.cluster.pos));
        view.set("source_src", src(op_.source.pos));
        view.set("as_of", date(op_.as_of, SourcePos{op_.file}));
        view.set("as_of_iso", op_.as_of);
        view.set("source", typeset(op_.source));
        view.set("web", op_.web);
        view.set("has_web", View::boolean(!op_.web.empty()));
        view.set("web_src", op_.web.empty() ? std::string() : src(op_.web_pos));
        return view;
    }

    // The locator map: the country's code, its places, and what the map shows in words.
    View map_view() const {
        View view;
        view.set("has", View::boolean(!op_.country_code.empty()));
        view.set("country", op_.country_code);
        view.set("src", op_.country_code.empty() ? std::string() : src(op_.country_code_pos));
        View places = View::list();
        for (const Place& place : op_.places) {
            View item;
            item.set("name", typeset(place.name));
            item.set("lon", coordinate(place.lon));
            item.set("lat", coordinate(place.lat));
            item.set("src", src(place.pos));
            places.items.push_back(std::move(item));
        }
        view.set("places", std::move(places));
        return view;
    }

    // A coordinate as markup reads it back exactly: the shortest decimal form.
    static std::string coordinate(double degrees) {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, degrees);
        return ec == std::errc() ? std::string(buffer, end) : std::string("0");
    }

    View paragraphs(const std::vector<Text>& texts) const {
        View list = View::list();
        for (const Text& text : texts)
            list.items.push_back(View().set("text", typeset(text)).set("src", src(text.pos)));
        return list;
    }

    // The words of each kind of coordination body: the label keys of its name, one and several.
    static const char* kind_id(AreaKind kind) {
        switch (kind) {
            case AreaKind::aor: return "aor";
            case AreaKind::working_group: return "working-group";
            case AreaKind::task_force: return "task-force";
            case AreaKind::sub_national: return "sub-national";
            case AreaKind::hub: return "hub";
        }
        return "";
    }
    static std::string kind_label_key(AreaKind kind) {
        std::string key = std::string("kind_") + kind_id(kind);
        std::replace(key.begin(), key.end(), '-', '_');
        return key;
    }

    View area_view(const Area& area, bool last) const {
        View item;
        item.set("id", area.id);
        item.set("kind", kind_id(area.kind));
        item.set("kind_label", label(kind_label_key(area.kind)));
        item.set("name", typeset(area.name));
        item.set("acronym", area.acronym ? typeset(*area.acronym) : std::string());
        item.set("has_acronym", View::boolean(area.acronym.has_value()));
        for (const auto& [key, ids] : {std::pair{"lead", &area.lead}, std::pair{"co_lead", &area.co_lead}}) {
            View list = organisation_list(*ids, key, area.pos);
            // "UNHCR, UNICEF": the acronyms in one text, for a one-line mention.
            std::string acronyms;
            for (const View& org : list.items)
                acronyms += (acronyms.empty() ? "" : ", ") + org.fields.at("acronym").str;
            item.set(std::string("has_") + key, View::boolean(!list.items.empty()));
            item.set(key, acronyms);
            item.set(std::string(key) + "s", std::move(list));
        }
        // Lets a template write "A, B and C" without a trailing separator.
        item.set("last", View::boolean(last));
        item.set("src", src(area.pos));
        return item;
    }

    // The bodies grouped by kind, in the order of AreaKind, each group captioned in the plural.
    View area_groups_view() const {
        View groups = View::list();
        for (AreaKind kind : {AreaKind::aor, AreaKind::working_group, AreaKind::task_force,
                              AreaKind::sub_national, AreaKind::hub}) {
            std::vector<const Area*> members;
            for (const Area& area : op_.areas)
                if (area.kind == kind) members.push_back(&area);
            if (members.empty()) continue;
            View areas = View::list();
            for (std::size_t i = 0; i < members.size(); ++i)
                areas.items.push_back(area_view(*members[i], i + 1 == members.size()));
            View group;
            group.set("kind", kind_id(kind));
            group.set("label", label(kind_label_key(kind) + "_plural"));
            group.set("label_singular", label(kind_label_key(kind)));
            group.set("areas", std::move(areas));
            groups.items.push_back(std::move(group));
        }
        for (std::size_t i = 0; i < groups.items.size(); ++i)
            groups.items[i].set("last", View::boolean(i + 1 == groups.items.size()));
        return groups;
    }

    const Organisation* find_organisation(const std::string& id, const std::string& role,
                                          const SourcePos& pos) const {
        if (id.empty()) return nullptr;
        auto it = std::find_if(op_.organisations.begin(), op_.organisations.end(),
                               [&](const Organisation& o) { return o.id == id; });
        if (it == op_.organisations.end())
            throw Error(pos, role + " \"" + id +
                                 "\" is not an organisation of the source: declare it "
                                 "under <organisations>");
        return &*it;
    }

    static const char* type_label_key(OrganisationType type) {
        switch (type) {
            case OrganisationType::un_agency: return "type_un_agency";
            case OrganisationType::ingo: return "type_ingo";
            case OrganisationType::nngo: return "type_nngo";
            case OrganisationType::government: return "type_government";
            case OrganisationType::other: return "type_other";
        }
        return "";
    }

    View organisation_fields(const Organisation& org) const {
        View view;
        view.set("id", org.id);
        view.set("acronym", typeset(org.acronym));
        view.set("name", typeset(org.name));
        view.set("type", org.type ? label(type_label_key(*org.type)) : std::string());
        view.set("has_type", View::boolean(org.type.has_value()));
        // An organisation known by its name alone ("Government") is printed once, not twice.
        view.set("has_full_name", View::boolean(shown(org.acronym) != shown(org.name)));
        view.set("src", src(org.pos));
        view.set("logo", org.logo);
        view.set("has_logo", View::boolean(!org.logo.empty()));
        view.set("logo_src", org.logo.empty() ? std::string() : src(org.logo_pos));
        return view;
    }

    static View empty_organisation() {
        View view;
        for (const char* key : {"id", "acronym", "name", "type", "src", "logo", "logo_src"})
            view.set(key, std::string());
        view.set("has_logo", View::boolean(false));
        view.set("has_type", View::boolean(false));
        view.set("has_full_name", View::boolean(false));
        return view;
    }

    View organisation_view(const std::string& id, const std::string& role) const {
        const Organisation* org = find_organisation(id, role, SourcePos{op_.file});
        return org ? organisation_fields(*org) : empty_organisation();
    }

    // Organisations named by a list of ids, each with `last` for "A, B and C".
    View organisation_list(const std::vector<std::string>& ids, const std::string& role,
                           const SourcePos& pos) const {
        View list = View::list();
        for (const std::string& id : ids)
            if (const Organisation* org = find_organisation(id, role, pos))
                list.items.push_back(organisation_fields(*org));
        for (std::size_t i = 0; i < list.items.size(); ++i)
            list.items[i].set("last", View::boolean(i + 1 == list.items.size()));
        return list;
    }

    View organisations_view() const {
        View list = View::list();
        for (std::size_t i = 0; i < op_.organisations.size(); ++i) {
            View item = organisation_fields(op_.organisations[i]);
            item.set("last", View::boolean(i + 1 == op_.organisations.size()));
            list.items.push_back(std::move(item));
        }
        return list;
    }

    const Figure* find_figure(const std::string& id) const {
        auto it =
            std::find_if(op_.figures.begin(), op_.figures.end(), [&](const Figure& f) { return f.id == id; });
        return it == op_.figures.end() ? nullptr : &*it;
    }

    // An approximate figure says so before its number: "about 2.20M", "environ 2,20 M" (label
    // "about", joined by a no-break space so that the two never part).
    std::string with_approximation(const Figure& figure, std::string number) const {
        if (!figure.approximate) return number;
        std::string about = label("about");
        return about.empty() ? number : about + std::string(nbsp) + number;
    }

    View figures_view() const {
        View list = View::list();
        for (const Figure& figure : op_.figures) {
            bool money = figure.kind == FigureKind::money;
            bool percentage = figure.kind == FigureKind::percentage;
            std::string full = percentage ? format_percentage(figure.value, figure.decimals, lang_)
                                          : format_integer(figure.value, lang_);
            if (money) full = detail::with_currency(full, figure.currency, lang_);
            View item;
            item.set("id", figure.id);
            item.set("value", with_approximation(figure, format_figure(figure, lang_)));
            item.set("full_value", with_approximation(figure, full));
            item.set("label", typeset(figure.label));
            item.set("year", figure.year ? std::to_string(*figure.year) : std::string());
            item.set("has_year", View::boolean(figure.year.has_value()));
            item.set("people", View::boolean(figure.kind == FigureKind::people));
            item.set("money", View::boolean(money));
            item.set("percentage", View::boolean(percentage));
            item.set("count", View::boolean(figure.kind == FigureKind::count));
            item.set("approximate", View::boolean(figure.approximate));
            item.set("about", figure.approximate ? label("about") : std::string());
            // The amount and its currency apart, for layouts that set the symbol smaller.
            Figure bare = figure;
            bare.currency.clear();
            item.set("amount", format_figure(bare, lang_));
            item.set("currency", money ? detail::currency_symbol(figure.currency) : std::string());
            item.set("currency_first", View::boolean(money && lang_ == Lang::en));
            item.set("currency_last", View::boolean(money && lang_ == Lang::fr));
            item.set("src", src(figure.pos));
            list.items.push_back(std::move(item));
        }
        return list;
    }

    View funding_view() const {
        const Figure* required = find_figure(op_.funding_required);
        const Figure* funded = find_figure(op_.funding_received);
        bool has = required && funded && required->value > 0 && funded->value >= 0;
        View view;
        view.set("has", View::boolean(has));
        std::string required_text =
            required ? with_approximation(*required, format_figure(*required, lang_)) : "";
        std::string funded_text = funded ? with_approximation(*funded, format_figure(*funded, lang_)) : "";
        // "US$102.32M of US$102.32M" would say nothing: when the two amounts look the same
        // compact, both are written in full.
        if (has && required_text == funded_text && required->value != funded->value) {
            required_text = with_approximation(
                *required,
                detail::with_currency(format_integer(required->value, lang_), required->currency, lang_));
            funded_text = with_approximation(
                *funded,
                detail::with_currency(format_integer(funded->value, lang_), funded->currency, lang_));
        }
        view.set("required", required_text);
        view.set("funded", funded_text);
        if (!has) {
            view.set("ratio", "0.0000");
            view.set("percent", "");
            view.set("overfunded", View::boolean(false));
            return view;
        }
        // Computed on the integers: exact, whatever the figures (no overflow, no rounding of doubles).
        view.set("percent", format_percent(funded->value, required->value, lang_));
        view.set("ratio", format_ratio(funded->value, required->value));
        view.set("overfunded", View::boolean(funded->value > required->value));
        return view;
    }

    View team_view() const {
        View list = View::list();
        for (const Member& member : op_.team) {
            const Organisation* org = find_organisation(member.organisation, "organisation", member.pos);
            View item;
            item.set("name", typeset(member.name));
            item.set("role", member.role ? typeset(*member.role) : std::string());
            item.set("has_role", View::boolean(member.role.has_value()));
            item.set("organisation", org ? typeset(org->acronym) : std::string());
            item.set("organisation_name", org ? typeset(org->name) : std::string());
            item.set("has_organisation", View::boolean(org != nullptr));
            item.set("organisation_logo", org ? org->logo : std::string());
            item.set("has_organisation_logo", View::boolean(org && !org->logo.empty()));
            item.set("organisation_logo_src", org && !org->logo.empty() ? src(org->logo_pos) : std::string());
            item.set("email", member.email);
            item.set("has_email", View::boolean(!member.email.empty()));
            item.set("mailto", member.email.empty() ? std::string() : "mailto:" + member.email);
            item.set("phone", member.phone);
            item.set("has_phone", View::boolean(!member.phone.empty()));
            item.set("tel", member.phone.empty() ? std::string() : tel_uri(member.phone));
            item.set("src", src(member.pos));
            list.items.push_back(std::move(item));
        }
        return list;
    }

    View publications_view() const {
        View list = View::list();
        for (const Publication& publication : op_.publications) {
            View item;
            // A title in the other language is set by that language's typography.
            bool other = !publication.title_lang.empty() && publication.title_lang != lang_code(lang_);
            item.set("title",
                     other ? apply_typography(publication.title.in(lang_), parse_lang(publication.title_lang))
                           : typeset(publication.title));
            item.set("title_lang", other ? publication.title_lang : std::string());
            item.set("note", typeset(publication.note));
            item.set("date", date(publication.date, publication.pos));
            item.set("url", publication.url);
            item.set("has_url", View::boolean(!publication.url.empty()));
            item.set("src", src(publication.pos));
            list.items.push_back(std::move(item));
        }
        return list;
    }

    View document_view() const {
        std::string country = typeset(op_.country);
        std::string cluster = typeset(op_.cluster);
        std::string keywords = country;
        for (const std::string& word : {cluster, label("field_operation"), label("factsheet")})
            if (!word.empty()) keywords += (keywords.empty() ? "" : ", ") + word;
        View view;
        view.set("title", country + " \u2014 " + cluster);
        view.set("subject", label("document_subject"));
        view.set("keywords", keywords);
        return view;
    }

    const Operation& op_;
    const Labels& labels_;
    Lang lang_;
    bool draft_;
};

}  // namespace

View build_view(const Operation& op, const Labels& labels, Lang lang, bool draft) {
    return ViewBuilder(op, labels, lang, draft).build();
}

}  // namespace factsheet
