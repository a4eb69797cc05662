#!/usr/bin/env bash
# fetch() natively: HTTP/1.1 GET over the epoll reactor against a local static server.
#   fetch.sh LOOPSCOPE
set -u
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
printf 'hello from the server' > "$dir/hello.txt"
printf '<!doctype html>' > "$dir/index.html"
head -c 300000 /dev/zero | tr '\0' 'x' > "$dir/big.txt"
node "$root/scripts/serve.mjs" "$dir" 0 > "$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do grep -q "http://" "$dir/server.log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$dir/server.log")
[ -n "$url" ] || { echo "FAIL: the test server did not start"; cat "$dir/server.log"; exit 1; }
port=${url##*:}; port=${port%/}

cat > "$dir/fetch.coro" <<CORO
let r = await fetch("${url}hello.txt")
print(r.status, r.body)
let missing = await fetch("${url}missing.txt")
print(missing.status)
let both = await all([fetch("${url}hello.txt"), fetch("http://localhost:${port}/big.txt")])
print(len(both[0].body), len(both[1].body))
try { await fetch("https://example.com/") } catch e { print(e.message) }
try { await fetch("ftp://example.com/") } catch e { print(e.message) }
try { await fetch("http://127.0.0.1:1/") } catch e { print(e.message.contains("Connection refused")) }
CORO
expected="200 hello from the server
404
21 300000
fetch: only http:// URLs can be fetched natively (https needs TLS, which the native runtime does not have)
fetch: 'ftp://example.com/' is not an http:// URL
true"
out=$("$bin" run --real "$dir/fetch.coro" 2>&1)
status=$?
if [ $status != 0 ] || [ "$out" != "$expected" ]; then
  echo "FAIL: exit $status"
  diff <(echo "$expected") <(echo "$out")
  exit 1
fi
echo "$out"
# A simulation cannot replay the network: fetch there is a clear error, not a hang.
printf 'try { await fetch("%s/") } catch e { print(e.message) }\n' "$url" > "$dir/sim.coro"
sim=$("$bin" run "$dir/sim.coro" 2>&1)
case "$sim" in
  *"run the program with --real"*) ;;
  *) echo "FAIL: fetch in simulation said: $sim"; exit 1 ;;
esac
echo "fetch works against $url"
