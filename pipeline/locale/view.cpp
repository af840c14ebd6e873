// The localized view of an operation: every field the layouts read, in one language.
#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.hpp"
#include "locale/locale.hpp"
#include "locale/money.hpp"

namespace factsheet {

namespace {

/// Builds the view with the edition's language and labels at hand.
class ViewBuilder {
public:
    ViewBuilder(const Operation& op, const Labels& labels, Lang lang)
        : op_(op), labels_(labels), lang_(lang) {}

    View build() const {
        View view;
        view.set("lang", lang_code(lang_));
        view.set("labels", labels_view());
        view.set("operation", operation_view());
        view.set("intro", paragraphs(op_.intro));
        view.set("protection_issues", paragraphs(op_.protection_issues));
        view.set("cluster_operation", paragraphs(op_.cluster_operation));
        View areas = areas_view();
        // <areas> is optional: the layout leaves out its caption and row (a row needs a box).
        view.set("has_areas", View::boolean(!areas.items.empty()));
        view.set("areas", std::move(areas));
        view.set("lead", organisation_view(op_.lead, "lead"));
        view.set("co_coordinator", organisation_view(op_.co_coordinator, "co_coordinator"));
        view.set("figures", figures_view());
        view.set("funding", funding_view());
        view.set("team", team_view());
        View publications = publications_view();
        view.set("has_publications", View::boolean(!publications.items.empty()));
        View hyphenation = View::list();
        for (const std::string& word : op_.hyphenation) hyphenation.items.push_back(View().set("word", word));
        view.set("hyphenation", std::move(hyphenation));
        view.set("publications", std::move(publications));
        view.set("document", document_view());
        return view;
    }

private:
    std::string typeset(const std::string& text) const { return apply_typography(text, lang_); }
    std::string typeset(const Text& text) const { return typeset(text.in(lang_)); }

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
        return view;
    }

    View paragraphs(const std::vector<Text>& texts) const {
        View list = View::list();
        for (const Text& text : texts)
            list.items.push_back(View().set("text", typeset(text)).set("src", src(text.pos)));
        return list;
    }

    View areas_view() const {
        View list = View::list();
        for (std::size_t i = 0; i < op_.areas.size(); ++i) {
            const Area& area = op_.areas[i];
            View item;
            item.set("name", typeset(area.name));
            item.set("acronym", typeset(area.acronym));
            // Lets a template write "A, B and C" without a trailing separator.
            item.set("last", View::boolean(i + 1 == op_.areas.size()));
            item.set("src", src(area.pos));
            list.items.push_back(std::move(item));
        }
        return list;
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

    View organisation_view(const std::string& id, const std::string& role) const {
        const Organisation* org = find_organisation(id, role, SourcePos{op_.file});
        View view;
        view.set("acronym", org ? typeset(org->acronym) : std::string());
        view.set("name", org ? typeset(org->name) : std::string());
        return view;
    }

    const Figure* find_figure(const std::string& id) const {
        auto it =
            std::find_if(op_.figures.begin(), op_.figures.end(), [&](const Figure& f) { return f.id == id; });
        return it == op_.figures.end() ? nullptr : &*it;
    }

    View figures_view() const {
        View list = View::list();
        for (const Figure& figure : op_.figures) {
            bool money = figure.kind == FigureKind::money;
            std::string full = format_integer(figure.value, lang_);
            if (money) full = detail::with_currency(full, figure.currency, lang_);
            View item;
            item.set("id", figure.id);
            item.set("value", format_figure(figure, lang_));
            item.set("full_value", full);
            item.set("label", typeset(figure.label));
            item.set("year", figure.year ? std::to_string(*figure.year) : std::string());
            item.set("has_year", View::boolean(figure.year.has_value()));
            item.set("people", View::boolean(!money));
            item.set("money", View::boolean(money));
            // The amount and its currency apart, for layouts that set the symbol smaller.
            item.set("amount", format_compact(figure.value, lang_));
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
        bool has = required && funded && required->value > 0;
        View view;
        view.set("has", View::boolean(has));
        view.set("required", required ? format_figure(*required, lang_) : std::string());
        view.set("funded", funded ? format_figure(*funded, lang_) : std::string());
        if (!has) {
            view.set("ratio", "0.0000");
            view.set("percent", "");
            return view;
        }
        double ratio = static_cast<double>(funded->value) / static_cast<double>(required->value);
        view.set("percent", format_percent(ratio, lang_));
        view.set("ratio", plain_ratio(ratio));
        return view;
    }

    // The layout draws a bar of this length: a dot decimal whatever the language, and never
    // longer than the bar's track (an over-funded appeal fills it).
    static std::string plain_ratio(double ratio) {
        double clamped = std::clamp(ratio, 0.0, 1.0);
        auto ten_thousandths = static_cast<int>(std::lround(clamped * 10000.0));
        std::string fraction = std::to_string(ten_thousandths % 10000);
        fraction.insert(0, 4 - fraction.size(), '0');
        return std::to_string(ten_thousandths / 10000) + "." + fraction;
    }

    View team_view() const {
        View list = View::list();
        for (const Member& member : op_.team) {
            const Organisation* org = find_organisation(member.organisation, "organisation", member.pos);
            View item;
            item.set("name", typeset(member.name));
            item.set("role", typeset(member.role));
            item.set("organisation", org ? typeset(org->acronym) : std::string());
            item.set("organisation_name", org ? typeset(org->name) : std::string());
            item.set("email", member.email);
            item.set("mailto", "mailto:" + member.email);
            item.set("src", src(member.pos));
            list.items.push_back(std::move(item));
        }
        return list;
    }

    View publications_view() const {
        View list = View::list();
        for (const Publication& publication : op_.publications) {
            View item;
            item.set("title", typeset(publication.title));
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
};

}  // namespace

View build_view(const Operation& op, const Labels& labels, Lang lang) {
    return ViewBuilder(op, labels, lang).build();
}

}  // namespace factsheet
