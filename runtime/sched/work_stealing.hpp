// WorkStealingScheduler: the multi-threaded scheduling policy — workers with local queues and a
// LIFO slot, a global inject queue, stealing, parking, and per-worker timers and reactors that
// an idle worker drives for a busy one.
//
// It is platform-neutral: each worker is given a Driver (natively an EpollDriver: its own epoll
// instance and eventfd) and someone calls run_worker(i) on a thread per worker (natively
// Runtime, see runtime/platform/native/runtime.hpp; the simulator drives virtual workers).
//
// One worker's loop, one tick per scheduling decision, as Tokio's (worker.rs Context::run):
//   1. every `event_interval` ticks, its own timers and I/O, without waiting, and the tasks that
//      yielded; every `global_queue_interval` ticks, one task from the inject queue first
//      (fairness for tasks spawned from outside)
//   2. the task in the LIFO slot, run right after the task that woke it while the tick's budget
//      lasts (and, with a limit, at most `lifo_limit` in a row)
//   3. its local queue (FIFO), refilled from the inject queue when empty
//   4. search: steal half of another worker's queue (random start), then the inject queue
//   5. park in its driver until its next timer, I/O or a wake-up (after spinning up to 20 µs on
//      its reactor and the queues if its last park was short: request/reply traffic). While any worker is running,
//      one parked worker (the watcher) wakes every millisecond and drives the timers and
//      reactor of a worker that has been stuck in one poll since its last look. A worker about
//      to poll with timers or I/O of its own wakes a parked worker to watch if there is none.
//
// Tasks spawned or woken on a worker go to that worker (the LIFO slot when woken from a poll);
// from other threads they go to the inject queue and wake one parked worker if nobody searches.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "runtime/platform/driver.hpp"
#include "runtime/sched/idle.hpp"
#include "runtime/sched/inject_queue.hpp"
#include "runtime/sched/local_queue.hpp"
#include "runtime/sched/owned_tasks.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/time/timers.hpp"
#include "runtime/trace/event.hpp"
#include "runtime/util/ring_queue.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

class BlockingPool;

// Where a task goes (the scheduler models of the .coro profiles differ here).
enum class TaskTarget : uint8_t { LocalQueue, Lifo, Inject, Deferred };

struct WorkStealingOptions {
  uint32_t workers = 1;
  uint32_t global_queue_interval = 61;  // every that many ticks the inject queue comes first
  uint32_t event_interval = 61;         // every that many ticks: timers, I/O, yielded tasks
  // Resource operations per tick: a poll and the LIFO chain after it share them
  // (runtime/sched/coop.hpp); 0 turns the budget off.
  uint32_t budget = 128;
  Trace* trace = nullptr;
  uint64_t seed = 0;  // the steal victim order
  // LIFO polls in a row before the slot's task goes to the queue (Tokio >= 1.29: 3); 0: no
  // limit (Tokio 1.24).
  uint32_t lifo_limit = 3;
  // A task put in the LIFO slot by a poll runs right after it, in the same tick (Tokio); false:
  // it waits for the next scheduling decision, after the timers (Go's runnext, which inherits
  // the time slice instead).
  bool chain_lifo = true;
  // Go's schedtick (proc.go execute): the tick counts the tasks a worker took from anywhere but
  // its LIFO slot (runnext), after the decision; else (Tokio) every decision counts, before it.
  bool go_schedtick = false;
  // yield_now(): the back of the local queue, or the inject queue (Go's global queue), or
  // Deferred: the task waits and its waker is woken after the next look at timers and I/O,
  // through the LIFO slot (Tokio). A spent budget always goes to the back of the local queue.
  TaskTarget yield_now = TaskTarget::LocalQueue;
  // Tasks woken by timers and I/O while a worker drives them: its local queue, or its LIFO slot
  // (Tokio, where the driver runs with the worker's core in context; Go's runnext), or the
  // inject queue.
  TaskTarget driver_wakes = TaskTarget::LocalQueue;
  // A worker that was searching and found a task wakes another to keep looking: only when more
  // work is queued (natively: a wake from outside the runtime costs one thread wake-up, not two),
  // or always (Tokio's transition_from_searching, Go's resetspinning).
  bool always_pass_search_on = false;
  // Between maintenance ticks, a worker whose timers are due fires them (it looks at the clock
  // every 8 ticks while it has timers), so a timer is not late by 61 long polls. False: only
  // maintenance and parking fire them (Tokio, Go).
  bool timely_timers = true;
  // One timer wheel for all workers instead of one each (the simulator's shared driver).
  bool shared_timers = false;
  // Shared timers: when the parked worker driving them wakes, another parked worker takes them
  // over (Go, whose idle Ps wait for every P's timers). False: nobody does until the next worker
  // parks, and meanwhile only maintenance fires them (Tokio's Parker: workers asleep on the
  // condvar never take the driver).
  bool hand_over_timers = true;
  // Simulation: a worker that found nothing to steal takes a running worker's LIFO slot 3 µs
  // later, if the same task is still in it (Go's last steal try: stealWork, runqgrab's usleep(3)).
  bool steal_runnext = false;
  // Preempt a task that ran this long (ns) without suspending, LIFO hand-offs included; 0: never.
  uint64_t time_slice_ns = 0;
};

