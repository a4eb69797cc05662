// spawn_blocking: off the executor's thread, value and exception back to the awaiter.
#include <stdexcept>
#include <thread>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

TEST_CASE("spawn_blocking runs on another thread and returns its value") {
  EpollDriver driver;
  LocalExecutor ex(driver);
  auto [value, same_thread] = ex.block_on([]() -> Task<std::pair<int, bool>> {
    auto executor_thread = std::this_thread::get_id();
    auto [v, t] = co_await spawn_blocking([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return std::make_pair(21 * 2, std::this_thread::get_id());
    });
    co_return std::make_pair(v, t == executor_thread);
  }());
  CHECK(value == 42);
  CHECK_FALSE(same_thread);
}

TEST_CASE("an exception in a blocking job reaches the awaiter") {
  EpollDriver driver;
  LocalExecutor ex(driver);
  CHECK_THROWS_WITH(ex.block_on(spawn_blocking([]() -> int { throw std::runtime_error("disk on fire"); })),
                    "disk on fire");
}

TEST_CASE("while a blocking job runs, the executor keeps running other tasks") {
  EpollDriver driver;
  LocalExecutor ex(driver);
  int ticks = ex.block_on([]() -> Task<int> {
    auto job = spawn_blocking([] { std::this_thread::sleep_for(std::chrono::milliseconds(60)); });
    int ticks = 0;
    auto ticker = spawn([](int* t) -> Task<void> {
      for (int i = 0; i < 3; ++i) {
        co_await sleep(std::chrono::milliseconds(5));
        ++*t;
      }
    }(&ticks));
    co_await ticker;
    co_await job;
    co_return ticks;
  }());
  CHECK(ticks == 3);
}

TEST_CASE("a manual-clock executor waits for a running blocking job instead of reporting a deadlock") {
  ManualRuntime rt;
  CHECK(rt.block_on(spawn_blocking([] {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          return 7;
        })) == 7);
}
