// TaskHeader: the type-erased part of every spawned task, first in its allocation.
//
// Schedulers only ever see TaskHeader*: they link it into run queues (queue_next) and into their
// list of owned tasks (owned_prev/owned_next), and drive it through the vtable, whose functions
// are instantiated per future type in harness.hpp.
#pragma once

#include <cstdint>

#include "runtime/task/context.hpp"
#include "runtime/task/state.hpp"
#include "runtime/task/waker.hpp"

namespace loopscope {

struct TaskHeader;

// What one poll of a task did, for the scheduler's trace and bookkeeping.
enum class PollResult : uint8_t {
  Pending,    // the future returned Pending
  Yielded,    // Pending, and it woke itself during the poll: re-queued already
  Completed,  // finished with a value
  Failed,     // finished by throwing
  Aborted,    // cancelled (abort or shutdown) and dropped
  Skipped,    // nothing to do (already running elsewhere or complete)
};

struct TaskVTable {
  PollResult (*poll)(TaskHeader*, Budget*) noexcept;
  void (*dealloc)(TaskHeader*) noexcept;
  // out points at a Poll<Outcome<T>> of the task's own T.
  void (*try_read_output)(TaskHeader*, void* out, const Waker& waker);
  void (*drop_output)(TaskHeader*) noexcept;
  // Runtime shutdown: cancel the task if it is idle.
  void (*shutdown)(TaskHeader*) noexcept;
};

struct TaskHeader {
  TaskState state;
  const TaskVTable* vtable;
  Scheduler* scheduler;
  uint64_t id;
  TaskHeader* queue_next = nullptr;
  TaskHeader* owned_prev = nullptr;
  TaskHeader* owned_next = nullptr;
  // The JoinHandle's waker. Guarded by the JOIN_WAKER protocol (state.hpp): while JOIN_WAKER is
  // unset only the JoinHandle touches it; once set, only the task does until COMPLETE.
  Waker join_waker;

  TaskHeader(const TaskVTable* vt, uint64_t task_id) noexcept : vtable(vt), scheduler(nullptr), id(task_id) {}

  // The waker of this task: data is the header, one reference per clone.
  Waker waker_ref() const noexcept;
  static const WakerVTable kWakerVTable;
};

inline Waker TaskHeader::waker_ref() const noexcept {
  return Waker::borrowed(const_cast<TaskHeader*>(this), &kWakerVTable);
}

// Releases one reference; deallocates on the last.
inline void drop_reference(TaskHeader* task) noexcept {
  if (task->state.ref_dec()) task->vtable->dealloc(task);
}

}  // namespace loopscope
