#!/usr/bin/env bash
# Runs the fuzzer for SECONDS over the seed corpus (tests/fuzz/corpus, the golden programs, the
# profile programs and the gallery, whose @profile lines take the fuzzer into every profile).
# New interesting inputs go to a scratch directory; a crash is saved there and fails the run.
#   run.sh FUZZ_BINARY SECONDS
set -u
bin=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
seeds=$(mktemp -d)
cp "$here"/corpus/*.coro "$seeds"/
find "$here/../coro" -name '*.coro' -exec cp {} "$seeds"/ \;
for f in "$here"/../profiles/*.coro "$here"/../../examples/coro/*.coro; do cp "$f" "$seeds/$(basename "$(dirname "$f")")_$(basename "$f")"; done
"$bin" "$work/corpus" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -artifact_prefix="$work/" -print_final_stats=1 2>&1 | tail -25
status=${PIPESTATUS[0]}
rm -rf "$seeds"
if [ "$status" != 0 ]; then
  echo "the fuzzer found a problem; the input that triggers it:"
  for f in "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-*; do [ -f "$f" ] && { echo "== $f"; head -c 2000 "$f"; echo; }; done
  exit 1
fi
echo "fuzzing: ${seconds} s without a crash"
