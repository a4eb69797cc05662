// BrowserRuntime: the single-threaded executor driven by the page's event loop.
//
// The executor never blocks the page. It runs in slices of at most a few milliseconds:
//   - a task woken from outside a slice (a JS callback, a resolved Promise) schedules a slice
//     with queueMicrotask, so it runs before the browser renders or handles the next event
//     (woken inside a RunAtEndOfCallback, as by the Promise bridge, it runs when that ends);
//   - when a slice ends with tasks still ready it yields to the browser and continues from a
//     MessageChannel message (a macrotask without setTimeout's 4 ms clamp; setImmediate under
//     Node);
//   - when only timers remain, one setTimeout is armed for the earliest deadline.
//
//   auto& rt = BrowserRuntime::global();
//   rt.spawn(app(), "app");        // returns at once; the app runs on the event loop
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include "runtime/platform/driver.hpp"
#include "runtime/sched/local_executor.hpp"
#include "runtime/time/clock.hpp"
#include "runtime/util/small_function.hpp"

namespace loopscope {

class BrowserRuntime;

// performance.now() in nanoseconds since the clock was made. Read straight from JavaScript rather
// than through std::chrono::steady_clock (clock_gettime, a 64-bit result split in two through
// tempRet0): a slice reads it.
class BrowserClock final : public Clock {
 public:
  BrowserClock() noexcept;
  uint64_t now_ns() const noexcept override;

 private:
  double origin_ms_;
};

class BrowserDriver final : public Driver {
 public:
  explicit BrowserDriver(BrowserRuntime& rt) noexcept : runtime_(rt) {}
  Clock& clock() noexcept override { return clock_; }
  // Never waits: the browser's event loop is the only place to wait.
  bool park(std::optional<uint64_t>, bool) override { return true; }
  void unpark() noexcept override;

 private:
  BrowserRuntime& runtime_;
  BrowserClock clock_;
};

class BrowserRuntime {
 public:
  static constexpr uint64_t kSliceNs = 4'000'000;  // yield to the page after 4 ms of work

  explicit BrowserRuntime(ExecutorOptions options = {});
  ~BrowserRuntime();
  BrowserRuntime(const BrowserRuntime&) = delete;
  BrowserRuntime& operator=(const BrowserRuntime&) = delete;

  // The runtime used by run_to_exit and to_promise when no other is given; lives for the page.
  static BrowserRuntime& global();

  template <Future F>
  JoinHandle<FutureOutput<F>> spawn(F future, std::string_view name = {}) {
    auto handle = executor_.spawn(std::move(future), name);
    request_run();
    return handle;
  }

  LocalExecutor& executor() noexcept { return executor_; }
  Clock& clock() noexcept { return driver_.clock(); }

  // Drives another scheduler on this runtime's driver instead of its executor (profile node's
  // loop in the page): `slice(max_ns)` runs one slice and says what remains.
  using Slice = SmallFunction<LocalExecutor::SliceResult(uint64_t max_ns)>;
  void drive(Slice slice) { slice_ = std::move(slice); }
  Driver& driver() noexcept { return driver_; }
  // Called at the end of every slice (a host watching for its program's end).
  void set_after_slice(SmallFunction<void()> hook) { after_slice_ = std::move(hook); }
  // No slice or timer callback is queued: nothing in the page refers to this runtime any more.
  bool quiet() const noexcept { return !run_queued_ && !timer_id_; }

  // Entry points for the event loop (see browser_runtime.cpp).
  void run();
  void on_timer();
  void request_run() noexcept;

  // For a callback that JavaScript calls with none of our frames on the stack (a promise's
  // reaction job): the runs that wakes inside the scope request happen when it ends, in the
  // same job, instead of from one more microtask each. A task woken by a settled Promise thus
  // continues in the promise's reaction job, as an async function does after `await`.
  class RunAtEndOfCallback {
   public:
    RunAtEndOfCallback() noexcept : outermost_(!std::exchange(deferring_runs_, true)) {}
    ~RunAtEndOfCallback() {
      if (outermost_) run_deferred();
    }
    RunAtEndOfCallback(const RunAtEndOfCallback&) = delete;
    RunAtEndOfCallback& operator=(const RunAtEndOfCallback&) = delete;

   private:
    bool outermost_;
  };

 private:
  static void run_deferred();
  void arm_timer(uint64_t deadline_ns);

  static bool deferring_runs_;         // inside a RunAtEndOfCallback
  static BrowserRuntime* deferred_;    // runtimes to run then, linked through next_deferred_
  BrowserRuntime* next_deferred_ = nullptr;

  BrowserDriver driver_;
  LocalExecutor executor_;
  SmallFunction<void()> after_slice_;
  Slice slice_;
  bool run_queued_ = false;        // a microtask or macrotask will call run()
  int timer_id_ = 0;               // armed setTimeout, 0 when none
  uint64_t timer_deadline_ = 0;
};

}  // namespace loopscope
