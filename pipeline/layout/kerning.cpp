#include "layout/kerning.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <tuple>
#include <utility>

#include "common/big_endian.hpp"
#include "common/error.hpp"
#include "common/packed.hpp"

// Table layouts follow the OpenType specification 1.9: "GPOS — Glyph Positioning Table" (header,
// lookup types 2 and 9), "OpenType Layout Common Table Formats" (ScriptList, FeatureList,
// LookupList, Coverage, ClassDef) and "kern — Kerning" (version 0, subtable format 0).

namespace factsheet {

namespace {

constexpr std::uint32_t no_lookup = 0xFFFFFFFF;
constexpr std::uint16_t no_feature = 0xFFFF;   // LangSys.requiredFeatureIndex when there is none
constexpr std::uint16_t x_placement = 0x0001;  // ValueFormat bits before XAdvance in a ValueRecord
constexpr std::uint16_t y_placement = 0x0002;
constexpr std::uint16_t x_advance = 0x0004;

constexpr std::uint32_t tag(const char (&name)[5]) {
    return std::uint32_t(std::uint8_t(name[0])) << 24 | std::uint32_t(std::uint8_t(name[1])) << 16 |
           std::uint32_t(std::uint8_t(name[2])) << 8 | std::uint32_t(std::uint8_t(name[3]));
}

// Big-endian reads of one font table. Every structure is checked to lie inside the table before it
// is read, so a damaged font ends in an Error naming the structure instead of reading past the end.
class Table {
public:
    Table(std::string_view bytes, std::string name, const std::string& path)
        : bytes_(bytes), name_(std::move(name)), path_(path) {}

    // Checks that `length` bytes of the structure `what` from byte `at` lie inside the table.
    void need(std::size_t at, std::size_t length, const char* what) const {
        if (at > bytes_.size() || length > bytes_.size() - at) damaged(what, at);
    }
    std::uint16_t u16(std::size_t at, const char* what) const {
        need(at, 2, what);
        return big_endian::u16(bytes_, at);
    }
    std::int16_t i16(std::size_t at, const char* what) const {
        return static_cast<std::int16_t>(u16(at, what));
    }
    std::uint32_t u32(std::size_t at, const char* what) const {
        need(at, 4, what);
        return big_endian::u32(bytes_, at);
    }
    // The structure at the 16-bit offset stored at `at` from `base`; 0 for a null offset.
    std::size_t offset16(std::size_t base, std::size_t at, const char* what) const {
        std::uint16_t offset = u16(at, what);
        return offset == 0 ? 0 : base + offset;
    }
    [[noreturn]] void damaged(const char* what, std::size_t at) const {
        throw Error(SourcePos{path_, 0, 0}, "damaged " + name_ + " table: its " + what + " at byte " +
                                                std::to_string(at) + " runs past the end of the table (" +
                                                std::to_string(bytes_.size()) + " bytes); " + advice);
    }
    // Counts entries read or stored. Real fonts need a few hundred thousand; a damaged table whose
    // offsets make lookups share and overlap their data could otherwise take minutes and gigabytes.
    void spend(std::size_t entries) const {
        work_ += entries;
        if (work_ > work_limit)
            throw Error(SourcePos{path_, 0, 0}, "damaged " + name_ + " table: its kerning data runs over " +
                                                    std::to_string(work_limit) + " entries; " + advice);
    }
    [[noreturn]] void bad_index(const char* what, std::size_t at, const char* names, std::size_t index,
                                std::size_t count) const {
        throw Error(SourcePos{path_, 0, 0}, "damaged " + name_ + " table: its " + what + " at byte " +
                                                std::to_string(at) + " names " + names + " " +
                                                std::to_string(index) + " of " + std::to_string(count) +
                                                "; " + advice);
    }

private:
    static constexpr std::size_t work_limit = std::size_t(1) << 24;
    static constexpr const char* advice = "reinstall the font or replace it with an undamaged copy";

