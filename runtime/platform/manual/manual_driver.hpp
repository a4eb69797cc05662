// ManualDriver: a driver on a ManualClock, for tests and deterministic runs.
//
// Parking with a timeout moves the clock forward by that timeout at once, so a program that
// sleeps for an hour finishes in microseconds with the same ordering as in real time. Parking
// without a timeout waits for unpark() only when something outside can still call it (a blocking
// job is running); otherwise it reports that nothing can ever happen.
#pragma once

#include <condition_variable>
#include <mutex>

#include "runtime/platform/driver.hpp"
#include "runtime/time/clock.hpp"

namespace loopscope {

class ManualDriver final : public Driver {
 public:
  Clock& clock() noexcept override { return clock_; }
  ManualClock& manual_clock() noexcept { return clock_; }

  bool park(std::optional<uint64_t> timeout_ns, bool may_be_woken) override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (unparked_) {
      unparked_ = false;
      return true;
    }
    if (timeout_ns) {
      clock_.advance(*timeout_ns);
      return true;
    }
    if (!may_be_woken) return false;
    cv_.wait(lock, [&] { return unparked_; });
    unparked_ = false;
    return true;
  }

  void unpark() noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    unparked_ = true;
    cv_.notify_one();
  }

 private:
  ManualClock clock_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool unparked_ = false;
};

}  // namespace loopscope
