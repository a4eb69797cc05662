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

// What one poll of a task did, for the scheduler's bookkeeping and its trace.
enum class PollResult : uint8_t {
  Pending,    // the future returned Pending and waits for a wake-up
  Yielded,    // Pending, and it woke itself during the poll (yield_now, a spent budget). The task
              // is still RUNNING: the scheduler owns it and must queue it with `resume` set
  Notified,   // Pending, and something else woke it during the poll: queue it as usual
  Completed,  // finished with a value
  Failed,     // finished by throwing
  Aborted,    // cancelled (abort or shutdown) and dropped
  Skipped,    // nothing to do (already running elsewhere or complete)
};

struct TaskVTable {
  // Polls the task once. `resumed`: the task was queued after a Yielded poll and is still RUNNING.
  PollResult (*poll)(TaskHeader*, Budget*, bool resumed) noexcept;
  void (*dealloc)(TaskHeader*) noexcept;
  // out points at a Poll<Outcome<T>> of the task's own T.
  void (*try_read_output)(TaskHeader*, void* out, const Waker& waker);
  void (*drop_output)(TaskHeader*) noexcept;
  // Runtime shutdown: cancel the task if it is idle.
  void (*shutdown)(TaskHeader*) noexcept;
  // Cancels a task its scheduler holds RUNNING (queued after Yielded) at shutdown.
  void (*cancel_running)(TaskHeader*) noexcept;
};

struct TaskHeader {
  TaskState state;
  const TaskVTable* vtable;
  Scheduler* scheduler;
  uint64_t id;
  TaskHeader* queue_next = nullptr;
  TaskHeader* owned_prev = nullptr;
  TaskHeader* owned_next = nullptr;
  // Set by the scheduler that queued the task after a Yielded poll (it still holds RUNNING).
  // Travels with the queue entry, so whoever pops the entry owns the flag.
  bool resume_running = false;
  bool held = false;  // simulation: its poll paused at the horizon and continues next (not a new poll)
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

// The task being polled on this thread, set by the harness around each poll. A task that wakes
// itself by reference during its own poll (yield_now, a spent budget) only raises
// t_polling_self_woken: the harness re-queues it when the poll returns, without a wake-up going
// through the state word. (Two variables, not one struct: saving and restoring a 16-byte struct
// just written as two fields stalls store-to-load forwarding on every poll.)
inline thread_local TaskHeader* t_polling_task = nullptr;
inline thread_local bool t_polling_self_woken = false;

// Marks `task` as the one being polled on this thread for a scope (nests).
class PollScope {
 public:
  explicit PollScope(TaskHeader* task) noexcept : outer_(t_polling_task), outer_woken_(t_polling_self_woken) {
    t_polling_task = task;
    t_polling_self_woken = false;
  }
  ~PollScope() {
    t_polling_task = outer_;
    t_polling_self_woken = outer_woken_;
  }
  PollScope(const PollScope&) = delete;
  PollScope& operator=(const PollScope&) = delete;

 private:
  TaskHeader* outer_;
  bool outer_woken_;
};

// Releases one reference; deallocates on the last.
inline void drop_reference(TaskHeader* task) noexcept {
  if (task->state.ref_dec()) task->vtable->dealloc(task);
}

// Releases a run-queue entry that will never be polled (shutdown): an entry queued after a
// Yielded poll still holds the task RUNNING and cancels it; any other gives back the queue's
// reference.
inline void drop_queue_entry(TaskHeader* task) noexcept {
  if (task->resume_running) {
    task->resume_running = false;
    task->vtable->cancel_running(task);
  } else {
    drop_reference(task);
  }
}

}  // namespace loopscope
