#include "runtime/platform/native/blocking_pool.hpp"

namespace loopscope {

BlockingPool::BlockingPool(size_t max_threads, std::chrono::milliseconds keep_alive)
    : max_threads_(max_threads ? max_threads : 1), keep_alive_(keep_alive) {}

BlockingPool::~BlockingPool() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> g(mutex_);
    shutdown_ = true;
    jobs_.clear();
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

void BlockingPool::submit(SmallFunction<void()> job) {
  std::unique_lock<std::mutex> lock(mutex_);
  jobs_.push_back(std::move(job));
  if (idle_ > 0) {
    lock.unlock();
    cv_.notify_one();
    return;
  }
  if (live_ < max_threads_) {
    reap_exited();
    ++live_;
    threads_.emplace_back([this] { worker_loop(); });
  }
}

void BlockingPool::reap_exited() {
  // Called with the lock held. An exited worker gave the lock up for good before it could be
  // seen here, so joining it cannot wait on us.
  for (auto id : exited_) {
    for (auto it = threads_.begin(); it != threads_.end(); ++it) {
      if (it->get_id() == id) {
        it->join();
        threads_.erase(it);
        break;
      }
    }
  }
  exited_.clear();
}

size_t BlockingPool::threads() const {
  std::lock_guard<std::mutex> g(mutex_);
  return live_;
}

void BlockingPool::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (shutdown_) break;
    if (jobs_.empty()) {
      ++idle_;
      bool woke = cv_.wait_for(lock, keep_alive_, [&] { return shutdown_ || !jobs_.empty(); });
      --idle_;
      if (!woke) {  // idle too long: let the thread go; the next submit joins it
        exited_.push_back(std::this_thread::get_id());
        break;
      }
      continue;
    }
    SmallFunction<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job.reset();  // release captured state before reporting idle
    lock.lock();
  }
  --live_;
}

}  // namespace loopscope
