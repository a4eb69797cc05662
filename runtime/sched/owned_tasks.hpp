// OwnedTasks: every live task of a scheduler, so that shutdown can cancel them all.
// Linked through TaskHeader::owned_prev/owned_next. Only the scheduler's own thread touches it
// (tasks spawned from elsewhere are adopted when the scheduler takes them), so it needs no lock.
#pragma once

#include <cstddef>

#include "runtime/task/header.hpp"

namespace loopscope {

class OwnedTasks {
 public:
  // False when closed (shutting down): the caller must cancel the task itself.
  bool insert(TaskHeader* task) noexcept {
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
    if (head_ != task && !task->owned_prev) return false;
    unlink(task);
    return true;
  }
  TaskHeader* pop() noexcept {
    TaskHeader* task = head_;
    if (task) unlink(task);
    return task;
  }
  void close() noexcept {
    closed_ = true;
  }
  size_t size() const noexcept {
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

  TaskHeader* head_ = nullptr;
  size_t size_ = 0;
  bool closed_ = false;
};

}  // namespace loopscope
