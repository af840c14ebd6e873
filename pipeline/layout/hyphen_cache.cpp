#include "layout/hyphen_cache.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>

#include "common/packed.hpp"

namespace factsheet::layout_detail {

namespace {

// libhyphen builds at most two levels (the patterns before and after NEXTLEVEL).
constexpr std::uint32_t max_levels = 2;
// Far more states than any dictionary has (English: about 10,000): a bound for what is read.
constexpr std::int32_t max_states = 1 << 22;
// And more NOHYPHEN sequences than any has.
constexpr int max_nohyphen = 1 << 12;

// The packed form: for each level, its options and states; for each state, its match and
// replacement (length, -1 for none, then the bytes), replacement index and cut, fallback state
// and transitions (character, next state). Numbers in the machine's own byte order: the cache
// is this program's, on this machine.
void put_text(std::string& out, const char* text) {
    if (!text) {
        put<std::int32_t>(out, -1);
        return;
    }
    const std::size_t size = std::strlen(text);
    put(out, static_cast<std::int32_t>(size));
    out.append(text, size);
}

// What pack_hyphen_dict wrote, read with optional values.
class Reader {
public:
    explicit Reader(std::string_view bytes) : in_(bytes) {}

    template <typename T>
    std::optional<T> get() {
        T value;
        if (!in_.get(value)) return std::nullopt;
        return value;
    }

    // A text's offset in `strings` once appended there with its NUL; -1 for none; nullopt when
    // the bytes do not hold it.
    std::optional<std::int64_t> text(std::string& strings) {
        std::optional<std::int32_t> size = get<std::int32_t>();
        std::string_view bytes;
        if (!size || *size < -1) return std::nullopt;
        if (*size == -1) return -1;
        if (!in_.take(static_cast<std::size_t>(*size), bytes)) return std::nullopt;
        if (bytes.find('\0') != std::string_view::npos) return std::nullopt;  // a C string has none inside
        const auto at = static_cast<std::int64_t>(strings.size());
        strings.append(bytes);
        strings.push_back('\0');
        return at;
    }

