// Timers: sleeps finish in deadline order, an interval ticks, a timeout gives up.
#include <cstdio>

#include "runtime/loopscope.hpp"
#include "runtime/platform/entry.hpp"

using namespace loopscope;
using namespace std::chrono_literals;

Task<void> wake_after(std::chrono::milliseconds d, const char* name) {
  co_await sleep(d);
  std::printf("%s woke after %lld ms\n", name, static_cast<long long>(d.count()));
}

Task<int> slow_answer() {
  co_await sleep(500ms);
  co_return 42;
}

Task<int> app() {
  auto a = spawn(wake_after(60ms, "slow"));
  auto b = spawn(wake_after(20ms, "fast"));
  auto c = spawn(wake_after(40ms, "medium"));
  co_await a;
  co_await b;
  co_await c;

  Interval every = interval(15ms);
  for (int i = 0; i < 3; ++i) {
    co_await every.tick();
    std::printf("interval tick %d\n", i);
  }

  try {
    co_await timeout(30ms, slow_answer());
  } catch (const TimedOut&) {
    std::printf("slow_answer timed out after 30 ms\n");
  }
  co_return 0;
}

int main() { return run_to_exit(app()); }
