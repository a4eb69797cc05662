#include "runtime/time/timers.hpp"

#include <algorithm>
#include <utility>

#include "runtime/platform/driver.hpp"

namespace loopscope {

Timers::Timers(Driver* driver) noexcept
    : driver_(driver), tick_ns_(driver ? std::max<uint64_t>(driver->timer_resolution_ns(), 1) : 1'000'000) {}

Timers::~Timers() {
  // Timers outliving us (a Sleep kept after its runtime ended) must not reach back here, and
  // keep no task alive: their wakers go (after the lock: dropping one may free a task).
  std::vector<Waker> wakers;
  {
    std::lock_guard<SpinLock> g(lock_);
    wheel_.drain([&](TimerEntry* e) {
      wakers.push_back(std::move(e->waker));
      e->owner.store(nullptr, std::memory_order_release);
    });
  }
}

bool Timers::insert(TimerEntry* entry, uint64_t deadline_ns) noexcept {
  entry->deadline = deadline_ns / tick_ns_ + (deadline_ns % tick_ns_ != 0);  // never early
  {
    std::lock_guard<SpinLock> g(lock_);
    if (!wheel_.insert(entry)) return false;
    entry->owner.store(this, std::memory_order_relaxed);
    if (entry->deadline < earliest_.load(std::memory_order_relaxed)) earliest_.store(entry->deadline, std::memory_order_relaxed);
    size_.store(wheel_.size(), std::memory_order_relaxed);
  }
  uint64_t until = parked_until_.load(std::memory_order_seq_cst);
  if (until != 0 && entry->deadline < until && driver_) driver_->unpark();
  return true;
}

void Timers::remove(TimerEntry* entry) noexcept {
  std::lock_guard<SpinLock> g(lock_);
  if (entry->owner.load(std::memory_order_relaxed) != this) return;  // fired meanwhile
  wheel_.remove(entry);
  entry->owner.store(nullptr, std::memory_order_relaxed);
  size_.store(wheel_.size(), std::memory_order_relaxed);
}

void Timers::relocate(TimerEntry* from, TimerEntry* to) noexcept {
  std::lock_guard<SpinLock> g(lock_);
  if (from->owner.load(std::memory_order_relaxed) != this) return;  // fired meanwhile
  wheel_.relocate(from, to);
  from->owner.store(nullptr, std::memory_order_relaxed);
  to->owner.store(this, std::memory_order_relaxed);
}

bool Timers::poll_fired(TimerEntry* entry, const Waker& waker) noexcept {
  Waker old;  // dropped after the lock is released
  {
    std::lock_guard<SpinLock> g(lock_);
    if (entry->fired) return true;
    if (entry->waker.will_wake(waker)) return false;
    old = std::exchange(entry->waker, waker);
  }
  return false;
}

std::optional<uint64_t> Timers::next_deadline() const noexcept {
  std::lock_guard<SpinLock> g(lock_);
  auto tick = wheel_.next_deadline();
  if (!tick) return std::nullopt;
  return *tick * tick_ns_;
}

std::optional<uint64_t> Timers::begin_park() noexcept {
  // Announce first, then look: an insert that this look misses sees the announcement (any
  // deadline is earlier than "no timer") and unparks us, so no timer is slept through.
  parked_until_.store(UINT64_MAX, std::memory_order_seq_cst);
  auto next = next_deadline();
  if (next) parked_until_.store(*next / tick_ns_, std::memory_order_seq_cst);
  return next;
}

}  // namespace loopscope
