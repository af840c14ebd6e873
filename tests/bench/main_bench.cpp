// The benchmark program. Without a mode it runs the Google Benchmark micro benchmarks; tests/bench/run.sh
// also uses it to make synthetic sources and to time whole processes:
//   stage_bench --generate DIR COUNT SCALE [--no-pictures]   writes COUNT synthetic sources into DIR
//   stage_bench --archive DIR COUNT          writes an archive's catalog of COUNT factsheet editions
//                                            (search index and figures, no PDFs) into DIR
//   stage_bench --time RUNS [WARMUPS] -- COMMAND...
//                                            runs COMMAND WARMUPS times (default 1) unmeasured, then
//                                            RUNS times; prints the medians and extremes:
//                                            "median_ms min_ms max_ms peak_rss_kb median_cpu_ms
//                                            median_page_faults"
//   stage_bench --fault-cost                 prints what the first touch of a new page costs, in us
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/files.hpp"
#include "search_archive.hpp"
#include "synthetic.hpp"

namespace {

int generate(int argc, char** argv) {
    bool pictures = !(argc == 6 && std::string(argv[5]) == "--no-pictures");
    if (argc != 5 && pictures) {
        std::fprintf(stderr, "usage: stage_bench --generate DIR COUNT SCALE [--no-pictures]\n");
        return 2;
    }
    std::string dir = argv[2];
    int count = std::atoi(argv[3]), scale = std::atoi(argv[4]);
    std::string mali = factsheet::read_whole_file(std::string(FACTSHEET_SOURCE_DIR) + "/input/mali.xml");
    std::filesystem::create_directories(dir);
    for (int i = 1; i <= count; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "/synthetic-%04d.xml", i);
        std::ofstream out(dir + name, std::ios::binary);
        out << factsheet::bench::synthetic_source(mali, i, scale, pictures);
        if (!out) {
            std::fprintf(stderr, "%s%s: cannot write\n", dir.c_str(), name);
            return 1;
        }
    }
    return 0;
}

int make_archive(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: stage_bench --archive DIR COUNT\n");
        return 2;
    }
    factsheet::bench::make_search_archive(argv[2], std::atoi(argv[3]));
    return 0;
}

struct Sample {
    double ms = 0;
    double cpu_ms = 0;  // user + system time of the child: what the run cost, whatever else ran
    long rss_kb = 0;
    long page_faults = 0;  // minor faults: pages the child touched first (or mapped from the file cache)
};

// One run of the command, its output discarded; wall time from fork to exit, peak resident memory
// from the kernel's accounting of the child (what /usr/bin/time reports as "Maximum resident").
Sample run_once(char** command) {
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid < 0) {
        std::perror("fork");
        std::exit(1);
    }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execvp(command[0], command);
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid) {
        std::perror("wait4");
        std::exit(1);
    }
    Sample s;
    s.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    s.rss_kb = usage.ru_maxrss;
    s.page_faults = usage.ru_minflt;
    auto ms = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
    };
    s.cpu_ms = ms(usage.ru_utime) + ms(usage.ru_stime);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "stage_bench: %s failed (status %d)\n", command[0], status);
        std::exit(1);
    }
    return s;
}

int time_command(int argc, char** argv) {
    int dashes = argc > 3 && std::strcmp(argv[3], "--") == 0   ? 3
                 : argc > 4 && std::strcmp(argv[4], "--") == 0 ? 4
                                                               : 0;
    if (dashes == 0 || dashes + 1 >= argc) {
        std::fprintf(stderr, "usage: stage_bench --time RUNS [WARMUPS] -- COMMAND...\n");
        return 2;
    }
    int runs = std::max(1, std::atoi(argv[2]));
    int warmups = dashes == 4 ? std::atoi(argv[3]) : 1;
    char** command = argv + dashes + 1;
    // Warm-up: the file cache then holds the program, its libraries, the fonts and the sources.
    for (int i = 0; i < warmups; ++i) run_once(command);
    std::vector<double> times, cpu, faults;
    long rss = 0;
    for (int i = 0; i < runs; ++i) {
        Sample s = run_once(command);
        times.push_back(s.ms);
        cpu.push_back(s.cpu_ms);
        faults.push_back(static_cast<double>(s.page_faults));
        rss = std::max(rss, s.rss_kb);
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        std::size_t n = v.size();
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    };
    std::printf("%.3f %.3f %.3f %ld %.3f %.0f\n", median(times),
                *std::min_element(times.begin(), times.end()), *std::max_element(times.begin(), times.end()),
                rss, median(cpu), median(faults));
    return 0;
}

// What the first touch of a page of new memory costs here: 8 MB mapped and written a byte per
// page, five times; prints the median in microseconds per page. Virtual machines differ by more
// than ten times in this, and a cold process touches a thousand pages or more.
int fault_cost() {
    constexpr std::size_t pages = 2048, page = 4096;
    std::vector<double> each;
    for (int round = 0; round < 5; ++round) {
        void* memory =
            mmap(nullptr, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED) {
            std::perror("mmap");
            return 1;
        }
        auto* bytes = static_cast<volatile char*>(memory);
        auto start = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < pages; ++i) bytes[i * page] = 1;
        auto took =
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        each.push_back(took / pages);
        munmap(memory, pages * page);
    }
    std::sort(each.begin(), each.end());
    std::printf("%.3f\n", each[each.size() / 2]);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "--generate") == 0) return generate(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "--time") == 0) return time_command(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "--archive") == 0) return make_archive(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "--fault-cost") == 0) return fault_cost();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
