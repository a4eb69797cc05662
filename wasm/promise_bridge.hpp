// The bridge between runtime futures and JavaScript Promises (Embind).
//
//   Task<val> app() {
//     val response = co_await from_promise(val::global("fetch")(std::string("/data.json")));
//     co_return response;                 // a rejected promise arrives here as a thrown JsError
//   }
//   val promise = to_promise(app());      // JS sees an ordinary Promise
//
// A settled promise wakes the awaiting task like any other resource: its reaction job calls
// back into C++, which wakes the task's waker, and a BrowserRuntime runs the woken task before
// that job returns (BrowserRuntime::RunAtEndOfCallback) — so a hop costs one promise reaction,
// as `await` does in JavaScript, plus the calls between JS and WebAssembly (bench/wasm/).
#pragma once

#include <emscripten/val.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "runtime/platform/browser/browser_runtime.hpp"
#include "runtime/task/task.hpp"

namespace loopscope {

// A rejected promise, as a C++ exception; reason() is the value it was rejected with.
class JsError : public std::runtime_error {
 public:
  explicit JsError(emscripten::val reason);
  const emscripten::val& reason() const noexcept { return reason_; }

 private:
  emscripten::val reason_;
};

// Awaits a Promise (or any value or thenable, like JavaScript's `await`).
class PromiseFuture {
 public:
  explicit PromiseFuture(emscripten::val promise) : promise_(std::move(promise)) {}
  PromiseFuture(PromiseFuture&& other) noexcept
      : promise_(std::move(other.promise_)), slot_(std::exchange(other.slot_, 0)) {}
  PromiseFuture& operator=(PromiseFuture&&) = delete;
  ~PromiseFuture();
  Poll<emscripten::val> poll(Context& cx);

 private:
  emscripten::val promise_;
  uint32_t slot_ = 0;  // 1 + where the bridge stores the settlement, once polled
};

// `co_await from_promise(p)`: a PromiseFuture, awaited in place (no coroutine frame per hop).
inline PromiseFuture from_promise(emscripten::val promise) { return PromiseFuture(std::move(promise)); }

// Spawns `task` on `rt` and returns a Promise of its result. A task that throws rejects the
// promise: with the original reason for a JsError, with an Error(what()) for a std::exception,
// with an Error saying so for anything else.
emscripten::val to_promise(Task<emscripten::val> task, BrowserRuntime& rt = BrowserRuntime::global());

}  // namespace loopscope