    std::string_view bytes_;
    std::string name_;
    const std::string& path_;
    mutable std::size_t work_ = 0;
};

// A glyph covered by a Coverage table and its coverage index.
struct Covered {
    std::uint16_t glyph;
    std::uint16_t index;
};

// The glyphs below glyph_count listed by the Coverage table at `at`, by glyph id. A glyph listed twice
// keeps its first index; unknown formats cover nothing, as OpenType readers treat them.
std::vector<Covered> read_coverage(const Table& t, std::size_t at, std::uint32_t glyph_count) {
    std::vector<Covered> out;
    if (at == 0) return out;
    std::uint16_t format = t.u16(at, "Coverage");
    std::uint16_t count = t.u16(at + 2, "Coverage");
    if (format == 1) {
        t.need(at, 4 + 2 * std::size_t(count), "Coverage");
        t.spend(count);
        for (std::uint16_t i = 0; i < count; ++i) {
            std::uint16_t glyph = t.u16(at + 4 + 2 * std::size_t(i), "Coverage");
            if (glyph < glyph_count) out.push_back({glyph, i});
        }
    } else if (format == 2) {
        t.need(at, 4 + 6 * std::size_t(count), "Coverage");
        for (std::size_t i = 0; i < count; ++i) {
            std::size_t range = at + 4 + 6 * i;
            std::uint32_t start = t.u16(range, "Coverage");
            std::uint32_t end = std::min<std::uint32_t>(t.u16(range + 2, "Coverage"), glyph_count - 1);
            std::uint32_t first_index = t.u16(range + 4, "Coverage");
            if (start <= end) t.spend(end - start + 1);
            for (std::uint32_t glyph = start; glyph <= end && glyph < glyph_count; ++glyph) {
                std::uint32_t index = first_index + (glyph - start);
                if (index > 0xFFFF) break;
                out.push_back({static_cast<std::uint16_t>(glyph), static_cast<std::uint16_t>(index)});
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](Covered a, Covered b) { return a.glyph < b.glyph; });
    out.erase(std::unique(out.begin(), out.end(), [](Covered a, Covered b) { return a.glyph == b.glyph; }),
              out.end());
    return out;
}

// Fills `classes` (glyph_count entries, all 0 beforehand) from the ClassDef table at `at`: glyphs it
// does not list stay in class 0.
void read_class_def(const Table& t, std::size_t at, std::uint32_t glyph_count, std::uint16_t* classes) {
    if (at == 0) return;
    std::uint16_t format = t.u16(at, "ClassDef");
    if (format == 1) {
        std::uint32_t start = t.u16(at + 2, "ClassDef");
        std::uint16_t count = t.u16(at + 4, "ClassDef");
        t.need(at, 6 + 2 * std::size_t(count), "ClassDef");
        t.spend(count);
        for (std::uint32_t i = 0; i < count && start + i < glyph_count; ++i)
            classes[start + i] = t.u16(at + 6 + 2 * std::size_t(i), "ClassDef");
    } else if (format == 2) {
        std::uint16_t count = t.u16(at + 2, "ClassDef");
        t.need(at, 4 + 6 * std::size_t(count), "ClassDef");
        for (std::size_t i = 0; i < count; ++i) {
            std::size_t range = at + 4 + 6 * i;
            std::uint32_t start = t.u16(range, "ClassDef");
            std::uint32_t end = t.u16(range + 2, "ClassDef");
            std::uint16_t value = t.u16(range + 4, "ClassDef");
            if (start <= end && start < glyph_count) t.spend(std::min(end + 1, glyph_count) - start);
            for (std::uint32_t glyph = start; glyph <= end && glyph < glyph_count; ++glyph)
                classes[glyph] = value;
        }
    }
}

// Where XAdvance sits in a ValueRecord of this format, or -1 when the record has none. Fields come in
// bit order, each 2 bytes (device table offsets included).
int x_advance_offset(std::uint16_t value_format) {
    if ((value_format & x_advance) == 0) return -1;
    return 2 * std::popcount(static_cast<unsigned>(value_format & (x_placement | y_placement)));
}

std::size_t value_record_size(std::uint16_t value_format) {
    return 2 * static_cast<std::size_t>(std::popcount(static_cast<unsigned>(value_format)));
}

}  // namespace

// Reads the tables into a list of (first glyph, candidate subtable), then groups it by first glyph.
struct PairKerning::Builder {
    PairKerning& k;
    std::uint32_t glyph_count;
    std::vector<std::pair<std::uint16_t, Candidate>> found;  // in lookup and subtable order
    std::vector<std::uint16_t> class1;                       // scratch: ClassDef1 of one subtable
    bool any_kerning = false;                                // some pair's advance changes
    // PairSets read: (offset, ValueFormat1, ValueFormat2) -> their pairs in seconds_ and advances_.
    std::map<std::tuple<std::size_t, std::uint16_t, std::uint16_t>, std::pair<std::uint32_t, std::uint32_t>>
        pair_sets;

