// Hyphenation points from libhyphen's pattern dictionaries (Liang's patterns, as in TeX).
//
// What libhyphen 2.8.8 does with a UTF-8 dictionary (the Debian ones are: their first line reads
// "UTF-8"), as measured: hnj_hyphen_hyphenate2 takes the word's bytes but returns its hyphens[]
// array indexed by CHARACTER (code point), an odd value at i allowing a break after character i:
// "déplacements" (13 bytes, 12 characters) comes back as 0,1,2,0,1,0,1,0,... = dé-pla-ce-ments.
// So the results are mapped back to bytes through the code points' offsets, and a break can never
// fall inside a UTF-8 sequence.
//
// hnj_hyphen_hyphenate2 only reads the dictionary and works in buffers it allocates per call (or
// that the caller passes), so one loaded dictionary serves several threads at once as long as each
// call has its own buffers, which points() does.
//
// hnj_hyphen_hyphenate2 already keeps the dictionary's own LEFTHYPHENMIN/RIGHTHYPHENMIN (fr: 2/2,
// en: 2/3); the Hyphenator's left_min/right_min are applied on top, in characters, so the larger
// of the two wins.

#include "layout/hyphenate.hpp"

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/hash.hpp"
#include "common/language.hpp"
#include "common/utf8.hpp"
#include "layout/hyphen_cache.hpp"

#include <hyphen.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <system_error>

namespace factsheet {
namespace {

// A word longer than this many bytes is not a word of running text (a hash, a joined list...):
// it is not hyphenated, which also keeps libhyphen's per-call buffers small.
constexpr std::size_t max_word_bytes = 200;

// One decoded character of the word and where its bytes start. No default values: a DecodedWord
// would otherwise clear all of its entries for every word.
struct CodePoint {
    char32_t value;
    std::size_t offset;
};

// A word's characters, decoded into a buffer on the stack: a word has at most max_word_bytes of
// them. points() is asked for about 600 words per factsheet; buffers on the heap cost it three
// allocations a word.
struct DecodedWord {
    std::array<CodePoint, max_word_bytes> chars;
    std::size_t size = 0;

    const CodePoint& operator[](std::size_t i) const { return chars[i]; }
};

// Decodes UTF-8 of at most max_word_bytes; returns false on malformed input (such a word is left
// unhyphenated).
bool decode_utf8(std::string_view text, DecodedWord& out) {
    std::size_t i = 0;
    out.size = 0;
    while (i < text.size()) {
        std::size_t at = i;
        char32_t value = 0;
        if (!utf8::next_strict(text, i, value)) return false;
        out.chars[out.size++] = {value, at};
    }
    return true;
}

// Writes the UTF-8 encoding of a code point at `out`; returns its length (at most 4).
std::size_t encode_utf8(char32_t cp, char* out) {
    std::string bytes;  // short enough for the string's own buffer: no allocation
    utf8::append(bytes, cp);
    std::copy(bytes.begin(), bytes.end(), out);
    return bytes.size();
}

// Characters that join parts of one word: hyphens and apostrophes. Each part is hyphenated on its
// own and no break is offered next to them (the paragraph builder already breaks after a hyphen).
bool is_joiner(char32_t c) {
    return c == U'-' || c == 0x2010 || c == 0x2011 || c == U'\'' || c == 0x2019;
}

// Words that are not running text: addresses, links ("www." in any case) and anything with a digit.
bool is_unhyphenable_token(std::string_view word) {
    if (word.find('@') != std::string_view::npos || word.find("://") != std::string_view::npos) return true;
    auto ascii_lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (std::size_t i = 0; i + 4 <= word.size(); ++i)
        if (ascii_lower(word[i]) == 'w' && ascii_lower(word[i + 1]) == 'w' &&
            ascii_lower(word[i + 2]) == 'w' && word[i + 3] == '.')
            return true;
    return std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Where the machine compiled from the dictionary `dic_path` by this program is kept in
/// `cache_folder`, and the key its entry begins with; both empty when it cannot be kept.
struct KeptEntry {
    std::string path, key;
};
KeptEntry kept_entry(const std::string& dic_path, const std::string& cache_folder) {
    if (cache_folder.empty()) return {};
    std::string identity = file_identity(dic_path), program = file_identity("/proc/self/exe");
    if (identity.empty() || program.empty()) return {};
    std::string key = "factsheet hyphenation 1 program " + program + " dictionary " + identity + "\n";
    char name[17];
    std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
    return {cache_folder + "/hyphenation/" + name, std::move(key)};
}

}  // namespace

struct Hyphenator::Impl {
    HyphenDict* dict = nullptr;    // the one hyphenating: `loaded`'s or `compiled`'s
    HyphenDict* loaded = nullptr;  // libhyphen's, read from the file; freed by libhyphen
    std::unique_ptr<layout_detail::CompiledHyphenDict> compiled;  // read from the cache
    std::size_t left_min = 2;
    std::size_t right_min = 3;

