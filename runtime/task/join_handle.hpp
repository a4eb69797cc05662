// JoinHandle<T>: the spawner's handle on a task.
//
//   JoinHandle<int> h = spawn(compute());
//   int v = co_await h;        // the task's value, or rethrows what it threw (TaskAborted if aborted)
//   h.abort();                 // cancel at its next suspension point
//   // dropping the handle detaches the task: it keeps running, its output is discarded
#pragma once

#include <cstdint>
#include <utility>

#include "runtime/task/harness.hpp"

namespace loopscope {

template <class T>
class [[nodiscard]] JoinHandle {
 public:
  JoinHandle() noexcept = default;
  explicit JoinHandle(TaskHeader* raw) noexcept : raw_(raw) {}
  JoinHandle(JoinHandle&& other) noexcept : raw_(std::exchange(other.raw_, nullptr)) {}
  JoinHandle& operator=(JoinHandle&& other) noexcept {
    if (this != &other) {
      detach();
      raw_ = std::exchange(other.raw_, nullptr);
    }
    return *this;
  }
  JoinHandle(const JoinHandle&) = delete;
  JoinHandle& operator=(const JoinHandle&) = delete;
  ~JoinHandle() { detach(); }

  Poll<T> poll(Context& cx) {
    Poll<Outcome<T>> out = pending;
    raw_->vtable->try_read_output(raw_, &out, cx.waker());
    if (out.is_pending()) return pending;
    if constexpr (std::is_void_v<T>) {
      out.take().get();
      return ready();
    } else {
      return Poll<T>(out.take().get());
    }
  }

  // Requests cancellation: the task is dropped at its next suspension point (right away if it
  // is waiting), and awaiting this handle then throws TaskAborted. No effect once complete.
  void abort() const noexcept {
    if (raw_ && raw_->state.transition_to_notified_and_cancel()) scheduler_schedule(raw_->scheduler, raw_);
  }
  bool is_finished() const noexcept { return raw_ && raw_->state.load().is_complete(); }
  bool abort_requested() const noexcept { return raw_ && raw_->state.load().is_cancelled(); }
  uint64_t id() const noexcept { return raw_ ? raw_->id : 0; }
  explicit operator bool() const noexcept { return raw_ != nullptr; }

  // Lets the task run on without anyone waiting for it.
  void detach() noexcept {
    if (!raw_) return;
    TaskHeader* task = std::exchange(raw_, nullptr);
    if (!task->state.unset_join_interested()) task->vtable->drop_output(task);  // already complete
    drop_reference(task);
  }

 private:
  TaskHeader* raw_ = nullptr;
};

}  // namespace loopscope
