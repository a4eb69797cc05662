#include "runtime/sync/semaphore.hpp"

#include <cassert>
#include <mutex>

#include "runtime/sched/coop.hpp"
#include "runtime/trace/trace.hpp"
#include "runtime/util/wake_list.hpp"

namespace loopscope {

namespace {
void trace(Context& cx, EventKind kind, uint64_t id) {
  if (Scheduler* s = cx.scheduler(); s && s->trace()) s->trace()->emit(s->worker_id(), kind, cx.task_id(), id);
}
}  // namespace

Semaphore::Semaphore(size_t permits) : permits_(permits), id_(Trace::next_object_id()) {}

bool Semaphore::try_acquire(size_t n) noexcept {
  std::lock_guard<SpinLock> g(lock_);
  if (!waiters_.empty() || permits_ < n) return false;
  permits_ -= n;
  return true;
}

void Semaphore::release(size_t n) noexcept {
  WakeList wakes;
  std::unique_lock<SpinLock> g(lock_);
  permits_ += n;
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
  if (waiter_.granted || (!waiter_.linked() && sem_->waiters_.empty() && sem_->permits_ >= waiter_.needed)) {
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
  sem_->waiters_.push_back(&waiter_);
  ++sem_->waiting_;
  g.unlock();
  trace(cx, EventKind::MutexWait, sem_->id_);
  return pending;
}

Semaphore::Acquire::~Acquire() {
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
    }
  }
  // Leaving the queue may let the next waiter through (it might have been blocked behind us).
  if (left_queue || give_back) sem_->release(give_back ? waiter_.needed : 0);
}
}  // namespace loopscope
