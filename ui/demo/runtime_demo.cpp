#include "ui/demo/runtime_demo.hpp"

#include <chrono>

#include "runtime/future/when_all.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/sync/channel.hpp"
#include "runtime/time/sleep.hpp"

namespace loopscope::ui {

using namespace std::chrono_literals;

namespace {

Task<void> ticker(RuntimeDemo& demo) {
  for (int i = 1; i <= 3; ++i) {
    co_await sleep(100ms);
    demo.output.push_back("tick " + std::to_string(i));
  }
}

Task<void> producer(RuntimeDemo& demo, Channel<int> ch) {
  for (int i = 1; i <= 4; ++i) {
    co_await ch.send(i);
    demo.output.push_back("sent " + std::to_string(i));
  }
  ch.close();
}

Task<void> consumer(RuntimeDemo& demo, Channel<int> ch) {
  while (auto v = co_await ch.recv()) demo.output.push_back("received " + std::to_string(*v));
}

Task<void> platform(RuntimeDemo& demo, std::function<Task<std::string>()> step) {
  std::string value = co_await step();
  demo.output.push_back("platform step: " + value);
}

}  // namespace

Task<void> run_runtime_demo(RuntimeDemo& demo, std::function<Task<std::string>()> platform_step) {
  auto ch = Channel<int>::bounded(2);
  auto t = spawn(ticker(demo), "ticker");
  auto p = spawn(producer(demo, ch), "producer");
  auto c = spawn(consumer(demo, ch), "consumer");
  auto js = spawn(platform(demo, std::move(platform_step)), "platform step");
  co_await when_all(std::move(t), std::move(p), std::move(c), std::move(js));
  demo.output.push_back("demo done");
  demo.done = true;
}

}  // namespace loopscope::ui
