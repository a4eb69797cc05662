#include "runtime/time/sleep.hpp"

#include <cassert>
#include <stdexcept>

#include "runtime/sched/coop.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/time/clock.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope {

Sleep::Sleep(Duration duration) : duration_(duration < Duration::zero() ? Duration::zero() : duration) {
  if (Scheduler* s = Scheduler::current())
    deadline_ = s->clock().now_ns() + static_cast<uint64_t>(duration_.count());
}

Sleep Sleep::until(uint64_t deadline_ns) {
  Sleep s;
  s.deadline_ = deadline_ns;
  return s;
}

Sleep::Sleep(Sleep&& other) noexcept : duration_(other.duration_), deadline_(other.deadline_), done_(other.done_) {
  assert(!other.timers_ && "a Sleep must not move once it has been polled");
}

Sleep::~Sleep() { unregister(); }

void Sleep::unregister() noexcept {
  if (timers_) timers_->remove(&entry_);
  timers_ = nullptr;
  entry_.waker.reset();
}

void Sleep::reset(uint64_t deadline_ns) noexcept {
  unregister();
  deadline_ = deadline_ns;
  done_ = false;
  entry_.fired = false;
}

Poll<void> Sleep::poll(Context& cx) {
  if (done_) return ready();
  Scheduler* s = cx.scheduler();
  if (!s) throw std::logic_error("sleep polled outside a Loopscope runtime");
  if (timers_) {
    if (!timers_->poll_fired(&entry_, cx.waker())) return pending;
    if (!coop::proceed(cx)) return pending;
    timers_ = nullptr;
    done_ = true;
    return ready();
  }
  uint64_t now = s->clock().now_ns();
  if (!deadline_) deadline_ = now + static_cast<uint64_t>(duration_.count());
  if (*deadline_ <= now) {
    if (!coop::proceed(cx)) return pending;
    done_ = true;
    return ready();
  }
  Timers& timers = s->timers();
  entry_.deadline_ms = (*deadline_ + kNsPerMs - 1) / kNsPerMs;
  entry_.waker = cx.waker();
  entry_.task = cx.task_id();
  entry_.id = timers.next_id();
  if (!timers.insert(&entry_)) {
    // The wheel has already processed that millisecond: the deadline counts as passed.
    entry_.waker.reset();
    if (!coop::proceed(cx)) return pending;
    done_ = true;
    return ready();
  }
  timers_ = &timers;
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
