// InjectQueue: the runtime's global run queue, for tasks spawned or woken from outside its
// workers and for a worker's overflow. A locked intrusive FIFO with a lock-free length, so that
// workers can look at it on every scheduling decision without touching the lock.
//
// Once closed (shutdown) it refuses tasks: whoever pushes gets them back to release.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>

#include "runtime/sched/task_queue.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

class InjectQueue {
 public:
  bool empty() const noexcept { return len_.load(std::memory_order_acquire) == 0; }
  size_t len() const noexcept { return len_.load(std::memory_order_acquire); }
  template <class F>
  void for_each(F&& f) const {
    std::lock_guard<SpinLock> g(lock_);
    queue_.for_each(f);
  }

  // False when closed: the task was not queued.
  bool push(TaskHeader* task) noexcept {
    std::lock_guard<SpinLock> g(lock_);
    if (closed_) return false;
    queue_.push(task);
    len_.store(queue_.size(), std::memory_order_release);
    return true;
  }
  // Takes all of `batch`. When closed, leaves it in `batch` and returns false.
  bool push_batch(TaskQueue& batch) noexcept {
    std::lock_guard<SpinLock> g(lock_);
    if (closed_) return false;
    queue_.append(batch);
    len_.store(queue_.size(), std::memory_order_release);
    return true;
  }
  TaskHeader* pop() noexcept {
    if (empty()) return nullptr;
    std::lock_guard<SpinLock> g(lock_);
    TaskHeader* t = queue_.pop();
    len_.store(queue_.size(), std::memory_order_release);
    return t;
  }
  // Moves up to `max` tasks into `out`.
  size_t pop_n(TaskQueue& out, size_t max) noexcept {
    if (empty()) return 0;
    std::lock_guard<SpinLock> g(lock_);
    size_t n = 0;
    while (n < max) {
      TaskHeader* t = queue_.pop();
      if (!t) break;
      out.push(t);
      ++n;
    }
    len_.store(queue_.size(), std::memory_order_release);
    return n;
  }
  // Refuses further pushes and hands back everything queued.
  TaskQueue close() noexcept {
    std::lock_guard<SpinLock> g(lock_);
    closed_ = true;
    TaskQueue rest;
    rest.append(queue_);
    len_.store(0, std::memory_order_release);
    return rest;
  }

 private:
  mutable SpinLock lock_;
  TaskQueue queue_;
  std::atomic<size_t> len_{0};
  bool closed_ = false;
};

}  // namespace loopscope
