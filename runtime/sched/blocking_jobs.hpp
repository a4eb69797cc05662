// BlockingJobs: the blocking jobs of a single-threaded scheduler (LocalExecutor, NodeLoop) and
// how many are in flight. Natively they run on a pool started on first use, and the scheduler's
// driver is unparked when one ends; in the browser, without threads, a job runs as a microtask
// of the scheduler right after the current one.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "runtime/platform/driver.hpp"
#include "runtime/sched/scheduler.hpp"

#ifndef __EMSCRIPTEN__
#include "runtime/platform/native/blocking_pool.hpp"
#endif

namespace loopscope {

class BlockingJobs {
 public:
  void run(Scheduler& scheduler, Driver& driver, SmallFunction<void()> job) {
    in_flight_.fetch_add(1, std::memory_order_relaxed);
#ifdef __EMSCRIPTEN__
    (void)driver;
    scheduler.queue_microtask([this, job = std::move(job)]() mutable {
      job();
      in_flight_.fetch_sub(1, std::memory_order_relaxed);
    });
#else
    (void)scheduler;
    if (!pool_) pool_ = std::make_unique<BlockingPool>();
    pool_->submit([this, &driver, job = std::move(job)]() mutable {
      job();
      in_flight_.fetch_sub(1, std::memory_order_release);
      driver.unpark();
    });
#endif
  }
  uint32_t in_flight() const noexcept { return in_flight_.load(std::memory_order_acquire); }
  // Waits for the running jobs (their wake-ups may still reach tasks, cancelled by then).
  void join() {
#ifndef __EMSCRIPTEN__
    pool_.reset();
#endif
  }

 private:
  std::atomic<uint32_t> in_flight_{0};
#ifndef __EMSCRIPTEN__
  std::unique_ptr<BlockingPool> pool_;
#endif
};

}  // namespace loopscope
