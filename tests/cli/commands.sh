#!/usr/bin/env bash
# The loopscope command: subcommands, options, exit statuses, share links, traces, stdin.
#   commands.sh LOOPSCOPE
set -u
bin=$(realpath "$1")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL $1"; failures=$((failures + 1)); }
ok() { echo "ok   $1"; }

# expect NAME WANT_STATUS COMMAND...   (stdout in $dir/out, stderr in $dir/err)
expect() {
  local name=$1 want=$2
  shift 2
  "$@" >"$dir/out" 2>"$dir/err"
  local status=$?
  if [ "$status" = "$want" ]; then ok "$name (exit $status)"; else fail "$name: exit $status, expected $want"; head -5 "$dir/err"; fi
}
has() {  # has NAME FILE PATTERN
  if grep -qE "$3" "$2"; then ok "$1"; else fail "$1: /$3/ not found in:"; head -10 "$2"; fi
}

cat > "$dir/hello.coro" <<'CORO'
// @profile basic
async fn greet(name) {
  await sleep(1)
  return "hello " + name
}
print(await greet("world"))
CORO

expect "version" 0 "$bin" --version
has "version text" "$dir/out" '^loopscope [0-9]+\.[0-9]+\.[0-9]+$'
expect "help" 0 "$bin" --help
has "help lists the commands" "$dir/out" 'run FILE.*check FILE|share FILE'
for c in run check trace share; do
  expect "$c --help" 0 "$bin" $c --help
  has "$c --help describes it" "$dir/out" "usage: loopscope $c"
done
expect "no arguments" 2 "$bin"
expect "unknown command" 2 "$bin" frobnicate x.coro
has "unknown command message" "$dir/err" "unknown command 'frobnicate'"
expect "unknown option" 2 "$bin" run "$dir/hello.coro" --frobnicate
has "unknown option message" "$dir/err" "unknown option '--frobnicate'"
expect "missing file" 2 "$bin" run "$dir/nope.coro"
has "missing file message" "$dir/err" "cannot read"
expect "missing program" 2 "$bin" run
expect "option without value" 2 "$bin" run "$dir/hello.coro" --max-instructions
expect "bad number" 2 "$bin" run "$dir/hello.coro" --max-instructions lots
has "bad number message" "$dir/err" 'must be a positive integer'
expect "bad trace format" 2 "$bin" run "$dir/hello.coro" --trace-format xml
expect "profile tokio" 0 "$bin" run "$dir/hello.coro" --profile tokio --workers 4 --seed 3 --budget off
expect "profile go for real" 0 "$bin" run "$dir/hello.coro" --profile go --real
expect "bad worker count" 2 "$bin" run "$dir/hello.coro" --profile tokio --workers 0
has "bad worker count message" "$dir/err" 'workers must be a positive integer'
expect "bad budget" 2 "$bin" run "$dir/hello.coro" --budget lots
has "bad budget message" "$dir/err" 'or off'
expect "unknown profile" 2 "$bin" run "$dir/hello.coro" --profile fast
printf '// @profile basic bogus=1\nprint(1)\n' > "$dir/bad_header.coro"
expect "bad header setting" 2 "$bin" run "$dir/bad_header.coro"
has "bad header message" "$dir/err" "unknown setting 'bogus'"

expect "run" 0 "$bin" run "$dir/hello.coro"
has "run output" "$dir/out" '^hello world$'
expect "run from stdin" 0 sh -c "\"$bin\" run - < \"$dir/hello.coro\""
has "stdin output" "$dir/out" '^hello world$'
expect "check a good program" 0 "$bin" check "$dir/hello.coro"
expect "check --bytecode" 0 "$bin" check "$dir/hello.coro" --bytecode
has "bytecode listing" "$dir/out" 'function greet .*async'
printf 'print(x)\nlet = 1\n' > "$dir/broken.coro"
expect "check a broken program" 3 "$bin" check "$dir/broken.coro"
has "caret excerpt" "$dir/err" '\| +\^'
expect "check --json" 3 "$bin" check "$dir/broken.coro" --json
has "json diagnostic" "$dir/err" '^\{"file":".*broken.coro","line":2,"col":5,"severity":"error","message":'
printf 'throw "bad"\n' > "$dir/throws.coro"
expect "run --json error" 1 "$bin" run "$dir/throws.coro" --json
has "json runtime error" "$dir/err" '^\{"error":"uncaught error in task .main.: bad","exit_status":1\}$'

# share links: a round trip, the payload alone, settings carried, broken links refused
expect "share" 0 "$bin" share "$dir/hello.coro" --base "http://example.test/play" --seed 9
link=$(cat "$dir/out")
case "$link" in http://example.test/play#v1/*) ok "share link shape";; *) fail "share link shape: $link";; esac
expect "run a share link" 0 "$bin" run "$link"
has "link output" "$dir/out" '^hello world$'
expect "run a share payload" 0 "$bin" run "${link#*#}"
has "payload output" "$dir/out" '^hello world$'
expect "share keeps the default base" 0 "$bin" share "$dir/hello.coro"
has "default base" "$dir/out" '^http://127\.0\.0\.1:8080/#v1/'
expect "broken link: not base64url" 2 "$bin" run "http://x/#v1/@@@@"
has "broken link message" "$dir/err" 'damaged'
expect "broken link: truncated" 2 "$bin" run "${link:0:$((${#link} - 10))}"
has "truncated link message" "$dir/err" 'share link'
expect "broken link: not deflate" 2 "$bin" run "v1/aGVsbG8gd29ybGQ"
expect "share of a broken program" 3 "$bin" share "$dir/broken.coro"

# traces
expect "trace (chrome)" 0 "$bin" trace "$dir/hello.coro" --trace "$dir/t.json"
has "chrome trace events" "$dir/t.json" '"traceEvents"'
has "chrome trace names the task" "$dir/t.json" 'greet \(task 1\)|main \(task 1\)'
expect "trace (jsonl)" 0 "$bin" run "$dir/hello.coro" --trace "$dir/t.jsonl" --trace-format jsonl
has "jsonl meta line" "$dir/t.jsonl" '^\{"type":"meta"'
has "jsonl timer events" "$dir/t.jsonl" '"kind":"timer_fire"'
(cd "$dir" && "$bin" trace hello.coro >/dev/null 2>&1)
[ -s "$dir/hello.trace.json" ] && ok "trace default file name" || fail "trace default file name"
expect "trace to an unwritable place" 2 "$bin" trace "$dir/hello.coro" --trace /nonexistent/dir/t.json

[ $failures = 0 ] && echo "all command checks passed" || { echo "$failures failures"; exit 1; }
