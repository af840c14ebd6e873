// Hyphenation with libhyphen and Debian's pattern dictionaries.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/files.hpp"

namespace factsheet {

/// A loaded hyphenation dictionary for one language.
class Hyphenator {
public:
    /// Loads a libhyphen dictionary (e.g. /usr/share/hyphen/hyph_fr.dic); throws Error if it cannot.
    /// left_min / right_min: the fewest letters kept before / after a break. The dictionary is
    /// kept compiled in `cache_folder`/hyphenation (none when empty) and read from there while
    /// the file and the program are the ones it was compiled from and by.
    Hyphenator(const std::string& dic_path, int left_min = 2, int right_min = 3,
               const std::string& cache_folder = default_cache_folder());
    ~Hyphenator();
    Hyphenator(const Hyphenator&) = delete;
    Hyphenator& operator=(const Hyphenator&) = delete;

    /// Byte offsets into `word` (UTF-8) where a hyphen may be inserted. Empty for words that must
    /// not be hyphenated: emails, URLs, anything with a digit, acronyms in capitals, words with an
    /// internal capital, and words shorter than left_min + right_min letters.
    std::vector<std::size_t> points(std::string_view word) const;
    /// The same points in `out` (cleared first), whose capacity a caller hyphenating word after
    /// word keeps.
    void points(std::string_view word, std::vector<std::size_t>& out) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The Debian dictionary path for a language code ("en" -> hyph_en_US.dic, "fr" -> hyph_fr.dic).
std::string default_hyphen_dictionary(const std::string& lang);

/// The default dictionary of a language, loaded once for the whole process and shared by every
/// thread (a Hyphenator is safe to use from several at once); null when the language has none,
/// and its text is then set without hyphenation.
std::shared_ptr<const Hyphenator> shared_hyphenator(const std::string& lang);

/// Starts loading a language's default dictionary on another thread and returns at once, so
/// that it is ready when the layout asks shared_hyphenator() for it: compiled from its file, the
/// English one takes a few milliseconds, which a program starting up can spend on its fonts
/// meanwhile. A dictionary the cache folder keeps compiled loads in well under a millisecond, and
/// is left to shared_hyphenator(): a thread would cost more than it saves.
void prefetch_hyphenator(const std::string& lang);

}  // namespace factsheet
