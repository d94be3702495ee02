# entente -- the two commands a newcomer needs, and a few more.
#   make run    install what is missing, build, run the main job (the forecast on the shipped world)
#   make import import the public datasets found in ../shared/data into build/entente.db
#   make test   the same, then every test (ctest)
#   make asan   the whole suite under AddressSanitizer + UBSan
#   make fuzz   build the libFuzzer targets with clang and run each briefly
#   make bench  the benchmarks, side by side with their peers
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all bootstrap build run import test asan fuzz bench clean format figures

all: build

bootstrap:
	@scripts/bootstrap

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: bootstrap $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	scripts/run $(BUILD)/entente

import: build
	scripts/import-data $(BUILD)/entente

# the figures of docs/reports.md, redrawn into docs/img/ (the history one needs `make import` first)
figures: build
	scripts/figures $(BUILD)/entente

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: bootstrap
	cmake -S . -B build-asan -DENT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

fuzz: bootstrap
	CC=clang cmake -S . -B build-fuzz -DENT_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-fuzz -j $(JOBS)
	scripts/fuzz build-fuzz $(FUZZ_SECONDS)

bench: build
	bench/run $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-fuzz
