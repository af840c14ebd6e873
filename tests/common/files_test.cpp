#include "common/files.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

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

TEST(files, a_file_written_in_pieces_is_whole_and_atomic) {
    std::string dir = test::make_temp_dir();
    std::string path = dir + "/record";
    std::string expected;
    write_file_atomic(path, [&](const std::function<void(std::string_view)>& put) {
        // Small pieces, one larger than the write buffer, and an empty one.
        for (int i = 0; i < 20000; ++i) {
            std::string line = "entry " + std::to_string(i) + "\n";
            put(line);
            expected += line;
        }
        std::string big(100000, 'x');
        put(big);
        put("");
        expected += big;
    });
    EXPECT_EQ(read_whole_file(path), expected);
    // A producer that fails part-way leaves the file as it was, and no temporary file.
    EXPECT_THROW(write_file_atomic(path,
                                   [](const std::function<void(std::string_view)>& put) {
                                       put(std::string(200000, 'y'));
                                       throw Error(SourcePos{"record", 0, 0}, "stopped");
                                   }),
                 Error);
    EXPECT_EQ(read_whole_file(path), expected);
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

// Errors that say which of the three a reader made, and with what.
FileErrors telling_errors() {
    return FileErrors{[](std::size_t size) {
                          return Error(SourcePos{"f", 0, 0}, "too large: " + std::to_string(size));
                      },
                      [](std::string_view kind) {
                          return Error(SourcePos{"f", 0, 0}, "not regular: " + std::string(kind));
                      },
                      [](int e) {
                          return Error(SourcePos{"f", 0, 0}, "cannot read: " + std::to_string(e));
                      }};
}

// How long `f` took, in seconds.
double seconds_of(const std::function<void()>& f) {
    auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST(files, an_empty_file_reads_as_empty) {
    std::string dir = test::make_temp_dir();
    test::write_file(dir + "/empty", "");
    EXPECT_EQ(read_regular_file(dir + "/empty", 0, telling_errors()), "");
    EXPECT_EQ(read_whole_file(dir + "/empty"), "");
    std::filesystem::remove_all(dir);
}

TEST(files, a_file_of_the_cap_reads_whole) {
    std::string dir = test::make_temp_dir();
    test::write_file(dir + "/ten", "0123456789");
    EXPECT_EQ(read_regular_file(dir + "/ten", 10, telling_errors()), "0123456789");
    std::filesystem::remove_all(dir);
}

TEST(files, a_file_read_in_pieces_is_the_file_read_whole) {
    std::string dir = test::make_temp_dir();
    std::string text;
    for (int i = 0; text.size() < 200000; ++i) text += "line " + std::to_string(i) + "\n";
    test::write_file(dir + "/long", text);
    std::string joined;
    int pieces = 0;
    read_whole_file(dir + "/long", [&](std::string_view piece) {
        EXPECT_LE(piece.size(), 65536u);
        joined.append(piece);
        ++pieces;
    });
    EXPECT_EQ(joined, text);
    EXPECT_GE(pieces, 4);
    EXPECT_THROW(read_regular_file(dir + "/long", text.size() - 1, telling_errors(), [](std::string_view) {}),
                 Error);
    std::filesystem::remove_all(dir);
}

TEST(files, a_missing_file_is_refused_with_its_reason) {
    EXPECT_EQ(test::error_text([] { read_regular_file("/nonexistent/x.xml", 10, telling_errors()); }),
              "f: error: cannot read: " + std::to_string(ENOENT));
}

// A FIFO with no writer would make a plain read wait for ever.
TEST(files, a_fifo_is_refused_without_waiting) {
    std::string dir = test::make_temp_dir();
    std::string fifo = dir + "/source.xml";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    double took = seconds_of([&] {
        EXPECT_EQ(test::error_text([&] { read_regular_file(fifo, 1024, telling_errors()); }),
                  "f: error: not regular: a FIFO (named pipe)");
        EXPECT_EQ(test::error_text([&] { read_whole_file(fifo); }),
                  fifo + ": error: cannot read: it is a FIFO (named pipe), not a regular file");
    });
    EXPECT_LT(took, 1.0);
    std::filesystem::remove_all(dir);
}

// /dev/zero never ends: it is refused before a byte is read, not when the cap is passed.
TEST(files, a_device_is_refused_at_once) {
    double took = seconds_of([&] {
        EXPECT_EQ(
            test::error_text([&] { read_regular_file("/dev/zero", max_whole_file_bytes, telling_errors()); }),
            "f: error: not regular: a device");
        EXPECT_EQ(test::error_text([&] { read_whole_file("/dev/zero"); }),
                  "/dev/zero: error: cannot read: it is a device, not a regular file");
    });
    EXPECT_LT(took, 1.0);
}

TEST(files, a_folder_is_refused) {
    std::string dir = test::make_temp_dir();
    EXPECT_EQ(test::error_text([&] { read_regular_file(dir, 1024, telling_errors()); }),
              "f: error: not regular: a folder");
    EXPECT_EQ(test::error_text([&] { read_whole_file(dir); }),
              dir + ": error: cannot read: it is a folder, not a regular file");
    std::filesystem::remove_all(dir);
}

// A file over the cap is refused by its size, before any of it is read: a sparse file of a
// terabyte is refused at once, with its size.
TEST(files, a_file_over_the_cap_is_refused_before_reading) {
    std::string dir = test::make_temp_dir();
    test::write_file(dir + "/eleven", "01234567890");
    EXPECT_EQ(test::error_text([&] { read_regular_file(dir + "/eleven", 10, telling_errors()); }),
              "f: error: too large: 11");
    std::string huge = dir + "/huge.pdf";
    test::write_file(huge, "");
    std::filesystem::resize_file(huge, std::uintmax_t{1} << 40);
    double took = seconds_of([&] {
        EXPECT_EQ(test::error_text([&] { read_whole_file(huge); }),
                  huge +
                      ": error: cannot read: it is 1099511627776 bytes, more than the 1073741824 bytes "
                      "(1 GiB) the program reads of a file");
    });
    EXPECT_LT(took, 1.0);
    std::filesystem::remove_all(dir);
}

// A file that may be checked without being read (one a library opens itself) is judged alike.
TEST(files, checking_a_file_refuses_what_reading_it_would) {
    std::string dir = test::make_temp_dir();
    test::write_file(dir + "/font.ttf", "01234567890");
    EXPECT_NO_THROW(check_regular_file(dir + "/font.ttf", 11, telling_errors()));
    EXPECT_EQ(test::error_text([&] { check_regular_file(dir + "/font.ttf", 10, telling_errors()); }),
              "f: error: too large: 11");
    EXPECT_EQ(test::error_text([&] { check_regular_file("/dev/zero", 10, telling_errors()); }),
              "f: error: not regular: a device");
    std::filesystem::remove_all(dir);
}

// A mapped file holds what reading it gives, and is refused where reading it would be.
TEST(files, a_mapped_file_is_the_file_read) {
    std::string dir = test::make_temp_dir();
    std::string text;
    for (int i = 0; i < 50000; ++i) text += static_cast<char>('a' + i % 26);  // more than a page
    test::write_file(dir + "/font.ttf", text);
    test::write_file(dir + "/empty", "");
    MappedFile mapped(dir + "/font.ttf", text.size(), telling_errors());
    EXPECT_EQ(mapped.bytes(), read_regular_file(dir + "/font.ttf", text.size(), telling_errors()));
    MappedFile moved = std::move(mapped);
    EXPECT_EQ(moved.bytes(), text);
    EXPECT_TRUE(mapped.bytes().empty());  // NOLINT(bugprone-use-after-move): a moved-from mapping is empty
    EXPECT_TRUE(MappedFile(dir + "/empty", 10, telling_errors()).bytes().empty());
    EXPECT_EQ(test::error_text([&] { MappedFile(dir + "/font.ttf", text.size() - 1, telling_errors()); }),
              "f: error: too large: " + std::to_string(text.size()));
    EXPECT_EQ(test::error_text([&] { MappedFile("/dev/zero", 10, telling_errors()); }),
              "f: error: not regular: a device");
    EXPECT_EQ(test::error_text([&] { MappedFile(dir, 10, telling_errors()); }),
              "f: error: not regular: a folder");
    EXPECT_EQ(test::error_text([] { MappedFile("/nonexistent/x.ttf", 10, telling_errors()); }),
              "f: error: cannot read: " + std::to_string(ENOENT));
    std::filesystem::remove_all(dir);
}

TEST(files, flushing_a_missing_folder_names_it) {
    EXPECT_EQ(test::error_text([] { sync_folder("/nonexistent-folder"); }),
              "/nonexistent-folder: error: cannot open the folder: No such file or directory");
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

// Groups written with one flush: each is written whole or not at all, and one that fails (a
// target no file can replace, a file too large for the disk) leaves the others written.
TEST(files, groups_written_together_fail_alone) {
    std::string dir = test::make_temp_dir();
    std::string a_en = dir + "/a-en.pdf", a_fr = dir + "/a-fr.pdf";
    std::string b_en = dir + "/b-en.pdf", b_fr = dir + "/b-fr.pdf";
    std::string c_en = dir + "/c-en.pdf", c_fr = dir + "/c-fr.pdf";
    std::string d_en = dir + "/d-en.pdf";
    write_file_atomic(b_en, "old b en");
    write_file_atomic(c_en, "old c en");
    std::filesystem::create_directories(b_fr + "/in-the-way");
    struct rlimit old {};
    getrlimit(RLIMIT_FSIZE, &old);
    struct rlimit small = old;
    small.rlim_cur = 10;  // c's French file is longer
    std::signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &small);
    FileGroups groups;
    // c's French file cannot be written: refused when added; b's cannot replace its target: at
    // the commit.
    std::vector<std::optional<Error>> errors;
    for (const std::vector<FileContent>& group :
         std::vector<std::vector<FileContent>>{{{a_en, "new a en"}, {a_fr, "new a fr"}},
                                               {{b_en, "new b en"}, {b_fr, "new b fr"}},
                                               {{c_en, "new c en"}, {c_fr, "a much longer c fr"}},
                                               {{d_en, "new d en"}}})
        errors.push_back(groups.add(group));
    setrlimit(RLIMIT_FSIZE, &old);
    std::vector<std::optional<Error>> committed = groups.commit();
    ASSERT_EQ(committed.size(), 3u) << "a, b and d";
    errors[0] = committed[0];
    errors[1] = committed[1];
    errors[3] = committed[2];
    ASSERT_EQ(errors.size(), 4u);
    EXPECT_FALSE(errors[0]);
    ASSERT_TRUE(errors[1]);
    EXPECT_EQ(std::string(errors[1]->what()).rfind(b_fr + ": error: cannot write: ", 0), 0u)
        << errors[1]->what();
    ASSERT_TRUE(errors[2]);
    EXPECT_EQ(std::string(errors[2]->what()).rfind(c_fr + ": error: cannot write: ", 0), 0u)
        << errors[2]->what();
    EXPECT_FALSE(errors[3]);
    EXPECT_EQ(read_whole_file(a_en), "new a en");
    EXPECT_EQ(read_whole_file(a_fr), "new a fr");
    EXPECT_EQ(read_whole_file(b_en), "old b en");
    EXPECT_EQ(read_whole_file(c_en), "old c en");
    EXPECT_FALSE(std::filesystem::exists(c_fr));
    EXPECT_EQ(read_whole_file(d_en), "new d en");
    EXPECT_EQ(files_in(dir), 5) << "a's two, b's and c's old English, d's; no temporary file";
    EXPECT_TRUE(FileGroups().commit().empty());
    std::filesystem::remove_all(dir);
}

// Groups added wait, as temporary files, for a commit: until then no target changes, a group
// that cannot be written is refused alone at add(), a commit installs the others in the order
// added, and what was added and never committed leaves nothing behind.
TEST(files, groups_added_wait_for_their_commit) {
    std::string dir = test::make_temp_dir();
    std::string a = dir + "/a.pdf", b = dir + "/b.pdf", c = dir + "/c.pdf", d = dir + "/d.pdf";
    write_file_atomic(a, "old a");
    std::filesystem::create_directories(dir + "/not-a-folder.pdf");
    {
        FileGroups groups;
        EXPECT_FALSE(groups.add({{a, "new a"}, {b, "new b"}}));
        std::optional<Error> refused = groups.add({{c, "new c"}, {dir + "/not-a-folder.pdf/x/y", "z"}});
        ASSERT_TRUE(refused);
        EXPECT_NE(std::string(refused->what()).find("not-a-folder.pdf/x/y"), std::string::npos)
            << refused->what();
        EXPECT_FALSE(groups.add({{d, "new d"}}));
        EXPECT_EQ(groups.pending(), 2u);
        EXPECT_EQ(read_whole_file(a), "old a");
        EXPECT_FALSE(std::filesystem::exists(b));
        EXPECT_EQ(files_in(dir), 4) << "old a, and the temporary files of a, b and d";
        std::vector<std::optional<Error>> errors = groups.commit();
        ASSERT_EQ(errors.size(), 2u);
        EXPECT_FALSE(errors[0]);
        EXPECT_FALSE(errors[1]);
        EXPECT_EQ(groups.pending(), 0u);
        EXPECT_EQ(read_whole_file(a), "new a");
        EXPECT_EQ(read_whole_file(b), "new b");
        EXPECT_EQ(read_whole_file(d), "new d");
        EXPECT_FALSE(std::filesystem::exists(c));
        EXPECT_TRUE(groups.commit().empty());
        EXPECT_FALSE(groups.add({{a, "newer a"}}));
        EXPECT_FALSE(groups.add({{c, "new c"}}));
    }
    EXPECT_EQ(read_whole_file(a), "new a") << "added, never committed";
    EXPECT_FALSE(std::filesystem::exists(c));
    EXPECT_EQ(files_in(dir), 3) << "a, b and d; no temporary file";
    std::filesystem::remove_all(dir);
}

// The cache folder forgets what no run has used for a month: the first entry a process writes into
// a folder removes the old ones there, and an entry read is marked as used.
TEST(files, cache_entries_unused_for_a_month_go) {
    const std::string dir = test::make_temp_dir();
    const std::string folder = dir + "/fonts";
    std::filesystem::create_directories(folder + "/inner");
    const auto now = std::filesystem::file_time_type::clock::now();
    const auto old = now - std::chrono::hours(24 * 40);
    for (const char* name : {"old", "recent", "used", ".entry.tmp-AbC123"})
        test::write_file(folder + "/" + name, "x");
    std::filesystem::last_write_time(folder + "/old", old);
    std::filesystem::last_write_time(folder + "/used", old);
    std::filesystem::last_write_time(folder + "/.entry.tmp-AbC123", old);
    std::filesystem::last_write_time(folder + "/recent", now - std::chrono::hours(24 * 20));
    touch_cache_entry(folder + "/used");
    write_cache_entry(folder + "/new", "entry");
    EXPECT_FALSE(std::filesystem::exists(folder + "/old"));
    EXPECT_TRUE(std::filesystem::exists(folder + "/recent"));
    EXPECT_TRUE(std::filesystem::exists(folder + "/used"));
    EXPECT_TRUE(std::filesystem::exists(folder + "/inner"));
    EXPECT_EQ(read_whole_file(folder + "/new"), "entry");
    // Once per folder and process: an entry that ages meanwhile stays until a later run.
    std::filesystem::last_write_time(folder + "/recent", old);
    write_cache_entry(folder + "/another", "entry");
    EXPECT_TRUE(std::filesystem::exists(folder + "/recent"));
    EXPECT_EQ(prune_cache_folder(folder, cache_entry_lifetime), 1u);
    EXPECT_FALSE(std::filesystem::exists(folder + "/recent"));
    // A folder that cannot be made: nothing is written, nothing thrown.
    test::write_file(dir + "/file", "");
    EXPECT_NO_THROW(write_cache_entry(dir + "/file/forms/entry", "entry"));
    EXPECT_FALSE(std::filesystem::exists(dir + "/file/forms/entry"));
    std::filesystem::remove_all(dir);
}

// The body of a checked entry, as a string; none when it does not read back.
std::optional<std::string> checked_body(const std::string& path, std::string_view key, std::size_t max) {
    std::optional<CheckedEntry> entry = read_checked_cache_entry(path, key, max);
    if (!entry) return std::nullopt;
    return std::string(entry->body());
}

// An entry whose reader checks its bytes is written without a flush, but as atomically: it
// replaces the last one whole, leaves no temporary file, prunes its folder and removes what killed
// writes left there the first time, and a folder that cannot be made is no error. It reads back only whole
// and with its own key.
TEST(files, checked_cache_entries_replace_the_last_whole_and_read_back_only_whole) {
    const std::string dir = test::make_temp_dir();
    const std::string folder = dir + "/subsets";
    std::filesystem::create_directories(folder);
    test::write_file(folder + "/old", "x");
    std::filesystem::last_write_time(
        folder + "/old", std::filesystem::file_time_type::clock::now() - std::chrono::hours(24 * 40));
    test::write_file(folder + "/.entry.tmp-AbC123", "what a killed run left");
    write_checked_cache_entry(folder + "/entry", "key 1\n", "first");
    EXPECT_EQ(checked_body(folder + "/entry", "key 1\n", 1000), "first");
    EXPECT_FALSE(std::filesystem::exists(folder + "/old"));
    EXPECT_FALSE(std::filesystem::exists(folder + "/.entry.tmp-AbC123"));
    const std::string body(100'000, 'b');
    write_checked_cache_entry(folder + "/entry", "key 1\n", body);
    EXPECT_EQ(checked_body(folder + "/entry", "key 1\n", 1 << 20), body);
    EXPECT_EQ(std::filesystem::status(folder + "/entry").permissions() & std::filesystem::perms::all,
              std::filesystem::perms(0644));
    EXPECT_EQ(files_in(folder), 1) << "no temporary file";

    EXPECT_EQ(checked_body(folder + "/entry", "key 2\n", 1 << 20), std::nullopt) << "another key";
    EXPECT_EQ(checked_body(folder + "/entry", "key 1\n", 1000), std::nullopt) << "over the limit";
    EXPECT_EQ(checked_body(folder + "/none", "key 1\n", 1000), std::nullopt);
    const std::string whole = read_whole_file(folder + "/entry");
    for (std::size_t at : {std::size_t{2}, whole.size() / 2, whole.size() - 1}) {
        std::string damaged = whole;
        damaged[at] = static_cast<char>(damaged[at] ^ 1);
        test::write_file(folder + "/entry", damaged);
        EXPECT_EQ(checked_body(folder + "/entry", "key 1\n", 1 << 20), std::nullopt) << at;
    }
    test::write_file(folder + "/entry", whole.substr(0, whole.size() - 1));
    EXPECT_EQ(checked_body(folder + "/entry", "key 1\n", 1 << 20), std::nullopt) << "cut short";
    test::write_file(folder + "/entry", "");
    EXPECT_EQ(checked_body(folder + "/entry", "", 1 << 20), std::nullopt) << "empty";

    write_checked_cache_entry(dir + "/new/entry", "k\n", "made with its folder");
    EXPECT_EQ(checked_body(dir + "/new/entry", "k\n", 1000), "made with its folder");
    test::write_file(dir + "/file", "");
    EXPECT_NO_THROW(write_checked_cache_entry(dir + "/file/subsets/entry", "k\n", "entry"));
    EXPECT_FALSE(std::filesystem::exists(dir + "/file/subsets/entry"));
    std::filesystem::remove_all(dir);
}
