#include "runtime/sched/local_executor.hpp"

#include <string>

#include "runtime/time/clock.hpp"
#include "runtime/trace/trace.hpp"

#ifndef __EMSCRIPTEN__
#include "runtime/platform/native/reactor.hpp"
#endif

namespace loopscope {

LocalExecutor::LocalExecutor(Driver& driver, ExecutorOptions options) : driver_(driver), options_(options) {
  worker_id_ = options.worker_id;
  if (options_.event_interval == 0) options_.event_interval = 1;
  set_trace(options.trace);
}

void LocalExecutor::set_trace(Trace* trace) noexcept {
  trace_ = trace;
#ifndef __EMSCRIPTEN__
  if (Reactor* r = driver_.reactor()) r->attach_trace(trace);
#endif
}

LocalExecutor::~LocalExecutor() {
  shutdown();
#ifndef __EMSCRIPTEN__
  blocking_.join();  // joins running jobs; they may still wake (already cancelled) tasks
#endif
  take_remote();
  if (held_) drop_queue_entry(std::exchange(held_, nullptr));
  while (TaskHeader* t = ready_.pop()) drop_queue_entry(t);
}

Clock& LocalExecutor::clock() noexcept { return driver_.clock(); }

bool LocalExecutor::on_own_thread() const noexcept {
  Scheduler* c = current();
  return c == this || (c == nullptr && std::this_thread::get_id() == owner_thread_);
}

void LocalExecutor::bind(TaskHeader* task, std::string_view name) {
  if (trace_ && !name.empty()) trace_->name_task(task->id, name);
  if (!on_own_thread()) {
    // Spawned from another thread: the owner list and the trace ring belong to the executor's
    // thread, which binds the task when it takes it from the remote queue.
    {
      std::lock_guard<std::mutex> g(remote_lock_);
      remote_spawns_.push(task);
      remote_pending_.store(true, std::memory_order_release);
    }
    driver_.unpark();
    return;
  }
  adopt(task, current_task_id());
  if (!running_) driver_.unpark();  // spawned between runs: a host that waits on events must know
}

void LocalExecutor::adopt(TaskHeader* task, uint64_t parent) {
  if (!owned_.insert(task)) {
    // Shutting down: the task never runs. Drop the owner list's reference it was born with,
    // then cancel it through the queue's reference.
    task->state.ref_dec();
    task->vtable->shutdown(task);
    return;
  }
  ready_.push(task);
  if (trace_) trace_->emit(worker_id_, EventKind::Spawn, task->id, parent);  // (after: a snapshot at it sees it queued)
}

void LocalExecutor::schedule(TaskHeader* task) noexcept {
  if (on_own_thread()) {
    ready_.push(task);
    if (trace_) trace_->emit(worker_id_, EventKind::Wake, task->id, current_task_id());
    if (!running_) driver_.unpark();  // woken between runs (a browser callback): run soon
    return;
  }
  {
    std::lock_guard<std::mutex> g(remote_lock_);
    remote_.push(task);
    remote_pending_.store(true, std::memory_order_release);
  }
  driver_.unpark();
}

uint64_t LocalExecutor::next_task_id() noexcept {
  if (on_own_thread()) return ++local_task_ids_;
  return remote_task_ids_.fetch_add(1, std::memory_order_relaxed) + 1;
}

bool LocalExecutor::release(TaskHeader* task) noexcept { return owned_.remove(task); }

void LocalExecutor::queue_microtask(Microtask task) {
  ++microtask_seq_;
  if (trace_) trace_->emit(worker_id_, EventKind::MicrotaskEnqueue, current_task_id(), microtask_seq_);
  microtasks_.push(std::move(task));
}

void LocalExecutor::describe_queues(QueueState& out) const {
  QueueState::Worker& w = out.workers.emplace_back();
  ready_.for_each([&](TaskHeader* t) { w.local.push_back(t->id); });
  w.held = held_ ? held_->id : 0;
  w.microtasks = microtasks_.size();
  out.add_timers(timers_);
  out.blocking_jobs = blocking_.in_flight();
}

void LocalExecutor::run_blocking(SmallFunction<void()> job) { blocking_.run(*this, driver_, std::move(job)); }

void LocalExecutor::take_remote() {
  if (!remote_pending_.load(std::memory_order_acquire)) return;
  TaskQueue woken, spawned;
  {
    std::lock_guard<std::mutex> g(remote_lock_);
    woken.append(remote_);
    spawned.append(remote_spawns_);
    remote_pending_.store(false, std::memory_order_relaxed);
  }
  while (TaskHeader* t = spawned.pop()) adopt(t, 0);
  std::vector<uint64_t> ids;  // (traced once queued)
  if (trace_) woken.for_each([&](TaskHeader* t) { ids.push_back(t->id); });
  ready_.append(woken);
  for (uint64_t id : ids) trace_->emit(worker_id_, EventKind::Wake, id, 0);
}

void LocalExecutor::poll_task(TaskHeader* task) {
  uint64_t id = task->id;
  bool continued = std::exchange(task->held, false);  // the rest of a held poll: one poll in the trace
  if (trace_ && !continued)
    trace_->emit(worker_id_, EventKind::PollBegin, id, static_cast<uint64_t>(TaskSource::Queue), ready_.size());
  Budget budget{continued ? held_budget_ : options_.budget};  // one poll, one budget
  bool resumed = std::exchange(task->resume_running, false);
  PollResult result = task->vtable->poll(task, &budget, resumed);  // may free the task
  if (take_yield_cause() == YieldCause::Held && result == PollResult::Yielded) {
    task->resume_running = task->held = true;
    held_ = task;
    held_budget_ = budget.remaining;
    return;
  }
  if (trace_) trace_poll_end(*trace_, worker_id_, id, result, budget.remaining);
  if (result == PollResult::Yielded || result == PollResult::Notified) {
    // Yielded: still RUNNING, we own it until it is polled again (the flag travels with the entry).
    task->resume_running = result == PollResult::Yielded;
    ready_.push(task);
  }
  if (!microtasks_.empty()) drain_microtasks();
}

void LocalExecutor::drain_microtasks() {
  uint64_t seq = microtask_seq_ - microtasks_.size();
  // A drain that a held microtask interrupted goes on: one drain in the trace.
  auto [first, start] = held_drain_ ? *std::exchange(held_drain_, std::nullopt)
                                    : std::pair<uint64_t, uint64_t>{seq, trace_ ? clock().now_ns() : 0};
  while (!microtasks_.empty()) {
    Microtask m = microtasks_.pop();
    ++seq;
    if (trace_) trace_->emit(worker_id_, EventKind::MicrotaskRun, 0, seq);
    if (!run_microtask(m)) {
      held_microtask_ = std::move(m);
      held_drain_.emplace(first, start);
      return;
    }
  }
  if (trace_ && seq != first) trace_->emit(worker_id_, EventKind::MicrotaskDrain, 0, seq - first, clock().now_ns() - start);
}

bool LocalExecutor::run_microtask(Microtask& m) {
  try {
    return ran_to_end(m);
  } catch (...) {
    take_yield_cause();  // whatever it set before throwing
    if (!microtask_error_) microtask_error_ = std::current_exception();
    return true;
  }
}

bool LocalExecutor::resume_microtasks() {
  Microtask m = std::move(held_microtask_);
  if (!run_microtask(m)) {
    held_microtask_ = std::move(m);
    return false;
  }
  drain_microtasks();
  return !held_microtask_;
}

void LocalExecutor::rethrow_microtask_error() {
  if (microtask_error_) std::rethrow_exception(std::exchange(microtask_error_, nullptr));
}

size_t LocalExecutor::run_ready(size_t max) {
  size_t polled = 0;
  if (held_microtask_) {  // (counts as a poll: work was done)
    if (!resume_microtasks()) return 1;
    ++polled;
  }
  while (polled < max) {
    TaskHeader* task = std::exchange(held_, nullptr);
    if (!task) task = ready_.pop();
    if (!task) {
      take_remote();
      task = ready_.pop();
      if (!task) break;
    }
    poll_task(task);
    ++polled;
    if (holding()) break;  // other lanes (simulation) or the page run before the rest of it
  }
  return polled;
}

void LocalExecutor::fire_timers() {
  if (timers_.empty()) return;
  timers_.fire_due(clock().now_ns(), [&](uint64_t task, uint64_t id) {
    if (trace_) trace_->emit(worker_id_, EventKind::TimerFire, task, id);
  });
}

std::optional<uint64_t> LocalExecutor::time_to_next_timer() const {
  auto next = timers_.next_deadline();
  if (!next) return std::nullopt;
  uint64_t deadline = *next;
  uint64_t now = driver_.clock().now_ns();
  return deadline > now ? deadline - now : 0;
}

void LocalExecutor::turn() {
  take_remote();
  fire_timers();
  size_t polled = run_ready(options_.event_interval);
  if (polled > 0) {
    // Return so the caller can see whether what it waits for is done. If tasks are still
    // ready, first look at I/O without waiting so that it is not starved by them.
    if (polled >= options_.event_interval) driver_.park(0, true);
    return;
  }
  bool may_be_woken = blocking_.in_flight() > 0;
  if (!driver_.park(time_to_next_timer(), may_be_woken)) {
    throw Deadlock("deadlock: the awaited task is waiting, no task can run and no timer, I/O or blocking job is pending (" +
                   std::to_string(owned_.size()) + " tasks waiting)");
  }
}

bool LocalExecutor::wait_for_event(std::optional<uint64_t> max_ns) {
  auto timeout = time_to_next_timer();
  if (max_ns && (!timeout || *max_ns < *timeout)) timeout = max_ns;
  return driver_.park(timeout, blocking_jobs() > 0);
}

size_t LocalExecutor::run_until_idle() {
  RunScope run(*this);
  size_t polled = 0;
  // A held poll (simulation) is the middle of a round: the round goes on before timers and
  // I/O are looked at again, as if it had never stopped.
  bool mid_round = holding();
  for (;;) {
    if (!std::exchange(mid_round, false)) {
      take_remote();
      fire_timers();
      driver_.park(0, true);
    }
    size_t n = run_ready(SIZE_MAX);
    polled += n;
    if (holding()) break;
    if (n == 0 && ready_.empty() && !remote_pending_.load(std::memory_order_acquire)) break;
  }
  rethrow_microtask_error();
  return polled;
}

LocalExecutor::SliceResult LocalExecutor::run_slice(uint64_t max_ns) {
  // The clock is read when a script's poll asks for the deadline (yield_deadline) or after
  // kPollsPerCheck polls, whichever comes first; the slice ends max_ns after that read.
  constexpr size_t kPollsPerCheck = 16;
  RunScope run(*this);
  slice_end_ = kSliceUnread;
  slice_ns_ = max_ns;
  struct EndSlice {
    uint64_t& end;
    ~EndSlice() { end = UINT64_MAX; }
  } end_slice{slice_end_};
  driver_.park(0, true);  // pick up I/O readiness without waiting
  size_t unchecked = 0;   // polls since the clock was read
  for (;;) {
    take_remote();
    fire_timers();
    size_t n = run_ready(kPollsPerCheck - unchecked);
    // Done when nothing is ready and another pass could make nothing ready: no timer to fire,
    // no remote wake-up, nothing held. A slice that polls one woken task (a Promise bridge hop)
    // ends here, without a second pass (5-15% of a hop in Node: bench/README.md).
    if (ready_.empty() && (n == 0 || (!holding() && timers_.empty() && !remote_pending_.load(std::memory_order_acquire))))
      break;
    unchecked += n;
    // A held poll means the deadline has passed (the clock says whether the slice is over).
    if (unchecked < kPollsPerCheck && !holding()) continue;
    uint64_t now = clock().now_ns();
    if (slice_end_ == kSliceUnread) slice_end_ = now + max_ns;
    else if (now >= slice_end_) break;
    unchecked = 0;
  }
  SliceResult out{!ready_.empty() || holding() || remote_pending_.load(std::memory_order_acquire), std::nullopt};
  if (auto next = timers_.next_deadline()) out.next_timer_ns = *next;
  if (microtask_error_) rethrow_microtask_error();
  return out;
}

uint64_t LocalExecutor::yield_deadline() const noexcept {
  if (slice_end_ == kSliceUnread) slice_end_ = driver_.clock().now_ns() + slice_ns_;
  return slice_end_;
}

void LocalExecutor::shutdown() {
  RunScope run(*this);
  shutting_down_ = true;
  held_microtask_.reset();
  held_drain_.reset();
  owned_.close();
  // Cancelling a task runs destructors, which may wake or even spawn; keep going until empty.
  while (TaskHeader* task = owned_.pop()) {
    uint64_t id = task->id;
    task->vtable->shutdown(task);
    if (trace_) trace_->emit(worker_id_, EventKind::TaskAbort, id);
  }
  drain_microtasks();
  microtask_error_ = nullptr;
  take_remote();
  if (held_) drop_queue_entry(std::exchange(held_, nullptr));
  while (TaskHeader* t = ready_.pop()) drop_queue_entry(t);
}

}  // namespace loopscope
