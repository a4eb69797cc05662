#include "runtime/script/vm.hpp"

#include <cmath>
#include <cstring>

#include "runtime/platform/sim/sim_world.hpp"
#include "runtime/sched/node_loop.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/script/builtins.hpp"
#include "runtime/script/builtins_impl.hpp"
#include "runtime/script/format.hpp"
#include "runtime/script/ops.hpp"
#include "runtime/time/clock.hpp"

#if defined(__GNUC__)
#define LS_LIKELY(x) __builtin_expect(!!(x), 1)
#define LS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LS_LIKELY(x) (x)
#define LS_UNLIKELY(x) (x)
#endif

namespace loopscope::script {

// ---------------------------------------------------------------------------------------------
// construction, tasks

VM::VM(const CompiledProgram& program, Limits limits, Output& output)
    : program_(program), limits_(limits), output_(output) {
  heap_.set_limit(limits.max_heap_bytes);
  size_t n = 0;
  const BuiltinSpec* table = builtin_table(n);
  builtins_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Builtin* b = heap_.make_permanent<Builtin>(table[i].name, table[i].fn);
    builtins_.push_back(b);
    if (table[i].fn == &VM::resume_builtin) resume_builtin_obj_ = b;
  }
}

VM::~VM() {
  if (sim_) sim_->count_instructions(nullptr);
}

const char* profile_name(Profile p) noexcept {
  switch (p) {
    case Profile::Basic: return "basic";
    case Profile::Node: return "node";
    case Profile::Tokio: return "tokio";
    case Profile::Go: return "go";
  }
  return "basic";
}

uint64_t VM::now_ns() const noexcept {
  if (sim_) return sim_->now();
  Scheduler* s = Scheduler::current();
  return s ? s->clock().now_ns() : start_ns_;
}

void VM::attach_sim(SimWorld* world) {
  if (sim_) sim_->count_instructions(nullptr);
  sim_ = world;
  if (sim_) sim_->count_instructions(&instructions_);
}

void VM::link_task(TaskObj* t) {
  t->next_live = live_tasks_;
  if (live_tasks_) live_tasks_->prev_live = t;
  live_tasks_ = t;
  ++live_task_count_;
}

void VM::unlink_task(TaskObj* t) {
  if (t->prev_live) t->prev_live->next_live = t->next_live;
  if (t->next_live) t->next_live->prev_live = t->prev_live;
  if (live_tasks_ == t) live_tasks_ = t->next_live;
  t->prev_live = t->next_live = nullptr;
  --live_task_count_;
}

TaskObj* VM::create_main_task() {
  auto* main_fn = heap_.make<Closure>(program_.main.get(), 0);
  auto* t = heap_.make<TaskObj>();
  t->id = ++next_task_id_;
  t->name = "main";
  t->fiber = std::make_unique<Fiber>();
  t->fiber->task = t;
  t->fiber->owner = t;
  link_task(t);
  start_call_fiber(*t->fiber, main_fn, {}, nullptr);
  return t;
}

void VM::start_call_fiber(Fiber& fiber, Closure* fn, std::vector<Value> args, LazyCall* completes) {
  const Proto* p = fn->proto;
  fiber.frames.clear();
  fiber.frames.push_back(Frame{fn, 0, 0, 0, completes});
  fiber.stack.assign(std::max<size_t>(p->max_registers, 8), Value::nil());
  for (size_t i = 0; i < args.size() && i < p->num_params; ++i) fiber.stack[i] = args[i];
  fiber.state = Fiber::State::Ready;
}

TaskObj* VM::new_task(std::string name) {
  if (live_task_count_ >= limits_.max_tasks) {
    stop("limit reached: more than " + std::to_string(limits_.max_tasks) +
         " tasks alive at once (spawning without end?); raise it with --max-tasks");
    return nullptr;
  }
  auto* t = heap_.make<TaskObj>();
  t->id = ++next_task_id_;
  t->name = std::move(name);
  t->fiber = std::make_unique<Fiber>();
  t->fiber->task = t;
  t->fiber->owner = t;
  return t;
}

Value VM::call_async_now(Closure* fn, std::vector<Value> args) {
  if (eager_depth_ >= 1000) {
    stop("limit reached: more than 1000 async calls nested inside each other (unbounded recursion?) in " + fn->proto->name);
    return Value::nil();
  }
  auto* promise = heap_.make<PromiseObj>();
  TaskObj* t = new_task(fn->proto->name);
  if (!t) return Value::nil();
  t->promise = promise;
  start_call_fiber(*t->fiber, fn, std::move(args), nullptr);
  link_task(t);
  t->spawn_line = current_line();
  ++eager_depth_;
  t->handle = node_->spawn(TaskFuture(this, t), t->name);  // runs it until its first await
  --eager_depth_;
  note_task_site(t);
  return Value::object(promise);
}

void VM::check_unhandled_rejections() {
  std::vector<PromiseObj*> rejected = std::move(unhandled_);
  unhandled_.clear();
  for (PromiseObj* p : rejected) {
    if (p->handled || stopped()) continue;
    stop(StopKind::Error, "uncaught error (in promise): " + error_text(p->value));
  }
}

TaskObj* VM::spawn(Value future, std::string name) {
  Scheduler* s = Scheduler::current();
  if (!s) {
    raise("spawn is only possible while the program runs");
    return nullptr;
  }
  TaskObj* t = new_task("");
  if (!t) return nullptr;
  if (is_obj(future, ObjType::Future) && dynamic_cast<LazyCall*>(as<FutureObj>(future)) &&
      as<LazyCall>(future)->state == LazyCall::State::Unstarted) {
    auto* lazy = as<LazyCall>(future);
    lazy->state = LazyCall::State::Inline;
    t->name = name.empty() ? lazy->fn->proto->name : name;
    start_call_fiber(*t->fiber, lazy->fn, lazy->args, lazy);
  } else {
    // Anything else awaitable: the task awaits it and returns its value.
    t->name = name.empty() ? "task" : name;
    t->fiber->state = Fiber::State::Awaiting;
    t->fiber->awaiting = future;
  }
  link_task(t);
  t->spawn_line = current_line();
  t->handle = s->spawn(TaskFuture(this, t), t->name);
  note_task_site(t);
  return t;
}

VM::TaskFuture::~TaskFuture() {
  if (!vm) return;
  std::lock_guard<VmLock> g(vm->lock());
  if (task->state != TaskObj::State::Running) return;
  // The runtime dropped the task before it finished: aborted (abort(), or the program ended).
  vm->task_finished(*task, TaskObj::State::Aborted, vm->string("aborted"));
}

Poll<void> VM::TaskFuture::poll(Context& cx) {
  std::lock_guard<VmLock> g(vm->lock());
  return vm->poll_task(*task, cx);
}

void VM::task_finished(TaskObj& t, TaskObj::State state, Value result) {
  t.state = state;
  t.result = result;
  // An aborted task drops what it was waiting on: its timer or wait-list place goes now.
  if (t.fiber && t.fiber->state == Fiber::State::Awaiting && is_obj(t.fiber->awaiting, ObjType::Future))
    as<FutureObj>(t.fiber->awaiting)->cancel(*this);
  t.fiber.reset();
  unlink_task(&t);
  for (Waker& w : t.waiters) w.wake();
  t.waiters.clear();
  if (t.promise) {  // profile node: the async call's promise
    state == TaskObj::State::Done ? builtin::resolve_promise(*this, t.promise, result)
                                  : builtin::reject_promise(*this, t.promise, result);
  }
}

