#!/usr/bin/env bash
# The module alone (loopscope.js + loopscope.wasm, without the UI), gzipped, must stay within
# the budget in KB; prints the figure either way.
set -euo pipefail
dir=$1 budget_kb=$2
bytes=$(( $(gzip -9c "$dir/loopscope.wasm" | wc -c) + $(gzip -9c "$dir/loopscope.js" | wc -c) ))
kb=$(( (bytes + 1023) / 1024 ))
echo "module size: ${kb} KB gzipped (wasm + js), budget ${budget_kb} KB"
(( kb <= budget_kb )) || { echo "FAIL: over budget"; exit 1; }
