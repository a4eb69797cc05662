// sleep, interval and timeout on the executor, with a manual clock (exact and instant).
#include <string>
#include <vector>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

namespace {
Task<void> sleeper(std::vector<std::string>* log, std::string name, std::chrono::milliseconds d, ManualRuntime* rt) {
  co_await sleep(d);
  log->push_back(name + "@" + std::to_string(rt->now_ms()));
}
}  // namespace

TEST_CASE("sleeps complete at their deadline, in deadline order, then creation order") {
  ManualRuntime rt;
  std::vector<std::string> log;
  rt.block_on([](std::vector<std::string>* log, ManualRuntime* rt) -> Task<void> {
    auto a = spawn(sleeper(log, "c30", 30ms, rt));
    auto b = spawn(sleeper(log, "a10", 10ms, rt));
    auto c = spawn(sleeper(log, "b10", 10ms, rt));
    auto d = spawn(sleeper(log, "z0", 0ms, rt));
    co_await a;
    co_await b;
    co_await c;
    co_await d;
  }(&log, &rt));
  CHECK(log == std::vector<std::string>{"z0@0", "a10@10", "b10@10", "c30@30"});
}

TEST_CASE("a sleep never completes early, even for sub-millisecond durations") {
  ManualRuntime rt;
  rt.block_on([](ManualRuntime* rt) -> Task<void> {
    rt->driver.manual_clock().advance(300'000);  // 0.3 ms into the run
    uint64_t start = Scheduler::current()->clock().now_ns();
    co_await sleep(std::chrono::microseconds(1500));
    CHECK(Scheduler::current()->clock().now_ns() - start >= 1'500'000);
  }(&rt));
}

TEST_CASE("dropping a pending sleep removes its timer") {
  ManualRuntime rt;
  rt.block_on([](ManualRuntime* rt) -> Task<void> {
    {
      auto h = spawn([]() -> Task<void> { co_await sleep(1000ms); }());
      co_await yield_now();
      CHECK(rt->executor.pending_timers() == 1);
      h.abort();
      CHECK_THROWS_AS(co_await h, TaskAborted);
    }
    CHECK(rt->executor.pending_timers() == 0);
  }(&rt));
  CHECK(rt.now_ms() == 0);  // the clock never had to move to 1000 ms
}

TEST_CASE("sleep_until uses an absolute deadline on the scheduler's clock") {
  ManualRuntime rt;
  rt.block_on([](ManualRuntime* rt) -> Task<void> {
    co_await sleep_until(25 * kNsPerMs);
    CHECK(rt->now_ms() == 25);
    co_await sleep_until(5 * kNsPerMs);  // already past: completes at once
    CHECK(rt->now_ms() == 25);
  }(&rt));
}

namespace {
// Ticks an interval `n` times, spending `busy_ms` of (manual) time after each tick.
Task<std::vector<uint64_t>> tick(ManualRuntime* rt, MissedTick policy, int n, uint64_t busy_first_ms) {
  Interval every(10ms, policy);
  std::vector<uint64_t> at;
  for (int i = 0; i < n; ++i) {
    co_await every.tick();
    at.push_back(rt->now_ms());
    if (i == 0) rt->driver.manual_clock().advance(busy_first_ms * kNsPerMs);  // a long stall
  }
  co_return at;
}
}  // namespace

TEST_CASE("interval ticks at once, then every period") {
  ManualRuntime rt;
  CHECK(rt.block_on(tick(&rt, MissedTick::Burst, 4, 0)) == std::vector<uint64_t>{0, 10, 20, 30});
}

TEST_CASE("interval missed ticks: burst catches up, delay restarts, skip stays on the grid") {
  {
    ManualRuntime rt;
    CHECK(rt.block_on(tick(&rt, MissedTick::Burst, 5, 35)) == std::vector<uint64_t>{0, 35, 35, 35, 40});
  }
  {
    ManualRuntime rt;
    CHECK(rt.block_on(tick(&rt, MissedTick::Delay, 4, 35)) == std::vector<uint64_t>{0, 35, 45, 55});
  }
  {
    ManualRuntime rt;
    CHECK(rt.block_on(tick(&rt, MissedTick::Skip, 4, 35)) == std::vector<uint64_t>{0, 35, 40, 50});
  }
}

TEST_CASE("timeout gives the value in time, throws TimedOut otherwise and cancels the late future") {
  ManualRuntime rt;
  rt.block_on([](ManualRuntime* rt) -> Task<void> {
    int v = co_await timeout(50ms, []() -> Task<int> {
      co_await sleep(20ms);
      co_return 3;
    }());
    CHECK(v == 3);
    CHECK(rt->now_ms() == 20);
    CHECK_THROWS_AS(co_await timeout(50ms, sleep(80ms)), TimedOut);
    CHECK(rt->now_ms() == 70);
    CHECK(rt->executor.pending_timers() == 0);
  }(&rt));
}
