// The translatable texts of a source as the round trip finds them in its bytes: the same texts the
// reader reads, under stable ids, with their fingerprints and states.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/test_paths.hpp"
#include "source/source.hpp"
#include "xliff/texts.hpp"

using namespace factsheet;
using namespace factsheet::xliff;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> input_sources() {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(test::source_path("input")))
        if (entry.path().extension() == ".xml") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

SourceTexts locate_file(const std::string& path) {
    return locate_texts(test::read_file(path), path);
}

const SourceText& find(const SourceTexts& source, const std::string& id) {
    for (const SourceText& text : source.texts)
        if (text.id == id) return text;
    throw std::runtime_error("no text " + id);
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("not found: " + from);
    return text.replace(at, from.size(), to);
}

// Every text the reader reads, in English and French.
std::multiset<std::pair<std::string, std::string>> reader_texts(const Operation& op) {
    std::multiset<std::pair<std::string, std::string>> out;
    auto add = [&](const Text& t) { out.emplace(t.en, t.fr); };
    add(op.country);
    add(op.cluster);
    add(op.source);
    for (const Organisation& o : op.organisations) {
        add(o.acronym);
        add(o.name);
    }
    for (const auto* list : {&op.intro, &op.protection_issues, &op.cluster_operation})
        for (const Text& t : *list) add(t);
    for (const Area& a : op.areas) {
        add(a.name);
        if (a.acronym) add(*a.acronym);
    }
    for (const Figure& f : op.figures) add(f.label);
    for (const Member& m : op.team)
        if (m.role) add(*m.role);
    for (const Publication& p : op.publications) add(p.title);
    for (const Place& p : op.places) add(p.name);
    return out;
}

TEST(Texts, are_the_texts_the_reader_reads_in_every_source_under_unique_ids) {
    for (const std::string& file : input_sources()) {
        SourceTexts source = locate_file(file);
        Operation op = read_operation(file);
        std::multiset<std::pair<std::string, std::string>> found;
        std::set<std::string> ids;
        std::size_t previous = 0;
        for (const SourceText& text : source.texts) {
            found.emplace(text.en.text, text.fr.text);
            EXPECT_TRUE(ids.insert(text.id).second) << file << ": " << text.id << " twice";
            EXPECT_GT(text.start, previous) << file << ": " << text.id << " out of the order written";
            previous = text.start;
        }
        EXPECT_EQ(found, reader_texts(op)) << file;
        EXPECT_EQ(source.operation_id, op.id);
    }
}

TEST(Texts, of_mali_are_named_by_ids_where_elements_have_them_and_positions_otherwise) {
    SourceTexts mali = locate_file(test::source_path("input/mali.xml"));
    std::vector<std::string> ids;
    for (const SourceText& text : mali.texts) ids.push_back(text.id);
    std::vector<std::string> expected = {"country",
                                         "cluster",
                                         "source",
                                         "organisation[unhcr]/acronym",
                                         "organisation[unhcr]/name",
                                         "organisation[drc]/acronym",
                                         "organisation[drc]/name",
                                         "intro/p[1]",
                                         "intro/p[2]",
                                         "intro/p[3]",
                                         "protection-issues/p[1]",
                                         "cluster-operation/p[1]",
                                         "area[gbv]/name",
                                         "area[gbv]/acronym",
                                         "area[cp]/name",
                                         "area[cp]/acronym",
                                         "area[ma]/name",
                                         "area[ma]/acronym",
                                         "area[hlp]/name",
                                         "area[hlp]/acronym",
                                         "figure[pin]/label",
                                         "figure[targeted]/label",
                                         "figure[requirements]/label",
                                         "figure[funded]/label",
                                         "team/member[1]/role",
                                         "team/member[2]/role",
                                         "team/member[3]/role",
                                         "places/place[1]"};
    EXPECT_EQ(ids, expected);
    const SourceText& label = find(mali, "figure[targeted]/label");
    EXPECT_EQ(label.context, "Label of key figure targeted");
    EXPECT_EQ(label.max_chars, max_short_text_chars);
    EXPECT_EQ(format_pos(label.pos), mali.file + ":80:7");
    EXPECT_EQ(format_pos(label.fr.pos), mali.file + ":80:38");
    EXPECT_EQ(mali.bytes.substr(label.fr.content_start, label.fr.content_end - label.fr.content_start),
              "Personnes ciblées");
    EXPECT_EQ(mali.bytes.substr(label.fr.start, label.fr.end - label.fr.start), "<fr>Personnes ciblées</fr>");
    EXPECT_EQ(find(mali, "team/member[2]/role").context, "Role of team member 2 (Azeto Carine Ouedraogo)");
    EXPECT_EQ(find(mali, "intro/p[2]").context, "Introduction, paragraph 2");
    EXPECT_EQ(find(mali, "places/place[1]").max_chars, max_acronym_chars);
}

