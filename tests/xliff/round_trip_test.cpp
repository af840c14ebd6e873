// Export and import in memory: what comes back changes only the texts that changed, byte for
// byte, records their fingerprints, and refuses what the source cannot take at its place in the
// XLIFF.
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "common/test_paths.hpp"
#include "source/source.hpp"
#include "xliff/xliff.hpp"

using namespace factsheet;
using namespace factsheet::xliff;
namespace fs = std::filesystem;

namespace {

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("not found: " + from);
    return text.replace(at, from.size(), to);
}

std::string mali() {
    return test::read_file(test::source_path("input/mali.xml"));
}

std::string export_of(const std::string& source, Lang target = Lang::fr,
                      const std::string& file = "mali.xml") {
    ExportOptions options;
    options.target = target;
    options.original = file;
    options.tool_version = "test";
    return export_xliff(locate_texts(source, file), options);
}

ImportResult import_into(const std::string& source, const std::string& xliff, ImportOptions options = {},
                         const std::string& file = "mali.xml") {
    return import_xliff(parse_xliff(xliff, "t.xlf"), locate_texts(source, file), options);
}

// The XLIFF with the target of unit `id` set to `text` (escaped by the caller) and its state to `state`.
std::string with_target(const std::string& xliff, const std::string& id, const std::string& text,
                        const std::string& state = "translated") {
    std::size_t unit = xliff.find("<trans-unit id=\"" + id + "\"");
    if (unit == std::string::npos) throw std::runtime_error("no unit " + id);
    std::size_t end = xliff.find("</trans-unit>", unit);
    std::size_t target = xliff.find("<target", unit);
    std::string element = "<target state=\"" + state + "\">" + text + "</target>";
    std::string out = xliff;
    if (target != std::string::npos && target < end) {
        std::size_t close = xliff.find("</target>", target) + 9;
        return out.replace(target, close - target, element);
    }
    std::size_t source_end = xliff.find("</source>", unit) + 9;
    return out.insert(source_end, "\n        " + element);
}

std::vector<std::string> input_sources() {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(test::source_path("input")))
        if (entry.path().extension() == ".xml") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

TEST(RoundTrip, an_unchanged_xliff_leaves_every_source_byte_identical_in_both_directions) {
    for (const std::string& file : input_sources()) {
        std::string source = test::read_file(file);
        for (Lang target : {Lang::fr, Lang::en}) {
            ImportResult r = import_into(source, export_of(source, target, file), {}, file);
            EXPECT_TRUE(r.changes.empty()) << file;
            EXPECT_EQ(r.bytes, source) << file;
            EXPECT_EQ(r.untranslated, 0u);
            EXPECT_EQ(r.unchanged, locate_texts(source, file).texts.size());
            EXPECT_FALSE(r.source_changed);
        }
    }
}

TEST(RoundTrip, the_export_is_xliff_1_2_with_one_unit_per_text) {
    std::string xliff = export_of(mali());
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(xliff.c_str()));
    pugi::xml_node root = doc.document_element();
    EXPECT_STREQ(root.name(), "xliff");
    EXPECT_STREQ(root.attribute("version").value(), "1.2");
    EXPECT_STREQ(root.attribute("xmlns").value(), "urn:oasis:names:tc:xliff:document:1.2");
    pugi::xml_node file = root.child("file");
    EXPECT_STREQ(file.attribute("original").value(), "mali.xml");
    EXPECT_STREQ(file.attribute("source-language").value(), "en");
    EXPECT_STREQ(file.attribute("target-language").value(), "fr");
    EXPECT_STREQ(file.attribute("datatype").value(), "plaintext");
    EXPECT_STREQ(file.attribute("fs:operation").value(), "mali");
    EXPECT_EQ(std::string(file.attribute("fs:source-sha256").value()).size(), 64u);
    std::size_t units = 0;
    for (pugi::xml_node unit : file.child("body").children("trans-unit")) {
        ++units;
        EXPECT_TRUE(unit.child("source")) << unit.attribute("id").value();
        EXPECT_STREQ(unit.child("target").attribute("state").value(), "translated");
        EXPECT_TRUE(unit.child("note")) << unit.attribute("id").value();
    }
    EXPECT_EQ(units, 28u);
    EXPECT_NE(
        xliff.find("      <trans-unit id=\"figure[targeted]/label\" approved=\"yes\" size-unit=\"char\" "
                   "maxwidth=\"300\">\n"
                   "        <source>People Targeted</source>\n"
                   "        <target state=\"translated\">Personnes ciblées</target>\n"
                   "        <note from=\"factsheet\">Label of key figure targeted; mali.xml:80:38</note>\n"
                   "      </trans-unit>\n"),
        std::string::npos)
        << xliff;
    // Apostrophes stay as translators write them; only & < > are escaped in texts.
    EXPECT_NE(xliff.find("<target state=\"translated\">Global Protection Cluster, page de l'opération"),
              std::string::npos);
}

