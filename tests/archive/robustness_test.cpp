// The archive against stopped runs and odd inputs: a first issue killed while the catalog is made,
// temporary files killed runs leave, and files archive add must not read or must say more about.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "archive/archive_fixture.hpp"
#include "common/test_paths.hpp"

extern char** environ;

namespace factsheet {
namespace {

namespace fs = std::filesystem;

// Starts the program without waiting, its output thrown away.
pid_t spawn(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
    return pid;
}

TEST_F(ArchiveTest, a_first_issue_killed_leaves_a_complete_catalog_or_none) {
    std::string file = source("mali");
    auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(factsheet("issue " + file + " --archive " + dir_ + "/timing --date 2026-11-29").exit_code, 0);
    auto whole =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    // The catalog is made early in a run (after the lock, before the build): kills in the first
    // fifth, where it is made, and some anywhere.
    std::mt19937 random(20261201);
    std::uniform_int_distribution<long> early(0, whole.count() / 5), anywhere(0, whole.count());
    int with_catalog = 0, without = 0;
    for (int round = 0; round < 16; ++round) {
        std::string archive = dir_ + "/first" + std::to_string(round);
        pid_t pid = spawn({program(), "issue", file, "--archive", archive, "--date", "2026-11-29"});
        std::this_thread::sleep_for(
            std::chrono::microseconds(round % 4 == 3 ? anywhere(random) : early(random)));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        std::string catalog = archive + "/catalog.sqlite";
        if (fs::exists(catalog)) {
            ++with_catalog;
            EXPECT_GT(fs::file_size(catalog), 0u) << "round " << round;
            test::RunResult list = factsheet("archive list --archive " + archive);
            EXPECT_EQ(list.exit_code, 0) << "round " << round << ": " << list.err;
        } else {
            ++without;
        }
        // Whatever it left, the next issue completes and all is well.
        test::RunResult r = factsheet("issue " + file + " --archive " + archive + " --date 2026-11-29");
        ASSERT_EQ(r.exit_code, 0) << "round " << round << ": " << r.err;
        test::RunResult v = factsheet("archive verify --archive " + archive);
        EXPECT_EQ(v.exit_code, 0) << "round " << round << ": " << v.err;
    }
    std::printf("first issues killed: %d left a catalog, %d none\n", with_catalog, without);
}

TEST_F(ArchiveTest, an_empty_catalog_file_is_no_catalog) {
    // What an older program killed while creating the catalog left.
    fs::create_directories(archive_);
    test::write_file(archive_ + "/catalog.sqlite", "");
    test::RunResult list = factsheet("archive list --archive " + archive_);
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(list.out, "");
    ASSERT_EQ(issue(source("mali"), "2026-11-29").exit_code, 0);
    EXPECT_GT(fs::file_size(archive_ + "/catalog.sqlite"), 0u);
    test::RunResult v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 0) << v.err;
    EXPECT_EQ(v.out, archive_ + ": 2 files verified, no problem\n");
}

TEST_F(ArchiveTest, the_next_change_adopts_orphans_of_any_operation) {
    ASSERT_EQ(issue(source("niger"), "2026-11-29", " --lang en").exit_code, 0);
    // The catalog as a run stopped between writing niger's second edition and recording it left it.
    fs::copy_file(archive_ + "/catalog.sqlite", dir_ + "/catalog.before");
    ASSERT_EQ(issue(source("niger", "v2"), "2026-12-01", " --lang en").exit_code, 0);
    fs::copy_file(dir_ + "/catalog.before", archive_ + "/catalog.sqlite",
                  fs::copy_options::overwrite_existing);
    test::RunResult v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(v.err,
              archive_ +
                  "/niger/niger-en-e2-2026-12-01.pdf: error: complete but not in the catalog: a run was "
                  "stopped before recording it; the next change (issue, archive add) adopts it, or run "
                  "\"factsheet archive reindex\"\n");
    // An issue of another operation takes it in.
    test::RunResult r = issue(source("mali"), "2026-12-02", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err,
              archive_ +
                  "/niger/niger-en-e2-2026-12-01.pdf: warning: adopted into the catalog: a stopped run "
                  "had written it\n");
    v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 0) << v.err;
    EXPECT_EQ(v.out, archive_ + ": 3 files verified, no problem\n");
}

