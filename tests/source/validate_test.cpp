// Every kind of bad source gives its exact message at its exact line and column.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "source/source.hpp"

using namespace factsheet;

namespace {

// A small valid source; each test breaks one thing in it. Line numbers below refer to it.
const std::string valid_source = R"(<operation id="x" as-of="2023-09-30">
<country><en>Mali</en><fr>Mali</fr></country>
<cluster><en>Protection Cluster</en><fr>Cluster Protection</fr></cluster>
<source><en>GPC</en><fr>GPC</fr></source>
<organisations>
<organisation id="unhcr"><acronym><en>UNHCR</en><fr>HCR</fr></acronym><name><en>UNHCR</en><fr>HCR</fr></name></organisation>
</organisations>
<intro><p><en>One.</en><fr>Un.</fr></p></intro>
<protection-issues><p><en>Two.</en><fr>Deux.</fr></p></protection-issues>
<cluster-operation lead="unhcr"><p><en>Three.</en><fr>Trois.</fr></p></cluster-operation>
<figures>
<figure id="pin" kind="people" value="3900000"><label><en>People in Need</en><fr>Personnes dans le besoin</fr></label></figure>
</figures>
<team>
<member organisation="unhcr"><name>A B</name><role><en>Coordinator</en><fr>Coordinatrice</fr></role><email>a@b.org</email></member>
</team>
</operation>
)";

// The valid source with the first `from` replaced by `to`.
std::string with(const std::string& from, const std::string& to) {
    std::string xml = valid_source;
    auto at = xml.find(from);
    if (at == std::string::npos) throw std::logic_error("not in the valid source: " + from);
    return xml.replace(at, from.size(), to);
}

// Every diagnostic of parsing `xml` for the editions of `plan`, formatted, or nothing when it is
// valid.
std::vector<std::string> errors(const std::string& xml, const EditionPlan& plan = {}) {
    try {
        parse_operation(xml, "t.xml", plan);
    } catch (const Error& e) {
        std::vector<std::string> lines;
        for (const Diagnostic& d : e.diagnostics()) lines.push_back(format_error(d));
        return lines;
    }
    return {};
}

using Lines = std::vector<std::string>;

}  // namespace

TEST(validate, the_small_source_is_valid) {
    Operation op = parse_operation(valid_source, "t.xml");
    EXPECT_EQ(op.id, "x");
    EXPECT_EQ(op.figures.at(0).value, 3900000);
    EXPECT_EQ(op.file, "t.xml");
    EXPECT_EQ(op.figures.at(0).pos.line, 12);
    EXPECT_EQ(op.figures.at(0).pos.col, 1);
}

TEST(validate, figure_value_must_be_digits) {
    const std::string tail =
        " of figure \"pin\" is not a whole number; write digits only, without sign, separators or "
        "suffix (3900000, not 3.9M or 3,900,000)";
    EXPECT_EQ(errors(with("3900000", "3.9M")), Lines{"t.xml:12:32: error: value \"3.9M\"" + tail});
    EXPECT_EQ(errors(with("3900000", "3,900,000")), Lines{"t.xml:12:32: error: value \"3,900,000\"" + tail});
    EXPECT_EQ(errors(with("3900000", "-5")), Lines{"t.xml:12:32: error: value \"-5\"" + tail});
    EXPECT_EQ(errors(with("3900000", "")), Lines{"t.xml:12:32: error: value \"\"" + tail});
    const std::string too_large =
        " of figure \"pin\" is too large; a figure is at most 999999999999999 (a "
        "thousand trillion less one)";
    EXPECT_EQ(errors(with("3900000", "99999999999999999999")),
              Lines{"t.xml:12:32: error: value \"99999999999999999999\"" + too_large});
    // Past the limit though it fits in 64 bits, and the limit itself.
    EXPECT_EQ(errors(with("3900000", "9223372036854775807")),
              Lines{"t.xml:12:32: error: value \"9223372036854775807\"" + too_large});
    EXPECT_EQ(errors(with("3900000", "1000000000000000")),
              Lines{"t.xml:12:32: error: value \"1000000000000000\"" + too_large});
    EXPECT_EQ(errors(with("3900000", "999999999999999")), Lines{});
}

TEST(validate, text_needs_both_languages) {
    EXPECT_EQ(errors(with("<fr>Personnes dans le besoin</fr>", "")),
              Lines{"t.xml:12:48: error: <label> of figure \"pin\" has no French text (<fr>)"});
    EXPECT_EQ(errors(with("<fr>Personnes dans le besoin</fr>", "<fr> \n </fr>")),
              Lines{"t.xml:12:78: error: <label> of figure \"pin\" has an empty French text (<fr>)"});
    EXPECT_EQ(errors(with("<p><en>One.</en>", "<p>")),
              Lines{"t.xml:8:8: error: paragraph 1 of <intro> has no English text (<en>)"});
    EXPECT_EQ(errors(with("<en>People in Need</en><fr>Personnes dans le besoin</fr>", "People")),
              Lines{"t.xml:12:55: error: <label> of figure \"pin\" must hold its text in <en> and "
                    "<fr>, not directly"});
    EXPECT_EQ(errors(with("<en>UNHCR</en><fr>HCR</fr></name>", "<en>UNHCR</en><en>HCR</en></name>")),
              (Lines{"t.xml:6:71: error: <name> of organisation \"unhcr\" has no French text (<fr>)",
                     "t.xml:6:91: error: <name> of organisation \"unhcr\" has more than one <en>; "
                     "keep only one"}));
}

