// Builtins of tasks, time and synchronisation: sleep, yield_now, all/race/select/timeout,
// spawn_blocking, work, block, io, fetch, coroutines, channels, mutexes, semaphores, notify.
// Each future wraps the runtime's own future, so a script operation is the runtime operation.
#include <chrono>
#include <thread>

#include "runtime/future/yield_now.hpp"
#include "runtime/platform/sim/sim_world.hpp"
#include "runtime/sched/blocking.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/script/builtins_impl.hpp"
#include "runtime/script/platform_io.hpp"
#include "runtime/time/clock.hpp"
#include "runtime/time/sleep.hpp"

namespace loopscope::script::builtin {

namespace {

Duration ms_to_duration(double ms) { return Duration(static_cast<int64_t>(ms * 1e6)); }

// ---- leaf futures over runtime futures --------------------------------------------------------

struct SleepFuture final : FutureObj {
  explicit SleepFuture(double ms) : ms(ms), sleep(ms_to_duration(ms)) {}
  double ms;
  Sleep sleep;
  PollStatus poll(VM&, Context& cx, Value& out) override {
    if (sleep.poll(cx).is_pending()) return PollStatus::Pending;
    out = Value::nil();
    return PollStatus::Ready;
  }
  void cancel(VM&) override { sleep.cancel(); }
  std::string describe() const override { return "sleep(" + format_number(ms) + ")"; }
};

// Go's block(): a system call that hands the worker (the P) to other goroutines meanwhile.
struct HandoffFuture final : FutureObj {
  explicit HandoffFuture(double ms) : ms(ms), sleep(ms_to_duration(ms)) {}
  double ms;
  Sleep sleep;
  bool started = false;
  PollStatus poll(VM&, Context& cx, Value& out) override {
    if (!started) {
      started = true;
      if (Scheduler* s = cx.scheduler(); s && s->trace())
        s->trace()->emit(s->worker_id(), EventKind::Handoff, cx.task_id(), static_cast<uint64_t>(ms));
    }
    if (sleep.poll(cx).is_pending()) return PollStatus::Pending;
    out = Value::nil();
    return PollStatus::Ready;
  }
  void cancel(VM&) override { sleep.cancel(); }
  std::string describe() const override { return "block(" + format_number(ms) + "), its worker handed to other tasks"; }
};

struct YieldFuture final : FutureObj {
  YieldNow yield;
  PollStatus poll(VM&, Context& cx, Value& out) override {
    if (yield.poll(cx).is_pending()) return PollStatus::Pending;
    out = Value::nil();
    return PollStatus::Ready;
  }
  std::string describe() const override { return "yield_now()"; }
};

// ---- combinators ----------------------------------------------------------------------------

// Polls one child; plain values are ready at once.
PollStatus poll_child(VM& vm, Context& cx, const Value& child, Value& out) {
  if (!awaitable(child)) {
    out = child;
    return PollStatus::Ready;
  }
  return as_future(vm, child)->poll(vm, cx, out);
}

struct Combinator : FutureObj {
  std::vector<Value> children;  // FutureObj values (tasks and promises wrapped) or plain values
  void trace(Marker& m) override {
    for (const Value& v : children) m.mark(v);
  }
  void cancel_children(VM& vm, size_t except = SIZE_MAX) {
    for (size_t i = 0; i < children.size(); ++i)
      if (i != except && is_obj(children[i], ObjType::Future)) as<FutureObj>(children[i])->cancel(vm);
  }
  void cancel(VM& vm) override { cancel_children(vm); }
};

Value wrap_children(VM& vm, Combinator* c, List* list) {
  for (const Value& v : list->items) c->children.push_back(awaitable(v) ? Value::object(as_future(vm, v)) : v);
  return Value::object(c);
}

struct AllFuture final : Combinator {
  std::vector<Value> results;
  std::vector<bool> done;
  size_t remaining = 0;
  bool rotate = false;  // tokio::join!: each poll starts one further along (its skip_next_time)
  size_t start = 0;
  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    if (done.empty() && !children.empty()) {
      results.assign(children.size(), Value::nil());
      done.assign(children.size(), false);
      remaining = children.size();
    }
    size_t first = start;
    if (rotate && !children.empty()) start = (start + 1) % children.size();
    for (size_t n = 0; n < children.size(); ++n) {
      size_t i = (first + n) % children.size();
      if (done[i]) continue;
      Value v;
      PollStatus st = poll_child(vm, cx, children[i], v);
      if (st == PollStatus::Pending) continue;
      if (st == PollStatus::Error) {  // first error wins; the rest are dropped
        cancel_children(vm, i);
        out = v;
        return PollStatus::Error;
      }
      results[i] = v;
      done[i] = true;
      --remaining;
    }
    if (remaining > 0) return PollStatus::Pending;
    List* l = vm.new_list();
    l->items = results;
    out = Value::object(l);
    return PollStatus::Ready;
  }
  void trace(Marker& m) override {
    Combinator::trace(m);
    for (const Value& v : results) m.mark(v);
  }
  std::string describe() const override { return "all(" + std::to_string(remaining) + " of " + std::to_string(children.size()) + " pending)"; }
};

struct RaceFuture final : Combinator {
  bool indexed = false;  // select(): [index, value]
  // Its channel operations wait as one: the first a sender or receiver completes is the one
  // chosen, the others are passed over (runtime/sync/channel.hpp).
  std::shared_ptr<SelectChoice> choice;
  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    if (!choice) {
      choice = std::make_shared<SelectChoice>();
      for (size_t i = 0; i < children.size(); ++i)
        if (is_obj(children[i], ObjType::Future)) as<FutureObj>(children[i])->join_select(choice, i);
    }
    // Woken by a hand-off: that operation is the one that completed, whatever else is ready.
    size_t first = choice->made && choice->winner < children.size() ? choice->winner : 0;
    for (size_t n = 0; n < children.size(); ++n) {
      size_t i = (first + n) % children.size();
      Value v;
      PollStatus st = poll_child(vm, cx, children[i], v);
      if (st == PollStatus::Pending) continue;
      if (vm.profile() == Profile::Go && !choice->made) note_other_ready_cases(vm, i);
      cancel_children(vm, i);  // the losers are dropped
      if (st == PollStatus::Ready && indexed) {
        List* l = vm.new_list();
        l->items = {Value::integer(static_cast<int64_t>(i)), v};
        v = Value::object(l);
      }
      out = v;
      children.clear();
      return st;
    }
    if (children.empty()) return PollStatus::Pending;  // race([]) never completes, like Promise.race([])
    return PollStatus::Pending;
  }
  std::string describe() const override { return std::string(indexed ? "select" : "race") + " of " + std::to_string(children.size()); }
  // Go chooses among the cases ready at once at random; here the first in list order wins.
  void note_other_ready_cases(VM& vm, size_t chosen) const {
    size_t ready = 1;
    for (size_t j = chosen + 1; j < children.size(); ++j)
      if (is_obj(children[j], ObjType::Future) && as<FutureObj>(children[j])->ready_now()) ++ready;
    if (ready > 1) vm.note_random_select(indexed ? "select" : "race", chosen, ready);
  }
};

