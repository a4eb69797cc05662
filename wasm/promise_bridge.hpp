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
// that job returns (BrowserRuntime::RunAtEndOfCallback) — so a hop costs one promise reaction, as
// `await` does in JavaScript, plus the calls between JS and WebAssembly (bench/wasm/).
//
// Those calls are most of a hop, so the hop path keeps plain handles: every emscripten::val
// destroyed is a call into JS (even a moved-from one), and a PromiseFuture is awaited with an
// awaiter of its own (below) rather than the generic one, whose Poll and optional move vals.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <new>
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
  explicit PromiseFuture(emscripten::val&& promise) noexcept : promise_(promise.as_handle()) {
    // Takes the handle without a call into JS (incref is one): `promise` is left owning undefined,
    // which its destructor releases without effect, as a moved-from val owns nothing.
    ::new (static_cast<void*>(std::addressof(promise))) emscripten::val(emscripten::val::undefined());
  }
  explicit PromiseFuture(const emscripten::val& promise) : PromiseFuture(emscripten::val(promise)) {}
  PromiseFuture(PromiseFuture&& other) noexcept
      : promise_(std::exchange(other.promise_, nullptr)), slot_(std::exchange(other.slot_, 0)) {}
  PromiseFuture& operator=(PromiseFuture&&) = delete;
  ~PromiseFuture() {
    if (slot_ || promise_) drop();
  }

  Poll<emscripten::val> poll(Context& cx) {
    emscripten::EM_VAL value;
    Outcome outcome = poll_handle(cx, value);
    if (outcome == Outcome::kPending) return pending;
    return Poll<emscripten::val>(settled(outcome, value));
  }

 private:
  friend struct detail::FutureAwaiter<PromiseFuture>;
  enum class Outcome : uint8_t { kPending, kFulfilled, kRejected, kOutOfMemory };

  // poll() without exceptions: the settlement's handle (which the caller then owns) and how the
  // promise settled. Registers the promise's reactions on the first call.
  Outcome poll_handle(Context& cx, emscripten::EM_VAL& value) noexcept;
  // The value of a settled promise; throws JsError for a rejected one (std::bad_alloc when the
  // bridge had no memory left to register it).
  static emscripten::val settled(Outcome outcome, emscripten::EM_VAL value) {
    if (outcome == Outcome::kFulfilled) return emscripten::val::take_ownership(value);
    throw_settled(outcome, value);
  }
  [[noreturn]] static void throw_settled(Outcome outcome, emscripten::EM_VAL value);
  void drop() noexcept;

  emscripten::EM_VAL promise_;  // owned; handed to JavaScript (null) once polled
  uint32_t slot_ = 0;           // 1 + where the bridge stores the settlement, once polled
};

// `co_await from_promise(p)`: a PromiseFuture, awaited in place (no coroutine frame per hop).
inline PromiseFuture from_promise(emscripten::val promise) { return PromiseFuture(std::move(promise)); }

// Spawns `task` on `rt` and returns a Promise of its result. A task that throws rejects the
// promise: with the original reason for a JsError, with an Error(what()) for a std::exception,
// with an Error saying so for anything else.
emscripten::val to_promise(Task<emscripten::val> task, BrowserRuntime& rt = BrowserRuntime::global());

namespace detail {

// `co_await` on a PromiseFuture: the protocol of every leaf (LeafAwaiter, task.hpp) with a poll
// of its own, without what makes the generic FutureAwaiter's call into JS for nothing: the vals
// moved through Poll and optional, each destroyed by a call. The settlement stays a handle until
// await_resume makes the one val the caller keeps; a rejection is thrown from there.
template <>
struct FutureAwaiter<PromiseFuture> final : LeafAwaiter<FutureAwaiter<PromiseFuture>> {
  PromiseFuture future;
  emscripten::EM_VAL value = nullptr;
  PromiseFuture::Outcome outcome = PromiseFuture::Outcome::kPending;

  explicit FutureAwaiter(PromiseFuture&& f) noexcept : future(std::move(f)) {}
  FutureAwaiter(const FutureAwaiter&) = delete;
  FutureAwaiter& operator=(const FutureAwaiter&) = delete;
  ~FutureAwaiter() {
    if (value) emscripten::internal::_emval_decref(value);  // settled but never resumed
  }

  bool poll_once(Context& cx) noexcept {
    outcome = future.poll_handle(cx, value);
    return outcome != PromiseFuture::Outcome::kPending;
  }
  emscripten::val await_resume() { return PromiseFuture::settled(outcome, std::exchange(value, nullptr)); }
};

}  // namespace detail
}  // namespace loopscope
