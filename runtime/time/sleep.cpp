#include "runtime/time/sleep.hpp"

#include <utility>
#include <stdexcept>

#include "runtime/sched/coop.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/time/clock.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope {

Sleep::Sleep(Duration duration) { arm(duration); }

void Sleep::arm(Duration duration) noexcept {
  duration_ = duration < Duration::zero() ? Duration::zero() : duration;
  deadline_.reset();  // outside a runtime: counted from the first poll
  if (Scheduler* s = Scheduler::current()) deadline_ = s->clock().now_ns() + static_cast<uint64_t>(duration_.count());
}

Sleep Sleep::until(uint64_t deadline_ns) {
  Sleep s;
  s.deadline_ = deadline_ns;
  return s;
}

Sleep::Sleep(Sleep&& other) noexcept
    : duration_(other.duration_), deadline_(other.deadline_), done_(other.done_), cancelled_(other.cancelled_) {
  take_entry(other);
}

Sleep& Sleep::operator=(Sleep&& other) noexcept {
  if (this != &other) {
    unregister();
    duration_ = other.duration_;
    deadline_ = other.deadline_;
    done_ = other.done_;
    cancelled_ = other.cancelled_;
    take_entry(other);
  }
  return *this;
}

void Sleep::take_entry(Sleep& other) noexcept {
  if (!std::exchange(other.waiting_, false)) return;
  waiting_ = true;
  if (Timers* t = other.entry_.owner.load(std::memory_order_acquire)) t->relocate(&other.entry_, &entry_);
  // Fired (before or during the move) or orphaned: what is left to know is whether it fired.
  if (!entry_.owner.load(std::memory_order_acquire)) {
    entry_.fired = other.entry_.fired;
    entry_.clamped = other.entry_.clamped;
  }
  other.entry_.waker.reset();
}

Sleep::~Sleep() { unregister(); }

void Sleep::unregister() noexcept {
  if (Timers* t = entry_.owner.load(std::memory_order_acquire)) t->remove(&entry_);
  waiting_ = false;
  entry_.waker.reset();
}

void Sleep::reset(uint64_t deadline_ns) noexcept {
  unregister();
  deadline_ = deadline_ns;
  done_ = cancelled_ = false;
}

void Sleep::reset(Duration duration) noexcept {
  unregister();
  arm(duration);
  done_ = cancelled_ = false;
}

void Sleep::cancel() noexcept {
  unregister();
  done_ = false;
  cancelled_ = true;
}

Poll<void> Sleep::poll(Context& cx) {
  if (done_) return ready();
  if (cancelled_) return pending;  // until reset
  Scheduler* s = cx.scheduler();
  if (!s) throw std::logic_error("sleep polled outside a Loopscope runtime");
  if (waiting_) {
    Timers* t = entry_.owner.load(std::memory_order_acquire);
    if (t || entry_.fired) {
      if (t && !t->poll_fired(&entry_, cx.waker())) return pending;
      waiting_ = false;
      // Fired at the wheel's horizon, short of a deadline further out: wait again.
      if (entry_.clamped && s->clock().now_ns() < *deadline_) return poll(cx);
      if (!coop::proceed(cx)) {
        waiting_ = true;  // (still fired: the next poll completes)
        return pending;
      }
      done_ = true;
      return ready();
    }
    waiting_ = false;  // its runtime is gone: wait in this one's wheel
    entry_.waker.reset();
  }
  uint64_t now = s->clock().now_ns();
  if (!deadline_) deadline_ = now + static_cast<uint64_t>(duration_.count());
  if (*deadline_ <= now) {
    if (!coop::proceed(cx)) return pending;
    done_ = true;
    return ready();
  }
  Timers& timers = s->timers();
  entry_.waker = cx.waker();
  entry_.task = cx.task_id();
  entry_.id = timers.next_id();
  if (!timers.insert(&entry_, *deadline_)) {
    // The wheel has already processed that tick: the deadline counts as passed.
    entry_.waker.reset();
    if (!coop::proceed(cx)) return pending;
    done_ = true;
    return ready();
  }
  waiting_ = true;
  if (Trace* t = s->trace()) t->emit(s->worker_id(), EventKind::TimerRegister, cx.task_id(), entry_.id, *deadline_);
  return pending;
}

Interval::Interval(Duration period, MissedTick policy) : period_(period), policy_(policy), sleep_(Duration::zero()) {
  if (period_ <= Duration::zero()) throw std::invalid_argument("interval period must be positive");
}

Poll<uint64_t> Interval::poll_tick(Context& cx) {
  if (sleep_.poll(cx).is_pending()) return pending;
  uint64_t scheduled = *sleep_.deadline_ns();
  uint64_t period = static_cast<uint64_t>(period_.count());
  uint64_t now = cx.scheduler()->clock().now_ns();
  uint64_t next = scheduled + period;
  if (next <= now) {
    switch (policy_) {
      case MissedTick::Burst: break;
      case MissedTick::Delay: next = now + period; break;
      case MissedTick::Skip: next = scheduled + ((now - scheduled) / period + 1) * period; break;
    }
  }
  sleep_.reset(next);
  return Poll<uint64_t>(scheduled);
}

}  // namespace loopscope
