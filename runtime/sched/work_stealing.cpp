#include "runtime/sched/work_stealing.hpp"

#include <stdexcept>
#include <thread>

#include "runtime/time/clock.hpp"
#include "runtime/trace/trace.hpp"

#ifndef __EMSCRIPTEN__
#include "runtime/platform/native/blocking_pool.hpp"
#endif

namespace loopscope {

struct WorkStealingScheduler::Worker {
  Worker(WorkStealingScheduler* s, uint32_t i, Driver* d, uint32_t workers, uint64_t seed)
      : owner(s), index(i), driver(d), own_timers(d), timers(&own_timers), seen_polls(workers, UINT64_MAX),
        rng((seed + 1) * 0x9E3779B97F4A7C15ull * (i + 1) | 1) {}

  WorkStealingScheduler* owner;
  const uint32_t index;
  Driver* driver;
  Timers own_timers;
  Timers* timers;  // its own, or worker 0's when the timers are shared
  LocalQueue<kLocalQueueCapacity> queue;
  // Owner-only state.
  TaskHeader* lifo = nullptr;
  // A task that yielded when nothing else was queued: the next one the queue gives, kept out of
  // the ring (whose pop costs an atomic read-modify-write). It joins the ring, ahead of the rest,
  // once something else is queued or a LIFO task runs first (so that it stays stealable).
  TaskHeader* yielded = nullptr;
  uint32_t lifo_streak = 0;    // LIFO polls in a row since the last task taken from a queue
  TaskHeader* held = nullptr;  // simulation: a poll paused at the horizon, resumed first
  Budget budget;               // what is left of this tick's budget (a poll and its LIFO chain)
  std::vector<Waker> deferred;  // yield_now()s woken after the next look at timers and I/O
  struct RunnextSteal {         // simulation, steal_runnext: whose LIFO task to take, and when
    uint32_t victim;
    uint64_t task, at_ns;
  };
  std::optional<RunnextSteal> runnext_steal;
  uint64_t slice_start = 0;    // when the current time slice began (preemption)
  TaskSource source = TaskSource::Queue;  // where next_task/steal_work found the task
  // The tick (scheduling decisions so far) modulo event_interval and global_queue_interval:
  // what the rules look at, without a division per decision.
  uint32_t event_phase = 0, global_phase = 0;
  void advance_tick(const WorkStealingOptions& o) noexcept {
    if (++event_phase == o.event_interval) event_phase = 0;
    if (++global_phase == o.global_queue_interval) global_phase = 0;
  }
  bool searching = false;
  RingQueue<Microtask> microtasks;
  Microtask held_microtask;  // a microtask held mid-way, resumed first; its drain's jobs and start
  std::optional<std::pair<uint64_t, uint64_t>> held_drain;
  std::vector<uint64_t> seen_polls;  // the watcher's last look at each worker's poll count
  uint64_t rng;
  uint64_t next_id = 0, id_end = 0;  // a block of task ids
  uint32_t idle_watches = 0;          // watcher wake-ups in a row with every worker parked
  bool spin = false;                  // the last park was short: spin before the next one
  // Shared state.
  alignas(64) std::atomic<uint64_t> polls{0};  // finished polls: a stuck worker's stays put
  std::atomic<bool> driving{false};            // held by whoever polls its reactor and timers

