// TimerWheel on its own: ordering across levels, cascading, cancellation, far deadlines.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "runtime/time/wheel.hpp"

using loopscope::TimerEntry;
using loopscope::TimerWheel;

namespace {
std::vector<uint64_t> fire_until(TimerWheel& w, uint64_t now) {
  std::vector<uint64_t> fired;
  w.advance(now, [&](TimerEntry* e) { fired.push_back(e->deadline); });
  return fired;
}
}  // namespace

TEST_CASE("timers fire in deadline order across all levels") {
  TimerWheel w;
  std::vector<uint64_t> deadlines = {1, 63, 64, 65, 4095, 4096, 4097, 300000, 17, 262144, 16777216};
  std::vector<TimerEntry> entries(deadlines.size());
  for (size_t i = 0; i < deadlines.size(); ++i) {
    entries[i].deadline = deadlines[i];
    REQUIRE(w.insert(&entries[i]));
  }
  CHECK(w.size() == deadlines.size());
  auto fired = fire_until(w, 20'000'000);
  std::sort(deadlines.begin(), deadlines.end());
  CHECK(fired == deadlines);
  CHECK(w.empty());
}

TEST_CASE("advancing fires exactly the timers whose deadline has passed") {
  TimerWheel w;
  TimerEntry a, b, c;
  a.deadline = 10;
  b.deadline = 100;
  c.deadline = 5000;
  w.insert(&a);
  w.insert(&b);
  w.insert(&c);
  CHECK(fire_until(w, 9).empty());
  CHECK(fire_until(w, 10) == std::vector<uint64_t>{10});
  CHECK(fire_until(w, 4999) == std::vector<uint64_t>{100});
  CHECK(fire_until(w, 5000) == std::vector<uint64_t>{5000});
}

TEST_CASE("next_deadline never lies later than the earliest timer") {
  std::mt19937_64 rng(7);
  TimerWheel w;
  std::vector<TimerEntry> entries(2000);
  for (auto& e : entries) {
    e.deadline = 1 + rng() % 10'000'000;
    w.insert(&e);
  }
  uint64_t now = 0;
  size_t fired_total = 0;
  while (!w.empty()) {
    auto next = w.next_deadline();
    REQUIRE(next);
    uint64_t earliest = UINT64_MAX;
    for (auto& e : entries)
      if (!e.fired) earliest = std::min(earliest, e.deadline);
    REQUIRE(*next <= earliest);
    now = *next;
    w.advance(now, [&](TimerEntry* e) {
      CHECK(e->deadline <= now);
      ++fired_total;
    });
  }
  CHECK(fired_total == entries.size());
}

TEST_CASE("a removed timer never fires and frees its slot") {
  TimerWheel w;
  TimerEntry a, b;
  a.deadline = 50;
  b.deadline = 70;
  w.insert(&a);
  w.insert(&b);
  w.remove(&a);
  CHECK(w.size() == 1);
  CHECK(fire_until(w, 100) == std::vector<uint64_t>{70});
  CHECK_FALSE(w.next_deadline());
}

TEST_CASE("a deadline that is not in the future is refused") {
  TimerWheel w;
  TimerEntry a;
  fire_until(w, 100);
  a.deadline = 100;
  CHECK_FALSE(w.insert(&a));
  a.deadline = 101;
  CHECK(w.insert(&a));
}

TEST_CASE("timers beyond the wheel's range are clamped, not lost") {
  TimerWheel w;
  TimerEntry far;
  far.deadline = UINT64_MAX / 2;
  CHECK(w.insert(&far));
  CHECK(far.deadline == TimerWheel::kMaxDuration);
  CHECK(fire_until(w, TimerWheel::kMaxDuration) == std::vector<uint64_t>{TimerWheel::kMaxDuration});
}