class WorkStealingScheduler final : public Scheduler {
 public:
  static constexpr uint32_t kLocalQueueCapacity = 256;
  static constexpr uint64_t kWatchPeriodNs = 1'000'000;  // how often the watcher looks
  static constexpr uint32_t kWatcherPatience = 10;       // quiet looks before it resigns
  static constexpr uint64_t kSpinNs = 20'000;            // spin before parking, after a short park
  static constexpr uint64_t kShortParkNs = 50'000;       // about two thread wake-ups
  static constexpr uint64_t kPreemptCheckNs = 20'000;    // the shortest period of Go's sysmon
  static constexpr uint64_t kRunnextStealNs = 3'000;     // Go's usleep(3) before taking a runnext

  // One driver per worker, outliving the scheduler.
  WorkStealingScheduler(std::vector<Driver*> drivers, WorkStealingOptions options);
  ~WorkStealingScheduler() override;
  WorkStealingScheduler(const WorkStealingScheduler&) = delete;
  WorkStealingScheduler& operator=(const WorkStealingScheduler&) = delete;

  // Runs worker `index` on the calling thread until stop() is called, parking in its driver
  // when there is nothing to do.
  void run_worker(uint32_t index);
  // One scheduling decision of worker `index` on the calling thread: polls a task (with the LIFO
  // tasks it wakes) and returns true, or returns false when the worker would park. For drivers
  // that step virtual workers themselves (simulation).
  bool run_once(uint32_t index);
  // Simulation (see runtime/platform/sim): run_once returned false and worker `index` parks;
  // the time its timers would wake it (ns; with shared timers only the one parked worker that
  // drives them has one); it woke, so fire what is due and say whether it runs again.
  void sim_park(uint32_t index);
  std::optional<uint64_t> sim_wake_deadline(uint32_t index) const;
  bool sim_unpark(uint32_t index);
  // Stops the workers: their run_worker calls return. Any thread.
  void stop() noexcept;
  // After every run_worker call returned: cancels the remaining tasks and refuses new ones.
  void finish_shutdown();
  bool is_stopping() const noexcept { return stopping_.load(std::memory_order_acquire); }

  uint32_t workers() const noexcept { return static_cast<uint32_t>(workers_.size()); }
  // The worker of the calling thread, or -1 off this scheduler's workers.
  int current_worker() const noexcept;
  size_t alive_tasks() const noexcept;
  size_t pending_timers() const noexcept;
  // Nothing can happen any more on its own: every worker parked, no queued task, timer, I/O
  // interest or blocking job. (Racy by nature: callers look twice.)
  bool is_quiescent() const noexcept;
  // The first exception a microtask threw, once (block_on rethrows it).
  std::exception_ptr take_microtask_error() noexcept;

