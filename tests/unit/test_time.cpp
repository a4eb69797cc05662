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

namespace {
// Polls a sleep once, as an await would, without waiting for it: it enters the wheel.
struct PollOnce {
  Sleep* sleep;
  Poll<bool> poll(Context& cx) { return Poll<bool>(sleep->poll(cx).is_ready()); }
};
}  // namespace

TEST_CASE("a waiting sleep may move: sleeps kept in a vector that grows and shrinks fire at their deadlines") {
  ManualRuntime rt;
  rt.block_on([](ManualRuntime* rt) -> Task<void> {
    std::vector<Sleep> sleeps;  // no reserve: every growth moves the waiting sleeps
    for (int i = 1; i <= 40; ++i) {
      sleeps.push_back(sleep(std::chrono::milliseconds(i)));
      CHECK_FALSE(co_await PollOnce{&sleeps.back()});
    }
    CHECK(rt->executor.pending_timers() == 40);
    sleeps.erase(sleeps.begin());  // the others move down by assignment; the first leaves the wheel
    CHECK(rt->executor.pending_timers() == 39);
    for (int i = 2; i <= 40; ++i) {
      co_await sleeps[static_cast<size_t>(i - 2)];
      CHECK(rt->now_ms() == static_cast<uint64_t>(i));
    }
    CHECK(rt->executor.pending_timers() == 0);
    // Fired while nobody looked, then moved: it completes at once.
    Sleep early = sleep(5ms);
    CHECK_FALSE(co_await PollOnce{&early});
    co_await sleep(10ms);
    Sleep moved = std::move(early);
    co_await moved;
    CHECK(rt->now_ms() == 50);
  }(&rt));
}

TEST_CASE("a sleep is a timer to arm, reset and cancel without a future of one's own") {
  ManualRuntime rt;
  rt.block_on([](ManualRuntime* rt) -> Task<void> {
    Sleep timer = sleep(10ms);
    CHECK(timer.is_armed());
    CHECK(timer.deadline_ns() == 10 * kNsPerMs);
    CHECK_FALSE(co_await PollOnce{&timer});
    CHECK(rt->executor.pending_timers() == 1);
    timer.cancel();  // disarmed: out of the wheel, and it waits until the next reset
    CHECK_FALSE(timer.is_armed());
    CHECK_FALSE(timer.deadline_ns());
    CHECK(rt->executor.pending_timers() == 0);
    CHECK_FALSE(co_await PollOnce{&timer});
    CHECK(rt->executor.pending_timers() == 0);
    co_await sleep(20ms);
    CHECK_FALSE(co_await PollOnce{&timer});  // 20 ms on, still not complete
    timer.reset(5ms);  // from now
    CHECK(timer.deadline_ns() == 25 * kNsPerMs);
    co_await timer;
    CHECK(rt->now_ms() == 25);
    CHECK(timer.is_elapsed());
    co_await timer;  // elapsed: at once
    CHECK(rt->now_ms() == 25);
    timer.reset(uint64_t{40} * kNsPerMs);  // absolute
    CHECK_FALSE(co_await PollOnce{&timer});
    timer.reset(30ms);  // moved later while waiting
    co_await timer;
    CHECK(rt->now_ms() == 55);
  }(&rt));
}

TEST_CASE("a sleep that outlives its runtime is safe to drop, and waits in the next runtime it is polled on") {
  std::optional<Sleep> kept, dropped;
  {
    ManualRuntime rt;
    rt.block_on([](std::optional<Sleep>* kept, std::optional<Sleep>* dropped) -> Task<void> {
      kept->emplace(sleep(100ms));
      dropped->emplace(sleep(100ms));
      CHECK_FALSE(co_await PollOnce{&**kept});
      CHECK_FALSE(co_await PollOnce{&**dropped});
    }(&kept, &dropped));
  }  // the runtime and its wheel are gone; both sleeps were waiting in it
  dropped.reset();
  ManualRuntime next;
  next.block_on([](Sleep* s) -> Task<void> { co_await *s; }(&*kept));
  CHECK(next.now_ms() == 100);  // its deadline, on the new runtime's clock
  kept.reset();
}

TEST_CASE("a watchdog timer pushed back by activity fires once the activity stops") {
  ManualRuntime rt;
  uint64_t fired_at = rt.block_on([](ManualRuntime* rt) -> Task<uint64_t> {
    Notify activity;
    auto busy = spawn([](Notify* activity) -> Task<void> {
      for (int i = 0; i < 5; ++i) {  // activity every 20 ms, for 100 ms
        co_await sleep(20ms);
        activity->notify_one();
      }
    }(&activity));
    Sleep idle = sleep(30ms);
    int pushed = 0;
    for (;;) {
      auto woke = co_await when_any(idle.wait(), activity.notified());
      if (woke.index == 0) break;
      idle.reset(30ms);
      ++pushed;
    }
    co_await busy;
    CHECK(pushed == 5);
    co_return rt->now_ms();
  }(&rt));
  CHECK(fired_at == 130);  // 30 ms after the last activity, at 100 ms
}
