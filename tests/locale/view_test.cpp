#include <gtest/gtest.h>

#include <string>

#include "locale/locale.hpp"

using namespace factsheet;

namespace {

Text text(std::string en, std::string fr) {
    Text t;
    t.en = std::move(en);
    t.fr = std::move(fr);
    return t;
}

Figure figure(std::string id, FigureKind kind, std::int64_t value, std::optional<int> year, Text label) {
    Figure f;
    f.id = std::move(id);
    f.kind = kind;
    f.value = value;
    if (kind == FigureKind::money) f.currency = "USD";
    f.year = year;
    f.label = std::move(label);
    return f;
}

// A small Mali operation built by hand, with the figures of the 2023 field-operation page.
Operation mali() {
    Operation op;
    op.id = "mali";
    op.file = "input/mali.xml";
    op.country = text("Mali", "Mali");
    op.cluster = text("Protection Cluster", "Cluster Protection");
    op.as_of = "2023-09-30";
    op.source = text("Protection Cluster Mali", "Cluster Protection Mali");
    op.intro = {
        text("The crisis Mali's people face.", "La crise que traverse le Mali : un contexte instable."),
        text("Second paragraph.", "Deuxi\u00E8me paragraphe ?")};
    op.protection_issues = {text("Attacks on civilians.", "Attaques contre les civils ; enl\u00E8vements.")};
    op.cluster_operation = {text("Activated in 2012.", "Activ\u00E9 en 2012.")};
    Area gbv;
    gbv.id = "gbv";
    gbv.name = text("Gender-Based Violence", "Violences bas\u00E9es sur le genre");
    gbv.acronym = text("GBV", "VBG");
    Area cp;
    cp.id = "cp";
    cp.name = text("Child Protection", "Protection de l'enfance");
    cp.acronym = text("CP", "PE");
    op.areas = {gbv, cp};
    Organisation unhcr;
    unhcr.id = "unhcr";
    unhcr.acronym = text("UNHCR", "HCR");
    unhcr.name = text("United Nations High Commissioner for Refugees",
                      "Haut-Commissariat des Nations unies pour les r\u00E9fugi\u00E9s");
    Organisation drc;
    drc.id = "drc";
    drc.acronym = text("DRC", "DRC");
    drc.name = text("Danish Refugee Council", "Conseil danois pour les r\u00E9fugi\u00E9s");
    op.organisations = {unhcr, drc};
    op.lead = "unhcr";
    op.co_coordinator = "drc";
    op.figures = {
        figure("pin", FigureKind::people, 3900000, 2023, text("People in Need", "Personnes dans le besoin")),
        figure("targeted", FigureKind::people, 3200000, 2023,
               text("People Targeted", "Personnes cibl\u00E9es")),
        figure("requirements", FigureKind::money, 102320000, std::nullopt,
               text("Funding Requirements (US$)", "Fonds requis (en USD)")),
        figure("funded", FigureKind::money, 26240000, 2023, text("Funded", "Financ\u00E9s")),
    };
    op.funding_required = "requirements";
    op.funding_received = "funded";
    Member coordinator;
    coordinator.name = "Alimata Ouattara";
    coordinator.role = text("Coordinator", "Coordinatrice");
    coordinator.organisation = "unhcr";
    coordinator.email = "ouattaal@unhcr.org";
    op.team = {coordinator};
    Publication snapshot;
    snapshot.title = text("Protection Analysis Update", "Mise \u00E0 jour de l'analyse de protection");
    snapshot.date = "2024-03-01";
    snapshot.url = "https://example.org/pau.pdf";
    Publication note;
    note.title = text("Advocacy note", "Note de plaidoyer");
    note.date = "2023-11-15";
    op.publications = {snapshot, note};
    return op;
}

Labels labels() {
    return {
        {"field_operation", text("Field Operation", "Op\u00E9ration sur le terrain")},
        {"factsheet", text("Factsheet", "Fiche d'information")},
        {"document_subject",
         text("Protection Cluster factsheet", "Fiche d'information du Cluster Protection")},
        {"as_of", text("Information as of", "Informations au")},
    };
}

const View& at(const View& v, const std::string& key) {
    return v.fields.at(key);
}

const std::string& str(const View& v, const std::string& key) {
    const View& field = v.fields.at(key);
    EXPECT_EQ(field.kind, View::Kind::string) << key;
    return field.str;
}

bool flag(const View& v, const std::string& key) {
    const View& field = v.fields.at(key);
    EXPECT_EQ(field.kind, View::Kind::boolean) << key;
    return field.flag;
}

}  // namespace

