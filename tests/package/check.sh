#!/usr/bin/env bash
# Uses Loopscope from outside its tree, as another project would:
#   1. `cmake --install` of BUILD_DIR into a fresh prefix;
#   2. tests/package/app built with find_package(Loopscope) against that prefix;
#   3. the same source built with pkg-config's flags for loopscope;
#   4. (native) the app built with add_subdirectory of this source tree, and the installed
#      `loopscope` command running a .coro program.
# Each program must print the expected line.
#
# usage: tests/package/check.sh BUILD_DIR CXX_COMPILER [EMSCRIPTEN_TOOLCHAIN_FILE]
set -eu
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # where Debian's em++ finds acorn (as the Makefile sets it)
build=$1
cxx=$2
toolchain=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
want="sum 10; the timer elapsed"
failures=0

run_app() {  # the built program (a .js under Emscripten)
  if [ -n "$toolchain" ]; then node --no-experimental-fetch "$1" 2>&1 | head -c 2000; else "$1"; fi
}
expect() {  # label, output
  if [ "$2" = "$want" ]; then
    echo "ok $1"
  else
    echo "FAIL $1: printed '$2', expected '$want'"
    failures=$((failures + 1))
  fi
}

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
for f in lib/libloopscope_runtime.a lib/libloopscope_script.a include/loopscope/runtime/loopscope.hpp \
         lib/cmake/Loopscope/LoopscopeConfig.cmake lib/pkgconfig/loopscope.pc; do
  [ -f "$tmp/prefix/$f" ] || { echo "FAIL install: $f is missing"; failures=$((failures + 1)); }
done

configure=(cmake -S "$here/app" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx")
[ -n "$toolchain" ] && configure+=(-DCMAKE_TOOLCHAIN_FILE="$toolchain")
exe=app
[ -n "$toolchain" ] && exe=app.js

# (Emscripten's toolchain looks for packages under its sysroot only: CMAKE_FIND_ROOT_PATH adds ours.)
"${configure[@]}" -B "$tmp/find" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_FIND_ROOT_PATH="$tmp/prefix" >"$tmp/log" 2>&1 &&
  cmake --build "$tmp/find" >>"$tmp/log" 2>&1 || { cat "$tmp/log"; echo "FAIL find_package build"; exit 1; }
expect "find_package(Loopscope)" "$(run_app "$tmp/find/$exe")"

flags=$(PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --cflags --libs loopscope)
link_extra=()
[ -n "$toolchain" ] && link_extra=(-sEXIT_RUNTIME=1 -sENVIRONMENT=node)
# shellcheck disable=SC2086  # the flags are words
"$cxx" -O2 "$here/app/app.cpp" $flags "${link_extra[@]}" -o "$tmp/pc-$exe" 2>"$tmp/log" || { cat "$tmp/log"; echo "FAIL pkg-config build"; exit 1; }
expect "pkg-config loopscope" "$(run_app "$tmp/pc-$exe")"

if [ -z "$toolchain" ]; then
  "${configure[@]}" -B "$tmp/sub" -DLOOPSCOPE_SOURCE_DIR="$source_dir" >"$tmp/log" 2>&1 &&
    cmake --build "$tmp/sub" >>"$tmp/log" 2>&1 || { cat "$tmp/log"; echo "FAIL add_subdirectory build"; exit 1; }
  expect "add_subdirectory(loopscope)" "$(run_app "$tmp/sub/$exe")"
  printf 'print("hello from", "the installed command")\n' >"$tmp/hello.coro"
  out=$("$tmp/prefix/bin/loopscope" run "$tmp/hello.coro")
  if [ "$out" = "hello from the installed command" ]; then echo "ok bin/loopscope"; else echo "FAIL bin/loopscope: '$out'"; failures=$((failures + 1)); fi
fi
exit $((failures > 0))
