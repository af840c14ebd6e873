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

namespace {

int files_in(const std::string& dir) {
    int entries = 0;
    for (auto& e : std::filesystem::directory_iterator(dir)) entries += e.is_regular_file() ? 1 : 0;
    return entries;
}

}  // namespace

// Two editions of a source: when the second cannot be written (the disk fills), neither replaces
// its issued file.
TEST(files, files_written_together_change_none_when_one_fails_to_write) {
    std::string dir = test::make_temp_dir();
    std::string en = dir + "/x-en.pdf", fr = dir + "/x-fr.pdf";
    write_files_atomic({{en, "old en"}, {fr, "old fr"}});
    EXPECT_EQ(read_whole_file(en), "old en");
    EXPECT_EQ(read_whole_file(fr), "old fr");
    struct rlimit old {};
    getrlimit(RLIMIT_FSIZE, &old);
    struct rlimit small = old;
    small.rlim_cur = 10;  // the short English file fits, the long French one does not
    std::signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &small);
    std::string error = test::error_text([&] {
        write_files_atomic({{en, "new en"}, {fr, "a much longer new fr"}});
    });
    setrlimit(RLIMIT_FSIZE, &old);
    EXPECT_EQ(error.rfind(fr + ": error: cannot write: ", 0), 0u) << error;
    EXPECT_EQ(read_whole_file(en), "old en");
    EXPECT_EQ(read_whole_file(fr), "old fr");
    EXPECT_EQ(files_in(dir), 2);
    std::filesystem::remove_all(dir);
}

// A target that no file can replace (a folder) is found before any other target changes.
TEST(files, files_written_together_change_none_when_one_target_cannot_be_replaced) {
    std::string dir = test::make_temp_dir();
    std::string en = dir + "/x-en.pdf", fr = dir + "/x-fr.pdf", fresh = dir + "/x-en-fr.pdf";
    write_file_atomic(en, "old en");
    std::filesystem::create_directories(fr + "/in-the-way");  // a folder no file can replace
    std::string error = test::error_text([&] {
        write_files_atomic({{en, "new en"}, {fresh, "new both"}, {fr, "new fr"}});
    });
    EXPECT_EQ(error.rfind(fr + ": error: cannot write: ", 0), 0u) << error;
    EXPECT_EQ(read_whole_file(en), "old en");
    EXPECT_FALSE(std::filesystem::exists(fresh)) << "a file that did not exist before stays absent";
    EXPECT_EQ(files_in(dir), 1);
    std::filesystem::remove_all(dir);
}