    // Appends the break offsets of one part of a word: letters [begin, end) of `cps`.
    void hyphenate_part(const DecodedWord& cps, std::size_t begin, std::size_t end,
                        std::vector<std::size_t>& out) const {
        const std::size_t letters = end - begin;
        if (letters < left_min + right_min) return;
        // Acronyms and internal capitals ("MINUSMA", "NSAGs", "iPhone"): any capital after the
        // first letter means the part is a name or code, not a word the patterns know.
        for (std::size_t i = begin + 1; i < end; ++i)
            if (utf8::is_upper(cps[i].value)) return;

        // At most 4 bytes a character, and libhyphen's hyphens[] takes 5 more than the word.
        std::array<char, 4 * max_word_bytes> lower;
        std::size_t lower_size = 0;
        for (std::size_t i = begin; i < end; ++i)
            lower_size += encode_utf8(utf8::to_lower(cps[i].value), lower.data() + lower_size);
        const int size = static_cast<int>(lower_size);
        std::array<char, 4 * max_word_bytes + 5> hyphens;
        std::fill_n(hyphens.begin(), lower_size + 5, '0');
        // libhyphen dereferences these even for standard hyphenation, so they must point to nulls.
        char** rep = nullptr;
        int* pos = nullptr;
        int* cut = nullptr;
        const int failed =
            hnj_hyphen_hyphenate2(dict, lower.data(), size, hyphens.data(), nullptr, &rep, &pos, &cut);

        // hyphens[k] odd: a break after letter k, i.e. before letter k + 1. A non-standard
        // break (rep[k] set: a spelling change, as in German) cannot be a plain hyphen; the
        // en and fr dictionaries have none, so those points are simply not offered.
        if (!failed) {
            for (std::size_t k = left_min - 1; k + right_min < letters; ++k) {
                if ((hyphens[k] - '0') % 2 == 0) continue;
                if (rep && rep[k]) continue;
                out.push_back(cps[begin + k + 1].offset);
            }
        }
        if (rep) {
            for (int i = 0; i < size; ++i) std::free(rep[i]);
            std::free(rep);
        }
        std::free(pos);
        std::free(cut);
    }
};

Hyphenator::Hyphenator(const std::string& dic_path, int left_min, int right_min,
                       const std::string& cache_folder)
    : impl_(std::make_unique<Impl>()) {
    // Opened here rather than by hnj_hyphen_load so that the reason of a failure can be told.
    std::error_code ignored;
    if (std::filesystem::is_directory(dic_path, ignored))
        throw Error(SourcePos{dic_path, 0, 0},
                    "hyphenation dictionary is a folder; give the path of a .dic file");
    // libhyphen reads the file itself: a FIFO or a device must not reach it (it would block, or
    // read without end). A dictionary is a few hundred kilobytes.
    constexpr std::size_t max_dictionary_bytes = 64 * 1024 * 1024;
    auto cannot_open = [&](int e) {
        std::string reason = std::generic_category().message(e);
        if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
        return Error(SourcePos{dic_path, 0, 0},
                     "cannot open hyphenation dictionary (" + reason +
                         "); install the hyphen-en-us or hyphen-fr package or give another dictionary");
    };
    check_regular_file(
        dic_path, max_dictionary_bytes,
        layout_file_errors(dic_path, "the hyphenation dictionary", max_dictionary_bytes, cannot_open));
    // The machine libhyphen built from this very file before, kept compiled (hyphen_cache.hpp).
    const KeptEntry entry = kept_entry(dic_path, cache_folder);
    const std::string& kept = entry.path;
    const std::string& key = entry.key;
    if (!kept.empty()) {
        try {
            auto none = [&](auto&&...) { return Error(SourcePos{kept, 0, 0}, "not a cache entry"); };
            // Mapped, not read: the machine is unpacked into memory of its own, and reading it
            // into a new buffer first cost a cold French build 25 page faults (its 120 KB).
            MappedFile entry_file(kept, max_dictionary_bytes, FileErrors{none, none, none});
            std::string_view bytes = entry_file.bytes();
            if (bytes.substr(0, key.size()) == key)
                impl_->compiled = layout_detail::unpack_hyphen_dict(bytes.substr(key.size()));
        } catch (const Error&) {
            // none yet, or not one to read: the dictionary is loaded from its file
        }
    }
    if (impl_->compiled && impl_->compiled->get()->utf8 != 0) {
        touch_cache_entry(kept);
        impl_->dict = impl_->compiled->get();
        impl_->left_min = static_cast<std::size_t>(std::max(left_min, 1));
        impl_->right_min = static_cast<std::size_t>(std::max(right_min, 1));
        return;
    }
    impl_->compiled.reset();

    std::FILE* file = std::fopen(dic_path.c_str(), "rb");
    if (!file) {
        std::string reason = std::generic_category().message(errno);
        if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
        throw Error(SourcePos{dic_path, 0, 0},
                    "cannot open hyphenation dictionary (" + reason +
                        "); install the hyphen-en-us or hyphen-fr package or give another dictionary");
    }
    impl_->dict = hnj_hyphen_load_file(file);
    std::fclose(file);
    if (!impl_->dict || impl_->dict->utf8 == 0) {
        if (impl_->dict) hnj_hyphen_free(impl_->dict);
        throw Error(SourcePos{dic_path, 0, 0},
                    "not a UTF-8 hyphenation dictionary (its first line must read UTF-8); "
                    "give a libhyphen .dic file");
    }
    impl_->loaded = impl_->dict;
    if (!kept.empty()) {
        std::string packed = layout_detail::pack_hyphen_dict(*impl_->dict);
        if (!packed.empty()) write_cache_entry(kept, key + packed);
    }
    // At least one letter on each side: a break at either end of a word is no break.
    impl_->left_min = static_cast<std::size_t>(std::max(left_min, 1));
    impl_->right_min = static_cast<std::size_t>(std::max(right_min, 1));
}

// libhyphen 2.8.8 itself loses about 130 bytes per load of hyph_fr.dic (in hnj_hyphen_load_line):
// LeakSanitizer reports it under hnj_malloc; there is nothing of ours left to free.
Hyphenator::~Hyphenator() {
    if (impl_ && impl_->loaded) hnj_hyphen_free(impl_->loaded);
}

std::vector<std::size_t> Hyphenator::points(std::string_view word) const {
    std::vector<std::size_t> out;
    points(word, out);
    return out;
}

void Hyphenator::points(std::string_view word, std::vector<std::size_t>& out) const {
    out.clear();
    if (word.size() > max_word_bytes || is_unhyphenable_token(word)) return;
    DecodedWord cps;
    if (!decode_utf8(word, cps)) return;

    // Leading and trailing punctuation (quotes, brackets, « », commas, periods, no-break spaces)
    // is not part of the word: strip it for the lookup, and keep offsets into the original.
    std::size_t begin = 0;
    std::size_t end = cps.size;
    while (begin < end && !utf8::is_letter(cps[begin].value)) ++begin;
    while (end > begin && !utf8::is_letter(cps[end - 1].value)) --end;

    // Inside the word only letters and joiners are expected; anything else ("and/or", "e.g",
    // "A&B") is not a word the patterns know.
    for (std::size_t i = begin; i < end; ++i)
        if (!utf8::is_letter(cps[i].value) && !is_joiner(cps[i].value)) return;

    // A word with hyphens or apostrophes is hyphenated part by part ("co-coordinated" ->
    // co-co-or-di-nated, "l’intervention" -> l’in-ter-ven-tion), each part keeping left_min and
    // right_min letters on its own.
    std::size_t part = begin;
    for (std::size_t i = begin; i <= end; ++i) {
        if (i < end && !is_joiner(cps[i].value)) continue;
        impl_->hyphenate_part(cps, part, i, out);
        part = i + 1;
    }
}

namespace {

std::shared_ptr<const Hyphenator> load_default(const std::string& lang) {
    try {
        return std::make_shared<const Hyphenator>(default_hyphen_dictionary(lang));
    } catch (const Error&) {
        return nullptr;  // no dictionary for this language
    }
}

// One load per language for the process. A load started by prefetch_hyphenator() runs on its own
// thread; one asked for first by shared_hyphenator() runs in the first thread that waits for it.
struct Loads {
    std::mutex mutex;
    std::map<std::string, std::shared_future<std::shared_ptr<const Hyphenator>>> by_lang;

