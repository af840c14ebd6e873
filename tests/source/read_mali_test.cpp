// Reading the real Mali source gives exactly the facts of the field operation page.
#include <gtest/gtest.h>

#include "common/test_paths.hpp"
#include "source/source.hpp"

using namespace factsheet;

namespace {

const Operation& mali() {
    static const Operation op = read_operation(test::source_path("input/mali.xml"));
    return op;
}

}  // namespace

TEST(read_mali, identity_and_date) {
    EXPECT_EQ(mali().format, 1);
    EXPECT_EQ(mali().id, "mali");
    EXPECT_EQ(mali().as_of, "2023-09-30");
    EXPECT_EQ(mali().country.en, "Mali");
    EXPECT_EQ(mali().country.fr, "Mali");
    EXPECT_EQ(mali().cluster.en, "Protection Cluster");
    EXPECT_EQ(mali().cluster.fr, "Cluster Protection");
    EXPECT_EQ(mali().source.en, "Global Protection Cluster, Mali field operation page");
    EXPECT_EQ(mali().file, test::source_path("input/mali.xml"));
}

TEST(read_mali, figures_are_plain_numbers) {
    const auto& figures = mali().figures;
    ASSERT_EQ(figures.size(), 4u);
    EXPECT_EQ(figures[0].id, "pin");
    EXPECT_EQ(figures[0].kind, FigureKind::people);
    EXPECT_EQ(figures[0].value, 3900000);
    EXPECT_EQ(figures[0].year, 2023);
    EXPECT_EQ(figures[0].currency, "");
    EXPECT_EQ(figures[0].label.en, "People in Need");
    EXPECT_EQ(figures[0].label.fr, "Personnes dans le besoin");
    EXPECT_EQ(figures[1].id, "targeted");
    EXPECT_EQ(figures[1].value, 3200000);
    EXPECT_EQ(figures[1].year, 2023);
    EXPECT_EQ(figures[1].label.fr, "Personnes ciblées");
    EXPECT_EQ(figures[2].id, "requirements");
    EXPECT_EQ(figures[2].kind, FigureKind::money);
    EXPECT_EQ(figures[2].value, 102320000);
    EXPECT_EQ(figures[2].currency, "USD");
    EXPECT_EQ(figures[2].year, std::nullopt);
    EXPECT_EQ(figures[2].label.en, "Funding Requirements");
    EXPECT_EQ(figures[3].id, "funded");
    EXPECT_EQ(figures[3].kind, FigureKind::money);
    EXPECT_EQ(figures[3].value, 26240000);
    EXPECT_EQ(figures[3].currency, "USD");
    EXPECT_EQ(figures[3].year, 2023);
    for (const Figure& figure : figures) {
        EXPECT_FALSE(figure.approximate);
        EXPECT_EQ(figure.decimals, 0);
    }
    EXPECT_EQ(mali().funding_required, "requirements");
    EXPECT_EQ(mali().funding_received, "funded");
}

TEST(read_mali, team_with_roles_and_emails) {
    const auto& team = mali().team;
    ASSERT_EQ(team.size(), 3u);
    EXPECT_EQ(team[0].name, "Alimata Ouattara");
    EXPECT_EQ(team[0].role->en, "Coordinator");
    EXPECT_EQ(team[0].role->fr, "Coordinatrice");
    EXPECT_EQ(team[0].organisation, "unhcr");
    EXPECT_EQ(team[0].email, "ouattaal@unhcr.org");
    EXPECT_EQ(team[1].name, "Azeto Carine Ouedraogo");
    EXPECT_EQ(team[1].role->en, "Cluster Co-Coordinator");
    EXPECT_EQ(team[1].role->fr, "Co-coordinatrice du cluster");
    EXPECT_EQ(team[1].organisation, "drc");
    EXPECT_EQ(team[1].email, "azetocarine.ouedraogo@drc.ngo");
    EXPECT_EQ(team[2].name, "Pierrot Koti");
    EXPECT_EQ(team[2].role->en, "Information Management Officer");
    EXPECT_EQ(team[2].role->fr, "Chargé de la gestion de l'information");
    EXPECT_EQ(team[2].organisation, "unhcr");
    EXPECT_EQ(team[2].email, "koti@unhcr.org");
    for (const Member& member : team) EXPECT_EQ(member.phone, "");
}

TEST(read_mali, organisations_lead_and_co_coordinator) {
    const auto& orgs = mali().organisations;
    ASSERT_EQ(orgs.size(), 2u);
    EXPECT_EQ(orgs[0].id, "unhcr");
    EXPECT_EQ(orgs[0].acronym.en, "UNHCR");
    EXPECT_EQ(orgs[0].acronym.fr, "HCR");
    EXPECT_EQ(orgs[0].name.en, "United Nations High Commissioner for Refugees");
    EXPECT_EQ(orgs[0].name.fr, "Haut-Commissariat des Nations unies pour les réfugiés");
    EXPECT_EQ(orgs[1].id, "drc");
    EXPECT_EQ(orgs[1].name.en, "Danish Refugee Council");
    EXPECT_EQ(orgs[1].name.fr, "Conseil danois pour les réfugiés");
    EXPECT_EQ(mali().lead, "unhcr");
    EXPECT_EQ(mali().co_coordinators, std::vector<std::string>{"drc"});
    // Mali's source gives no types: they are optional.
    EXPECT_FALSE(orgs[0].type.has_value());
}

