#include "common/xml.hpp"

#include <gtest/gtest.h>

using namespace factsheet;

TEST(xml, collapse_whitespace_trims_and_joins_runs) {
    EXPECT_EQ(collapse_whitespace("  a \n\t b\r\n c  "), "a b c");
    EXPECT_EQ(collapse_whitespace(" \n "), "");
    EXPECT_EQ(collapse_whitespace("a\xC2\xA0 b"), "a\xC2\xA0 b");
}

TEST(xml, escaping_for_attributes_and_for_character_data) {
    EXPECT_EQ(escape_xml("l'enfance & \"<b>\""), "l&apos;enfance &amp; &quot;&lt;b&gt;&quot;");
    // Character data keeps quotes and apostrophes as written, for people who read the XML.
    EXPECT_EQ(escape_xml_text("l'enfance & \"<b>\""), "l'enfance &amp; \"&lt;b&gt;\"");
    EXPECT_EQ(escape_xml_text("Menaka \u2014 d\u00E9plac\u00E9s"), "Menaka \u2014 d\u00E9plac\u00E9s");
    EXPECT_EQ(escape_xml("<<a&&b>> tail"), "&lt;&lt;a&amp;&amp;b&gt;&gt; tail");
    EXPECT_EQ(escape_xml_text("'\"'"), "'\"'");
    EXPECT_EQ(escape_xml(""), "");
    EXPECT_EQ(escape_xml("&"), "&amp;");
}

TEST(xml, elements_are_placed_at_their_angle_bracket_and_text_at_its_first_letter) {
    std::string text = "<a>\n  <b x=\"1\"/>\n  word</a>";
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_buffer(text.data(), text.size()));
    LineMap map("f.xml", text);
    pugi::xml_node b = doc.child("a").child("b");
    EXPECT_EQ(format_pos(node_pos(map, b, text)), "f.xml:2:3");
    EXPECT_EQ(format_pos(node_pos(map, b.next_sibling(), text)), "f.xml:3:3");
}

TEST(xml, parse_errors_are_lowercase_at_the_parser_offset) {
    std::string text = "<a>\n<b></a>";
    pugi::xml_document doc;
    pugi::xml_parse_result result = doc.load_buffer(text.data(), text.size());
    ASSERT_FALSE(result);
    EXPECT_STREQ(parse_error(LineMap("f.xml", text), result).what(),
                 "f.xml:2:6: error: malformed XML: start-end tags mismatch");
}

