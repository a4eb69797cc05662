// Loopscope's single-threaded runtime, measured with Google Benchmark. Each case has a twin in
// bench/peers/ written the idiomatic way for that runtime; bench/run.sh runs them all in one go
// and bench/report.mjs prints the ratios. Cases (same definition everywhere):
//   spawn_join           spawn 10 000 no-op tasks, then join them all        (ns per task)
//   yield                one task yields 100 000 times                         (ns per yield)
//   channel_roundtrip    ping-pong over two capacity-1 channels, 100 000 trips (ns per round trip)
//   timer_insert_cancel  start 1 000 000 timers 1..1 000 000 ms out, cancel all (ns per timer)
#include <benchmark/benchmark.h>

#include <deque>
#include <vector>

#include "bench/start_timers.hpp"
#include "runtime/loopscope.hpp"

using namespace loopscope;

namespace {

constexpr int kTasks = 10'000;
constexpr int kYields = 100'000;
constexpr int kTrips = 100'000;
constexpr int kTimers = 1'000'000;

Task<void> noop() { co_return; }

Task<void> spawn_join() {
  std::vector<JoinHandle<void>> handles;
  handles.reserve(kTasks);
  for (int i = 0; i < kTasks; ++i) handles.push_back(spawn(noop()));
  for (auto& h : handles) co_await h;
}

Task<void> yield_many() {
  for (int i = 0; i < kYields; ++i) co_await yield_now();
}

Task<void> pong(Channel<int> in, Channel<int> out) {
  for (int i = 0; i < kTrips; ++i) co_await out.send(*co_await in.recv());
}

Task<void> ping_pong() {
  auto a = Channel<int>::bounded(1), b = Channel<int>::bounded(1);
  auto p = spawn(pong(a, b));
  for (int i = 0; i < kTrips; ++i) {
    co_await a.send(i);
    co_await b.recv();
  }
  co_await p;
}

Task<void> timers() {
  std::deque<Sleep> sleeps;
  co_await bench::StartTimers{&sleeps, kTimers};
  sleeps.clear();  // cancels every one
}

void run(benchmark::State& state, Task<void> (*body)(), int per_iteration) {
  EpollDriver driver;
  LocalExecutor ex(driver);
  for (auto _ : state) ex.block_on(body());
  state.counters["ops"] = per_iteration;  // bench/report.mjs divides the time by it
}

}  // namespace

BENCHMARK_CAPTURE(run, spawn_join, spawn_join, kTasks)->Name("spawn_join/loopscope")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, yield, yield_many, kYields)->Name("yield/loopscope")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, channel_roundtrip, ping_pong, kTrips)->Name("channel_roundtrip/loopscope")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, timer_insert_cancel, timers, kTimers)->Name("timer_insert_cancel/loopscope")->Unit(benchmark::kMillisecond)->Iterations(3);

BENCHMARK_MAIN();
