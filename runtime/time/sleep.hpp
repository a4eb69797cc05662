// Timer futures: sleep, sleep_until, interval, timeout.
//
//   co_await sleep(10ms);                          // completes after at least 10 ms
//   co_await sleep_until(deadline_ns);             // absolute time on the scheduler's clock
//   Interval every = interval(5ms);                // first tick completes at once
//   co_await every.tick();
//   int v = co_await timeout(50ms, fetch_value()); // throws TimedOut after 50 ms
//
// Timers never fire early, and fire within one tick of their wheel after the deadline: 50 µs
// natively (EpollDriver), 1 ms in simulation and in the browser, as Tokio's. A Sleep is also a timer to keep and control:
//
//   Sleep idle = sleep(30s);        // armed: the deadline counts from now
//   co_await idle;                  // an lvalue is awaited in place; again after it elapsed: at once
//   when_any(idle.wait(), other);   // wait(): a future of it that leaves it where it is
//   idle.reset(30s);                // armed again, from now (or reset(deadline_ns): absolute)
//   idle.cancel();                  // disarmed: awaiting it waits until the next reset
//
// A waiting Sleep lives in the timer wheel through an intrusive entry that moves with it: it may
// be moved at any time (kept in a vector that grows), and dropping it removes the entry. It may
// outlive its runtime; polled again under another one, it waits there.
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
  Sleep(Sleep&& other) noexcept;
  Sleep& operator=(Sleep&& other) noexcept;
  ~Sleep();

  Poll<void> poll(Context& cx);
  // Awaits this sleep in place, for combinators that take their futures by value (when_any):
  // dropping the Wait does not disarm the sleep.
  class Wait {
   public:
    explicit Wait(Sleep& s) noexcept : sleep_(&s) {}
    Poll<void> poll(Context& cx) { return sleep_->poll(cx); }

   private:
    Sleep* sleep_;
  };
  Wait wait() noexcept { return Wait(*this); }
  bool is_elapsed() const noexcept { return done_; }
  // Neither elapsed nor cancelled.
  bool is_armed() const noexcept { return !done_ && !cancelled_; }
  // Arms it again for a new absolute deadline on the scheduler's clock, whatever its state; it
  // enters the wheel at its next poll.
  void reset(uint64_t deadline_ns) noexcept;
  // The same, `duration` from now (from its next poll outside a runtime).
  void reset(Duration duration) noexcept;
  // Disarms it: it leaves the wheel now and does not complete until it is reset.
  void cancel() noexcept;
  // The deadline (ns); none while cancelled, or before the first poll of one made outside a runtime.
  std::optional<uint64_t> deadline_ns() const noexcept { return cancelled_ ? std::nullopt : deadline_; }

 private:
  Sleep() = default;
  void arm(Duration duration) noexcept;  // its deadline, `duration` from now (or from its first poll)
  void unregister() noexcept;
  void take_entry(Sleep& other) noexcept;  // the other's place in the wheel, when it has one

  Duration duration_{0};
  std::optional<uint64_t> deadline_;
  TimerEntry entry_;
  bool waiting_ = false;  // entered a wheel and has not seen itself complete yet
  bool done_ = false;
  bool cancelled_ = false;
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
