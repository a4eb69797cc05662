// The per-future-type half of a task: the cell that holds the future, then its output, and the
// vtable functions that drive it through the transitions of state.hpp.
//
// Reference counting follows one rule: every run-queue entry, every waker clone, the JoinHandle
// and the scheduler's owner list each hold one reference; the last one to let go deallocates.
#pragma once

#include <cassert>
#include <exception>
#include <optional>
#include <utility>

#include "runtime/task/future.hpp"
#include "runtime/task/header.hpp"
#include "runtime/task/outcome.hpp"
#include "runtime/util/chunk_cache.hpp"

namespace loopscope {

// Calls into the task's scheduler (defined in sched/scheduler.cpp; the scheduler type is not
// complete here).
bool scheduler_release(Scheduler* scheduler, TaskHeader* task) noexcept;
void scheduler_schedule(Scheduler* scheduler, TaskHeader* task) noexcept;

template <Future F>
struct TaskCell : TaskHeader {
  using Output = FutureOutput<F>;

  std::optional<F> future;  // engaged until the task completes or is cancelled
  std::optional<Outcome<Output>> output;

  TaskCell(F&& f, uint64_t task_id) : TaskHeader(&kVTable, task_id), future(std::move(f)) {}

  static TaskCell* of(TaskHeader* h) noexcept { return static_cast<TaskCell*>(h); }

  static void* operator new(std::size_t size) { return chunk_cache::allocate(size); }
  static void operator delete(void* cell, std::size_t size) noexcept { chunk_cache::deallocate(cell, size); }

  // Polls the future once; true when it finished (output stored, future dropped).
  bool poll_future(Budget* budget) noexcept {
    Waker waker = waker_ref();
    Context cx(waker, scheduler, id, budget);
    bool done = false;
    try {
      auto p = future->poll(cx);
      if (p.is_ready()) {
        if constexpr (std::is_void_v<Output>) {
          future.reset();
          output = Outcome<Output>::value(Unit{});
        } else {
          auto value = p.take();
          future.reset();
          output = Outcome<Output>::value(std::move(value));
        }
        done = true;
      }
    } catch (...) {
      future.reset();
      output = Outcome<Output>::error(std::current_exception());
      done = true;
    }
    waker.forget();
    return done;
  }

  void cancel() noexcept {
    future.reset();
    output = Outcome<Output>::aborted();
  }

  PollResult finished_as() const noexcept {
    return output->is_aborted() ? PollResult::Aborted
                                : (output->is_error() ? PollResult::Failed : PollResult::Completed);
  }

  // The future is gone and the output stored: publish it and let go of the task.
  void complete() noexcept {
    auto snapshot = state.transition_to_complete();
    if (!snapshot.is_join_interested()) {
      output.reset();  // nobody will read it
    } else if (snapshot.is_join_waker_set()) {
      join_waker.wake_by_ref();
    }
    uint64_t release = scheduler_release(scheduler, this) ? 2 : 1;
    if (state.transition_to_terminal(release)) delete this;
  }

  static PollResult poll(TaskHeader* h, Budget* budget, bool resumed) noexcept {
    auto* cell = of(h);
    // The task counts as polled while it completes or is cancelled too: what it wakes then (its
    // joiner, the waiters its destructors release) it wakes from its poll. Polls nest when a
    // task runs a nested executor.
    PollScope scope(h);
    if (resumed) {
      // Still RUNNING since its yield: only an abort may have happened meanwhile.
      if (h->state.load().is_cancelled()) return cell->cancel_and_complete();
    } else {
      switch (h->state.transition_to_running()) {
        case TaskState::ToRunning::Success:
          break;
        case TaskState::ToRunning::Cancelled:
          return cell->cancel_and_complete();
        case TaskState::ToRunning::Failed:
          return PollResult::Skipped;
        case TaskState::ToRunning::Dealloc:
          delete cell;
          return PollResult::Skipped;
      }
    }
    bool done = cell->poll_future(budget);
    bool self_woken = std::exchange(t_polling_self_woken, false);
    if (done) {
      PollResult r = cell->finished_as();
      cell->complete();
      return r;
    }
    if (self_woken) {
      // Keep RUNNING and let the scheduler re-queue it: a yield costs no atomic read-modify-write.
      if (h->state.load().is_cancelled()) return cell->cancel_and_complete();
      return PollResult::Yielded;
    }
    switch (h->state.transition_to_idle()) {
      case TaskState::ToIdle::Ok:
        return PollResult::Pending;
      case TaskState::ToIdle::OkNotified:
        return PollResult::Notified;  // the poll's reference goes with it into the queue
      case TaskState::ToIdle::OkDealloc:
        delete cell;
        return PollResult::Pending;
      case TaskState::ToIdle::Cancelled:
        return cell->cancel_and_complete();
    }
    return PollResult::Pending;
  }

  PollResult cancel_and_complete() noexcept {
    cancel();
    complete();
    return PollResult::Aborted;
  }

  static void dealloc(TaskHeader* h) noexcept { delete of(h); }

  // The JoinHandle asks for the output; registers its waker when it is not there yet.
  static void try_read_output(TaskHeader* h, void* out, const Waker& waker) {
    auto* cell = of(h);
    if (!cell->can_read_output(waker)) return;
    *static_cast<Poll<Outcome<Output>>*>(out) = Poll<Outcome<Output>>(std::move(*cell->output));
    cell->output.reset();
  }

  bool can_read_output(const Waker& waker) noexcept {
    auto snapshot = state.load();
    if (snapshot.is_complete()) return true;
    if (snapshot.is_join_waker_set()) {
      if (join_waker.will_wake(waker)) return false;
      // Take the waker back from the task before replacing it.
      if (!state.unset_join_waker()) return true;  // completed meanwhile
    }
    join_waker = waker;
    if (state.set_join_waker()) return false;
    join_waker.reset();  // completed meanwhile; the output is ready
    return true;
  }

  static void drop_output(TaskHeader* h) noexcept { of(h)->output.reset(); }

  static void shutdown(TaskHeader* h) noexcept {
    auto* cell = of(h);
    if (!h->state.transition_to_shutdown()) {
      drop_reference(h);  // running elsewhere: that poller sees CANCELLED and cancels
      return;
    }
    cell->cancel();
    cell->complete();
  }

  static void cancel_running(TaskHeader* h) noexcept { of(h)->cancel_and_complete(); }

  static constexpr TaskVTable kVTable = {poll, dealloc, try_read_output, drop_output, shutdown, cancel_running};
};

}  // namespace loopscope
