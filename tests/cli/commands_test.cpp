// The command line's own texts: each command's help and examples, the languages markup takes,
// file arguments that cannot be read, and what -v prints.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_paths.hpp"

using namespace factsheet;
namespace fs = std::filesystem;

namespace {

test::RunResult program(const std::string& args) {
    return test::run(test::binary_path() + " " + args);
}

// The commands listed under "Subcommands:" in a help text.
std::vector<std::string> subcommands(const std::string& help) {
    std::vector<std::string> names;
    std::istringstream in(help);
    std::string line;
    bool listed = false;
    while (std::getline(in, line)) {
        if (line == "Subcommands:") {
            listed = true;
            continue;
        }
        if (listed && line.empty()) break;
        std::smatch m;
        if (listed && std::regex_search(line, m, std::regex("^  ([a-z-]+) "))) names.push_back(m[1]);
    }
    return names;
}

// The examples of a help text: the "Example: ..." line, or the lines under "Examples:".
std::vector<std::string> examples(const std::string& help) {
    std::vector<std::string> found;
    std::istringstream in(help);
    std::string line;
    bool listed = false;
    while (std::getline(in, line)) {
        if (line.starts_with("Example: ")) found.push_back(line.substr(9));
        if (line == "Examples:") {
            listed = true;
            continue;
        }
        if (listed && line.starts_with("  "))
            found.push_back(line.substr(2));
        else
            listed = false;
    }
    return found;
}

}  // namespace

TEST(commands, every_help_shows_its_own_examples_and_no_other_commands) {
    // Every command and subcommand, found from the help itself so a new one is checked too.
    std::vector<std::string> commands = subcommands(program("--help").out);
    ASSERT_GE(commands.size(), 10u);
    for (std::size_t i = 0; i < commands.size(); ++i)
        for (const std::string& sub : subcommands(program(commands[i] + " --help").out))
            commands.push_back(commands[i] + " " + sub);
    for (std::string expected :
         {"watch", "archive list", "archive verify", "archive reindex", "xliff export"})
        EXPECT_NE(std::find(commands.begin(), commands.end(), expected), commands.end()) << expected;
    for (const std::string& command : commands) {
        test::RunResult r = program(command + " --help");
        EXPECT_EQ(r.exit_code, 0) << command;
        std::vector<std::string> shown = examples(r.out);
        EXPECT_FALSE(shown.empty()) << command << ":\n" << r.out;
        for (const std::string& example : shown)
            EXPECT_TRUE(example.starts_with("factsheet " + command + " ")) << command << ": " << example;
        EXPECT_NE(r.out.find("Exit codes: 0 success"), std::string::npos) << command;
    }
}

TEST(commands, markup_makes_one_edition_and_refuses_a_list) {
    test::RunResult help = program("markup --help");
    EXPECT_NE(help.out.find("--lang TEXT:en|fr=en "), std::string::npos) << help.out;
    EXPECT_EQ(help.out.find("en,fr"), std::string::npos) << help.out;
    test::RunResult r = program("markup input/mali.xml --lang en,fr");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err,
              "--lang: markup prints one edition: give en or fr, not the list en,fr (run it once for each "
              "edition)\nRun with --help for more information.\n");
    EXPECT_EQ(program("markup input/mali.xml --lang en+fr").exit_code, 2);
    test::RunResult fr = program("markup input/mali.xml --lang fr");
    EXPECT_EQ(fr.exit_code, 0) << fr.err;
    EXPECT_NE(fr.out.find("<document lang=\"fr\""), std::string::npos);
}

TEST(commands, a_file_argument_that_cannot_be_read_is_said_in_the_programs_own_words) {
    std::string dir = test::make_temp_dir();
    std::string locked = dir + "/locked.xml";
    test::write_file(locked, "<operation/>");
    ::chmod(locked.c_str(), 0);
    bool root_reads_anything = test::run("cat " + locked).exit_code == 0;
    std::string pdf = dir + "/x.pdf";
    struct Case {
        std::string args, err;
    };
    std::vector<Case> cases = {
        {"build nope.xml", "nope.xml: error: no such file: give the path of an XML source\n"},
        {"validate input/mali.xml nope.xml",
         "nope.xml: error: no such file: give the path of an XML source\n"},
        {"watch nope.xml", "nope.xml: error: no such file: give the path of an XML source\n"},
        {"markup input", "input: error: is a folder, not a file: give the path of an XML source\n"},
        {"typeset-report nope.xml", "nope.xml: error: no such file: give the path of an XML source\n"},
        {"issue nope.xml --archive " + dir,
         "nope.xml: error: no such file: give the path of an XML source\n"},
        {"translations nope.xml", "nope.xml: error: no such file: give the path of an XML source\n"},
        {"xliff export nope.xml", "nope.xml: error: no such file: give the path of an XML source\n"},
        {"xliff import nope.xlf", "nope.xlf: error: no such file: give the path of an XLIFF file\n"},
        {"batch nope", "nope: error: no such folder: give the path of a folder of XML sources\n"},
        {"batch input/mali.xml",
         "input/mali.xml: error: is not a folder: give the path of a folder of XML sources\n"},
        {"archive add " + pdf + " --operation mali --lang fr --title T --archive " + dir,
         pdf + ": error: no such file: give the path of a PDF\n"},
    };
    if (!root_reads_anything)
        cases.push_back(
            {"build " + locked, locked + ": error: cannot read an XML source: Permission denied\n"});
    for (const Case& c : cases) {
        test::RunResult r = program(c.args);
        EXPECT_EQ(r.exit_code, 2) << c.args;
        EXPECT_EQ(r.err, c.err) << c.args;
        EXPECT_EQ(r.out, "") << c.args;
    }
    fs::remove_all(dir);
}

TEST(commands, verbose_build_prints_the_time_of_each_stage_of_each_edition) {
    std::string dir = test::make_temp_dir();
    test::RunResult r = program("-v build input/mali.xml --out " + dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, dir + "/mali-en.pdf\n" + dir + "/mali-fr.pdf\n");
    std::string ms = "[0-9]+\\.[0-9] ms";
    for (std::string lang : {"en", "fr"}) {
        std::string pdf = dir + "/mali-" + lang + ".pdf";
        std::regex line("(^|\n)" + pdf + ": 2 pages, " + std::to_string(fs::file_size(pdf)) +
                        " bytes; read " + ms + ", view " + ms + ", template " + ms + ", layout " + ms +
                        ", pdf " + ms + ", write " + ms + "\n");
        EXPECT_TRUE(std::regex_search(r.err, line)) << r.err;
    }
    // Without -v, only the paths.
    test::RunResult plain = program("build input/mali.xml --out " + dir);
    EXPECT_EQ(plain.err, "");
    fs::remove_all(dir);
}
