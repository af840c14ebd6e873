// Reading tests/source/format2.xml: the optional parts of the format, present and absent.
#include <gtest/gtest.h>

#include "common/test_paths.hpp"
#include "source/source.hpp"

using namespace factsheet;

namespace {

const Operation& format2() {
    static const Operation op = read_operation(test::source_path("tests/source/format2.xml"));
    return op;
}

}  // namespace

TEST(read_format2, format_and_organisation_types) {
    EXPECT_EQ(format2().format, 2);
    const auto& orgs = format2().organisations;
    ASSERT_EQ(orgs.size(), 6u);
    EXPECT_EQ(orgs[0].type, OrganisationType::un_agency);
    EXPECT_EQ(orgs[2].type, OrganisationType::ingo);
    EXPECT_EQ(orgs[4].type, OrganisationType::government);
    EXPECT_FALSE(orgs[5].type.has_value());
}

TEST(read_format2, several_co_coordinators_and_bodies_of_several_kinds) {
    EXPECT_EQ(format2().lead, "unhcr");
    EXPECT_EQ(format2().co_coordinators, (std::vector<std::string>{"drc", "nrc"}));
    const auto& areas = format2().areas;
    ASSERT_EQ(areas.size(), 4u);
    EXPECT_EQ(areas[0].kind, AreaKind::aor);
    EXPECT_EQ(areas[0].lead, std::vector<std::string>{"unicef"});
    EXPECT_EQ(areas[0].co_lead, std::vector<std::string>{"local-ngo"});
    EXPECT_EQ(areas[0].acronym->fr, "PE");
    EXPECT_EQ(areas[1].kind, AreaKind::working_group);
    EXPECT_FALSE(areas[1].acronym.has_value());
    EXPECT_EQ(areas[2].lead, (std::vector<std::string>{"unhcr", "ministry"}));
    EXPECT_EQ(areas[2].co_lead, std::vector<std::string>{"drc"});
    EXPECT_EQ(areas[3].kind, AreaKind::hub);
    EXPECT_TRUE(areas[3].lead.empty());
}

TEST(read_format2, no_figures_and_members_with_only_some_details) {
    EXPECT_TRUE(format2().figures.empty());
    EXPECT_EQ(format2().funding_required, "");
    const auto& team = format2().team;
    ASSERT_EQ(team.size(), 4u);
    EXPECT_EQ(team[0].phone, "+235 66 00 00 00");
    EXPECT_EQ(team[0].email, "example@unhcr.org");
    EXPECT_EQ(team[1].organisation, "nrc");
    EXPECT_FALSE(team[1].role.has_value());
    EXPECT_EQ(team[1].email, "");
    EXPECT_EQ(team[2].organisation, "");
    EXPECT_EQ(team[2].role->en, "Information Management Officer");
    EXPECT_EQ(team[3].phone, "(0)22 51 00 00");
    EXPECT_EQ(team[3].email, "");
}