// A text missing in one language stops only the editions in that language: the source reads for
// the other, and lists what it lacks.
TEST(validate, a_missing_french_text_stops_only_the_french_edition) {
    std::string xml = with("<fr>Personnes dans le besoin</fr>", "");
    const Lines missing{"t.xml:12:48: error: <label> of figure \"pin\" has no French text (<fr>)"};
    EXPECT_EQ(errors(xml, EditionPlan{{Lang::fr}}), missing);
    EXPECT_EQ(errors(xml, EditionPlan{{Lang::en, Lang::fr}}), missing);
    EXPECT_EQ(errors(xml, EditionPlan{{Lang::en}}), Lines{});

    Operation op = parse_operation(xml, "t.xml", EditionPlan{{Lang::en}});
    EXPECT_EQ(op.figures.at(0).label.en, "People in Need");
    EXPECT_TRUE(op.figures.at(0).label.has(Lang::en));
    EXPECT_FALSE(op.figures.at(0).label.has(Lang::fr));
    ASSERT_EQ(op.missing_texts.size(), 1u);
    const MissingText& m = op.missing_texts[0];
    EXPECT_EQ(m.lang, Lang::fr);
    EXPECT_TRUE(m.has_other);
    EXPECT_EQ(format_error(m.problem), missing[0]);
    // What an edition read for later needs, with the same message.
    EXPECT_EQ(missing_text_errors(op, EditionPlan{{Lang::fr}}).size(), 1u);
    EXPECT_EQ(format_error(missing_text_errors(op, EditionPlan{{Lang::fr}}).at(0)), missing[0]);
    EXPECT_TRUE(missing_text_errors(op, EditionPlan{{Lang::en}}).empty());
    EXPECT_TRUE(missing_text_errors(op, EditionPlan{{Lang::fr}, true}).empty());
}

TEST(validate, an_empty_french_text_is_missing_at_its_element) {
    std::string xml = with("<fr>Personnes dans le besoin</fr>", "<fr> \n </fr>");
    EXPECT_EQ(errors(xml, EditionPlan{{Lang::fr}}),
              Lines{"t.xml:12:78: error: <label> of figure \"pin\" has an empty French text (<fr>)"});
    Operation op = parse_operation(xml, "t.xml", EditionPlan{{Lang::en}});
    ASSERT_EQ(op.missing_texts.size(), 1u);
    EXPECT_EQ(op.missing_texts[0].lang, Lang::fr);
    EXPECT_EQ(op.missing_texts[0].problem.pos.col, 78);
    EXPECT_TRUE(op.missing_texts[0].has_other);
    EXPECT_TRUE(parse_operation(xml, "t.xml", EditionPlan{{Lang::fr}, true}).figures.at(0).label.fr.empty());
}

TEST(validate, a_missing_english_text_stops_only_the_english_edition) {
    std::string xml = with("<p><en>One.</en>", "<p>");
    EXPECT_EQ(errors(xml, EditionPlan{{Lang::en}}),
              Lines{"t.xml:8:8: error: paragraph 1 of <intro> has no English text (<en>)"});
    Operation op = parse_operation(xml, "t.xml", EditionPlan{{Lang::fr}});
    EXPECT_EQ(op.intro.at(0).fr, "Un.");
    ASSERT_EQ(op.missing_texts.size(), 1u);
    EXPECT_EQ(op.missing_texts[0].lang, Lang::en);
    EXPECT_TRUE(
        parse_operation(xml, "t.xml", EditionPlan{{Lang::en, Lang::fr}, true}).intro.at(0).en.empty());
}

// A draft stands one language in for the other: a text in neither stops it.
TEST(validate, a_text_in_neither_language_stops_a_draft_too) {
    std::string xml = with("<p><en>One.</en><fr>Un.</fr></p>", "<p></p>");
    const Lines both{"t.xml:8:8: error: paragraph 1 of <intro> has no English text (<en>)",
                     "t.xml:8:8: error: paragraph 1 of <intro> has no French text (<fr>)"};
    EXPECT_EQ(errors(xml), both);
    EXPECT_EQ(errors(xml, EditionPlan{{Lang::en, Lang::fr}, true}), both);
    EXPECT_EQ(errors(xml, EditionPlan{{Lang::fr}, true}), Lines{both[1]});
    Operation op = parse_operation(xml, "t.xml", EditionPlan{{}, true});
    ASSERT_EQ(op.missing_texts.size(), 2u);
    EXPECT_FALSE(op.missing_texts[0].has_other);
    EXPECT_FALSE(op.missing_texts[1].has_other);
    EXPECT_EQ(missing_text_errors(op, EditionPlan{{Lang::en}, true}).size(), 1u);
}

// Other problems stop every edition; a missing text is listed with them, in document order, only
// for an edition that needs it.
TEST(validate, other_problems_stop_every_edition_with_the_missing_texts_needed) {
    std::string xml = with("<fr>Personnes dans le besoin</fr>", "");
    xml.replace(xml.find("a@b.org"), 7, "nobody");
    Lines en = errors(xml, EditionPlan{{Lang::en}});
    ASSERT_EQ(en.size(), 1u);
    EXPECT_TRUE(en[0].starts_with("t.xml:15:101: error: email \"nobody\""));
    Lines fr = errors(xml, EditionPlan{{Lang::fr}});
    ASSERT_EQ(fr.size(), 2u);
    EXPECT_EQ(fr[0], "t.xml:12:48: error: <label> of figure \"pin\" has no French text (<fr>)");
    EXPECT_EQ(fr[1], en[0]);
    // Text written directly in a text element is a shape error, whatever the editions.
    EXPECT_EQ(errors(with("<en>People in Need</en><fr>Personnes dans le besoin</fr>", "People"),
                     EditionPlan{{}, true}),
              Lines{"t.xml:12:55: error: <label> of figure \"pin\" must hold its text in <en> and "
                    "<fr>, not directly"});
}

TEST(validate, stops_says_which_editions_need_a_missing_text) {
    MissingText french{Lang::fr, {}, true};
    EXPECT_TRUE(stops(french, EditionPlan{}));
    EXPECT_TRUE(stops(french, EditionPlan{{Lang::fr}}));
    EXPECT_FALSE(stops(french, EditionPlan{{Lang::en}}));
    EXPECT_FALSE(stops(french, EditionPlan{{Lang::en, Lang::fr}, true}));
    french.has_other = false;
    EXPECT_TRUE(stops(french, EditionPlan{{Lang::fr}, true}));
    EXPECT_FALSE(stops(french, EditionPlan{{Lang::en}, true}));
}

TEST(validate, email_must_be_an_address) {
    EXPECT_EQ(errors(with("a@b.org", "a b@org")),
              Lines{"t.xml:15:101: error: email \"a b@org\" of team member \"A B\" is not a valid "
                    "address (local@domain.tld, without spaces)"});
    EXPECT_EQ(errors(with("a@b.org", "a@b")).size(), 1u);
    EXPECT_EQ(errors(with("a@b.org", "@b.org")).size(), 1u);
    EXPECT_EQ(errors(with("a@b.org", "  a@b.org\n ")), Lines{});
}

