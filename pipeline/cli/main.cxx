#include "cli/cli.hpp"

int main(int argc, char** argv) {
    return factsheet::run_cli(argc, argv);
}