Poll<void> VM::poll_task(TaskObj& task, Context& cx) {
  // Looked at where a poll begins, not where a held one goes on: pauses must not move the place
  // a run stops.
  if (trace_ && !task.held && trace_->total() >= max_trace_events_) {
    stop("limit reached: the trace has " + std::to_string(max_trace_events_) + " events; raise it with --max-trace-events");
  }
  if (stopped()) return pending;  // the host is ending the program
  bool continued = std::exchange(task.held, false);  // the rest of a held poll
  if (sim_ && !continued) sim_->charge(sim_->costs().poll_ns);
  Scheduler* s = cx.scheduler();
  // Polls nest in profile node (an async call runs inside its caller's poll): restore after.
  uint64_t deadline = continued ? task.held_preempt_at : s ? s->preemption_deadline() : UINT64_MAX;
  uint64_t outer_preempt = std::exchange(preempt_at_, deadline);
  uint64_t outer_hold = std::exchange(hold_at_, s ? s->yield_deadline() : UINT64_MAX);
  // Only an outermost poll may pause: profile node nests polls (an async call runs inside its
  // caller's), and a nested one cannot give the thread back without its caller.
  Fiber* outer_sliced = std::exchange(sliced_, node_ && exec_depth_ > 0 ? nullptr : task.fiber.get());
  ++exec_depth_;
  // The rest of a work() its time slice ended in comes first, up to the end of this slice.
  bool working = sim_ && task.work_left_ns && burn(&task, std::exchange(task.work_left_ns, 0));
  // (a poll held where it was to yield goes on by yielding)
  ExecStatus st = working || (continued && task.yield_when_continued)
                      ? ExecStatus::Paused
                      : guarded([&] { return execute(*task.fiber, cx); });
  bool yields = std::exchange(yielded_, false) || std::exchange(task.yield_when_continued, false);
  --exec_depth_;
  last_polled_ = &task;
  // Paused: preempted at the end of its time slice (the scheduler requeues it), or held — in
  // simulation until the other lanes caught up, in the page until the next slice — and the same
  // poll continues then. Holding comes first:
  // a preempted task goes to a queue other workers read, which they must not see before their
  // clocks reach the moment it was preempted.
  bool preempted = st == ExecStatus::Paused && !(sim_ && sim_->must_hold()) && now_ns() >= preempt_at_;
  sliced_ = outer_sliced;
  preempt_at_ = outer_preempt;
  hold_at_ = outer_hold;
  switch (st) {
    case ExecStatus::Done:
      task_finished(task, TaskObj::State::Done, task.fiber->result);
      return ready();
    case ExecStatus::Failed: {
      Value err = task.fiber->result;
      task.error_trace = task.fiber->error_trace;
      if (task.waiters.empty() && task.id != 1 && !task.promise) {
        output_.err("warning: " + describe_task(&task) + " failed and nothing awaits it: " + error_text(err) + "\n" +
                    task.error_trace);
      }
      task_finished(task, TaskObj::State::Failed, err);
      return ready();
    }
    case ExecStatus::Paused:
      if (yields && !(sim_ && sim_->must_hold())) {
        set_yield_cause(YieldCause::Plain);  // the back of the local queue
      } else if (yields) {
        task.held = true;
        task.held_preempt_at = deadline;
        task.yield_when_continued = true;
        set_yield_cause(YieldCause::Held);
      } else if (preempted) {
        set_yield_cause(YieldCause::Preempted);
      } else {
        task.held = true;
        task.held_preempt_at = deadline;
        set_yield_cause(YieldCause::Held);
      }
      cx.waker().wake_by_ref();
      return pending;
    case ExecStatus::Suspended:
    case ExecStatus::Stopped:
      return pending;
  }
  return pending;
}

// ---------------------------------------------------------------------------------------------
// errors, limits

Value VM::string(std::string s) { return Value::object(heap_.make<String>(std::move(s))); }

List* VM::new_list() { return heap_.make<List>(); }

bool VM::reserve_heap(size_t bytes) {
  if (heap_.live_bytes() + bytes <= limits_.max_heap_bytes) return true;
  collect_garbage();
  if (!stopped() && heap_.live_bytes() + bytes > limits_.max_heap_bytes) {
    stop("limit reached: the program uses more than " + std::to_string(limits_.max_heap_bytes >> 20) +
         " MiB of memory (a list or string that grows without end?); raise it with --max-heap");
  }
  return !stopped();
}

void VM::list_push(List* list, Value v) {
  size_t cap = list->items.capacity();
  if (list->items.size() == cap && cap >= 4096 && !reserve_heap(cap * sizeof(Value))) return;
  list->items.push_back(v);
  if (list->items.capacity() != cap) heap_.account(static_cast<std::ptrdiff_t>((list->items.capacity() - cap) * sizeof(Value)));
}

uint32_t fiber_line(const Fiber& f) noexcept {
  if (f.frames.empty()) return 0;
  const Frame& fr = f.frames.back();
  uint32_t pc = fr.pc ? fr.pc - 1 : 0;
  const auto& lines = fr.closure->proto->lines;
  return pc < lines.size() ? lines[pc] : 0;
}

uint32_t VM::current_line() const noexcept { return current_fiber_ ? fiber_line(*current_fiber_) : 0; }

void VM::note_lock_across_await(const TaskObj& t, Value awaited) {
  const auto* future = as<FutureObj>(awaited);
  const Obj* on = future->waits_on();
  if (on && on->type == ObjType::Mutex) return;  // waiting for the next lock: nested locking
  uint32_t line = current_line();
  std::string held = t.locks_held > 1 ? std::to_string(t.locks_held) + " mutexes (the last locked at line " : "the mutex locked at line ";
  held += std::to_string(t.lock_line) + (t.locks_held > 1 ? ")" : "");
  std::string message = describe_runtime_task(t.handle.id()) + " awaits " + future->describe() + " at line " + std::to_string(line) +
                        " while holding " + held +
                        (t.lock_blocking ? " with lock_blocking(): another task on its worker that calls lock_blocking() "
                                           "blocks the thread, and the holder may never run again to unlock it"
                                         : ": every task that locks it waits for this await as well");
  add_run_lint("lock_across_await", t, std::move(message));
}

void VM::note_random_select(const char* what, size_t chosen, size_t ready) {
  if (!current_task()) return;
  add_run_lint("random_select", *current_task(),
               describe_runtime_task(current_task()->handle.id()) + ": the " + what + " at line " + std::to_string(current_line()) +
                   " found " + std::to_string(ready) + " cases ready at once and took case " + std::to_string(chosen) +
                   ", the first in list order; Go picks one of them at random (select.go selectgo), so a real run may take another");
}

void VM::add_run_lint(const char* kind, const TaskObj& t, std::string message) {
  std::string key = std::string(kind) + ":" + std::to_string(t.id) + ":" + std::to_string(current_line());
  if (run_lints_.size() >= 100 || !run_lints_seen_.insert(key).second) return;
  Scheduler* s = Scheduler::current();
  run_lints_.push_back(Lint{kind, t.handle.id(), now_ns(), s ? s->worker_id() : uint16_t{0}, std::move(message)});
}

bool VM::burn(TaskObj* task, uint64_t ns) {
  uint64_t now = sim_->now(), room = preempt_at_ > now ? preempt_at_ - now : 0;
  if (task && ns > room) {
    task->work_left_ns = ns - room;
    ns = room;
  }
  sim_->charge(ns);
  return task && task->work_left_ns > 0;
}

