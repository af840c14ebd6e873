// Our TrueType subsetter (pdf/truetype) against HarfBuzz's hb-subset, on the font and the glyphs
// of one Mali factsheet: each writes the subset a PDF embeds, from a font already parsed ("warm",
// as in a batch) and from the file's bytes ("cold", as in a single build). The counters give the
// subsets' sizes. HarfBuzz keeps more tables than a CIDFontType2 needs unless told to drop them:
// it is asked for the same tables as ours (glyf, loca, head, hhea, hmtx, maxp, cvt, fpgm, prep).
#include <benchmark/benchmark.h>
#include <hb-subset.h>

#include <set>

#include "common/files.hpp"
#include "common/utf8.hpp"
#include "layout/fonts.hpp"
#include "pdf/truetype.hpp"

using namespace factsheet;
using factsheet::pdf_detail::TrueTypeFile;

namespace {

struct SubsetFixture {
    std::string path = find_font_file("Roboto", "Regular");
    std::string bytes = read_whole_file(path);
    TrueTypeFile font{path, bytes};
    std::vector<std::uint16_t> glyphs;

    SubsetFixture() {
        std::string text = read_whole_file(std::string(FACTSHEET_SOURCE_DIR) + "/input/mali.xml");
        std::set<std::uint16_t> ids;
        for (std::size_t i = 0; i < text.size();) {
            char32_t c = utf8::next(text, i);
            if (c < 0x10000)
                if (std::uint16_t g = font.glyph(static_cast<char16_t>(c))) ids.insert(g);
        }
        glyphs.assign(ids.begin(), ids.end());
    }
};

SubsetFixture& subset_fixture() {
    static SubsetFixture f;
    return f;
}

// A HarfBuzz subset input for `glyphs`, keeping only the tables ours writes.
hb_subset_input_t* harfbuzz_input(const std::vector<std::uint16_t>& glyphs) {
    hb_subset_input_t* input = hb_subset_input_create_or_fail();
    hb_set_t* glyph_set = hb_subset_input_glyph_set(input);
    for (std::uint16_t g : glyphs) hb_set_add(glyph_set, g);
    hb_set_t* tables = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_set_clear(tables);
    hb_set_invert(tables);  // drop every table...
    for (const char* keep : {"glyf", "loca", "head", "hhea", "hmtx", "maxp", "cvt ", "fpgm", "prep"})
        hb_set_del(tables, hb_tag_from_string(keep, 4));  // ...but these
    return input;
}

std::size_t harfbuzz_subset(hb_face_t* face, hb_subset_input_t* input) {
    hb_face_t* subset = hb_subset_or_fail(face, input);
    if (!subset) return 0;
    hb_blob_t* blob = hb_face_reference_blob(subset);
    std::size_t size = hb_blob_get_length(blob);
    hb_blob_destroy(blob);
    hb_face_destroy(subset);
    return size;
}

void subset_ours(benchmark::State& state) {
    SubsetFixture& f = subset_fixture();
    std::size_t size = 0;
    for (auto _ : state) {
        if (state.range(0) == 0) {
            size = f.font.subset(f.glyphs).program.size();
        } else {
            TrueTypeFile cold(f.path, f.bytes);
            size = cold.subset(f.glyphs).program.size();
        }
        benchmark::DoNotOptimize(size);
    }
    state.counters["bytes"] = static_cast<double>(size);
    state.counters["glyphs"] = static_cast<double>(f.glyphs.size());
}

void subset_harfbuzz(benchmark::State& state) {
    SubsetFixture& f = subset_fixture();
    hb_subset_input_t* input = harfbuzz_input(f.glyphs);
    hb_blob_t* blob = hb_blob_create(f.bytes.data(), static_cast<unsigned>(f.bytes.size()),
                                     HB_MEMORY_MODE_READONLY, nullptr, nullptr);
    hb_face_t* warm = hb_face_create(blob, 0);
    std::size_t size = 0;
    for (auto _ : state) {
        if (state.range(0) == 0) {
            size = harfbuzz_subset(warm, input);
        } else {
            hb_face_t* cold = hb_face_create(blob, 0);
            size = harfbuzz_subset(cold, input);
            hb_face_destroy(cold);
        }
        benchmark::DoNotOptimize(size);
    }
    hb_face_destroy(warm);
    hb_blob_destroy(blob);
    hb_subset_input_destroy(input);
    if (size == 0) state.SkipWithError("hb_subset_or_fail failed");
    state.counters["bytes"] = static_cast<double>(size);
    state.counters["glyphs"] = static_cast<double>(f.glyphs.size());
}

}  // namespace

BENCHMARK(subset_ours)->ArgName("cold")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(subset_harfbuzz)->ArgName("cold")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
