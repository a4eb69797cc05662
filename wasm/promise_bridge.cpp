#include "wasm/promise_bridge.hpp"

#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>

#include <exception>
#include <vector>

using emscripten::val;
using emscripten::EM_VAL;

extern "C" EMSCRIPTEN_KEEPALIVE void loopscope_promise_settled(uint32_t slot, uint32_t generation, int fulfilled,
                                                                EM_VAL value);

// A hop is one call into JS and one back, the value passing as a handle of Embind's table
// (Emval.toValue / Emval.toHandle): no Embind function lookups, no bound functions, no method
// names read from memory on the way.
// clang-format off
EM_JS(void, ls_promise_then, (EM_VAL promise, uint32_t slot, uint32_t generation), {
  Promise.resolve(Emval.toValue(promise)).then(
    function(v) { _loopscope_promise_settled(slot, generation, 1, Emval.toHandle(v)); },
    function(e) { _loopscope_promise_settled(slot, generation, 0, Emval.toHandle(e)); });
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
// list), so a warm hop allocates nothing here; the generation tells a late settlement for a
// dropped future from the slot's next user. Single-threaded (the page).
struct Settlement {
  uint32_t generation = 0;
  bool settled = false;
  bool fulfilled = false;
  val value = val::undefined();
  Waker waker;
};
struct Settlements {
  std::vector<Settlement> slots;
  std::vector<uint32_t> free;

  uint32_t acquire() {
    if (free.empty()) {
      slots.emplace_back();
      free.reserve(slots.capacity());  // so that release never allocates
      return static_cast<uint32_t>(slots.size() - 1);
    }
    uint32_t slot = free.back();
    free.pop_back();
    return slot;
  }
  void release(uint32_t slot) noexcept {
    Settlement& s = slots[slot];
    ++s.generation;
    s.settled = s.fulfilled = false;
    s.value = val::undefined();
    s.waker.reset();
    free.push_back(slot);
  }
};
Settlements& settlements() {
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

PromiseFuture::~PromiseFuture() {
  if (slot_) settlements().release(slot_ - 1);
}

Poll<val> PromiseFuture::poll(Context& cx) {
  Settlements& all = settlements();
  if (!slot_) {
    uint32_t slot = all.acquire();
    slot_ = slot + 1;
    all.slots[slot].waker = cx.waker();
    ls_promise_then(promise_.as_handle(), slot, all.slots[slot].generation);
    return pending;
  }
  Settlement& s = all.slots[slot_ - 1];
  if (!s.settled) {
    if (!s.waker.will_wake(cx.waker())) s.waker = cx.waker();
    return pending;
  }
  val value = std::move(s.value);
  bool fulfilled = s.fulfilled;
  all.release(std::exchange(slot_, 0) - 1);
  if (!fulfilled) throw JsError(std::move(value));
  return Poll<val>(std::move(value));
}

val to_promise(Task<val> task, BrowserRuntime& rt) {
  val d = val::take_ownership(ls_promise_with_resolvers());
  rt.spawn(settle(std::move(task), d["resolve"], d["reject"]), "to_promise").detach();
  return d["promise"];
}

}  // namespace loopscope

// Called by the reaction job of an awaited promise; takes the handle of its value or reason.
void loopscope_promise_settled(uint32_t slot, uint32_t generation, int fulfilled, EM_VAL value) {
  loopscope::BrowserRuntime::RunAtEndOfCallback run_woken_task_here;
  val v = val::take_ownership(value);
  auto& all = loopscope::settlements();
  if (slot >= all.slots.size()) return;
  loopscope::Settlement& s = all.slots[slot];
  if (s.generation != generation) return;  // the awaiting future was dropped
  s.settled = true;
  s.fulfilled = fulfilled != 0;
  s.value = std::move(v);
  loopscope::Waker w = std::move(s.waker);
  w.wake();
}
