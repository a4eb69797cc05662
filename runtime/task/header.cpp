#include "runtime/task/header.hpp"

#include "runtime/sched/scheduler.hpp"

namespace loopscope {

namespace {

void waker_clone(void* data) { static_cast<TaskHeader*>(data)->state.ref_inc(); }

void waker_wake(void* data) {
  auto* task = static_cast<TaskHeader*>(data);
  switch (task->state.transition_to_notified_by_val()) {
    case TaskState::ToNotified::Submit:  // the waker's reference now belongs to the queue
      task->scheduler->schedule(task);
      break;
    case TaskState::ToNotified::Dealloc:
      task->vtable->dealloc(task);
      break;
    case TaskState::ToNotified::DoNothing:
      break;
  }
}

void waker_wake_by_ref(void* data) {
  auto* task = static_cast<TaskHeader*>(data);
  if (t_polling_task == task) {  // woken by itself while running: no need to touch the state word
    t_polling_self_woken = true;
    return;
  }
  if (task->state.transition_to_notified_by_ref() == TaskState::ToNotified::Submit)
    task->scheduler->schedule(task);
}

void waker_drop(void* data) { drop_reference(static_cast<TaskHeader*>(data)); }

}  // namespace

const WakerVTable TaskHeader::kWakerVTable = {waker_clone, waker_wake, waker_wake_by_ref, waker_drop};

}  // namespace loopscope