    std::shared_future<std::shared_ptr<const Hyphenator>> get(const std::string& lang, std::launch how) {
        std::lock_guard<std::mutex> lock(mutex);
        auto it = by_lang.find(lang);
        if (it == by_lang.end())
            it = by_lang.emplace(lang, std::async(how, load_default, lang).share()).first;
        return it->second;
    }
};

// Never destroyed: freeing the dictionaries as the process exits (libhyphen frees each of its
// thousands of states one by one) was 5 % of a cold English build; the system takes the memory
// back at once. They stay reachable from here, so leak checkers do not count them.
Loads& loads() {
    static Loads* instance = new Loads;
    return *instance;
}

}  // namespace

std::shared_ptr<const Hyphenator> shared_hyphenator(const std::string& lang) {
    return loads().get(lang, std::launch::deferred).get();
}

void prefetch_hyphenator(const std::string& lang) {
    // Read back compiled, a dictionary loads in well under a millisecond: a thread of its own
    // would cost more (its stack, and an arena of the allocator's whose pages are not the main
    // heap's huge ones) than it saves, and it is loaded when first asked for.
    try {
        const KeptEntry kept = kept_entry(default_hyphen_dictionary(lang), default_cache_folder());
        std::error_code ignored;
        if (!kept.path.empty() && std::filesystem::is_regular_file(kept.path, ignored)) return;
    } catch (const Error&) {
        return;  // no dictionary for this language: nothing to load
    }
    loads().get(lang, std::launch::async);
}

std::string default_hyphen_dictionary(const std::string& lang) {
    std::optional<Lang> known = lang_from_code(lang);
    if (known == Lang::en) return "/usr/share/hyphen/hyph_en_US.dic";
    if (known == Lang::fr) return "/usr/share/hyphen/hyph_fr.dic";
    throw Error(SourcePos{}, "no hyphenation dictionary for language \"" + lang + "\"; use \"en\" or \"fr\"");
}

}  // namespace factsheet
