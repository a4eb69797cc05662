// Notify: wakes tasks waiting for an event, with no lost wake-ups.
//
//   Notify ready;
//   // waiter                          // notifier
//   co_await ready.notified();         ready.notify_one();
//
// notify_one() wakes the oldest waiter, or, when nobody waits, stores one permit that the next
// notified() consumes at once: a notification sent before the waiter arrives is not lost.
// notify_all() wakes every current waiter, the newest first (as Tokio's notify_waiters; with
// oldest_first, as Go's sync.Cond.Broadcast), and stores nothing; as in Tokio, it also
// completes the notified() futures made before it and not yet polled. If a task woken by
// notify_one drops its future before seeing the notification, it passes to the next waiter.
#pragma once

#include "runtime/task/future.hpp"
#include "runtime/util/intrusive_list.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

class Notify {
  enum class State : uint8_t { Idle, Waiting, NotifiedOne, NotifiedAll };
  struct Waiter : ListNode {
    Waker waker;
    State state = State::Idle;
  };

 public:
  explicit Notify(bool oldest_first = false) noexcept : oldest_first_(oldest_first) {}
  Notify(const Notify&) = delete;
  Notify& operator=(const Notify&) = delete;

  class Notified {
   public:
    explicit Notified(Notify& n) noexcept;
    Notified(Notified&& other) noexcept : notify_(other.notify_), all_calls_(other.all_calls_), done_(other.done_) {}  // before first poll
    Notified& operator=(Notified&&) = delete;
    ~Notified();
    Poll<void> poll(Context& cx);

   private:
    Notify* notify_;
    Waiter waiter_;
    uint64_t all_calls_;  // notify_all calls before it was made
    bool done_ = false;
  };

  Notified notified() noexcept { return Notified(*this); }
  void notify_one() noexcept;
  void notify_all() noexcept;
  bool has_permit() const noexcept;

 private:
  // Wakes the oldest waiter or stores the permit; returns the waker to wake after unlocking.
  Waker notify_one_locked() noexcept;

  mutable SpinLock lock_;
  bool oldest_first_;  // notify_all's wake order
  bool permit_ = false;
  uint64_t all_calls_ = 0;  // notify_all calls so far
  IntrusiveList<Waiter> waiters_;
};

}  // namespace loopscope
