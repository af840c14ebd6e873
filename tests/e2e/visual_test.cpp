// Visual references: factsheets of operations of different shapes rendered to PNG at a fixed
// resolution and compared with committed images. FACTSHEET_UPDATE_REFERENCES=1 rewrites the references
// instead; look at them (tests/e2e/reference/*.png) before committing.
#include <gtest/gtest.h>
#include <png.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "common/test_paths.hpp"

using namespace factsheet;
namespace fs = std::filesystem;

namespace {

// 50 dpi keeps each reference page small (~40 KB) while text lines and boxes stay distinct.
constexpr int resolution = 50;
// A pixel differs when a grey level moves by more than this (antialiasing may move a little).
constexpr int pixel_tolerance = 48;
// The page differs when more than this share of its pixels differ.
constexpr double page_tolerance = 0.002;

struct Gray {
    unsigned width = 0, height = 0;
    std::vector<unsigned char> pixels;
};

Gray read_png(const std::string& path) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path.c_str()))
        throw std::runtime_error("cannot read " + path);
    image.format = PNG_FORMAT_GRAY;
    Gray g;
    g.width = image.width;
    g.height = image.height;
    g.pixels.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, g.pixels.data(), 0, nullptr))
        throw std::runtime_error("cannot decode " + path);
    return g;
}

double share_differing(const Gray& a, const Gray& b) {
    if (a.width != b.width || a.height != b.height) return 1;
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i)
        if (std::abs(int(a.pixels[i]) - int(b.pixels[i])) > pixel_tolerance) ++differ;
    return double(differ) / double(a.pixels.size());
}

}  // namespace

// Operations of different shapes: Mali (the seed: figures with funding, four AoRs, a team of 3,
// two pages), Burkina Faso (no figures, working groups, a team of names only), the Whole of Syria
// (hubs, a team of 6 in two rows, a French edition of two pages), Afghanistan (12 coordination
// bodies of four kinds, no team, two pages).
class Visual : public ::testing::TestWithParam<const char*> {};

TEST_P(Visual, pages_match_their_references) {
    std::string id = GetParam();
    std::string dir = test::make_temp_dir();
    ASSERT_EQ(test::run(test::binary_path() + " build " + test::source_path("input/" + id + ".xml") +
                        " --out " + dir)
                  .exit_code,
              0);
    bool update = std::getenv("FACTSHEET_UPDATE_REFERENCES") != nullptr;
    std::string reference_dir = test::source_path("tests/e2e/reference");
    for (std::string lang : {"en", "fr"}) {
        std::string prefix = dir + "/" + id + "-" + lang;
        ASSERT_EQ(test::run("pdftoppm -png -gray -r " + std::to_string(resolution) + " " + prefix + ".pdf " +
                            prefix)
                      .exit_code,
                  0);
        auto reference = [&](int page) {
            return reference_dir + "/" + id + "-" + lang + "-" + std::to_string(page) + ".png";
        };
        int pages = 0;
        for (int page = 1; fs::exists(prefix + "-" + std::to_string(page) + ".png"); ++page) {
            ++pages;
            std::string rendered = prefix + "-" + std::to_string(page) + ".png";
            if (update) {
                fs::copy_file(rendered, reference(page), fs::copy_options::overwrite_existing);
                continue;
            }
            ASSERT_TRUE(fs::exists(reference(page)))
                << reference(page) << ": run with FACTSHEET_UPDATE_REFERENCES=1";
            double share = share_differing(read_png(rendered), read_png(reference(page)));
            EXPECT_LE(share, page_tolerance) << reference(page) << " differs in " << share * 100
                                             << "% of its pixels; look at " << rendered;
        }
        if (update) {
            for (int page = pages + 1; fs::exists(reference(page)); ++page) fs::remove(reference(page));
        } else {
            EXPECT_FALSE(fs::exists(reference(pages + 1)))
                << id << "-" << lang << " has fewer pages than before";
        }
    }
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(shapes, Visual,
                         ::testing::Values("mali", "burkina-faso", "whole-of-syria", "afghanistan"));
