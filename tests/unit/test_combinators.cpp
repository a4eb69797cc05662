// when_all, when_any and timeout: concurrency inside one task, first error, cancelled losers.
#include <stdexcept>
#include <string>
#include <vector>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

namespace {
Task<int> after(std::chrono::milliseconds d, int v) {
  co_await sleep(d);
  co_return v;
}
Task<int> fail_after(std::chrono::milliseconds d) {
  co_await sleep(d);
  throw std::runtime_error("child failed");
}
}  // namespace

TEST_CASE("when_all runs its futures concurrently and returns every value") {
  ManualRuntime rt;
  auto [a, b, c] = rt.block_on(when_all(after(30ms, 1), after(10ms, 2), after(20ms, 3)));
  CHECK(a == 1);
  CHECK(b == 2);
  CHECK(c == 3);
  CHECK(rt.now_ms() == 30);  // concurrent, not 60
}

TEST_CASE("when_all over a vector keeps the input order") {
  ManualRuntime rt;
  std::vector<Task<int>> ts;
  for (int i = 0; i < 5; ++i) ts.push_back(after(std::chrono::milliseconds(50 - i * 10), i));
  CHECK(rt.block_on(when_all(std::move(ts))) == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("when_all fails with the first error and drops the rest") {
  ManualRuntime rt;
  CHECK_THROWS_WITH(rt.block_on(when_all(after(100ms, 1), fail_after(10ms))), "child failed");
  CHECK(rt.now_ms() == 10);
  CHECK(rt.executor.pending_timers() == 0);
}

TEST_CASE("when_any returns the first to finish and cancels the losers") {
  ManualRuntime rt;
  auto r = rt.block_on(when_any(after(30ms, 1), after(10ms, 2), after(20ms, 3)));
  CHECK(r.index == 1);
  CHECK(r.value == 2);
  CHECK(rt.executor.pending_timers() == 0);  // the losers' sleeps are gone
  CHECK(rt.now_ms() == 10);
}

TEST_CASE("when_any over a vector, ties go to the earliest") {
  ManualRuntime rt;
  std::vector<Task<int>> ts;
  ts.push_back(after(10ms, 7));
  ts.push_back(after(10ms, 8));
  auto r = rt.block_on(when_any(std::move(ts)));
  CHECK(r.index == 0);
  CHECK(r.value == 7);
}

TEST_CASE("when_any rethrows an error that comes first") {
  ManualRuntime rt;
  CHECK_THROWS_WITH(rt.block_on(when_any(after(30ms, 1), fail_after(5ms))), "child failed");
  CHECK(rt.executor.pending_timers() == 0);
}

TEST_CASE("a cancelled loser's destructors run before when_any returns") {
  ManualRuntime rt;
  struct Flag {
    bool* set;
    ~Flag() { *set = true; }
  };
  bool loser_dropped = false;
  bool seen_after = rt.block_on([](bool* dropped) -> Task<bool> {
    auto loser = [](bool* d) -> Task<int> {
      Flag f{d};
      co_await sleep(100ms);
      co_return 0;
    };
    co_await when_any(loser(dropped), after(1ms, 1));
    co_return *dropped;
  }(&loser_dropped));
  CHECK(seen_after);
}
