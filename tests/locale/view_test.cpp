#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
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
    op.co_coordinators = {"drc"};
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
        {"about", text("about", "environ")},
        {"map_of", text("Map of", "Carte :")},
        {"co_coordinator", text("Co-coordinator", "Co-coordination")},
        {"co_coordinators", text("Co-coordinators", "Co-coordination")},
        {"kind_aor", text("Area of Responsibility", "Domaine de responsabilit\u00E9")},
        {"kind_aor_plural", text("Areas of Responsibility", "Domaines de responsabilit\u00E9")},
        {"kind_working_group", text("Working Group", "Groupe de travail")},
        {"kind_working_group_plural", text("Working Groups", "Groupes de travail")},
        {"kind_hub_plural", text("Hubs", "Hubs")},
        {"type_un_agency", text("UN agency", "agence des Nations unies")},
        {"type_ingo", text("international NGO", "ONG internationale")},
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

TEST(view, over_funding_gives_the_true_ratio_and_percentage) {
    Operation op = mali();
    op.figures[3].value = 120737600;  // 118 % of the requirements
    View v = build_view(op, labels(), Lang::en);
    EXPECT_EQ(str(at(v, "funding"), "ratio"), "1.1800");
    EXPECT_EQ(str(at(v, "funding"), "percent"), "118.0%");
    EXPECT_TRUE(flag(at(v, "funding"), "overfunded"));
    EXPECT_FALSE(flag(at(build_view(mali(), labels(), Lang::en), "funding"), "overfunded"));

    // The largest funds against the smallest requirement: exact, no overflow, no exception.
    op.figures[2].value = 1;
    op.figures[3].value = std::numeric_limits<std::int64_t>::max();
    v = build_view(op, labels(), Lang::fr);
    EXPECT_EQ(str(at(v, "funding"), "ratio"), "9223372036854775807.0000");
    EXPECT_EQ(str(at(v, "funding"), "percent"),
              "922\u202F337\u202F203\u202F685\u202F477\u202F580\u202F700,0\u00A0%");
    EXPECT_EQ(str(at(v, "funding"), "required"), "1\u00A0US$");
}

