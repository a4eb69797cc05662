#!/usr/bin/env bash
# Golden traces: a handful of the gallery's examples under each profile, in simulation, must
# record exactly the trace stored here (JSON Lines). A scheduler change that moves one event
# shows up as a diff of the first events that differ.
#   run.sh LOOPSCOPE_BINARY            compare
#   run.sh LOOPSCOPE_BINARY --update   rewrite the stored traces (review the diff before committing)
set -u
bin=$1
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
examples="$here/../../examples/coro"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
for name in event_loop_order work_stealing pipeline preemption deadlock; do
  for profile in basic node tokio go; do
    golden="$here/$name.$profile.jsonl"
    "$bin" trace --profile "$profile" --trace-format jsonl --trace "$tmp/trace.jsonl" "$examples/$name.coro" >/dev/null 2>&1
    if [ "$update" = "--update" ]; then
      cp "$tmp/trace.jsonl" "$golden"
    elif ! cmp -s "$golden" "$tmp/trace.jsonl"; then
      echo "FAIL $name under $profile: the trace changed"
      diff -u --label "stored $name.$profile.jsonl" --label recorded "$golden" "$tmp/trace.jsonl" | head -40
      failures=$((failures + 1))
    fi
  done
done
[ "$failures" = 0 ] && echo "golden traces: all equal" || exit 1
