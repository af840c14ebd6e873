#include <csignal>

#include "cli/cli.hpp"
#include "common/heap.hpp"

int main(int argc, char** argv) {
    factsheet::use_huge_pages_for_heap();
    // Past a file-size limit (ulimit -f) write() then fails with EFBIG, which is reported like a
    // full disk, instead of the signal killing the program halfway through a file.
    std::signal(SIGXFSZ, SIG_IGN);
    return factsheet::run_cli(argc, argv);
}