TEST(view, english_edition) {
    View v = build_view(mali(), labels(), Lang::en);
    ASSERT_EQ(v.kind, View::Kind::object);
    EXPECT_EQ(str(v, "lang"), "en");
    EXPECT_EQ(str(at(v, "labels"), "factsheet"), "Factsheet");
    EXPECT_EQ(str(at(v, "labels"), "as_of"), "Information as of");

    const View& op = at(v, "operation");
    EXPECT_EQ(str(op, "id"), "mali");
    EXPECT_EQ(str(op, "country"), "Mali");
    EXPECT_EQ(str(op, "cluster"), "Protection Cluster");
    EXPECT_EQ(str(op, "as_of"), "30 September 2023");
    EXPECT_EQ(str(op, "as_of_iso"), "2023-09-30");
    EXPECT_EQ(str(op, "source"), "Protection Cluster Mali");

    ASSERT_EQ(at(v, "intro").kind, View::Kind::list);
    ASSERT_EQ(at(v, "intro").items.size(), 2u);
    EXPECT_EQ(str(at(v, "intro").items[0], "text"), "The crisis Mali\u2019s people face.");
    EXPECT_EQ(str(at(v, "protection_issues").items[0], "text"), "Attacks on civilians.");
    EXPECT_EQ(str(at(v, "cluster_operation").items[0], "text"), "Activated in 2012.");

    const View& areas = at(v, "areas");
    ASSERT_EQ(areas.items.size(), 2u);
    EXPECT_EQ(str(areas.items[0], "name"), "Gender-Based Violence");
    EXPECT_EQ(str(areas.items[0], "acronym"), "GBV");
    EXPECT_FALSE(flag(areas.items[0], "last"));
    EXPECT_TRUE(flag(areas.items[1], "last"));

    EXPECT_EQ(str(at(v, "lead"), "acronym"), "UNHCR");
    EXPECT_EQ(str(at(v, "lead"), "name"), "United Nations High Commissioner for Refugees");
    EXPECT_EQ(str(at(v, "co_coordinator"), "acronym"), "DRC");

    const View& figures = at(v, "figures");
    ASSERT_EQ(figures.items.size(), 4u);
    EXPECT_EQ(str(figures.items[0], "id"), "pin");
    EXPECT_EQ(str(figures.items[0], "value"), "3.90M");
    EXPECT_EQ(str(figures.items[0], "full_value"), "3,900,000");
    EXPECT_EQ(str(figures.items[0], "label"), "People in Need");
    EXPECT_EQ(str(figures.items[0], "year"), "2023");
    EXPECT_TRUE(flag(figures.items[0], "has_year"));
    EXPECT_TRUE(flag(figures.items[0], "people"));
    EXPECT_FALSE(flag(figures.items[0], "money"));
    EXPECT_EQ(str(figures.items[2], "value"), "US$102.32M");
    EXPECT_EQ(str(figures.items[2], "full_value"), "US$102,320,000");
    EXPECT_EQ(str(figures.items[2], "year"), "");
    EXPECT_FALSE(flag(figures.items[2], "has_year"));
    EXPECT_TRUE(flag(figures.items[2], "money"));
    EXPECT_FALSE(flag(figures.items[2], "people"));

    const View& funding = at(v, "funding");
    EXPECT_TRUE(flag(funding, "has"));
    EXPECT_EQ(str(funding, "ratio"), "0.2565");
    EXPECT_EQ(str(funding, "percent"), "25.6%");
    EXPECT_EQ(str(funding, "funded"), "US$26.24M");
    EXPECT_EQ(str(funding, "required"), "US$102.32M");

    const View& team = at(v, "team");
    ASSERT_EQ(team.items.size(), 1u);
    EXPECT_EQ(str(team.items[0], "name"), "Alimata Ouattara");
    EXPECT_EQ(str(team.items[0], "role"), "Coordinator");
    EXPECT_EQ(str(team.items[0], "organisation"), "UNHCR");
    EXPECT_EQ(str(team.items[0], "organisation_name"), "United Nations High Commissioner for Refugees");
    EXPECT_EQ(str(team.items[0], "email"), "ouattaal@unhcr.org");
    EXPECT_EQ(str(team.items[0], "mailto"), "mailto:ouattaal@unhcr.org");

    const View& publications = at(v, "publications");
    ASSERT_EQ(publications.items.size(), 2u);
    EXPECT_TRUE(flag(v, "has_publications"));
    EXPECT_EQ(str(publications.items[0], "title"), "Protection Analysis Update");
    EXPECT_EQ(str(publications.items[0], "date"), "1 March 2024");
    EXPECT_EQ(str(publications.items[0], "url"), "https://example.org/pau.pdf");
    EXPECT_TRUE(flag(publications.items[0], "has_url"));
    EXPECT_FALSE(flag(publications.items[1], "has_url"));

    const View& document = at(v, "document");
    EXPECT_EQ(str(document, "title"), "Mali \u2014 Protection Cluster");
    EXPECT_EQ(str(document, "subject"), "Protection Cluster factsheet");
    EXPECT_EQ(str(document, "keywords"), "Mali, Protection Cluster, Field Operation, Factsheet");
}

