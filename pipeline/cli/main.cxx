#include <csignal>
#include <string_view>

#include "cli/cli.hpp"
#include "common/heap.hpp"

int main(int argc, char** argv) {
    // The commands that build documents by the thousand.
    const std::string_view command = factsheet::command_of(argc, argv);
    if (command == "batch" || command == "watch") factsheet::restart_with_more_blocks_at_hand(argv);
    factsheet::use_huge_pages_for_heap();
    // Past a file-size limit (ulimit -f) write() then fails with EFBIG, which is reported like a
    // full disk, instead of the signal killing the program halfway through a file.
    std::signal(SIGXFSZ, SIG_IGN);
    return factsheet::run_cli(argc, argv);
}
