#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "locale/locale.hpp"

using namespace factsheet;

namespace {

std::string en(const std::string& s) {
    return apply_typography(s, Lang::en);
}
std::string fr(const std::string& s) {
    return apply_typography(s, Lang::fr);
}

}  // namespace

TEST(typography, apostrophes_in_both_languages) {
    EXPECT_EQ(en("the Cluster's work"), "the Cluster\u2019s work");
    EXPECT_EQ(fr("protection de l'enfance"), "protection de l\u2019enfance");
    EXPECT_EQ(fr("l\u2019enfance"), "l\u2019enfance");
}

TEST(typography, english_double_quotes_curl) {
    EXPECT_EQ(en("He said \"yes\" to it."), "He said \u201Cyes\u201D to it.");
    EXPECT_EQ(en("\"Quoted\" first"), "\u201CQuoted\u201D first");
    EXPECT_EQ(en("(\"a\")"), "(\u201Ca\u201D)");
}

TEST(typography, english_spacing_is_left_alone) {
    std::string text = "Note: 3 900 000 people; 25 % funded! Why? At 10:30 see https://x.org.";
    EXPECT_EQ(en(text), text);
}

TEST(typography, french_high_punctuation_gets_a_narrow_space) {
    EXPECT_EQ(fr("Quoi ?"), "Quoi\u202F?");
    EXPECT_EQ(fr("Quoi?"), "Quoi\u202F?");
    EXPECT_EQ(fr("Quoi\u00A0?"), "Quoi\u202F?");
    EXPECT_EQ(fr("Quoi  ?"), "Quoi\u202F?");
    EXPECT_EQ(fr("enl\u00E8vements ; d\u00E9tentions"), "enl\u00E8vements\u202F; d\u00E9tentions");
    EXPECT_EQ(fr("Attention! Danger"), "Attention\u202F! Danger");
    EXPECT_EQ(fr("Vraiment ?!"), "Vraiment\u202F?!");
    EXPECT_EQ(fr("Quoi... ?"), "Quoi...\u202F?");
    EXPECT_EQ(fr("(voir)?"), "(voir)\u202F?");
}

TEST(typography, french_colon_gets_a_no_break_space) {
    EXPECT_EQ(fr("Note : voir"), "Note\u00A0: voir");
    EXPECT_EQ(fr("Note: voir"), "Note\u00A0: voir");
    EXPECT_EQ(fr("Note\u202F: voir"), "Note\u00A0: voir");
    EXPECT_EQ(fr("Liste :\n- un"), "Liste\u00A0:\n- un");
    EXPECT_EQ(fr("Courriel: koti@unhcr.org"), "Courriel\u00A0: koti@unhcr.org");
}

TEST(typography, french_punctuation_inside_words_times_and_addresses_is_kept) {
    EXPECT_EQ(fr("\u00E0 10:30 pr\u00E9cises"), "\u00E0 10:30 pr\u00E9cises");
    EXPECT_EQ(fr("voir https://www.unhcr.org/fr?x=1;y=2"), "voir https://www.unhcr.org/fr?x=1;y=2");
    EXPECT_EQ(fr("voir https://x.org/l'a!"), "voir https://x.org/l'a!");
    EXPECT_EQ(fr("voir www.x.org/a:b 50%"), "voir www.x.org/a:b 50\u00A0%");
    EXPECT_EQ(fr("voir https://x.org/?a=1 !"), "voir https://x.org/?a=1\u202F!");
    EXPECT_EQ(fr("ratio 3:2 ou a:b"), "ratio 3:2 ou a:b");
    EXPECT_EQ(fr("mailto:o'brien@x.org"), "mailto:o'brien@x.org");
}

TEST(typography, french_punctuation_at_a_line_start_is_left_alone) {
    EXPECT_EQ(fr("? au d\u00E9but"), "? au d\u00E9but");
    EXPECT_EQ(fr("Oui\n! non"), "Oui\n! non");
    EXPECT_EQ(fr(": rien"), ": rien");
}

TEST(typography, french_guillemets) {
    EXPECT_EQ(fr("\u00AB Bonjour \u00BB"), "\u00AB\u202FBonjour\u202F\u00BB");
    EXPECT_EQ(fr("\u00ABBonjour\u00BB"), "\u00AB\u202FBonjour\u202F\u00BB");
    EXPECT_EQ(fr("\u00AB\u00A0Bonjour\u00A0\u00BB"), "\u00AB\u202FBonjour\u202F\u00BB");
    EXPECT_EQ(fr("\u00AB Oui ! \u00BB"), "\u00AB\u202FOui\u202F!\u202F\u00BB");
}

TEST(typography, french_straight_quotes_become_guillemets) {
    EXPECT_EQ(fr("Il a dit \"oui\" hier."), "Il a dit \u00AB\u202Foui\u202F\u00BB hier.");
    EXPECT_EQ(fr("\"Assez\", dit-il."), "\u00AB\u202FAssez\u202F\u00BB, dit-il.");
    EXPECT_EQ(fr("le mot \" cl\u00E9 \" ici"), "le mot \u00AB\u202Fcl\u00E9\u202F\u00BB ici");
}