struct TimeoutFuture final : FutureObj {
  TimeoutFuture(double ms, Value inner) : ms(ms), inner(inner), sleep(ms_to_duration(ms)) {}
  double ms;
  Value inner;
  Sleep sleep;
  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    PollStatus st = poll_child(vm, cx, inner, out);
    if (st != PollStatus::Pending) {
      sleep.cancel();  // done in time: the timer must not linger in the wheel
      return st;
    }
    if (sleep.poll(cx).is_pending()) return PollStatus::Pending;
    if (is_obj(inner, ObjType::Future)) as<FutureObj>(inner)->cancel(vm);
    out = vm.string("timeout");
    return PollStatus::Error;
  }
  void cancel(VM& vm) override {
    sleep.cancel();
    if (is_obj(inner, ObjType::Future)) as<FutureObj>(inner)->cancel(vm);
  }
  void trace(Marker& m) override { m.mark(inner); }
  std::string describe() const override { return "timeout(" + format_number(ms) + ")"; }
};

// ---- blocking work --------------------------------------------------------------------------

// Runs a plain script function on the blocking pool (natively another thread, which takes the
// VM lock while it runs script code; block() inside releases it).
struct BlockingFuture final : FutureObj {
  Value fn;
  struct Shared {
    SpinLock lock;
    bool done = false;
    bool ok = true;
    Value result;  // kept alive by BlockingFuture::trace until taken
    Waker waker;
  };
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  bool started = false;
  uint32_t pin = 0;              // while the job runs (VM::pin)
  std::unique_ptr<Fiber> fiber;  // simulation: the job's own fiber, run on a lane of the world
  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    if (!started && vm.sim()) {
      started = true;
      start_simulated(vm);
    } else if (!started) {
      started = true;
      pin = vm.pin(this);  // until the job ran: it calls `fn`, which only this future keeps alive
      VM* vmp = &vm;
      auto sh = shared;
      cx.scheduler()->run_blocking([vmp, sh, self = this] {
        Waker w;
        {
          std::lock_guard<VmLock> g(vmp->lock());
          Waker none;
          Context job_cx(none);
          Value result;
          bool ok = vmp->call_function(self->fn, {}, result, job_cx);
          {
            std::lock_guard<SpinLock> l(sh->lock);
            sh->done = true;
            sh->ok = ok;
            sh->result = result;
            w = std::move(sh->waker);
          }
          vmp->unpin(self->pin);
        }
        w.wake();
      });
    }
    std::lock_guard<SpinLock> l(shared->lock);
    if (!shared->done) {
      if (!shared->waker.will_wake(cx.waker())) shared->waker = cx.waker();
      return PollStatus::Pending;
    }
    out = shared->result;
    return shared->ok ? PollStatus::Ready : PollStatus::Error;
  }
  // In simulation the job is a lane of the world: its fiber runs when the lane's time is the
  // smallest and holds at the horizon like a task, so block()/work() inside it take virtual time
  // on the lane and its completion wakes the task at the lane's time.
  void start_simulated(VM& vm) {
    fiber = std::make_unique<Fiber>();
    fiber->task = vm.current_task();
    fiber->owner = this;
    if (!is_obj(fn, ObjType::Closure)) {  // a builtin: runs at once
      Waker none;
      Context job_cx(none);
      Value result;
      bool ok = vm.call_function(fn, {}, result, job_cx);
      finish(ok, result);
      return;
    }
    vm.start_call_fiber(*fiber, as<Closure>(fn), {}, nullptr);
    pin = vm.pin(this);
    VM* vmp = &vm;
    vm.sim()->add_lane([vmp, self = this] {
      ExecStatus st = vmp->run_slice(*self->fiber);
      if (st == ExecStatus::Paused) return false;
      Fiber& f = *self->fiber;
      bool ok = st == ExecStatus::Done;
      self->finish(ok, st == ExecStatus::Stopped ? Value::nil() : f.result);
      vmp->unpin(self->pin);
      return true;
    });
  }
  void finish(bool ok, Value result) {
    Waker w;
    {
      std::lock_guard<SpinLock> l(shared->lock);
      shared->done = true;
      shared->ok = ok;
      shared->result = result;
      w = std::move(shared->waker);
    }
    w.wake();
  }
  void trace(Marker& m) override {
    m.mark(fn);
    m.mark(shared->result);
    if (fiber) fiber->trace(m);
  }
  std::string describe() const override { return "spawn_blocking(...)"; }
};

