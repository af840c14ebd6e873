// Test helper: a temporary folder with an archive in it, sources to issue and the program to run.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "common/test_paths.hpp"

namespace factsheet {

// A temporary folder with the archive in it and sources to issue.
class ArchiveTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir();
        archive_ = dir_ + "/archive";
        mali_ = test::read_file(test::source_path("input/mali.xml"));
    }
    void TearDown() override {
        if (!HasFailure()) std::filesystem::remove_all(dir_);
    }

    // A source: mali.xml with its id replaced and, when `change` is set, one sentence changed.
    std::string source(const std::string& id, const std::string& change = "") {
        std::string text = mali_;
        text.replace(text.find("id=\"mali\""), 9, "id=\"" + id + "\"");
        if (!change.empty()) {
            std::string from = "The crisis that Mali";
            text.replace(text.find(from), from.size(), "The crisis (" + change + ") that Mali");
        }
        std::string path = dir_ + "/" + id + (change.empty() ? "" : "-" + change) + ".xml";
        test::write_file(path, text);
        return path;
    }

    std::string program() const { return test::binary_path(); }

    test::RunResult factsheet(const std::string& args) {
        return test::run("env -u SOURCE_DATE_EPOCH " + program() + " " + args);
    }

    test::RunResult issue(const std::string& file, const std::string& date, const std::string& more = "") {
        return factsheet("issue " + file + " --archive " + archive_ + " --date " + date + more);
    }

    std::string list_json() {
        test::RunResult r = factsheet("archive list --json --archive " + archive_);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }

    // Every file under the archive, relative to it, sorted.
    std::set<std::string> files() const {
        std::set<std::string> out;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(archive_))
            if (entry.is_regular_file())
                out.insert(std::filesystem::relative(entry.path(), archive_).string());
        return out;
    }

    std::string dir_, archive_, mali_;
};

}  // namespace factsheet
