# entente -- the two commands a newcomer needs, and a few more.
#   make run    install what is missing, build (quietly: V=1 shows it), run the main job (the forecast)
#   make import import the public datasets found in ../shared/data into build/entente.db
#   make test   the same, then every test (ctest)
#   make asan   the whole suite under AddressSanitizer + UBSan
#   make fuzz   build the libFuzzer targets with clang and run each briefly
#   make bench  the benchmarks, side by side with their peers
#   make install PREFIX=/opt/entente   the libraries, headers, entente.pc, CMake package, CLI, man page,
#               the shipped world and scenarios (share/entente); the prefix can be moved afterwards
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
PREFIX ?= /usr/local

.PHONY: all bootstrap build run import test asan fuzz bench clean format  install figures

all: build

bootstrap:
	@scripts/bootstrap

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: bootstrap $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# `make run` shows the build only when it fails (or with V=1): a newcomer sees the forecast, not
# a page of compiler lines. The log of the last quiet build is kept in $(BUILD)/make-run.log.
run:
ifeq ($(V),1)
	$(MAKE) build
else
	@mkdir -p $(BUILD); printf 'building entente (quietly; V=1 shows the build) ... ' >&2; \
	if $(MAKE) --no-print-directory build >$(BUILD)/make-run.log 2>&1; then echo done >&2; \
	else echo failed >&2; cat $(BUILD)/make-run.log >&2; exit 1; fi
endif
	@scripts/run $(BUILD)/entente

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

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-fuzz
