#include "wasm/promise_bridge.hpp"

#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>

#include <exception>
#include <vector>

using emscripten::val;
using emscripten::EM_VAL;

extern "C" EMSCRIPTEN_KEEPALIVE void loopscope_promise_settled(uint32_t slot, int fulfilled, EM_VAL value);

// A hop is one call into JS and one back, the value passing as a handle of Embind's table
// (Emval.toValue / Emval.toHandle): no Embind function lookups, no bound functions, no method
// names read from memory on the way. The reaction functions are made once per slot (a slot
// serves one promise at a time), so a hop makes no closures. ls_promise_then takes over the
// promise's handle.
// clang-format off
EM_JS(void, ls_promise_then, (EM_VAL promise, uint32_t slot), {
  var p = Emval.toValue(promise);
  __emval_decref(promise);
  var all = Module['lsThen'] || (Module['lsThen'] = []);
  var on = all[slot] || (all[slot] = [
    function(v) { _loopscope_promise_settled(slot, 1, Emval.toHandle(v)); },
    function(e) { _loopscope_promise_settled(slot, 0, Emval.toHandle(e)); }]);
  Promise.resolve(p).then(on[0], on[1]);
});

// {promise, resolve, reject}: a Promise with its resolving functions.
EM_JS(EM_VAL, ls_promise_with_resolvers, (), {
  var d = {};
  d.promise = new Promise(function(resolve, reject) { d.resolve = resolve; d.reject = reject; });
  return Emval.toHandle(d);
});
// clang-format on

namespace loopscope {

namespace {

// Where the settlement of a promise awaited by a PromiseFuture lands. Slots are reused (a free
// list), so a warm hop allocates nothing here. A slot serves one promise from its registration to
// its settlement: a future dropped before then leaves it abandoned, and the settlement frees it.
// Single-threaded (the page).
enum : uint8_t { kFree, kWaiting, kAbandoned, kFulfilled, kRejected };
struct Settlement {
  uint8_t state = kFree;
  EM_VAL value = nullptr;  // owned once settled
  Waker waker;
};
struct Settlements {
  std::vector<Settlement> slots;
  std::vector<uint32_t> free;

  // A free slot; false when the slab could not grow (only growing allocates).
  bool acquire(uint32_t& slot) noexcept {
    if (free.empty() && !grow()) return false;
    slot = free.back();
    free.pop_back();
    slots[slot].state = kWaiting;
    return true;
  }
  bool grow() noexcept {
    try {
      slots.emplace_back();
    } catch (...) {
      return false;
    }
    try {
      free.reserve(slots.capacity());  // so that release never allocates
    } catch (...) {
      slots.pop_back();
      return false;
    }
    free.push_back(static_cast<uint32_t>(slots.size() - 1));
    return true;
  }
  // The future is done with it: free now if settled, else when its promise settles.
  void release(uint32_t slot) noexcept {
    Settlement& s = slots[slot];
    s.waker = Waker();
    if (s.state == kWaiting) {
      s.state = kAbandoned;
      return;
    }
    if (s.value) emscripten::internal::_emval_decref(std::exchange(s.value, nullptr));
    s.state = kFree;
    free.push_back(slot);
  }
};
Settlements& settlements() noexcept {
  static auto* s = new Settlements();  // never destroyed: callbacks may still arrive
  return *s;
}

std::string describe(const val& reason) {
  if (reason.instanceof(val::global("Error"))) return reason["message"].as<std::string>();
  return val::global("String")(reason).as<std::string>();
}

Task<void> settle(Task<val> task, val resolve, val reject) {
  val reason = val::undefined();
  try {
    val value = co_await std::move(task);
    resolve(value);
    co_return;
  } catch (const JsError& e) {
    reason = e.reason();
  } catch (const std::exception& e) {
    reason = val::global("Error").new_(std::string(e.what()));
  } catch (...) {
    reason = val::global("Error").new_(std::string("a C++ exception that is not a std::exception"));
  }
  reject(reason);
}

}  // namespace

JsError::JsError(val reason) : std::runtime_error(describe(reason)), reason_(std::move(reason)) {}

PromiseFuture::Outcome PromiseFuture::poll_handle(Context& cx, EM_VAL& value) noexcept {
  Settlements& all = settlements();
  const Waker& waker = cx.waker();
  if (!slot_) {
    uint32_t slot;
    if (!all.acquire(slot)) return Outcome::kOutOfMemory;
    slot_ = slot + 1;
    Settlement& s = all.slots[slot];
    s.waker = waker;
    ls_promise_then(std::exchange(promise_, nullptr), slot);
    return Outcome::kPending;
  }
  Settlement& s = all.slots[slot_ - 1];
  if (s.state == kWaiting) {
    if (!s.waker.will_wake(waker)) s.waker = waker;
    return Outcome::kPending;
  }
  value = std::exchange(s.value, nullptr);
  Outcome outcome = s.state == kFulfilled ? Outcome::kFulfilled : Outcome::kRejected;
  all.release(std::exchange(slot_, 0) - 1);
  return outcome;
}

void PromiseFuture::throw_settled(Outcome outcome, EM_VAL value) {
  if (outcome == Outcome::kOutOfMemory) throw std::bad_alloc();
  throw JsError(val::take_ownership(value));
}

void PromiseFuture::drop() noexcept {
  if (slot_) settlements().release(std::exchange(slot_, 0) - 1);  // a late settlement is ignored
  if (promise_) emscripten::internal::_emval_decref(std::exchange(promise_, nullptr));
}

val to_promise(Task<val> task, BrowserRuntime& rt) {
  val d = val::take_ownership(ls_promise_with_resolvers());
  rt.spawn(settle(std::move(task), d["resolve"], d["reject"]), "to_promise").detach();
  return d["promise"];
}

}  // namespace loopscope

// Called by the reaction job of an awaited promise; takes the handle of its value or reason.
void loopscope_promise_settled(uint32_t slot, int fulfilled, EM_VAL value) {
  auto& all = loopscope::settlements();
  loopscope::Settlement& s = all.slots[slot];
  if (s.state == loopscope::kAbandoned) {  // the awaiting future was dropped
    emscripten::internal::_emval_decref(value);
    s.state = loopscope::kFree;
    all.free.push_back(slot);
    return;
  }
  loopscope::BrowserRuntime::RunAtEndOfCallback run_here;  // the woken task runs in this job
  s.state = fulfilled ? loopscope::kFulfilled : loopscope::kRejected;
  s.value = value;
  s.waker.wake();
}