TEST(view, french_edition) {
    View v = build_view(mali(), labels(), Lang::fr);
    EXPECT_EQ(str(v, "lang"), "fr");
    EXPECT_EQ(str(at(v, "labels"), "factsheet"), "Fiche d\u2019information");
    EXPECT_EQ(str(at(v, "labels"), "as_of"), "Informations au");

    const View& op = at(v, "operation");
    EXPECT_EQ(str(op, "cluster"), "Cluster Protection");
    EXPECT_EQ(str(op, "as_of"), "30 septembre 2023");
    EXPECT_EQ(str(op, "as_of_iso"), "2023-09-30");

    EXPECT_EQ(str(at(v, "intro").items[0], "text"),
              "La crise que traverse le Mali\u00A0: un contexte instable.");
    EXPECT_EQ(str(at(v, "intro").items[1], "text"), "Deuxi\u00E8me paragraphe\u202F?");
    EXPECT_EQ(str(at(v, "protection_issues").items[0], "text"),
              "Attaques contre les civils\u202F; enl\u00E8vements.");
    EXPECT_EQ(str(at(v, "areas").items[1], "name"), "Protection de l\u2019enfance");
    EXPECT_EQ(str(at(v, "areas").items[1], "acronym"), "PE");

    EXPECT_EQ(str(at(v, "lead"), "acronym"), "HCR");
    EXPECT_EQ(str(at(v, "co_coordinator"), "name"), "Conseil danois pour les r\u00E9fugi\u00E9s");

    const View& figures = at(v, "figures");
    EXPECT_EQ(str(figures.items[0], "value"), "3,90\u00A0M");
    EXPECT_EQ(str(figures.items[0], "full_value"), "3\u202F900\u202F000");
    EXPECT_EQ(str(figures.items[0], "label"), "Personnes dans le besoin");
    EXPECT_EQ(str(figures.items[2], "value"), "102,32\u00A0M\u00A0US$");
    EXPECT_EQ(str(figures.items[2], "full_value"), "102\u202F320\u202F000\u00A0US$");
    EXPECT_EQ(str(figures.items[2], "label"), "Fonds requis (en USD)");

    const View& funding = at(v, "funding");
    EXPECT_TRUE(flag(funding, "has"));
    EXPECT_EQ(str(funding, "ratio"), "0.2565");
    EXPECT_EQ(str(funding, "percent"), "25,6\u00A0%");
    EXPECT_EQ(str(funding, "funded"), "26,24\u00A0M\u00A0US$");

    EXPECT_EQ(str(at(v, "team").items[0], "role"), "Coordinatrice");
    EXPECT_EQ(str(at(v, "team").items[0], "organisation"), "HCR");

    EXPECT_EQ(str(at(v, "publications").items[0], "title"),
              "Mise \u00E0 jour de l\u2019analyse de protection");
    EXPECT_EQ(str(at(v, "publications").items[0], "date"), "1er mars 2024");
    EXPECT_EQ(str(at(v, "publications").items[1], "date"), "15 novembre 2023");

    const View& document = at(v, "document");
    EXPECT_EQ(str(document, "title"), "Mali \u2014 Cluster Protection");
    EXPECT_EQ(str(document, "subject"), "Fiche d\u2019information du Cluster Protection");
    EXPECT_EQ(str(document, "keywords"),
              "Mali, Cluster Protection, Op\u00E9ration sur le terrain, Fiche d\u2019information");
}

