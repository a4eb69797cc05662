#!/usr/bin/env bash
# The echo server example, for real: start it on a free port, echo with its client mode.
set -u
bin=$1
log=$(mktemp)
"$bin" --port 0 --max-clients 2 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$log" && break; sleep 0.05; done
addr=$(sed -n 's/^listening on //p' "$log")
[ -n "$addr" ] || { echo "server did not start:"; cat "$log"; exit 1; }
out1=$("$bin" --client "$addr" hello loopscope) || { echo "client 1 failed: $out1"; exit 1; }
out2=$("$bin" --client "$addr" second client) || { echo "client 2 failed: $out2"; exit 1; }
[ "$out1" = "hello loopscope" ] && [ "$out2" = "second client" ] || { echo "unexpected echo: '$out1' / '$out2'"; exit 1; }
wait $pid || { echo "server exited with an error:"; cat "$log"; exit 1; }
echo "echoed: $out1 / $out2; the server exited after its 2 clients"
