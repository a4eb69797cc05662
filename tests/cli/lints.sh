#!/usr/bin/env bash
# loopscope run --lints: each lint is found where it should be, with its task, source line and
# numbers, and a clean program has none.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
lint() {  # label, expected pattern in stderr, profile, program text
  printf '%s\n' "$4" > "$dir/p.coro"
  "$bin" run --lints --profile "$3" "$dir/p.coro" > /dev/null 2> "$dir/err"
  if grep -qE "$2" "$dir/err"; then
    echo "ok $1"
  else
    echo "FAIL $1: /$2/ not in:"
    cat "$dir/err"
    failures=$((failures + 1))
  fi
}
lint "long poll" "long_poll: task 'main' \(id 1\) ran 30.0 ms without suspending" basic 'work(30)'
lint "scheduling latency" "scheduling_latency: task 'late' \(id 2, spawned at line 2\) was ready for 25.[0-9] ms" basic '
spawn late()
async fn late() { }
work(25)'
lint "lifo starvation" "lifo_starvation: task 'stuck' \(id 2, spawned at line 2\) waited in the LIFO slot of worker 0 for 20.[0-9] ms" tokio '
spawn stuck()
async fn stuck() { }
work(20)'
lint "self wake" "self_wake: task 'spinner' \(id 2, spawned at line 5\) woke itself in 30 of its 31 polls" basic '
async fn spinner() {
  for i in 0..30 { await yield_now() }
}
await spawn spinner()'
lint "blocking call" "blocking_call: task 'main' \(id 1\) called block\(5.0 ms\)" tokio 'block(5)'
lint "lock_blocking" "blocking_call: task 'b' \(id 3, spawned at line 9\) called lock_blocking\(\)" tokio '
let m = mutex()
async fn a() { await m.lock()
  await sleep(2)
  m.unlock() }
async fn b() { m.lock_blocking()
  m.unlock() }
spawn a()
spawn b()
await sleep(5)'
lint "microtask flood" "microtask_flood: [0-9]+ microtasks and next ticks ran for 12.[0-9] ms" node '
set_timeout(fn () { print("the timer waited") }, 1)
queue_microtask(fn () { work(12) })'
lint "lost waker" "lost_waker: task 'waiter' \(id 2\) waits on a promise at line 4, which nothing that can still run refers to" node '
async fn waiter() {
  let p = promise()
  await p
}
waiter()'
lint "lock across await" "lock_across_await: task 'writer' \(id 2, spawned at line 8\) awaits sleep\(1\) at line 4 while holding the mutex locked at line 3: every task that locks it waits" tokio '
let m = mutex()
async fn writer() { await m.lock()
  await sleep(1)
  m.unlock() }
async fn reader() { await m.lock()
  m.unlock() }
spawn writer()
await spawn reader()
await sleep(2)'
lint "blocking lock across await" "lock_across_await: task 'main' \(id 1\) awaits sleep\(1\) at line 4 while holding the mutex locked at line 3 with lock_blocking\(\)" tokio '
let m = mutex()
m.lock_blocking()
await sleep(1)
m.unlock()'
lint "random select" "random_select: task 'main' \(id 1\): the select at line 6 found 2 cases ready at once and took case 0, the first in list order; Go picks one of them at random" go '
let a = channel(1)
let b = channel(1)
await a.send(1)
await b.send(2)
let [i, v] = await select([a.recv(), b.recv()])'
lint "clean program" "^lints: none$" tokio '
async fn f(x) { await sleep(1)
  return x }
let m = mutex()
await m.lock()
m.unlock()
print(await spawn f(1))'
[ "$failures" = 0 ] && echo "lints: all found" || exit 1