TEST(typography, french_percent) {
    EXPECT_EQ(fr("25,6 %"), "25,6\u00A0%");
    EXPECT_EQ(fr("25%"), "25\u00A0%");
    EXPECT_EQ(fr("25\u202F%"), "25\u00A0%");
    EXPECT_EQ(fr("25%, puis"), "25\u00A0%, puis");
    EXPECT_EQ(fr("taux%"), "taux%");
    EXPECT_EQ(fr("1%20"), "1%20");
}

TEST(typography, french_digit_groups) {
    EXPECT_EQ(fr("3 900 000 personnes"), "3\u202F900\u202F000 personnes");
    EXPECT_EQ(fr("3\u00A0900\u00A0000"), "3\u202F900\u202F000");
    EXPECT_EQ(fr("12 500,5 US$"), "12\u202F500,5 US$");
    EXPECT_EQ(fr("depuis 2012"), "depuis 2012");
    EXPECT_EQ(fr("en 2023 100 personnes"), "en 2023 100 personnes");
    EXPECT_EQ(fr("0,25 100"), "0,25 100");
    EXPECT_EQ(fr("12 3456"), "12 3456");
    EXPECT_EQ(fr("30 juin 2023"), "30 juin 2023");
    EXPECT_EQ(fr("100 000 %"), "100\u202F000\u00A0%");
}

TEST(typography, ellipsis_and_plain_text_stay) {
    EXPECT_EQ(fr("Et puis..."), "Et puis...");
    EXPECT_EQ(fr("Mali, Gao et Kidal."), "Mali, Gao et Kidal.");
    EXPECT_EQ(fr(""), "");
    EXPECT_EQ(en(""), "");
}

// Texts with nothing the rules look at come back byte for byte (the function then copies them
// without decoding them): letters of any script, digits without a space after them, bad UTF-8.
TEST(typography, texts_no_rule_applies_to_come_back_as_they_are) {
    for (const std::string& text :
         {std::string("Mali, Gao et Kidal."),
          std::string("Zo\u00EB \u2013 \u201Cd\u00E9j\u00E0\u201D\u2026 (2023)"),
          std::string("\xFF\xC3 abc \xE2\x80"), std::string("12,5/3.9-7"), std::string("\u00A0\u202F9"),
          std::string("\u041C\u0430\u043B\u0438 \u0645")}) {
        EXPECT_EQ(en(text), text);
        EXPECT_EQ(fr(text), text);
    }
    // English leaves spacing alone: French punctuation and digit groups are French rules only.
    EXPECT_EQ(en("a ; b : c ! d ? 3 900 000 50 % \u00ABx\u00BB"),
              "a ; b : c ! d ? 3 900 000 50 % \u00ABx\u00BB");
    // Each of the French triggers alone.
    EXPECT_EQ(fr("a ;"), "a\u202F;");
    EXPECT_EQ(fr("\u00ABx\u00BB"), "\u00AB\u202Fx\u202F\u00BB");
    EXPECT_EQ(fr("1 000"), "1\u202F000");
    EXPECT_EQ(fr("1\u202F000"), "1\u202F000");
    EXPECT_EQ(fr("5 %"), "5\u00A0%");
}

TEST(typography, bad_utf8_passes_through_without_throwing) {
    EXPECT_EQ(fr("\xFF abc ?"), "\xFF abc\u202F?");
    EXPECT_EQ(fr("a\xC3"), "a\xC3");
    EXPECT_EQ(en("\xE2\x80 it's"), "\xE2\x80 it\u2019s");
}

TEST(typography, idempotent_over_paragraphs) {
    std::vector<std::string> paragraphs = {
        "Le contexte humanitaire et de protection au Mali expose les personnes \u00E0 des risques "
        "majeurs : attaques contre les civils ; enl\u00E8vements, disparitions forc\u00E9es ! "
        "Pourquoi ? Selon l'OCHA, 3 900 000 personnes sont dans le besoin, soit 25,6 % de "
        "\"la population\"... Voir https://www.unhcr.org/fr/?q=mali;x ou \u00AB ici \u00BB?!",
        "R\u00E9union \u00E0 10:30 : ordre du jour. Contact: ouattaal@unhcr.org ; 102 320 000 US$.",
        "The crisis that Mali's people face: \"complex\"; see 3 900 000 at 25 %!",
    };
    for (const std::string& p : paragraphs) {
        for (Lang lang : {Lang::en, Lang::fr}) {
            std::string once = apply_typography(p, lang);
            EXPECT_EQ(apply_typography(once, lang), once) << p;
        }
    }
    EXPECT_EQ(fr(paragraphs[0]),
              "Le contexte humanitaire et de protection au Mali expose les personnes \u00E0 des "
              "risques majeurs\u00A0: attaques contre les civils\u202F; enl\u00E8vements, "
              "disparitions forc\u00E9es\u202F! Pourquoi\u202F? Selon l\u2019OCHA, "
              "3\u202F900\u202F000 personnes sont dans le besoin, soit 25,6\u00A0% de "
              "\u00AB\u202Fla population\u202F\u00BB... Voir https://www.unhcr.org/fr/?q=mali;x ou "
              "\u00AB\u202Fici\u202F\u00BB\u202F?!");
    EXPECT_EQ(fr(paragraphs[1]),
              "R\u00E9union \u00E0 10:30\u00A0: ordre du jour. Contact\u00A0: ouattaal@unhcr.org\u202F; "
              "102\u202F320\u202F000 US$.");
}
