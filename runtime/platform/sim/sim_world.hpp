// SimWorld: the simulation platform — virtual workers stepped on one thread, each with its own
// virtual clock, so that a run is the same on every machine and in the browser.
//
// A "lane" is anything that runs for a while: a worker of the scheduler being simulated, or a
// blocking job. Each lane has a clock. The world always runs the lane with the smallest clock
// (ties by lane index), and what runs charges time to it: each VM instruction and each poll
// (SimCosts), and work(ms)/block(ms) in full. A lane that has run past the *horizon* — the
// earliest moment another lane could act — stops at its next instruction and lets the others
// catch up (a task poll is held, not ended: see YieldCause::Held). So a worker stuck in work(50)
// really lets a second worker steal its queue and print in between.
//
//   SimWorld world(2);                               // two virtual workers
//   WorkStealingScheduler s(world.drivers(), {...});
//   world.run(policy, [] { return done; });          // policy: how to step and park a worker
//
// Parked workers sleep until their deadline (the timers they drive) or until unpark() through
// their driver, which wakes them at the waker's time. Nothing here is random: where a real
// scheduler makes a random choice, the scheduler takes a seed.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "runtime/platform/driver.hpp"
#include "runtime/time/clock.hpp"
#include "runtime/util/small_function.hpp"

namespace loopscope {

struct SimCosts {
  uint64_t instruction_ns = 1;  // one VM instruction
  uint64_t poll_ns = 100;       // one task poll
};

// How the world steps and parks one worker of the scheduler it simulates.
class SimWorkerPolicy {
 public:
  virtual ~SimWorkerPolicy() = default;
  // Runs the worker for one scheduling decision; false when it has nothing to do.
  virtual bool step(uint32_t worker) = 0;
  // The worker found nothing to do and parks (idle accounting); later asked, while it sleeps,
  // when it would wake on its own (its timers), in ns, or nullopt.
  virtual void park(uint32_t worker) = 0;
  virtual std::optional<uint64_t> wake_deadline(uint32_t worker) = 0;
  // It woke (deadline reached or unparked): fires what is due; true if it runs again, false to
  // go back to sleep.
  virtual bool unpark(uint32_t worker) = 0;
};

class SimWorld {
 public:
  explicit SimWorld(uint32_t workers, SimCosts costs = {});
  ~SimWorld();
  SimWorld(const SimWorld&) = delete;
  SimWorld& operator=(const SimWorld&) = delete;

  uint32_t workers() const noexcept { return workers_; }
  Driver& driver(uint32_t worker) noexcept;
  std::vector<Driver*> drivers();
  // The running lane's time, its instructions so far included.
  Clock& clock() noexcept;
  uint64_t now() const noexcept;
  const SimCosts& costs() const noexcept { return costs_; }

  // --- charging the running lane -------------------------------------------------------------
  void charge(uint64_t ns) noexcept;
  // The VM's instruction counter; every instruction it counts costs instruction_ns.
  void count_instructions(const uint64_t* counter) noexcept;
  // The earliest time another lane could act; the running lane holds once it is past it.
  uint64_t horizon() const noexcept;
  // True when the running lane must stop at this instruction: past the horizon, or paused.
  bool must_hold() noexcept;
  // Changes whenever the horizon may have moved or time was charged (a charge, an unpark, a new
  // lane): whoever cached the horizon looks again only then.
  uint64_t epoch() const noexcept { return epoch_; }

  // --- lanes -----------------------------------------------------------------------------------
  // A blocking job on a lane of its own starting now: `step` runs until the job ends (true) or
  // holds at the horizon (false, stepped again later).
  void add_lane(SmallFunction<bool()> step);
  size_t busy_lanes() const noexcept;

  // Runs lanes until `stop()` says so (checked before every step), nothing can ever happen again
  // (every worker parked without a deadline, no blocking lane: Idle) or the next event is past
  // `until_ns` (PastLimit).
  enum class Outcome : uint8_t { Ran, Stopped, Idle, PastLimit };
  template <class Stop>
  Outcome run(SimWorkerPolicy& policy, Stop&& stop, uint64_t until_ns = UINT64_MAX) {
    for (;;) {
      if (stop()) return Outcome::Stopped;
      if (Outcome o = step(policy, until_ns); o != Outcome::Ran) return o;
    }
  }
  // One lane step.
  Outcome step(SimWorkerPolicy& policy, uint64_t until_ns = UINT64_MAX);

  // --- pausing (a Session stepping the run) ------------------------------------------------
  // The running lane holds at its next instruction as it would at the horizon, and run() stops
  // (the caller's stop() sees paused()). After resume() that lane goes on first with the same
  // poll, so a run that paused is the same run as one that did not.
  void pause() noexcept {
    pause_ = true;
    ++epoch_;
  }
  // Pause once the host's monotonic clock reaches `wall_ns` (steady_clock), checked per chunk
  // of instructions and between steps: a time slice of real time for a simulation. It always
  // makes progress first (a step, and a thousand instructions or a second step), however slow
  // the machine: else a short slice could end before anything ran, again and again.
  void pause_at_wall(uint64_t wall_ns) noexcept;
  void resume() noexcept {
    pause_ = false;
    wall_pause_ns_ = 0;
  }
  bool paused() noexcept;
  // The running lane was held by a pause in the middle of a step: that step is not over (a run
  // must not end before it is).
  bool pause_held_a_lane() const noexcept { return resume_running_; }

  // Unparks `worker` at the running lane's time (its driver's unpark()).
  void unpark(uint32_t worker) noexcept;

 private:
  struct Lane {
    uint64_t clock = 0;
    uint64_t counted = 0;  // the instruction counter when it last settled
    bool parked = false;
    bool woken = false;             // parked: unpark() was called; running: a wake-up is pending
    uint64_t woken_at = 0;
    SmallFunction<bool()> job;      // blocking lanes
    bool finished = false;
  };
  class Driver_;
  class Clock_;
  // When lane `i` could next act, or nullopt (parked for good).
  std::optional<uint64_t> next_time(SimWorkerPolicy* policy, uint32_t i) const;
  void settle() noexcept;  // moves the running lane's counted instructions into its clock
  void enter(uint32_t lane, uint64_t at) noexcept;

  uint32_t workers_;
  SimCosts costs_;
  std::deque<Lane> lanes_;  // a deque: a running job may add lanes without moving itself
  std::vector<std::unique_ptr<Driver_>> drivers_;
  std::unique_ptr<Clock_> clock_;
  const uint64_t* counter_ = nullptr;
  uint32_t running_ = 0;
  uint64_t epoch_ = 0;
  SimWorkerPolicy* policy_ = nullptr;  // during run/step, for horizon()
  bool pause_ = false;
  uint64_t wall_pause_ns_ = 0;         // 0: none
  uint64_t steps_ = 0;                 // lane steps begun
  uint64_t wall_armed_steps_ = 0, wall_armed_instructions_ = 0;  // when pause_at_wall was called
  bool resume_running_ = false;        // the running lane held for a pause: it goes on first
};

}  // namespace loopscope