TEST(Texts, ends_of_elements_are_not_fooled_by_comments_cdata_or_quotes) {
    std::string xml = test::read_file(test::source_path("input/mali.xml"));
    xml = replace_once(xml, "<fr>Personnes ciblées</fr>",
                       "<fr from='a>b/c'>Personnes <!-- </fr> --><![CDATA[ciblées</fr>]]></fr>");
    SourceTexts source = locate_texts(xml, "m.xml");
    const LanguageElement& fr = find(source, "figure[targeted]/label").fr;
    EXPECT_EQ(fr.text, "Personnes ciblées</fr>");
    EXPECT_EQ(fr.fingerprint, "a>b/c");
    EXPECT_EQ(xml.substr(fr.start, fr.end - fr.start),
              "<fr from='a>b/c'>Personnes <!-- </fr> --><![CDATA[ciblées</fr>]]></fr>");
    EXPECT_EQ(xml.substr(fr.content_end, 5), "</fr>");
}

TEST(Texts, a_missing_or_empty_language_is_listed_absent_or_empty) {
    std::string xml = test::read_file(test::source_path("input/mali.xml"));
    xml = replace_once(xml, "<fr>Personnes ciblées</fr>", "");
    xml = replace_once(xml, "<fr>Fonds requis</fr>", "<fr/>");
    SourceTexts source = locate_texts(xml, "m.xml");
    const SourceText& targeted = find(source, "figure[targeted]/label");
    EXPECT_FALSE(targeted.fr.present);
    EXPECT_EQ(translation_state(targeted, Lang::fr), TranslationState::missing);
    const SourceText& requirements = find(source, "figure[requirements]/label");
    EXPECT_TRUE(requirements.fr.present);
    EXPECT_TRUE(requirements.fr.self_closing);
    EXPECT_EQ(translation_state(requirements, Lang::fr), TranslationState::missing);
    TranslationReport report = check_translations(source, Lang::fr);
    EXPECT_EQ(report.missing, 2u);
    ASSERT_EQ(report.problems.size(), 2u);
    EXPECT_EQ(format_error(report.problems[0]),
              "m.xml:80:7: error: figure[targeted]/label has no French text; have it translated (factsheet "
              "xliff export lists it as new)");
    EXPECT_EQ(format_error(report.problems[1]),
              "m.xml:83:43: error: figure[requirements]/label has an empty French text; have it translated "
              "(factsheet xliff export lists it as new)");
}

TEST(Fingerprints, are_8_hex_digits_of_the_sha256_of_the_collapsed_text) {
    // python3 -c "import hashlib; print(hashlib.sha256('People in Need'.encode()).hexdigest()[:8])"
    EXPECT_EQ(text_fingerprint("People in Need"), "1c6bc475");
    EXPECT_EQ(text_fingerprint("  People\n   in Need "), "1c6bc475");
    EXPECT_EQ(text_fingerprint("Une introduction."), "3a1f106a");
    EXPECT_NE(text_fingerprint("People in need"), "1c6bc475");
}

TEST(Fingerprints, tell_fresh_stale_and_unchecked_translations_apart) {
    SourceTexts source = locate_file(test::source_path("tests/source/fingerprints.xml"));
    EXPECT_EQ(translation_state(find(source, "intro/p[1]"), Lang::en), TranslationState::fresh);
    EXPECT_EQ(translation_state(find(source, "intro/p[1]"), Lang::fr), TranslationState::unchecked);
    EXPECT_EQ(translation_state(find(source, "figure[pin]/label"), Lang::fr), TranslationState::fresh);
    EXPECT_EQ(translation_state(find(source, "team/member[1]/role"), Lang::fr), TranslationState::stale);
    EXPECT_EQ(translation_state(find(source, "country"), Lang::fr), TranslationState::unchecked);

    TranslationReport fr = check_translations(source, Lang::fr);
    EXPECT_EQ(fr.fresh, 1u);
    EXPECT_EQ(fr.stale, 1u);
    EXPECT_EQ(fr.missing, 0u);
    EXPECT_EQ(fr.unchecked, fr.texts - 2);
    ASSERT_EQ(fr.problems.size(), 1u);
    EXPECT_EQ(fr.problems[0].pos.line, 31);
    EXPECT_EQ(fr.problems[0].pos.col, 33);
    EXPECT_EQ(fr.problems[0].message,
              "the French text of team/member[1]/role is stale: the English changed since it was translated; "
              "have it reviewed (factsheet xliff export marks it needs-review-translation)");
    TranslationReport en = check_translations(source, Lang::en);
    EXPECT_EQ(en.fresh, 1u);
    EXPECT_TRUE(en.problems.empty());
}

TEST(Texts, of_a_file_that_is_not_a_safe_source_are_refused_where_it_goes_wrong) {
    EXPECT_EQ(test::error_text([] { locate_texts("<operation>\xff</operation>", "b.xml"); }),
              "b.xml:1:12: error: the text is not valid UTF-8 here; save the file as UTF-8");
    EXPECT_EQ(
        test::error_text([] {
            locate_texts("<?xml version=\"1.0\"?>\n<!DOCTYPE operation [<!ENTITY x \"y\">]>\n<operation/>",
                         "d.xml");
        }),
        "d.xml:2:1: error: a DOCTYPE is not allowed in a source; remove the <!DOCTYPE ...> declaration");
    EXPECT_EQ(test::error_text([] { locate_texts("\n<xliff/>", "x.xml"); }),
              "x.xml:2:1: error: the root element must be <operation>, not <xliff>");
    EXPECT_NE(test::error_text([] { locate_texts("<operation><p>", "m.xml"); }), "no error");
}

}  // namespace
