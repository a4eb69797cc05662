// Helpers shared by the runtime unit tests: a deterministic executor on a manual clock.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/loopscope.hpp"

namespace loopscope::test {

using namespace std::chrono_literals;

// An executor whose clock only moves when it has nothing else to do (it then jumps to the next
// timer), so timing tests are exact and instant.
struct ManualRuntime {
  ManualDriver driver;
  LocalExecutor executor;
  explicit ManualRuntime(ExecutorOptions options = {}) : executor(driver, options) {}
  uint64_t now_ms() const { return const_cast<ManualDriver&>(driver).clock().now_ns() / kNsPerMs; }
  template <class F>
  auto block_on(F f) {
    return executor.block_on(std::move(f));
  }
};

// A waker that counts its wake-ups, for polling futures by hand.
struct CountingWaker {
  int wakes = 0;
  int refs = 1;
  static const WakerVTable kVTable;
  Waker waker() {
    ++refs;
    return Waker(this, &kVTable);
  }
};
inline const WakerVTable CountingWaker::kVTable = {
    [](void* p) { ++static_cast<CountingWaker*>(p)->refs; },
    [](void* p) {
      ++static_cast<CountingWaker*>(p)->wakes;
      --static_cast<CountingWaker*>(p)->refs;
    },
    [](void* p) { ++static_cast<CountingWaker*>(p)->wakes; },
    [](void* p) { --static_cast<CountingWaker*>(p)->refs; },
};

}  // namespace loopscope::test