std::vector<std::pair<uint64_t, std::string>> VM::lost_wakers() {
  // A waiting task can be woken if what it waits on is a timer, I/O or a task (waits_on() null or
  // a task), or an object (a promise, a channel...) reachable from something that can run: a
  // task that can be woken, a queued callback. Grow that set to a fixpoint; who is left is lost.
  std::unordered_set<const TaskObj*> alive;
  std::vector<TaskObj*> candidates;
  for (TaskObj* t = live_tasks_; t; t = t->next_live) {
    if (!t->fiber || t->fiber->state != Fiber::State::Awaiting || !is_obj(t->fiber->awaiting, ObjType::Future)) continue;
    Obj* on = as<FutureObj>(t->fiber->awaiting)->waits_on();
    if (!on || on->type == ObjType::Task) {
      alive.insert(t);
    } else {
      candidates.push_back(t);
    }
  }
  for (bool grew = true; grew;) {
    grew = false;
    set_lost_waker_scan(&alive);
    heap_.with_marks([this](Marker& m) { mark_roots(m); },
                     [&] {
                       for (TaskObj* t : candidates) {
                         if (alive.count(t)) continue;
                         if (as<FutureObj>(t->fiber->awaiting)->waits_on()->marked) grew |= alive.insert(t).second;
                       }
                     });
    set_lost_waker_scan(nullptr);
  }
  std::vector<std::pair<uint64_t, std::string>> lost;
  for (TaskObj* t : candidates) {
    if (alive.count(t)) continue;
    const Fiber& f = *t->fiber;
    uint32_t line = 0;
    if (!f.frames.empty()) {
      const Frame& fr = f.frames.back();
      uint32_t pc = fr.pc ? fr.pc - 1 : 0;
      if (pc < fr.closure->proto->lines.size()) line = fr.closure->proto->lines[pc];
    }
    lost.emplace_back(t->handle.id(), describe_task(t) + " waits on " + as<FutureObj>(f.awaiting)->describe() +
                                          (line ? " at line " + std::to_string(line) : std::string()) +
                                          ", which nothing that can still run refers to: nothing can ever wake it");
  }
  return lost;
}

void VM::note_task_site(const TaskObj* t) {
  if (t->handle.id()) task_sites_[t->handle.id()] = TaskSite{t->name, t->id, t->spawn_line};
}

std::string VM::describe_runtime_task(uint64_t runtime_id) const {
  auto it = task_sites_.find(runtime_id);
  if (it == task_sites_.end()) return "task " + std::to_string(runtime_id);
  const TaskSite& s = it->second;
  std::string d = "task '" + s.name + "' (id " + std::to_string(s.id);
  if (s.line) d += ", spawned at line " + std::to_string(s.line);
  return d + ")";
}

std::string VM::describe_task(const TaskObj* t) const {
  if (!t) return "a callback";
  return "task '" + t->name + "' (id " + std::to_string(t->id) + ")";
}

std::string VM::stack_trace(const Fiber& f) const {
  std::string out;
  int shown = 0;
  for (size_t k = f.frames.size(); k-- > 0;) {
    const Frame& fr = f.frames[k];
    if (++shown > 8) {
      out += "    ... " + std::to_string(f.frames.size() - 8) + " more frames\n";
      break;
    }
    uint32_t pc = fr.pc ? fr.pc - 1 : 0;
    const auto& lines = fr.closure->proto->lines;
    out += "    at " + fr.closure->proto->name + " (line " + std::to_string(pc < lines.size() ? lines[pc] : 0) + ")\n";
  }
  return out;
}

Value VM::error_value(const std::string& message) {
  auto* m = heap_.make<Map>();
  m->set(string("message"), string(message));
  m->set(string("task"), current_task_ ? string(current_task_->name) : Value::nil());
  m->set(string("line"), Value::integer(current_line()));
  return Value::object(m);
}

bool VM::raise(std::string message) { return raise_value(error_value(message)); }

std::string error_text(const Value& error) {
  // (reads without allocating: a viewer's trace listener calls it in the middle of a run)
  if (is_obj(error, ObjType::Map)) {
    std::string out;
    bool found = false;
    as<Map>(error)->for_each([&](const Value& k, const Value& v) {
      if (!found && is_obj(k, ObjType::String) && as<String>(k)->value == "message") {
        out = to_display_string(v);
        found = true;
      }
    });
    if (found) return out;
  }
  if (is_obj(error, ObjType::String)) return as<String>(error)->value;
  return to_repr(error);
}

bool VM::raise_value(Value value) {
  pending_error_ = true;
  error_value_ = value;
  error_trace_ = current_fiber_ ? stack_trace(*current_fiber_) : std::string();
  return false;
}

void VM::stop(StopKind kind, std::string message) {
  if (!stop_message_.empty()) return;
  stop_message_ = std::move(message);
  stop_kind_ = kind;
}

// ---------------------------------------------------------------------------------------------
// garbage collection

uint32_t VM::pin(Obj* o) {
  if (free_pins_.empty()) {
    pinned_.push_back(o);
    free_pins_.reserve(pinned_.capacity());  // so that unpin never allocates
    return static_cast<uint32_t>(pinned_.size() - 1);
  }
  uint32_t pin = free_pins_.back();
  free_pins_.pop_back();
  pinned_[pin] = o;
  return pin;
}

void VM::unpin(uint32_t pin) noexcept {
  pinned_[pin] = nullptr;
  free_pins_.push_back(pin);
}

void VM::mark_roots(Marker& m) {
  for (TaskObj* t = live_tasks_; t; t = t->next_live) m.mark(t);
  for (Obj* o : pinned_) {
    if (o) m.mark(o);
  }
  m.mark(error_value_);
  for (Fiber* f : temp_fibers_) f->trace(m);
  for (const HeldFiber& h : held_calls_) h.fiber->trace(m);
  for (PromiseObj* p : unhandled_) m.mark(p);
}

ExecStatus VM::out_of_memory() {
  oom_reserve_.reset();
  stop("limit reached: out of memory before the heap limit (" + std::to_string(limits_.max_heap_bytes >> 20) +
       " MiB): the machine or the page has less to give; lower --max-heap");
  return ExecStatus::Stopped;
}

void VM::collect_garbage() {
  size_t limit = limits_.max_heap_bytes;
  bool forced_by_limit = heap_.live_bytes() > limit;
  size_t live = heap_.collect([this](Marker& m) { mark_roots(m); });
  // Within 1/16 of the limit after a collection the limit forced, the program would collect
  // again every few allocations (each time marking the whole heap): that is the limit, too.
  if (live > limit || (forced_by_limit && live > limit - limit / 16)) {
    stop("limit reached: the program uses more than " + std::to_string(limits_.max_heap_bytes >> 20) +
         " MiB of memory (a list or string that grows without end?); raise it with --max-heap");
  }
}

// ---------------------------------------------------------------------------------------------
// calling script functions from the host

bool VM::call_function(Value fn, std::vector<Value> args, Value& result, Context& cx) {
  if (is_obj(fn, ObjType::Builtin)) {
    CallArgs call{args.data(), static_cast<int>(args.size()), as<Builtin>(fn)->bound};
    if (as<Builtin>(fn)->fn(*this, call, result)) return true;
    pending_error_ = false;
    result = error_value_;
    return false;
  }
  if (!is_obj(fn, ObjType::Closure)) {
    result = error_value(std::string("cannot call ") + type_name(fn) + " (a function was expected)");
    return false;
  }
  Closure* cl = as<Closure>(fn);
  if (cl->proto->is_async && node_) {
    result = call_async_now(cl, std::move(args));
    return !stopped();
  }
  if (cl->proto->is_async) {
    // An async fn called from a callback makes its future; nothing runs until it is awaited.
    auto* lazy = heap_.make<LazyCall>();
    lazy->fn = cl;
    lazy->args = std::move(args);
    result = Value::object(lazy);
    return true;
  }
  Fiber fiber;
  fiber.task = current_task_;
  start_call_fiber(fiber, cl, std::move(args), nullptr);
  temp_fibers_.push_back(&fiber);
  ++exec_depth_;
  ExecStatus st = guarded([&] { return run(fiber, cx, UINT64_MAX); });
  --exec_depth_;
  temp_fibers_.pop_back();
  if (st == ExecStatus::Done) {
    result = fiber.result;
    return true;
  }
  if (st == ExecStatus::Failed) {
    result = fiber.result;
    error_trace_ = fiber.error_trace;
    return false;
  }
  result = error_value(stopped() ? stop_message_ : "a callback cannot wait");
  return false;
}