// ---- channel, mutex, semaphore, notify operations ---------------------------------------------

// A channel send or receive: the runtime operation, made at the first poll, waiting as one
// operation of a select when it is in one (its choice).
template <class Op>
struct ChannelOp : FutureObj {
  explicit ChannelOp(ChannelObj* c) : ch(c) {}
  ChannelObj* ch;
  std::optional<Op> op;
  std::shared_ptr<SelectChoice> choice;
  size_t choice_index = 0;
  void join_select(const std::shared_ptr<SelectChoice>& c, size_t index) override {
    choice = c;
    choice_index = index;
  }
  template <class Make>
  Op& start(Make make) {  // (make: the operation, called only at the first poll)
    if (!op) {
      op.emplace(make());
      if (choice) op->join(choice.get(), choice_index);
    }
    return *op;
  }
  void cancel(VM&) override { op.reset(); }
  Obj* waits_on() const override { return ch; }
};

struct ChannelSend final : ChannelOp<Channel<Value>::Send> {
  ChannelSend(ChannelObj* c, Value v) : ChannelOp(c), value(v) {}
  Value value;  // kept for the collector until delivered
  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    try {
      if (start([&] { return ch->channel.send(value); }).poll(cx).is_pending()) return PollStatus::Pending;
    } catch (const ChannelClosed&) {
      out = vm.error_value("send on a closed channel");
      return PollStatus::Error;
    }
    op.reset();
    value = Value::nil();
    out = Value::nil();
    return PollStatus::Ready;
  }
  void trace(Marker& m) override {
    m.mark(ch);
    m.mark(value);
  }
  std::string describe() const override { return "a channel send"; }
  bool ready_now() const override { return ch->channel.send_ready(); }
};

