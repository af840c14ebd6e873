// The command line: parses arguments and runs one job. Exit codes: 0 success, 1 invalid input or
// a failed build, 2 wrong usage, 3 internal error.
#pragma once

#include <string_view>

namespace factsheet {

/// The command asked for: the first argument that is not an option (the program's own options,
/// before it, are all flags); empty when there is none.
std::string_view command_of(int argc, char** argv);

/// Runs the factsheet command line and returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace factsheet
