// Fuzz target for the pdf stage's TrueType reader and subsetter: a layout may name any font file.
// Contract: whatever the bytes, TrueTypeFile either throws factsheet::Error or reads a font whose
// glyph lookups stay below its glyph count and whose subsets hold glyph 0 and ids in increasing
// order; anything worse (a crash, a sanitizer report, another exception, a hang) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "pdf/truetype.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using factsheet::pdf_detail::TrueTypeFile;
    try {
        TrueTypeFile font("fuzz.ttf", std::string(reinterpret_cast<const char*>(data), size));
        // The glyphs of the printable ASCII and Latin-1 characters, as a document would draw.
        std::vector<std::uint16_t> glyphs;
        for (char16_t c = 0x20; c < 0x100; ++c) {
            std::uint16_t g = font.glyph(c);
            if (g >= font.glyph_count() && g != 0) __builtin_trap();
            glyphs.push_back(g);
        }
        glyphs.push_back(static_cast<std::uint16_t>(font.glyph_count() - 1));
        TrueTypeFile::Subset subset = font.subset(glyphs);
        if (subset.old_id.empty() || subset.old_id[0] != 0) __builtin_trap();
        for (std::size_t i = 1; i < subset.old_id.size(); ++i)
            if (subset.old_id[i] <= subset.old_id[i - 1] || subset.new_id(subset.old_id[i]) != i)
                __builtin_trap();
    } catch (const factsheet::Error& e) {
        if (e.diagnostics().empty() || e.diagnostics().front().message.empty()) __builtin_trap();
    }
    return 0;
}
