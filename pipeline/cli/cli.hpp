// The command line: parses arguments and runs one job. Exit codes: 0 success, 1 invalid input or
// a failed build, 2 wrong usage, 3 internal error.
#pragma once

namespace factsheet {

/// Runs the factsheet command line and returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace factsheet