TEST(RoundTrip, a_changed_target_replaces_only_that_text_and_records_its_fingerprint) {
    std::string source = mali();
    std::string xliff = with_target(export_of(source), "figure[targeted]/label", "  Personnes\n   visées ");
    ImportResult r = import_into(source, xliff);
    std::string expected =
        replace_once(source, "<fr>Personnes ciblées</fr>",
                     "<fr from=\"" + text_fingerprint("People Targeted") + "\">Personnes visées</fr>");
    EXPECT_EQ(r.bytes, expected);
    ASSERT_EQ(r.changes.size(), 1u);
    EXPECT_EQ(r.changes[0].kind, UnitChange::updated);
    EXPECT_EQ(r.changes[0].id, "figure[targeted]/label");
    EXPECT_EQ(format_pos(r.changes[0].pos), "mali.xml:80:38");
    EXPECT_EQ(r.unchanged, 27u);
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_EQ(parse_operation(r.bytes, "mali.xml").figures.at(1).label.fr, "Personnes visées");

    // Imported again, into the source it wrote: nothing more changes.
    ImportResult again = import_into(r.bytes, xliff);
    EXPECT_TRUE(again.changes.empty());
    EXPECT_EQ(again.bytes, r.bytes);
    EXPECT_TRUE(again.source_changed);
}

TEST(RoundTrip, a_source_with_a_byte_order_mark_and_crlf_line_ends_keeps_them) {
    std::string source = "\xEF\xBB\xBF" + std::regex_replace(mali(), std::regex("\n"), "\r\n");
    EXPECT_EQ(import_into(source, export_of(source)).bytes, source);
    ImportResult r =
        import_into(source, with_target(export_of(source), "figure[targeted]/label", "Personnes visées"));
    EXPECT_EQ(r.bytes,
              replace_once(source, "<fr>Personnes ciblées</fr>",
                           "<fr from=\"" + text_fingerprint("People Targeted") + "\">Personnes visées</fr>"));
    EXPECT_EQ(format_pos(r.changes.at(0).pos), "mali.xml:80:38");
    std::string draft = replace_once(source, "\r\n      <fr>La crise", "<fr>La crise");
    std::size_t cut = draft.find("<fr>La crise");
    draft.erase(cut, draft.find("</fr>", cut) + 5 - cut);
    r = import_into(draft, export_of(source));
    EXPECT_EQ(
        r.bytes,
        replace_once(source, "<fr>La crise",
                     "<fr from=\"" + text_fingerprint(locate_texts(source, "mali.xml").texts.at(7).en.text) +
                         "\">La crise"));
}

