# factsheet — `make run` sets up, builds and generates the Mali factsheets; `make test` runs the suite.
# config=release (default, build/) | debug (build-debug/) | sanitize (build-sanitize/, clang + ASan/UBSan)
# `make fuzz` builds the libFuzzer targets in build-fuzz/ (clang) and runs each for FUZZ_SECONDS.
# `make bench` measures speed and memory in Release and writes docs/benchmarks.md.
config ?= release
WERROR ?= OFF
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := source_fuzz markup_fuzz truetype_fuzz kerning_fuzz template_fuzz
# Sanitized programs (tests, and the factsheet program they run) read these; harmless otherwise.
export UBSAN_OPTIONS ?= print_stacktrace=1
export LSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

ifeq ($(config),release)
  BUILD_DIR := build
  CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=Release
else ifeq ($(config),debug)
  BUILD_DIR := build-debug
  CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=Debug
else ifeq ($(config),sanitize)
  BUILD_DIR := build-sanitize
  # -O1 as the sanitizers' own documentation advises (the suite runs about twice as fast as at
  # -O0), and line tables only: enough for the reports' stack traces, and a faster build.
  CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only \
    "-DCMAKE_CXX_FLAGS=-O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
else ifeq ($(config),fuzz)
  BUILD_DIR := build-fuzz
  # The stages are instrumented for coverage too (fuzzer-no-link), or libFuzzer would fuzz blind.
  CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DFACTSHEET_FUZZ=ON \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
else
  $(error config must be release, debug, sanitize or fuzz)
endif

.PHONY: all deps deps-test configure build run test fuzz bench clean

all: build

deps:
	@./.ci/install-deps packages.txt

deps-test:
	@./.ci/install-deps packages.txt packages-test.txt

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) -DFACTSHEET_WERROR=$(WERROR)

configure: deps $(BUILD_DIR)/CMakeCache.txt
	cmake -S . -B $(BUILD_DIR) -DFACTSHEET_WERROR=$(WERROR) >/dev/null

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The program alone: a person generating factsheets needs neither the tests nor their tools.
run: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target factsheet
	$(BUILD_DIR)/factsheet build input/mali.xml --out output

test: deps-test build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Each fuzzer starts from the committed corpus and its dictionary; new inputs go to a scratch
# folder in build-fuzz/, crashes to build-fuzz/ too (add them to tests/fuzz/corpus/<name>/).
fuzz:
	$(MAKE) configure config=fuzz
	cmake --build build-fuzz -j $(JOBS) --target $(FUZZ_TARGETS)
	set -e; for t in $(FUZZ_TARGETS); do \
	  name=$${t%_fuzz}; mkdir -p build-fuzz/corpus-$$name; \
	  build-fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -dict=tests/fuzz/$$name.dict -artifact_prefix=build-fuzz/$$name- \
	    build-fuzz/corpus-$$name tests/fuzz/corpus/$$name; \
	done

# Speed and memory, measured in Release (build/, with the Google Benchmark programs): prints a
# table and writes docs/benchmarks.md. Takes a few minutes, and the first time the build of the
# baseline it compares with (tests/bench/run.sh).
bench:
	@./.ci/install-deps packages.txt packages-bench.txt
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DFACTSHEET_BENCH=ON -DFACTSHEET_WERROR=$(WERROR) >/dev/null
	cmake --build build -j $(JOBS) --target factsheet stage_bench
	tests/bench/run.sh build

clean:
	rm -rf build build-debug build-sanitize build-fuzz
