// Google Benchmark micro benchmarks: each stage of one Mali factsheet on its own (read, template,
// layout, PDF, write), the whole build in process, the set-up of a builder, and the whole build at
// 1x, 4x and 16x the Mali text.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "archive/search.hpp"
#include "common/files.hpp"
#include "driver/factsheets.hpp"
#include "layout/layout.hpp"
#include "layout/styles.hpp"
#include "pdf/pdf.hpp"
#include "search_archive.hpp"
#include "source/source.hpp"
#include "synthetic.hpp"

using namespace factsheet;

namespace {

const std::string source_dir = FACTSHEET_SOURCE_DIR;
const std::string layout_dir = source_dir + "/layouts/factsheet";
const std::string mali_path = source_dir + "/input/mali.xml";

Lang lang_of(const benchmark::State& state) {
    return state.range(0) == 0 ? Lang::en : Lang::fr;
}

// Loaded once: what every benchmark below starts from.
struct Fixture {
    std::string mali_xml = read_whole_file(mali_path);
    Operation mali = parse_operation(mali_xml, mali_path);
    FactsheetBuilder builder{process_environment(layout_dir)};
    LayoutEngine engine{read_styles(layout_dir + "/styles.xml")};
    std::string out_dir;

    Fixture() {
        out_dir = (std::filesystem::temp_directory_path() / "factsheet-bench-write").string();
        std::filesystem::create_directories(out_dir);
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

void read_stage(benchmark::State& state) {
    for (auto _ : state) {
        Operation op = read_operation(mali_path);
        benchmark::DoNotOptimize(op);
    }
}

void template_stage(benchmark::State& state) {
    Fixture& f = fixture();
    for (auto _ : state) {
        std::string markup = f.builder.markup(f.mali, lang_of(state));
        benchmark::DoNotOptimize(markup);
    }
}

void layout_stage(benchmark::State& state) {
    Fixture& f = fixture();
    std::string markup = f.builder.markup(f.mali, lang_of(state));
    for (auto _ : state) {
        std::vector<Diagnostic> warnings;
        PagedDocument doc = f.engine.lay_out(markup, "mali.markup.xml", warnings);
        benchmark::DoNotOptimize(doc);
    }
}

void pdf_stage(benchmark::State& state) {
    Fixture& f = fixture();
    std::vector<Diagnostic> warnings;
    PagedDocument doc =
        f.engine.lay_out(f.builder.markup(f.mali, lang_of(state)), "mali.markup.xml", warnings);
    // One renderer for every iteration, as each worker of a batch has.
    PdfRenderer renderer;
    RenderOptions options = f.builder.render_options(f.mali, lang_of(state));
    for (auto _ : state) {
        std::string pdf = renderer.render(doc, options);
        benchmark::DoNotOptimize(pdf);
    }
}

// A new renderer each time, as a single build has: libharu's handle made, the fonts loaded.
void pdf_stage_first(benchmark::State& state) {
    Fixture& f = fixture();
    std::vector<Diagnostic> warnings;
    PagedDocument doc =
        f.engine.lay_out(f.builder.markup(f.mali, lang_of(state)), "mali.markup.xml", warnings);
    RenderOptions options = f.builder.render_options(f.mali, lang_of(state));
    for (auto _ : state) {
        std::string pdf = render_pdf(doc, options);
        benchmark::DoNotOptimize(pdf);
    }
}

// write_file_atomic flushes each file to disk (fsync) before renaming it into place.
void write_stage(benchmark::State& state) {
    Fixture& f = fixture();
    std::string pdf = f.builder.build(f.mali, lang_of(state)).pdf;
    std::string path = f.out_dir + "/mali.pdf";
    for (auto _ : state) write_file_atomic(path, pdf);
}

// The same bytes written without flushing them to disk, to show what the flush costs.
void write_unflushed(benchmark::State& state) {
    Fixture& f = fixture();
    std::string pdf = f.builder.build(f.mali, lang_of(state)).pdf;
    std::string path = f.out_dir + "/mali.pdf", tmp = path + ".tmp";
    for (auto _ : state) {
        std::ofstream(tmp, std::ios::binary) << pdf;
        std::filesystem::rename(tmp, path);
    }
}

// A build in a warm process, as each worker of `factsheet batch` does it (without the write).
void whole_build(benchmark::State& state) {
    Fixture& f = fixture();
    for (auto _ : state) {
        Edition e = f.builder.build(f.mali, lang_of(state));
        benchmark::DoNotOptimize(e);
    }
}

// What a process (or a batch worker) pays once before its first factsheet: labels, template,
// styles and fonts.
void builder_setup(benchmark::State& state) {
    for (auto _ : state) {
        FactsheetBuilder builder(process_environment(layout_dir));
        benchmark::DoNotOptimize(builder);
    }
}

// The whole build of the Mali text repeated 1, 4 and 16 times (English).
void content_scaling(benchmark::State& state) {
    Fixture& f = fixture();
    int scale = static_cast<int>(state.range(0));
    std::string xml = bench::synthetic_source(f.mali_xml, 1, scale);
    // No page counter: the CSV output run.sh reads needs the same columns in every benchmark.
    for (auto _ : state) {
        Operation parsed = parse_operation(xml, "scaled.xml");
        Edition e = f.builder.build(parsed, Lang::en);
        benchmark::DoNotOptimize(e);
    }
}

}  // namespace

BENCHMARK(read_stage)->Unit(benchmark::kMicrosecond);
BENCHMARK(template_stage)->ArgName("fr")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(layout_stage)->ArgName("fr")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(pdf_stage)->ArgName("fr")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(pdf_stage_first)->ArgName("fr")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(write_stage)->ArgName("fr")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(write_unflushed)->ArgName("fr")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(whole_build)->ArgName("fr")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(builder_setup)->Unit(benchmark::kMicrosecond);
BENCHMARK(content_scaling)->ArgName("scale")->Arg(1)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

namespace {

// A query of a 1,000-edition archive (stage_bench --archive's), in process: the catalog opened,
// the query run and its 50 best hits read with their snippets.
void archive_search(benchmark::State& state) {
    static const std::string dir = [] {
        std::string d = (std::filesystem::temp_directory_path() / "factsheet-bench-search").string();
        std::filesystem::remove_all(d);
        bench::make_search_archive(d, 1000);
        return d;
    }();
    static const char* queries[] = {"menaka", "\"armed groups\"", "protect*", "ouattara"};
    for (auto _ : state) {
        std::vector<SearchHit> hits =
            search_archive(dir, SearchQuery{queries[state.range(0)], "", "", "", 50});
        benchmark::DoNotOptimize(hits);
    }
}
BENCHMARK(archive_search)->ArgName("query")->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

}  // namespace
