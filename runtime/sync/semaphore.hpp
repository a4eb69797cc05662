// Semaphore: a counting semaphore with a strictly first-come-first-served wait list.
//
//   Semaphore slots(3);
//   co_await slots.acquire();      // waits while no permit is free
//   ...
//   slots.release();
//
// A newcomer never overtakes a waiting task, even if enough permits are free for it; permits
// released are handed to waiters in order. Dropping a pending acquire leaves the queue, and
// gives back permits it was handed but had not yet observed. Usable across threads.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/task/future.hpp"
#include "runtime/util/intrusive_list.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

class Semaphore {
  struct Waiter : ListNode {
    size_t needed = 0;
    Waker waker;
    bool granted = false;
    uint64_t task = 0;  // who waits (snapshots)
  };

 public:
  explicit Semaphore(size_t permits);
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  class Acquire {
   public:
    Acquire(Semaphore& s, size_t n) noexcept : sem_(&s) { waiter_.needed = n; }
    Acquire(Acquire&& other) noexcept;  // only before the first poll
    Acquire& operator=(Acquire&&) = delete;
    ~Acquire();
    Poll<void> poll(Context& cx);

   private:
    Semaphore* sem_;
    Waiter waiter_;
    bool done_ = false;
  };

  Acquire acquire(size_t n = 1) noexcept { return Acquire(*this, n); }
  bool try_acquire(size_t n = 1) noexcept;
  void release(size_t n = 1) noexcept;

  size_t available() const noexcept;
  size_t waiting() const noexcept;
  // The tasks waiting, in the order they will be served.
  template <class F>
  void for_each_waiter(F&& f) const {
    std::lock_guard<SpinLock> g(lock_);
    waiters_.for_each([&](const Waiter* w) { f(w->task); });
  }
  uint64_t id() const noexcept { return id_; }

 private:
  mutable SpinLock lock_;
  size_t permits_;
  size_t waiting_ = 0;
  IntrusiveList<Waiter> waiters_;
  uint64_t id_;
};

}  // namespace loopscope
