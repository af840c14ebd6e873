// The benchmarks' synthetic sources (tests/bench/synthetic.hpp) are made by editing input/mali.xml:
// when the Mali source changes shape, the generator must follow, or `make bench` stops working.
// These tests build it in every configuration, where the benchmarks themselves are not built.
#include <gtest/gtest.h>

#include <string>

#include "bench/synthetic.hpp"
#include "common/files.hpp"
#include "common/test_paths.hpp"

using namespace factsheet;

namespace {

std::string markup_of(const std::string& source) {
    test::RunResult r = test::run(test::binary_path() + " markup " + source + " --lang en");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
}

}  // namespace

TEST(synthetic, sources_with_and_without_pictures_are_valid_and_differ_only_in_them) {
    std::string mali = factsheet::read_whole_file(test::source_path("input/mali.xml"));
    std::string dir = test::make_temp_dir();
    std::string with = dir + "/with.xml", without = dir + "/without.xml";
    test::write_file(with, factsheet::bench::synthetic_source(mali, 7, 2));
    test::write_file(without, factsheet::bench::synthetic_source(mali, 7, 2, false));
    test::RunResult r = test::run(test::binary_path() + " validate " + with + " " + without);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    std::string a = markup_of(with), b = markup_of(without);
    EXPECT_NE(a.find("<map"), std::string::npos);
    EXPECT_NE(a.find("<qr"), std::string::npos);
    EXPECT_EQ(b.find("<map"), std::string::npos);
    EXPECT_EQ(b.find("<qr"), std::string::npos);
    EXPECT_NE(b.find("Synthetic 0007"), std::string::npos);
    EXPECT_EQ(a.find(">Mali<"), std::string::npos) << "the country keeps its synthetic name";
}