TEST(validate, unknown_and_misplaced_elements_say_where_they_belong) {
    EXPECT_EQ(errors(with("<label>", "<colour/><label>")),
              Lines{"t.xml:12:48: error: unknown element <colour> in <figure>; <figure> may contain "
                    "only <label>"});
    EXPECT_EQ(errors(with("<label>", "<email>x@y.org</email><label>")),
              Lines{"t.xml:12:48: error: <email> cannot appear in <figure>; it belongs in <member>"});
    EXPECT_EQ(errors(with("<intro>", "<intro><en>x</en>")),
              Lines{"t.xml:8:8: error: <en> cannot appear in <intro>; it belongs in a text element "
                    "such as <label> or <p>"});
    EXPECT_EQ(errors(with("<intro>", "<intro>hello\n there")),
              Lines{"t.xml:8:8: error: unexpected text \"hello there\" directly in <intro>; <intro> "
                    "may contain only <p>"});
    EXPECT_EQ(errors(with("<en>GPC</en>", "<en>G<b>P</b>C</en>")),
              Lines{"t.xml:4:14: error: <en> of <source> may hold only text, not <b>"});
}

TEST(validate, unknown_attributes_list_the_allowed_ones) {
    EXPECT_EQ(errors(with("kind=\"people\"", "kind=\"people\" colour=\"red\"")),
              Lines{"t.xml:12:32: error: unknown attribute \"colour\" on <figure>; <figure> may have "
                    "id, kind, value, currency, year or approximate"});
    EXPECT_EQ(errors(with("<intro>", "<intro lang='fr'>")),
              Lines{"t.xml:8:8: error: unknown attribute \"lang\" on <intro>; <intro> takes no "
                    "attributes"});
}

TEST(validate, missing_elements_and_attributes) {
    EXPECT_EQ(errors(with("<country><en>Mali</en><fr>Mali</fr></country>", "")),
              Lines{"t.xml:1:1: error: <operation> has no <country>"});
    EXPECT_EQ(errors(with("<figure id=\"pin\" ", "<figure ")),
              Lines{"t.xml:12:1: error: figure 1 has no id attribute; add id=\"...\""});
    EXPECT_EQ(errors(with(" lead=\"unhcr\"", "")),
              Lines{"t.xml:10:1: error: <cluster-operation> has no lead attribute; add lead=\"...\""});
    EXPECT_EQ(errors(with("</country>", "</country><country><en>A</en><fr>B</fr></country>")),
              Lines{"t.xml:2:46: error: <operation> has more than one <country>; keep only one"});
}

TEST(validate, kind_currency_and_year) {
    EXPECT_EQ(errors(with("kind=\"people\"", "kind=\"percent\"")),
              Lines{"t.xml:12:18: error: kind \"percent\" of figure \"pin\" is unknown; use people, "
                    "money, percentage or count"});
    EXPECT_EQ(errors(with("kind=\"people\"", "kind=\"money\"")),
              Lines{"t.xml:12:1: error: figure \"pin\" counts money but has no currency; add "
                    "currency=\"USD\" (an ISO 4217 code)"});
    EXPECT_EQ(errors(with("kind=\"people\"", "kind=\"money\" currency=\"usd\"")),
              Lines{"t.xml:12:31: error: currency \"usd\" of figure \"pin\" is not an ISO 4217 code "
                    "of three uppercase letters such as \"USD\""});
    EXPECT_EQ(errors(with("kind=\"people\"", "kind=\"people\" currency=\"USD\"")),
              Lines{"t.xml:12:32: error: figure \"pin\" counts people and cannot have a currency; "
                    "remove currency=\"USD\""});
    EXPECT_EQ(errors(with("kind=\"people\"", "kind=\"people\" year=\"23\"")),
              Lines{"t.xml:12:32: error: year \"23\" of figure \"pin\" is not a four-digit year"});
    Operation op =
        parse_operation(with("kind=\"people\"", "kind=\"money\" currency=\"XOF\" year=\"2024\""), "t.xml");
    EXPECT_EQ(op.figures.at(0).kind, FigureKind::money);
    EXPECT_EQ(op.figures.at(0).currency, "XOF");
    EXPECT_EQ(op.figures.at(0).year, 2024);
}

TEST(validate, duplicate_ids_say_where_the_first_one_is) {
    const std::string figure =
        "<figure id=\"pin\" kind=\"people\" value=\"1\"><label><en>A</en><fr>B</fr></label></figure>";
    EXPECT_EQ(errors(with("</figures>", figure + "\n</figures>")),
              Lines{"t.xml:13:9: error: duplicate figure id \"pin\": already used at line 12, column 9"});
    const std::string organisation =
        "<organisation id=\"unhcr\"><acronym><en>A</en><fr>A</fr></acronym><name><en>A</en><fr>A</fr>"
        "</name></organisation>";
    EXPECT_EQ(errors(with("</organisations>", organisation + "</organisations>")),
              Lines{"t.xml:7:15: error: duplicate organisation id \"unhcr\": already used at line 6, "
                    "column 15"});
    const std::string area =
        "<area id=\"gbv\"><name><en>A</en><fr>A</fr></name><acronym><en>A</en><fr>A</fr></acronym>"
        "</area>\n";
    EXPECT_EQ(errors(with("</p></cluster-operation>",
                          "</p><areas>\n" + area + area + "</areas></cluster-operation>")),
              Lines{"t.xml:12:7: error: duplicate area id \"gbv\": already used at line 11, column 7"});
}

TEST(validate, references_must_name_known_ids) {
    EXPECT_EQ(errors(with("lead=\"unhcr\"", "lead=\"unicef\" co-coordinator=\"drc\"")),
              (Lines{"t.xml:10:20: error: lead of <cluster-operation> is \"unicef\", which is not the "
                     "id of an organisation in <organisations>; known ids: unhcr",
                     "t.xml:10:34: error: co-coordinator of <cluster-operation> is \"drc\", which is "
                     "not the id of an organisation in <organisations>; known ids: unhcr"}));
    EXPECT_EQ(errors(with("member organisation=\"unhcr\"", "member organisation=\"drc\"")),
              Lines{"t.xml:15:9: error: organisation of team member \"A B\" is \"drc\", which is not "
                    "the id of an organisation in <organisations>; known ids: unhcr"});
    EXPECT_EQ(errors(with("<figures>", "<figures funding-required=\"pin\" funding-received=\"nope\">")),
              (Lines{"t.xml:11:10: error: funding-required must name a money figure, but figure "
                     "\"pin\" counts people",
                     "t.xml:11:33: error: funding-received \"nope\" is not the id of a figure in "
                     "<figures>; known ids: pin"}));
}

