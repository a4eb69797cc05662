// Runtime: the native multi-threaded runtime — one thread and one epoll reactor per worker,
// scheduled by WorkStealingScheduler (runtime/sched/work_stealing.hpp).
//
//   auto rt = Runtime::builder().workers(2).budget(128).build();
//   auto h = rt.spawn(serve(), "server");          // from any thread
//   int v = rt.block_on(main_task());              // runs it, then shuts the runtime down
//
// block_on runs its future as a task on the workers and waits on the calling thread, which must
// not be one of the runtime's workers. When it returns — or when the Runtime is destroyed — the
// runtime stops: the remaining tasks are cancelled (their futures dropped), the threads joined,
// and later spawns are cancelled at once.
#pragma once

#include <memory>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include "runtime/platform/native/epoll_driver.hpp"
#include "runtime/platform/native/thread_parker.hpp"
#include "runtime/sched/work_stealing.hpp"

namespace loopscope {

class Runtime {
 public:
  class Builder {
   public:
    Builder& workers(uint32_t n) noexcept { options_.workers = n; return *this; }
    Builder& global_queue_interval(uint32_t polls) noexcept { options_.global_queue_interval = polls; return *this; }
    Builder& event_interval(uint32_t polls) noexcept { options_.event_interval = polls; return *this; }
    // Resource operations per poll before a forced yield; 0 turns the budget off.
    Builder& budget(uint32_t units) noexcept { options_.budget = units; return *this; }
    Builder& trace(Trace* trace) noexcept { options_.trace = trace; return *this; }
    Runtime build() const { return Runtime(options_); }

   private:
    WorkStealingOptions options_;
  };
  static Builder builder() { return Builder(); }

  explicit Runtime(WorkStealingOptions options);
  ~Runtime();
  Runtime(Runtime&&) noexcept = default;
  Runtime& operator=(Runtime&&) = delete;

  template <Future F>
  JoinHandle<FutureOutput<F>> spawn(F future, std::string_view name = {}) {
    return state_->scheduler->spawn(std::move(future), name);
  }

  // Runs `future` on the workers until it completes, then shuts the runtime down. Returns its
  // value or rethrows its exception (or the first exception a microtask threw).
  template <Future F>
  FutureOutput<F> block_on(F future, std::string_view name = "main");

  // Cancels the remaining tasks and joins the workers. Idempotent; also done on destruction.
  void shutdown();

  WorkStealingScheduler& scheduler() noexcept { return *state_->scheduler; }
  uint32_t workers() const noexcept { return state_->scheduler->workers(); }

 private:
  struct State {
    std::vector<std::unique_ptr<EpollDriver>> drivers;
    std::unique_ptr<WorkStealingScheduler> scheduler;
    std::vector<std::thread> threads;
  };
  void check_not_worker(const char* what) const;

  std::unique_ptr<State> state_;
};

template <Future F>
FutureOutput<F> Runtime::block_on(F future, std::string_view name) {
  check_not_worker("block_on");
  auto handle = spawn(std::move(future), name);
  ThreadParker parker;
  Waker waker = parker.waker();
  Context cx(waker);
  auto finish = [&] {
    shutdown();
    if (auto error = state_->scheduler->take_microtask_error()) std::rethrow_exception(error);
  };
  for (;;) {
    auto p = handle.poll(cx);  // rethrows the task's exception
    if (p.is_ready()) {
      finish();
      if constexpr (std::is_void_v<FutureOutput<F>>) {
        return;
      } else {
        return p.take();
      }
    }
    parker.park();
  }
}

}  // namespace loopscope
