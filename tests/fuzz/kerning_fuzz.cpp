// Fuzz target for the layout's kerning reader: a layout may name any font file. Input: one byte
// saying which table follows ('K': a legacy 'kern' table, anything else: GPOS), then the table.
// Contract: PairKerning either throws factsheet::Error or reads a table whose pairs it answers for
// any two glyphs; anything worse (a crash, a sanitizer report, another exception, a hang) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.hpp"
#include "layout/kerning.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view table(reinterpret_cast<const char*>(data) + 1, size - 1);
    bool legacy = data[0] == 'K';
    constexpr std::uint16_t glyphs = 64;
    try {
        factsheet::PairKerning kerning(legacy ? std::string_view() : table,
                                       legacy ? table : std::string_view(), glyphs, "fuzz.ttf");
        std::int64_t sum = 0;
        for (std::uint16_t left = 0; left <= glyphs; ++left)
            for (std::uint16_t right = 0; right <= glyphs; ++right) sum += kerning.pair(left, right);
        // Ids past the glyph count are never kerned.
        if (kerning.pair(glyphs, 1) != 0 || kerning.pair(1, glyphs + 10) != 0) __builtin_trap();
        (void)sum;
    } catch (const factsheet::Error& e) {
        if (e.diagnostics().empty() || e.diagnostics().front().message.empty()) __builtin_trap();
    }
    return 0;
}
