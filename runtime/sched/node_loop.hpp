// NodeLoop: the scheduler of profile node — Node.js's event loop on libuv, on one thread.
//
// Macrotasks are callbacks in the libuv phases; after each one the next-tick queue is drained
// completely, then the microtask (promise job) queue completely, until both are empty:
//
//   main program → [timers → pending → poll (I/O completions) → check (immediates) → close]...
//
// Timers keep JavaScript's rules: a delay below 1 ms is 1 ms, deadlines count from the loop's
// cached time (updated when an iteration begins and after the poll phase), expired timers run by
// deadline then creation order. Immediates queued during the check phase wait for the next one.
//
// Tasks are promise jobs here: a task runs at once when spawned (an async function call starts
// eagerly) and each wake-up queues one microtask that polls it — exactly one tick, as the
// continuation of an `await` is in JavaScript.
//
//   NodeLoop loop(driver);
//   loop.spawn(main(), "main");                  // the first macrotask
//   while (loop.alive()) if (!loop.run_until_wait()) driver.park(loop.wait_timeout(), false);
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <string_view>
#include <utility>

#include "runtime/platform/driver.hpp"
#include "runtime/sched/blocking_jobs.hpp"
#include "runtime/sched/owned_tasks.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/sched/task_queue.hpp"
#include "runtime/time/timers.hpp"
#include "runtime/trace/event.hpp"
#include "runtime/util/ring_queue.hpp"

namespace loopscope {

class NodeLoop final : public Scheduler {
 public:
  using Callback = SmallFunction<void()>;

  explicit NodeLoop(Driver& driver, Trace* trace = nullptr);
  ~NodeLoop() override;
  NodeLoop(const NodeLoop&) = delete;
  NodeLoop& operator=(const NodeLoop&) = delete;

  // --- macrotask sources -----------------------------------------------------------------------
  // setTimeout / setInterval: returns the timer's id (clearTimeout's argument).
  uint64_t set_timer(double delay_ms, Callback callback, bool repeat = false);
  void clear_timer(uint64_t id);
  void set_immediate(Callback callback);
  // A device read completing `after_ms` from now: its callback runs in a poll phase.
  void add_io(double after_ms, Callback callback);
  // process.nextTick.
  void queue_next_tick(Callback callback);
  // After each macrotask and its drain (profile node reports unhandled rejections there).
  void set_after_macrotask(Callback hook) { after_macrotask_ = std::move(hook); }

  // --- running ---------------------------------------------------------------------------------
  // Runs the loop until it has to wait for a timer or I/O (returns false: wait until
  // wait_deadline(), then call again) or nothing is pending any more (returns true; alive() is
  // false). Main and other tasks spawned before the loop ran are its first macrotask.
  // It also returns false when a poll was held (held(): simulation's horizon or pause, or the end
  // of the page's slice); the next call resumes that poll, then the loop where it stopped.
  // A callback is held the same way: its script code paused (YieldCause::Held after it
  // returns); the next call calls it again first, and it goes on.
  bool run_until_wait();
  bool held() const noexcept { return held_ != nullptr || static_cast<bool>(held_call_); }
  uint64_t held_task() const noexcept { return held_ ? held_->id : 0; }
  // The page's slices: at `ns` (on clock()) the loop stops between jobs or macrotasks and a poll
  // is held; run_until_wait then returns false with interrupted() true, and the next call goes
  // on from there. UINT64_MAX: never (simulation, native).
  void set_yield_deadline(uint64_t ns) noexcept { yield_at_ = ns; }
  uint64_t yield_deadline() const noexcept override { return yield_at_; }
  bool holds_callbacks() const noexcept override { return !shut_down_; }
  bool interrupted() const noexcept { return held() || yielded_; }
  // When the poll phase may stop waiting (ns on clock()); nullopt: only outside events can wake it.
  std::optional<uint64_t> wait_deadline() const;
  // Timers, immediates, I/O or blocking jobs are pending: the process would not exit.
  bool alive() const noexcept;
  // Cancels every task (dropping their futures). Also done on destruction.
  void shutdown();

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
  uint64_t next_task_id() noexcept override { return ++task_ids_; }

 private:
  struct Timer {
    Callback callback;
    double delay_ms;
    bool repeat;
  };
  struct Job {  // a microtask or next tick: a callback, or a task to poll
    Callback callback;
    TaskHeader* task = nullptr;
  };
  // Where run_until_wait is in the loop, so that it resumes there after a held poll.
  enum class Step : uint8_t { Main, MainDrain, FirstTimers, Poll, Check, Timers };

  void poll_task(TaskHeader* task, TaskSource source);
  // Calls a callback; false when it was held (it then waits in held_call_).
  bool call(Callback& callback);
  void rearm(uint64_t id, uint64_t start_ms, Timer&& timer);  // an interval, after its callback
  // A macrotask callback, then next ticks and microtasks until both are empty. The phases and
  // these return false when a poll was held: the loop unwinds, keeping where it was.
  bool macrotask(Callback& callback, TaskSource phase, uint64_t id = 0);
  void drain();
  bool after_drain();  // the after-macrotask hook, unless the drain was interrupted
  bool out_of_time() noexcept;
  uint64_t drain_start(uint64_t start);
  bool run_timers();
  bool run_io();
  bool run_check();
  bool run_wheel();  // runtime timers (Sleep) that fell due: their tasks' wake-ups are jobs

  Driver& driver_;
  Timers timers_{&driver_};
  OwnedTasks owned_;
  uint64_t task_ids_ = 0;
  TaskQueue initial_;  // spawned before the loop ran: the first macrotask
  RingQueue<Job> next_ticks_;
  RingQueue<Job> microtasks_;
  // (deadline ms, id) → timer; ids grow, so equal deadlines run in creation order.
  std::map<std::pair<uint64_t, uint64_t>, Timer> timer_list_;
  std::map<uint64_t, uint64_t> timer_deadline_;  // id → deadline ms, for clear_timer
  uint64_t timer_ids_ = 0;
  RingQueue<Callback> immediates_;
  std::map<std::pair<uint64_t, uint64_t>, Callback> io_;  // (ready ns, seq) → completion
  uint64_t io_seq_ = 0;
  std::thread::id owner_thread_ = std::this_thread::get_id();
  std::mutex remote_lock_;
  TaskQueue remote_;  // woken from other threads (blocking jobs): poll-phase events
  std::atomic<bool> remote_pending_{false};
  BlockingJobs blocking_;
  Step step_ = Step::Main;
  int depth_ = 0;  // tasks being polled (eager calls nest)
  // A held poll and what it interrupted: the rest of a drain (and its macrotask's end), a phase
  // with its own time or count.
  TaskHeader* held_ = nullptr;
  TaskSource held_source_ = TaskSource::Queue;
  Callback held_call_;  // a held callback: a macrotask's (finish_macrotask_ follows) or a job's
  struct HeldInterval {  // the interval whose callback is held: rearmed when it ends
    uint64_t id, start_ms;
    Timer timer;
  };
  std::optional<HeldInterval> held_interval_;
  bool finish_macrotask_ = false;
  uint64_t drained_jobs_ = 0, drain_started_ = 0;
  std::optional<uint64_t> timers_now_ms_, io_now_;
  std::optional<size_t> check_left_;
  uint64_t yield_at_ = UINT64_MAX;
  bool yielded_ = false;
  Callback after_macrotask_;
  bool shut_down_ = false;
};

}  // namespace loopscope