TEST(RoundTrip, texts_are_escaped_into_the_source_and_read_back_as_written) {
    std::string source = mali();
    std::string xliff =
        with_target(export_of(source), "intro/p[2]", "Moins de &lt;5 ans &amp; « autres » l'été");
    ImportResult r = import_into(source, xliff);
    EXPECT_NE(r.bytes.find(">Moins de &lt;5 ans &amp; « autres » l'été</fr>"), std::string::npos);
    EXPECT_EQ(parse_operation(r.bytes, "mali.xml").intro.at(1).fr, "Moins de <5 ans & « autres » l'été");
}

TEST(RoundTrip, a_fingerprint_already_there_is_replaced_in_place) {
    std::string source =
        replace_once(mali(), "<fr>Personnes ciblées</fr>", "<fr from=\"00000000\">Personnes ciblées</fr>");
    ImportResult r =
        import_into(source, with_target(export_of(source), "figure[targeted]/label", "Personnes visées"));
    EXPECT_EQ(r.bytes,
              replace_once(source, "<fr from=\"00000000\">Personnes ciblées</fr>",
                           "<fr from=\"" + text_fingerprint("People Targeted") + "\">Personnes visées</fr>"));
}

TEST(RoundTrip, a_missing_french_is_inserted_after_its_english_with_the_same_indentation) {
    std::string original = mali();
    std::size_t p = original.find("<fr>La crise que traverse");
    std::size_t p_end = original.find("</fr>", p) + 5;
    std::string paragraph = original.substr(p, p_end - p);
    // A draft: the first paragraph's French (on a line of its own) and a label's (inline) left out.
    std::string draft = replace_once(original, "\n      " + paragraph, "");
    draft = replace_once(draft, "<fr>Personnes ciblées</fr>", "");
    SourceTexts texts = locate_texts(draft, "mali.xml");
    EXPECT_FALSE(texts.texts.at(7).fr.present);

    ImportResult r = import_into(draft, export_of(original));
    std::string expected =
        replace_once(original, "<fr>La crise",
                     "<fr from=\"" + text_fingerprint(texts.texts.at(7).en.text) + "\">La crise");
    expected =
        replace_once(expected, "<fr>Personnes ciblées</fr>",
                     "<fr from=\"" + text_fingerprint("People Targeted") + "\">Personnes ciblées</fr>");
    EXPECT_EQ(r.bytes, expected);
    ASSERT_EQ(r.changes.size(), 2u);
    EXPECT_EQ(r.changes[0].kind, UnitChange::added);
    EXPECT_EQ(format_pos(r.changes[0].pos), "mali.xml:31:7");
    EXPECT_EQ(format_pos(r.changes[1].pos), "mali.xml:80:38");
}

TEST(RoundTrip, an_empty_french_is_filled) {
    std::string draft = replace_once(mali(), "<fr>Personnes ciblées</fr>", "<fr/>");
    ImportResult r = import_into(draft, export_of(mali()));
    EXPECT_EQ(r.bytes, replace_once(mali(), "<fr>Personnes ciblées</fr>",
                                    "<fr from=\"" + text_fingerprint("People Targeted") +
                                        "\">Personnes ciblées</fr>"));
    ASSERT_EQ(r.changes.size(), 1u);
    EXPECT_EQ(r.changes[0].kind, UnitChange::added);
}

TEST(RoundTrip, a_missing_english_is_inserted_before_its_french_for_a_translation_into_english) {
    std::string original = mali();
    std::string draft = replace_once(original, "<en>People Targeted</en>", "");
    draft = replace_once(draft, "<en>Danish Refugee Council</en>", "");
    std::string xliff = export_of(original, Lang::en);
    EXPECT_NE(xliff.find("source-language=\"fr\" target-language=\"en\""), std::string::npos);
    ImportResult r = import_into(draft, xliff);
    std::string expected =
        replace_once(original, "<en>People Targeted</en>",
                     "<en from=\"" + text_fingerprint("Personnes ciblées") + "\">People Targeted</en>");
    expected = replace_once(expected, "<en>Danish Refugee Council</en>",
                            "<en from=\"" + text_fingerprint("Conseil danois pour les réfugiés") +
                                "\">Danish Refugee Council</en>");
    EXPECT_EQ(r.bytes, expected);
}

