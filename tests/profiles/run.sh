#!/usr/bin/env bash
# Runs one program of tests/profiles under every profile it has expectations for:
#   NAME.PROFILE.out     expected stdout in simulation (required for the profile to run)
#   NAME.PROFILE.err     expected stderr (optional; otherwise stderr is not compared)
#   NAME.PROFILE.status  expected exit status (optional; 0 otherwise)
#   NAME.PROFILE.real    present: the same stdout is expected with --real (sim-vs-real sanity)
# Usage: run.sh LOOPSCOPE_BINARY tests/profiles/NAME.coro
set -u
bin=$1
program=$2
stem=${program%.coro}
failures=0
ran=0
check() {  # label, expected file, actual text
  if [ "$(cat "$2")" != "$3" ]; then
    echo "FAIL $1"
    diff -u --label expected --label actual "$2" <(printf '%s\n' "$3")
    failures=$((failures + 1))
  fi
}
for expected in "$stem".*.out; do
  [ -e "$expected" ] || continue
  profile=${expected#"$stem".}
  profile=${profile%.out}
  want_status=0
  [ -f "$stem.$profile.status" ] && want_status=$(cat "$stem.$profile.status")
  err=$(mktemp)
  out=$(timeout 60 "$bin" run --profile "$profile" "$program" 2>"$err")
  status=$?
  ran=$((ran + 1))
  check "$profile: stdout" "$expected" "$out"
  [ -f "$stem.$profile.err" ] && check "$profile: stderr" "$stem.$profile.err" "$(cat "$err")"
  if [ "$status" != "$want_status" ]; then
    echo "FAIL $profile: exit status $status, expected $want_status"
    cat "$err"
    failures=$((failures + 1))
  fi
  if [ -f "$stem.$profile.real" ]; then
    real=$(timeout 60 "$bin" run --real --profile "$profile" "$program" 2>"$err")
    status=$?
    check "$profile --real: stdout" "$expected" "$real"
    if [ "$status" != "$want_status" ]; then
      echo "FAIL $profile --real: exit status $status, expected $want_status"
      cat "$err"
      failures=$((failures + 1))
    fi
  fi
  rm -f "$err"
done
if [ "$ran" = 0 ]; then
  echo "FAIL: no NAME.PROFILE.out next to $program"
  exit 1
fi
[ "$failures" = 0 ] && echo "ok: $ran profiles" || exit 1
