#include "common/test_paths.hpp"

#include "common/error.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace factsheet::test {

std::string source_path(const std::string& relative) {
    return std::string(FACTSHEET_SOURCE_DIR) + "/" + relative;
}

std::string binary_path() {
    return FACTSHEET_BINARY;
}

std::string make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "factsheet-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
    return pattern;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    if (!out) throw std::runtime_error("cannot write " + path);
}

RunResult run(const std::string& command) {
    std::string dir = make_temp_dir();
    std::string out_path = dir + "/out", err_path = dir + "/err";
    int status = std::system((command + " >" + out_path + " 2>" + err_path + " </dev/null").c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    std::filesystem::remove_all(dir);
    return r;
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

std::string error_text(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace factsheet::test