struct ChannelRecv final : ChannelOp<Channel<Value>::Recv> {
  explicit ChannelRecv(ChannelObj* c) : ChannelOp(c) {}
  PollStatus poll(VM&, Context& cx, Value& out) override {
    auto p = start([&] { return ch->channel.recv(); }).poll(cx);
    if (p.is_pending()) return PollStatus::Pending;
    op.reset();
    auto v = p.take();
    out = v ? *v : Value::nil();  // nil once closed and drained
    return PollStatus::Ready;
  }
  void trace(Marker& m) override {
    m.mark(ch);
    if (const Value* v = op ? op->handed() : nullptr) m.mark(*v);
  }
  std::string describe() const override { return "a channel receive"; }
  bool ready_now() const override { return ch->channel.recv_ready(); }
};

// Waits for one runtime future of a sync object and gives nil: Start makes the runtime future at
// the first poll, cancelling drops it, OnReady runs once it completed.
template <class Owner, auto Start, void (*OnReady)(VM&, Owner*) = nullptr>
struct SyncWait final : FutureObj {
  SyncWait(Owner* o, const char* what) : owner(o), what(what) {}
  Owner* owner;
  const char* what;
  std::optional<decltype(Start(owner))> op;
  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    if (!op) op.emplace(Start(owner));
    if (op->poll(cx).is_pending()) return PollStatus::Pending;
    op.reset();
    if constexpr (OnReady != nullptr) OnReady(vm, owner);
    out = Value::nil();
    return PollStatus::Ready;
  }
  void cancel(VM&) override { op.reset(); }
  void trace(Marker& m) override { m.mark(owner); }
  std::string describe() const override { return what; }
  Obj* waits_on() const override { return owner; }
};

Semaphore::Acquire lock_mutex(MutexObj* m) { return m->semaphore.acquire(); }
// The holder, for deadlock reports, unlock checks and the lock_across_await lint.
void record_mutex_owner(VM& vm, MutexObj* m, bool blocking) {
  m->owner = vm.current_task();
  m->owner_line = vm.current_line();
  if (TaskObj* t = m->owner) {
    ++t->locks_held;
    t->lock_blocking = blocking;
    t->lock_line = m->owner_line;
  }
}
void record_mutex_owner(VM& vm, MutexObj* m) { record_mutex_owner(vm, m, false); }
Semaphore::Acquire acquire_permit(SemaphoreObj* s) { return s->semaphore.acquire(); }

