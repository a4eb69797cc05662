#!/usr/bin/env bash
# Node.js conformance suite for the .coro `node` profile.
#
# usage: tests/conformance/node/run.sh PATH_TO_LOOPSCOPE_BINARY [NAME...]
#
# For every NAME.js in this directory (or only the NAMEs given), runs `node NAME.js` and
# `loopscope run --profile node NAME.coro`, compares their standard output byte for byte and
# prints `ok NAME` or `FAIL NAME` with a unified diff. A pair also fails when either program
# exits with a non-zero status. Exit status: 0 when every pair passed, 1 otherwise, 2 on a
# usage error. Set NODE to use another node binary.
set -u

MIN_PAIRS=40

if [ "$#" -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  echo "usage: $0 PATH_TO_LOOPSCOPE_BINARY [NAME...]" >&2
  exit 2
fi
BIN=$1
shift
if [ ! -x "$BIN" ]; then
  echo "$0: '$BIN' is not an executable file" >&2
  exit 2
fi
NODE=${NODE:-node}
if ! command -v "$NODE" >/dev/null 2>&1; then
  echo "$0: '$NODE' not found (Node.js is needed to produce the expected output)" >&2
  exit 2
fi

dir=$(cd "$(dirname "$0")" && pwd)
problems=0

# The suite itself: enough pairs, and no half pairs.
pairs=0
for js in "$dir"/*.js; do
  [ -e "$js" ] || continue
  name=$(basename "$js" .js)
  if [ -f "$dir/$name.coro" ]; then
    pairs=$((pairs + 1))
  else
    echo "FAIL $name: $name.js has no $name.coro"
    problems=$((problems + 1))
  fi
done
for coro in "$dir"/*.coro; do
  [ -e "$coro" ] || continue
  name=$(basename "$coro" .coro)
  if [ ! -f "$dir/$name.js" ]; then
    echo "FAIL $name: $name.coro has no $name.js"
    problems=$((problems + 1))
  fi
done
if [ "$pairs" -lt "$MIN_PAIRS" ]; then
  echo "FAIL suite: only $pairs pairs, at least $MIN_PAIRS are required"
  problems=$((problems + 1))
fi

# Prints the lines of $2 with the prefix $1 (stderr excerpts under a failure).
indent() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    printf '%s%s\n' "$1" "$line"
  done <<<"$2"
}

if [ "$#" -gt 0 ]; then
  names=("$@")
else
  names=()
  for js in "$dir"/*.js; do
    [ -e "$js" ] || continue
    names+=("$(basename "$js" .js)")
  done
fi

passed=0
failed=0
for name in "${names[@]}"; do
  js="$dir/$name.js"
  coro="$dir/$name.coro"
  if [ ! -f "$js" ] || [ ! -f "$coro" ]; then
    echo "FAIL $name: missing $name.js or $name.coro"
    failed=$((failed + 1))
    continue
  fi

  # Capture stdout exactly (trailing newlines included) followed by the exit status.
  expected=$("$NODE" "$js" 2>/dev/null; printf 'x%d' "$?")
  node_rc=${expected##*x}
  expected=${expected%x*}
  actual=$("$BIN" run --profile node "$coro" 2>/dev/null; printf 'x%d' "$?")
  bin_rc=${actual##*x}
  actual=${actual%x*}

  if [ "$node_rc" = 0 ] && [ "$bin_rc" = 0 ] && [ "$expected" = "$actual" ]; then
    echo "ok $name"
    passed=$((passed + 1))
    continue
  fi

  echo "FAIL $name"
  failed=$((failed + 1))
  if [ "$node_rc" != 0 ]; then
    echo "  node exited with status $node_rc:"
    indent "    " "$("$NODE" "$js" 2>&1 >/dev/null)"
  fi
  if [ "$bin_rc" != 0 ]; then
    echo "  loopscope exited with status $bin_rc:"
    indent "    " "$("$BIN" run --profile node "$coro" 2>&1 >/dev/null)"
  fi
  if [ "$expected" != "$actual" ]; then
    diff -u --label node --label loopscope \
      <(printf '%s' "$expected") <(printf '%s' "$actual")
  fi
done

total=$((passed + failed))
echo
echo "node conformance: $passed of $total passed, $failed failed ($pairs pairs in the suite)"
if [ "$failed" -gt 0 ] || [ "$problems" -gt 0 ]; then
  [ "$problems" -gt 0 ] && echo "node conformance: $problems problem(s) with the suite itself"
  exit 1
fi
exit 0
