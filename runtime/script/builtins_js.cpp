// JavaScript-flavoured builtins (spec section 7) outside profile node: promises whose reactions
// run on the runtime's microtask queue (drained after every task poll), queue_microtask and
// next_tick (the same queue), and timers that are tasks sleeping then calling their function.
#include <chrono>

#include "runtime/sched/node_loop.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/script/builtins_impl.hpp"
#include "runtime/time/sleep.hpp"

namespace loopscope::script::builtin {

namespace {

// Values kept alive (pinned) for as long as a callback held outside the VM exists. It may be
// destroyed on any thread (a worker dropping a microtask, a loop dropping a timer): unpinning
// takes the VM lock.
class Pinned {
 public:
  Pinned(VM& vm, std::vector<Value> values) : vm_(&vm) {
    List* list = vm.new_list();
    list->items = std::move(values);
    pin_ = vm.pin(list);
  }
  Pinned(Pinned&& o) noexcept : vm_(o.vm_), pin_(std::exchange(o.pin_, kNone)) {}
  Pinned& operator=(Pinned&&) = delete;
  ~Pinned() {
    if (pin_ == kNone) return;
    std::lock_guard<VmLock> g(vm_->lock());
    vm_->unpin(pin_);
  }
  std::vector<Value>& values() const noexcept { return static_cast<List*>(vm_->pinned(pin_))->items; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  VM* vm_;
  uint32_t pin_;  // (the list is the pin's object: two words keep a job inline in its Microtask)
};

// Runs `body(values)` as a microtask (a promise job), holding the values alive meanwhile. The
// script function it calls may be held (profile node): the job is then called again to go on.
void queue_call(VM& vm, std::vector<Value> values, void (*body)(VM&, std::vector<Value>&, HeldCall&)) {
  Scheduler* s = Scheduler::current();
  VM* vmp = &vm;
  auto job = [vmp, keep = Pinned(vm, std::move(values)), body, call = HeldCall()]() mutable {
    std::lock_guard<VmLock> g(vmp->lock());
    if (!vmp->stopped()) body(*vmp, keep.values(), call);
  };
  static_assert(sizeof(job) <= 48, "a promise job is stored inline in its Microtask (no allocation)");
  s->queue_microtask(std::move(job));
}

// A reaction job: calls the handler with the settled value and settles the derived promise.
void run_reaction(VM& vm, std::vector<Value>& v, HeldCall& call) {
  Value handler = v[0], value = v[2];
  auto* derived = as<PromiseObj>(v[1]);
  bool fulfilled = v[3].as.b;
  if (handler.is_nil()) {  // no handler for this outcome (or an adoption): pass it on
    derived->adopting = false;
    fulfilled ? resolve_promise(vm, derived, value) : reject_promise(vm, derived, value);
    return;
  }
  Value result;
  CallStatus st = vm.call_holdable(call, handler, {value}, result);
  if (st == CallStatus::Done) {
    resolve_promise(vm, derived, result);
  } else if (st == CallStatus::Failed && !vm.stopped()) {
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
  if (state == PromiseObj::State::Rejected && !p->handled) vm.note_rejection(p);
  // In registration order: handlers become jobs, awaiting tasks are woken (in profile node
  // that too queues one job).
  std::vector<PromiseObj::Reaction> reactions = std::move(p->reactions);
  p->reactions.clear();
  for (PromiseObj::Reaction& r : reactions) {
    if (r.waker) {
      r.waker.wake();
    } else {
      queue_reaction(vm, r, state == PromiseObj::State::Fulfilled, v);
    }
  }
}

Value callable_or_nil(const Value& v) {
  return is_obj(v, ObjType::Closure) || is_obj(v, ObjType::Builtin) ? v : Value::nil();
}

// Registers a reaction of `p` that settles `derived`.
PromiseObj* then_into(VM& vm, PromiseObj* p, Value on_fulfilled, Value on_rejected, PromiseObj* derived) {
  PromiseObj::Reaction r;
  r.on_fulfilled = callable_or_nil(on_fulfilled);
  r.on_rejected = callable_or_nil(on_rejected);
  r.derived = derived;
  p->handled = true;
  if (p->state == PromiseObj::State::Pending) {
    p->reactions.push_back(std::move(r));
  } else {
    queue_reaction(vm, r, p->state == PromiseObj::State::Fulfilled, p->value);
  }
  return derived;
}

PromiseObj* then(VM& vm, PromiseObj* p, Value on_fulfilled, Value on_rejected) {
  return then_into(vm, p, on_fulfilled, on_rejected, vm.heap().make<PromiseObj>());
}

// The `then` function of a thenable (a map with a callable `then`), or nil.
Value thenable_then(VM& vm, const Value& v) {
  if (!is_obj(v, ObjType::Map)) return Value::nil();
  Value* then_fn = as<Map>(v)->find(vm.string("then"));
  return then_fn ? callable_or_nil(*then_fn) : Value::nil();
}

// ---- resolving functions: builtins bound to [promise, already resolved] ----------------------

bool resolving_call(VM& vm, CallArgs& args, Value& out, bool fulfil) {
  out = Value::nil();
  List* rec = as<List>(args.self);
  if (rec->items[1].as.b) return true;  // a pair of resolving functions acts once
  rec->items[1] = Value::boolean(true);
  auto* p = as<PromiseObj>(rec->items[0]);
  p->adopting = false;
  fulfil ? resolve_promise(vm, p, args[0]) : reject_promise(vm, p, args[0]);
  return true;
}
bool resolve_fn(VM& vm, CallArgs& args, Value& out) { return resolving_call(vm, args, out, true); }
bool reject_fn(VM& vm, CallArgs& args, Value& out) { return resolving_call(vm, args, out, false); }

std::pair<Value, Value> resolving_functions(VM& vm, PromiseObj* p) {
  List* rec = vm.new_list();
  rec->items = {Value::object(p), Value::boolean(false)};
  return {make<Builtin>(vm, "resolve", resolve_fn, Value::object(rec)), make<Builtin>(vm, "reject", reject_fn, Value::object(rec))};
}

// NewPromiseResolveThenableJob: v = [promise, thenable, then], and once the call began, its
// resolving functions (a held call goes on with the same ones).
void run_thenable_job(VM& vm, std::vector<Value>& v, HeldCall& call) {
  if (v.size() == 3) {
    auto [res, rej] = resolving_functions(vm, as<PromiseObj>(v[0]));
    v.push_back(res);
    v.push_back(rej);
  }
  Value result;
  if (vm.call_holdable(call, v[2], {v[3], v[4]}, result) == CallStatus::Failed && !vm.stopped()) {
    CallArgs args{&result, 1, as<Builtin>(v[4])->bound};
    Value ignored;
    reject_fn(vm, args, ignored);
  }
}

// Adopting a native promise is the same job with the native then: a reaction that settles p.
void run_adopt_job(VM& vm, std::vector<Value>& v, HeldCall&) {
  then_into(vm, as<PromiseObj>(v[1]), Value::nil(), Value::nil(), as<PromiseObj>(v[0]));
}

// A callback run by the loop (a microtask, next tick, timer or immediate): an uncaught error in
// it ends the program, as an uncaught exception ends a Node.js process.
void call_callback(VM& vm, HeldCall& call, Value fn, const char* what) {
  Value result;
  if (vm.call_holdable(call, fn, {}, result) == CallStatus::Failed && !vm.stopped())
    vm.stop(StopKind::Error, std::string("error in a ") + what + " callback: " + error_text(result));
}

void run_callback(VM& vm, std::vector<Value>& v, HeldCall& call) { call_callback(vm, call, v[0], "microtask"); }

// Profile node: `fn` as a macrotask or next tick of the loop.
NodeLoop::Callback loop_callback(VM& vm, Value fn, const char* what) {
  VM* vmp = &vm;
  return [vmp, keep = Pinned(vm, {fn}), what, call = HeldCall()]() mutable {
    std::lock_guard<VmLock> g(vmp->lock());
    if (!vmp->stopped()) call_callback(*vmp, call, keep.values()[0], what);
  };
}

// Profile node: a callback of the loop that settles `p` with `value`.
NodeLoop::Callback settle_later(VM& vm, PromiseObj* p, Value value) {
  VM* vmp = &vm;
  return [vmp, keep = Pinned(vm, {Value::object(p), value})] {
    std::lock_guard<VmLock> g(vmp->lock());
    if (!vmp->stopped()) resolve_promise(*vmp, as<PromiseObj>(keep.values()[0]), keep.values()[1]);
  };
}

// A timer as a task: sleeps, calls fn, and for an interval starts again.
struct TimerCall final : FutureObj {
  TimerCall(Value f, double ms, bool repeat) : fn(f), ms(ms), repeat(repeat), sleep(Duration(static_cast<int64_t>(ms * 1e6))) {}
  Value fn;
  double ms;
  bool repeat;
  Sleep sleep;
  HeldCall call;  // fn's call, held with the task's poll
  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    for (;;) {
      if (!call.held() && sleep.poll(cx).is_pending()) return PollStatus::Pending;
      Value result;
      CallStatus st = vm.call_holdable(call, fn, {}, result);
      if (st == CallStatus::Held) return PollStatus::Pending;  // the poll is held (or preempted) with it
      if (st == CallStatus::Failed) {
        out = result;
        return PollStatus::Error;
      }
      if (!repeat || vm.stopped()) {
        out = Value::nil();
        return PollStatus::Ready;
      }
      // Cleared by its own callback: no further call, even when the next one is due already
      // (the task is dropped at this suspension).
      if (vm.current_task()->handle.abort_requested()) return PollStatus::Pending;
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
  if (NodeLoop* loop = vm.node_loop()) {
    out = Value::nil();
    if (immediate) {
      loop->set_immediate(loop_callback(vm, args[0], "set_immediate"));
    } else {
      out = Value::integer(static_cast<int64_t>(loop->set_timer(ms, loop_callback(vm, args[0], name), repeat)));
    }
    return true;
  }
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
  if (NodeLoop* loop = vm.node_loop()) {
    loop->clear_timer(id);
    return true;
  }
  vm.for_each_live_task([&](TaskObj* t) {
    if (t->id == id) t->handle.abort();
  });
  return true;
}

}  // namespace

void resolve_promise(VM& vm, PromiseObj* p, Value v) {
  if (p->state != PromiseObj::State::Pending || p->adopting) return;
  if (is_obj(v, ObjType::Promise)) {
    if (as<PromiseObj>(v) == p) {
      settle(vm, p, PromiseObj::State::Rejected, vm.error_value("a promise cannot be resolved with itself"));
      return;
    }
    // ECMAScript: a job calls the other promise's then, which settles p a job after it settled.
    p->adopting = true;
    queue_call(vm, {Value::object(p), v}, run_adopt_job);
    return;
  }
  Value then_fn = thenable_then(vm, v);
  if (!then_fn.is_nil()) {
    p->adopting = true;
    queue_call(vm, {Value::object(p), v, then_fn}, run_thenable_job);
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
  if (is_obj(args[0], ObjType::Promise)) {  // Promise.resolve(p) is p
    out = args[0];
    return true;
  }
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
  if (NodeLoop* loop = vm.node_loop()) {
    loop->queue_next_tick(loop_callback(vm, args[0], "next_tick"));
    out = Value::nil();
    return true;
  }
  queue_call(vm, {args[0]}, run_callback);
  out = Value::nil();
  return true;
}

LOOPSCOPE_BUILTIN(set_timeout) { return start_timer(vm, args, out, "set_timeout", false, false); }
LOOPSCOPE_BUILTIN(set_interval) { return start_timer(vm, args, out, "set_interval", true, false); }
LOOPSCOPE_BUILTIN(set_immediate) { return start_timer(vm, args, out, "set_immediate", false, true); }
LOOPSCOPE_BUILTIN(clear_timeout) { return stop_timer(vm, args, out); }
LOOPSCOPE_BUILTIN(clear_interval) { return stop_timer(vm, args, out); }

// ---- profile node: promise-returning builtins -------------------------------------------------

Value node_timer_promise(VM& vm, double ms) {
  auto* p = vm.heap().make<PromiseObj>();
  vm.node_loop()->set_timer(ms, settle_later(vm, p, Value::nil()));
  return Value::object(p);
}

Value node_immediate_promise(VM& vm) {
  auto* p = vm.heap().make<PromiseObj>();
  vm.node_loop()->set_immediate(settle_later(vm, p, Value::nil()));
  return Value::object(p);
}

Value node_io_promise(VM& vm, Value name, double ms) {
  auto* p = vm.heap().make<PromiseObj>();
  vm.node_loop()->add_io(ms, settle_later(vm, p, name));
  return Value::object(p);
}

namespace {

// PromiseResolve(v): v itself for a promise, else a new promise resolved with v.
PromiseObj* promise_resolve(VM& vm, const Value& v) {
  if (is_obj(v, ObjType::Promise)) return as<PromiseObj>(v);
  auto* p = vm.heap().make<PromiseObj>();
  resolve_promise(vm, p, v);
  return p;
}

// Promise.all's resolve-element functions: bound to [shared, index, -, -, called], where shared
// is [results, remaining, the all() promise].
bool all_element_fn(VM& vm, CallArgs& args, Value& out) {
  out = Value::nil();
  List* rec = as<List>(args.self);
  if (rec->items[4].as.b) return true;
  rec->items[4] = Value::boolean(true);
  List* shared = as<List>(rec->items[0]);  // [results, remaining, promise, resolve]
  as<List>(shared->items[0])->items[static_cast<size_t>(rec->items[1].as.i)] = args[0];
  if (--shared->items[1].as.i == 0) resolve_promise(vm, as<PromiseObj>(shared->items[2]), shared->items[0]);
  return true;
}

}  // namespace

Value promise_all(VM& vm, List* items) {
  auto* result = vm.heap().make<PromiseObj>();
  auto [res, rej] = resolving_functions(vm, result);
  (void)res;
  List* values = vm.new_list();
  values->items.assign(items->items.size(), Value::nil());
  List* shared = vm.new_list();
  shared->items = {Value::object(values), Value::integer(static_cast<int64_t>(items->items.size()) + 1), Value::object(result)};
  for (size_t i = 0; i < items->items.size(); ++i) {
    List* rec = vm.new_list();
    rec->items = {Value::object(shared), Value::integer(static_cast<int64_t>(i)), Value::nil(), Value::nil(), Value::boolean(false)};
    Value element = make<Builtin>(vm, "resolve_element", all_element_fn, Value::object(rec));
    then(vm, promise_resolve(vm, items->items[i]), element, rej);
  }
  // The count starts at one more, taken off last: all([]) resolves at once.
  if (--shared->items[1].as.i == 0) resolve_promise(vm, result, Value::object(values));
  return Value::object(result);
}

bool is_thenable(VM& vm, const Value& v) { return !thenable_then(vm, v).is_nil(); }

Value promise_race(VM& vm, List* items) {
  auto* result = vm.heap().make<PromiseObj>();
  auto [res, rej] = resolving_functions(vm, result);
  for (const Value& v : items->items) then(vm, promise_resolve(vm, v), res, rej);
  return Value::object(result);
}

}  // namespace loopscope::script::builtin
