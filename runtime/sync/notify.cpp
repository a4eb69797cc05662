#include "runtime/sync/notify.hpp"

#include <mutex>

#include "runtime/util/wake_list.hpp"

namespace loopscope {

Waker Notify::notify_one_locked() noexcept {
  Waiter* w = waiters_.pop_front();
  if (!w) {
    permit_ = true;
    return Waker();
  }
  w->state = State::NotifiedOne;
  return std::move(w->waker);
}

void Notify::notify_one() noexcept {
  Waker w;
  {
    std::lock_guard<SpinLock> g(lock_);
    w = notify_one_locked();
  }
  w.wake();
}

Notify::Notified::Notified(Notify& n) noexcept : notify_(&n) {
  std::lock_guard<SpinLock> g(n.lock_);
  all_calls_ = n.all_calls_;
}

void Notify::notify_all() noexcept {
  {
    std::lock_guard<SpinLock> g(lock_);
    ++all_calls_;
  }
  if (oldest_first_) {
    for (;;) {  // (one at a time, each after unlocking)
      Waker w;
      {
        std::lock_guard<SpinLock> g(lock_);
        Waiter* waiter = waiters_.pop_front();
        if (!waiter) return;
        waiter->state = State::NotifiedAll;
        w = std::move(waiter->waker);
      }
      w.wake();
    }
  }
  WakeList wakes;
  std::unique_lock<SpinLock> g(lock_);
  while (Waiter* w = waiters_.front()) {
    if (wakes.full()) {
      g.unlock();
      wakes.wake_all();
      g.lock();
      continue;
    }
    waiters_.pop_front();
    w->state = State::NotifiedAll;
    wakes.push(std::move(w->waker));
  }
}

bool Notify::has_permit() const noexcept {
  std::lock_guard<SpinLock> g(lock_);
  return permit_;
}

Poll<void> Notify::Notified::poll(Context& cx) {
  if (done_) return ready();
  std::lock_guard<SpinLock> g(notify_->lock_);
  switch (waiter_.state) {
    case State::Idle:
      if (notify_->all_calls_ != all_calls_) {  // a notify_all came since it was made
        done_ = true;
        return ready();
      }
      if (notify_->permit_) {
        notify_->permit_ = false;
        done_ = true;
        return ready();
      }
      waiter_.state = State::Waiting;
      waiter_.waker = cx.waker();
      notify_->waiters_.push_back(&waiter_);
      return pending;
    case State::Waiting:
      if (!waiter_.waker.will_wake(cx.waker())) waiter_.waker = cx.waker();
      return pending;
    case State::NotifiedOne:
    case State::NotifiedAll:
      done_ = true;
      return ready();
  }
  return pending;
}

Notify::Notified::~Notified() {
  Waker forward;
  {
    std::lock_guard<SpinLock> g(notify_->lock_);
    if (waiter_.linked()) {
      IntrusiveList<Waiter>::remove(&waiter_);
    } else if (waiter_.state == State::NotifiedOne && !done_) {
      forward = notify_->notify_one_locked();  // do not swallow a notify_one we never saw
    }
  }
  forward.wake();
}

}  // namespace loopscope
