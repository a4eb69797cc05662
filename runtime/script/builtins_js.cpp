// JavaScript-flavoured builtins (spec section 7) outside profile node: promises whose reactions
// run on the runtime's microtask queue (drained after every task poll), queue_microtask and
// next_tick (the same queue), and timers that are tasks sleeping then calling their function.
#include <chrono>

#include "runtime/sched/scheduler.hpp"
#include "runtime/script/builtins_impl.hpp"
#include "runtime/time/sleep.hpp"

namespace loopscope::script::builtin {

namespace {

// Runs `fn(args)` later, after the current poll, holding the values alive meanwhile.
void queue_call(VM& vm, std::vector<Value> values, void (*body)(VM&, std::vector<Value>&)) {
  Scheduler* s = Scheduler::current();
  List* keep = vm.new_list();  // the values, reachable from a pinned list until the job ran
  keep->items = std::move(values);
  vm.pin(keep);
  VM* vmp = &vm;
  s->queue_microtask([vmp, keep, body] {
    std::lock_guard<VmLock> g(vmp->lock());
    vmp->unpin(keep);
    if (!vmp->stopped()) body(*vmp, keep->items);
  });
}

// A reaction job: calls the handler with the settled value and settles the derived promise.
void run_reaction(VM& vm, std::vector<Value>& v) {
  Value handler = v[0], value = v[2];
  auto* derived = as<PromiseObj>(v[1]);
  bool fulfilled = v[3].as.b;
  if (handler.is_nil()) {  // no handler for this outcome (or an adoption): pass it on
    derived->adopting = false;
    fulfilled ? resolve_promise(vm, derived, value) : reject_promise(vm, derived, value);
    return;
  }
  Waker none;
  Context cx(none);
  Value result;
  if (vm.call_function(handler, {value}, result, cx)) {
    resolve_promise(vm, derived, result);
  } else if (!vm.stopped()) {
    reject_promise(vm, derived, result);
  }
}

void queue_reaction(VM& vm, const PromiseObj::Reaction& r, bool fulfilled, Value value) {
  queue_call(vm, {fulfilled ? r.on_fulfilled : r.on_rejected, Value::object(r.derived), value, Value::boolean(fulfilled)},
             run_reaction);
}

void settle(VM& vm, PromiseObj* p, PromiseObj::State state, Value v) {
  if (p->state != PromiseObj::State::Pending) return;
  p->state = state;
  p->value = v;
  for (const auto& r : p->reactions) queue_reaction(vm, r, state == PromiseObj::State::Fulfilled, v);
  p->reactions.clear();
  for (Waker& w : p->awaiters) w.wake();
  p->awaiters.clear();
}

// Registers a reaction of `p` that settles `derived`.
PromiseObj* then_into(VM& vm, PromiseObj* p, Value on_fulfilled, Value on_rejected, PromiseObj* derived) {
  PromiseObj::Reaction r{on_fulfilled, on_rejected, derived};
  if (p->state == PromiseObj::State::Pending) {
    p->reactions.push_back(r);
  } else {
    queue_reaction(vm, r, p->state == PromiseObj::State::Fulfilled, p->value);
  }
  return derived;
}

PromiseObj* then(VM& vm, PromiseObj* p, Value on_fulfilled, Value on_rejected) {
  return then_into(vm, p, on_fulfilled, on_rejected, vm.heap().make<PromiseObj>());
}

void run_callback(VM& vm, std::vector<Value>& v) {
  Waker none;
  Context cx(none);
  Value result;
  if (!vm.call_function(v[0], {}, result, cx) && !vm.stopped()) {
    vm.stop(StopKind::Error, "error in a microtask callback: " + to_display_string(is_obj(result, ObjType::Map) && as<Map>(result)->find(vm.string("message"))
                                                                                     ? *as<Map>(result)->find(vm.string("message"))
                                                                                     : result));
  }
}

// A timer as a task: sleeps, calls fn, and for an interval starts again.
struct TimerCall final : FutureObj {
  TimerCall(Value f, double ms, bool repeat) : fn(f), ms(ms), repeat(repeat), sleep(Duration(static_cast<int64_t>(ms * 1e6))) {}
  Value fn;
  double ms;
  bool repeat;
  Sleep sleep;
  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    for (;;) {
      if (sleep.poll(cx).is_pending()) return PollStatus::Pending;
      Value result;
      if (!vm.call_function(fn, {}, result, cx)) {
        out = result;
        return PollStatus::Error;
      }
      if (!repeat || vm.stopped()) {
        out = Value::nil();
        return PollStatus::Ready;
      }
      sleep.reset(*sleep.deadline_ns() + static_cast<uint64_t>(ms * 1e6));
    }
  }
  void trace(Marker& m) override { m.mark(fn); }
  std::string describe() const override { return std::string(repeat ? "set_interval(" : "set_timeout(") + format_number(ms) + ")"; }
};

bool start_timer(VM& vm, CallArgs& args, Value& out, const char* name, bool repeat, bool immediate) {
  if (!arg_function(vm, args, 0, name)) return false;
  double ms = 0;
  if (!immediate && args.count >= 2 && !args[1].is_nil() && !arg_ms(vm, args, 1, name, ms)) return false;
  auto* timer = vm.heap().make<TimerCall>(args[0], ms, repeat);
  TaskObj* t = vm.spawn(Value::object(timer), name);
  if (!t) return false;
  out = Value::integer(static_cast<int64_t>(t->id));
  return true;
}

bool stop_timer(VM& vm, CallArgs& args, Value& out) {
  out = Value::nil();
  if (!args[0].is_int()) return true;  // like JavaScript: clearing nothing is fine
  uint64_t id = static_cast<uint64_t>(args[0].as.i);
  vm.for_each_live_task([&](TaskObj* t) {
    if (t->id == id) t->handle.abort();
  });
  return true;
}

}  // namespace

