// The compiled hyphenation dictionaries: read back from the cache folder, they hyphenate every
// word exactly as the dictionaries libhyphen loads from their files; anything damaged in the
// cache is passed by.
#include "layout/hyphen_cache.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "common/test_paths.hpp"
#include "layout/hyphenate.hpp"

using namespace factsheet;
using namespace factsheet::layout_detail;

namespace {

// Every word of the real sources, both languages (a few thousand): letters, apostrophes, hyphens.
std::vector<std::string> source_words() {
    std::set<std::string> words;
    const std::regex word(R"([^\s<>"=/.,;:!?()«»&0-9]{2,})");
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("input"))) {
        if (entry.path().extension() != ".xml") continue;
        std::string text = test::read_file(entry.path().string());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator();
             ++it)
            words.insert(it->str());
    }
    return {words.begin(), words.end()};
}

std::vector<std::vector<std::size_t>> all_points(const Hyphenator& h, const std::vector<std::string>& words) {
    std::vector<std::vector<std::size_t>> out;
    out.reserve(words.size());
    for (const std::string& w : words) out.push_back(h.points(w));
    return out;
}

std::vector<std::string> cache_files(const std::string& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder + "/hyphenation", ec))
        out.push_back(entry.path().string());
    return out;
}

HyphenDict* load_with_libhyphen(const std::string& lang) {
    return hnj_hyphen_load(default_hyphen_dictionary(lang).c_str());
}

}  // namespace

TEST(hyphen_cache, kept_dictionaries_hyphenate_every_word_as_libhyphen_does) {
    const std::vector<std::string> words = source_words();
    ASSERT_GT(words.size(), 2000u);
    const std::string folder = test::make_temp_dir();
    std::size_t hyphenated = 0;
    for (const std::string lang : {"en", "fr"}) {
        SCOPED_TRACE(lang);
        const std::string dic = default_hyphen_dictionary(lang);
        const auto expected = all_points(Hyphenator(dic, 2, 3, ""), words);
        const std::size_t before = cache_files(folder).size();
        const auto compiled_then_kept = all_points(Hyphenator(dic, 2, 3, folder), words);  // loads, keeps
        EXPECT_EQ(cache_files(folder).size(), before + 1);
        const auto read_back = all_points(Hyphenator(dic, 2, 3, folder), words);  // reads the kept one
        EXPECT_EQ(cache_files(folder).size(), before + 1);
        EXPECT_EQ(compiled_then_kept, expected);
        EXPECT_EQ(read_back, expected);
        for (const auto& p : expected) hyphenated += p.empty() ? 0 : 1;
    }
    EXPECT_GT(hyphenated, 1000u);
    std::filesystem::remove_all(folder);
}

TEST(hyphen_cache, a_damaged_entry_is_passed_by_and_replaced) {
    const std::vector<std::string> words = source_words();
    const std::string folder = test::make_temp_dir();
    const std::string dic = default_hyphen_dictionary("fr");
    const auto expected = all_points(Hyphenator(dic, 2, 3, ""), words);
    { Hyphenator keep(dic, 2, 3, folder); }
    ASSERT_EQ(cache_files(folder).size(), 1u);
    const std::string entry = cache_files(folder).front();
    const std::string whole = test::read_file(entry);
    for (const std::string& damaged : {whole.substr(0, whole.size() / 2), whole.substr(0, 40), std::string(),
                                       whole + "x", std::string("not a cache entry at all")}) {
        test::write_file(entry, damaged);
        EXPECT_EQ(all_points(Hyphenator(dic, 2, 3, folder), words), expected);
        EXPECT_EQ(test::read_file(entry), whole);  // written again, whole
    }
    std::filesystem::remove_all(folder);
}

TEST(hyphen_cache, packing_round_trips_and_unpacking_checks_every_index) {
    for (const std::string lang : {"en", "fr"}) {
        SCOPED_TRACE(lang);
        HyphenDict* dict = load_with_libhyphen(lang);
        ASSERT_NE(dict, nullptr);
        const std::string packed = pack_hyphen_dict(*dict);
        ASSERT_FALSE(packed.empty());
        std::unique_ptr<CompiledHyphenDict> back = unpack_hyphen_dict(packed);
        ASSERT_NE(back, nullptr);
        EXPECT_EQ(pack_hyphen_dict(*back->get()), packed);
        // The levels as libhyphen made them: English gets a first level of its own with the
        // NOHYPHEN sequences ' – ’ -, French has two from its NEXTLEVEL.
        ASSERT_NE(back->get()->nextlevel, nullptr);
        EXPECT_EQ(back->get()->nextlevel->nextlevel, nullptr);
        EXPECT_EQ(back->get()->num_states, dict->num_states);
        EXPECT_EQ(back->get()->nextlevel->num_states, dict->nextlevel->num_states);
        EXPECT_EQ(back->get()->nohyphenl, dict->nohyphenl);
        if (lang == "en") {
            ASSERT_NE(back->get()->nohyphen, nullptr);
            EXPECT_EQ(std::string(back->get()->nohyphen), "'");
        }
        hnj_hyphen_free(dict);

        // Cut anywhere, the bytes are refused, never read past.
        for (std::size_t cut = 0; cut < packed.size(); cut += 1 + cut / 3)
            EXPECT_EQ(unpack_hyphen_dict(std::string_view(packed).substr(0, cut)), nullptr) << cut;
    }
    // A state whose transition leads to a state the level does not have: a one-level, one-state
    // dictionary with a transition to state 1.
    std::string bad;
    auto put32 = [&](std::int32_t v) { bad.append(reinterpret_cast<const char*>(&v), sizeof v); };
    put32(1);                           // one level
    bad.append("\x02\x03\x00\x00", 4);  // lhmin rhmin clhmin crhmin
    put32(1);                           // utf8
    put32(-1);                          // no NOHYPHEN
    bad.append(20, '\0');               // cset
    put32(1);                           // one state
    put32(-1);                          // no match
    put32(-1);                          // no replacement
    bad.append("\0\0", 2);              // replindex, replcut
    put32(-1);                          // no fallback
    put32(1);                           // one transition...
    bad.push_back('a');
    put32(1);  // ...to state 1
    EXPECT_EQ(unpack_hyphen_dict(bad), nullptr);
    bad.resize(bad.size() - 4);
    put32(0);  // to state 0: whole
    EXPECT_NE(unpack_hyphen_dict(bad), nullptr);
}
