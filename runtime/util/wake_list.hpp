// WakeList: wakers collected under a lock and woken after it is released, so that a wake-up
// (which may take the scheduler's lock) never runs inside a wait list's critical section.
// Woken last collected first, as Tokio's WakeList is (util/wake_list.rs): notify_all and a
// release of several permits wake the newest waiter of their batch first.
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
    while (n_ > 0) wakers_[--n_].wake();
  }
  ~WakeList() { wake_all(); }

 private:
  Waker wakers_[kCapacity];
  size_t n_ = 0;
};

}  // namespace loopscope
