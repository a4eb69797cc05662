// Context: what a future receives when it is polled — the waker of the task polling it, the
// scheduler it runs on (timers, reactor, trace), the task's id and its cooperative budget.
//
//   Poll<int> MyFuture::poll(Context& cx) {
//     if (!ready_) { waiter_ = cx.waker(); return pending; }
//     return ready(value_);
//   }
#pragma once

#include <cstdint>

#include "runtime/task/waker.hpp"

namespace loopscope {

class Scheduler;

// Cooperative scheduling budget of one poll (see runtime/sched/coop.hpp).
struct Budget {
  static constexpr uint32_t kUnconstrained = UINT32_MAX;
  uint32_t remaining = kUnconstrained;
};

class Context {
 public:
  explicit Context(const Waker& waker, Scheduler* scheduler = nullptr, uint64_t task_id = 0,
                   Budget* budget = nullptr) noexcept
      : waker_(&waker), scheduler_(scheduler), task_id_(task_id), budget_(budget) {}

  const Waker& waker() const noexcept { return *waker_; }
  // The scheduler polling this task, or null when a future is polled by hand (tests).
  Scheduler* scheduler() const noexcept { return scheduler_; }
  uint64_t task_id() const noexcept { return task_id_; }
  Budget* budget() const noexcept { return budget_; }

  // The same context with another waker (combinators that poll several children).
  Context with_waker(const Waker& waker) const noexcept {
    return Context(waker, scheduler_, task_id_, budget_);
  }
  Context with_budget(Budget* budget) const noexcept {
    return Context(*waker_, scheduler_, task_id_, budget);
  }

 private:
  const Waker* waker_;
  Scheduler* scheduler_;
  uint64_t task_id_;
  Budget* budget_;
};

}  // namespace loopscope
