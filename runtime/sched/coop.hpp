// Cooperative budget: a task may make a bounded number of resource operations per poll.
//
// Every resource (channel operation, timer completion, mutex acquisition, I/O readiness) calls
// coop::proceed(cx) at the moment it is about to complete. When the poll's budget is spent it
// refuses: the resource returns Pending and its task is woken at once, so the task goes to the
// back of the run queue instead of monopolising the thread (a forced yield, traced as
// budget_exhausted). A task that never touches a resource is not affected: that is what
// preemption is for.
//
//   if (!coop::proceed(cx)) return pending;
//   co_await unconstrained(hot_loop());    // opt out
#pragma once

#include "runtime/sched/scheduler.hpp"
#include "runtime/task/context.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope {

namespace coop {

inline bool proceed(Context& cx) noexcept {
  Budget* budget = cx.budget();
  if (!budget || budget->remaining == Budget::kUnconstrained) return true;
  if (budget->remaining > 0) {
    --budget->remaining;
    return true;
  }
  cx.waker().wake_by_ref();
  if (Scheduler* s = cx.scheduler(); s && s->trace())
    s->trace()->emit(s->worker_id(), EventKind::BudgetExhausted, cx.task_id());
  return false;
}

// Gives back the unit taken by proceed() when the operation then turned out to be pending.
inline void refund(Context& cx) noexcept {
  Budget* budget = cx.budget();
  if (budget && budget->remaining != Budget::kUnconstrained) ++budget->remaining;
}

}  // namespace coop

// Polls `future` without a cooperative budget.
template <Future F>
class Unconstrained {
 public:
  explicit Unconstrained(F future) : future_(std::move(future)) {}
  Poll<FutureOutput<F>> poll(Context& cx) {
    Context free = cx.with_budget(nullptr);
    return future_.poll(free);
  }

 private:
  F future_;
};

template <Future F>
Unconstrained<F> unconstrained(F future) {
  return Unconstrained<F>(std::move(future));
}

}  // namespace loopscope