using MutexLock = SyncWait<MutexObj, lock_mutex, record_mutex_owner>;
using SemaphoreAcquire = SyncWait<SemaphoreObj, acquire_permit>;
// n.notified(): made when called, not at its first poll, so that a notify_all in between counts.
struct Notified final : FutureObj {
  explicit Notified(NotifyObj* n) : owner(n), op(n->notify.notified()) {}
  NotifyObj* owner;
  std::optional<Notify::Notified> op;
  PollStatus poll(VM&, Context& cx, Value& out) override {
    if (!op || op->poll(cx).is_pending()) return PollStatus::Pending;
    op.reset();
    out = Value::nil();
    return PollStatus::Ready;
  }
  void cancel(VM&) override { op.reset(); }
  void trace(Marker& m) override { m.mark(owner); }
  std::string describe() const override { return "a notification"; }
  Obj* waits_on() const override { return owner; }
};

// A thread-blocking call made on a worker (for the trace and the blocking-call lint).
void trace_blocking_call(VM& vm, uint64_t what, uint64_t ns) {
  Scheduler* s = Scheduler::current();
  if (s && s->trace() && vm.current_task())
    s->trace()->emit(s->worker_id(), EventKind::BlockingCall, vm.current_task()->id, what, ns);
}

// m.lock_blocking(): the thread itself waits for the mutex (std::sync::Mutex in async code).
bool lock_blocking(VM& vm, MutexObj* m) {
  TaskObj* me = vm.current_task();
  auto acquired = [&] {
    record_mutex_owner(vm, m, true);
    if (me) me->blocked_ns = 0;
    return true;
  };
  if (m->semaphore.try_acquire()) return acquired();
  bool one_thread = vm.profile() == Profile::Basic || vm.profile() == Profile::Node;
  auto deadlock = [&] {
    std::string why = one_thread ? "the thread is blocked, so the holder can never run on it to unlock it"
                      : vm.profile() == Profile::Tokio
                          ? "this worker is blocked and the others sleep for good (in Tokio a sleeping worker does not "
                            "fire timers: only one that parks or runs its maintenance does), so the holder never unlocks it"
                          : "this worker is blocked and the others sleep for good, so the holder never unlocks it";
    vm.stop(StopKind::Deadlock, "deadlock: " + vm.describe_task(me) + " called lock_blocking() at line " +
                                    std::to_string(vm.current_line()) + " on a mutex held by " + vm.describe_task(m->owner) +
                                    (m->owner_line ? " (locked at line " + std::to_string(m->owner_line) + ")" : "") + "; " +
                                    why);
    return false;
  };
  if (SimWorld* world = vm.sim()) {
    // Another worker may run the holder: this one spins (waiting longer each time, up to 1 ms)
    // and tries again, unless no other lane can ever act again.
    if (one_thread || world->horizon() == UINT64_MAX || !me) return deadlock();
    uint64_t wait = me->blocked_ns ? std::min<uint64_t>(me->blocked_ns * 2, kNsPerMs) : 1000;
    if (me->blocked_ns == 0) trace_blocking_call(vm, 1, 0);
    me->blocked_ns = wait;
    world->charge(wait);
    vm.retry_call();
    return true;
  }
  if (one_thread) return deadlock();
  // Natively the worker thread really blocks (without the VM lock), until the holder unlocks
  // it from another worker, or the program is stopped (the time limit).
  trace_blocking_call(vm, 1, 0);
  for (;;) {
    {
      VmLock::Released released(vm.lock());
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    if (vm.stopped()) return false;
    if (m->semaphore.try_acquire()) return acquired();
  }
}

}  // namespace

// ---- functions ------------------------------------------------------------------------------

