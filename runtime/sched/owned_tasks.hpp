// OwnedTasks: every live task of a scheduler, so that shutdown can cancel them all.
// Linked through TaskHeader::owned_prev/owned_next; guarded by a spin lock because a task may be
// spawned onto a scheduler from another thread.
#pragma once

#include <cstddef>
#include <mutex>

#include "runtime/task/header.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

class OwnedTasks {
 public:
  // False when closed (shutting down): the caller must cancel the task itself.
  bool insert(TaskHeader* task) noexcept {
    std::lock_guard<SpinLock> g(lock_);
    if (closed_) return false;
    task->owned_prev = nullptr;
    task->owned_next = head_;
    if (head_) head_->owned_prev = task;
    head_ = task;
    ++size_;
    return true;
  }
  // True when the task was in the list (and now is not).
  bool remove(TaskHeader* task) noexcept {
    std::lock_guard<SpinLock> g(lock_);
    if (head_ != task && !task->owned_prev) return false;
    unlink(task);
    return true;
  }
  TaskHeader* pop() noexcept {
    std::lock_guard<SpinLock> g(lock_);
    TaskHeader* task = head_;
    if (task) unlink(task);
    return task;
  }
  void close() noexcept {
    std::lock_guard<SpinLock> g(lock_);
    closed_ = true;
  }
  size_t size() const noexcept {
    std::lock_guard<SpinLock> g(lock_);
    return size_;
  }

 private:
  void unlink(TaskHeader* task) noexcept {
    if (task->owned_prev) task->owned_prev->owned_next = task->owned_next;
    if (task->owned_next) task->owned_next->owned_prev = task->owned_prev;
    if (head_ == task) head_ = task->owned_next;
    task->owned_prev = task->owned_next = nullptr;
    --size_;
  }

  mutable SpinLock lock_;
  TaskHeader* head_ = nullptr;
  size_t size_ = 0;
  bool closed_ = false;
};

}  // namespace loopscope
