// TimerWheel: a hierarchical timing wheel, 6 levels of 64 slots. Times are ticks, whose length
// its owner chooses (Timers: 1 ms, or finer natively).
//
// Level 0 has one slot per tick of the current 64-tick window, level 1 one slot per 64 ticks of
// the current 4 096-tick window, and so on up to level 5 (2^30 ticks per slot); timers further out
// are clamped to the top level (they fire early: Sleep checks its deadline and waits again). Inserting and cancelling are O(1): a timer is an intrusive node
// in its slot's list, and each level keeps a 64-bit map of occupied slots, so the next deadline
// is a few count-trailing-zeros away. When time reaches a slot of a higher level its timers
// cascade down to finer levels, and fire from level 0.
//
//   TimerEntry e; e.deadline = 250;        // ticks
//   wheel.insert(&e);                       // false if 250 is already in the past
//   wheel.advance(now_tick, [](TimerEntry* t) { t->waker.wake(); });
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

#include "runtime/task/waker.hpp"
#include "runtime/util/intrusive_list.hpp"

namespace loopscope {

class Timers;

struct TimerEntry : ListNode {
  uint64_t deadline = 0;  // the tick at which it fires
  Waker waker;
  uint64_t id = 0;    // for the trace
  uint64_t task = 0;  // the task that registered it, for the trace
  uint8_t level = 0;
  uint8_t slot = 0;
  bool fired = false;
  bool clamped = false;  // its deadline was past the top level: it fires there, early
  // The Timers whose wheel holds it (runtime/time/timers.hpp): set and cleared under their lock,
  // null once it fired or its Timers were destroyed, so its owner may look without the lock.
  std::atomic<Timers*> owner{nullptr};
};

class TimerWheel {
 public:
  static constexpr unsigned kLevels = 6;
  static constexpr unsigned kSlotBits = 6;
  static constexpr unsigned kSlots = 1u << kSlotBits;
  static constexpr uint64_t kMaxDuration = (uint64_t{1} << (kSlotBits * kLevels)) - 1;

  TimerWheel() = default;
  TimerWheel(const TimerWheel&) = delete;
  TimerWheel& operator=(const TimerWheel&) = delete;

  // The tick up to which time has been processed.
  uint64_t elapsed() const noexcept { return elapsed_; }
  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  // Adds a timer. Returns false, without adding it, when its deadline is not in the future.
  bool insert(TimerEntry* entry) noexcept;
  // Removes a timer that has not fired.
  void remove(TimerEntry* entry) noexcept;
  // A waiting timer's entry moved to `to` (unlinked): `to` takes its place, deadline and waker.
  void relocate(TimerEntry* from, TimerEntry* to) noexcept;
  // Takes every waiting timer out, unfired, calling f(entry) for each.
  template <class F>
  void drain(F&& f) noexcept {
    for (Level& level : levels_) {
      for (auto& slot : level.slots)
        while (TimerEntry* e = slot.pop_front()) f(e);
      level.occupied = 0;
    }
    size_ = 0;
  }

  // The earliest tick at which advance() may fire something (for a cascading slot, its start).
  std::optional<uint64_t> next_deadline() const noexcept;

  // Moves time to `now_tick`, calling `fire(entry)` for each expired timer after unlinking it and
  // marking it fired, in deadline order. Returns how many fired.
  template <class Fire>
  size_t advance(uint64_t now_tick, Fire&& fire);

  uint64_t next_id() noexcept { return ++ids_; }
  // Calls f(entry) for every timer waiting (snapshots), in no particular order.
  template <class F>
  void for_each(F&& f) const {
    for (const Level& level : levels_)
      for (const auto& slot : level.slots) slot.for_each([&](const TimerEntry* e) { f(*e); });
  }

 private:
  struct Expiration {
    unsigned level;
    unsigned slot;
    uint64_t deadline;
  };
  struct Level {
    uint64_t occupied = 0;
    IntrusiveList<TimerEntry> slots[kSlots];
  };

  std::optional<Expiration> next_expiration() const noexcept;
  // Takes the slot's timers; returns the expired ones in `expired` and re-files the rest.
  void take_expired(const Expiration& exp, IntrusiveList<TimerEntry>& expired) noexcept;
  void file(TimerEntry* entry, uint64_t reference) noexcept;

  Level levels_[kLevels];
  uint64_t elapsed_ = 0;
  size_t size_ = 0;
  uint64_t ids_ = 0;
};

template <class Fire>
size_t TimerWheel::advance(uint64_t now_tick, Fire&& fire) {
  size_t fired = 0;
  IntrusiveList<TimerEntry> expired;
  for (;;) {
    auto exp = next_expiration();
    if (!exp || exp->deadline > now_tick) break;
    take_expired(*exp, expired);
    if (exp->deadline > elapsed_) elapsed_ = exp->deadline;
    while (TimerEntry* e = expired.pop_front()) {
      e->fired = true;
      --size_;
      ++fired;
      fire(e);
    }
  }
  if (now_tick > elapsed_) elapsed_ = now_tick;
  return fired;
}

}  // namespace loopscope
