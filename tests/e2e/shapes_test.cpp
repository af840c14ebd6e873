// Operations of shapes the seed does not have, made from the Mali source by replacing its team
// and coordination bodies: large teams, members with a name only, a 60-character e-mail address,
// twelve bodies of every kind. Each builds with --strict (a word broken between letters is an
// error) and its PDFs are read back.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/test_paths.hpp"

using namespace factsheet;

namespace {

// 60 characters, one unbreakable word.
const std::string long_email = "coordinations.protection.sous-national.tillaberi@example.org";

std::string replace_between(std::string text, const std::string& open, const std::string& close,
                            const std::string& with) {
    std::size_t a = text.find(open), b = text.find(close);
    if (a == std::string::npos || b == std::string::npos) throw std::runtime_error("no " + open);
    return text.substr(0, a) + with + text.substr(b + close.size());
}

// A team of `n`: every third member has a role, every fourth an organisation, the second the
// long e-mail address, every fifth a phone; the rest a name only.
std::string team(int n) {
    std::string out = "<team>\n";
    for (int i = 1; i <= n; ++i) {
        out += std::string("<member") + (i % 4 == 0 ? " organisation=\"unhcr\"" : "") + ">";
        out += "<name>Member Number " + std::to_string(i) + "</name>";
        if (i % 3 == 0)
            out += "<role><en>Information Management Officer</en><fr>Chargé de l'information</fr></role>";
        if (i == 2) out += "<email>" + long_email + "</email>";
        if (i % 5 == 0) out += "<phone>+223 20 22 55 8" + std::to_string(i % 10) + "</phone>";
        out += "</member>\n";
    }
    return out + "</team>";
}

std::string areas(int n) {
    static const char* kinds[] = {"aor", "working-group", "task-force", "sub-national", "hub"};
    std::string out = "<areas>\n";
    for (int i = 1; i <= n; ++i) {
        out += std::string("<area id=\"a") + std::to_string(i) + "\" kind=\"" + kinds[i % 5] + "\"" +
               (i % 2 ? " lead=\"unhcr\"" : "") + (i % 3 == 0 ? " co-lead=\"drc\"" : "") + ">";
        out += "<name><en>Body Number " + std::to_string(i) + "</en><fr>Organe de coordination " +
               std::to_string(i) + "</fr></name>";
        if (i % 2)
            out +=
                "<acronym><en>CB" + std::to_string(i) + "</en><fr>OC" + std::to_string(i) + "</fr></acronym>";
        out += "</area>\n";
    }
    return out + "</areas>";
}

struct Built {
    int exit_code = 0;
    std::string err, en, fr;
};

Built build(const std::string& xml) {
    std::string dir = test::make_temp_dir();
    std::string source = dir + "/shape.xml";
    test::write_file(source, xml);
    test::RunResult r = test::run(test::binary_path() + " -q build --strict " + source + " --out " + dir);
    Built b{r.exit_code, r.err, "", ""};
    if (r.exit_code == 0) {
        b.en = test::run("pdftotext -raw " + dir + "/mali-en.pdf -").out;
        b.fr = test::run("pdftotext -raw " + dir + "/mali-fr.pdf -").out;
    }
    std::filesystem::remove_all(dir);
    return b;
}

// Whether `text` holds `word` on one line, not followed by more of a word ("Member Number 1" is
// not found in "Member Number 12").
bool has_whole(const std::string& text, const std::string& word) {
    for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        std::size_t end = at + word.size();
        if (end == text.size() || text[end] == ' ' || text[end] == '\n') return true;
    }
    return false;
}

std::string mali() {
    return test::read_file(test::source_path("input/mali.xml"));
}

}  // namespace

TEST(shapes, teams_of_1_to_16_build_and_every_name_and_address_reads_whole) {
    for (int n : {1, 2, 5, 8, 12, 16}) {
        Built b = build(replace_between(mali(), "<team>", "</team>", team(n)));
        ASSERT_EQ(b.exit_code, 0) << n << " members: " << b.err;
        for (int i = 1; i <= n; ++i) {
            std::string name = "Member Number " + std::to_string(i);
            EXPECT_TRUE(has_whole(b.en, name)) << n << " members: " << name;
            EXPECT_TRUE(has_whole(b.fr, name)) << n << " members: " << name;
        }
        if (n >= 2) {
            EXPECT_TRUE(has_whole(b.en, long_email)) << n << " members";
            EXPECT_TRUE(has_whole(b.fr, long_email)) << n << " members";
        }
    }
}

TEST(shapes, a_member_with_a_name_only_prints_nothing_else) {
    Built b = build(replace_between(mali(), "<team>", "</team>", team(2)));
    ASSERT_EQ(b.exit_code, 0) << b.err;
    // Member 1 has a name only: no role, organisation or address line, nor an empty one.
    // pdftotext -raw reads a row of cards as one line: member 1's card adds nothing to it.
    std::size_t at = b.en.find("Member Number 1 Member Number 2\n");
    EXPECT_NE(at, std::string::npos) << b.en;
    std::string dir = test::make_temp_dir();
    test::write_file(dir + "/shape.xml", replace_between(mali(), "<team>", "</team>", team(2)));
    std::string markup = test::run(test::binary_path() + " markup " + dir + "/shape.xml").out;
    std::filesystem::remove_all(dir);
    EXPECT_EQ(markup.find("\"></p>"), std::string::npos) << "an empty paragraph";
    EXPECT_EQ(markup.find("href=\"mailto:\""), std::string::npos);
    EXPECT_EQ(test::count(markup, "href=\"mailto:"), 1u);  // member 2's address only
}

TEST(shapes, twelve_coordination_bodies_of_every_kind_and_no_team) {
    std::string xml = replace_between(mali(), "<areas>", "</areas>", areas(12));
    xml = replace_between(xml, "<team>", "</team>", "");
    Built b = build(xml);
    ASSERT_EQ(b.exit_code, 0) << b.err;
    for (const char* label : {"Areas of Responsibility", "Working Groups", "Task Forces", "Hubs"})
        EXPECT_NE(b.en.find(label), std::string::npos) << label;
    EXPECT_EQ(b.en.find("Coordination Team"), std::string::npos);
    for (int i = 1; i <= 12; ++i) EXPECT_TRUE(has_whole(b.en, "Body Number " + std::to_string(i))) << i;
}

TEST(shapes, no_figures_and_no_funding_pair) {
    std::string xml = replace_between(mali(), "<figures ", "</figures>", "");
    Built b = build(xml);
    ASSERT_EQ(b.exit_code, 0) << b.err;
    EXPECT_EQ(b.en.find("Key Figures"), std::string::npos);
    EXPECT_EQ(b.en.find("Funding coverage"), std::string::npos);
    EXPECT_NE(b.en.find("Protection Issues"), std::string::npos);
}
