#!/usr/bin/env bash
# Runs Loopscope's benchmarks and the peers' in one go, on this machine, then prints the table of
# medians and ratios (bench/report.mjs) and writes it to bench/results/latest.md.
# Expects a native build (make bench does it) and, for the WebAssembly cases, a wasm build
# (make wasm); without one those are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/native/bin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
reps=${BENCH_REPETITIONS:-5}

echo "bench: Loopscope (Google Benchmark, $reps repetitions)"
"$bin/runtime_bench" --benchmark_repetitions="$reps" --benchmark_format=json >"$out/loopscope.json"
echo "bench: Boost.Asio"
"$bin/peer_asio_bench" --benchmark_repetitions="$reps" --benchmark_format=json >"$out/asio.json"
echo "bench: libuv"
for _ in $(seq "$reps"); do "$bin/peer_uv_bench"; done >"$out/libuv.jsonl"
echo "bench: Go"
export GOCACHE="${GOCACHE:-$PWD/build/go-cache}"
(cd bench/peers/go && go build -o "$out/go_bench" bench.go)
for _ in $(seq "$reps"); do "$out/go_bench"; done >"$out/go.jsonl"

echo "bench: multi-threaded cases (bench/README.md), 1 and 2 workers"
(cd bench/peers/go/mt && go build -o "$out/go_mt_bench" bench.go)
for workers in 1 2; do
  for _ in $(seq "$reps"); do
    "$bin/runtime_mt_bench" --workers "$workers" >>"$out/mt_loopscope.jsonl"
    "$bin/peer_asio_mt_bench" --workers "$workers" >>"$out/mt_asio.jsonl"
    "$bin/peer_uv_mt_bench" --workers "$workers" >>"$out/mt_libuv.jsonl"
    "$out/go_mt_bench" --workers "$workers" >>"$out/mt_go.jsonl"
    node bench/peers/node/bench.mjs --workers "$workers" >>"$out/mt_node.jsonl"
  done
done

echo "bench: the .coro interpreter and Lua 5.4"
bash bench/script/run.sh "$bin/loopscope" "$reps" >"$out/script.jsonl"

echo "bench: WebAssembly (the Promise bridge in Node and Chromium, a .coro yield loop against native)"
if [ -f build/wasm/bin/bridge_bench.js ]; then
  node bench/wasm/run.mjs --reps "$reps" >"$out/wasm.jsonl"
else
  echo "bench: no build/wasm/bin/bridge_bench.js: skipping the WebAssembly cases (make wasm first)" >&2
fi

echo "bench: the playground (frame time over a million events, seeks; the page in Chromium)"
"$bin/ui_bench" bench/ui/million.coro >"$out/ui.jsonl"
if [ -f build/web/loopscope-play.wasm ]; then
  node bench/ui/page.mjs build/web | grep '^{' >>"$out/ui.jsonl"
else
  echo "bench: no build/web/loopscope-play.wasm: skipping the page's cases (make wasm first)" >&2
fi

node bench/report.mjs "$out" bench/results/latest.md
