#include "runtime/script/handles.hpp"

#include "runtime/sched/coop.hpp"
#include "runtime/script/heap.hpp"
#include "runtime/script/vm.hpp"

namespace loopscope::script {

namespace {
void add_waiter(std::vector<Waker>& waiters, const Waker& w) {
  for (const Waker& x : waiters)
    if (x.will_wake(w)) return;
  waiters.push_back(w);
}
}  // namespace

// ---- LazyCall -------------------------------------------------------------------------------

PollStatus LazyCall::poll(VM& vm, Context& cx, Value& out) {
  switch (state) {
    case State::Done: out = result; return PollStatus::Ready;
    case State::Failed: out = result; return PollStatus::Error;
    case State::Inline:  // running inline in another fiber: wait for it to finish
      add_waiter(waiters, cx.waker());
      return PollStatus::Pending;
    case State::Unstarted:
      state = State::OwnFiber;
      fiber = std::make_unique<Fiber>();
      fiber->owner = this;
      vm.start_call_fiber(*fiber, fn, args, nullptr);
      args.clear();
      [[fallthrough]];
    case State::OwnFiber: {
      fiber->task = vm.current_task();
      ExecStatus st = vm.execute(*fiber, cx);
      switch (st) {
        case ExecStatus::Done: finish(true, fiber->result); break;
        case ExecStatus::Failed: finish(false, fiber->result); break;
        case ExecStatus::Paused: cx.waker().wake_by_ref(); return PollStatus::Pending;
        case ExecStatus::Suspended:
        case ExecStatus::Stopped: return PollStatus::Pending;
      }
      fiber.reset();
      out = result;
      return state == State::Done ? PollStatus::Ready : PollStatus::Error;
    }
  }
  return PollStatus::Pending;
}

void LazyCall::finish(bool ok, Value v) {
  state = ok ? State::Done : State::Failed;
  result = v;
  for (Waker& w : waiters) w.wake();
  waiters.clear();
}

void LazyCall::cancel(VM& vm) {
  if (state == State::OwnFiber) {
    // Dropped before it finished: what it awaited is cancelled with it.
    if (fiber && is_obj(fiber->awaiting, ObjType::Future)) as<FutureObj>(fiber->awaiting)->cancel(vm);
    fiber.reset();
    finish(false, vm.string("aborted"));
  }
}

std::string LazyCall::describe() const { return "the async call " + fn->proto->name + "()"; }

void LazyCall::trace(Marker& m) {
  m.mark(fn);
  for (const Value& v : args) m.mark(v);
  m.mark(result);
  if (fiber) fiber->trace(m);
}

// ---- tasks ----------------------------------------------------------------------------------

namespace {
// During a lost-waker scan: the waiting tasks whose stacks count (they can be woken).
const std::unordered_set<const TaskObj*>* g_scan_alive = nullptr;
}  // namespace

void set_lost_waker_scan(const std::unordered_set<const TaskObj*>* alive) { g_scan_alive = alive; }

void TaskObj::trace(Marker& m) {
  bool skip = g_scan_alive && fiber && fiber->state == Fiber::State::Awaiting && !g_scan_alive->count(this);
  if (fiber && !skip) fiber->trace(m);
  m.mark(result);
  m.mark(promise);
}

PollStatus TaskJoin::poll(VM& vm, Context& cx, Value& out) {
  // A join that completes is a resource operation of the budget, as a JoinHandle's poll is.
  if (task->state != TaskObj::State::Running && !coop::proceed(cx)) return PollStatus::Pending;
  switch (task->state) {
    case TaskObj::State::Done: out = task->result; return PollStatus::Ready;
    case TaskObj::State::Failed: out = task->result; return PollStatus::Error;
    case TaskObj::State::Aborted: out = vm.string("aborted"); return PollStatus::Error;
    case TaskObj::State::Running: break;
  }
  add_waiter(task->waiters, cx.waker());
  return PollStatus::Pending;
}

std::string TaskJoin::describe() const { return "task '" + task->name + "' (id " + std::to_string(task->id) + ")"; }

void TaskJoin::trace(Marker& m) { m.mark(task); }

// ---- promises -------------------------------------------------------------------------------

void PromiseObj::trace(Marker& m) {
  m.mark(value);
  for (const Reaction& r : reactions) {
    m.mark(r.on_fulfilled);
    m.mark(r.on_rejected);
    if (r.derived) m.mark(r.derived);
  }
}

namespace {
// Registers `waker` among the promise's reactions (once).
void await_promise(PromiseObj* p, const Waker& waker) {
  p->handled = true;
  for (const PromiseObj::Reaction& r : p->reactions)
    if (r.waker.will_wake(waker)) return;
  PromiseObj::Reaction r;
  r.waker = waker;
  p->reactions.push_back(std::move(r));
}
bool settled(PromiseObj* p, Value& out, PollStatus& st) {
  if (p->state == PromiseObj::State::Pending) return false;
  out = p->value;
  st = p->state == PromiseObj::State::Fulfilled ? PollStatus::Ready : PollStatus::Error;
  return true;
}
}  // namespace

PollStatus PromiseAwait::poll(VM&, Context& cx, Value& out) {
  PollStatus st;
  if (settled(promise, out, st)) {
    promise->handled = true;
    return st;
  }
  await_promise(promise, cx.waker());
  return PollStatus::Pending;
}

void PromiseAwait::trace(Marker& m) { m.mark(promise); }

PollStatus PromiseTick::poll(VM&, Context& cx, Value& out) {
  PollStatus st;
  if (registered && settled(promise, out, st)) return st;
  if (!registered && promise->state != PromiseObj::State::Pending) {
    promise->handled = true;
    cx.waker().wake_by_ref();  // already settled: its reaction job is queued at once
  } else {
    await_promise(promise, cx.waker());
  }
  registered = true;
  return PollStatus::Pending;
}

void PromiseTick::trace(Marker& m) { m.mark(promise); }

void ValueTick::trace(Marker& m) { m.mark(value); }

PollStatus ValueTick::poll(VM&, Context& cx, Value& out) {
  if (waited) {
    out = value;
    return PollStatus::Ready;
  }
  waited = true;
  cx.waker().wake_by_ref();
  return PollStatus::Pending;
}

// ---- sync handles ---------------------------------------------------------------------------

void ChannelObj::trace(Marker& m) {
  channel.for_each_buffered([&](const Value& v) { m.mark(v); });
}

void MutexObj::trace(Marker& m) { m.mark(owner); }

void CoroutineObj::trace(Marker& m) {
  m.mark(fn);
  if (fiber) fiber->trace(m);
}

const char* CoroutineObj::status() const noexcept {
  if (!started) return "suspended";
  switch (fiber->state) {
    case Fiber::State::Yielded: return "suspended";
    case Fiber::State::Done:
    case Fiber::State::Failed: return "dead";
    default: return "running";
  }
}

}  // namespace loopscope::script