    // The offset of the default LangSys of script 'latn', else 'DFLT', else the first script (0: none).
    std::size_t choose_lang_sys(const Table& t, std::size_t script_list) const {
        std::uint16_t count = t.u16(script_list, "ScriptList");
        t.need(script_list, 2 + 6 * std::size_t(count), "ScriptList");
        auto default_lang_sys = [&](std::size_t record) -> std::size_t {
            std::size_t script = t.offset16(script_list, record + 4, "ScriptList");
            return script == 0 ? 0 : t.offset16(script, script, "Script");
        };
        for (std::uint32_t wanted : {tag("latn"), tag("DFLT")})
            for (std::size_t i = 0; i < count; ++i) {
                std::size_t record = script_list + 2 + 6 * i;
                if (t.u32(record, "ScriptList") != wanted) continue;
                if (std::size_t lang_sys = default_lang_sys(record)) return lang_sys;
            }
        return count == 0 ? 0 : default_lang_sys(script_list + 2);
    }

    // Adds the lookups of the chosen LangSys's 'kern' features; false when it has no such feature.
    bool read_gpos(std::string_view bytes, const std::string& path) {
        if (bytes.empty()) return false;
        Table t(bytes, "GPOS", path);
        t.need(0, 10, "header");
        if (t.u16(0, "header") != 1) return false;  // a major version this reader does not know
        std::size_t script_list = t.offset16(0, 4, "header");
        std::size_t feature_list = t.offset16(0, 6, "header");
        std::size_t lookup_list = t.offset16(0, 8, "header");
        if (script_list == 0 || feature_list == 0 || lookup_list == 0) return false;
        std::size_t lang_sys = choose_lang_sys(t, script_list);
        if (lang_sys == 0) return false;

        std::uint16_t required = t.u16(lang_sys + 2, "LangSys");
        std::uint16_t feature_index_count = t.u16(lang_sys + 4, "LangSys");
        t.need(lang_sys, 6 + 2 * std::size_t(feature_index_count), "LangSys");
        std::vector<std::uint16_t> features;
        if (required != no_feature) features.push_back(required);
        for (std::size_t i = 0; i < feature_index_count; ++i)
            features.push_back(t.u16(lang_sys + 6 + 2 * i, "LangSys"));

        std::uint16_t feature_count = t.u16(feature_list, "FeatureList");
        t.need(feature_list, 2 + 6 * std::size_t(feature_count), "FeatureList");
        bool has_kern = false;
        std::vector<std::uint16_t> lookups;
        for (std::uint16_t index : features) {
            if (index >= feature_count) t.bad_index("LangSys", lang_sys, "feature", index, feature_count);
            std::size_t record = feature_list + 2 + 6 * std::size_t(index);
            if (t.u32(record, "FeatureList") != tag("kern")) continue;
            has_kern = true;
            std::size_t feature = t.offset16(feature_list, record + 4, "FeatureList");
            if (feature == 0) continue;
            std::uint16_t lookup_index_count = t.u16(feature + 2, "Feature");
            t.need(feature, 4 + 2 * std::size_t(lookup_index_count), "Feature");
            for (std::size_t i = 0; i < lookup_index_count; ++i)
                lookups.push_back(t.u16(feature + 4 + 2 * i, "Feature"));
        }
        // Lookups apply in LookupList order, each once, however the features list them.
        std::sort(lookups.begin(), lookups.end());
        lookups.erase(std::unique(lookups.begin(), lookups.end()), lookups.end());

        std::uint16_t lookup_count = t.u16(lookup_list, "LookupList");
        t.need(lookup_list, 2 + 2 * std::size_t(lookup_count), "LookupList");
        for (std::uint16_t index : lookups) {
            if (index >= lookup_count)
                t.bad_index("'kern' Feature", feature_list, "lookup", index, lookup_count);
            std::size_t lookup =
                t.offset16(lookup_list, lookup_list + 2 + 2 * std::size_t(index), "LookupList");
            if (lookup == 0) continue;
            std::uint16_t type = t.u16(lookup, "Lookup");
            std::uint16_t subtable_count = t.u16(lookup + 4, "Lookup");
            t.need(lookup, 6 + 2 * std::size_t(subtable_count), "Lookup");
            for (std::size_t i = 0; i < subtable_count; ++i) {
                std::size_t subtable = t.offset16(lookup, lookup + 6 + 2 * i, "Lookup");
                if (subtable == 0) continue;
                if (type == 2) {
                    read_pair_pos(t, subtable, index);
                } else if (type == 9) {
                    t.need(subtable, 8, "ExtensionPos subtable");
                    std::uint32_t offset = t.u32(subtable + 4, "ExtensionPos subtable");
                    if (t.u16(subtable, "ExtensionPos subtable") == 1 &&
                        t.u16(subtable + 2, "ExtensionPos subtable") == 2 && offset != 0)
                        read_pair_pos(t, subtable + offset, index);
                }
            }
        }
        return has_kern;
    }

