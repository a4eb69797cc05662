// Timer futures: sleep, sleep_until, interval, timeout.
//
//   co_await sleep(10ms);                          // completes after at least 10 ms
//   co_await sleep_until(deadline_ns);             // absolute time on the scheduler's clock
//   Interval every = interval(5ms);                // first tick completes at once
//   co_await every.tick();
//   int v = co_await timeout(50ms, fetch_value()); // throws TimedOut after 50 ms
//
// Timers have 1 ms resolution and never fire early. A pending Sleep lives in the timer wheel
// through an intrusive entry, so it must not be moved once polled (awaiting it in place, or
// keeping it in a coroutine frame, guarantees that); dropping it removes the entry.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include "runtime/task/future.hpp"
#include "runtime/time/timers.hpp"

namespace loopscope {

using Duration = std::chrono::nanoseconds;

class Sleep {
 public:
  // Relative to the clock of the scheduler that creates it (or, outside one, that first polls it).
  explicit Sleep(Duration duration);
  static Sleep until(uint64_t deadline_ns);
  Sleep(Sleep&& other) noexcept;  // only before the first poll
  Sleep& operator=(Sleep&&) = delete;
  ~Sleep();

  Poll<void> poll(Context& cx);
  bool is_elapsed() const noexcept { return done_; }
  // Re-arms this sleep for a new absolute deadline (registered again when next polled).
  void reset(uint64_t deadline_ns) noexcept;
  // Leaves the timer wheel now; the sleep will not complete.
  void cancel() noexcept { unregister(); }
  std::optional<uint64_t> deadline_ns() const noexcept { return deadline_; }

 private:
  Sleep() = default;
  void unregister() noexcept;

  Duration duration_{0};
  std::optional<uint64_t> deadline_;
  TimerEntry entry_;
  Timers* timers_ = nullptr;  // set while registered
  bool done_ = false;
};

inline Sleep sleep(Duration d) { return Sleep(d); }
inline Sleep sleep_until(uint64_t deadline_ns) { return Sleep::until(deadline_ns); }

// What an Interval does when ticks were missed because its task was busy.
enum class MissedTick {
  Burst,  // fire the missed ticks back to back until caught up
  Delay,  // the next tick is one period after now
  Skip,   // drop missed ticks; stay on the original grid
};

class Interval {
 public:
  Interval(Duration period, MissedTick policy);
  Interval(const Interval&) = delete;
  Interval& operator=(const Interval&) = delete;

  class Tick {
   public:
    explicit Tick(Interval& i) noexcept : interval_(&i) {}
    // Completes with the deadline (ns) the tick was scheduled for.
    Poll<uint64_t> poll(Context& cx) { return interval_->poll_tick(cx); }

   private:
    Interval* interval_;
  };
  Tick tick() noexcept { return Tick(*this); }
  Duration period() const noexcept { return period_; }

 private:
  Poll<uint64_t> poll_tick(Context& cx);

  Duration period_;
  MissedTick policy_;
  Sleep sleep_;
};

inline Interval interval(Duration period, MissedTick policy = MissedTick::Burst) { return Interval(period, policy); }

class TimedOut : public std::runtime_error {
 public:
  TimedOut() : std::runtime_error("timeout") {}
};

template <Future F>
class Timeout {
 public:
  Timeout(Duration d, F future) : future_(std::move(future)), sleep_(d) {}
  Poll<FutureOutput<F>> poll(Context& cx) {
    auto p = future_.poll(cx);
    if (p.is_ready()) return p;
    if (sleep_.poll(cx).is_ready()) throw TimedOut();
    return pending;
  }

 private:
  F future_;
  Sleep sleep_;
};

template <Future F>
Timeout<F> timeout(Duration d, F future) {
  return Timeout<F>(d, std::move(future));
}

}  // namespace loopscope
