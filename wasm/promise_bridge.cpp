#include "wasm/promise_bridge.hpp"

#include <emscripten/bind.h>

#include <exception>
#include <unordered_map>

using emscripten::val;

namespace loopscope {

namespace {

// Settlements of promises awaited by PromiseFutures, by id. Single-threaded (the page).
struct Settlement {
  bool settled = false;
  bool fulfilled = false;
  val value = val::undefined();
  Waker waker;
};
std::unordered_map<uint32_t, Settlement>& settlements() {
  static auto* map = new std::unordered_map<uint32_t, Settlement>();
  return *map;
}
uint32_t next_id = 0;

// Called by the promise's reaction job (bound with the id and the outcome).
void on_settled(uint32_t id, bool fulfilled, val value) {
  auto it = settlements().find(id);
  if (it == settlements().end()) return;  // the awaiting future was dropped
  it->second.settled = true;
  it->second.fulfilled = fulfilled;
  it->second.value = std::move(value);
  Waker w = std::move(it->second.waker);
  w.wake();
}

// The resolve/reject pair of a Promise made by to_promise, captured by its executor.
struct Resolvers {
  val resolve = val::undefined();
  val reject = val::undefined();
};
std::unordered_map<uint32_t, Resolvers>& resolvers() {
  static auto* map = new std::unordered_map<uint32_t, Resolvers>();
  return *map;
}
void on_executor(uint32_t id, val resolve, val reject) { resolvers()[id] = Resolvers{std::move(resolve), std::move(reject)}; }

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
  }
  reject(reason);
}

}  // namespace

JsError::JsError(val reason) : std::runtime_error(describe(reason)), reason_(std::move(reason)) {}

PromiseFuture::~PromiseFuture() {
  if (id_) settlements().erase(id_);
}

Poll<val> PromiseFuture::poll(Context& cx) {
  if (!id_) {
    id_ = ++next_id;
    settlements()[id_].waker = cx.waker();
    val settle_fn = val::module_property("lsPromiseSettled");
    val on_ok = settle_fn.call<val>("bind", val::null(), id_, true);
    val on_err = settle_fn.call<val>("bind", val::null(), id_, false);
    val::global("Promise").call<val>("resolve", promise_).call<void>("then", on_ok, on_err);
    return pending;
  }
  Settlement& s = settlements()[id_];
  if (!s.settled) {
    if (!s.waker.will_wake(cx.waker())) s.waker = cx.waker();
    return pending;
  }
  val value = std::move(s.value);
  bool fulfilled = s.fulfilled;
  settlements().erase(id_);
  id_ = 0;
  if (!fulfilled) throw JsError(std::move(value));
  return Poll<val>(std::move(value));
}

Task<val> from_promise(val promise) { co_return co_await PromiseFuture(std::move(promise)); }

val to_promise(Task<val> task, BrowserRuntime& rt) {
  uint32_t id = ++next_id;
  val executor = val::module_property("lsPromiseExecutor").call<val>("bind", val::null(), id);
  val promise = val::global("Promise").new_(executor);  // runs the executor synchronously
  Resolvers r = std::move(resolvers()[id]);
  resolvers().erase(id);
  rt.spawn(settle(std::move(task), std::move(r.resolve), std::move(r.reject)), "to_promise").detach();
  return promise;
}

}  // namespace loopscope

EMSCRIPTEN_BINDINGS(loopscope_promise_bridge) {
  emscripten::function("lsPromiseSettled", &loopscope::on_settled);
  emscripten::function("lsPromiseExecutor", &loopscope::on_executor);
}