TEST(validate, ids_are_safe_for_file_names) {
    const std::string tail =
        "; use lowercase letters a-z, digits and '-', starting and ending with a letter or digit, never "
        "'--', at most 64 "
        "characters";
    EXPECT_EQ(errors(with("id=\"x\"", "id=\"../etc\"")),
              Lines{"t.xml:1:12: error: invalid operation id \"../etc\"" + tail});
    EXPECT_EQ(errors(with("id=\"x\"", "id=\"Mali\"")),
              Lines{"t.xml:1:12: error: invalid operation id \"Mali\"" + tail});
    EXPECT_EQ(errors(with("id=\"x\"", "id=\"-mali\"")),
              Lines{"t.xml:1:12: error: invalid operation id \"-mali\"" + tail});
    EXPECT_EQ(errors(with("id=\"x\"", "id=\"" + std::string(65, 'a') + "\"")).size(), 1u);
    EXPECT_EQ(errors(with("id=\"x\"", "id=\"" + std::string(64, 'a') + "\"")), Lines{});
}

TEST(validate, dates_must_exist) {
    const std::string tail = " is not a real date written YYYY-MM-DD";
    EXPECT_EQ(errors(with("2023-09-30", "2023-02-30")),
              Lines{"t.xml:1:19: error: as-of \"2023-02-30\"" + tail});
    EXPECT_EQ(errors(with("2023-09-30", "30/09/2023")),
              Lines{"t.xml:1:19: error: as-of \"30/09/2023\"" + tail});
    EXPECT_EQ(errors(with("2023-09-30", "2024-02-29")), Lines{});
    const std::string publications =
        "<publications><publication date=\"2023-13-01\" url=\"www.example.org\"><title><en>A</en>"
        "<fr>B</fr></title></publication></publications>\n</operation>";
    EXPECT_EQ(errors(with("</operation>", publications)),
              (Lines{"t.xml:17:28: error: date \"2023-13-01\" of publication 1" + tail,
                     "t.xml:17:46: error: url \"www.example.org\" of publication 1 is not a web "
                     "address starting with https:// or http://"}));
}

TEST(validate, publications_are_read) {
    const std::string publications =
        "<publications><publication date=\"2023-10-05\" url=\"https://example.org/a.pdf\">"
        "<title><en>Snapshot</en><fr>Aperçu</fr></title></publication></publications>\n</operation>";
    Operation op = parse_operation(with("</operation>", publications), "t.xml");
    ASSERT_EQ(op.publications.size(), 1u);
    EXPECT_EQ(op.publications[0].date, "2023-10-05");
    EXPECT_EQ(op.publications[0].url, "https://example.org/a.pdf");
    EXPECT_EQ(op.publications[0].title.fr, "Aperçu");
}

TEST(validate, paragraphs_come_before_areas) {
    EXPECT_EQ(errors(with("</p></cluster-operation>",
                          "</p><areas><area id=\"a\"><name><en>A</en><fr>A</fr></name><acronym><en>A"
                          "</en><fr>A</fr></acronym></area></areas>\n<p><en>x</en><fr>y</fr></p>"
                          "</cluster-operation>")),
              Lines{"t.xml:11:1: error: <p> in <cluster-operation> must come before <areas>"});
}

TEST(validate, whitespace_is_trimmed_and_collapsed) {
    Operation op =
        parse_operation(with("<en>One.</en>", "<en>\n   One\n      sentence,\t wrapped.  </en>"), "t.xml");
    EXPECT_EQ(op.intro.at(0).en, "One sentence, wrapped.");
    // A no-break space is a character of the text, not XML whitespace.
    op = parse_operation(with("<fr>Un.</fr>", "<fr>Un\xC2\xA0:</fr>"), "t.xml");
    EXPECT_EQ(op.intro.at(0).fr, "Un\xC2\xA0:");
    op = parse_operation(with("<en>One.</en>", "<en><![CDATA[A & B]]> &amp; C</en>"), "t.xml");
    EXPECT_EQ(op.intro.at(0).en, "A & B & C");
}

TEST(validate, malformed_xml_is_one_error_at_the_parser_position) {
    EXPECT_EQ(errors(with("</intro>", "</intr>")),
              Lines{"t.xml:8:42: error: malformed XML: start-end tags mismatch"});
    EXPECT_EQ(errors("<!-- x -->"), Lines{"t.xml:1:11: error: malformed XML: no document element found"});
    EXPECT_EQ(errors(with("<figure id=\"pin\"", "<figure id=pin")),
              Lines{"t.xml:12:12: error: malformed XML: error parsing element attribute"});
}

TEST(validate, files_that_are_not_a_source_say_what_they_are) {
    EXPECT_EQ(errors(""),
              Lines{"t.xml:1:1: error: the file is empty; a source holds one <operation> element"});
    EXPECT_EQ(errors(" \n\t"),
              Lines{"t.xml:1:1: error: the file is empty; a source holds one <operation> element"});
    EXPECT_EQ(errors(std::string("\xFF\xFE<\0o\0", 6)),
              Lines{"t.xml:1:1: error: the file is UTF-16 or UTF-32; save it as UTF-8"});
    EXPECT_EQ(errors(std::string("\0<\0o", 4)),
              Lines{"t.xml:1:1: error: the file is UTF-16 or UTF-32; save it as UTF-8"});
    // A file cut short is not a "tag mismatch" to whoever reads the message.
    EXPECT_EQ(errors(valid_source.substr(0, valid_source.find("</intro>"))),
              Lines{"t.xml:8:40: error: malformed XML: the file ends before its elements are closed; "
                    "is it complete?"});
    std::string big = valid_source + "<!--" + std::string(1024 * 1024, ' ') + "-->";
    EXPECT_EQ(errors(big), Lines{"t.xml: error: the source is " + std::to_string(big.size()) +
                                 " bytes; a source may hold at most 1048576 bytes (1 MiB): check that "
                                 "this is the right file"});
}

