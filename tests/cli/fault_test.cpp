// Faults never corrupt output: a batch killed with SIGKILL at any moment leaves every PDF in its
// output folder whole (qpdf --check passes) and no temporary file that passes for a finished PDF.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/test_paths.hpp"

namespace fs = std::filesystem;
using namespace factsheet::test;

namespace {

using Clock = std::chrono::steady_clock;

// Starts the program with `args`, its output thrown away; returns its process id.
pid_t start(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    std::string program = binary_path();
    argv.push_back(program.data());
    std::vector<std::string> copies = args;
    for (std::string& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
        int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

// Waits for the process; returns its exit code, or -signal when a signal ended it.
int finish(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// What a killed run may leave: whole PDFs, the batch's record, and temporary files named
// ".<name>.tmp-XXXXXX" (which never end in ".pdf", so nothing takes them for an edition).
// Returns the problems found.
std::vector<std::string> check_output(const std::string& out) {
    std::vector<std::string> problems;
    for (const auto& entry : fs::directory_iterator(out)) {
        std::string name = entry.path().filename().string();
        bool temporary = name.starts_with(".") && name.find(".tmp-") != std::string::npos;
        if (temporary) {
            if (name.ends_with(".pdf")) problems.push_back(name + ": a temporary file named like a PDF");
            continue;
        }
        if (name == ".factsheet-cache") continue;
        if (!name.ends_with(".pdf")) {
            problems.push_back(name + ": an unexpected file");
            continue;
        }
        RunResult r = run("qpdf --check '" + entry.path().string() + "'");
        if (r.exit_code != 0) problems.push_back(name + ": qpdf --check fails: " + r.out + r.err);
    }
    return problems;
}

TEST(faults, a_batch_killed_at_random_points_leaves_only_whole_pdfs) {
    ASSERT_EQ(run("qpdf --version").exit_code, 0) << "qpdf is needed (Debian package qpdf)";
    std::string dir = make_temp_dir();
    std::string in = dir + "/input", out = dir + "/output";
    fs::create_directories(in);
    std::string valid = read_file(source_path("tests/bad_input/valid.xml"));
    constexpr int sources = 8;
    for (int i = 1; i <= sources; ++i) {
        std::string text = valid;
        std::string id = "op" + std::to_string(i);
        text.replace(text.find("id=\"sample\""), 11, "id=\"" + id + "\"");
        write_file(in + "/" + id + ".xml", text);
    }
    std::vector<std::string> args = {"batch", in, "--out", out, "--force", "--jobs", "2"};

    // One whole run tells how long a batch takes here (sanitizers slow it down many times).
    auto t0 = Clock::now();
    ASSERT_EQ(finish(start(args)), 0);
    double full = std::chrono::duration<double>(Clock::now() - t0).count();
    EXPECT_EQ(check_output(out), std::vector<std::string>{});

    unsigned seed = std::random_device{}();
    std::cout << "seed " << seed << ", a whole batch takes " << full << " s\n";
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> when(0.0, full * 1.1);
    auto deadline = Clock::now() + std::chrono::seconds(8);
    int rounds = 0, killed = 0;
    while (rounds < 25 && Clock::now() < deadline) {
        ++rounds;
        pid_t pid = start(args);
        std::this_thread::sleep_for(std::chrono::duration<double>(when(random)));
        ::kill(pid, SIGKILL);
        killed += finish(pid) == -SIGKILL ? 1 : 0;
        std::vector<std::string> problems = check_output(out);
        EXPECT_EQ(problems, std::vector<std::string>{}) << "round " << rounds << ", seed " << seed;
        if (!problems.empty()) break;
    }
    EXPECT_GT(killed, 0) << "no run was killed before it finished: the test tested nothing";
    std::cout << rounds << " rounds, " << killed << " killed mid-run\n";

    // A run after all that completes and leaves every edition whole.
    ASSERT_EQ(finish(start(args)), 0);
    EXPECT_EQ(check_output(out), std::vector<std::string>{});
    for (int i = 1; i <= sources; ++i)
        for (const char* lang : {"en", "fr"})
            EXPECT_TRUE(fs::exists(out + "/op" + std::to_string(i) + "-" + lang + ".pdf"));
    fs::remove_all(dir);
}

}  // namespace
