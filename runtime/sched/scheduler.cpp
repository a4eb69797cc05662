#include "runtime/sched/scheduler.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "runtime/time/clock.hpp"
#include "runtime/time/timers.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope {

Scheduler::EnterGuard::EnterGuard(Scheduler* s) noexcept : prev_(detail::t_current_scheduler) {
  detail::t_current_scheduler = s;
}
Scheduler::EnterGuard::~EnterGuard() { detail::t_current_scheduler = prev_; }

bool scheduler_release(Scheduler* scheduler, TaskHeader* task) noexcept { return scheduler->release(task); }
void scheduler_schedule(Scheduler* scheduler, TaskHeader* task) noexcept { scheduler->schedule(task); }

void trace_poll_end(Trace& trace, uint16_t worker, uint64_t task, PollResult result, uint32_t budget_left) noexcept {
  trace.emit(worker, EventKind::PollEnd, task, static_cast<uint64_t>(result), budget_left);
  switch (result) {
    case PollResult::Yielded:
    case PollResult::Notified: trace.emit(worker, EventKind::Yield, task); break;
    case PollResult::Completed: trace.emit(worker, EventKind::TaskComplete, task); break;
    case PollResult::Failed: trace.emit(worker, EventKind::TaskError, task); break;
    case PollResult::Aborted: trace.emit(worker, EventKind::TaskAbort, task); break;
    case PollResult::Pending:
    case PollResult::Skipped: break;
  }
}

void throw_no_runtime(const char* what) {
  throw std::logic_error(std::string(what) + " called outside a Loopscope runtime (no executor is running on this thread)");
}

void QueueState::add_timers(const Timers& wheel) {
  wheel.for_each([&](const TimerEntry& e) {
    uint64_t at = wheel.fire_time_ns(e);
    timers.push_back(Timer{at / kNsPerMs + (at % kNsPerMs != 0), e.task});
  });
  std::sort(timers.begin(), timers.end());
}

}  // namespace loopscope
