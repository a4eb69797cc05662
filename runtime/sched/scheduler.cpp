#include "runtime/sched/scheduler.hpp"

#include <stdexcept>
#include <string>

namespace loopscope {

Scheduler::EnterGuard::EnterGuard(Scheduler* s) noexcept : prev_(detail::t_current_scheduler) {
  detail::t_current_scheduler = s;
}
Scheduler::EnterGuard::~EnterGuard() { detail::t_current_scheduler = prev_; }

bool scheduler_release(Scheduler* scheduler, TaskHeader* task) noexcept { return scheduler->release(task); }
void scheduler_schedule(Scheduler* scheduler, TaskHeader* task) noexcept { scheduler->schedule(task); }

void throw_no_runtime(const char* what) {
  throw std::logic_error(std::string(what) + " called outside a Loopscope runtime (no executor is running on this thread)");
}

}  // namespace loopscope