    // One pair adjustment subtable (lookup type 2), formats 1 (glyph pairs) and 2 (class pairs).
    void read_pair_pos(const Table& t, std::size_t at, std::uint32_t lookup) {
        const char* what = "PairPos subtable";
        std::uint16_t format = t.u16(at, what);
        if (format != 1 && format != 2) return;  // unknown formats apply to nothing
        t.need(at, format == 1 ? 10 : 16, what);
        std::size_t coverage = t.offset16(at, at + 2, what);
        std::uint16_t format1 = t.u16(at + 4, what);
        std::uint16_t format2 = t.u16(at + 6, what);
        int advance_at = x_advance_offset(format1);
        std::size_t value_size = value_record_size(format1) + value_record_size(format2);
        auto advance = [&](std::size_t record) -> std::int32_t {
            std::int32_t value = advance_at < 0 ? 0 : t.i16(record + std::size_t(advance_at), what);
            if (value != 0) any_kerning = true;
            return value;
        };

        if (format == 1) {
            std::uint16_t set_count = t.u16(at + 8, what);
            t.need(at, 10 + 2 * std::size_t(set_count), what);
            std::size_t pair_size = 2 + value_size;
            std::vector<std::pair<std::uint32_t, std::uint32_t>> sets(set_count);  // begin, count
            std::vector<std::pair<std::uint16_t, std::int32_t>> pairs;
            for (std::size_t s = 0; s < set_count; ++s) {
                std::size_t set = t.offset16(at, at + 10 + 2 * s, what);
                if (set == 0) continue;
                // First glyphs often share a PairSet, and subtables of several lookups too.
                auto key = std::tuple{set, format1, format2};
                if (auto known = pair_sets.find(key); known != pair_sets.end()) {
                    sets[s] = known->second;
                    continue;
                }
                std::uint16_t pair_count = t.u16(set, "PairSet");
                t.need(set, 2 + pair_size * pair_count, "PairSet");
                t.spend(pair_count);
                pairs.clear();
                for (std::size_t p = 0; p < pair_count; ++p) {
                    std::size_t record = set + 2 + pair_size * p;
                    std::uint16_t second = t.u16(record, "PairSet");
                    if (second < glyph_count) pairs.emplace_back(second, advance(record + 2));
                }
                // Sorted by the specification already; sorting again keeps pair()'s search safe.
                std::stable_sort(pairs.begin(), pairs.end(),
                                 [](const auto& a, const auto& b) { return a.first < b.first; });
                sets[s] = {static_cast<std::uint32_t>(k.seconds_.size()),
                           static_cast<std::uint32_t>(pairs.size())};
                for (const auto& [second, value] : pairs) {
                    k.seconds_.push_back(second);
                    k.advances_.push_back(value);
                }
                pair_sets.emplace(key, sets[s]);
            }
            std::vector<Covered> covered = read_coverage(t, coverage, glyph_count);
            t.spend(covered.size());
            for (Covered c : covered)
                if (c.index < set_count && sets[c.index].second != 0)
                    found.push_back(
                        {c.glyph, Candidate{sets[c.index].first, sets[c.index].second, no_classes, lookup}});
            return;
        }

        std::size_t class_def1 = t.offset16(at, at + 8, what);
        std::size_t class_def2 = t.offset16(at, at + 10, what);
        std::uint16_t class1_count = t.u16(at + 12, what);
        std::uint16_t class2_count = t.u16(at + 14, what);
        t.need(at, 16 + value_size * class1_count * class2_count, what);
        if (class1_count == 0 || class2_count == 0) return;  // no class pair: applies to nothing
        // Without XAdvance every class pair is 0 (the subtable still applies): all rows share one.
        std::size_t rows = advance_at < 0 ? 1 : class1_count;
        t.spend(rows * class2_count + 2 * std::size_t(glyph_count));
        auto values_begin = static_cast<std::uint32_t>(k.class_values_.size());
        for (std::size_t i = 0; i < rows * class2_count; ++i)
            k.class_values_.push_back(advance(at + 16 + value_size * i));
        auto classes_begin = static_cast<std::uint32_t>(k.classes_.size());
        k.classes_.resize(k.classes_.size() + glyph_count, 0);
        read_class_def(t, class_def2, glyph_count, k.classes_.data() + classes_begin);
        class1.assign(glyph_count, 0);
        read_class_def(t, class_def1, glyph_count, class1.data());
        std::vector<Covered> covered = read_coverage(t, coverage, glyph_count);
        t.spend(covered.size());
        for (Covered c : covered) {
            std::uint16_t row = class1[c.glyph];
            if (row < class1_count)
                found.push_back(
                    {c.glyph, Candidate{values_begin + (rows == 1 ? 0 : std::uint32_t(row) * class2_count),
                                        class2_count, classes_begin, lookup}});
        }
    }

