// Boost.Asio 1.74 (C++20 awaitable / co_spawn on an io_context, one thread): the peer for the
// cases of runtime_bench.cpp that Asio has a direct idiom for. Asio 1.74 has no channel type,
// so channel_roundtrip is compared with Go instead; its timers are compared through libuv's.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

namespace asio = boost::asio;

namespace {

constexpr int kTasks = 10'000;
constexpr int kYields = 100'000;

asio::awaitable<void> noop() { co_return; }

// Spawn all, then join all: co_spawn with use_awaitable returns an awaitable of the result, but
// it only starts when awaited, so spawning goes through `detached` plus a countdown.
asio::awaitable<void> spawn_join(asio::io_context& io) {
  int remaining = kTasks;
  for (int i = 0; i < kTasks; ++i) {
    asio::co_spawn(io, noop(), [&](std::exception_ptr) { --remaining; });
  }
  while (remaining > 0) co_await asio::post(io, asio::use_awaitable);
}

asio::awaitable<void> yield_many(asio::io_context& io) {
  for (int i = 0; i < kYields; ++i) co_await asio::post(io, asio::use_awaitable);
}

void run(benchmark::State& state, asio::awaitable<void> (*body)(asio::io_context&), int per_iteration) {
  for (auto _ : state) {
    asio::io_context io(1);
    asio::co_spawn(io, body(io), asio::detached);
    io.run();
  }
  state.counters["ops"] = per_iteration;
}

}  // namespace

BENCHMARK_CAPTURE(run, spawn_join, spawn_join, kTasks)->Name("spawn_join/asio")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, yield, yield_many, kYields)->Name("yield/asio")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
