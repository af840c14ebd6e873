// Private to the layout stage: libhyphen's dictionaries kept compiled between runs.
//
// libhyphen reads a dictionary's patterns into a state machine (struct _HyphenDict of hyphen.h:
// states, their matches and transitions, and a second level under NEXTLEVEL), one allocation per
// state and string: loading the English one is 39M instructions, 42 % of a cold English build.
// The machine is written once into a file of the cache folder and read back in one piece; the
// hyphenation itself stays libhyphen's (hnj_hyphen_hyphenate2 only reads the machine), so the
// points found are the same by construction.
#pragma once

#include <hyphen.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace factsheet::layout_detail {

/// A dictionary rebuilt from its packed form: libhyphen's structures, whose pointers point into
/// storage this object owns (never to be given to hnj_hyphen_free).
class CompiledHyphenDict {
public:
    /// The first level, as hnj_hyphen_hyphenate2 takes it.
    HyphenDict* get() { return &levels_.front(); }

private:
    friend std::unique_ptr<CompiledHyphenDict> unpack_hyphen_dict(std::string_view bytes);
    std::vector<HyphenDict> levels_;
    std::vector<std::vector<HyphenState>> states_;  // per level
    std::vector<HyphenTrans> transitions_;          // every state's, one after another
    std::string strings_;  // every match, replacement and NOHYPHEN sequence, each ending in NUL
};

/// The dictionary's machine as bytes; empty when it has what this form does not hold (more than
/// two levels, more than 4,096 NOHYPHEN sequences): such a dictionary is loaded from its file
/// each time.
std::string pack_hyphen_dict(const HyphenDict& dict);

/// The dictionary `bytes` (from pack_hyphen_dict) hold; null unless they are whole and every
/// state and transition they name exists.
std::unique_ptr<CompiledHyphenDict> unpack_hyphen_dict(std::string_view bytes);

}  // namespace factsheet::layout_detail
