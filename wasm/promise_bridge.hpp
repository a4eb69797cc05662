// The bridge between runtime futures and JavaScript Promises (Embind).
//
//   Task<val> app() {
//     val response = co_await from_promise(val::global("fetch")(std::string("/data.json")));
//     co_return response;                 // a rejected promise arrives here as a thrown JsError
//   }
//   val promise = to_promise(app());      // JS sees an ordinary Promise
//
// A settled promise wakes the awaiting task like any other resource: its reaction job calls
// back into C++, which wakes the task's waker, and the browser runtime runs a slice from a
// microtask — so a hop costs one promise reaction plus one microtask.
#pragma once

#include <emscripten/val.h>

#include <stdexcept>
#include <string>

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
  PromiseFuture(PromiseFuture&&) = default;
  ~PromiseFuture();
  Poll<emscripten::val> poll(Context& cx);

 private:
  emscripten::val promise_;
  uint32_t id_ = 0;  // registered with the bridge once polled
};

Task<emscripten::val> from_promise(emscripten::val promise);

// Spawns `task` on `rt` and returns a Promise of its result. A task that throws rejects the
// promise: with the original reason for a JsError, with an Error(message) otherwise.
emscripten::val to_promise(Task<emscripten::val> task, BrowserRuntime& rt = BrowserRuntime::global());

}  // namespace loopscope
