#!/usr/bin/env bash
# Same program + same settings + same seed => byte-identical output and trace. Runs every
# example of the gallery and every program of tests/profiles under every profile twice, and
# every golden program of tests/coro under its own profile twice, comparing stdout, stderr, the
# exit status and the JSON Lines trace.
set -u
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
runs=0
once() {  # program, profile (or ""), output prefix
  local args=(trace --seed 7 --trace-format jsonl --trace "$3.trace")
  [ -n "$2" ] && args+=(--profile "$2")
  timeout 60 "$bin" "${args[@]}" "$1" >"$3.out" 2>"$3.err"
  echo $? >"$3.status"
  grep -v '^trace: ' "$3.err" >"$3.err2"
}
compare() {  # program, profile
  once "$1" "$2" "$tmp/a"
  once "$1" "$2" "$tmp/b"
  runs=$((runs + 1))
  for part in out err2 status trace; do
    if ! cmp -s "$tmp/a.$part" "$tmp/b.$part"; then
      echo "FAIL $1 ${2:-(its own profile)}: the two runs differ in $part"
      diff "$tmp/a.$part" "$tmp/b.$part" | head -10
      failures=$((failures + 1))
      return
    fi
  done
}
for program in "$root"/examples/coro/*.coro "$root"/tests/profiles/*.coro; do
  for profile in basic node tokio go; do compare "$program" "$profile"; done
done
for program in "$root"/tests/coro/*.coro; do compare "$program" ""; done
# The seed is the simulation's only source of choice: four workers stealing from each other
# take different victims under different seeds.
cat > "$tmp/seeds.coro" <<'CORO'
// @profile tokio workers=4
async fn job(i) {
  work(1)
  print("job", i, "on worker", worker_id())
}
for i in 0..12 { spawn job(i) }
work(5)
await sleep(20)
CORO
distinct=$(for seed in 1 2 3 4; do "$bin" run --seed "$seed" "$tmp/seeds.coro" | md5sum; done | sort -u | wc -l)
if [ "$distinct" -lt 2 ]; then
  echo "FAIL: four seeds gave the same schedule"
  failures=$((failures + 1))
fi
echo "determinism: $runs programs run twice, $failures differed"
[ "$failures" = 0 ]
