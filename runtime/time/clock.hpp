// Clock: where "now" comes from. Nanoseconds since the clock was created.
//
//   MonotonicClock real;                // the machine's steady clock (performance.now in a browser)
//   ManualClock manual;                 // tests: time moves only when told to
//   manual.advance(5'000'000);          // +5 ms
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace loopscope {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual uint64_t now_ns() const noexcept = 0;
};

class MonotonicClock final : public Clock {
 public:
  MonotonicClock() noexcept : origin_(std::chrono::steady_clock::now()) {}
  uint64_t now_ns() const noexcept override {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - origin_)
            .count());
  }

 private:
  std::chrono::steady_clock::time_point origin_;
};

class ManualClock final : public Clock {
 public:
  uint64_t now_ns() const noexcept override { return now_.load(std::memory_order_acquire); }
  void advance(uint64_t ns) noexcept { now_.fetch_add(ns, std::memory_order_acq_rel); }
  void set(uint64_t ns) noexcept { now_.store(ns, std::memory_order_release); }

 private:
  std::atomic<uint64_t> now_{0};
};

inline constexpr uint64_t kNsPerMs = 1'000'000;

}  // namespace loopscope