TEST(RoundTrip, targets_left_untranslated_change_nothing) {
    std::string source = mali();
    std::string xliff = export_of(source);
    xliff = with_target(xliff, "figure[targeted]/label", "", "new");
    xliff = with_target(xliff, "figure[pin]/label", "People in Need", "needs-translation");
    xliff = replace_once(xliff, "<target state=\"translated\">Fonds requis</target>", "");
    ImportResult r = import_into(source, xliff);
    EXPECT_TRUE(r.changes.empty());
    EXPECT_EQ(r.bytes, source);
    EXPECT_EQ(r.untranslated, 3u);
}

TEST(Staleness, an_english_changed_after_an_import_makes_its_french_stale_until_reviewed) {
    std::string source = mali();
    source = import_into(source, with_target(export_of(source), "figure[targeted]/label", "Personnes visées"))
                 .bytes;
    SourceTexts imported = locate_texts(source, "mali.xml");
    EXPECT_EQ(check_translations(imported, Lang::fr).fresh, 1u);

    source = replace_once(source, "<en>People Targeted</en>", "<en>People Reached</en>");
    TranslationReport report = check_translations(locate_texts(source, "mali.xml"), Lang::fr);
    EXPECT_EQ(report.stale, 1u);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(format_pos(report.problems[0].pos), "mali.xml:80:37");

    std::string xliff = export_of(source);
    EXPECT_NE(xliff.find("<source>People Reached</source>\n"
                         "        <target state=\"needs-review-translation\">Personnes visées</target>"),
              std::string::npos);
    // Sent back as it went: nothing changes, the French stays stale.
    ImportResult untouched = import_into(source, xliff);
    EXPECT_EQ(untouched.bytes, source);
    EXPECT_EQ(
        xliff.find("approved=\"yes\" size-unit=\"char\" maxwidth=\"300\">\n        <source>People Reached"),
        std::string::npos);
    // Approved in a tool that marks translations so: the same as marked translated.
    ImportResult approved =
        import_into(source, replace_once(xliff, "id=\"figure[targeted]/label\"",
                                         "id=\"figure[targeted]/label\" approved=\"yes\""));
    ASSERT_EQ(approved.changes.size(), 1u);
    EXPECT_EQ(approved.changes[0].kind, UnitChange::confirmed);
    // The translator checked it and marked it translated: its fingerprint is renewed, its text kept.
    ImportResult reviewed = import_into(
        source, replace_once(xliff, "state=\"needs-review-translation\"", "state=\"translated\""));
    ASSERT_EQ(reviewed.changes.size(), 1u);
    EXPECT_EQ(reviewed.changes[0].kind, UnitChange::confirmed);
    EXPECT_EQ(reviewed.bytes,
              replace_once(source, text_fingerprint("People Targeted"), text_fingerprint("People Reached")));
    EXPECT_EQ(check_translations(locate_texts(reviewed.bytes, "mali.xml"), Lang::fr).stale, 0u);
}

TEST(Staleness, a_translation_of_an_english_changed_since_the_export_is_recorded_against_the_exported_one) {
    std::string source = mali();
    std::string xliff = with_target(export_of(source), "figure[targeted]/label", "Personnes visées");
    source = replace_once(source, "<en>People Targeted</en>", "<en>People Reached</en>");
    ImportResult r = import_into(source, xliff);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(
        format_warning(r.warnings[0]),
        "mali.xml:80:37: warning: the English of figure[targeted]/label is not the one in the XLIFF (it "
        "changed since the export): its French is recorded as translated from the XLIFF's English, so "
        "factsheet translations reports it stale until it is reviewed");
    EXPECT_NE(r.bytes.find("<fr from=\"" + text_fingerprint("People Targeted") + "\">Personnes visées</fr>"),
              std::string::npos);
    EXPECT_EQ(check_translations(locate_texts(r.bytes, "mali.xml"), Lang::fr).stale, 1u);
    EXPECT_TRUE(r.source_changed);
}

