#include "common/files.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>

#include "common/error.hpp"
#include "common/test_paths.hpp"

using namespace factsheet;

TEST(files, atomic_write_replaces_whole_file_and_leaves_no_temporary) {
    std::string dir = test::make_temp_dir();
    std::string path = dir + "/a.pdf";
    write_file_atomic(path, "first");
    write_file_atomic(path, "second, longer");
    EXPECT_EQ(read_whole_file(path), "second, longer");
    int entries = 0;
    for (auto& e : std::filesystem::directory_iterator(dir)) entries += e.is_regular_file() ? 1 : 0;
    EXPECT_EQ(entries, 1);
    std::filesystem::remove_all(dir);
}

TEST(files, write_into_missing_folder_names_the_path) {
    try {
        write_file_atomic("/nonexistent-folder/x.pdf", "x");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "/nonexistent-folder/x.pdf: error: cannot write: No such file or directory: check that "
                     "the folder exists and is writable");
    }
}

TEST(files, failed_write_keeps_the_old_file) {
    std::string dir = test::make_temp_dir();
    std::string path = dir + "/a.pdf";
    write_file_atomic(path, "issued");
    // A file-size limit stands in for a full disk: the write fails part-way.
    struct rlimit old {};
    getrlimit(RLIMIT_FSIZE, &old);
    struct rlimit small = old;
    small.rlim_cur = 4;
    std::signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &small);
    EXPECT_THROW(write_file_atomic(path, "a much longer replacement"), Error);
    setrlimit(RLIMIT_FSIZE, &old);
    EXPECT_EQ(read_whole_file(path), "issued");
    int entries = 0;
    for (auto& e : std::filesystem::directory_iterator(dir)) entries += e.is_regular_file() ? 1 : 0;
    EXPECT_EQ(entries, 1);
    std::filesystem::remove_all(dir);
}

TEST(files, reading_a_missing_file_names_it) {
    try {
        read_whole_file("/nonexistent/x.xml");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "/nonexistent/x.xml: error: cannot read: No such file or directory");
    }
}
