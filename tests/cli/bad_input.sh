#!/usr/bin/env bash
# Bad input never crashes or hangs the loopscope command: each case must end within its time
# with the expected exit status and a diagnostic on stderr.
#   bad_input.sh LOOPSCOPE
set -u
bin=$(realpath "$1")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# check NAME EXPECTED_STATUS EXPECTED_STDERR_PATTERN  (the program is in $dir/NAME.coro)
check() {
  local name=$1 want=$2 pattern=$3
  local start=$(date +%s%N)
  timeout 60 "$bin" run "$dir/$name.coro" >"$dir/$name.stdout" 2>"$dir/$name.stderr"
  local status=$?
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ "$status" != "$want" ]; then
    echo "FAIL $name: exit status $status, expected $want (${ms} ms)"; head -5 "$dir/$name.stderr"; failures=$((failures + 1)); return
  fi
  if [ -z "$pattern" ] && [ -s "$dir/$name.stderr" ]; then
    echo "FAIL $name: expected nothing on stderr:"; head -5 "$dir/$name.stderr"; failures=$((failures + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qE "$pattern" "$dir/$name.stderr"; then
    echo "FAIL $name: stderr does not match /$pattern/:"; head -5 "$dir/$name.stderr"; failures=$((failures + 1)); return
  fi
  echo "ok   $name: exit $status in ${ms} ms"
}

printf 'let s = "no end\n' > "$dir/unterminated_string.coro"
check unterminated_string 3 'never closed'
printf 'print(1)\n/* no end\n' > "$dir/unterminated_comment.coro"
check unterminated_comment 3 'comment is never closed'
printf 'print((1 + 2)\nprint([1, 2)\n' > "$dir/unbalanced.coro"
check unbalanced 3 'expected'
printf 'print(1))\n' > "$dir/extra_paren.coro"
check extra_paren 3 'expected'
head -c 100000 /dev/zero | tr '\0' '(' > "$dir/deep_parens.coro"; printf '1' >> "$dir/deep_parens.coro"; head -c 100000 /dev/zero | tr '\0' ')' >> "$dir/deep_parens.coro"
check deep_parens 3 'nested too deeply'
head -c 100000 /dev/zero | tr '\0' '[' > "$dir/deep_lists.coro"
check deep_lists 3 'nested too deeply'
{ printf 'let s = "'; head -c 10000000 /dev/zero | tr '\0' 'a'; printf '"\nprint(len(s))\n'; } > "$dir/long_line.coro"
check long_line 0 ''
grep -qx 10000000 "$dir/long_line.stdout" || { echo "FAIL long_line: wrong output"; failures=$((failures + 1)); }
{ printf 'let x = 1'; for _ in $(seq 1 20000); do printf ' + 1'; done; printf '\n'; } > "$dir/long_chain.coro"
check long_chain 3 'nested too deeply'
{ head -c 10000000 /dev/zero | tr '\0' '@'; printf '\n'; } > "$dir/long_garbage.coro"
check long_garbage 3 "unexpected character '@'"
printf 'print(1)\0print(2)\n' > "$dir/nul.coro"
check nul 3 'NUL byte'
printf 'print("\xc3\x28")\n' > "$dir/bad_utf8.coro"
check bad_utf8 3 'not valid UTF-8'
printf 'let x = 123456789012345678901234567890\n' > "$dir/huge_literal.coro"
check huge_literal 3 'out of range'
printf 'let x = 1e999999\nprint(x)\n' > "$dir/huge_float.coro"
check huge_float 0 ''
printf 'print(nobody)\n' > "$dir/unknown_name.coro"
check unknown_name 3 "unknown name 'nobody'"
printf 'fn f() { await sleep(1) }\n' > "$dir/await_plain.coro"
check await_plain 3 "'await' is only allowed"
printf 'yield 1\n' > "$dir/yield_top.coro"
check yield_top 3 "'yield' is only allowed"
printf 'fn g() { yield 1 }\ng()\n' > "$dir/yield_outside.coro"
check yield_outside 1 'yield outside a coroutine'
printf 'fn f(n) { return f(n + 1) }\nf(0)\n' > "$dir/recursion.coro"
check recursion 4 'nested calls'
printf 'async fn f(n) { return await f(n + 1) }\nawait f(0)\n' > "$dir/async_recursion.coro"
check async_recursion 4 'nested calls'
printf 'while true {}\n' > "$dir/endless_loop.coro"
check endless_loop 4 'instructions'
printf 'async fn idle() { await sleep(1000000) }\nwhile true { spawn idle() }\n' > "$dir/endless_spawn.coro"
check endless_spawn 4 'tasks alive'
# The default heap limit (1 GiB) takes most of a minute to fill under the sanitizers (more on a
# loaded machine): there the programs set a smaller one.
sanitized=false
ldd "$bin" 2>/dev/null | grep -qE 'libasan|libtsan' && sanitized=true
heap=''
$sanitized && heap='// @profile basic max-heap=128\n'
printf "${heap}"'let l = []\nwhile true { l.push(l.len()) }\n' > "$dir/growing_list.coro"
check growing_list 4 'MiB of memory'
printf "${heap}"'let s = "x"\nwhile true { s = s + s }\n' > "$dir/growing_string.coro"
check growing_string 4 'MiB of memory'
printf 'let l = []\nfor i in 0..100000 { l = [l] }\nprint(len(str(l)) > 0, l == l)\n' > "$dir/deep_data.coro"
check deep_data 0 ''
printf 'let m = {}\nm[[1]] = 1\n' > "$dir/bad_key.coro"
check bad_key 1 'cannot be a map key'
printf 'print(1 / 0, -1 %% 0)\n' > "$dir/zero.coro"
check zero 1 'modulo by zero'

# Memory that runs out below the heap limit (a machine smaller than --max-heap): a clear stop,
# not a crash. Address-space limits and the sanitizers' shadow memory do not mix: native only.
if ! $sanitized; then
  printf 'let l = []\nlet s = "0123456789abcdef"\nwhile true { l.push(s + s + s + s + s + s + s + s) }\n' > "$dir/oom.coro"
  start=$(date +%s%N)
  (ulimit -v 400000; timeout 60 "$bin" run --max-heap 8000 --max-instructions 1000000000000 "$dir/oom.coro" >/dev/null 2>"$dir/oom.stderr")
  status=$?
  if [ "$status" = 4 ] && grep -q 'out of memory before the heap limit (8000 MiB)' "$dir/oom.stderr"; then
    echo "ok   oom: exit 4 in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  else
    echo "FAIL oom: exit status $status, expected 4 with the out-of-memory message:"; head -3 "$dir/oom.stderr"; failures=$((failures + 1))
  fi
fi

[ $failures = 0 ] && echo "all bad input handled" || { echo "$failures failures"; exit 1; }
