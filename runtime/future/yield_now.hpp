// yield_now(): let the other ready tasks run, then continue.
//
//   for (;;) { step(); co_await yield_now(); }
//
// The first poll wakes its own task and returns Pending, so the scheduler puts the task at the
// back of its run queue (traced as a yield), or (Tokio's rule) hands the scheduler its waker to
// wake after the next look at timers and I/O; the second poll completes.
#pragma once

#include "runtime/sched/scheduler.hpp"
#include "runtime/task/future.hpp"

namespace loopscope {

class YieldNow {
 public:
  Poll<void> poll(Context& cx) noexcept {
    if (yielded_) return ready();
    yielded_ = true;
    if (Scheduler* s = cx.scheduler(); s && s->defer_yield(cx.waker())) return pending;
    set_yield_cause(YieldCause::YieldNow);
    cx.waker().wake_by_ref();
    return pending;
  }

 private:
  bool yielded_ = false;
};

inline YieldNow yield_now() noexcept { return {}; }

}  // namespace loopscope