TEST(Staleness, unchanged_texts_without_fingerprint_get_one_when_signed_off_or_confirmed) {
    std::string source = mali();
    std::string xliff = export_of(source);
    EXPECT_EQ(import_into(source, xliff).bytes, source);  // state translated: left alone
    ImportOptions confirm;
    confirm.confirm = true;
    ImportResult confirmed = import_into(source, xliff, confirm);
    EXPECT_EQ(confirmed.changes.size(), 28u);
    EXPECT_EQ(check_translations(locate_texts(confirmed.bytes, "mali.xml"), Lang::fr).fresh, 28u);
    EXPECT_EQ(import_into(confirmed.bytes, xliff, confirm).bytes, confirmed.bytes);

    ImportResult signed_off =
        import_into(source, replace_once(xliff, "<target state=\"translated\">Personnes ciblées",
                                         "<target state=\"final\">Personnes ciblées"));
    ASSERT_EQ(signed_off.changes.size(), 1u);
    EXPECT_EQ(signed_off.changes[0].kind, UnitChange::confirmed);
    // approved="yes" alone (as the Translate Toolkit's tools mark a translation) claims no review.
    EXPECT_EQ(
        import_into(source, replace_once(xliff, "<trans-unit id=\"figure[targeted]/label\" approved=\"yes\"",
                                         "<trans-unit id=\"figure[targeted]/label\""))
            .bytes,
        source);
}

// The diagnostics of an import that must fail, formatted.
std::string refusal(const std::string& source, const std::string& xliff, ImportOptions options = {}) {
    return test::error_text([&] { import_into(source, xliff, options); });
}

TEST(Refusals, a_target_the_source_cannot_take_is_told_at_the_target) {
    std::string xliff = with_target(export_of(mali()), "figure[targeted]/label", std::string(301, 'x'));
    std::size_t line =
        static_cast<std::size_t>(std::count(
            xliff.begin(), xliff.begin() + static_cast<std::ptrdiff_t>(xliff.find(std::string(301, 'x'))),
            '\n')) +
        1;
    EXPECT_EQ(
        refusal(mali(), xliff),
        "t.xlf:" + std::to_string(line) +
            ":9: error: the French text of figure[targeted]/label is refused: <fr> of <label> of figure "
            "\"targeted\" has 301 characters; at most 300 are allowed");
}

TEST(Refusals, a_problem_the_source_had_already_is_told_where_it_is_in_the_source) {
    std::string source = replace_once(mali(), "koti@unhcr.org", "koti@unhcr");
    // With nothing to change, nothing is written and nothing is checked.
    EXPECT_EQ(import_into(source, export_of(mali())).bytes, source);
    std::string xliff = with_target(export_of(mali()), "intro/p[1]", "Court.");
    EXPECT_EQ(
        refusal(source, xliff),
        "mali.xml:104:7: error: email \"koti@unhcr\" of team member \"Pierrot Koti\" is not a valid address "
        "(local@domain.tld, without spaces)");
}

TEST(Refusals, the_validator_given_decides_and_its_problems_are_told_at_the_units) {
    ImportOptions options;
    options.validate = [](std::string_view xml, const std::string& file) {
        std::size_t at = xml.find("visées");
        if (at != std::string_view::npos) throw Error(LineMap(file, xml).at(at + 2), "no such word here");
    };
    std::string xliff = with_target(export_of(mali()), "figure[targeted]/label", "Personnes visées");
    std::string message = refusal(mali(), xliff, options);
    EXPECT_NE(
        message.find(": error: the French text of figure[targeted]/label is refused: no such word here"),
        std::string::npos)
        << message;
}

