// Spawning tasks and joining them: results come back through JoinHandles, errors too.
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "runtime/loopscope.hpp"
#include "runtime/platform/entry.hpp"

using namespace loopscope;

Task<int> square(int x) {
  co_await yield_now();  // let the other tasks take a turn
  std::printf("squaring %d\n", x);
  co_return x * x;
}

Task<int> fail(int x) {
  co_await yield_now();
  throw std::runtime_error("cannot handle " + std::to_string(x));
}

Task<int> app() {
  std::vector<JoinHandle<int>> handles;
  for (int i = 1; i <= 4; ++i) handles.push_back(spawn(square(i)));
  int sum = 0;
  for (auto& h : handles) sum += co_await h;
  std::printf("sum of squares: %d\n", sum);

  auto bad = spawn(fail(13));
  try {
    co_await bad;
  } catch (const std::exception& e) {
    std::printf("the failing task reported: %s\n", e.what());
  }
  co_return 0;
}

int main() { return run_to_exit(app()); }
