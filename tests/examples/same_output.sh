#!/usr/bin/env bash
# Runs a portable example natively and as WebAssembly under Node; both must print the same
# output and exit with the same status.
#   same_output.sh NATIVE_BINARY WASM_JS
set -u
native=$1 wasm=$2
if [ ! -x "$native" ]; then
  echo "native build of $(basename "$native") not found at $native (build the native preset first)" >&2
  exit 1
fi
out_native=$("$native" 2>&1); rc_native=$?
out_wasm=$(node --no-experimental-fetch "$wasm" 2>&1); rc_wasm=$?
if [ "$out_native" != "$out_wasm" ] || [ $rc_native != $rc_wasm ]; then
  echo "native (exit $rc_native) and WebAssembly (exit $rc_wasm) differ:" >&2
  diff <(echo "$out_native") <(echo "$out_wasm") >&2
  exit 1
fi
echo "$out_native"
echo "same output natively and in WebAssembly (exit $rc_native)"