  uint32_t random() noexcept {  // xorshift64
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return static_cast<uint32_t>(rng);
  }
};

namespace {
thread_local WorkStealingScheduler* t_scheduler = nullptr;
thread_local void* t_worker = nullptr;  // the Worker of t_scheduler running on this thread
constexpr uint64_t kIdBlock = 1024;
}  // namespace

WorkStealingScheduler::WorkStealingScheduler(std::vector<Driver*> drivers, WorkStealingOptions options)
    : options_(options), idle_(static_cast<uint32_t>(drivers.size())) {
  if (drivers.empty()) throw std::invalid_argument("a runtime needs at least one worker");
  if (options_.global_queue_interval == 0) options_.global_queue_interval = 1;
  if (options_.event_interval == 0) options_.event_interval = 1;
  if (options_.budget == 0) options_.budget = Budget::kUnconstrained;  // budget(0): off
  options_.workers = static_cast<uint32_t>(drivers.size());
  trace_ = options_.trace;
  for (uint32_t i = 0; i < drivers.size(); ++i)
    workers_.push_back(std::make_unique<Worker>(this, i, drivers[i], options_.workers, options_.seed));
  if (options_.shared_timers)
    for (auto& w : workers_) w->timers = &workers_[0]->own_timers;
  // Go's P0 has run three goroutines of the runtime's own before main.main (runtime.main's
  // start-up, the finalizer and init tasks): main's first decision is its fourth tick.
  if (options_.go_schedtick)
    for (int i = 0; i < 3; ++i) workers_[0]->advance_tick(options_);
}

WorkStealingScheduler::~WorkStealingScheduler() {
  stop();
  finish_shutdown();
#ifndef __EMSCRIPTEN__
  blocking_.reset();  // joins running jobs; they may still wake (already cancelled) tasks
#endif
  for (TaskHeader* t; (t = inject_.pop());) drop_queue_entry(t);
}

WorkStealingScheduler::Worker* WorkStealingScheduler::worker_of_this_thread() const noexcept {
  return t_scheduler == this ? static_cast<Worker*>(t_worker) : nullptr;
}

int WorkStealingScheduler::current_worker() const noexcept {
  Worker* w = worker_of_this_thread();
  return w ? static_cast<int>(w->index) : -1;
}

uint16_t WorkStealingScheduler::worker_id() const noexcept {
  Worker* w = worker_of_this_thread();
  return w ? static_cast<uint16_t>(w->index) : Trace::kOutsideWorker;
}

void WorkStealingScheduler::trace(Worker* w, EventKind kind, uint64_t task, uint64_t a, uint64_t b) noexcept {
  trace_->emit(w ? static_cast<uint16_t>(w->index) : Trace::kOutsideWorker, kind, task, a, b);
}

// --- tasks in and out ---------------------------------------------------------------------

uint64_t WorkStealingScheduler::next_task_id() noexcept {
  Worker* w = worker_of_this_thread();
  if (!w) return task_ids_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (w->next_id == w->id_end) {
    w->next_id = task_ids_.fetch_add(kIdBlock, std::memory_order_relaxed);
    w->id_end = w->next_id + kIdBlock;
  }
  return ++w->next_id;
}

void WorkStealingScheduler::bind(TaskHeader* task, std::string_view name) {
  if (trace_ && !name.empty()) trace_->name_task(task->id, name);
  OwnedShard& shard = owned_[task->id % kOwnedShards];
  bool owned;
  {
    std::lock_guard<SpinLock> g(shard.lock);
    owned = shard.tasks.insert(task);
  }
  if (!owned) {
    // Shutting down: the task never runs. Drop the owner list's reference it was born with,
    // then cancel it through the queue's reference.
    task->state.ref_dec();
    task->vtable->shutdown(task);
    return;
  }
  Worker* w = worker_of_this_thread();
  // Stamped before the task is queued (another worker may poll it at once), emitted after (a
  // snapshot at the event sees it queued).
  uint64_t id = task->id, at = trace_ ? trace_->now() : 0;
  if (w) {
    schedule_here(*w, task);
  } else {
    push_inject(task);
  }
  if (trace_) trace_->emit_at(at, w ? static_cast<uint16_t>(w->index) : Trace::kOutsideWorker, EventKind::Spawn, id, current_task_id());
}

bool WorkStealingScheduler::is_quiescent() const noexcept {
  if (idle_.unparked() != 0 || !inject_.empty() || pending_timers() != 0) return false;
#ifndef __EMSCRIPTEN__
  if (blocking_in_flight_.load(std::memory_order_acquire) != 0) return false;
#endif
  for (auto& w : workers_)
    if (!w->queue.empty() || w->driver->has_io_interest()) return false;  // (parked: LIFO slot empty)
  return true;
}

bool WorkStealingScheduler::release(TaskHeader* task) noexcept {
  OwnedShard& shard = owned_[task->id % kOwnedShards];
  bool removed;
  {
    std::lock_guard<SpinLock> g(shard.lock);
    removed = shard.tasks.remove(task);
  }
  return removed;
}

size_t WorkStealingScheduler::alive_tasks() const noexcept {
  // Counted per shard, under its lock: one counter for all would bounce between the workers.
  size_t n = 0;
  for (const OwnedShard& shard : owned_) {
    std::lock_guard<SpinLock> g(shard.lock);
    n += shard.tasks.size();
  }
  return n;
}

size_t WorkStealingScheduler::pending_timers() const noexcept {
  size_t n = 0;
  for (auto& w : workers_) n += w->own_timers.size();
  return n;
}

namespace {
thread_local bool t_driving = false;  // this thread fires timers or dispatches I/O right now
}

void WorkStealingScheduler::schedule(TaskHeader* task) noexcept {
  Worker* w = worker_of_this_thread();
  uint64_t id = task->id, at = trace_ ? trace_->now() : 0;  // (stamped before, emitted after: see bind)
  if (!w || (t_driving && options_.driver_wakes == TaskTarget::Inject)) {
    push_inject(task);
  } else if (t_driving && options_.driver_wakes == TaskTarget::Lifo) {
    put_in_lifo(*w, task);
  } else {
    schedule_here(*w, task);
  }
  if (trace_) trace_->emit_at(at, w ? static_cast<uint16_t>(w->index) : Trace::kOutsideWorker, EventKind::Wake, id, current_task_id());
}

void WorkStealingScheduler::schedule_here(Worker& w, TaskHeader* task) noexcept {
  if (t_polling_task) {
    // Spawned or woken by the task being polled: it likely waits for this one (a reply, a lock
    // hand-off). Run it next, while its data is in this core's cache.
    TaskHeader* prev = std::exchange(w.lifo, task);
    if (!prev) {
      // Go wakes an idle worker for the LIFO task alone (ready's wakep), which may steal it.
      bool stealable = options_.steal_runnext || !w.queue.empty();
      if (!w.searching && stealable && idle_.should_notify()) notify_parked();
      return;
    }
    task = prev;
  }
  push_local(w, task);
}

void WorkStealingScheduler::put_in_lifo(Worker& w, TaskHeader* task) noexcept {
  if (TaskHeader* prev = std::exchange(w.lifo, task)) push_local(w, prev);
}

void WorkStealingScheduler::push_local(Worker& w, TaskHeader* task) noexcept {
  Overflow overflow{this};
  if (TaskHeader* y = std::exchange(w.yielded, nullptr)) w.queue.push_back(y, overflow);  // it came first
  w.queue.push_back(task, overflow);
  // More than one task waiting here and nobody searching: let an idle worker come and steal.
  if (!w.searching && idle_.should_notify() && w.queue.len() + (w.lifo ? 1 : 0) > 1) notify_parked();
}

void WorkStealingScheduler::Overflow::push_batch(TaskQueue& batch) noexcept {
  if (!scheduler->inject_.push_batch(batch))
    while (TaskHeader* t = batch.pop()) drop_queue_entry(t);
}

void WorkStealingScheduler::push_inject(TaskHeader* task) noexcept {
  if (!inject_.push(task)) {
    drop_queue_entry(task);  // shut down: the task is (being) cancelled already
    return;
  }
  notify_parked();
}

void WorkStealingScheduler::notify_parked() noexcept {
  if (auto index = idle_.worker_to_notify()) workers_[*index]->driver->unpark();
}

void WorkStealingScheduler::notify_if_work_pending() noexcept {
  for (auto& w : workers_) {
    if (!w->queue.empty()) {
      notify_parked();
      return;
    }
  }
  if (!inject_.empty()) notify_parked();
}

// --- services for futures ------------------------------------------------------------------

Clock& WorkStealingScheduler::clock() noexcept { return workers_[0]->driver->clock(); }

Timers& WorkStealingScheduler::timers() noexcept {
  Worker* w = worker_of_this_thread();
  return *(w ? w : workers_[0].get())->timers;
}

Reactor* WorkStealingScheduler::reactor() noexcept {
  Worker* w = worker_of_this_thread();
  return (w ? w : workers_[0].get())->driver->reactor();
}

void WorkStealingScheduler::queue_microtask(Microtask task) {
  Worker* w = worker_of_this_thread();
  if (!w) throw std::logic_error("queue_microtask called outside the runtime's workers");
  if (trace_) trace(w, EventKind::MicrotaskEnqueue, current_task_id());
  w->microtasks.push(std::move(task));
}

bool WorkStealingScheduler::drain_microtasks(Worker& w) {
  // A drain that a held microtask interrupted goes on: one drain in the trace.
  auto [jobs, start] = w.held_drain ? *std::exchange(w.held_drain, std::nullopt)
                                    : std::pair<uint64_t, uint64_t>{0, trace_ ? clock().now_ns() : 0};
  while (!w.microtasks.empty()) {
    ++jobs;
    Microtask m = w.microtasks.pop();
    if (trace_) trace(&w, EventKind::MicrotaskRun, 0);
    if (!run_microtask(m)) {
      w.held_microtask = std::move(m);
      w.held_drain.emplace(jobs, start);
      return false;
    }
  }
  if (trace_) trace(&w, EventKind::MicrotaskDrain, 0, jobs, clock().now_ns() - start);
  return true;
}

bool WorkStealingScheduler::run_microtask(Microtask& m) {
  try {
    return ran_to_end(m);
  } catch (...) {
    take_yield_cause();  // whatever it set before throwing
    std::lock_guard<std::mutex> g(error_lock_);
    if (!microtask_error_) microtask_error_ = std::current_exception();
    return true;
  }
}

bool WorkStealingScheduler::resume_microtasks(Worker& w) {
  Microtask m = std::move(w.held_microtask);
  if (!run_microtask(m)) {
    w.held_microtask = std::move(m);
    return false;
  }
  return drain_microtasks(w);
}

std::exception_ptr WorkStealingScheduler::take_microtask_error() noexcept {
  std::lock_guard<std::mutex> g(error_lock_);
  return std::exchange(microtask_error_, nullptr);
}

void WorkStealingScheduler::run_blocking(SmallFunction<void()> job) {
#ifdef __EMSCRIPTEN__
  (void)job;
  throw std::logic_error("spawn_blocking needs threads");
#else
  BlockingPool* pool;
  {
    std::lock_guard<std::mutex> g(blocking_lock_);
    if (!blocking_) blocking_ = std::make_unique<BlockingPool>();
    pool = blocking_.get();
  }
  blocking_in_flight_.fetch_add(1, std::memory_order_relaxed);
  pool->submit([this, job = std::move(job)]() mutable {
    job();
    blocking_in_flight_.fetch_sub(1, std::memory_order_release);
  });
#endif
}

// --- the worker loop -----------------------------------------------------------------------

// Makes `w` the worker of the calling thread for a scope.
class WorkStealingScheduler::WorkerScope {
 public:
  WorkerScope(WorkStealingScheduler* s, Worker& w) noexcept
      : prev_scheduler_(std::exchange(t_scheduler, s)), prev_worker_(std::exchange(t_worker, &w)), enter_(s) {}
  ~WorkerScope() {
    t_scheduler = prev_scheduler_;
    t_worker = prev_worker_;
  }

