// The Promise bridge's hop (wasm/promise_bridge.hpp) for bench/wasm/run.mjs, which times it
// against the same loop written as a JavaScript async function, in the same process or page:
//
//   C++:  for i in 0..n: sum += co_await from_promise(Promise.resolve(i))
//   JS:   for i in 0..n: sum += await Promise.resolve(i)
//
// and, to tell the bridge's share of a hop from the caller's, the C++ loop's own Embind calls
// without the hop: Promise.resolve(i) made and dropped, a number read with as<double>(); and the
// hop with a caller that makes its promise and reads its number through two small imports of its
// own instead (leanLoop): what the bridge itself costs. And the floor under any bridge (floorLoop):
// the lean hop's JavaScript, with no runtime at all. The promise's reaction calls into WebAssembly
// with its value's handle, and the C++ side reads the number, makes the next promise and
// subscribes to it as the bridge does. There is no task, waker, executor or coroutine. The lean hop
// less the floor is the runtime's share of a hop.
//
// Built as a module (createBridgeBench) for Node and for the page.
#include <emscripten/bind.h>
#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <cstdlib>

#include "wasm/promise_bridge.hpp"

using emscripten::val;
using namespace loopscope;

// clang-format off
EM_JS(emscripten::EM_VAL, bench_resolved, (int i), { return Emval.toHandle(Promise.resolve(i)); });
EM_JS(double, bench_number, (emscripten::EM_VAL handle), { return Emval.toValue(handle); });
// ls_promise_then's JavaScript (wasm/promise_bridge.cpp), calling bench_floor_settled instead.
EM_JS(void, bench_floor_then, (emscripten::EM_VAL promise), {
  var p = Emval.toValue(promise);
  __emval_decref(promise);
  var on = Module['benchFloorOn'] || (Module['benchFloorOn'] = [
    function(v) { _bench_floor_settled(1, Emval.toHandle(v)); },
    function(e) { _bench_floor_settled(0, Emval.toHandle(e)); }]);
  Promise.resolve(p).then(on[0], on[1]);
});
EM_JS(emscripten::EM_VAL, bench_floor_promise, (), {
  return Emval.toHandle(new Promise(function(resolve) { Module['benchFloorDone'] = resolve; }));
});
EM_JS(void, bench_floor_done, (double sum), { Module['benchFloorDone'](sum); });
// clang-format on

extern "C" EMSCRIPTEN_KEEPALIVE void bench_floor_settled(int fulfilled, emscripten::EM_VAL value);

namespace {

Task<val> hops(int n) {
  val promise = val::global("Promise");
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    val v = co_await from_promise(promise.call<val>("resolve", i));
    sum += v.as<double>();
  }
  co_return val(sum);
}

// The same hops with the caller's two imports in place of Embind's calls.
Task<val> lean_hops(int n) {
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    val v = co_await from_promise(val::take_ownership(bench_resolved(i)));
    sum += bench_number(v.as_handle());
  }
  co_return val(sum);
}

// The Embind calls of hops() alone: the same call<val>, as<double>() and val destructions.
Task<val> embind_calls(int n) {
  val promise = val::global("Promise");
  val one(1.0);
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    val p = promise.call<val>("resolve", i);
    sum += one.as<double>() * i;
  }
  co_return val(sum);
}

// The floor's loop, one step per reaction (bench_floor_settled).
struct FloorLoop {
  int next = 0, n = 0;
  double sum = 0;
} floor_run;

val floor_loop(int n) {
  val done = val::take_ownership(bench_floor_promise());
  floor_run = FloorLoop{0, n, 0};
  bench_floor_then(bench_resolved(floor_run.next++));
  return done;
}

// A Promise of the sum of 0..n-1, after n sequential hops through the bridge.
val bridge_loop(int n) { return to_promise(hops(n)); }
// The same sum from the same Embind calls, without awaiting.
val embind_loop(int n) { return to_promise(embind_calls(n)); }
val lean_loop(int n) { return to_promise(lean_hops(n)); }

}  // namespace

void bench_floor_settled(int fulfilled, emscripten::EM_VAL value) {
  if (!fulfilled) std::abort();  // Promise.resolve(i) never rejects
  floor_run.sum += bench_number(value);
  emscripten::internal::_emval_decref(value);
  if (floor_run.next < floor_run.n) {
    bench_floor_then(bench_resolved(floor_run.next++));
  } else {
    bench_floor_done(floor_run.sum);
  }
}

EMSCRIPTEN_BINDINGS(loopscope_bridge_bench) {
  emscripten::function("bridgeLoop", &bridge_loop);
  emscripten::function("embindLoop", &embind_loop);
  emscripten::function("leanLoop", &lean_loop);
  emscripten::function("floorLoop", &floor_loop);
}

