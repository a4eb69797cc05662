// WakeList: wakers collected under a lock and woken after it is released, so that a wake-up
// (which may take the scheduler's lock) never runs inside a wait list's critical section.
#pragma once

#include <cstddef>

#include "runtime/task/waker.hpp"

namespace loopscope {

class WakeList {
 public:
  static constexpr size_t kCapacity = 32;
  bool full() const noexcept { return n_ == kCapacity; }
  void push(Waker&& w) noexcept {
    if (w) wakers_[n_++] = static_cast<Waker&&>(w);
  }
  void wake_all() noexcept {
    for (size_t i = 0; i < n_; ++i) wakers_[i].wake();
    n_ = 0;
  }
  ~WakeList() { wake_all(); }

 private:
  Waker wakers_[kCapacity];
  size_t n_ = 0;
};

}  // namespace loopscope
