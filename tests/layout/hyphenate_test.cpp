#include "layout/hyphenate.hpp"

#include "common/error.hpp"
#include "common/test_paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace factsheet;

namespace {

using Offsets = std::vector<std::size_t>;

// The word with '-' inserted at each point, for readable expectations.
std::string hyphenated(const Hyphenator& h, const std::string& word) {
    std::string out;
    std::size_t previous = 0;
    for (std::size_t p : h.points(word)) {
        out += word.substr(previous, p - previous) + "-";
        previous = p;
    }
    return out + word.substr(previous);
}

const Hyphenator& french() {
    static const Hyphenator h(default_hyphen_dictionary("fr"));
    return h;
}

const Hyphenator& english() {
    static const Hyphenator h(default_hyphen_dictionary("en"));
    return h;
}

}  // namespace

TEST(hyphenate, default_dictionaries) {
    EXPECT_EQ(default_hyphen_dictionary("fr"), "/usr/share/hyphen/hyph_fr.dic");
    EXPECT_EQ(default_hyphen_dictionary("en"), "/usr/share/hyphen/hyph_en_US.dic");
    try {
        default_hyphen_dictionary("de");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.diagnostics()[0].message,
                  "no hyphenation dictionary for language \"de\"; use \"en\" or \"fr\"");
    }
}

TEST(hyphenate, french_words) {
    EXPECT_EQ(hyphenated(french(), "déplacements"), "dé-pla-ce-ments");
    EXPECT_EQ(hyphenated(french(), "interventions"), "in-ter-ven-tions");
    EXPECT_EQ(hyphenated(french(), "humanitaire"), "hu-ma-ni-taire");
    EXPECT_EQ(hyphenated(french(), "protection"), "pro-tec-tion");
    EXPECT_EQ(hyphenated(french(), "Tombouctou"), "Tom-bouc-tou");
}

TEST(hyphenate, english_words) {
    EXPECT_EQ(hyphenated(english(), "humanitarian"), "hu-man-i-tar-ian");
    EXPECT_EQ(hyphenated(english(), "displacement"), "dis-place-ment");
    EXPECT_EQ(hyphenated(english(), "assessment"), "as-sess-ment");
    EXPECT_EQ(hyphenated(english(), "Protection"), "Pro-tec-tion");  // a capital first letter is fine
}

TEST(hyphenate, offsets_count_bytes_and_never_split_a_character) {
    // "é" is two bytes (C3 A9): the break after "dé" is at byte 3, not 2.
    EXPECT_EQ(french().points("déplacements"), (Offsets{3, 6, 8}));
    EXPECT_EQ(french().points("réfugiés"), (Offsets{3, 5}));  // ré-fu-giés
    // "É" is two bytes too, and lower-cased for the lookup: Élé-phants.
    EXPECT_EQ(french().points("Éléphants"), (Offsets{5}));
    EXPECT_EQ(english().points("humanitarian"), (Offsets{2, 5, 6, 9}));
}

TEST(hyphenate, letters_kept_at_each_end_count_characters) {
    // left_min 3, right_min 5: "dé-" keeps too few letters before it; "déplace-ments" keeps 5
    // letters after it, "dépla-" 7, both allowed. Offsets stay in bytes.
    Hyphenator strict(default_hyphen_dictionary("fr"), 3, 5);
    EXPECT_EQ(strict.points("déplacements"), (Offsets{6, 8}));
    // hu-ma-ni-taire loses "hu-" (2 letters before it); "humani-taire" keeps 5 after it.
    EXPECT_EQ(hyphenated(strict, "humanitaire"), "huma-ni-taire");
}

TEST(hyphenate, refuses_words_that_are_not_running_text) {
    const Hyphenator& en = english();
    EXPECT_TRUE(en.points("protection@unhcr.org").empty());
    EXPECT_TRUE(en.points("https://reliefweb.int/humanitarian").empty());
    EXPECT_TRUE(en.points("www.humanitarianresponse.info").empty());
    EXPECT_TRUE(en.points("WWW.humanitarianresponse.info").empty());
    EXPECT_TRUE(en.points("2023").empty());
    EXPECT_TRUE(en.points("displacement2").empty());
    EXPECT_TRUE(en.points("COVID-19").empty());
    EXPECT_TRUE(en.points("MINUSMA").empty());
    EXPECT_TRUE(en.points("HUMANITARIAN").empty());
    EXPECT_TRUE(en.points("NSAGs").empty());
    EXPECT_TRUE(en.points("iPhone").empty());
    EXPECT_TRUE(en.points("and/or").empty());
    EXPECT_TRUE(en.points("").empty());
    EXPECT_TRUE(en.points("\xC3").empty());  // a cut UTF-8 sequence
    // Shorter than left_min + right_min (2 + 3) letters.
    EXPECT_TRUE(en.points("camp").empty());
    EXPECT_TRUE(french().points("«\u202Fcamp\u202F»").empty());
}

