// WakeList: wakers collected under a lock and woken after it is released, so that a wake-up
// (which may take the scheduler's lock) never runs inside a wait list's critical section.
// Woken last collected first, as Tokio's WakeList is (util/wake_list.rs): notify_all and a
// release of several permits wake the newest waiter of their batch first.
#pragma once

#include <cstddef>
#include <new>

#include "runtime/task/waker.hpp"

namespace loopscope {

class WakeList {
 public:
  static constexpr size_t kCapacity = 32;
  WakeList() noexcept = default;
  WakeList(const WakeList&) = delete;
  WakeList& operator=(const WakeList&) = delete;
  bool full() const noexcept { return n_ == kCapacity; }
  void push(Waker&& w) noexcept {
    if (w) new (&slots_[n_++]) Waker(static_cast<Waker&&>(w));
  }
  void wake_all() noexcept {
    while (n_ > 0) {
      Waker* w = std::launder(reinterpret_cast<Waker*>(&slots_[--n_]));
      w->wake();
      w->~Waker();
    }
  }
  ~WakeList() { wake_all(); }

 private:
  // Raw slots, constructed as they fill: most lists hold one waker or none, and a release or a
  // send must not pay for zeroing and destroying 32.
  struct alignas(Waker) Slot {
    unsigned char bytes[sizeof(Waker)];
  };
  Slot slots_[kCapacity];
  size_t n_ = 0;
};

}  // namespace loopscope