CallStatus VM::call_holdable(HeldCall& call, Value fn, std::vector<Value> args, Value& result) {
  Scheduler* s = Scheduler::current();
  bool from_loop = exec_depth_ == 0 && s && s->holds_callbacks();
  bool from_poll = exec_depth_ == 1 && sliced_ && current_task_ && sliced_ == current_task_->fiber.get();
  if (!call.fiber_) {
    if (!(from_loop || from_poll) || !is_obj(fn, ObjType::Closure) || as<Closure>(fn)->proto->is_async) {
      Waker none;
      Context cx(none);
      return call_function(fn, std::move(args), result, cx) ? CallStatus::Done : CallStatus::Failed;
    }
    std::unique_ptr<Fiber> spare;
    if (!spare_fibers_.empty()) {
      spare = std::move(spare_fibers_.back());
      spare_fibers_.pop_back();
    } else {
      spare = std::make_unique<Fiber>();
    }
    held_calls_.push_back(HeldFiber{std::move(spare), now_ns(), s ? s->worker_id() : uint16_t{0}, from_loop});
    call.vm_ = this;
    call.fiber_ = held_calls_.back().fiber.get();
    call.fiber_->task = current_task_;
    start_call_fiber(*call.fiber_, as<Closure>(fn), std::move(args), nullptr);
  }
  Fiber& fiber = *call.fiber_;
  // From the loop it holds at the scheduler's yield deadline; inside a poll, with the poll.
  uint64_t outer_hold = from_loop ? std::exchange(hold_at_, s ? s->yield_deadline() : UINT64_MAX) : hold_at_;
  Fiber* outer_sliced = std::exchange(sliced_, &fiber);
  Waker none;
  Context cx(none);
  ++exec_depth_;
  ExecStatus st = guarded([&] { return run(fiber, cx, UINT64_MAX); });
  --exec_depth_;
  sliced_ = outer_sliced;
  hold_at_ = outer_hold;
  if (st == ExecStatus::Paused) {
    if (from_loop) set_yield_cause(YieldCause::Held);
    else call_held_in_poll_ = true;
    return CallStatus::Held;
  }
  CallStatus out = st == ExecStatus::Done ? CallStatus::Done : CallStatus::Failed;
  if (st == ExecStatus::Done || st == ExecStatus::Failed) {
    result = fiber.result;
    if (st == ExecStatus::Failed) error_trace_ = fiber.error_trace;
  } else {
    result = error_value(stopped() ? stop_message_ : "a callback cannot wait");
  }
  release(call);
  return out;
}

void VM::release(HeldCall& call) noexcept {
  Fiber* f = std::exchange(call.fiber_, nullptr);
  for (size_t i = 0; i < held_calls_.size(); ++i) {
    if (held_calls_[i].fiber.get() == f) {
      std::unique_ptr<Fiber> done = std::move(held_calls_[i].fiber);
      held_calls_[i] = std::move(held_calls_.back());
      held_calls_.pop_back();
      // Kept for the next call, with its stack's and frames' memory: a callback allocates nothing.
      if (spare_fibers_.size() < kSpareFibers && spare_fibers_.capacity() > spare_fibers_.size()) {
        done->reset();
        spare_fibers_.push_back(std::move(done));
      }
      return;
    }
  }
}

std::vector<VM::HeldLoopCall> VM::held_loop_calls() const {
  std::vector<HeldLoopCall> out;
  for (const HeldFiber& h : held_calls_) {
    if (!h.from_loop || h.fiber->frames.empty()) continue;  // (one in a poll is that task's)
    const Proto& proto = *h.fiber->frames[0].closure->proto;
    std::string fn = proto.name == "<anonymous>" ? "the function" : "fn " + proto.name;
    out.push_back({h.worker, h.since_ns, "a callback (" + fn + " at line " + std::to_string(proto.line) + ")"});
  }
  return out;
}

HeldCall::~HeldCall() {
  if (!fiber_) return;
  std::lock_guard<VmLock> g(vm_->lock());
  vm_->release(*this);
}

// ---------------------------------------------------------------------------------------------
// the interpreter

ExecStatus VM::run_slice(Fiber& fiber) {
  std::lock_guard<VmLock> g(lock_);
  Fiber* saved = std::exchange(sliced_, &fiber);
  uint64_t saved_preempt = std::exchange(preempt_at_, UINT64_MAX);
  Waker none;
  Context cx(none);
  ExecStatus st = execute(fiber, cx);
  sliced_ = saved;
  preempt_at_ = saved_preempt;
  return st;
}

ExecStatus VM::execute(Fiber& fiber, Context& cx, uint64_t budget) {
  if (fiber.state == Fiber::State::Awaiting) {
    Value out;
    PollStatus st;
    {
      TaskObj* saved_task = current_task_;
      current_task_ = fiber.task;
      st = as<FutureObj>(fiber.awaiting)->poll(*this, cx, out);
      current_task_ = saved_task;
    }
    if (stopped()) return ExecStatus::Stopped;
    if (st == PollStatus::Pending) return std::exchange(call_held_in_poll_, false) ? ExecStatus::Paused : ExecStatus::Suspended;
    fiber.awaiting = Value::nil();
    fiber.state = Fiber::State::Ready;
    if (fiber.frames.empty()) {  // a task that only awaited a future
      fiber.result = out;
      fiber.state = st == PollStatus::Ready ? Fiber::State::Done : Fiber::State::Failed;
      return st == PollStatus::Ready ? ExecStatus::Done : ExecStatus::Failed;
    }
    if (st == PollStatus::Ready) {
      fiber.stack[fiber.await_dest] = out;
    } else {
      pending_error_ = true;
      error_value_ = out;
      error_trace_ = stack_trace(fiber);
    }
  }
  if (fiber.state == Fiber::State::Done) return ExecStatus::Done;
  if (fiber.state == Fiber::State::Failed) return ExecStatus::Failed;
  return run(fiber, cx, budget);
}

namespace {

void close_upvalues(Fiber& f, uint32_t from) {
  while (f.open_upvalues && f.open_upvalues->slot >= from) {
    Upvalue* uv = f.open_upvalues;
    uv->closed = f.stack[uv->slot];
    uv->fiber = nullptr;
    f.open_upvalues = uv->next_open;
  }
}

Upvalue* capture_upvalue(Heap& heap, Fiber& f, uint32_t slot) {
  Upvalue** link = &f.open_upvalues;
  while (*link && (*link)->slot > slot) link = &(*link)->next_open;
  if (*link && (*link)->slot == slot) return *link;
  Upvalue* uv = heap.make<Upvalue>();
  uv->fiber = &f;
  uv->slot = slot;
  uv->next_open = *link;
  *link = uv;
  return uv;
}

}  // namespace