TEST(hyphenate, strips_punctuation_and_maps_offsets_back) {
    EXPECT_EQ(hyphenated(french(), "«déplacements»"), "«dé-pla-ce-ments»");
    EXPECT_EQ(french().points("«déplacements»"), (Offsets{5, 8, 10}));  // « is two bytes
    EXPECT_EQ(hyphenated(french(), "«\u202Fhumanitaire\u202F»"), "«\u202Fhu-ma-ni-taire\u202F»");
    EXPECT_EQ(hyphenated(french(), "(réfugiés),"), "(ré-fu-giés),");
    EXPECT_EQ(hyphenated(english(), "\"humanitarian\""), "\"hu-man-i-tar-ian\"");
    EXPECT_EQ(hyphenated(english(), "displacement."), "dis-place-ment.");
    EXPECT_EQ(hyphenated(english(), "“displacement”"), "“dis-place-ment”");
}

TEST(hyphenate, compound_words_are_hyphenated_part_by_part) {
    // Each part keeps left_min and right_min letters of its own (so no "-ed" with right_min 3);
    // no point next to the hyphen itself (the paragraph builder breaks after an explicit hyphen).
    EXPECT_EQ(hyphenated(english(), "co-coordinated"), "co-co-or-di-nated");
    EXPECT_EQ(english().points("co-coordinated"), (Offsets{5, 7, 9}));
    EXPECT_EQ(hyphenated(english(), "displacement-affected"), "dis-place-ment-af-fected");
    EXPECT_EQ(hyphenated(english(), "MINUSMA-supported"), "MINUSMA-sup-ported");
    // Apostrophes join parts too: the elided article stays whole.
    EXPECT_EQ(hyphenated(french(), "l’intervention"), "l’in-ter-ven-tion");
    EXPECT_EQ(hyphenated(french(), "d'interventions"), "d'in-ter-ven-tions");
    EXPECT_EQ(hyphenated(english(), "children's"), "chil-dren's");
}

TEST(hyphenate, points_fill_a_kept_vector_up_to_the_longest_word) {
    // The vector is cleared first; its capacity is what a caller keeps from word to word.
    std::vector<std::size_t> out{99, 98, 97, 96};
    french().points("déplacements", out);
    EXPECT_EQ(out, (Offsets{3, 6, 8}));
    english().points("wWw.humanitarianresponse.info", out);
    EXPECT_TRUE(out.empty());
    // Words of up to 200 bytes are hyphenated (here 14 parts of dé-pla-ce-ments and "camp"),
    // longer ones are not.
    std::string word;
    for (int part = 0; part < 14; ++part) word += "déplacements-";
    word += "camp";
    ASSERT_EQ(word.size(), 200u);
    Offsets expected;
    for (std::size_t part = 0; part < 14; ++part)
        for (std::size_t at : Offsets{3, 6, 8}) expected.push_back(part * 14 + at);
    french().points(word, out);
    EXPECT_EQ(out, expected);
    EXPECT_EQ(french().points(word), expected);
    EXPECT_TRUE(french().points(word + "s").empty());
}

TEST(hyphenate, usable_from_several_threads) {
    const std::vector<std::string> words{"déplacements", "interventions", "humanitaire",
                                         "«protection»", "Tombouctou",    "l’intervention"};
    std::vector<Offsets> expected;
    for (const auto& w : words) expected.push_back(french().points(w));
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 2000; ++round)
                for (std::size_t i = 0; i < words.size(); ++i)
                    if (french().points(words[i]) != expected[i]) ++mismatches[t];
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(mismatches, (std::vector<int>{0, 0, 0, 0}));
}

TEST(hyphenate, missing_dictionary_is_an_error_naming_it) {
    EXPECT_EQ(test::error_text([] { Hyphenator h("/usr/share/hyphen/hyph_xx.dic"); }),
              "/usr/share/hyphen/hyph_xx.dic: error: cannot open hyphenation dictionary (no such "
              "file or directory); install the hyphen-en-us or hyphen-fr package or give another "
              "dictionary");
}

TEST(hyphenate, unusable_dictionary_is_an_error_naming_it) {
    const std::string dir = test::make_temp_dir();
    const std::string empty = dir + "/empty.dic";
    test::write_file(empty, "");
    EXPECT_EQ(test::error_text([&] { Hyphenator h(empty); }),
              empty +
                  ": error: not a UTF-8 hyphenation dictionary (its first line must read "
                  "UTF-8); give a libhyphen .dic file");
    const std::string latin1 = dir + "/latin1.dic";
    test::write_file(latin1, "ISO8859-1\nLEFTHYPHENMIN 2\n1ba\n");
    EXPECT_EQ(test::error_text([&] { Hyphenator h(latin1); }),
              latin1 +
                  ": error: not a UTF-8 hyphenation dictionary (its first line must read "
                  "UTF-8); give a libhyphen .dic file");
    EXPECT_EQ(test::error_text([&] { Hyphenator h(dir); }),
              dir + ": error: hyphenation dictionary is a folder; give the path of a .dic file");
    std::filesystem::remove_all(dir);
}