// The hidden temporary files of the program's pattern in a folder.
std::set<std::string> temporaries(const std::string& folder) {
    std::set<std::string> out;
    for (const auto& entry : fs::directory_iterator(folder)) {
        std::string name = entry.path().filename().string();
        if (name[0] == '.' && name.find(".tmp-") != std::string::npos) out.insert(name);
    }
    return out;
}

TEST_F(ArchiveTest, killed_builds_leave_temporaries_the_next_run_removes) {
    std::string file = source("mali");
    std::string out = dir_ + "/out";
    auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(factsheet("build " + file + " --out " + out).exit_code, 0);
    auto whole =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    // Killed builds, late in their run where the files are written: some leave a temporary file.
    std::mt19937 random(20261202);
    std::uniform_real_distribution<double> late(0.6, 1.0);
    for (int round = 0; round < 12; ++round) {
        pid_t pid = spawn({program(), "build", file, "--out", out});
        std::this_thread::sleep_for(
            std::chrono::microseconds(static_cast<long>(late(random) * static_cast<double>(whole.count()))));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
    std::printf("temporary files left by killed builds: %zu\n", temporaries(out).size());
    // One as a killed run leaves it, one a running writer holds (locked), one of another program.
    test::write_file(out + "/.mali-en.pdf.tmp-Ab12Cd", "%PDF-1.4 half");
    test::write_file(out + "/.mali-fr.pdf.tmp-Ef34Gh", "%PDF-1.4 being written");
    test::write_file(out + "/.notes.tmp-1", "mine");
    int held = ::open((out + "/.mali-fr.pdf.tmp-Ef34Gh").c_str(), O_RDONLY);
    ASSERT_GE(held, 0);
    ASSERT_EQ(::flock(held, LOCK_EX), 0);
    test::RunResult r = factsheet("build " + file + " --lang en --out " + out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(temporaries(out), std::set<std::string>({".mali-fr.pdf.tmp-Ef34Gh", ".notes.tmp-1"}));
    ::close(held);
    ASSERT_EQ(factsheet("build " + file + " --lang en --out " + out).exit_code, 0);
    // Swept once per folder and run: this run found it unlocked.
    EXPECT_EQ(temporaries(out), std::set<std::string>({".notes.tmp-1"}));
}

TEST_F(ArchiveTest, a_temporary_file_in_the_archive_is_reported_then_removed) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en").exit_code, 0);
    test::write_file(archive_ + "/mali/.mali-en-e2-2026-12-01.pdf.tmp-Ab12Cd", "%PDF-1.4 half");
    test::RunResult v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(v.err, archive_ +
                         "/mali/.mali-en-e2-2026-12-01.pdf.tmp-Ab12Cd: error: a temporary file a stopped run "
                         "left: the next change removes it\n");
    ASSERT_EQ(issue(source("mali", "v2"), "2026-12-01", " --lang en").exit_code, 0);
    EXPECT_FALSE(fs::exists(archive_ + "/mali/.mali-en-e2-2026-12-01.pdf.tmp-Ab12Cd"));
    v = factsheet("archive verify --archive " + archive_);
    EXPECT_EQ(v.exit_code, 0) << v.err;
}

TEST_F(ArchiveTest, archive_add_reads_regular_files_and_speaks_of_encryption_and_javascript) {
    auto add = [&](const std::string& pdf) {
        return factsheet("archive add " + pdf + " --archive " + archive_ +
                         " --operation mali --lang en --title Update --date 2026-12-02");
    };
    // A device is not read at all: it would be read forever.
    test::RunResult r = add("/dev/zero");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "/dev/zero: error: not a regular file (a device or a pipe): give the path of a PDF file\n");

    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en").exit_code, 0);
    std::string made = archive_ + "/mali/mali-en-e1-2026-11-29.pdf";
    // Encrypted, with a password to open it or only one to change it: both refused, saying so.
    const std::string encrypted_message =
        ": error: the PDF is encrypted (password-protected): archive a copy without encryption, exported "
        "again without a password or made with \"qpdf --decrypt\" (and the password)\n";
    for (const std::string& user : {std::string("secret"), std::string("")}) {
        std::string locked = dir_ + "/locked" + user + ".pdf";
        ASSERT_EQ(test::run("qpdf --encrypt '" + user + "' owner 256 -- " + made + " " + locked).exit_code,
                  0);
        r = add(locked);
        EXPECT_EQ(r.exit_code, 1);
        EXPECT_EQ(r.err, locked + encrypted_message);
    }

    // JavaScript run when the file opens, in an object stream: archived, with a warning.
    std::string bytes = test::read_file(made);
    std::string script = dir_ + "/script.pdf";
    std::string with_action = bytes;
    std::size_t catalog = with_action.find("/Type /Catalog");
    ASSERT_NE(catalog, std::string::npos);
    with_action.insert(catalog, "/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> ");
    test::write_file(dir_ + "/raw.pdf", with_action);
    test::RunResult fixed = test::run("qpdf --object-streams=generate " + dir_ + "/raw.pdf " + script +
                                      " 2>&1; test -s " + script);
    ASSERT_EQ(fixed.exit_code, 0) << fixed.out;
    EXPECT_EQ(test::read_file(script).find("/JavaScript"), std::string::npos);  // compressed away
    r = add(script);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, script +
                         ": warning: the PDF contains JavaScript, which viewers may run when it is opened: "
                         "archived as it is; if it is not meant to be there, export the file again without "
                         "it\n");
    EXPECT_EQ(r.out, archive_ + "/mali/mali-external-en-e1-2026-12-02.pdf: edition 1, 2 pages\n");
    // A file without any says nothing.
    test::write_file(dir_ + "/plain.pdf", bytes + "\n");
    r = add(dir_ + "/plain.pdf");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
}

