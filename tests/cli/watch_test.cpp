// `factsheet watch`: the Watcher in process (saves by rename and in place, editors' files, stop
// signals), and the real program run as a child on copies of Mali and the layout, its PDFs read
// back with pdftotext after each change.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cli/watch.hpp"
#include "common/test_paths.hpp"

using namespace factsheet;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("not in the text: " + from);
    return text.replace(at, from.size(), to);
}

// Saves as vim and gedit do: a new file, renamed over the old one (a new inode).
void save_by_rename(const std::string& path, const std::string& text) {
    test::write_file(path + ".new", text);
    fs::rename(path + ".new", path);
}

// Whether `condition` holds within `limit`, looking every 20 ms.
bool within(milliseconds limit, const std::function<bool()>& condition) {
    auto end = Clock::now() + limit;
    for (;;) {
        if (condition()) return true;
        if (Clock::now() >= end) return false;
        std::this_thread::sleep_for(milliseconds(20));
    }
}

class Watching : public ::testing::Test {
protected:
    void SetUp() override { root_ = test::make_temp_dir(); }
    void TearDown() override { fs::remove_all(root_); }
    std::string root_;
};

}  // namespace

TEST_F(Watching, a_save_by_rename_and_one_in_place_are_both_seen) {
    std::string file = root_ + "/a.xml";
    test::write_file(file, "one");
    Watcher watcher(WatchList{{{file, "a"}}, {}});
    save_by_rename(file, "two");
    WatchEvents events = watcher.wait(milliseconds(50), milliseconds(2000));
    EXPECT_EQ(events.tags, std::set<std::string>{"a"});
    EXPECT_FALSE(events.stop);
    // The watch follows the name, not the replaced inode.
    test::write_file(file, "three");
    events = watcher.wait(milliseconds(50), milliseconds(2000));
    EXPECT_EQ(events.tags, std::set<std::string>{"a"});
}

TEST_F(Watching, other_files_of_the_folder_are_no_change) {
    std::string file = root_ + "/a.xml";
    test::write_file(file, "one");
    Watcher watcher(WatchList{{{file, "a"}}, {}});
    test::write_file(root_ + "/b.xml", "other");
    WatchEvents events = watcher.wait(milliseconds(50), milliseconds(300));
    EXPECT_TRUE(events.timed_out);
    EXPECT_TRUE(events.tags.empty());
}

TEST_F(Watching, a_burst_of_writes_is_one_change) {
    std::string file = root_ + "/a.xml";
    std::string other = root_ + "/b.xml";
    test::write_file(file, "one");
    test::write_file(other, "one");
    Watcher watcher(WatchList{{{file, "a"}, {other, "b"}}, {}});
    for (int i = 0; i < 5; ++i) {
        test::write_file(file, "again " + std::to_string(i));
        std::this_thread::sleep_for(milliseconds(10));
    }
    save_by_rename(other, "two");
    WatchEvents events = watcher.wait(milliseconds(100), milliseconds(2000));
    EXPECT_EQ(events.tags, (std::set<std::string>{"a", "b"}));
    EXPECT_TRUE(watcher.wait(milliseconds(50), milliseconds(300)).timed_out);
}

TEST_F(Watching, a_folder_counts_every_file_but_editors_files_and_its_subfolders) {
    std::string layout = root_ + "/layout";
    fs::create_directories(layout + "/images");
    Watcher watcher(WatchList{{}, {{layout, "layout"}}});
    for (std::string name : {".factsheet.mustache.swp", "4913", "styles.xml~", "#labels.xml#"})
        test::write_file(layout + "/" + name, "x");
    EXPECT_TRUE(watcher.wait(milliseconds(50), milliseconds(300)).timed_out);
    test::write_file(layout + "/images/logo.png", "x");
    EXPECT_EQ(watcher.wait(milliseconds(50), milliseconds(2000)).tags, std::set<std::string>{"layout"});
    save_by_rename(layout + "/styles.xml", "y");
    EXPECT_EQ(watcher.wait(milliseconds(50), milliseconds(2000)).tags, std::set<std::string>{"layout"});
}

