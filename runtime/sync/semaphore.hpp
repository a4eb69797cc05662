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
//
// SemaphoreRules::GoMutex makes a one-permit semaphore Go's sync.Mutex (sync/mutex.go) instead:
// a release wakes the oldest waiter without handing it the permit, so a newcomer (or the
// releaser) may take it first; the woken waiter then tries again and, failing, waits at the
// front. Once a waiter has waited over 1 ms the mutex starves: releases hand the permit over
// in order, newcomers queue, until a waiter that did not wait that long (or the last) gets it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>

#include "runtime/task/future.hpp"
#include "runtime/util/intrusive_list.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

enum class SemaphoreRules : uint8_t { Fifo, GoMutex };
class WakeList;

class Semaphore {
  struct Waiter : ListNode {
    size_t needed = 0;
    Waker waker;
    bool granted = false;
    bool woken = false;       // GoMutex: taken off the queue to try again, nothing granted
    uint64_t wait_start = 0;  // GoMutex: when it first waited (ns; 0: never)
    uint64_t task = 0;        // who waits (snapshots)
  };

 public:
  explicit Semaphore(size_t permits, SemaphoreRules rules = SemaphoreRules::Fifo);
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

  // GoMutex: starving with a waiter, so a release hands the permit over (and in Go the releaser
  // then yields its processor to the waiter).
  bool hands_over() const noexcept;
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
  static constexpr uint64_t kStarvationNs = 1'000'000;  // Go's starvationThresholdNs

  // `n` permits may be taken now by someone not waiting (lock held).
  bool open_to_newcomer(size_t n) const noexcept;
  // Wakes whoever the free permits now serve (lock held; wake-ups collected for after it).
  void serve_waiters(WakeList& wakes, std::unique_lock<SpinLock>& g) noexcept;

  mutable SpinLock lock_;
  size_t permits_;
  size_t waiting_ = 0;
  SemaphoreRules rules_;
  bool woken_ = false;     // GoMutex: a woken waiter has not tried again yet
  bool starving_ = false;  // GoMutex: starvation mode, permits handed over in order
  IntrusiveList<Waiter> waiters_;
  uint64_t id_;
};

}  // namespace loopscope