// Each case is not well-formed XML 1.0 (xmllint --noout refuses it) though pugixml reads it.
TEST(xml, what_pugixml_accepts_but_xml_forbids_is_found_at_its_place) {
    struct Case {
        std::string text;
        std::size_t offset;
        std::string message;
    };
    const Case cases[] = {
        {"<a x=\"1\" x=\"2\"/>", 9, "malformed XML: attribute \"x\" is written twice on <a>; keep one"},
        {"<a><!-- a -- b --></a>", 10,
         "malformed XML: \"--\" cannot be written inside a comment; write a single '-' or another character"},
        {"<a><!-- a ---></a>", 10,
         "malformed XML: \"--\" cannot be written inside a comment; write a single '-' or another character"},
        {"\n<?xml version=\"1.0\"?><a/>", 1,
         "malformed XML: the XML declaration <?xml ...?> must open the file, before anything else (a line "
         "break, a space, a comment, a second byte-order mark); move it to the very start or remove it"},
        {"<a/><?xml version=\"1.0\"?>", 4,
         "malformed XML: the XML declaration <?xml ...?> must open the file, before anything else (a line "
         "break, a space, a comment, a second byte-order mark); move it to the very start or remove it"},
        {"\xEF\xBB\xBF\xEF\xBB\xBF<a/>", 3,
         "malformed XML: a second byte-order mark (U+FEFF); a file may start with one only: remove it"},
        {"<a x=\"<\"/>", 6, "malformed XML: '<' cannot be written in an attribute value; write &lt;"},
        {"<a x=\"&\"/>", 6, "a bare \"&\" must be written &amp;"},
        {"<a>&foo;</a>", 3,
         "unknown entity \"&foo;\": write the character itself or a numeric reference such as &#160; (XML "
         "knows only &amp; &lt; &gt; &quot; &apos;)"},
        {"<a>&#1;</a>", 3, "&#1; is not a character XML allows"},
        {"<a>\x01</a>", 3, "character U+0001 is not allowed in XML; remove it"},
        {"<a>\xEF\xBF\xBE</a>", 3, "character U+FFFE is not allowed in XML; remove it"},
        {"<a>]]></a>", 3, "malformed XML: \"]]>\" cannot be written in text; write ]]&gt;"},
        {"x<a/>", 0, "malformed XML: text before the root element; remove it"},
        {"<a/>x", 4, "malformed XML: text after the end of the root element <a>; remove it"},
        {"<a/><b/>", 4,
         "malformed XML: <b> comes after the end of the root element <a>; a file holds one root element"},
        {"<![CDATA[x]]><a/>", 0, "malformed XML: a CDATA section outside the root element; remove it"},
        {"<a/><!DOCTYPE a>", 4,
         "a DOCTYPE is not allowed in a test file; remove the <!DOCTYPE ...> declaration"},
        {"<?xml encoding=\"UTF-8\" version=\"1.0\"?><a/>", 6,
         "malformed XML: the XML declaration holds version, then optionally encoding and standalone, in that "
         "order; write version=\"1.0\" first"},
        {"<?xml version=\"1.0\" foo=\"x\"?><a/>", 20,
         "malformed XML: the XML declaration holds version, then optionally encoding and standalone, in that "
         "order; remove foo"},
        {"<?xml ?><a/>", 0, "malformed XML: the XML declaration needs version=\"1.0\""},
    };
    for (const Case& c : cases) {
        pugi::xml_document doc;
        EXPECT_TRUE(doc.load_buffer(c.text.data(), c.text.size(),
                                    pugi::parse_default | pugi::parse_declaration | pugi::parse_doctype))
            << c.text << ": pugixml refuses it, the case tests nothing";
        auto problem = find_not_well_formed(c.text, "a test file");
        ASSERT_TRUE(problem) << c.text;
        EXPECT_EQ(problem->offset, c.offset) << c.text;
        EXPECT_EQ(problem->message, c.message) << c.text;
    }
}

TEST(xml, well_formed_files_pass) {
    for (std::string text :
         {"<a/>", "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x='1' y=\"&lt;&#233;\"/>",
          "<!-- x - y --><?pi a?><a><![CDATA[ & ]]></a>\n<!---->", "<a><!-- x- --></a>",
          "<a b=\">\" c=\"]]>\">&amp;&#x10FFFF;</a> \n"}) {
        auto problem = find_not_well_formed(text, "a test file");
        EXPECT_FALSE(problem) << text << ": " << problem->message;
    }
}

// A start tag's attributes are checked for repeats whatever their number: the first few are kept
// in a list, the others in a set, and a repeat is found in either; each tag starts afresh.
TEST(xml, an_attribute_written_twice_is_found_among_many) {
    std::string many;
    for (int i = 0; i < 40; ++i) many += " a" + std::to_string(i) + "=\"1\"";
    EXPECT_FALSE(find_not_well_formed("<r" + many + "><b" + many + "/></r>", "a test file"));
    for (const std::string repeated : {"a3", "a30"}) {
        std::string text = "<r" + many + " " + repeated + "=\"2\"/>";
        auto problem = find_not_well_formed(text, "a test file");
        ASSERT_TRUE(problem) << repeated;
        EXPECT_EQ(problem->offset, text.size() - 3 - repeated.size() - 3);
        EXPECT_EQ(problem->message,
                  "malformed XML: attribute \"" + repeated + "\" is written twice on <r>; keep one");
    }
}