 private:
  WorkStealingScheduler* prev_scheduler_;
  void* prev_worker_;
  EnterGuard enter_;
};

void WorkStealingScheduler::run_worker(uint32_t index) {
  Worker& w = *workers_.at(index);
  WorkerScope scope(this, w);
  while (!is_stopping()) {
    if (!step(w)) park(w);
  }
  if (watcher_.load() == static_cast<int32_t>(index)) watcher_.store(-1);
}

bool WorkStealingScheduler::run_once(uint32_t index) {
  Worker& w = *workers_.at(index);
  WorkerScope scope(this, w);
  return step(w);
}

bool WorkStealingScheduler::holds_a_poll(uint32_t index) const noexcept {
  const Worker& w = *workers_.at(index);
  return w.held != nullptr || static_cast<bool>(w.held_microtask);
}

uint64_t WorkStealingScheduler::held_task(uint32_t index) const noexcept {
  const TaskHeader* held = workers_.at(index)->held;
  return held ? held->id : 0;
}

void WorkStealingScheduler::describe_queues(QueueState& out) const {
  for (const auto& w : workers_) {
    QueueState::Worker& q = out.workers.emplace_back();
    w->queue.for_each([&](TaskHeader* t) { q.local.push_back(t->id); });
    if (w->yielded) q.local.insert(q.local.begin(), w->yielded->id);
    q.lifo = w->lifo ? w->lifo->id : 0;
    q.held = w->held ? w->held->id : 0;
    for (const Waker& waker : w->deferred)
      if (waker.vtable() == &TaskHeader::kWakerVTable) q.deferred.push_back(static_cast<TaskHeader*>(waker.data())->id);
    q.microtasks = w->microtasks.size();
    if (w->timers == &w->own_timers) out.add_timers(w->own_timers);
  }
  inject_.for_each([&](TaskHeader* t) { out.inject.push_back(t->id); });
#ifndef __EMSCRIPTEN__
  out.blocking_jobs = blocking_in_flight_.load(std::memory_order_relaxed);
#endif
}

uint64_t WorkStealingScheduler::preemption_deadline() const noexcept {
  Worker* w = worker_of_this_thread();
  if (!options_.time_slice_ns || !w) return UINT64_MAX;
  // A task run next from the LIFO slot inherits the slice (Go's runnext), but the preemption
  // request comes from a monitor that looks every 20 µs at best: a task that just started is
  // never preempted before that.
  return std::max(w->slice_start + options_.time_slice_ns, w->driver->clock().now_ns() + kPreemptCheckNs);
}

bool WorkStealingScheduler::step(Worker& w) {
  if (TaskHeader* held = std::exchange(w.held, nullptr)) {
    run_task(w, held);  // the rest of a poll the simulator or the page paused
    return true;
  }
  if (w.held_microtask) {  // the rest of a drain after a poll, then that poll's LIFO hand-offs
    if (resume_microtasks(w)) run_lifo(w);
    return true;
  }
  if (!options_.go_schedtick) w.advance_tick(options_);
  if (w.event_phase == 0) {
    if (try_drive(w, w)) wake_deferred(w);  // maintenance
  } else if (options_.timely_timers && (w.event_phase & 7) == 0) {
    uint64_t due = w.timers->earliest_hint_ns();  // (the clock is read only while a timer waits)
    if (due != UINT64_MAX && due <= clock().now_ns()) try_drive(w, w);
  }
  TaskHeader* task = next_task(w);
  if (!task) task = steal_work(w);
  if (!task) {
    if (w.deferred.empty()) return false;
    // Only yielded tasks wait: look at timers and I/O once without waiting, wake them, and decide
    // again (Tokio's park_timeout(0)).
    try_drive(w, w);
    wake_deferred(w);
    return true;
  }
  // A task from the LIFO slot inherits the time slice of the one that readied it (Go's runnext).
  if (options_.time_slice_ns && (w.source != TaskSource::Lifo || options_.chain_lifo)) w.slice_start = clock().now_ns();
  if (options_.go_schedtick && w.source != TaskSource::Lifo) w.advance_tick(options_);
  run_task(w, task);
  return true;
}

bool WorkStealingScheduler::defer_yield(const Waker& waker) noexcept {
  Worker* w = worker_of_this_thread();
  if (options_.yield_now != TaskTarget::Deferred || !w) return false;
  w->deferred.push_back(waker);
  return true;
}

void WorkStealingScheduler::wake_deferred(Worker& w) noexcept {
  // Woken with the worker in context, oldest first, so through the LIFO slot (Tokio's
  // wake_deferred_tasks in park_timeout): the last one to yield runs first. A task something
  // else woke meanwhile ignores its wake-up, or takes it as a spurious one if it waits again.
  t_driving = true;
  for (Waker& waker : w.deferred) waker.wake();  // (a wake-up only queues: nothing defers meanwhile)
  t_driving = false;
  w.deferred.clear();
}

TaskHeader* WorkStealingScheduler::next_task(Worker& w) noexcept {
  if (w.global_phase == 0) {
    if (TaskHeader* t = inject_.pop()) {
      w.source = TaskSource::Inject;
      return t;
    }
  }
  if (TaskHeader* t = std::exchange(w.lifo, nullptr)) {  // put there by timers, I/O or yields
    w.source = TaskSource::Lifo;
    return t;
  }
  w.source = TaskSource::Queue;
  if (TaskHeader* t = std::exchange(w.yielded, nullptr)) return t;
  if (TaskHeader* t = w.queue.pop()) return t;
  return pull_inject(w);
}

TaskHeader* WorkStealingScheduler::pull_inject(Worker& w) noexcept {
  if (inject_.empty()) return nullptr;
  w.source = TaskSource::Inject;
  // A fair share of the inject queue, so that the other workers find some too.
  size_t share = inject_.len() / workers() + 1;
  size_t room = w.queue.remaining_slots();
  if (share > room / 2) share = room / 2 > 0 ? room / 2 : 1;
  TaskQueue batch;
  if (inject_.pop_n(batch, share) == 0) return nullptr;
  TaskHeader* first = batch.pop();
  Overflow overflow{this};
  while (TaskHeader* t = batch.pop()) w.queue.push_back(t, overflow);
  return first;
}

TaskHeader* WorkStealingScheduler::steal_work(Worker& w) noexcept {
  if (!w.searching) {
    if (!idle_.transition_to_searching()) return nullptr;
    w.searching = true;
  }
  uint32_t n = workers();
  uint32_t start = w.random() % n;
  for (uint32_t i = 0; i < n; ++i) {
    Worker& victim = *workers_[(start + i) % n];
    if (&victim == &w) continue;
    uint32_t before = w.queue.len();
    if (TaskHeader* t = victim.queue.steal_into(w.queue)) {
      w.source = TaskSource::Stolen;
      if (trace_) trace(&w, EventKind::Steal, t->id, victim.index, w.queue.len() - before + 1);
      return t;
    }
  }
  return pull_inject(w);
}

void WorkStealingScheduler::run_task(Worker& w, TaskHeader* task) {
  // A held poll goes on where it stopped, in the middle of its LIFO streak and budget: a pause
  // (the horizon, a viewer's step) must not change what the scheduler decides next.
  if (!task->held) {
    w.lifo_streak = 0;
    w.budget.remaining = options_.budget;
  }
  if (w.searching) {
    w.searching = false;
    // The last searcher found work: wake someone to keep looking if there is more to find. (With
    // nothing else queued, that wake-up would only cost this poll a syscall and a core; work
    // queued later wakes a worker itself.)
    if (idle_.transition_from_searching() && (options_.always_pass_search_on || !inject_.empty() || !w.queue.empty()))
      notify_parked();
  }
  ensure_watched(w);
  if (poll_task(w, task, w.source)) run_lifo(w);
}

void WorkStealingScheduler::run_lifo(Worker& w) {
  if (!options_.chain_lifo) return;  // the next decision takes it, after the timers
  while (w.lifo) {
    if ((w.lifo_streak == options_.lifo_limit && options_.lifo_limit != 0) || w.budget.remaining == 0) {
      // Two tasks waking each other would keep this worker forever: back to the queue, once
      // the tick's budget is spent (or after `lifo_limit` in a row).
      push_local(w, std::exchange(w.lifo, nullptr));
      break;
    }
    ++w.lifo_streak;
    TaskHeader* next = std::exchange(w.lifo, nullptr);
    if (trace_) trace(&w, EventKind::LifoHit, next->id);
    if (!poll_task(w, next, TaskSource::Lifo)) return;
  }
}

bool WorkStealingScheduler::poll_task(Worker& w, TaskHeader* task, TaskSource source) {
  // A LIFO task goes first: a task that yielded alone joins the ring, stealable meanwhile.
  if (source == TaskSource::Lifo && w.yielded) push_local(w, std::exchange(w.yielded, nullptr));
  uint64_t id = task->id;
  bool continued = std::exchange(task->held, false);  // the rest of a held poll: one poll in the trace
  if (!continued) {
    if (trace_) trace(&w, EventKind::PollBegin, id, static_cast<uint64_t>(source), w.queue.len() + (w.lifo ? 1 : 0));
  }
  bool resumed = std::exchange(task->resume_running, false);
  PollResult result = task->vtable->poll(task, &w.budget, resumed);  // may free the task
  YieldCause cause = take_yield_cause();
  if (result == PollResult::Yielded && cause == YieldCause::Held) {
    task->resume_running = true;
    task->held = true;
    w.held = task;
    return false;
  }
  w.polls.store(w.polls.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  if (trace_) trace_poll_end(*trace_, static_cast<uint16_t>(w.index), id, result, w.budget.remaining);
  if (result == PollResult::Yielded || result == PollResult::Notified) {
    // Yielded: still RUNNING, we own it until it is polled again (the flag travels with the entry).
    task->resume_running = result == PollResult::Yielded;
    if (result == PollResult::Yielded) {
      requeue_yielded(w, task, cause);
    } else {
      push_local(w, task);
    }
  }
  return w.microtasks.empty() || drain_microtasks(w);
}

void WorkStealingScheduler::requeue_yielded(Worker& w, TaskHeader* task, YieldCause cause) noexcept {
  if (cause == YieldCause::Preempted && trace_) trace(&w, EventKind::Preempt, task->id);
  if (cause == YieldCause::Preempted || (cause == YieldCause::YieldNow && options_.yield_now == TaskTarget::Inject)) {
    push_inject(task);
  } else if (!w.yielded && !w.lifo && w.queue.empty()) {
    w.yielded = task;  // alone: next in line, without a trip through the ring
  } else {
    push_local(w, task);
  }
}

// --- timers, I/O and parking -----------------------------------------------------------------

void WorkStealingScheduler::fire_timers(Worker& self, Worker& target) {
  if (target.timers->empty()) return;
  t_driving = true;
  target.timers->fire_due(clock().now_ns(), [&](uint64_t task, uint64_t id) {
    if (trace_) trace(&self, EventKind::TimerFire, task, id);
  });
  t_driving = false;
}

bool WorkStealingScheduler::try_drive(Worker& self, Worker& target) {
  if (target.driving.load(std::memory_order_relaxed) || target.driving.exchange(true, std::memory_order_acquire))
    return false;
  t_driving = true;
  if (&self == &target) {
    self.driver->park(0, true);  // dispatch ready I/O, without waiting
  } else {
    target.driver->poll_for_owner(static_cast<uint16_t>(self.index));
  }
  t_driving = false;
  fire_timers(self, target);
  target.driving.store(false, std::memory_order_release);
  return true;
}

bool WorkStealingScheduler::spin_for_work(Worker& w) {
  uint64_t until = clock().now_ns() + kSpinNs;
  do {
    try_drive(w, w);
    if (w.lifo || !w.queue.empty() || !inject_.empty()) return true;
    for (auto& other : workers_)
      if (!other->queue.empty()) return true;
  } while (!is_stopping() && clock().now_ns() < until);
  return false;
}

void WorkStealingScheduler::park(Worker& w) {
  // Request/reply traffic between workers would pay a thread wake-up per message: after short
  // parks, look for work a little longer before sleeping (an idle runtime never spins).
  if (w.spin && spin_for_work(w)) return;
  uint64_t parked_at = clock().now_ns();
  bool last_searcher = idle_.transition_to_parked(w.index, w.searching);
  w.searching = false;
  // We may have been the one a task pushed just now counted on: look once more.
  if (last_searcher) notify_if_work_pending();
  if (trace_) trace(&w, EventKind::Park, 0);
  w.idle_watches = 0;
  while (!is_stopping()) {
    bool watching = become_watcher(w);
    park_once(w, watching);
    if (watching) watch_others(w);
    if (transition_from_parked(w)) break;
  }
  int32_t me = static_cast<int32_t>(w.index);
  if (watcher_.load(std::memory_order_acquire) == me) watcher_.store(-1, std::memory_order_release);
  if (trace_) trace(&w, EventKind::Unpark, 0, w.searching ? 1 : 0);
  w.spin = clock().now_ns() - parked_at < kShortParkNs;
}

bool WorkStealingScheduler::become_watcher(Worker& w) noexcept {
  int32_t me = static_cast<int32_t>(w.index);
  if (watcher_.load(std::memory_order_acquire) == me) {
    // Keep the role through short quiet spells (handing it over costs a wake-up), but not for
    // long: a runtime where everyone sleeps must not spend CPU.
    if (idle_.unparked() > 0) {
      w.idle_watches = 0;
      return true;
    }
    if (++w.idle_watches < kWatcherPatience) return true;
    watcher_.store(-1, std::memory_order_release);
    return false;
  }
  if (idle_.unparked() == 0) return false;  // everyone sleeps in their own driver
  int32_t expected = -1;
  if (!watcher_.compare_exchange_strong(expected, me, std::memory_order_acq_rel)) return false;
  w.idle_watches = 0;
  return true;
}

void WorkStealingScheduler::ensure_watched(Worker& w) noexcept {
  if (options_.shared_timers) return;  // simulation: a parked worker drives the shared timers
  // Cheap first: a watcher exists, or nobody is parked to become one.
  if (watcher_.load(std::memory_order_relaxed) >= 0 || idle_.unparked() == workers()) return;
  // Only what waits in this worker's driver needs a watcher should this worker get stuck.
  if (w.timers->empty() && !w.driver->has_io_interest()) return;
  notify_parked();  // the woken worker searches, parks again and takes the role
}

void WorkStealingScheduler::park_once(Worker& w, bool watching) {
  // Whoever stands in for us (a watcher) only holds our driver for a non-blocking poll.
  while (w.driving.exchange(true, std::memory_order_acquire)) std::this_thread::yield();
  std::optional<uint64_t> timeout;
  if (auto next = w.timers->begin_park()) {
    uint64_t deadline = *next, now = clock().now_ns();
    timeout = deadline > now ? deadline - now : 0;
  }
  if (watching && (!timeout || *timeout > kWatchPeriodNs)) timeout = kWatchPeriodNs;
  if (!is_stopping() && idle_.is_parked(w.index)) w.driver->park(timeout, true);
  w.timers->end_park();
  fire_timers(w, w);
  w.driving.store(false, std::memory_order_release);
}

void WorkStealingScheduler::watch_others(Worker& w) {
  for (auto& other : workers_) {
    Worker& o = *other;
    if (&o == &w) continue;
    uint64_t polls = o.polls.load(std::memory_order_relaxed);
    uint64_t seen = std::exchange(w.seen_polls[o.index], polls);
    if (polls != seen || idle_.is_parked(o.index)) continue;  // making progress, or asleep in its own driver
    // Not parked and no poll finished for a whole period: stuck in one poll. Drive its timers
    // and I/O from here; the tasks they wake come to this worker.
    try_drive(w, o);
  }
}

bool WorkStealingScheduler::transition_from_parked(Worker& w) noexcept {
  if (w.lifo || !w.queue.empty()) {
    // Our own timers or I/O produced work. If someone had also woken us, we count as searching.
    w.searching = !idle_.unpark_self(w.index);
    return true;
  }
  if (idle_.is_parked(w.index)) return false;
  w.searching = true;  // woken by another worker: come and look for the work
  return true;
}

// --- simulation --------------------------------------------------------------------------------

void WorkStealingScheduler::sim_park(uint32_t index) {
  Worker& w = *workers_.at(index);
  WorkerScope scope(this, w);
  bool last_searcher = idle_.transition_to_parked(w.index, w.searching);
  w.searching = false;
  if (last_searcher) notify_if_work_pending();
  if (trace_) trace(&w, EventKind::Park, 0);
  // One parked worker at a time drives shared timers: the first to park.
  if (options_.shared_timers && timer_driver_ < 0) timer_driver_ = static_cast<int32_t>(index);
  if (options_.steal_runnext) {
    w.runnext_steal.reset();
    uint32_t n = workers(), start = w.random() % n;
    for (uint32_t i = 0; i < n && !w.runnext_steal; ++i) {
      const Worker& victim = *workers_[(start + i) % n];
      if (&victim != &w && victim.lifo && !idle_.is_parked(victim.index))
        w.runnext_steal = {victim.index, victim.lifo->id, clock().now_ns() + kRunnextStealNs};
    }
  }
}

std::optional<uint64_t> WorkStealingScheduler::sim_wake_deadline(uint32_t index) const {
  const Worker& w = *workers_.at(index);
  std::optional<uint64_t> at;
  if (!options_.shared_timers || timer_driver_ == static_cast<int32_t>(index))
    if (auto ns = w.timers->next_deadline()) at = *ns;
  if (w.runnext_steal) at = std::min(at.value_or(UINT64_MAX), w.runnext_steal->at_ns);
  return at;
}

void WorkStealingScheduler::sim_steal_runnext(Worker& w) {
  auto steal = std::exchange(w.runnext_steal, std::nullopt);
  if (!steal || clock().now_ns() < steal->at_ns) return;
  Worker& victim = *workers_[steal->victim];
  if (!victim.lifo || victim.lifo->id != steal->task || idle_.is_parked(victim.index)) return;  // it ran it
  TaskHeader* t = std::exchange(victim.lifo, nullptr);
  push_local(w, t);
  if (trace_) trace(&w, EventKind::Steal, t->id, victim.index, 1);
}

bool WorkStealingScheduler::sim_unpark(uint32_t index) {
  Worker& w = *workers_.at(index);
  WorkerScope scope(this, w);
  if (!options_.shared_timers || timer_driver_ == static_cast<int32_t>(index)) try_drive(w, w);
  sim_steal_runnext(w);
  if (!transition_from_parked(w)) return false;
  if (timer_driver_ == static_cast<int32_t>(index)) {
    timer_driver_ = -1;
    // Hand the shared timers to another parked worker (the lowest index), if any; or leave them
    // to the next worker that parks, and to every worker's maintenance meanwhile (Tokio).
    for (uint32_t i = 0; i < workers() && options_.hand_over_timers; ++i)
      if (i != index && idle_.is_parked(i)) {
        timer_driver_ = static_cast<int32_t>(i);
        break;
      }
  }
  if (trace_) trace(&w, EventKind::Unpark, 0, w.searching ? 1 : 0);
  wake_deferred(w);
  return true;
}

// --- shutdown --------------------------------------------------------------------------------

void WorkStealingScheduler::stop() noexcept {
  if (stopping_.exchange(true, std::memory_order_acq_rel)) return;
  for (auto& w : workers_) w->driver->unpark();
}

void WorkStealingScheduler::finish_shutdown() {
  if (shut_down_.exchange(true, std::memory_order_acq_rel)) return;
  EnterGuard enter(this);  // tasks dropped here may spawn or wake: they come back to us
  for (OwnedShard& shard : owned_) {
    std::lock_guard<SpinLock> g(shard.lock);
    shard.tasks.close();
  }
  // Cancelling a task runs destructors, which may wake tasks or spawn (refused now).
  for (OwnedShard& shard : owned_) {
    for (;;) {
      TaskHeader* task;
      {
        std::lock_guard<SpinLock> g(shard.lock);
        task = shard.tasks.pop();
      }
      if (!task) break;
      uint64_t id = task->id;
      task->vtable->shutdown(task);
      if (trace_) trace(nullptr, EventKind::TaskAbort, id);
    }
  }
  // The queues' references (the workers have stopped, or were stepped by a simulator that has).
  TaskQueue rest = inject_.close();
  while (TaskHeader* t = rest.pop()) drop_queue_entry(t);
  for (auto& w : workers_) {
    for (TaskHeader* t : {std::exchange(w->lifo, nullptr), std::exchange(w->held, nullptr), std::exchange(w->yielded, nullptr)})
      if (t) drop_queue_entry(t);
    while (TaskHeader* t = w->queue.pop()) drop_queue_entry(t);
    w->deferred.clear();
  }
  for (auto& w : workers_) {
    w->held_microtask.reset();
    w->held_drain.reset();
    while (!w->microtasks.empty()) w->microtasks.pop();
  }
}

}  // namespace loopscope
