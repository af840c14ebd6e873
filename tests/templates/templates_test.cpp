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