TEST(validate, doctype_and_unknown_entities_are_refused) {
    EXPECT_EQ(errors("<!DOCTYPE operation [<!ENTITY a \"b\">]>\n" + valid_source),
              Lines{"t.xml:1:1: error: a DOCTYPE is not allowed in a source; remove the "
                    "<!DOCTYPE ...> declaration"});
    EXPECT_EQ(errors(with("One.", "One&nbsp;")),
              Lines{"t.xml:8:18: error: unknown entity \"&nbsp;\": write the character itself or a "
                    "numeric reference such as &#160; (XML knows only &amp; &lt; &gt; &quot; "
                    "&apos;)"});
    EXPECT_EQ(errors(with("One.", "A & B")), Lines{"t.xml:8:17: error: a bare \"&\" must be written &amp;"});
    EXPECT_EQ(errors(with("One.", "&#1;")), Lines{"t.xml:8:15: error: &#1; is not a character XML allows"});
    EXPECT_EQ(errors(with("One.", "&#xE9;&#233;")), Lines{});
}

TEST(validate, xml_declaration_must_say_utf8_xml_1_0) {
    EXPECT_EQ(errors("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n" + valid_source),
              Lines{});
    EXPECT_EQ(errors("<?xml version=\"1.1\" encoding=\"ISO-8859-1\"?>\n" + valid_source),
              (Lines{"t.xml:1:7: error: XML version \"1.1\" is not supported; write version=\"1.0\"",
                     "t.xml:1:21: error: encoding \"ISO-8859-1\" is not supported; save the file as "
                     "UTF-8 and write encoding=\"UTF-8\""}));
}

TEST(validate, bad_bytes_and_root) {
    EXPECT_EQ(errors(with("One.", "On\x01.")),
              Lines{"t.xml:8:17: error: character U+0001 is not allowed in XML; remove it"});
    EXPECT_EQ(errors(with("One.", "On\xE9.")),
              Lines{"t.xml:8:17: error: the text is not valid UTF-8 here; save the file as UTF-8"});
    EXPECT_EQ(errors("<factsheet/>"),
              Lines{"t.xml:1:1: error: the root element must be <operation>, not <factsheet>"});
    EXPECT_EQ(errors(valid_source + "<operation/>"),
              Lines{"t.xml:18:1: error: a source has one root element, <operation>; <operation> "
                    "comes after its end"});
}

TEST(validate, columns_count_characters_not_bytes) {
    // "Malié" is six bytes but five columns: <colour/> starts at column 24, not 25.
    EXPECT_EQ(errors(with("<country><en>Mali</en>", "<country><en>Malié</en><colour/>")),
              Lines{"t.xml:2:24: error: unknown element <colour> in <country>; <country> may "
                    "contain only <en> or <fr>"});
}

TEST(validate, every_problem_is_reported_in_document_order) {
    std::string xml = with("id=\"x\"", "id=\"X\"");
    xml.replace(xml.find("3900000"), 7, "3.9M");
    xml.replace(xml.find("<fr>Personnes dans le besoin</fr>"), 33, "");
    xml.replace(xml.find("a@b.org"), 7, "nobody");
    xml.replace(xml.find("lead=\"unhcr\""), 12, "lead=\"unicef\"");
    Lines got = errors(xml);
    ASSERT_EQ(got.size(), 5u);
    EXPECT_TRUE(got[0].starts_with("t.xml:1:12: error: invalid operation id \"X\""));
    EXPECT_TRUE(got[1].starts_with("t.xml:10:20: error: lead of <cluster-operation> is \"unicef\""));
    EXPECT_TRUE(got[2].starts_with("t.xml:12:32: error: value \"3.9M\" of figure \"pin\""));
    EXPECT_EQ(got[3], "t.xml:12:45: error: <label> of figure \"pin\" has no French text (<fr>)");
    EXPECT_TRUE(got[4].starts_with("t.xml:15:101: error: email \"nobody\""));
}

TEST(validate, hyphenation_exceptions_are_words_with_hyphens_only_between_letters) {
    Operation op = parse_operation(
        with("</operation>",
             "<hyphenation><word>Tom-bouc-tou</word><word>Ouagadougou</word></hyphenation>\n</operation>"),
        "t.xml");
    EXPECT_EQ(op.hyphenation, (std::vector<std::string>{"Tom-bouc-tou", "Ouagadougou"}));
    const std::string rule =
        " must be one word, with '-' only between letters where a break is allowed (\"Tom-bouc-tou\"), or "
        "none "
        "(\"Ouagadougou\")";
    EXPECT_EQ(errors(with("</operation>", "<hyphenation><word>-Gao</word></hyphenation>\n</operation>")),
              Lines{"t.xml:17:14: error: hyphenation word \"-Gao\"" + rule});
    EXPECT_EQ(errors(with("</operation>", "<hyphenation><word>two words</word></hyphenation>\n</operation>")),
              Lines{"t.xml:17:14: error: hyphenation word \"two words\"" + rule});
}

TEST(validate, format_version) {
    EXPECT_EQ(parse_operation(valid_source, "t.xml").format, 1);
    EXPECT_EQ(parse_operation(with("<operation ", "<operation format=\"1\" "), "t.xml").format, 1);
    EXPECT_EQ(parse_operation(with("<operation ", "<operation format=\"2\" "), "t.xml").format, 2);
    EXPECT_EQ(errors(with("<operation ", "<operation format=\"3\" ")),
              Lines{"t.xml:1:12: error: source format \"3\" is newer than this program reads; it reads "
                    "formats 1 and 2: use a newer factsheet program"});
    EXPECT_EQ(errors(with("<operation ", "<operation format=\"99999999999999999999\" ")),
              Lines{"t.xml:1:12: error: source format \"99999999999999999999\" is newer than this program "
                    "reads; it reads formats 1 and 2: use a newer factsheet program"});
    for (const char* bad : {"0", "02", "2.0", "v2", ""})
        EXPECT_EQ(errors(with("<operation ", "<operation format=\"" + std::string(bad) + "\" ")),
                  Lines{"t.xml:1:12: error: format \"" + std::string(bad) +
                        "\" is not a source format; this program reads formats 1 and 2 (format=\"1\")"});
}

