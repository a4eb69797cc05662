// A program written against the installed runtime: tasks, a channel, a timer kept and reset.
#include <cstdio>

#include "runtime/loopscope.hpp"
#include "runtime/platform/entry.hpp"

using namespace loopscope;
using namespace std::chrono_literals;

Task<void> produce(Channel<int> ch) {
  for (int i = 1; i <= 4; ++i) co_await ch.send(i);
  ch.close();
}

Task<int> app() {
  auto ch = Channel<int>::bounded(1);
  auto producer = spawn(produce(ch));
  int sum = 0;
  while (auto v = co_await ch.recv()) sum += *v;
  co_await producer;

  Sleep timer = sleep(5ms);
  timer.cancel();
  timer.reset(2ms);
  co_await timer;
  std::printf("sum %d; the timer %s\n", sum, timer.is_elapsed() ? "elapsed" : "did not elapse");
  co_return 0;
}

int main() { return run_to_exit(app()); }
