#include "runtime/sync/semaphore.hpp"

#include <cassert>
#include <mutex>

#include "runtime/sched/coop.hpp"
#include "runtime/time/clock.hpp"
#include "runtime/trace/trace.hpp"
#include "runtime/util/wake_list.hpp"

namespace loopscope {

namespace {
void trace(Context& cx, EventKind kind, uint64_t id) {
  if (Scheduler* s = cx.scheduler(); s && s->trace()) s->trace()->emit(s->worker_id(), kind, cx.task_id(), id);
}
}  // namespace

Semaphore::Semaphore(size_t permits, SemaphoreRules rules)
    : permits_(permits), rules_(rules), id_(Trace::next_object_id()) {}

bool Semaphore::open_to_newcomer(size_t n) const noexcept {
  bool barging = rules_ == SemaphoreRules::GoMutex && !starving_;  // (Go: a newcomer may overtake)
  return permits_ >= n && (barging || waiters_.empty());
}

bool Semaphore::try_acquire(size_t n) noexcept {
  std::lock_guard<SpinLock> g(lock_);
  if (!open_to_newcomer(n)) return false;
  permits_ -= n;
  return true;
}

void Semaphore::release(size_t n) noexcept {
  WakeList wakes;
  std::unique_lock<SpinLock> g(lock_);
  permits_ += n;
  if (!waiters_.empty()) serve_waiters(wakes, g);
}

void Semaphore::serve_waiters(WakeList& wakes, std::unique_lock<SpinLock>& g) noexcept {
  if (rules_ == SemaphoreRules::GoMutex && !starving_) {
    // Normal mode: wake the oldest waiter to try again, one at a time (mutexWoken).
    Waiter* w = waiters_.front();
    if (!w || woken_ || permits_ < w->needed) return;
    waiters_.pop_front();
    --waiting_;
    w->woken = true;
    woken_ = true;
    wakes.push(std::move(w->waker));
    return;
  }
  for (;;) {
    Waiter* w = waiters_.front();
    if (!w || w->needed > permits_) break;
    if (wakes.full()) {
      g.unlock();
      wakes.wake_all();
      g.lock();
      continue;
    }
    permits_ -= w->needed;
    waiters_.pop_front();
    --waiting_;
    w->granted = true;
    wakes.push(std::move(w->waker));
  }
}

bool Semaphore::hands_over() const noexcept {
  std::lock_guard<SpinLock> g(lock_);
  return rules_ == SemaphoreRules::GoMutex && starving_ && !waiters_.empty();
}

size_t Semaphore::available() const noexcept {
  std::lock_guard<SpinLock> g(lock_);
  return permits_;
}

size_t Semaphore::waiting() const noexcept {
  std::lock_guard<SpinLock> g(lock_);
  return waiting_;
}

Semaphore::Acquire::Acquire(Acquire&& other) noexcept : sem_(other.sem_), done_(other.done_) {
  assert(!other.waiter_.linked() && !other.waiter_.granted);
  waiter_.needed = other.waiter_.needed;
}

Poll<void> Semaphore::Acquire::poll(Context& cx) {
  if (done_) return ready();
  if (!coop::proceed(cx)) return pending;
  std::unique_lock<SpinLock> g(sem_->lock_);
  bool go = sem_->rules_ == SemaphoreRules::GoMutex;
  uint64_t now = go && cx.scheduler() ? cx.scheduler()->clock().now_ns() : 0;
  bool starved = go && waiter_.wait_start != 0 && now - waiter_.wait_start > kStarvationNs;
  if (waiter_.granted && go && (!starved || sem_->waiters_.empty())) sem_->starving_ = false;  // (handed over)
  bool may_take = !waiter_.linked() && sem_->open_to_newcomer(waiter_.needed);
  bool retry = std::exchange(waiter_.woken, false);
  if (retry) sem_->woken_ = false;
  if (waiter_.granted || may_take) {
    if (!waiter_.granted) sem_->permits_ -= waiter_.needed;
    g.unlock();
    done_ = true;
    trace(cx, EventKind::MutexAcquire, sem_->id_);
    return ready();
  }
  coop::refund(cx);
  if (waiter_.linked()) {
    if (!waiter_.waker.will_wake(cx.waker())) waiter_.waker = cx.waker();
    return pending;
  }
  waiter_.waker = cx.waker();
  waiter_.task = cx.task_id();
  ++sem_->waiting_;
  if (retry) {
    // Go: beaten to it by a newcomer: wait again at the front; starve the mutex if we waited
    // too long already.
    sem_->waiters_.push_front(&waiter_);
    if (starved) sem_->starving_ = true;
    return pending;
  }
  if (go) waiter_.wait_start = now ? now : 1;
  sem_->waiters_.push_back(&waiter_);
  g.unlock();
  trace(cx, EventKind::MutexWait, sem_->id_);
  return pending;
}

Semaphore::Acquire::~Acquire() {
  if (done_) return;  // acquired: neither queued nor holding a grant (no lock needed)
  bool left_queue = false;
  bool give_back = false;
  {
    std::lock_guard<SpinLock> g(sem_->lock_);
    if (waiter_.linked()) {
      IntrusiveList<Waiter>::remove(&waiter_);
      --sem_->waiting_;
      left_queue = true;
    } else if (waiter_.granted && !done_) {
      give_back = true;  // handed permits we never used
    } else if (waiter_.woken && !done_) {
      sem_->woken_ = false;  // woken to try again, and gone: wake the next one instead
      left_queue = true;
    }
  }
  // Leaving the queue may let the next waiter through (it might have been blocked behind us).
  if (left_queue || give_back) sem_->release(give_back ? waiter_.needed : 0);
}
}  // namespace loopscope
