#!/usr/bin/env bash
# Profiles tokio and go against the recorded output of real Tokio 1.24 and real Go 1.19.
#
# usage: tests/conformance/check.sh PATH_TO_LOOPSCOPE_BINARY tokio|go [NAME...]
#
# Each pair in tests/conformance/SUITE is NAME.coro (with its `// @profile` header) and its
# translation NAME.rs or NAME.go; NAME.out is what the real runtime printed, recorded by
# `make oracles` (scripts/record-oracles). For every pair this runs `loopscope run NAME.coro`,
# compares its standard output byte for byte with NAME.out and prints `ok NAME` or `FAIL NAME`
# with a unified diff (`--- SUITE`, `+++ loopscope`). It also fails a pair whose source changed
# since it was recorded (oracles.sums), a half pair, and a suite of fewer than 30 pairs.
# SUITE/not-modelled lists the pairs whose difference docs/profiles.md explains (one name per
# line, `#` comments): they print `differs NAME` and must still differ, so that a fix is noticed
# and the entry removed.
set -u

MIN_PAIRS=30

if [ "$#" -lt 2 ] || { [ "$2" != tokio ] && [ "$2" != go ]; }; then
  echo "usage: $0 PATH_TO_LOOPSCOPE_BINARY tokio|go [NAME...]" >&2
  exit 2
fi
BIN=$1
suite=$2
shift 2
[ -x "$BIN" ] || { echo "$0: '$BIN' is not an executable file" >&2; exit 2; }
dir="$(cd "$(dirname "$0")" && pwd)/$suite"
ext=$([ "$suite" = tokio ] && echo rs || echo go)
problems=0
pairs=0

# The suite itself: whole pairs, each recorded from its current source.
for coro in "$dir"/*.coro; do
  [ -e "$coro" ] || continue
  name=$(basename "$coro" .coro)
  if [ ! -f "$dir/$name.$ext" ]; then
    echo "FAIL $name: $name.coro has no $name.$ext"; problems=$((problems + 1)); continue
  fi
  if [ ! -f "$dir/$name.out" ]; then
    echo "FAIL $name: no $name.out (record it: make oracles)"; problems=$((problems + 1)); continue
  fi
  sum=$(cd "$dir" && cat "$name.$ext" lib/* | sha256sum | cut -d' ' -f1)
  if ! grep -q -x -F "$sum  $name" "$dir/oracles.sums" 2>/dev/null; then
    echo "FAIL $name: $name.$ext changed since $name.out was recorded (make oracles)"; problems=$((problems + 1)); continue
  fi
  pairs=$((pairs + 1))
done
for src in "$dir"/*."$ext"; do
  [ -e "$src" ] || continue
  name=$(basename "$src" ."$ext")
  [ -f "$dir/$name.coro" ] || { echo "FAIL $name: $name.$ext has no $name.coro"; problems=$((problems + 1)); }
done
if [ "$pairs" -lt "$MIN_PAIRS" ]; then
  echo "FAIL suite: only $pairs recorded pairs, at least $MIN_PAIRS are required"
  problems=$((problems + 1))
fi

if [ "$#" -gt 0 ]; then names=("$@"); else
  names=()
  for coro in "$dir"/*.coro; do [ -e "$coro" ] && names+=("$(basename "$coro" .coro)"); done
fi

known=()
[ -f "$dir/not-modelled" ] && mapfile -t known < <(sed 's/#.*//; /^[[:space:]]*$/d; s/[[:space:]]//g' "$dir/not-modelled")
is_known() { local k; for k in "${known[@]}"; do [ "$k" = "$1" ] && return 0; done; return 1; }

passed=0
failed=0
differs=0
for name in "${names[@]}"; do
  [ -f "$dir/$name.out" ] || continue  # reported above
  actual=$("$BIN" run "$dir/$name.coro" 2>/dev/null; printf 'x%d' "$?")
  rc=${actual##*x}
  actual=${actual%x*}
  expected=$(cat "$dir/$name.out"; printf x)
  expected=${expected%x}
  if is_known "$name"; then
    if [ "$rc" = 0 ] && [ "$expected" = "$actual" ]; then
      echo "FAIL $name: listed in not-modelled but matches $suite now (remove it from the list)"
      failed=$((failed + 1))
    else
      echo "differs $name (not modelled: docs/profiles.md)"
      differs=$((differs + 1))
    fi
    continue
  fi
  if [ "$rc" = 0 ] && [ "$expected" = "$actual" ]; then
    echo "ok $name"
    passed=$((passed + 1))
    continue
  fi
  echo "FAIL $name"
  failed=$((failed + 1))
  if [ "$rc" != 0 ]; then
    echo "  loopscope exited with status $rc:"
    "$BIN" run "$dir/$name.coro" 2>&1 >/dev/null | sed 's/^/    /'
  fi
  [ "$expected" = "$actual" ] || diff -u --label "$suite" --label loopscope <(printf '%s' "$expected") <(printf '%s' "$actual")
done

echo
echo "$suite conformance: $passed of $((passed + failed)) passed, $failed failed, $differs not modelled ($pairs pairs in the suite)"
if [ "$failed" -gt 0 ] || [ "$problems" -gt 0 ]; then
  [ "$problems" -gt 0 ] && echo "$suite conformance: $problems problem(s) with the suite itself"
  exit 1
fi
exit 0
