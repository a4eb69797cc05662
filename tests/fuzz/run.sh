#!/usr/bin/env bash
# Runs one fuzz target for SECONDS over its corpus, tests/fuzz/corpus/TARGET (for the language,
# also the golden programs, the profile programs and the gallery, whose @profile lines take the
# fuzzer into every profile). New interesting inputs go to a scratch directory; a crash, a hang,
# a leak or an out-of-memory is saved there and fails the run.
#   run.sh BUILD_BIN_DIR TARGET SECONDS        (TARGET: script, share or settings)
set -u
bin=$1/fuzz_$2
target=$2
seconds=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/seeds"
cp "$here/corpus/$target"/* "$work/seeds"/
if [ "$target" = script ]; then
  find "$here/../coro" -name '*.coro' -exec cp {} "$work/seeds"/ \;
  for f in "$here"/../profiles/*.coro "$here"/../../examples/coro/*.coro; do cp "$f" "$work/seeds/$(basename "$(dirname "$f")")_$(basename "$f")"; done
fi
"$bin" "$work/corpus" "$work/seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -artifact_prefix="$work/" -print_final_stats=1 2>&1 | tail -25
status=${PIPESTATUS[0]}
if [ "$status" != 0 ]; then
  echo "fuzz_$target found a problem; the input that triggers it:"
  for f in "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*; do [ -f "$f" ] && { echo "== $f"; head -c 2000 "$f"; echo; }; done
  exit 1
fi
echo "fuzz_$target: ${seconds} s without a crash"
