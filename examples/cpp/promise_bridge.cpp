// Futures and JavaScript Promises, both ways (WebAssembly only; runs under Node or a page).
//   - await a Promise that setTimeout resolves, and one that is rejected (a JsError);
//   - hand a task to JavaScript as a Promise with to_promise, and await it back;
//   - 100 tasks awaiting 100 promises at once.
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/loopscope.hpp"
#include "runtime/platform/entry.hpp"
#include "wasm/promise_bridge.hpp"

using namespace loopscope;
using emscripten::val;

namespace {
val delayed(int ms, val value, bool reject) {
  return val::module_property("delayed")(ms, value, reject);
}

Task<val> doubled_later(int x) {
  val v = co_await from_promise(delayed(5, val(x), false));
  co_return val(v.as<int>() * 2);
}

Task<val> throws() {
  co_await sleep(std::chrono::milliseconds(1));
  throw std::runtime_error("task failed");
}
}  // namespace

Task<int> app() {
  val v = co_await from_promise(delayed(10, val(std::string("hello from setTimeout")), false));
  std::printf("resolved: %s\n", v.as<std::string>().c_str());

  try {
    co_await from_promise(delayed(5, val::global("Error").new_(std::string("nope")), true));
  } catch (const JsError& e) {
    std::printf("rejected: %s\n", e.what());
  }

  val p = to_promise(doubled_later(21));
  std::printf("to_promise gave a Promise: %s\n", p.instanceof(val::global("Promise")) ? "yes" : "no");
  std::printf("and it resolved to %d\n", (co_await from_promise(p)).as<int>());

  try {
    co_await from_promise(to_promise(throws()));
  } catch (const JsError& e) {
    std::printf("a throwing task rejected its promise: %s\n", e.what());
  }

  std::vector<JoinHandle<val>> many;
  for (int i = 0; i < 100; ++i) many.push_back(spawn(doubled_later(i)));
  int sum = 0;
  for (auto& h : many) sum += (co_await h).as<int>();
  std::printf("100 concurrent promises: sum %d\n", sum);
  std::printf("bridge: all settled\n");
  co_return sum == 9900 ? 0 : 1;
}

int main() {
  EM_ASM(Module['delayed'] = function(ms, value, reject) {
    return new Promise(function(resolve, rejectFn) {
      setTimeout(function() { (reject ? rejectFn : resolve)(value); }, ms);
    });
  };);
  return run_to_exit(app());
}
