# factsheet — `make run` sets up, builds and generates the Mali factsheets; `make test` runs the suite.
# config=release (default, build/) | debug (build-debug/) | sanitize (build-sanitize/, clang + ASan/UBSan)
config ?= release
WERROR ?= OFF
JOBS ?= $(shell nproc)

ifeq ($(config),release)
  BUILD_DIR := build
  CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=Release
else ifeq ($(config),debug)
  BUILD_DIR := build-debug
  CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=Debug
else ifeq ($(config),sanitize)
  BUILD_DIR := build-sanitize
  CMAKE_FLAGS := -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
    "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
else
  $(error config must be release, debug or sanitize)
endif

.PHONY: all deps configure build run test clean

all: build

deps:
	@./.ci/install-deps

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) -DFACTSHEET_WERROR=$(WERROR)

configure: deps $(BUILD_DIR)/CMakeCache.txt
	cmake -S . -B $(BUILD_DIR) -DFACTSHEET_WERROR=$(WERROR) >/dev/null

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/factsheet build input/mali.xml --out output

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf build build-debug build-sanitize