VM::Invoke VM::invoke(Fiber*& f, uint32_t a, int nargs, Value callee) {
  Frame& frame = f->frames.back();
  Value* R = f->stack.data() + frame.base;
  if (is_obj(callee, ObjType::Closure)) {
    Closure* cl = as<Closure>(callee);
    const Proto* p = cl->proto;
    if (p->is_async && node_) {
      std::vector<Value> args(R + a + 1, R + a + 1 + std::min<int>(nargs, p->num_params));
      Value promise = call_async_now(cl, std::move(args));
      if (stopped()) return Invoke::Stop;
      f->stack[frame.base + a] = promise;
      return Invoke::Ok;
    }
    if (p->is_async) {
      // An async fn call makes a future; it runs when awaited or spawned.
      auto* lazy = heap_.make<LazyCall>();
      lazy->fn = cl;
      lazy->args.assign(R + a + 1, R + a + 1 + std::min<int>(nargs, p->num_params));
      R[a] = Value::object(lazy);
      return Invoke::Ok;
    }
    if (f->frames.size() >= limits_.max_call_depth) {
      stop("limit reached: more than " + std::to_string(limits_.max_call_depth) + " nested calls (unbounded recursion?) in " +
           p->name + "; raise it with --max-depth");
      return Invoke::Stop;
    }
    uint32_t base = frame.base + a + 1;
    uint32_t dest = frame.base + a;
    size_t needed = base + p->max_registers;
    if (f->stack.size() < needed) f->stack.resize(std::max(needed, f->stack.size() * 2));
    for (int k = nargs; k < p->num_params; ++k) f->stack[base + k] = Value::nil();
    f->frames.push_back(Frame{cl, 0, base, dest, nullptr});
    return Invoke::Ok;
  }
  if (is_obj(callee, ObjType::Builtin)) {
    Builtin* b = as<Builtin>(callee);
    if (b == resume_builtin_obj_) {
      // resume(co, v): switch to the coroutine's fiber.
      Value co_v = nargs >= 1 ? R[a + 1] : Value::nil();
      Value arg = nargs >= 2 ? R[a + 2] : Value::nil();
      if (!is_obj(co_v, ObjType::Coroutine)) {
        raise(std::string("resume needs a coroutine, got ") + type_name(co_v));
        return Invoke::Error;
      }
      auto* co = as<CoroutineObj>(co_v);
      Fiber* cf = co->fiber.get();
      if (cf->state == Fiber::State::Done || cf->state == Fiber::State::Failed) {
        raise("cannot resume a dead coroutine");
        return Invoke::Error;
      }
      if (co->started && cf->state != Fiber::State::Yielded) {
        raise("cannot resume a coroutine that is running");
        return Invoke::Error;
      }
      cf->resumer = f;
      cf->task = f->task;
      f->resume_dest = frame.base + a;
      f->active = co;
      if (!co->started) {
        co->started = true;
        start_call_fiber(*cf, co->fn, {arg}, nullptr);
      } else {
        cf->stack[cf->yield_dest] = arg;
        cf->state = Fiber::State::Ready;
      }
      f = cf;
      current_fiber_ = f;
      return Invoke::Ok;
    }
    CallArgs args{R + a + 1, nargs, b->bound};
    Value out;
    if (!b->fn(*this, args, out)) return stopped() ? Invoke::Stop : Invoke::Error;
    if (stopped()) return Invoke::Stop;
    f->stack[frame.base + a] = out;  // the builtin may have grown the stack: index afresh
    return Invoke::Ok;
  }
  raise(std::string("cannot call ") + type_name(callee) + " (it is not a function)");
  return Invoke::Error;
}