    // The legacy 'kern' table, version 0: every horizontal format 0 subtable, summed (or replacing the
    // sum so far when its override bit is set), as one list of pairs per first glyph.
    void read_kern(std::string_view bytes, const std::string& path) {
        if (bytes.empty()) return;
        Table t(bytes, "kern", path);
        if (t.u16(0, "header") != 0) return;  // Apple's version 1 table: not read
        std::uint16_t subtable_count = t.u16(2, "header");
        struct Entry {
            std::uint32_t key;  // first glyph << 16 | second glyph
            std::int32_t value;
            bool override_sum;
        };
        std::vector<Entry> entries;
        std::size_t at = 4;
        for (std::size_t s = 0; s < subtable_count; ++s) {
            t.need(at, 6, "subtable");
            std::uint16_t length = t.u16(at + 2, "subtable");
            std::uint16_t coverage = t.u16(at + 4, "subtable");
            // Coverage: format in the high byte; bits horizontal (0x1), minimum (0x2), cross-stream (0x4),
            // override (0x8).
            if (coverage >> 8 != 0) {
                if (length < 6) t.damaged("subtable", at);  // would never reach the next subtable
                at += length;
                continue;
            }
            std::uint16_t pair_count = t.u16(at + 6, "subtable");
            t.need(at, 14 + 6 * std::size_t(pair_count), "subtable");
            if ((coverage & 0x7) == 0x1) {
                for (std::size_t p = 0; p < pair_count; ++p) {
                    std::size_t record = at + 14 + 6 * p;
                    std::uint32_t left = t.u16(record, "subtable");
                    std::uint32_t right = t.u16(record + 2, "subtable");
                    if (left < glyph_count && right < glyph_count)
                        entries.push_back(
                            {left << 16 | right, t.i16(record + 4, "subtable"), (coverage & 0x8) != 0});
                }
            }
            // The length field overflows for subtables over 64 KiB; the pair count gives the true size.
            at += 14 + 6 * std::size_t(pair_count);
        }
        std::stable_sort(entries.begin(), entries.end(),
                         [](const Entry& a, const Entry& b) { return a.key < b.key; });
        for (std::size_t i = 0; i < entries.size();) {
            std::uint32_t key = entries[i].key;
            std::int32_t value = 0;
            for (; i < entries.size() && entries[i].key == key; ++i)
                value = entries[i].override_sum ? entries[i].value : value + entries[i].value;
            auto left = static_cast<std::uint16_t>(key >> 16);
            if (value != 0) any_kerning = true;
            if (found.empty() || found.back().first != left)
                found.push_back(
                    {left, Candidate{static_cast<std::uint32_t>(k.seconds_.size()), 0, no_classes, 0}});
            k.seconds_.push_back(static_cast<std::uint16_t>(key & 0xFFFF));
            k.advances_.push_back(value);
            ++found.back().second.count;
        }
    }

