// Timers: a timer wheel that any thread may add to and cancel from, and that one thread at a time
// drives (fires what is due).
//
// A Sleep registers in the wheel of the worker that first polls it and cancels from wherever its
// task runs when it is dropped (a stolen task, an abort from another thread), so the wheel sits
// behind a short spin lock. Firing moves due wakers out under the lock and wakes them after
// releasing it: a wake-up never runs with the lock held. An entry knows its Timers
// (TimerEntry::owner) until it fires, so it may move (relocate) and may outlive them: their
// destructor lets go of the entries still waiting.
//
// Times are nanoseconds on the driver's clock; the wheel counts ticks of the driver's timer
// resolution, and a timer fires at the first tick not before its deadline.
//
//   Timers timers(&driver);
//   timers.insert(&entry, deadline_ns);           // false: the deadline already passed
//   timers.fire_due(now_ns, [](uint64_t task, uint64_t id) {}); // before the wakes: trace hook
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "runtime/time/wheel.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

class Driver;

class Timers {
 public:
  // `driver` is the driver of the thread that fires these timers (unparked when needed).
  explicit Timers(Driver* driver = nullptr) noexcept;
  ~Timers();
  Timers(const Timers&) = delete;
  Timers& operator=(const Timers&) = delete;

  // Adds a timer for `deadline_ns`; false, without adding it, when its tick was already
  // processed. If the thread that drives these timers is parked past it, it is unparked.
  bool insert(TimerEntry* entry, uint64_t deadline_ns) noexcept;
  // Removes a timer that has not fired (a no-op once it has).
  void remove(TimerEntry* entry) noexcept;
  // The entry of a timer waiting here moved to `to` (a moved Sleep); a no-op once it fired.
  void relocate(TimerEntry* from, TimerEntry* to) noexcept;
  // For a registered timer's next poll: true once it fired; otherwise makes `waker` the one it
  // wakes and returns false.
  bool poll_fired(TimerEntry* entry, const Waker& waker) noexcept;
  uint64_t next_id() noexcept { return ids_.fetch_add(1, std::memory_order_relaxed) + 1; }

  // When `entry` fires (ns): the start of its tick.
  uint64_t fire_time_ns(const TimerEntry& entry) const noexcept { return entry.deadline * tick_ns_; }
  size_t size() const noexcept { return size_.load(std::memory_order_relaxed); }
  // Not after the earliest deadline waiting (ns; UINT64_MAX: none), without the lock. It may be
  // early (a timer removed since): a look then finds nothing due.
  uint64_t earliest_hint_ns() const noexcept {
    uint64_t tick = earliest_.load(std::memory_order_relaxed);
    return tick == UINT64_MAX ? UINT64_MAX : tick * tick_ns_;
  }
  bool empty() const noexcept { return size() == 0; }
  // Calls f(entry) for every timer waiting, under the lock (snapshots).
  template <class F>
  void for_each(F&& f) const {
    std::lock_guard<SpinLock> g(lock_);
    wheel_.for_each(f);
  }
  std::optional<uint64_t> next_deadline() const noexcept;  // ns

  // Fires every timer due at `now_ns`: takes them out under the lock, then with the lock released
  // calls `fired(task, id)` for each (the trace: a listener may look at the timers) and wakes
  // them. Returns how many fired.
  template <class Fired>
  size_t fire_due(uint64_t now_ns, Fired&& fired);

  // The driving thread is about to park: returns the deadline (ns) to wake up at, if any, and
  // from now on an insert from another thread of an earlier timer unparks the driver.
  std::optional<uint64_t> begin_park() noexcept;
  void end_park() noexcept { parked_until_.store(0, std::memory_order_seq_cst); }

 private:
  mutable SpinLock lock_;
  TimerWheel wheel_;
  std::atomic<size_t> size_{0};
  std::atomic<uint64_t> ids_{0};
  std::atomic<uint64_t> parked_until_{0};  // (a tick) 0: the driving thread is not parked
  std::atomic<uint64_t> earliest_{UINT64_MAX};  // (a tick) see earliest_hint_ns
  Driver* driver_;
  uint64_t tick_ns_;
};

template <class Fired>
size_t Timers::fire_due(uint64_t now_ns, Fired&& fired) {
  // Reused between calls, so firing allocates only when a round fires more than ever before.
  struct Due {
    Waker waker;
    uint64_t task, id;
  };
  thread_local std::vector<Due> due;
  {
    std::lock_guard<SpinLock> g(lock_);
    uint64_t now_tick = now_ns / tick_ns_;
    auto next = wheel_.next_deadline();
    if (!next || *next > now_tick) {
      earliest_.store(next.value_or(UINT64_MAX), std::memory_order_relaxed);
      return 0;
    }
    wheel_.advance(now_tick, [&](TimerEntry* e) {
      due.push_back({std::move(e->waker), e->task, e->id});
      e->owner.store(nullptr, std::memory_order_release);  // done with it: its owner may go on
    });
    size_.store(wheel_.size(), std::memory_order_relaxed);
    earliest_.store(wheel_.next_deadline().value_or(UINT64_MAX), std::memory_order_relaxed);
  }
  size_t count = due.size();
  for (const Due& d : due) fired(d.task, d.id);
  for (Due& d : due) d.waker.wake();
  due.clear();
  return count;
}

}  // namespace loopscope