TEST(validate, organisation_types) {
    Operation op = parse_operation(
        with("<organisation id=\"unhcr\"", "<organisation id=\"unhcr\" type=\"un-agency\""), "t.xml");
    EXPECT_EQ(op.organisations.at(0).type, OrganisationType::un_agency);
    for (auto [word, type] :
         {std::pair{"ingo", OrganisationType::ingo}, std::pair{"nngo", OrganisationType::nngo},
          std::pair{"government", OrganisationType::government}, std::pair{"other", OrganisationType::other}})
        EXPECT_EQ(parse_operation(with("<organisation id=\"unhcr\"",
                                       "<organisation id=\"unhcr\" type=\"" + std::string(word) + "\""),
                                  "t.xml")
                      .organisations.at(0)
                      .type,
                  type);
    EXPECT_EQ(errors(with("<organisation id=\"unhcr\"", "<organisation id=\"unhcr\" type=\"ngo\"")),
              Lines{"t.xml:6:26: error: type \"ngo\" of organisation \"unhcr\" is unknown; use un-agency, "
                    "ingo, nngo, government or other"});
}

namespace {

void replace_once(std::string& xml, const std::string& from, const std::string& to) {
    auto at = xml.find(from);
    if (at == std::string::npos) throw std::logic_error("not in the source: " + from);
    xml.replace(at, from.size(), to);
}

// Two more organisations (unicef, drc), `attributes` on <cluster-operation>, and `areas` in an
// <areas> whose first <area> is on line 12.
std::string with_areas(const std::string& areas, const std::string& attributes = "") {
    std::string xml =
        with("</p></cluster-operation>", "</p>\n<areas>\n" + areas + "</areas></cluster-operation>");
    replace_once(
        xml, "</organisations>",
        "<organisation id=\"unicef\"><acronym><en>UNICEF</en><fr>UNICEF</fr></acronym><name><en>UNICEF"
        "</en><fr>UNICEF</fr></name></organisation><organisation id=\"drc\"><acronym><en>DRC</en><fr>"
        "DRC</fr></acronym><name><en>DRC</en><fr>DRC</fr></name></organisation></organisations>");
    replace_once(xml, "<cluster-operation lead=\"unhcr\"", "<cluster-operation lead=\"unhcr\"" + attributes);
    return xml;
}

const std::string area_name = "<name><en>A</en><fr>A</fr></name>";

std::string area(const std::string& attributes) {
    return "<area " + attributes + ">" + area_name + "</area>\n";
}

}  // namespace

TEST(validate, coordination_bodies_have_a_kind_leads_and_an_optional_acronym) {
    Operation op = parse_operation(
        with_areas(area("id=\"gbv\" lead=\"unicef\" co-lead=\"unhcr  drc\"") +
                   area("id=\"cash\" kind=\"working-group\"") + area("id=\"h\" kind=\"task-force\"") +
                   area("id=\"n\" kind=\"sub-national\"") + area("id=\"m\" kind=\"hub\" lead=\"drc\"") +
                   area("id=\"cp\" kind=\"aor\"")),
        "t.xml");
    ASSERT_EQ(op.areas.size(), 6u);
    EXPECT_EQ(op.areas[0].kind, AreaKind::aor);
    EXPECT_EQ(op.areas[0].lead, std::vector<std::string>{"unicef"});
    EXPECT_EQ(op.areas[0].co_lead, (std::vector<std::string>{"unhcr", "drc"}));
    EXPECT_FALSE(op.areas[0].acronym.has_value());
    EXPECT_EQ(op.areas[1].kind, AreaKind::working_group);
    EXPECT_TRUE(op.areas[1].lead.empty());
    EXPECT_EQ(op.areas[2].kind, AreaKind::task_force);
    EXPECT_EQ(op.areas[3].kind, AreaKind::sub_national);
    EXPECT_EQ(op.areas[4].kind, AreaKind::hub);
    EXPECT_EQ(op.areas[5].kind, AreaKind::aor);
}

TEST(validate, coordination_body_errors) {
    EXPECT_EQ(errors(with_areas(area("id=\"a\" kind=\"cluster\""))),
              Lines{"t.xml:12:14: error: kind \"cluster\" of area \"a\" is unknown; use aor, working-group, "
                    "task-force, sub-national or hub"});
    EXPECT_EQ(
        errors(with_areas(area("id=\"a\" lead=\"unicef who\""))),
        Lines{"t.xml:12:14: error: lead of area \"a\" is \"who\", which is not the id of an organisation "
              "in <organisations>; known ids: drc, unhcr, unicef"});
    EXPECT_EQ(errors(with_areas(area("id=\"a\" co-lead=\" \""))),
              Lines{"t.xml:12:14: error: co-lead of area \"a\" is empty; write organisation ids separated by "
                    "spaces, or leave out co-lead"});
    EXPECT_EQ(errors(with_areas(area("id=\"a\" lead=\"unicef drc unicef\""))),
              Lines{"t.xml:12:14: error: lead of area \"a\" names \"unicef\" twice"});
}

TEST(validate, at_most_twelve_coordination_bodies) {
    std::string twelve;
    for (int i = 0; i < 12; ++i) twelve += area("id=\"a" + std::to_string(i) + "\"");
    EXPECT_EQ(parse_operation(with_areas(twelve), "t.xml").areas.size(), 12u);
    EXPECT_EQ(errors(with_areas(twelve + area("id=\"b\"") + area("id=\"c\""))),
              Lines{"t.xml:24:1: error: <areas> has 14 <area>; a factsheet has room for at most 12"});
}

TEST(validate, several_co_coordinators) {
    Operation op = parse_operation(with_areas(area("id=\"a\""), " co-coordinator=\"drc unicef\""), "t.xml");
    EXPECT_EQ(op.co_coordinators, (std::vector<std::string>{"drc", "unicef"}));
    EXPECT_TRUE(parse_operation(valid_source, "t.xml").co_coordinators.empty());
    EXPECT_EQ(
        errors(with_areas(area("id=\"a\""), " co-coordinator=\"drc nrc\"")),
        Lines{"t.xml:10:33: error: co-coordinator of <cluster-operation> is \"nrc\", which is not the id "
              "of an organisation in <organisations>; known ids: drc, unhcr, unicef"});
}

