// LocalExecutor: the single-threaded executor — one FIFO ready queue, a microtask queue drained
// after every poll, a timer wheel, and a platform driver underneath (epoll, browser, manual).
//
//   EpollDriver driver;
//   LocalExecutor ex(driver);
//   int v = ex.block_on(compute());       // runs tasks until compute() finishes
//
// One turn of the loop, in order:
//   1. take tasks woken from other threads (the remote queue)
//   2. fire expired timers (their tasks become ready)
//   3. poll up to `event_interval` ready tasks in FIFO order; after each poll, drain microtasks
//   4. if there was nothing to poll, park in the driver until the next timer, I/O or an
//      unpark; after a full batch of polls, look at the driver without waiting, so that I/O is
//      never starved by tasks that keep each other ready
//
// Tasks woken from another thread go through a locked remote queue and unpark the driver; tasks
// woken on the executor's thread go straight to the ready queue. Destroying the executor cancels
// every task still alive.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "runtime/platform/driver.hpp"
#include "runtime/sched/blocking_jobs.hpp"
#include "runtime/sched/owned_tasks.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/sched/task_queue.hpp"
#include "runtime/time/timers.hpp"
#include "runtime/util/ring_queue.hpp"

namespace loopscope {

// block_on's future is waiting, and nothing that could wake it is pending.
class Deadlock : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ExecutorOptions {
  Trace* trace = nullptr;
  // Cooperative budget per poll (resource operations); unconstrained by default, as in a
  // textbook executor.
  uint32_t budget = Budget::kUnconstrained;
  // Polls between two non-blocking looks at the driver while tasks stay ready.
  uint32_t event_interval = 61;
  // Worker id stamped on trace events.
  uint16_t worker_id = 0;
};

class LocalExecutor final : public Scheduler {
 public:
  explicit LocalExecutor(Driver& driver, ExecutorOptions options = {});
  ~LocalExecutor() override;
  LocalExecutor(const LocalExecutor&) = delete;
  LocalExecutor& operator=(const LocalExecutor&) = delete;

  // Spawns `future` and runs the loop until it completes; returns its value or rethrows its
  // exception. Other tasks keep their state between calls. Throws Deadlock when the future waits
  // and nothing can ever wake it (possible to tell with a ManualDriver only).
  template <Future F>
  FutureOutput<F> block_on(F future, std::string_view name = "main");

  // Polls ready tasks and fires due timers until nothing is ready; never waits. Returns polls.
  size_t run_until_idle();

  // One slice of work for hosts that must not block (the browser): runs until nothing is ready
  // or `max_ns` elapsed. Says whether work remains and when the next timer is due.
  struct SliceResult {
    bool more_ready;
    std::optional<uint64_t> next_timer_ns;  // absolute, on clock()
  };
  // A task still running when the slice is over is held (it is a script that does not
  // suspend): the same poll goes on first in the next slice. held_task() says which (0: none).
  // A microtask (a script's callback) is held the same way, and goes on first.
  SliceResult run_slice(uint64_t max_ns);
  uint64_t held_task() const noexcept { return held_ ? held_->id : 0; }
  uint64_t yield_deadline() const noexcept override;
  bool holds_callbacks() const noexcept override { return !shutting_down_; }

  // Cancels every task (dropping their futures) and refuses new ones. Also done on destruction.
  void shutdown();

  // Tasks owned and not complete (executor thread only).
  size_t alive_tasks() const noexcept { return owned_.size(); }
  size_t ready_tasks() const noexcept { return ready_.size() + (held_ || held_microtask_ ? 1 : 0); }
  bool holds_a_microtask() const noexcept { return static_cast<bool>(held_microtask_); }
  size_t pending_timers() const noexcept { return timers_.size(); }
  size_t blocking_jobs() const noexcept { return blocking_.in_flight(); }

  // Waits in the driver until the next timer is due, I/O is ready or someone unparks, at most
  // `max_ns` (for hosts with their own deadlines). False when nothing could ever end the wait.
  bool wait_for_event(std::optional<uint64_t> max_ns = std::nullopt);
  Driver& driver() noexcept { return driver_; }
  // Starts (or, with null, stops) recording the trace. Call between runs, on the executor's thread.
  void set_trace(Trace* trace) noexcept;

