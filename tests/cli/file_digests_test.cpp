// The digests of the batch's large files, kept by the identity of the file they were taken of.
#include "cli/file_digests.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/sha256.hpp"
#include "common/test_paths.hpp"

using namespace factsheet;
namespace fs = std::filesystem;

namespace {

const std::string wrong_digest(64, 'a');

// A temporary folder with one file in it.
class Digests : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = test::make_temp_dir();
        file_ = root_ + "/font.ttf";
        test::write_file(file_, "the bytes of a font");
    }
    void TearDown() override { fs::remove_all(root_); }

    // Waits until the file has settled: its digest may then be kept.
    static void settle() {
        std::this_thread::sleep_for(std::chrono::nanoseconds(FileDigests::settled_ns) +
                                    std::chrono::milliseconds(50));
    }

    // The record's line for `path` with its identity now and `digest`.
    static std::string line_for(const std::string& path, const std::string& digest) {
        std::optional<FileIdentity> id = identity_of(path);
        EXPECT_TRUE(id.has_value());
        return "file " + digest + " " + std::to_string(id->device) + " " + std::to_string(id->inode) + " " +
               std::to_string(id->size) + " " + std::to_string(id->modified_ns) + " " +
               std::to_string(id->changed_ns) + " " + path;
    }

    std::string root_, file_;
};

}  // namespace

TEST_F(Digests, a_settled_file_is_hashed_once_and_its_digest_kept_in_a_line) {
    settle();
    FileDigests digests;
    EXPECT_EQ(digests.digest(file_), sha256_hex("the bytes of a font"));
    EXPECT_TRUE(digests.changed());
    EXPECT_EQ(digests.lines(), line_for(file_, sha256_hex("the bytes of a font")) + "\n");

    FileDigests again;
    ASSERT_TRUE(again.read_line(line_for(file_, sha256_hex("the bytes of a font"))));
    EXPECT_EQ(again.digest(file_), sha256_hex("the bytes of a font"));
    EXPECT_FALSE(again.changed()) << "a digest confirmed is not a change";
}

// A kept digest is used without reading the file: a wrong one recorded for the file as it is
// comes back (which is how a test can tell it was not read).
TEST_F(Digests, the_kept_digest_of_an_unchanged_file_is_used) {
    FileDigests digests;
    ASSERT_TRUE(digests.read_line(line_for(file_, wrong_digest)));
    EXPECT_EQ(digests.digest(file_), wrong_digest);
}

// Written again with bytes of the same size and its modification time put back, the file keeps
// its device, inode, size and modification time: only its change time tells.
TEST_F(Digests, a_file_written_again_with_its_time_put_back_is_read_again) {
    FileDigests digests;
    ASSERT_TRUE(digests.read_line(line_for(file_, wrong_digest)));
    std::optional<FileIdentity> before = identity_of(file_);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // past the clock's tick
    {
        int fd = ::open(file_.c_str(), O_WRONLY);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::write(fd, "THE", 3), 3);
        struct timespec times[2] = {{0, UTIME_OMIT},
                                    {static_cast<time_t>(before->modified_ns / 1'000'000'000),
                                     static_cast<long>(before->modified_ns % 1'000'000'000)}};
        ASSERT_EQ(::futimens(fd, times), 0);
        ::close(fd);
    }
    std::optional<FileIdentity> after = identity_of(file_);
    ASSERT_EQ(after->inode, before->inode);
    ASSERT_EQ(after->size, before->size);
    ASSERT_EQ(after->modified_ns, before->modified_ns);
    EXPECT_EQ(digests.digest(file_), sha256_hex("THE bytes of a font"));
    EXPECT_TRUE(digests.changed());
}

TEST_F(Digests, a_file_renamed_over_the_one_recorded_is_read_again) {
    FileDigests digests;
    ASSERT_TRUE(digests.read_line(line_for(file_, wrong_digest)));
    test::write_file(root_ + "/new.ttf", "the bytes of a font");  // the same size
    fs::rename(root_ + "/new.ttf", file_);
    EXPECT_EQ(digests.digest(file_), sha256_hex("the bytes of a font"));
}

// A file that changed within the last tick of the clock might change again with the same times:
// its digest is used but not kept, even when its modification time was set to long ago.
TEST_F(Digests, a_file_changed_just_now_is_not_kept) {
    FileDigests digests;
    EXPECT_EQ(digests.digest(file_), sha256_hex("the bytes of a font"));
    EXPECT_FALSE(digests.changed());
    EXPECT_EQ(digests.lines(), "");
    fs::last_write_time(file_, fs::last_write_time(file_) - std::chrono::hours(24));
    EXPECT_EQ(digests.digest(file_), sha256_hex("the bytes of a font"));
    EXPECT_FALSE(digests.changed());
    EXPECT_EQ(digests.lines(), "");
}

TEST_F(Digests, lines_of_files_since_changed_or_removed_are_not_written_again) {
    std::string other = root_ + "/other.dic";
    test::write_file(other, "patterns");
    FileDigests digests;
    ASSERT_TRUE(digests.read_line(line_for(file_, wrong_digest)));
    ASSERT_TRUE(digests.read_line(line_for(other, wrong_digest)));
    EXPECT_EQ(digests.lines(), line_for(file_, wrong_digest) + "\n" + line_for(other, wrong_digest) + "\n");
    fs::remove(other);
    EXPECT_EQ(digests.lines(), line_for(file_, wrong_digest) + "\n");
    test::write_file(file_, "other bytes");
    EXPECT_EQ(digests.lines(), "");
}

TEST_F(Digests, lines_that_are_not_digests_of_files_are_refused) {
    FileDigests digests;
    std::string good = line_for(file_, wrong_digest);
    EXPECT_TRUE(digests.read_line(good));
    for (const std::string& bad : std::vector<std::string>{
             std::string("alpha-en.pdf ") + wrong_digest + " " + wrong_digest + " 2",  // a PDF's record
             "file " + std::string(63, 'a') + good.substr(good.find(' ', 5)),          // a short digest
             "file " + std::string(64, 'A') + good.substr(good.find(' ', 5)),          // not lowercase
             good.substr(0, good.rfind(' ')),                                          // no path
             good.substr(0, good.rfind(' ') + 1),                                      // an empty path
             "file " + wrong_digest + " 1 2 x 4 5 /a/path",                            // not a number
             "file " + wrong_digest + " 1 2 3 4 /a/path",                              // a field missing
             "file " + wrong_digest + " 1 2 -3 4 5 /a/path",                           // a negative size
             "",
         })
        EXPECT_FALSE(digests.read_line(bad)) << bad;
}

TEST_F(Digests, a_path_with_spaces_is_kept_whole) {
    std::string spaced = root_ + "/a font file.ttf";
    test::write_file(spaced, "bytes");
    FileDigests digests;
    ASSERT_TRUE(digests.read_line(line_for(spaced, wrong_digest)));
    EXPECT_EQ(digests.digest(spaced), wrong_digest);
}

TEST_F(Digests, a_missing_file_throws_as_the_hash_of_a_file_does) {
    FileDigests digests;
    ASSERT_TRUE(digests.read_line(line_for(file_, wrong_digest)));
    fs::remove(file_);
    EXPECT_NE(test::error_text([&] { digests.digest(file_); }).find("cannot read"), std::string::npos);
    EXPECT_EQ(digests.lines(), "");
}
