// Where tests find the project's files and the built program.
#pragma once

#include <functional>
#include <string>

namespace factsheet::test {

/// Absolute path of a file in the source tree ("input/mali.xml").
std::string source_path(const std::string& relative);

/// Absolute path of the built factsheet program.
std::string binary_path();

/// A fresh, empty temporary folder, removed by the caller or left for inspection.
std::string make_temp_dir();

/// Reads a whole file; throws std::runtime_error when it cannot.
std::string read_file(const std::string& path);

/// Writes a whole file; throws std::runtime_error when it cannot.
void write_file(const std::string& path, const std::string& bytes);

/// Result of running a command through the shell.
struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

/// Runs a shell command, capturing stdout and stderr.
RunResult run(const std::string& command);

/// How many times `needle` occurs in `text` (overlapping occurrences counted).
std::size_t count(const std::string& text, const std::string& needle);

/// The what() of the factsheet::Error that `f` throws, or "no error".
std::string error_text(const std::function<void()>& f);

}  // namespace factsheet::test
