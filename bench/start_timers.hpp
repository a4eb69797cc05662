// StartTimers: a future that starts `n` sleeps 1..1 000 000 ms out (xorshift, so the deadlines
// spread over every level of the wheel), registering each by polling it once. Dropping the deque
// then cancels them all: the timer_insert_cancel case of both runtime benchmarks.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

#include "runtime/loopscope.hpp"

namespace loopscope::bench {

struct StartTimers {
  std::deque<Sleep>* sleeps;
  int n;
  Poll<void> poll(Context& cx) {
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < n; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      sleeps->emplace_back(std::chrono::milliseconds(1 + x % 1'000'000));
      (void)sleeps->back().poll(cx);
    }
    return ready();
  }
};

}  // namespace loopscope::bench