TEST(read_mali, three_intro_paragraphs_as_the_seed_writes_them) {
    const auto& intro = mali().intro;
    ASSERT_EQ(intro.size(), 3u);
    EXPECT_EQ(intro[0].en,
              "The crisis that Mali has been experiencing since 2012 has become more complex with an "
              "unstable socio-political and economic context, combined with the gradual withdrawal of "
              "MINUSMA (UNSC Res. 2690, 30 June 2023). The recapture by the army of areas occupied by "
              "armed groups, and the tensions linked to the takeover of former MINUSMA bases and "
              "installations, are having a considerable impact on the protection of civilians in "
              "localities facing major security challenges.");
    EXPECT_EQ(intro[1].en,
              "The protection environment for civilians in the Centre (Mopti and Ségou) and North "
              "(Gao, Kidal, Ménaka and Tombouctou) regions has been severely affected by the security "
              "situation. The activities of armed groups are manifested in the intensification of "
              "attacks on villages and civilian populations, accompanied by homicides, kidnappings, "
              "ultimatums to evacuate, and so on.");
    EXPECT_EQ(intro[2].en,
              "Civilians are constantly faced with human rights violations, mainly in the centre and "
              "north of the country, but since 2022 the conflict has been spreading to the south of "
              "Mali, leading to forced and preventive displacement of the population. Armed violence "
              "and attacks on civilians by non-state armed groups (NSAGs) expose civilians to "
              "numerous protection risks.");
    EXPECT_NE(intro[0].fr.find("MINUSMA"), std::string::npos);
    EXPECT_NE(intro[2].fr.find("groupes armés non étatiques (GANE)"), std::string::npos);
    for (const Text& p : intro) EXPECT_FALSE(p.fr.empty());
}

TEST(read_mali, protection_issues_join_the_wrapped_line) {
    ASSERT_EQ(mali().protection_issues.size(), 1u);
    const std::string& en = mali().protection_issues[0].en;
    EXPECT_TRUE(en.starts_with("The humanitarian and protection context in Mali is exposing people"));
    EXPECT_NE(en.find("psychological/emotional abuse or distress inflicted, and sexual"), std::string::npos);
    EXPECT_TRUE(en.ends_with("and sexual and gender-based violence."));
}

TEST(read_mali, cluster_operation_and_four_areas) {
    ASSERT_EQ(mali().cluster_operation.size(), 1u);
    EXPECT_TRUE(
        mali().cluster_operation[0].en.starts_with("The Protection Cluster in Mali was activated in 2012"));
    EXPECT_NE(mali().cluster_operation[0].fr.find("Domaine de responsabilité (DdR)"), std::string::npos);
    const auto& areas = mali().areas;
    ASSERT_EQ(areas.size(), 4u);
    EXPECT_EQ(areas[0].id, "gbv");
    EXPECT_EQ(areas[0].name.en, "Gender-Based Violence");
    EXPECT_EQ(areas[0].acronym->fr, "VBG");
    EXPECT_EQ(areas[1].id, "cp");
    EXPECT_EQ(areas[1].name.fr, "Protection de l'enfance");
    EXPECT_EQ(areas[1].acronym->fr, "PE");
    EXPECT_EQ(areas[2].id, "ma");
    EXPECT_EQ(areas[2].name.en, "Mine Action");
    EXPECT_EQ(areas[2].acronym->fr, "LAMH");
    EXPECT_EQ(areas[3].id, "hlp");
    EXPECT_EQ(areas[3].name.en, "Housing, Land, and Property");
    EXPECT_EQ(areas[3].acronym->en, "HLP");
    EXPECT_EQ(areas[3].acronym->fr, "LTB");
    for (const Area& area : areas) {
        EXPECT_EQ(area.kind, AreaKind::aor);
        EXPECT_TRUE(area.lead.empty());
        EXPECT_TRUE(area.co_lead.empty());
    }
}

TEST(read_mali, no_publications_and_plain_typography) {
    EXPECT_TRUE(mali().publications.empty());
    // The source keeps plain spaces and straight apostrophes: the locale stage adds the rest.
    for (const Text& p : mali().intro) {
        EXPECT_EQ(p.fr.find("\xC2\xA0"), std::string::npos);
        EXPECT_EQ(p.fr.find("\xE2\x80\x99"), std::string::npos);
    }
}

TEST(read_mali, positions_point_at_elements) {
    EXPECT_EQ(format_pos(mali().figures[0].pos).ends_with("input/mali.xml:76:5"), true);
    EXPECT_EQ(mali().team[0].pos.line, 91);
    EXPECT_EQ(mali().team[0].pos.col, 5);
}

TEST(read_operation, unreadable_file_is_an_error_naming_it) {
    try {
        read_operation("no/such/source.xml");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "no/such/source.xml: error: cannot read no/such/source.xml: no such file or "
                     "directory");
    }
}

TEST(lang_code, names_both_editions) {
    EXPECT_STREQ(lang_code(Lang::en), "en");
    EXPECT_STREQ(lang_code(Lang::fr), "fr");
}