    std::size_t left() const { return in_.left(); }

private:
    PackedReader in_;
};

}  // namespace

std::string pack_hyphen_dict(const HyphenDict& dict) {
    std::vector<const HyphenDict*> levels;
    for (const HyphenDict* level = &dict; level; level = level->nextlevel) {
        if (levels.size() == max_levels || level->num_states < 1 || level->nohyphenl < 0 ||
            level->nohyphenl > max_nohyphen)
            return {};
        levels.push_back(level);
    }
    std::string out;
    put(out, static_cast<std::uint32_t>(levels.size()));
    for (const HyphenDict* level : levels) {
        for (char c : {level->lhmin, level->rhmin, level->clhmin, level->crhmin}) put(out, c);
        put(out, static_cast<std::int32_t>(level->utf8));
        // NOHYPHEN: nohyphenl + 1 strings one after another, each ending in NUL, which
        // hnj_hyphen_hyphenate2 walks (libhyphen gives a one-level English dictionary ' – ’ -).
        put(out, static_cast<std::int32_t>(level->nohyphen ? level->nohyphenl : -1));
        const char* forbidden = level->nohyphen;
        for (int i = 0; forbidden && i <= level->nohyphenl; ++i) {
            put_text(out, forbidden);
            forbidden += std::strlen(forbidden) + 1;
        }
        // libhyphen leaves the second level's cset past its name, and the replacement index and
        // cut of states without a replacement, as it found the memory: written as zeros, never read.
        char cset[sizeof level->cset] = {};
        std::memcpy(cset, level->cset, strnlen(level->cset, sizeof cset));
        out.append(cset, sizeof cset);
        put(out, static_cast<std::int32_t>(level->num_states));
        for (int s = 0; s < level->num_states; ++s) {
            const HyphenState& state = level->states[s];
            put_text(out, state.match);
            put_text(out, state.repl);
            put(out, state.repl ? state.replindex : static_cast<signed char>(0));
            put(out, state.repl ? state.replcut : static_cast<signed char>(0));
            put(out, static_cast<std::int32_t>(state.fallback_state));
            put(out, static_cast<std::int32_t>(state.num_trans));
            for (int t = 0; t < state.num_trans; ++t) {
                put(out, state.trans[t].ch);
                put(out, static_cast<std::int32_t>(state.trans[t].new_state));
            }
        }
    }
    return out;
}

std::unique_ptr<CompiledHyphenDict> unpack_hyphen_dict(std::string_view bytes) {
    auto dict = std::make_unique<CompiledHyphenDict>();
    Reader in(bytes);
    std::optional<std::uint32_t> count = in.get<std::uint32_t>();
    if (!count || *count < 1 || *count > max_levels) return nullptr;
    // Where each state's texts and transitions are, until the storage stops growing.
    struct Offsets {
        std::int64_t match = -1, repl = -1;
        std::size_t first_transition = 0;
    };
    std::vector<std::vector<Offsets>> offsets(*count);
    std::vector<std::int64_t> no_hyphen(*count, -1);  // where each level's NOHYPHEN strings start
    dict->levels_.resize(*count);
    dict->states_.resize(*count);
    for (std::uint32_t l = 0; l < *count; ++l) {
        HyphenDict& level = dict->levels_[l];
        level = HyphenDict{};
        for (char* option : {&level.lhmin, &level.rhmin, &level.clhmin, &level.crhmin}) {
            std::optional<char> value = in.get<char>();
            if (!value) return nullptr;
            *option = *value;
        }
        std::optional<std::int32_t> utf8 = in.get<std::int32_t>();
        if (!utf8) return nullptr;
        level.utf8 = *utf8;
        std::optional<std::int32_t> forbidden = in.get<std::int32_t>();
        if (!forbidden || *forbidden < -1 || *forbidden > max_nohyphen) return nullptr;
        level.nohyphenl = std::max(*forbidden, 0);
        no_hyphen[l] = *forbidden >= 0 ? static_cast<std::int64_t>(dict->strings_.size()) : -1;
        for (std::int32_t i = 0; i <= *forbidden; ++i) {
            std::optional<std::int64_t> at = in.text(dict->strings_);
            if (!at || *at < 0) return nullptr;
        }
        for (char& c : level.cset) {
            std::optional<char> value = in.get<char>();
            if (!value) return nullptr;
            c = *value;
        }
        std::optional<std::int32_t> states = in.get<std::int32_t>();
        if (!states || *states < 1 || *states > max_states) return nullptr;
        level.num_states = *states;
        std::vector<HyphenState>& made = dict->states_[l];
        made.resize(static_cast<std::size_t>(*states));
        offsets[l].resize(made.size());
        for (std::size_t s = 0; s < made.size(); ++s) {
            HyphenState& state = made[s];
            Offsets& where = offsets[l][s];
            std::optional<std::int64_t> match = in.text(dict->strings_);
            std::optional<std::int64_t> repl = match ? in.text(dict->strings_) : std::nullopt;
            std::optional<signed char> replindex = in.get<signed char>();
            std::optional<signed char> replcut = in.get<signed char>();
            std::optional<std::int32_t> fallback = in.get<std::int32_t>();
            std::optional<std::int32_t> transitions = in.get<std::int32_t>();
            if (!repl || !replindex || !replcut || !fallback || *fallback < -1 || *fallback >= *states ||
                !transitions || *transitions < 0 ||
                static_cast<std::size_t>(*transitions) > in.left() / (sizeof(char) + sizeof(std::int32_t)))
                return nullptr;
            where.match = *match;
            where.repl = *repl;
            where.first_transition = dict->transitions_.size();
            state.replindex = *replindex;
            state.replcut = *replcut;
            state.fallback_state = *fallback;
            state.num_trans = *transitions;
            for (std::int32_t t = 0; t < *transitions; ++t) {
                std::optional<char> ch = in.get<char>();
                std::optional<std::int32_t> next = in.get<std::int32_t>();
                if (!ch || !next || *next < 0 || *next >= *states) return nullptr;
                HyphenTrans transition{};
                transition.ch = *ch;
                transition.new_state = *next;
                dict->transitions_.push_back(transition);
            }
        }
    }
    if (in.left() != 0) return nullptr;
    // The storage is complete: now the pointers into it.
    for (std::size_t l = 0; l < dict->levels_.size(); ++l) {
        HyphenDict& level = dict->levels_[l];
        level.states = dict->states_[l].data();
        level.nohyphen =
            no_hyphen[l] < 0 ? nullptr : dict->strings_.data() + static_cast<std::size_t>(no_hyphen[l]);
        level.nextlevel = l + 1 < dict->levels_.size() ? &dict->levels_[l + 1] : nullptr;
        for (std::size_t s = 0; s < dict->states_[l].size(); ++s) {
            HyphenState& state = dict->states_[l][s];
            const Offsets& where = offsets[l][s];
            auto text = [&](std::int64_t at) {
                return at < 0 ? nullptr : dict->strings_.data() + static_cast<std::size_t>(at);
            };
            state.match = text(where.match);
            state.repl = text(where.repl);
            state.trans = state.num_trans == 0 ? nullptr : dict->transitions_.data() + where.first_transition;
        }
    }
    return dict;
}

}  // namespace factsheet::layout_detail