TEST(view, funding_amounts_that_look_alike_are_written_in_full) {
    Operation op = mali();
    op.figures[3].value = 102319000;  // "US$102.32M" like the requirements
    View v = build_view(op, labels(), Lang::en);
    EXPECT_EQ(str(at(v, "funding"), "funded"), "US$102,319,000");
    EXPECT_EQ(str(at(v, "funding"), "required"), "US$102,320,000");
    EXPECT_EQ(str(at(v, "funding"), "percent"), "100.0%");
    EXPECT_EQ(str(at(build_view(mali(), labels(), Lang::en), "funding"), "funded"), "US$26.24M");
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

TEST(view, organisations_with_types_and_several_co_coordinators) {
    Operation op = mali();
    op.organisations[0].type = OrganisationType::un_agency;
    op.organisations[1].type = OrganisationType::ingo;
    Organisation nrc;
    nrc.id = "nrc";
    nrc.acronym = text("NRC", "NRC");
    nrc.name = text("Norwegian Refugee Council", "Conseil norv\u00E9gien pour les r\u00E9fugi\u00E9s");
    op.organisations.push_back(nrc);
    op.co_coordinators = {"drc", "nrc"};
    View v = build_view(op, labels(), Lang::fr);
    EXPECT_EQ(str(at(v, "lead"), "acronym"), "HCR");
    EXPECT_EQ(str(at(v, "lead"), "type"), "agence des Nations unies");
    EXPECT_TRUE(flag(at(v, "lead"), "has_type"));
    EXPECT_TRUE(flag(v, "has_co_coordinators"));
    EXPECT_EQ(str(v, "co_coordinators_label"), "Co-coordination");
    const View& co = at(v, "co_coordinators");
    ASSERT_EQ(co.items.size(), 2u);
    EXPECT_EQ(str(co.items[0], "acronym"), "DRC");
    EXPECT_EQ(str(co.items[0], "type"), "ONG internationale");
    EXPECT_FALSE(flag(co.items[0], "last"));
    EXPECT_EQ(str(co.items[1], "name"), "Conseil norv\u00E9gien pour les r\u00E9fugi\u00E9s");
    EXPECT_EQ(str(co.items[1], "type"), "");
    EXPECT_FALSE(flag(co.items[1], "has_type"));
    EXPECT_TRUE(flag(co.items[1], "last"));
    EXPECT_EQ(str(at(v, "co_coordinator"), "acronym"), "DRC");
    EXPECT_EQ(at(v, "organisations").items.size(), 3u);
    EXPECT_EQ(str(at(v, "organisations").items[2], "id"), "nrc");
}

TEST(view, co_coordinators_label_and_flags) {
    Operation op = mali();
    View v = build_view(op, labels(), Lang::en);
    EXPECT_EQ(str(v, "co_coordinators_label"), "Co-coordinator");
    op.co_coordinators = {"drc", "unhcr"};
    EXPECT_EQ(str(build_view(op, labels(), Lang::en), "co_coordinators_label"), "Co-coordinators");
    op.co_coordinators.clear();
    v = build_view(op, labels(), Lang::en);
    EXPECT_FALSE(flag(v, "has_co_coordinators"));
    EXPECT_TRUE(at(v, "co_coordinators").items.empty());
    EXPECT_EQ(str(at(v, "co_coordinator"), "acronym"), "");
}

TEST(view, coordination_bodies_grouped_by_kind) {
    Operation op = mali();
    Area cash;
    cash.id = "cash";
    cash.kind = AreaKind::working_group;
    cash.name = text("Cash", "Transferts mon\u00E9taires");
    cash.lead = {"drc", "unhcr"};
    cash.co_lead = {"unhcr"};
    Area hub;
    hub.id = "east";
    hub.kind = AreaKind::hub;
    hub.name = text("Eastern Hub", "Hub de l'Est");
    op.areas = {cash, op.areas[0], hub, op.areas[1]};
    View v = build_view(op, labels(), Lang::en);

    const View& all = at(v, "areas");  // every body, in source order
    ASSERT_EQ(all.items.size(), 4u);
    EXPECT_EQ(str(all.items[0], "kind"), "working-group");
    EXPECT_EQ(str(all.items[0], "kind_label"), "Working Group");
    EXPECT_FALSE(flag(all.items[0], "has_acronym"));
    EXPECT_EQ(str(all.items[0], "acronym"), "");
    EXPECT_TRUE(flag(all.items[0], "has_lead"));
    EXPECT_EQ(str(all.items[0], "lead"), "DRC, UNHCR");
    EXPECT_EQ(str(all.items[0], "co_lead"), "UNHCR");
    EXPECT_EQ(str(at(all.items[0], "leads").items[1], "name"),
              "United Nations High Commissioner for Refugees");
    EXPECT_TRUE(flag(at(all.items[0], "leads").items[1], "last"));
    EXPECT_FALSE(flag(all.items[1], "has_lead"));
    EXPECT_FALSE(flag(all.items[1], "has_co_lead"));
    EXPECT_EQ(str(all.items[1], "lead"), "");
    EXPECT_TRUE(flag(all.items[3], "last"));

    const View& groups = at(v, "area_groups");
    ASSERT_EQ(groups.items.size(), 3u);
    EXPECT_EQ(str(groups.items[0], "kind"), "aor");
    EXPECT_EQ(str(groups.items[0], "label"), "Areas of Responsibility");
    EXPECT_EQ(str(groups.items[0], "label_singular"), "Area of Responsibility");
    ASSERT_EQ(at(groups.items[0], "areas").items.size(), 2u);
    EXPECT_EQ(str(at(groups.items[0], "areas").items[0], "acronym"), "GBV");
    EXPECT_FALSE(flag(at(groups.items[0], "areas").items[0], "last"));
    EXPECT_TRUE(flag(at(groups.items[0], "areas").items[1], "last"));
    EXPECT_EQ(str(groups.items[1], "label"), "Working Groups");
    EXPECT_EQ(str(groups.items[2], "kind"), "hub");
    EXPECT_EQ(str(groups.items[2], "label"), "Hubs");
    EXPECT_EQ(str(at(groups.items[2], "areas").items[0], "name"), "Eastern Hub");
    EXPECT_FALSE(flag(groups.items[1], "last"));
    EXPECT_TRUE(flag(groups.items[2], "last"));

    op.areas.clear();
    EXPECT_TRUE(at(build_view(op, labels(), Lang::en), "area_groups").items.empty());
}

TEST(view, members_with_only_some_details) {
    Operation op = mali();
    Member partial;
    partial.name = "Chidi Example";
    partial.phone = "+223 (0)20-22.55.80";
    op.team.push_back(partial);
    View v = build_view(op, labels(), Lang::en);
    const View& team = at(v, "team");
    ASSERT_EQ(team.items.size(), 2u);
    EXPECT_TRUE(flag(v, "has_team"));
    EXPECT_TRUE(flag(team.items[0], "has_role"));
    EXPECT_TRUE(flag(team.items[0], "has_organisation"));
    EXPECT_TRUE(flag(team.items[0], "has_email"));
    EXPECT_FALSE(flag(team.items[0], "has_phone"));
    EXPECT_EQ(str(team.items[0], "tel"), "");
    EXPECT_FALSE(flag(team.items[1], "has_role"));
    EXPECT_EQ(str(team.items[1], "role"), "");
    EXPECT_FALSE(flag(team.items[1], "has_organisation"));
    EXPECT_EQ(str(team.items[1], "organisation"), "");
    EXPECT_FALSE(flag(team.items[1], "has_email"));
    EXPECT_EQ(str(team.items[1], "mailto"), "");
    EXPECT_TRUE(flag(team.items[1], "has_phone"));
    EXPECT_EQ(str(team.items[1], "phone"), "+223 (0)20-22.55.80");
    EXPECT_EQ(str(team.items[1], "tel"), "tel:+22320225580");  // "(0)" is dialled only at home
    op.team[1].phone = "+1 (201) 555-0123";
    EXPECT_EQ(str(at(build_view(op, labels(), Lang::en), "team").items[1], "tel"), "tel:+12015550123");
    op.team[1].phone = "(020) 22 55";
    EXPECT_EQ(str(at(build_view(op, labels(), Lang::en), "team").items[1], "tel"), "tel:0202255");

    op.team.clear();
    EXPECT_FALSE(flag(build_view(op, labels(), Lang::en), "has_team"));
}

TEST(view, figures_of_every_kind_and_approximate_ones) {
    Operation op = mali();
    op.figures[0].approximate = true;
    op.figures[0].value = 2200000;
    op.figures[1].kind = FigureKind::percentage;
    op.figures[1].value = 385;
    op.figures[1].decimals = 1;
    op.figures[2].approximate = true;
    Figure sites = figure("sites", FigureKind::count, 12345, std::nullopt, text("Sites", "Sites"));
    op.figures.push_back(sites);
    View en = build_view(op, labels(), Lang::en);
    View fr = build_view(op, labels(), Lang::fr);
    const View& f = at(en, "figures");
    EXPECT_TRUE(flag(en, "has_figures"));
    EXPECT_EQ(str(f.items[0], "value"), "about\u00A02.20M");
    EXPECT_EQ(str(f.items[0], "amount"), "2.20M");
    EXPECT_EQ(str(f.items[0], "full_value"), "about\u00A02,200,000");
    EXPECT_TRUE(flag(f.items[0], "approximate"));
    EXPECT_EQ(str(f.items[0], "about"), "about");
    EXPECT_EQ(str(at(fr, "figures").items[0], "value"), "environ\u00A02,20\u00A0M");
    EXPECT_EQ(str(f.items[1], "value"), "38.5%");
    EXPECT_EQ(str(f.items[1], "full_value"), "38.5%");
    EXPECT_TRUE(flag(f.items[1], "percentage"));
    EXPECT_FALSE(flag(f.items[1], "people"));
    EXPECT_FALSE(flag(f.items[1], "approximate"));
    EXPECT_EQ(str(f.items[1], "about"), "");
    EXPECT_EQ(str(at(fr, "figures").items[1], "value"), "38,5\u00A0%");
    EXPECT_EQ(str(f.items[2], "value"), "about\u00A0US$102.32M");
    EXPECT_EQ(str(f.items[2], "amount"), "102.32M");
    EXPECT_EQ(str(at(fr, "figures").items[2], "value"), "environ\u00A0102,32\u00A0M\u00A0US$");
    EXPECT_EQ(str(at(en, "funding"), "required"), "about\u00A0US$102.32M");
    EXPECT_EQ(str(f.items[4], "value"), "12.3K");
    EXPECT_TRUE(flag(f.items[4], "count"));
    EXPECT_EQ(str(at(fr, "figures").items[4], "full_value"), "12\u202F345");

    op.figures.clear();
    View none = build_view(op, labels(), Lang::en);
    EXPECT_FALSE(flag(none, "has_figures"));
    EXPECT_FALSE(flag(at(none, "funding"), "has"));
}

// A complete edition is no draft; a draft says so, for the template's mark.
TEST(view, the_draft_flag) {
    EXPECT_FALSE(flag(build_view(mali(), labels(), Lang::en), "draft"));
    EXPECT_TRUE(flag(build_view(mali(), labels(), Lang::fr, true), "draft"));
}

// In a draft, a text the source lacks in the edition's language is the other language's, set by
// that language's typography (French spacing for French text only) and marked with its language.
TEST(view, a_draft_shows_a_missing_text_in_the_other_language_marked) {
    Operation op = mali();
    op.intro[0].fr.clear();
    op.intro[0].en = "Mali's crisis: what now?";
    op.protection_issues[0].en.clear();
    op.figures[0].label.fr.clear();
    View fr = build_view(op, labels(), Lang::fr, true);
    EXPECT_EQ(str(at(fr, "intro").items[0], "text"), fallback_text("Mali\u2019s crisis: what now?", "en"));
    EXPECT_EQ(str(at(fr, "intro").items[1], "text"), "Deuxi\u00E8me paragraphe\u202F?");
    EXPECT_EQ(str(at(fr, "figures").items[0], "label"), fallback_text("People in Need", "en"));
    EXPECT_EQ(str(at(fr, "protection_issues").items[0], "text"),
              "Attaques contre les civils\u202F; enl\u00E8vements.");
    View en = build_view(op, labels(), Lang::en, true);
    EXPECT_EQ(str(at(en, "protection_issues").items[0], "text"),
              fallback_text("Attaques contre les civils\u202F; enl\u00E8vements.", "fr"));
    EXPECT_EQ(str(at(en, "intro").items[0], "text"), "Mali\u2019s crisis: what now?");
    // Not a draft: nothing stands in (the program never builds such an edition; see
    // missing_text_errors).
    EXPECT_EQ(str(at(build_view(op, labels(), Lang::fr), "intro").items[0], "text"), "");
}

// The map's description is made in the layout from labels and the country: French labels are
// typeset like any text (a no-break space before the colon).
TEST(view, the_map_is_described_by_labels_typeset_in_the_edition_language) {
    Operation op = mali();
    op.country_code = "ML";
    View fr = build_view(op, labels(), Lang::fr);
    EXPECT_EQ(str(at(fr, "labels"), "map_of"), "Carte\u00A0:");
    EXPECT_EQ(str(at(build_view(op, labels(), Lang::en), "labels"), "map_of"), "Map of");
    EXPECT_EQ(str(at(fr, "map"), "country"), "ML");
}

// A text that stands in is marked wherever it goes, joined into other texts too.
TEST(view, a_stand_in_is_marked_inside_joined_texts) {
    Operation op = mali();
    op.country_code = "ML";
    op.country.fr.clear();
    op.organisations[1].acronym.fr.clear();
    op.areas[0].lead = {"unhcr", "drc"};
    View fr = build_view(op, labels(), Lang::fr, true);
    EXPECT_EQ(str(at(fr, "operation"), "country"), fallback_text("Mali", "en"));
    EXPECT_EQ(str(at(fr, "areas").items[0], "lead"), "HCR, " + fallback_text("DRC", "en"));
    EXPECT_EQ(str(at(fr, "document"), "title"), fallback_text("Mali", "en") + " \u2014 Cluster Protection");
    // An organisation whose name is its acronym is still printed once.
    op.organisations[1].name = text("DRC", "");
    EXPECT_FALSE(
        flag(at(build_view(op, labels(), Lang::fr, true), "organisations").items[1], "has_full_name"));
}