LOOPSCOPE_BUILTIN(sleep) {
  double ms;
  if (!arg_ms(vm, args, 0, "sleep", ms)) return false;
  if (vm.node_loop()) {  // a promise a timer resolves: new Promise(r => setTimeout(r, ms))
    out = node_timer_promise(vm, ms);
    return true;
  }
  out = make<SleepFuture>(vm, ms);
  return true;
}

LOOPSCOPE_BUILTIN(yield_now) {
  (void)args;
  if (vm.node_loop()) {  // Node has no run queue to go to the back of: a turn of the loop
    out = node_immediate_promise(vm);
    return true;
  }
  out = make<YieldFuture>(vm);
  return true;
}

namespace {
bool combinator(VM& vm, CallArgs& args, Value& out, const char* name, Combinator* c) {
  List* list;
  if (!arg_list(vm, args, 0, name, list)) return false;
  out = wrap_children(vm, c, list);
  return true;
}
}  // namespace

LOOPSCOPE_BUILTIN(all) {
  if (vm.node_loop()) {  // Promise.all
    List* list;
    if (!arg_list(vm, args, 0, "all", list)) return false;
    out = promise_all(vm, list);
    return true;
  }
  auto* all = vm.heap().make<AllFuture>();
  all->rotate = vm.profile() == Profile::Tokio;
  return combinator(vm, args, out, "all", all);
}
LOOPSCOPE_BUILTIN(race) {
  if (vm.node_loop()) {  // Promise.race
    List* list;
    if (!arg_list(vm, args, 0, "race", list)) return false;
    out = promise_race(vm, list);
    return true;
  }
  return combinator(vm, args, out, "race", vm.heap().make<RaceFuture>());
}
LOOPSCOPE_BUILTIN(select) {
  auto* r = vm.heap().make<RaceFuture>();
  r->indexed = true;
  return combinator(vm, args, out, "select", r);
}

LOOPSCOPE_BUILTIN(timeout) {
  double ms;
  if (!arg_ms(vm, args, 0, "timeout", ms)) return false;
  Value inner = args[1];
  if (awaitable(inner)) inner = Value::object(as_future(vm, inner));
  out = make<TimeoutFuture>(vm, ms, inner);
  return true;
}

LOOPSCOPE_BUILTIN(spawn_blocking) {
  if (!arg_function(vm, args, 0, "spawn_blocking")) return false;
  if (is_obj(args[0], ObjType::Closure) && as<Closure>(args[0])->proto->is_async)
    return vm.raise("spawn_blocking runs a plain fn (it cannot await); for async code use spawn");
  auto* f = vm.heap().make<BlockingFuture>();
  f->fn = args[0];
  out = Value::object(f);
  return true;
}

LOOPSCOPE_BUILTIN(work) {
  double ms;
  if (!arg_ms(vm, args, 0, "work", ms)) return false;
  out = Value::nil();
  auto ns = static_cast<uint64_t>(ms * 1e6);
  if (vm.sim()) {
    // The lane is busy: it holds at its next instruction while others catch up. Preemption (Go)
    // stops the burn where the time slice ends.
    vm.burn(vm.can_await() ? vm.current_task() : nullptr, ns);
    return true;
  }
  // A CPU burn: this thread stays busy for `ms` of real time. The VM lock is let go meanwhile,
  // so that other workers really run in parallel (script code is serialised, the burn is not).
  VmLock::Released released(vm.lock());
  auto until = std::chrono::steady_clock::now() + std::chrono::nanoseconds(ns);
  volatile uint64_t spin = 0;
  while (std::chrono::steady_clock::now() < until) spin = spin + 1;
  return true;
}