TEST_F(Watching, a_folder_replaced_by_a_rename_is_watched_again) {
    std::string layout = root_ + "/layout";
    fs::create_directories(layout);
    Watcher watcher(WatchList{{}, {{layout, "layout"}}});
    fs::create_directories(root_ + "/layout.new");
    test::write_file(root_ + "/layout.new/styles.xml", "new");
    fs::rename(layout, root_ + "/layout.old");
    fs::rename(root_ + "/layout.new", layout);
    EXPECT_EQ(watcher.wait(milliseconds(50), milliseconds(3000)).tags, std::set<std::string>{"layout"});
    test::write_file(layout + "/styles.xml", "newer");
    EXPECT_EQ(watcher.wait(milliseconds(50), milliseconds(3000)).tags, std::set<std::string>{"layout"});
}

TEST_F(Watching, sigterm_and_sigint_stop_the_wait_and_are_unblocked_afterwards) {
    std::string file = root_ + "/a.xml";
    test::write_file(file, "one");
    for (int signal : {SIGTERM, SIGINT}) {
        Watcher watcher(WatchList{{{file, "a"}}, {}});
        // Sent to this thread, where it is blocked: it waits for the watcher.
        ASSERT_EQ(pthread_kill(pthread_self(), signal), 0);
        WatchEvents events = watcher.wait(milliseconds(50), milliseconds(2000));
        EXPECT_TRUE(events.stop);
        EXPECT_FALSE(events.timed_out);
    }
    sigset_t blocked;
    pthread_sigmask(SIG_BLOCK, nullptr, &blocked);
    EXPECT_FALSE(sigismember(&blocked, SIGTERM));
    EXPECT_FALSE(sigismember(&blocked, SIGINT));
}

TEST_F(Watching, a_missing_folder_is_refused_at_its_path) {
    EXPECT_EQ(test::error_text([&] {
                  Watcher w(WatchList{{}, {{root_ + "/nope", "layout"}}});
              }),
              root_ + "/nope: error: cannot watch a folder that does not exist");
}

