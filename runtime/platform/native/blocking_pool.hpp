// BlockingPool: a few threads for work that would block an executor (file I/O, CPU-heavy calls,
// spawn_blocking). Threads start on demand up to `max_threads` and exit after `keep_alive` idle.
// Destroying the pool drops jobs that have not started and waits for running ones.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/util/small_function.hpp"

namespace loopscope {

class BlockingPool {
 public:
  explicit BlockingPool(size_t max_threads = 8,
                        std::chrono::milliseconds keep_alive = std::chrono::milliseconds(10'000));
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  void submit(SmallFunction<void()> job);
  size_t threads() const;

 private:
  void worker_loop();
  void reap_exited();

  const size_t max_threads_;
  const std::chrono::milliseconds keep_alive_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<SmallFunction<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::vector<std::thread::id> exited_;
  size_t idle_ = 0;
  size_t live_ = 0;
  bool shutdown_ = false;
};

}  // namespace loopscope