    // Groups the candidates by first glyph, keeping their order (a stable counting sort).
    void finish() {
        if (!any_kerning) {
            k = PairKerning();
            return;
        }
        k.glyph_count_ = glyph_count;
        k.firsts_.assign(std::size_t(glyph_count) + 1, 0);
        for (const auto& f : found) ++k.firsts_[std::size_t(f.first) + 1];
        for (std::size_t g = 0; g < glyph_count; ++g) k.firsts_[g + 1] += k.firsts_[g];
        k.candidates_.resize(found.size());
        std::vector<std::uint32_t> next(k.firsts_.begin(), k.firsts_.end() - 1);
        for (const auto& f : found) k.candidates_[next[f.first]++] = f.second;
    }
};

PairKerning::PairKerning(std::string_view gpos, std::string_view kern, std::uint16_t glyph_count,
                         const std::string& path) {
    if (glyph_count == 0) return;
    Builder builder{*this, glyph_count, {}, {}, false, {}};
    if (!builder.read_gpos(gpos, path)) builder.read_kern(kern, path);
    builder.finish();
}

void PairKerning::pack(std::string& out) const {
    put(out, glyph_count_);
    put_array(out, firsts_);
    put(out, static_cast<std::uint64_t>(candidates_.size()));
    for (const Candidate& c : candidates_) {  // field by field: no padding bytes in the entry
        put(out, c.begin);
        put(out, c.count);
        put(out, c.classes);
        put(out, c.lookup);
    }
    put_array(out, seconds_);
    put_array(out, advances_);
    put_array(out, classes_);
    put_array(out, class_values_);
}

bool PairKerning::unpack(PackedReader& in) {
    PairKerning k;
    std::uint64_t candidates = 0;
    bool read = in.get(k.glyph_count_) && in.get_array(k.firsts_) && in.get(candidates) &&
                candidates <= in.left() / (4 * sizeof(std::uint32_t));
    if (read) {
        k.candidates_.resize(static_cast<std::size_t>(candidates));
        for (Candidate& c : k.candidates_)
            read = read && in.get(c.begin) && in.get(c.count) && in.get(c.classes) && in.get(c.lookup);
    }
    read = read && in.get_array(k.seconds_) && in.get_array(k.advances_) && in.get_array(k.classes_) &&
           in.get_array(k.class_values_);
    // pair() indexes with these without checking: each index is checked here, once.
    auto consistent = [&k] {
        if (k.glyph_count_ == 0)
            return k.firsts_.empty() && k.candidates_.empty() && k.seconds_.empty() && k.classes_.empty();
        if (k.glyph_count_ > 0x10000 || k.firsts_.size() != std::size_t{k.glyph_count_} + 1 ||
            k.seconds_.size() != k.advances_.size() || !std::is_sorted(k.firsts_.begin(), k.firsts_.end()) ||
            k.firsts_.back() > k.candidates_.size())
            return false;
        for (const Candidate& c : k.candidates_) {
            const std::uint64_t end = std::uint64_t{c.begin} + c.count;
            if (c.classes == no_classes ? end > k.seconds_.size()
                                        : end > k.class_values_.size() ||
                                              std::uint64_t{c.classes} + k.glyph_count_ > k.classes_.size())
                return false;
        }
        return true;
    };
    if (!read || !consistent()) {
        *this = PairKerning();
        return false;
    }
    *this = std::move(k);
    return true;
}

std::int32_t PairKerning::pair(std::uint16_t left, std::uint16_t right) const {
    if (left >= glyph_count_ || right >= glyph_count_) return 0;
    std::int32_t total = 0;
    std::uint32_t applied = no_lookup;  // the lookup whose subtable already applied
    const Candidate* end = candidates_.data() + firsts_[left + 1u];
    for (const Candidate* c = candidates_.data() + firsts_[left]; c != end; ++c) {
        if (c->lookup == applied) continue;
        if (c->classes == no_classes) {
            const std::uint16_t* first = seconds_.data() + c->begin;
            const std::uint16_t* last = first + c->count;
            const std::uint16_t* it = std::lower_bound(first, last, right);
            if (it == last || *it != right) continue;
            total += advances_[static_cast<std::size_t>(it - seconds_.data())];
        } else {
            std::uint16_t klass = classes_[c->classes + std::size_t(right)];
            if (klass >= c->count) continue;
            total += class_values_[c->begin + std::size_t(klass)];
        }
        applied = c->lookup;
    }
    return total;
}

}  // namespace factsheet