ExecStatus VM::run(Fiber& root, Context& cx, uint64_t budget) {
  // The fiber that actually runs: the root, or the coroutine it resumed (and so on).
  Fiber* f = &root;
  while (f->active) f = f->active->fiber.get();

  Fiber* saved_fiber = current_fiber_;
  TaskObj* saved_task = current_task_;
  current_task_ = root.task;
  current_fiber_ = f;

  Frame* frame;
  const Instr* code;
  const Value* K;
  Value* R;
  uint32_t pc;
  Instr i;
  static void* const kDispatch[] = {
#define LOOPSCOPE_OP_LABEL(name) &&L_##name,
      LOOPSCOPE_OPS(LOOPSCOPE_OP_LABEL)
#undef LOOPSCOPE_OP_LABEL
      &&L_Count};

  uint64_t chunk = 0;       // instructions left before the next limits check
  uint64_t chunk_size = 0;  // size of the current chunk
  uint64_t slice = UINT64_MAX;  // instructions until this poll may have to stop
  uint64_t sim_epoch = 0;       // the world's epoch when the slice was computed
  Value awaited;                // what poll_awaited polls, and the register it answers to
  uint32_t await_reg = 0;
  // In simulation, and under preemption, the clock is looked at again after every operation that
  // may take time (work(), a call): the instruction after it may have to stop.
  const bool recheck = sim_ || preempt_at_ != UINT64_MAX;
  ExecStatus result = ExecStatus::Done;

#define LOAD_FRAME()                             \
  do {                                           \
    frame = &f->frames.back();                   \
    code = frame->closure->proto->code.data();   \
    K = frame->closure->proto->constants.data(); \
    R = f->stack.data() + frame->base;           \
    pc = frame->pc;                              \
  } while (0)
#define SAVE_PC() (frame->pc = pc)
#define RA R[arg_a(i)]
#define RB R[arg_b(i)]
#define RC R[arg_c(i)]
#define ERROR(msg)     \
  do {                 \
    SAVE_PC();         \
    raise(msg);        \
    goto handle_error; \
  } while (0)
#define GC_CHECK()                             \
  do {                                         \
    if (LS_UNLIKELY(heap_.should_collect())) { \
      SAVE_PC();                               \
      collect_garbage();                       \
      if (stopped()) goto stop;                \
    }                                          \
  } while (0)
#define AFTER_INVOKE(inv)                        \
  do {                                           \
    SIM_RECHECK_CALL();                          \
    if ((inv) == Invoke::Error) goto handle_error; \
    if ((inv) == Invoke::Stop) goto stop;        \
    LOAD_FRAME();                                \
    GC_CHECK();                                  \
  } while (0)
  // Simulation and preemption: the instructions so far are counted (so the virtual clock is
  // exact) before an operation that may read the time, emit trace events or wake another lane;
  // after it, the next instruction first looks at the horizon and the time slice again.
#define SIM_SYNC()                                 \
  do {                                             \
    if (recheck) {                                 \
      uint64_t done_ = chunk_size - chunk;         \
      instructions_ += done_;                      \
      budget -= std::min(budget, done_);           \
      chunk_size = chunk;                          \
    }                                              \
  } while (0)
#define SIM_RECHECK()                              \
  do {                                             \
    if (recheck) {                                 \
      SIM_SYNC();                                  \
      chunk = chunk_size = 0;                      \
    }                                              \
  } while (0)
  // After a call: only if it charged time, woke a lane or made one (or natively, under
  // preemption, always: the call may have taken real time).
#define SIM_RECHECK_CALL()                                  \
  do {                                                      \
    if (recheck && (!sim_ || sim_->epoch() != sim_epoch)) { \
      SIM_SYNC();                                           \
      chunk = chunk_size = 0;                               \
    }                                                       \
  } while (0)

  LOAD_FRAME();
  if (pending_error_) goto handle_error;  // an awaited future failed: throw at the await

new_chunk:
  instructions_ += chunk_size - chunk;
  budget -= std::min(budget, chunk_size - chunk);
  chunk = chunk_size = 0;
  slice = UINT64_MAX;
  if (instructions_ >= limits_.max_instructions) {
    stop("limit reached: the program ran " + std::to_string(limits_.max_instructions) +
         " instructions (an endless loop?); raise it with --max-instructions");
    goto stop;
  }
  if (cancel_ && cancel_->load(std::memory_order_relaxed)) {
    stop_cancelled();
    goto stop;
  }
  if (Scheduler* s = Scheduler::current(); s || sim_) {
    uint64_t now = sim_ ? sim_->now() : s->clock().now_ns();
    if ((now - start_ns_) / 1'000'000 >= limits_.time_limit_ms) {
      stop("limit reached: the program ran for more than " + std::to_string(limits_.time_limit_ms) +
           " ms; raise it with --time-limit");
      goto stop;
    }
    if (&root == sliced_) {
      // A task's own poll may stop here: preempted at the end of its time slice, or held in
      // simulation once past the moment another lane could act.
      if (now >= preempt_at_ || now >= hold_at_ || (sim_ && sim_->must_hold())) {
        result = ExecStatus::Paused;
        goto exit;
      }
      if (sim_) {  // the chunk ends where that could first happen (the time limit too: a
                   // pause adds a chunk boundary, and the limit must not be seen earlier there)
        sim_epoch = sim_->epoch();
        uint64_t until = std::min({preempt_at_, sim_->horizon(), time_limit_ns()});
        slice = (until - now) / sim_->costs().instruction_ns + 1;
      }
    }
  }
  if (budget == 0) {
    result = ExecStatus::Paused;
    goto exit;
  }
  chunk_size = std::min<uint64_t>({budget, slice, limits_.max_instructions - instructions_, uint64_t{1} << 16});
  chunk = chunk_size;

  // Dispatch: computed goto, one indirect jump per instruction. Every instruction counts
  // against the chunk; at its end the limits are checked (new_chunk).
#define CASE(op) L_##op:
#define NEXT                             \
  do {                                   \
    if (LS_UNLIKELY(chunk == 0)) {       \
      SAVE_PC();                         \
      goto new_chunk;                    \
    }                                    \
    --chunk;                             \
    i = code[pc++];                      \
    goto* kDispatch[static_cast<size_t>(op_of(i))]; \
  } while (0)
dispatch:
  NEXT;
      CASE(Move) RA = RB; NEXT;
      CASE(LoadK) RA = K[arg_bx(i)]; NEXT;
      CASE(LoadI) RA = Value::integer(arg_sbx(i)); NEXT;
      CASE(LoadNil) RA = Value::nil(); NEXT;
      CASE(LoadBool) RA = Value::boolean(arg_b(i) != 0); NEXT;
      CASE(LoadUndef) RA = Value::undef(); NEXT;
      CASE(CheckInit)
        if (RA.type == ValueType::Undef) ERROR("'" + as<String>(K[arg_bx(i)])->value + "' is used before its declaration");
        NEXT;
      CASE(GetUpval) {
        Value v = frame->closure->upvalues[arg_b(i)]->get();
        if (LS_UNLIKELY(v.type == ValueType::Undef))
          ERROR("'" + frame->closure->proto->upvalues[arg_b(i)].name + "' is used before its declaration (its let has not run yet)");
        RA = v;
        NEXT;
      }
      CASE(SetUpval) frame->closure->upvalues[arg_b(i)]->get() = RA; NEXT;
      CASE(Closure) {
        const Proto* p = frame->closure->proto->protos[arg_bx(i)].get();
        auto* cl = heap_.make<Closure>(p, p->upvalues.size());
        for (size_t u = 0; u < p->upvalues.size(); ++u) {
          const UpvalueDesc& d = p->upvalues[u];
          cl->upvalues[u] = d.in_parent_local ? capture_upvalue(heap_, *f, frame->base + d.index) : frame->closure->upvalues[d.index];
        }
        RA = Value::object(cl);
        GC_CHECK();
        NEXT;
      }
      CASE(Builtin) RA = Value::object(builtins_[arg_bx(i)]); NEXT;
      CASE(NewList) {
        auto* l = heap_.make<List>();
        l->items.assign(&RB, &RB + arg_c(i));
        heap_.account(static_cast<std::ptrdiff_t>(l->items.capacity() * sizeof(Value)));
        RA = Value::object(l);
        GC_CHECK();
        NEXT;
      }
      CASE(Append) list_push(as<List>(RA), RB); NEXT;
      CASE(NewMap) {
        auto* m = heap_.make<Map>();
        Value* pairs = &RB;
        for (uint32_t k = 0; k < arg_c(i); ++k) m->set(pairs[2 * k], pairs[2 * k + 1]);
        RA = Value::object(m);
        GC_CHECK();
        NEXT;
      }
      CASE(GetIndex)
        SAVE_PC();
        if (!ops::get_index(*this, RB, RC, RA)) goto handle_error;
        GC_CHECK();
        NEXT;
      CASE(SetIndex)
        SAVE_PC();
        if (!ops::set_index(*this, RA, RB, RC)) goto handle_error;
        NEXT;
      CASE(GetField)
        SAVE_PC();
        if (!ops::get_index(*this, RB, K[arg_c(i)], RA)) goto handle_error;
        NEXT;
      CASE(SetField)
        SAVE_PC();
        if (!ops::set_index(*this, RA, K[arg_b(i)], RC)) goto handle_error;
        NEXT;
      CASE(Add) {
        const Value& a = RB;
        const Value& b = RC;
        if (LS_LIKELY(a.is_int() && b.is_int())) {
          int64_t r;
          if (LS_UNLIKELY(__builtin_add_overflow(a.as.i, b.as.i, &r))) ERROR(ops::overflow_message("+", a, b));
          RA = Value::integer(r);
        } else {
          SAVE_PC();
          if (!ops::add(*this, a, b, RA)) goto handle_error;
          GC_CHECK();
        }
        NEXT;
      }
      CASE(Sub) {
        const Value& a = RB;
        const Value& b = RC;
        if (LS_LIKELY(a.is_int() && b.is_int())) {
          int64_t r;
          if (LS_UNLIKELY(__builtin_sub_overflow(a.as.i, b.as.i, &r))) ERROR(ops::overflow_message("-", a, b));
          RA = Value::integer(r);
        } else {
          SAVE_PC();
          if (!ops::arith(*this, Op::Sub, a, b, RA)) goto handle_error;
        }
        NEXT;
      }
      CASE(Mul) {
        const Value& a = RB;
        const Value& b = RC;
        if (LS_LIKELY(a.is_int() && b.is_int())) {
          int64_t r;
          if (LS_UNLIKELY(__builtin_mul_overflow(a.as.i, b.as.i, &r))) ERROR(ops::overflow_message("*", a, b));
          RA = Value::integer(r);
        } else {
          SAVE_PC();
          if (!ops::arith(*this, Op::Mul, a, b, RA)) goto handle_error;
        }
        NEXT;
      }
      CASE(Div)
      CASE(Mod)
        SAVE_PC();
        if (!ops::arith(*this, op_of(i), RB, RC, RA)) goto handle_error;
        NEXT;
      CASE(AddI)
      CASE(SubI) {
        const Value& a = RB;
        int64_t k = arg_sc(i);
        bool add = op_of(i) == Op::AddI;
        if (LS_LIKELY(a.is_int())) {
          int64_t r;
          if (LS_UNLIKELY(add ? __builtin_add_overflow(a.as.i, k, &r) : __builtin_sub_overflow(a.as.i, k, &r)))
            ERROR(ops::overflow_message(add ? "+" : "-", a, Value::integer(k)));
          RA = Value::integer(r);
        } else {
          SAVE_PC();
          Value kv = Value::integer(k);
          if (!(add ? ops::add(*this, a, kv, RA) : ops::arith(*this, Op::Sub, a, kv, RA))) goto handle_error;
        }
        NEXT;
      }
      CASE(Neg) {
        const Value& a = RB;
        if (a.is_int()) {
          if (a.as.i == INT64_MIN) ERROR("integer overflow: -(" + std::to_string(a.as.i) + ")");
          RA = Value::integer(-a.as.i);
        } else if (a.is_float()) {
          RA = Value::number(-a.as.f);
        } else {
          ERROR(std::string("cannot negate ") + type_name(a));
        }
        NEXT;
      }
      CASE(Not) RA = Value::boolean(!truthy(RB)); NEXT;
      CASE(Eq) RA = Value::boolean(values_equal(RB, RC)); NEXT;
      CASE(Lt)
      CASE(Le) {
        int c;
        SAVE_PC();
        if (!ops::compare(*this, RB, RC, op_of(i) == Op::Lt ? "<" : "<=", c)) goto handle_error;
        RA = Value::boolean(op_of(i) == Op::Lt ? c < 0 : c <= 0);
        NEXT;
      }
      CASE(TestEq)
        if (values_equal(RA, RB) != (arg_c(i) != 0)) ++pc;
        NEXT;
      CASE(TestLt)
      CASE(TestLe) {
        const Value& a = RA;
        const Value& b = RB;
        bool r;
        if (LS_LIKELY(a.is_int() && b.is_int())) {
          r = op_of(i) == Op::TestLt ? a.as.i < b.as.i : a.as.i <= b.as.i;
        } else {
          int c;
          SAVE_PC();
          if (!ops::compare(*this, a, b, op_of(i) == Op::TestLt ? "<" : "<=", c)) goto handle_error;
          r = op_of(i) == Op::TestLt ? c < 0 : c <= 0;
        }
        if (r != (arg_c(i) != 0)) ++pc;
        NEXT;
      }
      CASE(TestLtI)
      CASE(TestLeI)
      CASE(TestGtI)
      CASE(TestGeI)
      CASE(TestEqI) {
        const Value& a = RA;
        int64_t k = arg_sb(i);
        Op op = op_of(i);
        int c;
        if (LS_LIKELY(a.is_int())) {
          c = a.as.i < k ? -1 : a.as.i > k ? 1 : 0;
        } else if (op == Op::TestEqI) {
          c = values_equal(a, Value::integer(k)) ? 0 : 1;
        } else {
          const char* sym = op == Op::TestLtI ? "<" : op == Op::TestLeI ? "<=" : op == Op::TestGtI ? ">" : ">=";
          SAVE_PC();
          if (!ops::compare(*this, a, Value::integer(k), sym, c)) goto handle_error;
        }
        bool r = op == Op::TestLtI ? c < 0 : op == Op::TestLeI ? c <= 0 : op == Op::TestGtI ? c > 0 : op == Op::TestGeI ? c >= 0 : c == 0;
        if (r != (arg_c(i) != 0)) ++pc;
        NEXT;
      }
      CASE(Test)
        if (truthy(RA) != (arg_b(i) != 0)) ++pc;
        NEXT;
      CASE(Jmp) pc = static_cast<uint32_t>(static_cast<int32_t>(pc) + arg_sj(i)); NEXT;
      CASE(Call) {
        SAVE_PC();
        const Value& callee = RA;
        if (LS_LIKELY(is_obj(callee, ObjType::Closure))) {
          // The common case, inline: a plain script function gets a frame on this fiber.
          Closure* cl = as<Closure>(callee);
          const Proto* p = cl->proto;
          if (LS_LIKELY(!p->is_async && f->frames.size() < limits_.max_call_depth)) {
            uint32_t a = arg_a(i);
            int nargs = static_cast<int>(arg_b(i));
            uint32_t base = frame->base + a + 1;
            size_t needed = base + p->max_registers;
            if (LS_UNLIKELY(f->stack.size() < needed)) f->stack.resize(std::max(needed, f->stack.size() * 2));
            for (int k = nargs; k < p->num_params; ++k) f->stack[base + k] = Value::nil();
            f->frames.push_back(Frame{cl, 0, base, base - 1, nullptr});
            LOAD_FRAME();
            NEXT;
          }
        }
        SIM_SYNC();
        Invoke inv = invoke(f, arg_a(i), static_cast<int>(arg_b(i)), callee);
        AFTER_INVOKE(inv);
        if (LS_UNLIKELY(implicit_await_)) {  // the builtin's result is awaited at once (await_result)
          implicit_await_ = false;
          awaited = R[arg_a(i)];
          await_reg = arg_a(i);
          goto poll_awaited;
        }
        NEXT;
      }
      CASE(CallMethod) {
        uint32_t a = arg_a(i);
        int nargs = static_cast<int>(arg_b(i));
        Instr extra = code[pc++];
        SAVE_PC();
        auto id = static_cast<MethodId>(arg_a(extra));
        const Value& name = K[arg_bx(extra)];
        Value self = R[a];
        // A map's own function-valued key wins over a builtin method of the same name.
        if (is_obj(self, ObjType::Map)) {
          Value* fv = as<Map>(self)->find(name);
          if (fv && (is_obj(*fv, ObjType::Closure) || is_obj(*fv, ObjType::Builtin))) {
            SIM_SYNC();
            Invoke inv = invoke(f, a, nargs, *fv);
            AFTER_INVOKE(inv);
            NEXT;
          }
        }
        CallArgs args{R + a + 1, nargs, self};
        Value out;
        SIM_SYNC();
        bool called = call_method(*this, id, as<String>(name)->value, args, out);
        SIM_RECHECK_CALL();
        if (LS_UNLIKELY(retry_call_)) {  // the same call again once others caught up
          retry_call_ = false;
          pc -= 2;
          SAVE_PC();
          result = ExecStatus::Paused;
          goto exit;
        }
        if (!called) {
          if (stopped()) goto stop;
          goto handle_error;
        }
        if (stopped()) goto stop;
        R = f->stack.data() + frame->base;
        R[a] = out;
        if (LS_UNLIKELY(yield_after_call_)) {
          yield_after_call_ = false;
          yielded_ = true;
          SAVE_PC();
          result = ExecStatus::Paused;
          goto exit;
        }
        GC_CHECK();
        NEXT;
      }
      CASE(ExtraArg) NEXT;
      CASE(Return) {
        Value v = RA;
        uint32_t frame_index = static_cast<uint32_t>(f->frames.size() - 1);
        close_upvalues(*f, frame->base);
        while (!f->handlers.empty() && f->handlers.back().frame >= frame_index) f->handlers.pop_back();
        Frame done = *frame;
        f->frames.pop_back();
        if (done.completes) done.completes->finish(true, v);
        if (!f->frames.empty()) {
          f->stack[done.dest] = v;
          LOAD_FRAME();
          NEXT;
        }
        f->state = Fiber::State::Done;
        f->result = v;
        if (!f->resumer) {
          result = ExecStatus::Done;
          goto exit;
        }
        // A coroutine finished: back to whoever resumed it, with its return value.
        Fiber* back = f->resumer;
        f->resumer = nullptr;
        back->active = nullptr;
        back->stack[back->resume_dest] = v;
        f = back;
        current_fiber_ = f;
        LOAD_FRAME();
        NEXT;
      }
      CASE(ForPrep) {
        const Value& start = RA;
        const Value& limit = R[arg_a(i) + 1];
        if (!start.is_int() || !limit.is_int())
          ERROR(std::string("a range needs integer bounds, got ") + type_name(start) + " .. " + type_name(limit));
        if (start.as.i >= limit.as.i) {
          pc = static_cast<uint32_t>(static_cast<int32_t>(pc) + arg_sbx(i));
        } else {
          R[arg_a(i) + 2] = start;
        }
        NEXT;
      }
      CASE(ForLoop) {
        // Scalar stores only: reading back a Value just written field by field stalls.
        int64_t next = RA.as.i + 1;
        RA.as.i = next;
        if (next < R[arg_a(i) + 1].as.i) {
          Value& var = R[arg_a(i) + 2];
          var.type = ValueType::Int;
          var.as.i = next;
          pc = static_cast<uint32_t>(static_cast<int32_t>(pc) + arg_sbx(i));
        }
        NEXT;
      }
      CASE(IterPrep) {
        const Value& it = RA;
        if (!is_obj(it, ObjType::List) && !is_obj(it, ObjType::Map) && !is_obj(it, ObjType::String))
          ERROR(std::string("cannot iterate over ") + type_name(it) + " (for ... in needs a list, a map, a string or a range)");
        R[arg_a(i) + 1] = Value::integer(0);
        R[arg_a(i) + 2] = Value::integer(0);
        NEXT;
      }
      CASE(IterNext)
      CASE(IterNext2) {
        SAVE_PC();
        bool more;
        if (!ops::iterate(*this, R + arg_a(i), op_of(i) == Op::IterNext2, more)) goto handle_error;
        if (more) pc = static_cast<uint32_t>(static_cast<int32_t>(pc) + arg_sbx(i));
        GC_CHECK();
        NEXT;
      }
      CASE(Await) {
        Value v = RB;
        uint32_t dest = frame->base + arg_a(i);
        SAVE_PC();
        if (node_ && !is_obj(v, ObjType::Future)) {
          // ECMAScript: await v is PerformPromiseThen(PromiseResolve(v)); at least one job.
          if (is_obj(v, ObjType::Task) && as<TaskObj>(v)->promise) v = Value::object(as<TaskObj>(v)->promise);
          if (is_obj(v, ObjType::Promise)) {
            v = Value::object(heap_.make<PromiseTick>(as<PromiseObj>(v)));
          } else if (is_obj(v, ObjType::Map) && builtin::is_thenable(*this, v)) {
            auto* p = heap_.make<PromiseObj>();
            builtin::resolve_promise(*this, p, v);
            v = Value::object(heap_.make<PromiseTick>(p));
          } else if (!is_obj(v, ObjType::Task)) {
            v = Value::object(heap_.make<ValueTick>(v));
          }
        }
        if (!is_obj(v, ObjType::Future) && !is_obj(v, ObjType::Task) && !is_obj(v, ObjType::Promise)) {
          RA = v;  // awaiting a plain value gives the value
          NEXT;
        }
        if (is_obj(v, ObjType::Future)) {
          auto* lazy = dynamic_cast<LazyCall*>(as<FutureObj>(v));
          if (lazy && lazy->state == LazyCall::State::Unstarted) {
            // Run the async fn right here, as a call whose result also completes the future.
            if (f->frames.size() >= limits_.max_call_depth) {
              stop("limit reached: more than " + std::to_string(limits_.max_call_depth) +
                   " nested calls (unbounded recursion?) in " + lazy->fn->proto->name + "; raise it with --max-depth");
              goto stop;
            }
            lazy->state = LazyCall::State::Inline;
            const Proto* p = lazy->fn->proto;
            uint32_t base = frame->base + frame->closure->proto->max_registers;
            size_t needed = base + p->max_registers;
            if (f->stack.size() < needed) f->stack.resize(std::max(needed, f->stack.size() * 2));
            for (size_t k = 0; k < p->num_params; ++k) f->stack[base + k] = k < lazy->args.size() ? lazy->args[k] : Value::nil();
            f->frames.push_back(Frame{lazy->fn, 0, base, dest, lazy});
            LOAD_FRAME();
            NEXT;
          }
        }
        awaited = v;
        if (is_obj(v, ObjType::Task)) awaited = Value::object(heap_.make<TaskJoin>(as<TaskObj>(v)));
        if (is_obj(v, ObjType::Promise)) awaited = Value::object(heap_.make<PromiseAwait>(as<PromiseObj>(v)));
        await_reg = arg_a(i);
        goto poll_awaited;
      }
      CASE(Spawn) {
        Value v = RB;
        SAVE_PC();
        if (is_obj(v, ObjType::Task)) {
          RA = v;  // already a task
          NEXT;
        }
        if (!is_obj(v, ObjType::Future) && !is_obj(v, ObjType::Promise))
          ERROR(std::string("spawn needs a future (call an async fn: spawn work(x)), got ") + type_name(v));
        if (node_ && is_obj(v, ObjType::Promise)) {
          RA = v;  // profile node: the async call already runs; spawn gives its promise
          NEXT;
        }
        Value fut = v;
        if (is_obj(v, ObjType::Promise)) fut = Value::object(heap_.make<PromiseAwait>(as<PromiseObj>(v)));
        SIM_SYNC();
        TaskObj* t = spawn(fut, "");
        SIM_RECHECK();
        if (!t) {
          if (stopped()) goto stop;
          goto handle_error;
        }
        R = f->stack.data() + frame->base;
        RA = Value::object(t);
        GC_CHECK();
        NEXT;
      }
      CASE(Yield) {
        Value v = RB;
        SAVE_PC();
        if (!f->resumer) ERROR("yield outside a coroutine (this function was called, not resumed; wrap it: coroutine(fn))");
        f->state = Fiber::State::Yielded;
        f->yield_dest = frame->base + arg_a(i);
        Fiber* back = f->resumer;
        f->resumer = nullptr;
        back->active = nullptr;
        back->stack[back->resume_dest] = v;
        f = back;
        current_fiber_ = f;
        LOAD_FRAME();
        NEXT;
      }
      CASE(Throw)
        SAVE_PC();
        raise_value(RA);
        goto handle_error;
      CASE(Try)
        f->handlers.push_back(Handler{static_cast<uint32_t>(f->frames.size() - 1),
                                      static_cast<uint32_t>(static_cast<int32_t>(pc) + arg_sbx(i)), frame->base + arg_a(i)});
        NEXT;
      CASE(EndTry) f->handlers.pop_back(); NEXT;
      CASE(Concat) {
        {  // (the string's scope ends before NEXT: an indirect goto may not leave it)
          std::string s;
          for (uint32_t k = 0; k < arg_c(i); ++k) {
            const Value& part = R[arg_b(i) + k];
            if (is_obj(part, ObjType::String)) {
              s += as<String>(part)->value;
            } else {
              s += to_display_string(part);
            }
          }
          RA = string(std::move(s));
        }
        GC_CHECK();
        NEXT;
      }
      CASE(Range)
        SAVE_PC();
        if (!ops::range_list(*this, RB, RC, RA)) goto handle_error;
        GC_CHECK();
        NEXT;
      CASE(Close) close_upvalues(*f, frame->base + arg_a(i)); NEXT;
      CASE(Unpack) {
        const Value& src = RB;
        if (!is_obj(src, ObjType::List)) ERROR(std::string("let [...] = needs a list, got ") + type_name(src));
        const auto& items = as<List>(src)->items;
        for (uint32_t k = 0; k < arg_c(i); ++k) R[arg_a(i) + k] = k < items.size() ? items[k] : Value::nil();
        NEXT;
      }
      CASE(Count) NEXT;

poll_awaited: {
  // `awaited` (a FutureObj) is polled once; its value goes to register await_reg, or the fiber
  // suspends there until its task is woken.
  R[await_reg] = awaited;  // keep it reachable while it is polled
  Value out;
  SIM_SYNC();
  PollStatus st = as<FutureObj>(awaited)->poll(*this, cx, out);
  SIM_RECHECK();
  current_fiber_ = f;
  current_task_ = root.task;
  if (stopped()) goto stop;
  R = f->stack.data() + frame->base;
  if (st == PollStatus::Ready) {
    R[await_reg] = out;
    GC_CHECK();
    NEXT;
  }
  if (st == PollStatus::Error) {
    raise_value(out);
    goto handle_error;
  }
  if (f != &root) ERROR("a coroutine cannot await (its function is not async)");
  if (root.task && root.task->locks_held) note_lock_across_await(*root.task, awaited);
  f->state = Fiber::State::Awaiting;
  f->awaiting = awaited;
  f->await_dest = frame->base + await_reg;
  result = ExecStatus::Suspended;
  goto exit;
}

handle_error:
  // error_value_ was raised in fiber f: find a handler, going out through coroutines. (An
  // operation that failed because the program was stopped has no error to raise.)
  if (stopped()) goto stop;
  pending_error_ = false;
  for (;;) {
    if (!f->handlers.empty()) {
      Handler h = f->handlers.back();
      f->handlers.pop_back();
      while (f->frames.size() - 1 > h.frame) {
        Frame dead = f->frames.back();
        close_upvalues(*f, dead.base);
        f->frames.pop_back();
        if (dead.completes) dead.completes->finish(false, error_value_);
      }
      close_upvalues(*f, h.reg);
      f->stack[h.reg] = error_value_;
      error_value_ = Value::nil();
      f->frames.back().pc = h.pc;
      current_fiber_ = f;
      LOAD_FRAME();
      goto dispatch;
    }
    // No handler in this fiber: it fails.
    while (!f->frames.empty()) {
      Frame dead = f->frames.back();
      close_upvalues(*f, dead.base);
      f->frames.pop_back();
      if (dead.completes) dead.completes->finish(false, error_value_);
    }
    f->state = Fiber::State::Failed;
    f->result = error_value_;
    f->error_trace = error_trace_;
    if (!f->resumer) {
      error_value_ = Value::nil();
      result = ExecStatus::Failed;
      goto exit;
    }
    // A coroutine failed: the error goes on in whoever resumed it, at the resume call.
    Fiber* back = f->resumer;
    f->resumer = nullptr;
    back->active = nullptr;
    f = back;
    current_fiber_ = f;
  }

stop:
  result = ExecStatus::Stopped;

exit:
  instructions_ += chunk_size - chunk;
  current_fiber_ = saved_fiber;
  current_task_ = saved_task;
  return result;

#undef LOAD_FRAME
#undef SAVE_PC
#undef RA
#undef RB
#undef RC
#undef ERROR
#undef GC_CHECK
#undef AFTER_INVOKE
#undef SIM_SYNC
#undef SIM_RECHECK
#undef SIM_RECHECK_CALL
#undef CASE
#undef NEXT
}

bool VM::resume_builtin(VM& vm, CallArgs&, Value&) {
  // Only reached when resume is called indirectly (the interpreter handles direct calls).
  return vm.raise("resume can only be called directly from script code");
}

}  // namespace loopscope::script