TEST(view, funding_without_figures_or_requirements) {
    Operation op = mali();
    op.funding_received = "missing";
    View v = build_view(op, labels(), Lang::en);
    EXPECT_FALSE(flag(at(v, "funding"), "has"));
    EXPECT_EQ(str(at(v, "funding"), "ratio"), "0.0000");
    EXPECT_EQ(str(at(v, "funding"), "percent"), "");
    EXPECT_EQ(str(at(v, "funding"), "funded"), "");
    EXPECT_EQ(str(at(v, "funding"), "required"), "US$102.32M");

    op = mali();
    op.figures[2].value = 0;
    v = build_view(op, labels(), Lang::en);
    EXPECT_FALSE(flag(at(v, "funding"), "has"));
}

TEST(view, over_funding_fills_the_bar_but_keeps_the_true_percentage) {
    Operation op = mali();
    op.figures[3].value = 153480000;  // 150 % of the requirements
    View v = build_view(op, labels(), Lang::en);
    EXPECT_EQ(str(at(v, "funding"), "ratio"), "1.0000");
    EXPECT_EQ(str(at(v, "funding"), "percent"), "150.0%");
}

TEST(view, empty_lists_and_missing_labels) {
    Operation op = mali();
    op.publications.clear();
    op.areas.clear();
    View v = build_view(op, Labels{}, Lang::fr);
    EXPECT_FALSE(flag(v, "has_publications"));
    EXPECT_TRUE(at(v, "publications").items.empty());
    EXPECT_EQ(at(v, "publications").kind, View::Kind::list);
    EXPECT_TRUE(at(v, "areas").items.empty());
    EXPECT_TRUE(at(v, "labels").fields.empty());
    EXPECT_EQ(str(at(v, "document"), "subject"), "");
    EXPECT_EQ(str(at(v, "document"), "keywords"), "Mali, Cluster Protection");
}

TEST(view, bad_references_and_dates_are_errors_at_their_place) {
    Operation op = mali();
    op.team[0].organisation = "unicef";
    op.team[0].pos = SourcePos{"input/mali.xml", 40, 5};
    try {
        build_view(op, labels(), Lang::en);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "input/mali.xml:40:5: error: organisation \"unicef\" is not an "
                     "organisation of the source: declare it under <organisations>");
    }
    op = mali();
    op.publications[1].date = "2023-02-29";
    op.publications[1].pos = SourcePos{"input/mali.xml", 52, 7};
    try {
        build_view(op, labels(), Lang::fr);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "input/mali.xml:52:7: error: date \"2023-02-29\" does not exist");
    }
}