  // Scheduler
  void schedule(TaskHeader* task) noexcept override;
  bool release(TaskHeader* task) noexcept override;
  Clock& clock() noexcept override;
  Timers& timers() noexcept override;
  Reactor* reactor() noexcept override;
  void queue_microtask(Microtask task) override;
  void run_blocking(SmallFunction<void()> job) override;
  void describe_queues(QueueState& out) const override;
  uint16_t worker_id() const noexcept override;
  bool defer_yield(const Waker& waker) noexcept override;
  uint64_t preemption_deadline() const noexcept override;
  // A page driving one worker in slices: at `ns` a running poll is held (UINT64_MAX: never).
  void set_yield_deadline(uint64_t ns) noexcept { yield_at_ = ns; }
  uint64_t yield_deadline() const noexcept override { return yield_at_; }
  bool holds_callbacks() const noexcept override { return !stopping_.load(std::memory_order_relaxed); }
  // A poll or a microtask held on that worker (it goes on first in its next step); the task
  // whose poll it is (0: none, or a microtask).
  bool holds_a_poll(uint32_t index) const noexcept;
  uint64_t held_task(uint32_t index) const noexcept;

 protected:
  void bind(TaskHeader* task, std::string_view name) override;
  uint64_t next_task_id() noexcept override;

 private:
  struct Worker;
  class WorkerScope;
  struct Overflow {  // where a full local queue spills: the inject queue
    WorkStealingScheduler* scheduler;
    void push_batch(TaskQueue& batch) noexcept;
  };
  struct alignas(64) OwnedShard {  // one cache line each: workers bind and release at once
    mutable SpinLock lock;
    OwnedTasks tasks;
  };
  static constexpr size_t kOwnedShards = 16;

  Worker* worker_of_this_thread() const noexcept;
  bool step(Worker& w);
  TaskHeader* next_task(Worker& w) noexcept;
  TaskHeader* pull_inject(Worker& w) noexcept;
  TaskHeader* steal_work(Worker& w) noexcept;
  void run_task(Worker& w, TaskHeader* task);
  void run_lifo(Worker& w);  // the tasks a poll put in the LIFO slot, one after the other
  void put_in_lifo(Worker& w, TaskHeader* task) noexcept;  // its previous occupant to the queue
  bool resume_microtasks(Worker& w);  // a held microtask, then the rest of its drain
  // Polls `task`; false when the poll is held (simulation) and the worker must return at once.
  bool poll_task(Worker& w, TaskHeader* task, TaskSource source);
  void requeue_yielded(Worker& w, TaskHeader* task, YieldCause cause) noexcept;
  void wake_deferred(Worker& w) noexcept;
  void sim_steal_runnext(Worker& w);
  // A task spawned or woken on worker `w`'s thread: the LIFO slot during a poll, else its queue.
  void schedule_here(Worker& w, TaskHeader* task) noexcept;
  void push_local(Worker& w, TaskHeader* task) noexcept;
  void push_inject(TaskHeader* task) noexcept;
  void notify_parked() noexcept;
  void notify_if_work_pending() noexcept;
  bool drain_microtasks(Worker& w);  // false: a microtask was held
  bool run_microtask(Microtask& m);  // false: it was held (YieldCause::Held)

  // Polls `target`'s reactor and fires its due timers, on `self`'s thread; false when someone
  // else is driving it right now.
  bool try_drive(Worker& self, Worker& target);
  void fire_timers(Worker& self, Worker& target);
  void park(Worker& w);
  bool spin_for_work(Worker& w);
  void park_once(Worker& w, bool watching);
  bool transition_from_parked(Worker& w) noexcept;
  bool become_watcher(Worker& w) noexcept;
  // Before polling: if this worker has timers or I/O and nobody watches, wake a parked worker.
  void ensure_watched(Worker& w) noexcept;
  void watch_others(Worker& w);
  void trace(Worker* w, EventKind kind, uint64_t task, uint64_t a = 0, uint64_t b = 0) noexcept;

  WorkStealingOptions options_;
  std::vector<std::unique_ptr<Worker>> workers_;
  InjectQueue inject_;
  Idle idle_;
  OwnedShard owned_[kOwnedShards];
  std::atomic<uint64_t> task_ids_{0};
  std::atomic<int32_t> watcher_{-1};
  uint64_t yield_at_ = UINT64_MAX;
  int32_t timer_driver_ = -1;  // simulation with shared timers: the parked worker that drives them
  std::atomic<bool> stopping_{false};
  std::atomic<bool> shut_down_{false};
  std::mutex error_lock_;
  std::exception_ptr microtask_error_;
#ifndef __EMSCRIPTEN__
  std::mutex blocking_lock_;
  std::atomic<uint32_t> blocking_in_flight_{0};
  std::unique_ptr<BlockingPool> blocking_;  // started on first use
#endif
};

}  // namespace loopscope