LOOPSCOPE_BUILTIN(block) {
  double ms;
  if (!arg_ms(vm, args, 0, "block", ms)) return false;
  out = Value::nil();
  auto ns = static_cast<uint64_t>(ms * 1e6);
  if (vm.profile() == Profile::Go && vm.can_await()) {
    // Go: the thread blocks in the system call, but its P goes to another thread and keeps
    // running goroutines. The task waits; its worker is free; it is ready again after ms.
    out = make<HandoffFuture>(vm, ms);
    vm.await_result();
    return true;
  }
  trace_blocking_call(vm, 0, ns);
  if (SimWorld* world = vm.sim()) {
    world->charge(ns);  // the thread is parked in a syscall: nothing else runs on this lane
    return true;
  }
  // A blocking syscall: this thread sleeps, and lets go of the VM meanwhile (another thread,
  // such as a blocking job or another worker, may run script code).
  VmLock::Released released(vm.lock());
  std::this_thread::sleep_for(std::chrono::nanoseconds(ns));
  return true;
}

LOOPSCOPE_BUILTIN(io) {
  String* name;
  double ms;
  if (!arg_string(vm, args, 0, "io", name) || !arg_ms(vm, args, 1, "io", ms)) return false;
  if (vm.node_loop()) {  // completes in a poll phase of the loop
    out = node_io_promise(vm, Value::object(name), ms);
    return true;
  }
  out = Value::object(make_io_future(vm, Value::object(name), ms));
  return true;
}

LOOPSCOPE_BUILTIN(fetch) {
  String* url;
  if (!arg_string(vm, args, 0, "fetch", url)) return false;
  if (vm.sim())
    return vm.raise("fetch reaches the network, which a simulation cannot replay the same way twice: run the program with --real");
  FutureObj* f = make_fetch_future(vm, url->value);
  if (!f) return false;
  out = Value::object(f);
  return true;
}

LOOPSCOPE_BUILTIN(coroutine) {
  if (!arg_function(vm, args, 0, "coroutine")) return false;
  if (!is_obj(args[0], ObjType::Closure)) return vm.raise("coroutine: needs a script fn");
  Closure* fn = as<Closure>(args[0]);
  if (fn->proto->is_async) return vm.raise("coroutine: the function must be a plain fn (an async fn cannot yield)");
  auto* co = vm.heap().make<CoroutineObj>();
  co->fn = fn;
  co->fiber = std::make_unique<Fiber>();
  co->fiber->owner = co;
  out = Value::object(co);
  return true;
}

LOOPSCOPE_BUILTIN(status) {
  if (!is_obj(args[0], ObjType::Coroutine)) return vm.raise(std::string("status: needs a coroutine, got ") + type_name(args[0]));
  out = vm.string(as<CoroutineObj>(args[0])->status());
  return true;
}

LOOPSCOPE_BUILTIN(channel) {
  // channel(): unbounded, except in profile go where channels are unbuffered (a rendezvous).
  size_t cap = vm.profile() == Profile::Go ? 0 : SIZE_MAX;
  if (args.count >= 1 && !args[0].is_nil()) {
    int64_t n;
    if (!args[0].is_int()) return vm.raise(std::string("channel: the capacity must be an integer from 0 to 1000000, got ") + type_name(args[0]));
    n = args[0].as.i;
    if (n < 0 || n > 1'000'000) return vm.raise("channel: the capacity must be from 0 to 1000000, got " + std::to_string(n));
    cap = static_cast<size_t>(n);
  }
  // Each profile's channel is its runtime's (runtime/sync/channel.hpp, docs/profiles.md).
  ChannelRules rules = vm.profile() == Profile::Go      ? ChannelRules::Go
                       : vm.profile() == Profile::Tokio ? ChannelRules::Tokio
                                                        : ChannelRules::Basic;
  out = make<ChannelObj>(vm, cap, rules);
  vm.heap().watch(out.as.o);
  return true;
}

LOOPSCOPE_BUILTIN(mutex) {
  (void)args;
  // Go's sync.Mutex lets the unlocker (or a newcomer) take it before the waiter it woke.
  out = make<MutexObj>(vm, vm.profile() == Profile::Go ? SemaphoreRules::GoMutex : SemaphoreRules::Fifo);
  vm.heap().watch(out.as.o);
  return true;
}

