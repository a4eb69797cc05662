// StartTimers: a future that starts `n` sleeps 1..1 000 000 ms out (xorshift, so the deadlines
// spread over every level of the wheel), registering each by polling it once. Dropping the deque
// then cancels them all: the timer_insert_cancel case of both runtime benchmarks.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <vector>

#include "runtime/loopscope.hpp"

namespace loopscope::bench {

// The n durations, the same for every runtime.
template <class F>
void for_each_duration(int n, F&& f) {
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < n; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    f(std::chrono::milliseconds(1 + x % 1'000'000));
  }
}

struct StartTimers {
  std::deque<Sleep>* sleeps;
  int n;
  Poll<void> poll(Context& cx) {
    for_each_duration(n, [&](std::chrono::milliseconds d) {
      sleeps->emplace_back(d);
      (void)sleeps->back().poll(cx);
    });
    return ready();
  }
};

// Registers sleeps made beforehand (their memory allocated and touched): the timers' own cost,
// apart from the caller's storage.
struct RegisterTimers {
  std::vector<Sleep>* sleeps;
  Poll<void> poll(Context& cx) {
    for (Sleep& s : *sleeps) (void)s.poll(cx);
    return ready();
  }
};

}  // namespace loopscope::bench