TEST(validate, a_member_needs_only_a_name) {
    Operation op = parse_operation(with("</team>", "<member><name>C D</name></member>\n</team>"), "t.xml");
    ASSERT_EQ(op.team.size(), 2u);
    EXPECT_EQ(op.team[1].name, "C D");
    EXPECT_EQ(op.team[1].organisation, "");
    EXPECT_FALSE(op.team[1].role.has_value());
    EXPECT_EQ(op.team[1].email, "");
    EXPECT_EQ(op.team[1].phone, "");
    EXPECT_EQ(op.team[0].role->fr, "Coordinatrice");
    EXPECT_EQ(errors(with("</team>", "<member><role><en>A</en><fr>B</fr></role></member>\n</team>")),
              Lines{"t.xml:16:1: error: team member 2 has no <name>"});
}

TEST(validate, phone_numbers) {
    for (const char* phone : {"+223 20 22 55 80", "(0)20-22.55.80", "1234", "+1 (201) 555-0123"}) {
        Operation op =
            parse_operation(with("</email>", "</email><phone>" + std::string(phone) + "</phone>"), "t.xml");
        EXPECT_EQ(op.team.at(0).phone, phone);
    }
    const std::string rule =
        " of team member \"A B\" is not a telephone number: write 4 to 20 digits, with spaces, dots, '-', "
        "parentheses and a leading '+' only (+223 20 22 55 80)";
    for (const char* phone :
         {"call me", "123", "+223+1", "(223 20", "223) 20", "1234 ext. 5", "123456789012345678901"})
        EXPECT_EQ(errors(with("</email>", "</email><phone>" + std::string(phone) + "</phone>")),
                  Lines{"t.xml:15:123: error: phone \"" + std::string(phone) + "\"" + rule});
    EXPECT_EQ(errors(with("</email>", "</email><phone> </phone>")),
              Lines{"t.xml:15:123: error: team member \"A B\" has an empty <phone>"});
}

TEST(validate, team_and_figures_are_optional_and_capped) {
    std::string team = valid_source.substr(valid_source.find("<team>"),
                                           valid_source.find("</team>") + 7 - valid_source.find("<team>"));
    EXPECT_TRUE(parse_operation(with(team, ""), "t.xml").team.empty());
    EXPECT_TRUE(parse_operation(with(team, "<team/>"), "t.xml").team.empty());
    std::string member = "<member><name>N</name></member>";
    std::string sixteen;
    for (int i = 0; i < 16; ++i) sixteen += member;
    EXPECT_EQ(parse_operation(with(team, "<team>" + sixteen + "</team>"), "t.xml").team.size(), 16u);
    EXPECT_EQ(errors(with(team, "<team>" + sixteen + "\n" + member + "</team>")),
              Lines{"t.xml:15:1: error: <team> has 17 <member>; a factsheet has room for at most 16"});

    std::string figures =
        valid_source.substr(valid_source.find("<figures>"),
                            valid_source.find("</figures>") + 10 - valid_source.find("<figures>"));
    EXPECT_TRUE(parse_operation(with(figures, ""), "t.xml").figures.empty());
    EXPECT_TRUE(parse_operation(with(figures, "<figures></figures>"), "t.xml").figures.empty());
    std::string figure_list;
    for (int i = 0; i < 9; ++i)
        figure_list += "<figure id=\"f" + std::to_string(i) +
                       "\" kind=\"count\" value=\"1\"><label><en>A</en><fr>A</fr></label></figure>\n";
    EXPECT_EQ(errors(with(figures, "<figures>\n" + figure_list + "</figures>")),
              Lines{"t.xml:20:1: error: <figures> has 9 <figure>; a factsheet has room for at most 8"});
}

TEST(validate, percentages_counts_and_approximate_figures) {
    Operation op = parse_operation(
        with("kind=\"people\" value=\"3900000\"", "kind=\"percentage\" value=\"38.5\""), "t.xml");
    EXPECT_EQ(op.figures.at(0).kind, FigureKind::percentage);
    EXPECT_EQ(op.figures.at(0).value, 385);
    EXPECT_EQ(op.figures.at(0).decimals, 1);
    op = parse_operation(with("kind=\"people\" value=\"3900000\"", "kind=\"percentage\" value=\"1000\""),
                         "t.xml");
    EXPECT_EQ(op.figures.at(0).value, 1000);
    EXPECT_EQ(op.figures.at(0).decimals, 0);
    op = parse_operation(with("kind=\"people\"", "kind=\"count\" approximate=\"yes\""), "t.xml");
    EXPECT_EQ(op.figures.at(0).kind, FigureKind::count);
    EXPECT_TRUE(op.figures.at(0).approximate);
    EXPECT_FALSE(parse_operation(with("kind=\"people\"", "kind=\"people\" approximate=\"no\""), "t.xml")
                     .figures.at(0)
                     .approximate);

    for (const char* bad : {"38.55", "38,5", "1000.1", "1001", ".5", "38.", "-1", "3900000"})
        EXPECT_EQ(errors(with("kind=\"people\" value=\"3900000\"",
                              "kind=\"percentage\" value=\"" + std::string(bad) + "\"")),
                  Lines{"t.xml:12:36: error: value \"" + std::string(bad) +
                        "\" of figure \"pin\" is not a percentage from 0 to 1000 with at most one decimal "
                        "after a dot (38.5, not 38,5 or 38.55)"});
    EXPECT_EQ(
        errors(with("kind=\"people\" value=\"3900000\"", "kind=\"percentage\" value=\"5\" currency=\"USD\"")),
        Lines{"t.xml:12:46: error: figure \"pin\" is a percentage and cannot have a currency; remove "
              "currency=\"USD\""});
    EXPECT_EQ(errors(with("kind=\"people\"", "kind=\"count\" currency=\"USD\"")),
              Lines{"t.xml:12:31: error: figure \"pin\" is a count and cannot have a currency; remove "
                    "currency=\"USD\""});
    EXPECT_EQ(errors(with("kind=\"people\"", "kind=\"people\" approximate=\"maybe\"")),
              Lines{"t.xml:12:32: error: approximate \"maybe\" of figure \"pin\" must be \"yes\" or \"no\""});
}

