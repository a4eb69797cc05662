// SpinLock: a test-and-test-and-set lock for critical sections of a few instructions (the wait
// lists of channels, mutexes and timers). Cheaper than std::mutex when uncontended, which is the
// common case; never hold it across a wake-up or a call into user code.
#pragma once

#include <atomic>
#include <thread>

namespace loopscope {

class SpinLock {
 public:
  void lock() noexcept {
    for (int spins = 0;; ++spins) {
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins > 64) std::this_thread::yield();
      }
    }
  }
  bool try_lock() noexcept {
    return !locked_.load(std::memory_order_relaxed) && !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace loopscope