void resolve_promise(VM& vm, PromiseObj* p, Value v) {
  if (p->state != PromiseObj::State::Pending || p->adopting) return;
  if (is_obj(v, ObjType::Promise)) {
    auto* inner = as<PromiseObj>(v);
    if (inner == p) {
      settle(vm, p, PromiseObj::State::Rejected, vm.error_value("a promise cannot be resolved with itself"));
      return;
    }
    // Adopt the other promise's outcome when it settles; until then p cannot be resolved again.
    p->adopting = true;
    then_into(vm, inner, Value::nil(), Value::nil(), p);
    return;
  }
  settle(vm, p, PromiseObj::State::Fulfilled, v);
}

void reject_promise(VM& vm, PromiseObj* p, Value e) {
  if (p->state != PromiseObj::State::Pending || p->adopting) return;
  settle(vm, p, PromiseObj::State::Rejected, e);
}

LOOPSCOPE_BUILTIN(promise) {
  (void)args;
  out = make<PromiseObj>(vm);
  return true;
}

LOOPSCOPE_BUILTIN(resolved) {
  auto* p = vm.heap().make<PromiseObj>();
  resolve_promise(vm, p, args[0]);
  out = Value::object(p);
  return true;
}

LOOPSCOPE_BUILTIN(rejected) {
  auto* p = vm.heap().make<PromiseObj>();
  reject_promise(vm, p, args[0]);
  out = Value::object(p);
  return true;
}

bool promise_method(VM& vm, MethodId id, CallArgs& args, Value& out) {
  auto* p = as<PromiseObj>(args.self);
  out = Value::nil();
  switch (id) {
    case MethodId::resolve: resolve_promise(vm, p, args[0]); return true;
    case MethodId::reject: reject_promise(vm, p, args[0]); return true;
    case MethodId::then:
      out = Value::object(then(vm, p, args[0], args[1]));
      return true;
    case MethodId::catch_:
      out = Value::object(then(vm, p, Value::nil(), args[0]));
      return true;
    default: return no_such_method(vm, args.self, id);
  }
}

LOOPSCOPE_BUILTIN(queue_microtask) {
  if (!arg_function(vm, args, 0, "queue_microtask")) return false;
  queue_call(vm, {args[0]}, run_callback);
  out = Value::nil();
  return true;
}

LOOPSCOPE_BUILTIN(next_tick) {
  if (!arg_function(vm, args, 0, "next_tick")) return false;
  queue_call(vm, {args[0]}, run_callback);
  out = Value::nil();
  return true;
}

LOOPSCOPE_BUILTIN(set_timeout) { return start_timer(vm, args, out, "set_timeout", false, false); }
LOOPSCOPE_BUILTIN(set_interval) { return start_timer(vm, args, out, "set_interval", true, false); }
LOOPSCOPE_BUILTIN(set_immediate) { return start_timer(vm, args, out, "set_immediate", false, true); }
LOOPSCOPE_BUILTIN(clear_timeout) { return stop_timer(vm, args, out); }
LOOPSCOPE_BUILTIN(clear_interval) { return stop_timer(vm, args, out); }

}  // namespace loopscope::script::builtin