LOOPSCOPE_BUILTIN(semaphore) {
  int64_t n;
  if (!arg_int(vm, args, 0, "semaphore", n)) return false;
  if (n < 0) return vm.raise("semaphore: the number of permits cannot be negative");
  out = make<SemaphoreObj>(vm, static_cast<size_t>(n));
  return true;
}

LOOPSCOPE_BUILTIN(notify) {
  (void)args;
  out = make<NotifyObj>(vm, vm.profile() == Profile::Go);  // notify_all as sync.Cond.Broadcast
  return true;
}

// ---- methods --------------------------------------------------------------------------------

bool channel_method(VM& vm, MethodId id, CallArgs& args, Value& out) {
  auto* ch = as<ChannelObj>(args.self);
  out = Value::nil();
  switch (id) {
    case MethodId::send: out = make<ChannelSend>(vm, ch, args[0]); return true;
    case MethodId::recv: out = make<ChannelRecv>(vm, ch); return true;
    case MethodId::try_send: {
      TrySend r = ch->channel.try_send(args[0]);
      if (r == TrySend::Closed) return vm.raise("try_send on a closed channel");
      out = Value::boolean(r == TrySend::Sent);
      return true;
    }
    case MethodId::try_recv: {
      auto v = ch->channel.try_recv();
      out = v ? *v : Value::nil();
      return true;
    }
    case MethodId::close: ch->channel.close(); return true;
    case MethodId::len: out = Value::integer(static_cast<int64_t>(ch->channel.len())); return true;
    default: return no_such_method(vm, args.self, id);
  }
}

bool mutex_method(VM& vm, MethodId id, CallArgs& args, Value& out) {
  auto* m = as<MutexObj>(args.self);
  out = Value::nil();
  switch (id) {
    case MethodId::lock: out = make<MutexLock>(vm, m, "a mutex lock"); return true;
    case MethodId::unlock:
      if (m->owner != vm.current_task() || !m->owner)
        return vm.raise(m->owner ? "unlock: the mutex is held by " + vm.describe_task(m->owner) + ", not by this task"
                                 : std::string("unlock: the mutex is not locked"));
      if (m->owner->locks_held) --m->owner->locks_held;
      m->owner = nullptr;
      if (m->semaphore.hands_over()) vm.yield_after_call();  // sync.Mutex.Unlock when starving: goyield
      m->semaphore.release();
      return true;
    case MethodId::lock_blocking: return lock_blocking(vm, m);
    default: return no_such_method(vm, args.self, id);
  }
}

bool semaphore_method(VM& vm, MethodId id, CallArgs& args, Value& out) {
  auto* s = as<SemaphoreObj>(args.self);
  out = Value::nil();
  switch (id) {
    case MethodId::acquire: out = make<SemaphoreAcquire>(vm, s, "a semaphore permit"); return true;
    case MethodId::release: s->semaphore.release(); return true;
    default: return no_such_method(vm, args.self, id);
  }
}

bool notify_method(VM& vm, MethodId id, CallArgs& args, Value& out) {
  auto* n = as<NotifyObj>(args.self);
  out = Value::nil();
  switch (id) {
    case MethodId::notified: out = make<Notified>(vm, n); return true;
    case MethodId::notify_one: n->notify.notify_one(); return true;
    case MethodId::notify_all: n->notify.notify_all(); return true;
    default: return no_such_method(vm, args.self, id);
  }
}

bool task_method(VM& vm, MethodId id, CallArgs& args, Value& out) {
  auto* t = as<TaskObj>(args.self);
  out = Value::nil();
  switch (id) {
    case MethodId::abort: t->handle.abort(); return true;
    default: return no_such_method(vm, args.self, id);
  }
}

}  // namespace loopscope::script::builtin
