# Loopscope — the two commands that matter:
#   make play    build the web playground and serve it on http://127.0.0.1:8080/
#   make test    build every target (native, ASan+UBSan, TSan, WebAssembly) and run every test
# Everything else: make help.

SHELL := /bin/bash
export NODE_PATH := /usr/share/nodejs
JOBS ?= 2
PORT ?= 8080

SETUP_STAMP := .deps/setup.stamp
PRESETS := native native-asan native-tsan wasm
FUZZ_SECONDS ?= 600
SOAK_SECONDS ?= 600

.PHONY: help setup play web native native-asan native-tsan wasm fuzz fuzz-build desktop test test-native test-asan test-tsan test-wasm test-fuzz soak bench oracles clean

help:
	@echo "make play      build the web playground into build/web/ and serve it on http://127.0.0.1:$(PORT)/"
	@echo "make test      build native, native-asan, native-tsan and wasm; run all tests"
	@echo "make native    native binaries into build/native/bin/ (runtime tests, examples, desktop app)"
	@echo "make web       the complete static site into build/web/"
	@echo "make desktop   the desktop (GLFW + OpenGL) app: build/native/bin/loopscope-desktop"
	@echo "make bench     benchmarks against peer runtimes; writes bench/results/latest.md"
	@echo "make soak      the multi-threaded runtime's stress test under TSan for SOAK_SECONDS (default 600)"
	@echo "make fuzz      fuzz each parser of untrusted input (the language, share links, settings) for FUZZ_SECONDS (default 600) with libFuzzer"
	@echo "make oracles   re-record what real Tokio 1.24 and Go 1.19 print for the conformance pairs (tests/conformance/{tokio,go})"
	@echo "make setup     install dependencies (scripts/setup-deps; done automatically when needed)"

# Dependencies: re-run setup-deps when it or the npm lock file changed, or never ran here.
$(SETUP_STAMP): scripts/setup-deps package-lock.json
	@scripts/setup-deps
	@mkdir -p .deps && touch $@
setup:
	@scripts/setup-deps
	@mkdir -p .deps && touch $(SETUP_STAMP)

# One rule per preset: configure once, then build (ninja decides what is stale).
build/%/build.ninja: | $(SETUP_STAMP)
	cmake --preset $* >/dev/null
$(PRESETS): %: $(SETUP_STAMP) build/%/build.ninja
	cmake --build --preset $* -j $(JOBS)

web: wasm
	@echo "web site: build/web/"
desktop: native
	@echo "desktop app: build/native/bin/loopscope-desktop"

play: web
	@echo "Serving build/web — open http://127.0.0.1:$(PORT)/"
	node scripts/serve.mjs build/web $(PORT)

test-asan: native-asan
	ctest --preset native-asan
test-tsan: native-tsan
	ctest --preset native-tsan
test-native: native
	ctest --preset native
# The wasm tests compare against native binaries, so they come last.
test-wasm: wasm native
	ctest --preset wasm

# 60 s of fuzzing per target over its corpus is part of every test run.
FUZZ_TARGETS := script share settings
test-fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do bash tests/fuzz/run.sh build/fuzz/bin $$t 60 || exit 1; done
	node tests/fuzz/share_js.fuzz.mjs 60

test: $(SETUP_STAMP)
	$(MAKE) --no-print-directory native native-asan native-tsan wasm fuzz-build
	$(MAKE) --no-print-directory test-fuzz test-asan test-tsan test-native test-wasm

# The runtime stress test (60 s of it runs in every `make test`, under TSan) for ten minutes.
soak: native-tsan
	build/native-tsan/bin/runtime_stress $(SOAK_SECONDS)

bench: native
	bash bench/run.sh

# The fuzzers are a preset of their own (clang-14 + libFuzzer). `make fuzz` builds and runs each
# for FUZZ_SECONDS; FUZZ_TARGETS=share FUZZ_SECONDS=60 make fuzz for one, briefly.
fuzz-build: $(SETUP_STAMP) build/fuzz/build.ninja
	cmake --build --preset fuzz -j $(JOBS)
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do bash tests/fuzz/run.sh build/fuzz/bin $$t $(FUZZ_SECONDS) || exit 1; done
	node tests/fuzz/share_js.fuzz.mjs $(FUZZ_SECONDS)

# The expected outputs of profiles tokio and go come from the runtimes themselves; `make test`
# checks the simulator against them without needing Rust or Go.
oracles: $(SETUP_STAMP)
	scripts/record-oracles all

clean:
	rm -rf build
