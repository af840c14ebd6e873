#include <csignal>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
    // Past a file-size limit (ulimit -f) write() then fails with EFBIG, which is reported like a
    // full disk, instead of the signal killing the program halfway through a file.
    std::signal(SIGXFSZ, SIG_IGN);
    return factsheet::run_cli(argc, argv);
}