namespace {

// Two money figures, "req" (line 13) and "got" (line 14), with the given values and currencies,
// and `attributes` on <figures> (line 11).
std::string with_money(const std::string& attributes, const std::string& required = "100",
                       const std::string& currency = "USD") {
    std::string xml =
        with("</figures>",
             "<figure id=\"req\" kind=\"money\" currency=\"USD\" value=\"" + required +
                 "\"><label><en>A</en><fr>A</fr></label></figure>\n<figure id=\"got\" kind=\"money\" "
                 "currency=\"" +
                 currency + "\" value=\"5\"><label><en>A</en><fr>A</fr></label></figure>\n</figures>");
    replace_once(xml, "<figures>", "<figures" + attributes + ">");
    return xml;
}

}  // namespace

TEST(validate, funding_figures) {
    Operation op = parse_operation(with_money(" funding-required=\"req\" funding-received=\"got\""), "t.xml");
    EXPECT_EQ(op.funding_required, "req");
    EXPECT_EQ(op.funding_received, "got");
    // Format 1 allowed these, printing no coverage: they stay valid, with a warning saying so.
    auto warnings = [](const std::string& xml) {
        Lines out;
        for (const Diagnostic& w : parse_operation(xml, "t.xml").warnings)
            out.push_back(format_pos(w.pos) + ": " + w.message);
        return out;
    };
    EXPECT_EQ(errors(with_money(" funding-required=\"req\"")), Lines{});
    EXPECT_EQ(
        warnings(with_money(" funding-required=\"req\"")),
        Lines{"t.xml:11:10: funding-required needs funding-received beside it, so no funding coverage is "
              "printed; name both figures, or neither"});
    EXPECT_EQ(
        warnings(with_money(" funding-received=\"got\"")),
        Lines{"t.xml:11:10: funding-received needs funding-required beside it, so no funding coverage is "
              "printed; name both figures, or neither"});
    EXPECT_EQ(warnings(with_money(" funding-required=\"req\" funding-received=\"req\"")),
              Lines{"t.xml:11:33: funding-received names the same figure as funding-required, \"req\", so no "
                    "funding coverage is printed; name the figure with the funds received"});
    EXPECT_EQ(
        warnings(with_money(" funding-required=\"req\" funding-received=\"got\"", "0")),
        Lines{"t.xml:13:46: figure \"req\" is the funding requirement (funding-required) and is 0, so no "
              "funding coverage is printed (it is divided by the requirement)"});
    EXPECT_EQ(
        errors(with_money(" funding-required=\"req\" funding-received=\"got\"", "100", "EUR")),
        Lines{"t.xml:11:33: error: funding-received figure \"got\" is in EUR but funding-required figure "
              "\"req\" is in USD; both must be in the same currency"});
    // The largest funds against the smallest requirement are valid: the view computes them exactly.
    EXPECT_EQ(errors(with_money(" funding-required=\"req\" funding-received=\"got\"", "1")), Lines{});
}

TEST(validate, lengths_later_stages_cannot_take) {
    EXPECT_EQ(
        errors(with("<en>One.</en>", "<en>" + std::string(10001, 'a') + "</en>")),
        Lines{"t.xml:8:11: error: <en> of paragraph 1 of <intro> has 10001 characters; at most 10000 are "
              "allowed"});
    std::string e_acute;
    for (int i = 0; i < 10000; ++i) e_acute += "\xC3\xA9";  // 10,000 characters in 20,000 bytes
    EXPECT_EQ(errors(with("<en>One.</en>", "<en>" + e_acute + "</en>")), Lines{});
    // Texts set in boxes that cannot break across pages are shorter: names, roles, labels, acronyms.
    EXPECT_EQ(errors(with("<name>A B</name>", "<name>" + std::string(300, 'n') + "</name>")), Lines{});
    EXPECT_EQ(
        errors(with("<name>A B</name>", "<name>" + std::string(301, 'n') + "</name>")),
        Lines{"t.xml:15:30: error: <name> of team member 1 has 301 characters; at most 300 are allowed"});
    EXPECT_EQ(
        errors(with("<en>People in Need</en>", "<en>" + std::string(301, 'p') + "</en>")),
        Lines{"t.xml:12:55: error: <en> of <label> of figure \"pin\" has 301 characters; at most 300 are "
              "allowed"});
    EXPECT_EQ(
        errors(with("<en>UNHCR</en><fr>HCR</fr></acronym>",
                    "<en>UNHCR</en><fr>" + std::string(41, 'H') + "</fr></acronym>")),
        Lines{"t.xml:6:49: error: <fr> of <acronym> of organisation \"unhcr\" has 41 characters; at most 40 "
              "are allowed"});
    EXPECT_EQ(
        errors(with("</operation>",
                    "<hyphenation><word>" + std::string(101, 'a') + "</word></hyphenation>\n</operation>")),
        Lines{"t.xml:17:14: error: <word> of <hyphenation> has 101 characters; at most 100 are allowed"});

    auto publication = [](const std::string& url) {
        return "<publications><publication date=\"2023-10-05\" url=\"" + url +
               "\"><title><en>A</en><fr>B</fr></title></publication></publications>\n</operation>";
    };
    std::string url = "https://example.org/";
    EXPECT_EQ(errors(with("</operation>", publication(url + std::string(2000 - url.size(), 'a')))), Lines{});
    EXPECT_EQ(errors(with("</operation>", publication(url + std::string(2001 - url.size(), 'a')))),
              Lines{"t.xml:17:46: error: url of publication 1 has 2001 characters; an attribute may have at "
                    "most 2000"});

    std::string long_id(3000, 'a');
    EXPECT_EQ(
        errors(with("id=\"x\"", "id=\"" + long_id + "\"")),
        (Lines{"t.xml:1:12: error: id of <operation> has 3000 characters; an attribute may have at most "
               "2000",
               "t.xml:1:12: error: invalid operation id \"" + std::string(80, 'a') +
                   "...\"; use lowercase letters a-z, digits and '-', starting and ending with a letter or "
                   "digit, never '--', at "
                   "most 64 characters"}));

    std::string email = std::string(250, 'x') + "@b.org";
    EXPECT_EQ(errors(with("a@b.org", email)),
              Lines{"t.xml:15:101: error: email of team member \"A B\" has 256 characters; an address has at "
                    "most 254"});
}
