#!/usr/bin/env bash
# Runs one golden test: `loopscope run NAME.coro` in this folder must print NAME.out on stdout,
# NAME.err on stderr (when that file exists) and exit with NAME.status (default 0).
# Extra arguments for the command can be given in NAME.args (one line).
#   golden.sh LOOPSCOPE tests/coro/some/name.coro [--update]
set -u
bin=$(realpath "$1")
file=$2
update=${3:-}
dir=$(cd "$(dirname "$0")" && pwd)
rel=${file#"$dir"/}
rel=${rel#./}
base=${rel%.coro}
cd "$dir"
args=()
[ -f "$base.args" ] && read -r -a args < "$base.args"
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 120 "$bin" run "$rel" "${args[@]}" >"$out" 2>"$err"
status=$?
if [ "$update" = "--update" ]; then
  cp "$out" "$base.out"
  [ -f "$base.err" ] && cp "$err" "$base.err"
  [ "$status" != 0 ] && echo "$status" > "$base.status"
  echo "updated $base"
  exit 0
fi
fail=0
expected_status=$(cat "$base.status" 2>/dev/null || echo 0)
if [ "$status" != "$expected_status" ]; then
  echo "FAIL $base: exit status $status, expected $expected_status"
  fail=1
fi
if ! diff -u "$base.out" "$out" >/dev/null; then
  echo "FAIL $base: stdout differs from $base.out:"
  diff -u "$base.out" "$out" | head -40
  fail=1
fi
if [ -f "$base.err" ] && ! diff -u "$base.err" "$err" >/dev/null; then
  echo "FAIL $base: stderr differs from $base.err:"
  diff -u "$base.err" "$err" | head -40
  fail=1
fi
if [ $fail = 1 ]; then
  echo "--- stderr was:"
  head -20 "$err"
  exit 1
fi
echo "ok $base"
