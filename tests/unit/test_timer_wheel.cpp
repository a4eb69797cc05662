// TimerWheel on its own: ordering across levels, cascading, cancellation, far deadlines; and
// Timers' ticks at their driver's resolution.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <vector>

#include "runtime/platform/driver.hpp"
#include "runtime/time/clock.hpp"
#include "runtime/time/timers.hpp"
#include "runtime/time/wheel.hpp"

using loopscope::TimerEntry;
using loopscope::Timers;
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

namespace {
// A driver whose timer wheel ticks every 50 µs, as EpollDriver's does.
struct FineDriver final : loopscope::Driver {
  loopscope::ManualClock clock_;
  loopscope::Clock& clock() noexcept override { return clock_; }
  uint64_t timer_resolution_ns() const noexcept override { return 50'000; }
  bool park(std::optional<uint64_t>, bool) override { return true; }
  void unpark() noexcept override {}
};
}  // namespace

TEST_CASE("Timers tick at their driver's resolution: a timer fires at the first tick not before its deadline") {
  FineDriver driver;
  Timers timers(&driver);
  TimerEntry e;
  REQUIRE(timers.insert(&e, 1'020'000));  // 1.02 ms: the tick at 1.05 ms
  CHECK(timers.next_deadline() == 1'050'000u);
  int fired = 0;
  CHECK(timers.fire_due(1'049'999, [&](uint64_t, uint64_t) { ++fired; }) == 0);
  CHECK(timers.fire_due(1'050'000, [&](uint64_t, uint64_t) { ++fired; }) == 1);
  CHECK(fired == 1);
  Timers coarse;  // no driver: 1 ms ticks
  TimerEntry c;
  REQUIRE(coarse.insert(&c, 1'020'000));
  CHECK(coarse.next_deadline() == 2'000'000u);
}
