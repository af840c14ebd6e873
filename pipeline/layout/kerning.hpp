// Pair kerning read from a font's own tables, so measured lines are as wide as the text drawn with
// the font's kerning. Reads the bytes of the tables only; the caller loads them (FreeType). Once
// built, a PairKerning is immutable and keeps no pointer into those bytes, so threads share it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace factsheet {

class PackedReader;

/// Pair kerning of a TrueType/OpenType font: the pair adjustment lookups (GPOS lookup type 2, also
/// inside extension lookups, type 9) of its 'kern' feature, or its legacy 'kern' table (format 0)
/// when GPOS has no 'kern' feature.
class PairKerning {
public:
    /// No kerning.
    PairKerning() = default;
    /// gpos, kern: the bytes of the font's GPOS and 'kern' tables, empty when the font has none.
    /// glyph_count: maxp.numGlyphs. Throws Error at {path, 0, 0} when a table is damaged (an offset
    /// or count running past its end), saying so and what to do (reinstall or replace the font).
    PairKerning(std::string_view gpos, std::string_view kern, std::uint16_t glyph_count,
                const std::string& path);
    /// How the advance of glyph `left` changes when glyph `right` follows, in font units
    /// (negative: closer). 0 for pairs the font does not kern and for ids past glyph_count.
    std::int32_t pair(std::uint16_t left, std::uint16_t right) const;
    /// Whether the font kerns any pair.
    bool empty() const { return glyph_count_ == 0; }

    /// Appends the kerning as bytes, for the cache folder (common/packed.hpp).
    void pack(std::string& out) const;
    /// Reads kerning pack() wrote; false when the bytes do not hold one whose every index stays
    /// inside its arrays (a damaged entry), and this object is then left with no kerning.
    bool unpack(PackedReader& in);

private:
    struct Builder;  // reads the tables into the arrays below

    /// One subtable that may apply when a given glyph comes first.
    struct Candidate {
        std::uint32_t begin = 0;    // format 1: first of its pairs; format 2: its class1 row's values
        std::uint32_t count = 0;    // format 1: how many pairs; format 2: class2Count
        std::uint32_t classes = 0;  // format 2: where its ClassDef2 starts in classes_; format 1: no_classes
        std::uint32_t lookup = 0;   // at most one subtable of a lookup applies to a pair
    };
    static constexpr std::uint32_t no_classes = 0xFFFFFFFF;

    std::uint32_t glyph_count_ = 0;           // 0 when the font kerns nothing
    std::vector<std::uint32_t> firsts_;       // per left glyph: its candidates are [firsts_[g], firsts_[g+1])
    std::vector<Candidate> candidates_;       // by left glyph, then in lookup and subtable order
    std::vector<std::uint16_t> seconds_;      // format 1 pairs: second glyphs, sorted within a pair set
    std::vector<std::int32_t> advances_;      // format 1 pairs: the first glyph's advance change
    std::vector<std::uint16_t> classes_;      // format 2: ClassDef2 of each subtable as a dense array
    std::vector<std::int32_t> class_values_;  // format 2: advance change per class1 row and class2
};

}  // namespace factsheet
