// The translation fingerprint an <en> or <fr> may carry (from="3f2a9c1e", written by factsheet
// xliff import): accepted on either language, refused when malformed, at its attribute; any other
// attribute stays refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/test_paths.hpp"
#include "source/source.hpp"

using namespace factsheet;

namespace {

const std::string source = R"(<operation id="x" as-of="2023-09-30">
<country><en>Mali</en><fr>Mali</fr></country>
<cluster><en>Protection Cluster</en><fr>Cluster Protection</fr></cluster>
<source><en>GPC</en><fr>GPC</fr></source>
<organisations>
<organisation id="unhcr"><acronym><en>UNHCR</en><fr>HCR</fr></acronym><name><en>UNHCR</en><fr>HCR</fr></name></organisation>
</organisations>
<intro><p><en>One.</en><fr>Un.</fr></p></intro>
<protection-issues><p><en>Two.</en><fr>Deux.</fr></p></protection-issues>
<cluster-operation lead="unhcr"><p><en>Three.</en><fr>Trois.</fr></p></cluster-operation>
<team>
<member organisation="unhcr"><name>A B</name><email>a@b.org</email></member>
</team>
</operation>
)";

std::string with(const std::string& from, const std::string& to) {
    std::string xml = source;
    auto at = xml.find(from);
    if (at == std::string::npos) throw std::logic_error("not in the source: " + from);
    return xml.replace(at, from.size(), to);
}

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

TEST(Fingerprint, is_accepted_on_either_language_and_leaves_the_text_as_it_is) {
    EXPECT_EQ(errors(with("<fr>Un.</fr>", "<fr from=\"3f2a9c1e\">Un.</fr>")), std::vector<std::string>{});
    EXPECT_EQ(errors(with("<en>Mali</en>", "<en from='0123abcd'>Mali</en>")), std::vector<std::string>{});
    Operation op = parse_operation(with("<fr>Un.</fr>", "<fr from=\"3f2a9c1e\">Un.</fr>"), "t.xml");
    EXPECT_EQ(op.intro.at(0).fr, "Un.");
}

TEST(Fingerprint, that_is_not_8_lowercase_hex_digits_is_refused_at_its_attribute) {
    for (const char* bad : {"3F2A9C1E", "3f2a9c1", "3f2a9c1e0", "", "zzzzzzzz"})
        EXPECT_EQ(
            errors(with("<fr>Un.</fr>", std::string("<fr from=\"") + bad + "\">Un.</fr>")),
            std::vector<std::string>{"t.xml:8:28: error: from=\"" + std::string(bad) +
                                     "\" of <fr> of paragraph 1 of <intro> is not a fingerprint (8 digits "
                                     "0-9 and letters a-f, as factsheet xliff import writes it); remove it"})
            << bad;
}

TEST(Fingerprint, other_attributes_stay_refused_on_languages_and_from_elsewhere) {
    EXPECT_EQ(errors(with("<fr>Un.</fr>", "<fr lang=\"fr\">Un.</fr>")),
              std::vector<std::string>{
                  "t.xml:8:28: error: unknown attribute \"lang\" on <fr>; <fr> may have only from"});
    EXPECT_EQ(errors(with("<email>", "<email from=\"3f2a9c1e\">")),
              std::vector<std::string>{
                  "t.xml:12:53: error: unknown attribute \"from\" on <email>; <email> takes no attributes"});
    EXPECT_EQ(errors(with("<p><en>One.", "<p from=\"3f2a9c1e\"><en>One.")),
              std::vector<std::string>{
                  "t.xml:8:11: error: unknown attribute \"from\" on <p>; <p> takes no attributes"});
}

TEST(Fingerprint, the_test_source_with_fingerprints_is_valid) {
    Operation op = read_operation(test::source_path("tests/source/fingerprints.xml"));
    EXPECT_EQ(op.figures.at(0).label.fr, "Personnes dans le besoin");
}

}  // namespace