TEST(Refusals, an_xliff_of_another_operation_or_unknown_ids_are_refused) {
    std::string xliff = export_of(mali());
    EXPECT_EQ(
        refusal(replace_once(mali(), "id=\"mali\"", "id=\"niger\""), xliff),
        "t.xlf:3:" + std::to_string(xliff.substr(xliff.find("  <file")).find("fs:operation") + 1) +
            ": error: this XLIFF holds the texts of operation \"mali\", not of \"niger\" (mali.xml); import "
            "it into the source it was exported from");
    std::string unknown = replace_once(xliff, "id=\"intro/p[3]\"", "id=\"intro/p[4]\"");
    std::string message = refusal(mali(), unknown);
    EXPECT_NE(
        message.find(": error: unit id \"intro/p[4]\" is not a text of mali.xml; keep the ids the export "
                     "wrote, or export the source again if it changed shape"),
        std::string::npos)
        << message;
}

TEST(Parsing, accepts_a_prefixed_namespace_groups_and_language_tags_with_regions) {
    std::string xliff =
        "<x:xliff version='1.2' xmlns:x='urn:oasis:names:tc:xliff:document:1.2' "
        "xmlns:f='urn:factsheet:xliff'>"
        "<x:file original='mali.xml' source-language='en-GB' target-language='fr-FR' datatype='plaintext' "
        "f:operation='mali'><x:body><x:group id='g'><x:trans-unit id='figure[targeted]/label'>"
        "<x:source>People Targeted</x:source><x:target state='translated'>Personnes visées</x:target>"
        "</x:trans-unit></x:group></x:body></x:file></x:xliff>";
    Xliff x = parse_xliff(xliff, "p.xlf");
    EXPECT_EQ(x.operation, "mali");
    EXPECT_EQ(x.target_lang, Lang::fr);
    ASSERT_EQ(x.units.size(), 1u);
    ImportResult r = import_xliff(x, locate_texts(mali(), "mali.xml"));
    EXPECT_EQ(r.changes.size(), 1u);
}

TEST(Parsing, refuses_what_is_not_one_file_of_xliff_1_2_for_a_factsheet) {
    auto error = [](const std::string& xliff) {
        return test::error_text([&] { parse_xliff(xliff, "p.xlf"); });
    };
    EXPECT_EQ(error("<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0'/>"),
              "p.xlf:1:1: error: this is XLIFF 2.0; factsheet reads XLIFF 1.2, as factsheet xliff export "
              "writes it: "
              "save it as XLIFF 1.2");
    EXPECT_EQ(error("<xliff version='1.2'/>"),
              "p.xlf:1:1: error: <xliff> is not an XLIFF 1.2 document; its root must be <xliff "
              "xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">");
    EXPECT_EQ(error("<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'/>"),
              "p.xlf:1:1: error: the XLIFF has no <file>");
    EXPECT_EQ(
        error("<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>\n"
              "<file original='a' source-language='en' target-language='de'><body/></file></xliff>"),
        "p.xlf:2:1: error: <file> does not say which operation its texts are of (fs:operation in namespace "
        "urn:factsheet:xliff); import an XLIFF made by factsheet xliff export\n"
        "p.xlf:2:41: error: target-language \"de\" is not a language of the factsheets; they are en and fr");
    EXPECT_EQ(error(std::string("\xFF\xFE<\0x\0", 6)),
              "p.xlf:1:1: error: the XLIFF is UTF-16 or UTF-32; save it as UTF-8");
    EXPECT_EQ(error("<?xml version='1.0' encoding='ISO-8859-1'?><xliff/>"),
              "p.xlf:1:21: error: encoding \"iso-8859-1\" is not read; save the XLIFF as UTF-8");
    EXPECT_EQ(
        test::error_text([] { parse_xliff(std::string(max_xliff_bytes + 1, ' '), "big.xlf"); }),
        "big.xlf: error: the XLIFF is 16777217 bytes; an XLIFF may hold at most 16777216 bytes (16 MiB): "
        "check that this is the right file");
}

}  // namespace
