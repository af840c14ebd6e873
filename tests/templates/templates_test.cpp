#include "templates/templates.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

using namespace factsheet;

TEST(templates, expands_fields_lists_and_flags) {
    View view;
    view.set("title", "Mali");
    view.set("items", View::list({View().set("text", "a"), View().set("text", "b")}));
    view.set("shown", View::boolean(true));
    view.set("hidden", View::boolean(false));
    Template t(
        "<t>{{title}}</t>{{#items}}<p>{{text}}</p>{{/items}}{{#shown}}yes{{/shown}}"
        "{{#hidden}}no{{/hidden}}{{^hidden}}not{{/hidden}}",
        "t.mustache");
    EXPECT_EQ(t.render(view), "<t>Mali</t><p>a</p><p>b</p>yesnot");
}

// The view reaches kainjow whole however deep it nests: lists of objects holding lists, an
// object inside an object, and a list long enough to have grown several times.
TEST(templates, expands_nested_lists_and_objects) {
    View areas = View::list({});
    for (const char* name : {"Gao", "Kidal", "Mopti"}) {
        View area;
        area.set("name", name);
        area.set("camps", View::list({View().set("c", std::string(name) + "1"),
                                      View().set("c", std::string(name) + "2")}));
        areas.items.push_back(area);
    }
    View numbers = View::list({});
    for (int i = 0; i < 40; ++i) numbers.items.push_back(View().set("n", std::to_string(i)));
    View view;
    view.set("areas", areas);
    view.set("numbers", numbers);
    view.set("country", View().set("name", "Mali").set("capital", View().set("name", "Bamako")));
    Template t(
        "{{#areas}}{{name}}:{{#camps}}{{c}},{{/camps}};{{/areas}}|{{#numbers}}{{n}}{{/numbers}}|"
        "{{#country}}{{name}} {{#capital}}{{name}}{{/capital}}{{/country}}",
        "t.mustache");
    EXPECT_EQ(t.render(view),
              "Gao:Gao1,Gao2,;Kidal:Kidal1,Kidal2,;Mopti:Mopti1,Mopti2,;|"
              "0123456789101112131415161718192021222324252627282930313233343536373839"
              "|Mali Bamako");
}

// Names are found as kainjow's own context finds them: the innermost section first, a dotted
// name followed part by part from each section outwards (one whose first part is found inside
// but not the rest is looked for further out), "." the current item, a name ending in a dot as
// if without it. Each line below is what kainjow renders with its own context.
TEST(templates, finds_plain_and_dotted_names_as_kainjow_does) {
    View view;
    view.set("title", "Mali");
    view.set("lead", View().set("name", "UNHCR").set("unit", View().set("name", "Protection")));
    view.set("team", View::list({View().set("name", "Awa").set("lead", View().set("other", "x")),
                                 View().set("name", "Issa")}));
    view.set("codes", View::list({"a", "b"}));
    const char* text =
        "{{lead.name}}|{{lead.unit.name}}|{{lead.missing}}|{{lead.name.more}}|{{lead.}}|"
        "{{#team}}{{name}}/{{title}}/{{lead.name}}/{{lead.other}};{{/team}}|"
        "{{#codes}}{{.}}{{/codes}}|{{#lead}}{{unit.name}}{{title}}{{/lead}}";
    EXPECT_EQ(Template(text, "t.mustache").render(view),
              "UNHCR|Protection|||"
              "|Awa/Mali/UNHCR/x;Issa/Mali/UNHCR/;|ab|ProtectionMali");
}

// One template renders one view after another (a batch renders thousands) as it renders each
// on its own: lists shorter, longer and much longer than before, fields that come and go, a
// value that changes kind, and back to the first view.
TEST(templates, renders_views_one_after_another_as_each_alone) {
    auto people = [](int n) {
        View list = View::list({});
        for (int i = 0; i < n; ++i)
            list.items.push_back(
                View().set("name", "P" + std::to_string(i)).set("lead", View::boolean(i == 0)));
        return list;
    };
    std::vector<View> views(8);
    views[0].set("title", "Mali").set("team", people(2)).set("note", "short");
    views[1].set("title", "Niger, a longer title than before").set("team", people(5)).set("note", "n");
    views[2].set("title", "Chad").set("team", people(40)).set("note", "");
    views[3].set("title", "Chad").set("team", people(1)).set("note", "shorter list");
    views[4].set("title", "Chad").set("team", people(3));  // no note
    views[5].set("title", View::boolean(true)).set("team", View::boolean(false)).set("note", "x");
    views[6].set("title", View().set("name", "an object")).set("team", people(0)).set("note", "y");
    views[7] = views[0];
    const char* text =
        "{{title}}{{#title}}[{{name}}]{{/title}}|{{#team}}{{name}}{{#lead}}*{{/lead}},{{/team}}"
        "{{^team}}nobody{{/team}}|{{note}}{{^note}}-{{/note}}";
    Template reused(text, "t.mustache");
    for (std::size_t i = 0; i < views.size(); ++i)
        EXPECT_EQ(reused.render(views[i]), Template(text, "t.mustache").render(views[i])) << "view " << i;
}

