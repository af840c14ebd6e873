// Visual references: the Mali factsheets rendered to PNG at a fixed resolution and compared with
// committed images. FACTSHEET_UPDATE_REFERENCES=1 rewrites the references instead; look at them
// (tests/e2e/reference/*.png) before committing.
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

TEST(visual, mali_pages_match_their_references) {
    std::string dir = test::make_temp_dir();
    ASSERT_EQ(
        test::run(test::binary_path() + " build " + test::source_path("input/mali.xml") + " --out " + dir)
            .exit_code,
        0);
    bool update = std::getenv("FACTSHEET_UPDATE_REFERENCES") != nullptr;
    std::string reference_dir = test::source_path("tests/e2e/reference");
    for (std::string lang : {"en", "fr"}) {
        std::string prefix = dir + "/mali-" + lang;
        ASSERT_EQ(test::run("pdftoppm -png -gray -r " + std::to_string(resolution) + " " + prefix + ".pdf " +
                            prefix)
                      .exit_code,
                  0);
        int pages = 0;
        for (int page = 1; fs::exists(prefix + "-" + std::to_string(page) + ".png"); ++page) {
            ++pages;
            std::string name = "mali-" + lang + "-" + std::to_string(page) + ".png";
            std::string rendered = prefix + "-" + std::to_string(page) + ".png";
            if (update) {
                fs::copy_file(rendered, reference_dir + "/" + name, fs::copy_options::overwrite_existing);
                continue;
            }
            ASSERT_TRUE(fs::exists(reference_dir + "/" + name))
                << name << ": run with FACTSHEET_UPDATE_REFERENCES=1";
            double share = share_differing(read_png(rendered), read_png(reference_dir + "/" + name));
            EXPECT_LE(share, page_tolerance) << name << " differs from its reference in " << share * 100
                                             << "% of its pixels; look at " << rendered;
        }
        EXPECT_EQ(pages, 2) << lang;
    }
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}
