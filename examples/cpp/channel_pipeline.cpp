// A three-stage pipeline over bounded channels: generate → square → print.
// Backpressure keeps at most two items in flight per stage; close() ends each stage in turn.
#include <cstdio>

#include "runtime/loopscope.hpp"
#include "runtime/platform/entry.hpp"

using namespace loopscope;

Task<void> generate(Channel<int> out) {
  for (int i = 1; i <= 6; ++i) co_await out.send(i);
  out.close();
}

Task<void> square(Channel<int> in, Channel<int> out) {
  while (auto v = co_await in.recv()) co_await out.send(*v * *v);
  out.close();
}

Task<int> app() {
  auto numbers = Channel<int>::bounded(2);
  auto squares = Channel<int>::bounded(2);
  auto g = spawn(generate(numbers));
  auto s = spawn(square(numbers, squares));
  int total = 0;
  while (auto v = co_await squares.recv()) {
    std::printf("got %d\n", *v);
    total += *v;
  }
  co_await g;
  co_await s;
  std::printf("total %d\n", total);
  co_return 0;
}

int main() { return run_to_exit(app()); }
