#include "runtime/sched/scheduler.hpp"

#include <stdexcept>
#include <string>

namespace loopscope {

namespace {
thread_local Scheduler* t_current = nullptr;
thread_local uint64_t t_current_task = 0;
}  // namespace

Scheduler* Scheduler::current() noexcept { return t_current; }
uint64_t Scheduler::current_task_id() noexcept { return t_current_task; }
void Scheduler::set_current_task_id(uint64_t id) noexcept { t_current_task = id; }

Scheduler::EnterGuard::EnterGuard(Scheduler* s) noexcept : prev_(t_current), prev_task_(t_current_task) {
  t_current = s;
}
Scheduler::EnterGuard::~EnterGuard() {
  t_current = prev_;
  t_current_task = prev_task_;
}

bool scheduler_release(Scheduler* scheduler, TaskHeader* task) noexcept { return scheduler->release(task); }
void scheduler_yield(Scheduler* scheduler, TaskHeader* task) noexcept { scheduler->yield_task(task); }
void scheduler_schedule(Scheduler* scheduler, TaskHeader* task) noexcept { scheduler->schedule(task); }

void throw_no_runtime(const char* what) {
  throw std::logic_error(std::string(what) + " called outside a Loopscope runtime (no executor is running on this thread)");
}

}  // namespace loopscope
