// The Promise bridge (wasm/promise_bridge.hpp) on BrowserRuntime::global() under Node: every
// test awaits or produces real JavaScript promises settled by the event loop. The JS side (the
// promises, an outcome observer and the guards against a stuck run) is bridge_tests.js.
//
//   node --no-experimental-fetch bridge_tests.js     exit status 0 when every check passed
//
// main hands the thread back to the event loop (run_to_exit); when the tests are done the
// process exits with their status.
#include <emscripten/val.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/future/yield_now.hpp"
#include "runtime/platform/entry.hpp"
#include "wasm/promise_bridge.hpp"

using emscripten::val;
using namespace loopscope;

namespace {

int failures = 0;
void check(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
  if (!ok) ++failures;
}

val js() { return val::module_property("bridgeTest"); }
val js_error(const char* message) { return val::global("Error").new_(std::string(message)); }
std::string str(const val& v) { return val::global("String")(v).as<std::string>(); }

// (a) 1000 tasks, each awaiting its own promise; the promises settle in a scrambled order.

constexpr int kTasks = 1000;
struct Tally {
  int waiting = 0, max_waiting = 0, finished = 0;
  int wrong_value = 0;  // got a value other than {index: i}
  int early = 0;        // resumed before JS settled its promise
};

Task<void> await_own_promise(int i, Tally& t) {
  val promise = js().call<val>("promise", i);
  t.max_waiting = std::max(t.max_waiting, ++t.waiting);
  val value = co_await from_promise(promise);
  --t.waiting;
  if (!js().call<bool>("isSettled", i)) ++t.early;
  if (!value["index"].isNumber() || value["index"].as<int>() != i) ++t.wrong_value;
  ++t.finished;
}

Task<void> many_concurrent_promises() {
  js().call<void>("makeScrambled", kTasks);
  Tally t;
  std::vector<JoinHandle<void>> handles;
  for (int i = 0; i < kTasks; ++i) handles.push_back(BrowserRuntime::global().spawn(await_own_promise(i, t)));
  for (int turn = 0; turn < 10 && t.waiting < kTasks; ++turn) co_await yield_now();  // all start waiting
  check(t.finished == 0, "no task finished before any promise settled");
  js().call<void>("settleScrambled");
  for (auto& h : handles) co_await std::move(h);
  check(t.max_waiting == kTasks, std::to_string(t.max_waiting) + " tasks were waiting at once");
  check(t.finished == kTasks, std::to_string(t.finished) + " of " + std::to_string(kTasks) + " tasks finished");
  check(t.wrong_value == 0, std::to_string(t.wrong_value) + " tasks got another task's value");
  check(t.early == 0, std::to_string(t.early) + " tasks resumed before their promise settled");
}

// (b) A rejection arrives as a thrown JsError carrying the original reason.

// The JsError that awaiting `promise` threw, or nothing if it fulfilled.
Task<std::optional<JsError>> rejection_of(val promise) {
  try {
    co_await from_promise(std::move(promise));
  } catch (const JsError& e) {
    co_return e;
  }
  co_return std::nullopt;
}

Task<void> rejections() {
  val error = js_error("boom");
  auto e = co_await rejection_of(js().call<val>("rejectLater", error, 5));
  check(e && e->reason().strictlyEquals(error), "a later rejection with an Error: reason() is that Error object");
  check(e && std::string(e->what()) == "boom", "  and what() is its message");

  e = co_await rejection_of(val::global("Promise").call<val>("reject", error));
  check(e && e->reason().strictlyEquals(error), "an already rejected promise: reason() is the Error object");

  e = co_await rejection_of(js().call<val>("rejectLater", 42, 5));
  check(e && e->reason().isNumber() && e->reason().as<double>() == 42, "a rejection with the number 42: reason() is 42");
  check(e && std::string(e->what()) == "42", "  and what() is \"42\"");

  e = co_await rejection_of(val::global("Promise").call<val>("reject", std::string("nope")));
  check(e && e->reason().isString() && e->reason().as<std::string>() == "nope",
        "a rejection with the string \"nope\": reason() is \"nope\"");

  e = co_await rejection_of(js().call<val>("resolveLater", 7, 5));
  check(!e, "a fulfilled promise throws nothing");
}

// (c) to_promise: the JS promise settles as the task ended.

Task<void> pause() { co_await from_promise(js().call<val>("resolveLater", 0, 2)); }

Task<val> throws_runtime_error() {
  co_await pause();
  throw std::runtime_error("bad thing");
}
Task<val> throws_js_error(val reason) {
  co_await pause();
  throw JsError(std::move(reason));
}
Task<val> throws_an_int() {
  co_await pause();
  throw 5;
}
Task<val> passes_rejection_on(val reason) { co_return co_await from_promise(js().call<val>("rejectLater", reason, 2)); }
Task<val> returns_later(val value) {
  co_await pause();
  co_return value;
}
Task<val> returns_at_once(val value) { co_return value; }

// How JS sees `promise` settle: {status: 'fulfilled', value} or {status: 'rejected', reason}.
Task<val> outcome_of(val promise) { co_return co_await from_promise(js().call<val>("outcome", promise)); }

Task<void> to_promise_settles() {
  val o = co_await outcome_of(to_promise(throws_runtime_error()));
  check(str(o["status"]) == "rejected" && o["reason"].instanceof(val::global("Error")),
        "a task throwing std::runtime_error: the promise rejects with an Error");
  check(str(o["reason"]["message"]) == "bad thing", "  whose message is what(): " + str(o["reason"]["message"]));

  o = co_await outcome_of(to_promise(throws_an_int()));
  check(str(o["status"]) == "rejected" && o["reason"].instanceof(val::global("Error")),
        "a task throwing an int: the promise rejects with an Error: " + str(o["reason"]));

  val reason = val::object();
  reason.set("code", 7);
  o = co_await outcome_of(to_promise(throws_js_error(reason)));
  check(str(o["status"]) == "rejected" && o["reason"].strictlyEquals(reason),
        "a task throwing JsError(reason): the promise rejects with that very reason object");

  o = co_await outcome_of(to_promise(passes_rejection_on(val(42))));
  check(str(o["status"]) == "rejected" && o["reason"].strictlyEquals(val(42)),
        "a task passing on an awaited rejection (42): the promise rejects with 42");

  val value = val::object();
  o = co_await outcome_of(to_promise(returns_later(value)));
  check(str(o["status"]) == "fulfilled" && o["value"].strictlyEquals(value),
        "a task returning a value after a pause: the promise fulfils with that object");

  o = co_await outcome_of(to_promise(returns_at_once(val(std::string("now")))));
  check(str(o["status"]) == "fulfilled" && str(o["value"]) == "now",
        "a task returning at once: the promise fulfils with \"now\"");
}

// (d) A waiter dropped before its promise settles: the late settlement is ignored.

Task<void> dropped_waiter() {
  auto handle = BrowserRuntime::global().spawn(from_promise(js().call<val>("resolveLater", 1, 5)));
  co_await yield_now();  // let it start waiting
  handle.abort();
  bool aborted = false;
  try {
    co_await std::move(handle);
  } catch (const TaskAborted&) {
    aborted = true;
  }
  check(aborted, "an aborted waiter ends with TaskAborted");
  val after = co_await from_promise(js().call<val>("resolveLater", 2, 20));  // the first settles meanwhile
  check(after.as<int>() == 2, "a later await works after the dropped waiter's promise settled");
}

Task<int> all_tests() {
  co_await many_concurrent_promises();
  co_await rejections();
  co_await to_promise_settles();
  co_await dropped_waiter();
  std::printf("%s: %d failed\n", failures ? "FAIL" : "PASS", failures);
  co_return failures ? 1 : 0;
}

}  // namespace

int main() { return run_to_exit(all_tests()); }
