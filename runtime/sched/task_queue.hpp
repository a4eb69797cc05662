// TaskQueue: an intrusive FIFO of tasks, linked through TaskHeader::queue_next.
// Pushing and popping never allocate; a task is in at most one run queue at a time (NOTIFIED).
#pragma once

#include <cstddef>

#include "runtime/task/header.hpp"

namespace loopscope {

class TaskQueue {
 public:
  bool empty() const noexcept { return head_ == nullptr; }
  size_t size() const noexcept { return size_; }

  void push(TaskHeader* task) noexcept {
    task->queue_next = nullptr;
    if (tail_) {
      tail_->queue_next = task;
    } else {
      head_ = task;
    }
    tail_ = task;
    ++size_;
  }
  TaskHeader* pop() noexcept {
    TaskHeader* task = head_;
    if (!task) return nullptr;
    head_ = task->queue_next;
    if (!head_) tail_ = nullptr;
    task->queue_next = nullptr;
    --size_;
    return task;
  }
  // Moves all of `other` to the back of this queue.
  void append(TaskQueue& other) noexcept {
    if (other.empty()) return;
    if (tail_) {
      tail_->queue_next = other.head_;
    } else {
      head_ = other.head_;
    }
    tail_ = other.tail_;
    size_ += other.size_;
    other.head_ = other.tail_ = nullptr;
    other.size_ = 0;
  }
  template <class F>
  void for_each(F&& f) const {
    for (TaskHeader* t = head_; t; t = t->queue_next) f(t);
  }

 private:
  TaskHeader* head_ = nullptr;
  TaskHeader* tail_ = nullptr;
  size_t size_ = 0;
};

}  // namespace loopscope