TEST_F(ArchiveTest, issue_warns_of_figures_changed_under_the_same_as_of_date) {
    ASSERT_EQ(issue(source("mali"), "2026-11-29", " --lang en").exit_code, 0);
    auto edited = [&](const std::string& name, const std::string& from, const std::string& to,
                      const std::string& as_of = "2023-09-30") {
        std::string text = test::read_file(source("mali"));
        text.replace(text.find(from), from.size(), to);
        text.replace(text.find("as-of=\"2023-09-30\""), 18, "as-of=\"" + as_of + "\"");
        std::string path = dir_ + "/" + name + ".xml";
        test::write_file(path, text);
        return path;
    };
    // Another text changed: a new edition, no warning.
    std::string text_only = edited("text", "The crisis that Mali", "The long crisis that Mali");
    test::RunResult r = issue(text_only, "2026-12-01", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    // The people in need changed, the as-of date did not: issued, with a warning at the figure.
    std::string figure = edited("figure", "value=\"3900000\"", "value=\"4100000\"");
    r = issue(figure, "2026-12-02", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, archive_ +
                         "/mali/mali-en-e3-2026-12-02.pdf: edition 3, 2 pages, supersedes "
                         "mali/mali-en-e2-2026-12-01.pdf\n");
    EXPECT_EQ(r.err, figure +
                         ":76:5: warning: key figure \"pin\" changed (3900000 to 4100000) since edition 2 "
                         "(mali/mali-en-e2-2026-12-01.pdf) while the as-of date stayed 2023-09-30: update "
                         "as-of to the date of the new figures\n");
    // Changed again with a new as-of date: as it should be, no warning.
    std::string dated = edited("dated", "value=\"3900000\"", "value=\"4200000\"", "2023-10-31");
    r = issue(dated, "2026-12-03", " --lang en");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace factsheet
