#!/usr/bin/env bash
# The .coro interpreter against Lua 5.4 on the same programs: fib(30), a loop summing 10M
# integers, building a string of 1M numbers, 1M coroutine resume/yield round trips, and 300k
# callbacks queued then run (the runtime's microtask queue; in Lua a table used as a queue).
# Each program runs REPS times; prints one JSON line per run (whole-program nanoseconds), and
# checks that both print the same result.
#   run.sh LOOPSCOPE [REPS]
set -u
bin=$1
reps=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
for name in fib sum_loop string_build coroutine_pingpong job_queue; do
  ours=$("$bin" run "$here/$name.coro")
  theirs=$(lua5.4 "$here/$name.lua")
  if [ "$ours" != "$theirs" ]; then
    echo "bench: $name prints '$ours' in Loopscope but '$theirs' in Lua" >&2
    exit 1
  fi
  for _ in $(seq "$reps"); do
    for impl in loopscope lua; do
      start=$(date +%s%N)
      if [ $impl = loopscope ]; then "$bin" run "$here/$name.coro" >/dev/null; else lua5.4 "$here/$name.lua" >/dev/null; fi
      end=$(date +%s%N)
      echo "{\"name\":\"script_$name/$impl\",\"ns_per_op\":$((end - start))}"
    done
  done
done