namespace {

// `factsheet watch` running as a child process, its output going to files.
class WatchProgram : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = test::make_temp_dir();
        source_ = root_ + "/mali.xml";
        layout_ = root_ + "/layout";
        out_ = root_ + "/out";
        pdf_ = out_ + "/mali-en.pdf";
        original_ = test::read_file(test::source_path("input/mali.xml"));
        test::write_file(source_, original_);
        fs::copy(test::source_path("layouts/factsheet"), layout_, fs::copy_options::recursive);
    }
    void TearDown() override {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            finish();
        }
        fs::remove_all(root_);
    }

    void start(const std::vector<std::string>& args) {
        std::string program = test::binary_path();
        std::vector<std::string> all = {program, "watch", source_,    "--lang", "en",
                                        "--out", out_,    "--layout", layout_};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (std::string& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::string out_log = root_ + "/stdout", err_log = root_ + "/stderr";
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(::open(out_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
            ::dup2(::open(err_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
            ::execv(program.c_str(), argv.data());
            ::_exit(127);
        }
    }
    // Waits for the child; its exit code, or -signal.
    int finish() {
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }
    std::string out() { return read_or_empty(root_ + "/stdout"); }
    std::string err() { return read_or_empty(root_ + "/stderr"); }
    static std::string read_or_empty(const std::string& path) {
        return fs::exists(path) ? test::read_file(path) : std::string();
    }
    // The text of the PDF, or "" while there is none.
    std::string pdf_text() {
        if (!fs::exists(pdf_)) return "";
        return test::run("pdftotext -q " + pdf_ + " -").out;
    }
    bool watching() { return err().find("press Ctrl-C to stop") != std::string::npos; }

    std::string root_, source_, layout_, out_, pdf_, original_;
    pid_t pid_ = -1;
};

}  // namespace

TEST_F(WatchProgram, rebuilds_on_saves_keeps_the_last_good_pdf_and_stops_cleanly) {
    start({});
    ASSERT_TRUE(within(milliseconds(30000), [&] { return watching(); })) << err();
    EXPECT_EQ(out(), pdf_ + "\n");
    EXPECT_NE(pdf_text().find("Protection Cluster"), std::string::npos);

    // Saved by rename, as vim and gedit save: the new text is in the PDF within two seconds.
    auto saved = Clock::now();
    save_by_rename(source_,
                   replace_once(original_, "<en>Protection Cluster</en>", "<en>Quokka Cluster</en>"));
    EXPECT_TRUE(within(milliseconds(2000), [&] { return pdf_text().find("Quokka") != std::string::npos; }))
        << err();
    std::cout << "rebuilt after a save by rename in "
              << std::chrono::duration_cast<milliseconds>(Clock::now() - saved).count() << " ms\n";
    EXPECT_EQ(out(), pdf_ + "\n" + pdf_ + "\n");

    // Written in place.
    test::write_file(source_,
                     replace_once(original_, "<en>Protection Cluster</en>", "<en>Wombat Cluster</en>"));
    EXPECT_TRUE(within(milliseconds(2000), [&] { return pdf_text().find("Wombat") != std::string::npos; }))
        << err();

    // An invalid source: the error at its place, and the last good PDF left whole.
    std::string good = test::read_file(pdf_);
    test::write_file(source_, replace_once(original_, "<operation ", "<operation bogus=\"1\" "));
    std::regex located(std::regex_replace(source_, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                       R"(:4:12: error: unknown attribute "bogus" on <operation>)");
    EXPECT_TRUE(within(milliseconds(2000), [&] { return std::regex_search(err(), located); })) << err();
    EXPECT_EQ(test::read_file(pdf_), good);
    EXPECT_EQ(test::run("qpdf --check " + pdf_).exit_code, 0);

    // A change of the layout's template builds again, once the source is valid.
    test::write_file(source_, original_);
    EXPECT_TRUE(within(milliseconds(2000), [&] {
        return pdf_text().find("Protection Cluster") != std::string::npos;
    })) << err();
    std::string template_path = layout_ + "/factsheet.mustache";
    save_by_rename(template_path, replace_once(test::read_file(template_path), "<p style=\"banner-line\">",
                                               "<p style=\"banner-line\">Watchword "));
    EXPECT_TRUE(within(milliseconds(2000), [&] { return pdf_text().find("Watchword") != std::string::npos; }))
        << err();

    // Ctrl-C: exit status 0, and nothing but the PDF left in the output folder.
    ASSERT_EQ(::kill(pid_, SIGINT), 0);
    EXPECT_EQ(finish(), 0);
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(out_)) left.push_back(entry.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{"mali-en.pdf"});
}

TEST_F(WatchProgram, sigterm_while_idle_exits_0) {
    start({});
    ASSERT_TRUE(within(milliseconds(30000), [&] { return watching(); })) << err();
    ASSERT_EQ(::kill(pid_, SIGTERM), 0);
    EXPECT_EQ(finish(), 0);
}

TEST_F(WatchProgram, a_broken_layout_builds_nothing_until_it_is_mended) {
    start({});
    ASSERT_TRUE(within(milliseconds(30000), [&] { return watching(); })) << err();
    std::string good = test::read_file(pdf_);
    std::string styles = layout_ + "/styles.xml";
    std::string original_styles = test::read_file(styles);
    test::write_file(styles, "<styles");
    EXPECT_TRUE(within(milliseconds(2000), [&] { return err().find(styles + ":1:") != std::string::npos; }))
        << err();
    // A source saved meanwhile is not built with the old layout: the layout's problem is said again.
    test::write_file(source_,
                     replace_once(original_, "<en>Protection Cluster</en>", "<en>Quokka Cluster</en>"));
    EXPECT_TRUE(within(milliseconds(2000), [&] { return test::count(err(), styles + ":1:") == 2; })) << err();
    EXPECT_EQ(test::read_file(pdf_), good);
    test::write_file(styles, original_styles);
    EXPECT_TRUE(within(milliseconds(2000), [&] { return pdf_text().find("Quokka") != std::string::npos; }))
        << err();
    ASSERT_EQ(::kill(pid_, SIGINT), 0);
    EXPECT_EQ(finish(), 0);
}