TEST(templates, escapes_values_for_xml_not_html) {
    View view;
    view.set("v", "R&D <b> \"q\" l'eau");
    Template t("<p a=\"{{v}}\">{{v}}</p>", "t.mustache");
    EXPECT_EQ(
        t.render(view),
        "<p a=\"R&amp;D &lt;b&gt; &quot;q&quot; l&apos;eau\">R&amp;D &lt;b&gt; &quot;q&quot; l&apos;eau</p>");
}

TEST(templates, keeps_utf8_as_is) {
    View view;
    view.set("v", "S\xC3\xA9gou \xC2\xAB\xE2\x80\xAFx\xE2\x80\xAF\xC2\xBB");
    Template t("{{v}}", "t.mustache");
    EXPECT_EQ(t.render(view), view.fields["v"].str);
}

TEST(templates, unclosed_section_names_template_line_and_column) {
    try {
        Template t("<document>\n  <body>\n    {{#team}}<card/>\n  </body>\n", "layouts/x.mustache");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "layouts/x.mustache:3:5: error: invalid template: unclosed section \"team\"; "
                     "check the {{#...}} / {{/...}} pairs");
    }
}

TEST(templates, unopened_section_is_an_error) {
    EXPECT_THROW(Template("a\n{{/x}}", "t.mustache"), Error);
}

TEST(templates, missing_file_is_an_error_naming_it) {
    try {
        Template::load("/nonexistent/f.mustache");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "/nonexistent/f.mustache: error: cannot read template: check the layout folder");
    }
}

namespace {

std::string marked(const std::string& text, const std::string& lang) {
    return fallback_text(text, lang);
}

}  // namespace

// A draft's stand-in text becomes a span of its language in the markup's text, set in the
// layout's fallback colour; where no element can go (an attribute, a comment) it is plain text.
TEST(templates, a_stand_in_text_becomes_a_span_of_its_language) {
    View view;
    view.set("country", marked("Mali", "en"));
    view.set("text", "Le " + marked("R&D <team>", "en") + " travaille");
    Template t(
        "<?xml version=\"1.0\"?>\n<!-- {{country}} --><document title=\"{{country}} &gt; x\" "
        "alt='{{text}}'><p>{{country}}</p><p>{{text}}</p><p><![CDATA[{{country}}]]></p></document>",
        "t.mustache");
    EXPECT_EQ(t.render(view),
              "<?xml version=\"1.0\"?>\n<!-- Mali --><document title=\"Mali &gt; x\" "
              "alt='Le R&amp;D &lt;team&gt; travaille'><p><span lang=\"en\" "
              "colour=\"draft-fallback\">Mali</span></p><p>Le <span lang=\"en\" "
              "colour=\"draft-fallback\">R&amp;D &lt;team&gt;</span> travaille</p><p><![CDATA[Mali]]></p>"
              "</document>");
}

TEST(templates, stray_fallback_marks_are_dropped) {
    EXPECT_EQ(resolve_fallbacks("<p>a</p>"), "<p>a</p>");
    EXPECT_EQ(resolve_fallbacks("<p>a" + std::string(fallback_close) + "b</p>"), "<p>ab</p>");
    EXPECT_EQ(
        resolve_fallbacks("<p>" + std::string(fallback_open) + "en" + std::string(fallback_start) + "x</p>"),
        "<p>x</p>");
    // Not a language code: the marks go, the text stays.
    EXPECT_EQ(resolve_fallbacks("<p>" + marked("x", "E N") + "</p>"), "<p>E Nx</p>");
    // A mark that would enclose markup cannot become a span.
    EXPECT_EQ(resolve_fallbacks("<p>" + std::string(fallback_open) + "en" + std::string(fallback_start) +
                                "a</p><p>b" + std::string(fallback_close) + "</p>"),
              "<p>a</p><p>b</p>");
}
