// Scheduler: what a task belongs to and what its futures reach through Context.
//
// Each executor (the single-threaded LocalExecutor, a worker of the multi-threaded runtime, a
// virtual worker of the simulator) implements it. Tasks call back into it through their header:
// `schedule` when a waker fires, `release` when a task completes. What a poll did (yielded,
// completed...) comes back as its PollResult, and the executor acts on it. Futures use it for timers, I/O, microtasks and the trace.
//
//   auto h = Scheduler::current()->spawn(work(), "worker");   // or the free spawn() below
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/task/join_handle.hpp"
#include "runtime/time/timers.hpp"
#include "runtime/task/task.hpp"
#include "runtime/util/small_function.hpp"

namespace loopscope {

class Clock;
class Timers;
class Reactor;
class Trace;

using Microtask = SmallFunction<void()>;

[[noreturn]] void throw_no_runtime(const char* what);

// Why a task that wakes itself during its poll does so. Schedulers whose rules differ by cause
// read it after the poll (and reset it); the future sets it just before waking its own task.
enum class YieldCause : uint8_t {
  Plain,        // any other self-wake: back of the run queue
  YieldNow,     // yield_now() (Go's Gosched sends it to the global queue)
  Preempted,    // ran too long without suspending (Go): to the global queue
  Held,         // simulation: the poll is not over, it only pauses while other lanes catch up
};
namespace detail {
inline thread_local YieldCause t_yield_cause = YieldCause::Plain;
}
inline void set_yield_cause(YieldCause cause) noexcept { detail::t_yield_cause = cause; }
inline YieldCause take_yield_cause() noexcept { return std::exchange(detail::t_yield_cause, YieldCause::Plain); }
// Calls a microtask or loop callback; false when it was held (its script code paused: see
// Scheduler::holds_callbacks), and the scheduler must keep it and call it again to go on.
template <class F>
bool ran_to_end(F& callback) {
  take_yield_cause();
  callback();
  return take_yield_cause() != YieldCause::Held;
}

// Traces the end of a poll: poll_end (with the budget left), then what the result means (yield,
// complete, error, abort).
void trace_poll_end(Trace& trace, uint16_t worker, uint64_t task, PollResult result, uint32_t budget_left) noexcept;

// The queues of a scheduler at one moment (Scheduler::describe_queues). Task ids as in the trace.
struct QueueState {
  struct Worker {
    std::vector<uint64_t> local;  // the run queue, next first
    uint64_t lifo = 0;            // the LIFO slot (Go's runnext); 0 when empty
    uint64_t held = 0;            // a poll the simulator paused, resumed first
    std::vector<uint64_t> deferred;  // yielded until the next look at timers and I/O
    size_t microtasks = 0;
  };
  std::vector<Worker> workers;
  std::vector<uint64_t> inject;      // the global queue
  std::vector<uint64_t> microtasks;  // profile node: the task each job polls, 0 for a callback
  std::vector<uint64_t> next_ticks;
  struct Timer {
    uint64_t deadline_ms;
    uint64_t task;  // who is sleeping (0: none)
    bool operator<(const Timer& o) const noexcept { return deadline_ms != o.deadline_ms ? deadline_ms < o.deadline_ms : task < o.task; }
  };
  std::vector<Timer> timers;          // runtime timers (sleep, timeouts) in the wheels, earliest first
  std::vector<uint64_t> loop_timers;  // profile node: setTimeout/setInterval deadlines (ms), in order
  size_t immediates = 0, io = 0;      // profile node's other macrotask sources
  void add_timers(const Timers& wheel);
  size_t blocking_jobs = 0;
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;

  // The scheduler running on this thread (inside block_on or a run slice), or null.
  static Scheduler* current() noexcept;  // defined below

  template <Future F>
  JoinHandle<FutureOutput<F>> spawn(F future, std::string_view name = {}) {
    auto* cell = new TaskCell<F>(std::move(future), next_task_id());
    cell->scheduler = this;
    bind(cell, name);
    return JoinHandle<FutureOutput<F>>(cell);
  }

  // --- task plumbing (called through TaskHeader) -------------------------------------------
  // A woken task, carrying one reference for the queue. Any thread.
  virtual void schedule(TaskHeader* task) noexcept = 0;
  // Removes a completing task from the owner list; true when it was there.
  virtual bool release(TaskHeader* task) noexcept = 0;

  // --- services for futures ----------------------------------------------------------------
  virtual Clock& clock() noexcept = 0;
  virtual Timers& timers() noexcept = 0;  // the current worker's
  virtual Reactor* reactor() noexcept { return nullptr; }  // the current worker's; native only
  virtual void queue_microtask(Microtask task) = 0;
  // Runs `job` away from the scheduler's threads (natively a small thread pool). The job reports
  // its own completion, usually by waking a waker. See spawn_blocking().
  virtual void run_blocking(SmallFunction<void()> job) = 0;

  Trace* trace() const noexcept { return trace_; }
  // The worker of the calling thread, stamped on trace events (kOutsideWorker off the workers).
  virtual uint16_t worker_id() const noexcept { return worker_id_; }
  // yield_now(): keeps the waker to wake it after the next look at timers and I/O, and the task
  // waits like any other (Tokio's context::defer). False: the task wakes itself and is queued
  // by the scheduler's yield rule.
  virtual bool defer_yield(const Waker&) noexcept { return false; }
  // When the task being polled must be preempted (Go's 10 ms time slice), on clock(); never by default.
  virtual uint64_t preemption_deadline() const noexcept { return UINT64_MAX; }
  // When the task being polled must give the thread back to the host (the page's event loop)
  // without ending its poll: it is held, and the same poll goes on in the next slice.
  virtual uint64_t yield_deadline() const noexcept { return UINT64_MAX; }
  // Whether a microtask or loop callback may be held the same way (YieldCause::Held after it
  // returns): the scheduler then keeps it and calls it again first.
  virtual bool holds_callbacks() const noexcept { return false; }
  // What waits in its queues at this moment, for a Session's snapshots (simulation only: the
  // owner's view, read between two steps of one thread).
  virtual void describe_queues(QueueState& out) const = 0;
  // The task being polled on this thread, 0 between polls (the "waker" side of a wake event).
  static uint64_t current_task_id() noexcept { return t_polling_task ? t_polling_task->id : 0; }

 protected:
  // Marks a scheduler as the current one of this thread for a scope (nests).
  class EnterGuard {
   public:
    explicit EnterGuard(Scheduler* s) noexcept;
    ~EnterGuard();
    EnterGuard(const EnterGuard&) = delete;
    EnterGuard& operator=(const EnterGuard&) = delete;

   private:
    Scheduler* prev_;
  };

  // Takes ownership of a new task: adds it to the owner list and schedules it.
  virtual void bind(TaskHeader* task, std::string_view name) = 0;
  virtual uint64_t next_task_id() noexcept = 0;

  Trace* trace_ = nullptr;
  uint16_t worker_id_ = 0;
};

namespace detail {
inline thread_local Scheduler* t_current_scheduler = nullptr;
}
inline Scheduler* Scheduler::current() noexcept { return detail::t_current_scheduler; }

// Spawns on the scheduler of the current thread; throws std::logic_error outside a runtime.
template <Future F>
JoinHandle<FutureOutput<F>> spawn(F future, std::string_view name = {}) {
  Scheduler* s = Scheduler::current();
  if (!s) throw_no_runtime("spawn");
  return s->spawn(std::move(future), name);
}

}  // namespace loopscope
