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

// Measuring words with kerning: ours (TrueTypeFont: the cmap, advances and GPOS pair kerning read
// once, then table lookups) against HarfBuzz shaping each word with 'kern' the only feature that
// moves glyphs. The words are those of the Mali source; what each computes is their total width,
// units at 1000 units per em (tests/layout/kerning_test.cpp checks each pair against HarfBuzz).
namespace {

struct Words {
    std::vector<std::string> list;
    Words() {
        std::string text = read_whole_file(std::string(FACTSHEET_SOURCE_DIR) + "/input/mali.xml");
        std::string word;
        bool in_tag = false;
        for (char c : text) {
            if (c == '<') in_tag = true;
            bool breaks = in_tag || c == ' ' || c == '\n' || c == '\t';
            if (breaks && !word.empty()) {
                list.push_back(word);
                word.clear();
            } else if (!breaks) {
                word += c;
            }
            if (c == '>') in_tag = false;
        }
    }
};

const Words& words() {
    static Words w;
    return w;
}

class HarfBuzzWords {
public:
    explicit HarfBuzzWords(const std::string& path) {
        hb_blob_t* blob = hb_blob_create_from_file(path.c_str());
        face_ = hb_face_create(blob, 0);
        hb_blob_destroy(blob);
        font_ = hb_font_create(face_);
        buffer_ = hb_buffer_create();
        for (const char* f : {"-liga", "-clig", "-calt", "-ccmp", "-locl", "-mark", "-mkmk", "+kern"}) {
            hb_feature_t feature;
            hb_feature_from_string(f, -1, &feature);
            features_.push_back(feature);
        }
    }
    ~HarfBuzzWords() {
        hb_buffer_destroy(buffer_);
        hb_font_destroy(font_);
        hb_face_destroy(face_);
    }
    HarfBuzzWords(const HarfBuzzWords&) = delete;
    HarfBuzzWords& operator=(const HarfBuzzWords&) = delete;

    std::int64_t width(const std::string& word) {
        hb_buffer_clear_contents(buffer_);
        hb_buffer_add_utf8(buffer_, word.data(), static_cast<int>(word.size()), 0,
                           static_cast<int>(word.size()));
        hb_buffer_guess_segment_properties(buffer_);
        hb_shape(font_, buffer_, features_.data(), static_cast<unsigned>(features_.size()));
        unsigned count = 0;
        const hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(buffer_, &count);
        std::int64_t total = 0;
        for (unsigned i = 0; i < count; ++i) total += positions[i].x_advance;
        return total;
    }

private:
    hb_face_t* face_ = nullptr;
    hb_font_t* font_ = nullptr;
    hb_buffer_t* buffer_ = nullptr;
    std::vector<hb_feature_t> features_;
};

void kerning_ours(benchmark::State& state) {
    const std::string& path = subset_fixture().path;
    TrueTypeFont warm(path);
    double total = 0;
    for (auto _ : state) {
        if (state.range(0) == 0) {
            total = 0;
            for (const std::string& w : words().list) total += warm.text_width(w, 1000);
        } else {
            TrueTypeFont cold(path);
            total = cold.text_width(words().list.front(), 1000);
        }
        benchmark::DoNotOptimize(total);
    }
}

void kerning_harfbuzz(benchmark::State& state) {
    const std::string& path = subset_fixture().path;
    HarfBuzzWords warm(path);
    std::int64_t total = 0;
    for (auto _ : state) {
        if (state.range(0) == 0) {
            total = 0;
            for (const std::string& w : words().list) total += warm.width(w);
        } else {
            HarfBuzzWords cold(path);
            total = cold.width(words().list.front());
        }
        benchmark::DoNotOptimize(total);
    }
}

}  // namespace

BENCHMARK(kerning_ours)->ArgName("cold")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(kerning_harfbuzz)->ArgName("cold")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