  // Scheduler
  void schedule(TaskHeader* task) noexcept override;
  bool release(TaskHeader* task) noexcept override;
  Clock& clock() noexcept override;
  Timers& timers() noexcept override { return timers_; }
  Reactor* reactor() noexcept override { return driver_.reactor(); }
  void queue_microtask(Microtask task) override;
  void run_blocking(SmallFunction<void()> job) override;
  void describe_queues(QueueState& out) const override;

 protected:
  void bind(TaskHeader* task, std::string_view name) override;
  uint64_t next_task_id() noexcept override;

 private:
  // Runs one turn of the loop (see the header comment); throws Deadlock.
  void turn();
  void adopt(TaskHeader* task, uint64_t parent);  // owner list + ready queue, on this thread
  // On the executor's own thread (running or not), where its queues need no lock.
  bool on_own_thread() const noexcept;
  // A run of the loop in progress: this executor is the thread's current scheduler.
  struct RunScope {
    explicit RunScope(LocalExecutor& e) : ex(e), enter(&e) { ++ex.running_; }
    ~RunScope() { --ex.running_; }
    LocalExecutor& ex;
    EnterGuard enter;
  };
  size_t run_ready(size_t max);
  void poll_task(TaskHeader* task);
  void drain_microtasks();
  bool run_microtask(Microtask& m);  // false: it was held (YieldCause::Held)
  bool resume_microtasks();          // the held microtask, then the rest of its drain
  bool holding() const noexcept { return held_ || held_microtask_; }
  void fire_timers();
  void take_remote();
  std::optional<uint64_t> time_to_next_timer() const;
  void rethrow_microtask_error();

  Driver& driver_;
  ExecutorOptions options_;
  std::thread::id owner_thread_ = std::this_thread::get_id();
  int running_ = 0;  // block_on / run_until_idle / run_slice in progress on this thread
  TaskQueue ready_;
  TaskHeader* held_ = nullptr;  // simulation: a poll paused at the horizon, continued first
  uint32_t held_budget_ = 0;     // ... and what was left of its budget
  // During run_slice: when it ends, or kSliceUnread until someone needs to know (the clock is
  // read then, not at the start: a slice that runs one C++ task, as a Promise bridge hop does,
  // never reads it — in the page a read is a call into JavaScript, 13% of a hop).
  static constexpr uint64_t kSliceUnread = UINT64_MAX - 1;
  mutable uint64_t slice_end_ = UINT64_MAX;
  uint64_t slice_ns_ = 0;
  RingQueue<Microtask> microtasks_;
  uint64_t microtask_seq_ = 0;
  std::exception_ptr microtask_error_;
  bool shutting_down_ = false;  // what runs now runs to its end
  Microtask held_microtask_;  // a microtask held mid-way, and where its drain began (seq, ns)
  std::optional<std::pair<uint64_t, uint64_t>> held_drain_;
  Timers timers_{&driver_};
  OwnedTasks owned_;
  // Task ids: counted on the executor's thread; tasks spawned from other threads draw from a
  // separate range (bit 48 set) so that the common path needs no atomic increment.
  uint64_t local_task_ids_ = 0;
  std::atomic<uint64_t> remote_task_ids_{uint64_t{1} << 48};

  std::mutex remote_lock_;
  TaskQueue remote_;         // woken from other threads
  TaskQueue remote_spawns_;  // spawned from other threads, not yet owned
  std::atomic<bool> remote_pending_{false};

  BlockingJobs blocking_;
};

template <Future F>
FutureOutput<F> LocalExecutor::block_on(F future, std::string_view name) {
  RunScope run(*this);
  auto handle = spawn(std::move(future), name);
  while (!handle.is_finished()) turn();
  rethrow_microtask_error();
  Waker none;
  Context cx(none);
  if constexpr (std::is_void_v<FutureOutput<F>>) {
    (void)handle.poll(cx);
  } else {
    return handle.poll(cx).take();
  }
}

}  // namespace loopscope
