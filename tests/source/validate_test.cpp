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

// Every diagnostic of parsing `xml`, formatted, or nothing when it is valid.
std::vector<std::string> errors(const std::string& xml) {
    try {
        parse_operation(xml, "t.xml");
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
    EXPECT_EQ(errors(with("3900000", "99999999999999999999")),
              Lines{"t.xml:12:32: error: value \"99999999999999999999\" of figure \"pin\" is too large"});
    EXPECT_EQ(errors(with("3900000", "9223372036854775807")), Lines{});
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
                    "id, kind, value, currency or year"});
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
              Lines{"t.xml:12:18: error: kind \"percent\" of figure \"pin\" is unknown; use "
                    "\"people\" or \"money\""});
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
        "; use lowercase letters a-z, digits and '-', starting with a letter or digit, at most 64 "
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
