// The multi-threaded Runtime on the cases of bench/README.md ("The multi-threaded cases").
// Each case gets a fresh runtime, runs once to warm up and once measured inside its block_on
// task, so thread start-up and shutdown are not counted. Prints one JSON line per case.
//
//   runtime_mt_bench --workers 2 [--quick] [--case spawn_local]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "bench/start_timers.hpp"
#include "runtime/loopscope.hpp"

using namespace loopscope;
using namespace std::chrono_literals;

namespace {

uint32_t g_workers = 1;
int g_scale = 1;  // --quick: every size / 100
const char* g_only = nullptr;  // --case NAME: run that case alone (for profiling)

bool wanted(const char* name) { return !g_only || !std::strcmp(g_only, name); }

int size(int n) { return std::max(1, n / g_scale); }

uint64_t now_ns() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

void report(const char* name, double ns_per_op, const std::string& extra = {}) {
  std::printf("{\"name\":\"%s@%uw/loopscope\",\"ns_per_op\":%.2f%s}\n", name, g_workers, ns_per_op, extra.c_str());
  std::fflush(stdout);
}

uint64_t percentile(std::vector<uint64_t>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

Runtime runtime() { return Runtime::builder().workers(g_workers).build(); }

// Runs the case `make()` builds twice on a fresh runtime, the first time to warm up the workers'
// memory; returns the elapsed ns of the second.
template <class Make>
Task<uint64_t> warm_then_measure(Make make) {
  co_await make();
  co_return co_await make();
}
template <class Make>
uint64_t timed(Make make) {
  auto rt = runtime();
  return rt.block_on(warm_then_measure(std::move(make)));
}

// --- tasks -----------------------------------------------------------------------------------

Task<void> noop() { co_return; }

Task<uint64_t> spawn_local(int n) {
  uint64_t start = now_ns();
  std::vector<JoinHandle<void>> handles;
  handles.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) handles.push_back(spawn(noop()));
  for (auto& h : handles) co_await h;
  co_return now_ns() - start;
}

Task<void> chain(int remaining, Notify* done) {
  if (remaining == 0) {
    done->notify_one();
  } else {
    spawn(chain(remaining - 1, done)).detach();
  }
  co_return;
}

Task<uint64_t> chained_spawn(int depth) {
  uint64_t start = now_ns();
  Notify done;
  spawn(chain(depth, &done)).detach();
  co_await done.notified();
  co_return now_ns() - start;
}

Task<void> yielder(int n) {
  for (int i = 0; i < n; ++i) co_await yield_now();
}

// The single-threaded table's `yield` (bench/runtime_bench.cpp), on this runtime.
Task<uint64_t> yield_one(int yields) {
  uint64_t start = now_ns();
  co_await spawn(yielder(yields));
  co_return now_ns() - start;
}

Task<uint64_t> yield_many(int tasks, int yields) {
  uint64_t start = now_ns();
  std::vector<JoinHandle<void>> handles;
  for (int i = 0; i < tasks; ++i) handles.push_back(spawn(yielder(yields)));
  for (auto& h : handles) co_await h;
  co_return now_ns() - start;
}

Task<void> pong_helper(OneshotReceiver<int> ping, OneshotSender<int> pong) {
  co_await ping;
  pong.send(1);
}

Task<void> ping(std::atomic<int>* remaining, Notify* done) {
  auto [ping_tx, ping_rx] = oneshot<int>();
  auto [pong_tx, pong_rx] = oneshot<int>();
  spawn(pong_helper(std::move(ping_rx), std::move(pong_tx))).detach();
  ping_tx.send(1);
  co_await pong_rx;
  if (remaining->fetch_sub(1) == 1) done->notify_one();
}

Task<void> spawn_pings(int n, std::atomic<int>* remaining, Notify* done) {
  for (int i = 0; i < n; ++i) spawn(ping(remaining, done)).detach();
  co_return;
}

Task<uint64_t> ping_pong(int pings) {
  uint64_t start = now_ns();
  std::atomic<int> remaining{pings};
  Notify done;
  spawn(spawn_pings(pings, &remaining, &done)).detach();
  co_await done.notified();
  co_return now_ns() - start;
}

Task<void> echo_channel(Channel<int> in, Channel<int> out, int trips) {
  for (int i = 0; i < trips; ++i) co_await out.send(*co_await in.recv());
}

Task<uint64_t> channel_roundtrip(int trips) {
  uint64_t start = now_ns();
  auto a = Channel<int>::bounded(1), b = Channel<int>::bounded(1);
  auto peer = spawn(echo_channel(a, b, trips));
  for (int i = 0; i < trips; ++i) {
    co_await a.send(i);
    co_await b.recv();
  }
  co_await peer;
  co_return now_ns() - start;
}

Task<void> locker(Mutex* m, long* counter, int n) {
  for (int i = 0; i < n; ++i) {
    auto guard = co_await m->lock();
    ++*counter;
  }
}

Task<uint64_t> mutex_contended(int tasks, int sections) {
  uint64_t start = now_ns();
  Mutex m;
  long counter = 0;
  std::vector<JoinHandle<void>> handles;
  for (int i = 0; i < tasks; ++i) handles.push_back(spawn(locker(&m, &counter, sections)));
  for (auto& h : handles) co_await h;
  if (counter != static_cast<long>(tasks) * sections) throw std::logic_error("mutex_contended: lost an increment");
  co_return now_ns() - start;
}

Task<uint64_t> timer_insert_cancel(int n) {
  uint64_t start = now_ns();
  std::deque<Sleep> sleeps;
  co_await bench::StartTimers{&sleeps, n};
  sleeps.clear();
  co_return now_ns() - start;
}

// timer_insert_cancel without the caller's memory: the Sleeps exist before the clock starts.
Task<uint64_t> timer_wheel_only(int n) {
  std::vector<Sleep> sleeps;
  sleeps.reserve(static_cast<size_t>(n));
  bench::for_each_duration(n, [&](std::chrono::milliseconds d) { sleeps.emplace_back(d); });
  uint64_t start = now_ns();
  co_await bench::RegisterTimers{&sleeps};
  for (Sleep& s : sleeps) s.cancel();
  co_return now_ns() - start;
}

Task<uint64_t> ticker(std::atomic<bool>* hot_done) {
  Interval every = interval(1ms, MissedTick::Delay);
  uint64_t worst = 0;
  while (!hot_done->load()) {
    uint64_t scheduled = co_await every.tick();
    worst = std::max(worst, Scheduler::current()->clock().now_ns() - scheduled);
  }
  co_return worst;
}

Task<void> hog(std::chrono::milliseconds d, std::atomic<bool>* done) {
  auto ch = Channel<int>::unbounded();
  uint64_t end = now_ns() + static_cast<uint64_t>(std::chrono::nanoseconds(d).count());
  while (now_ns() < end) {
    co_await ch.send(1);
    co_await ch.recv();
  }
  done->store(true);
}

Task<uint64_t> fairness_hog(std::chrono::milliseconds d) {
  std::atomic<bool> hot_done{false};
  auto t = spawn(ticker(&hot_done));
  co_await sleep(5ms);
  co_await spawn(hog(d, &hot_done));
  co_return co_await t;
}

Task<std::vector<uint64_t>> wake_latency(int wakes) {
  auto ch = Channel<uint64_t>::unbounded();
  std::thread outside([ch, wakes] {
    for (int i = 0; i < wakes; ++i) {
      uint64_t until = now_ns() + 100'000;
      while (now_ns() < until) std::this_thread::sleep_for(20us);
      ch.try_send(now_ns());
    }
  });
  std::vector<uint64_t> latencies;
  latencies.reserve(static_cast<size_t>(wakes));
  for (int i = 0; i < wakes; ++i) latencies.push_back(now_ns() - *co_await ch.recv());
  outside.join();
  co_return latencies;
}

// --- TCP ---------------------------------------------------------------------------------------

Task<bool> read_exact(TcpStream& s, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    size_t r = co_await s.read(buf + got, n - got);
    if (r == 0) co_return false;
    got += r;
  }
  co_return true;
}

Task<void> echo_connection(TcpStream s, size_t message) {
  s.set_nodelay(true);
  std::vector<char> buf(message);
  while (co_await read_exact(s, buf.data(), message)) co_await s.write_all(std::string_view(buf.data(), message));
}

Task<void> serve(TcpListener* listener, int connections, size_t message) {
  for (int i = 0; i < connections; ++i) spawn(echo_connection(co_await listener->accept(), message)).detach();
}

Task<void> client(uint16_t port, int messages, size_t message, std::vector<uint64_t>* latencies) {
  TcpStream s = co_await TcpStream::connect("127.0.0.1", port);
  s.set_nodelay(true);
  std::vector<char> out(message, 'x'), in(message);
  for (int i = 0; i < messages; ++i) {
    uint64_t start = now_ns();
    co_await s.write_all(std::string_view(out.data(), message));
    if (!co_await read_exact(s, in.data(), message)) throw std::runtime_error("echo: early end of stream");
    latencies->push_back(now_ns() - start);
  }
}

struct EchoResult {
  uint64_t elapsed_ns;
  std::vector<uint64_t> latencies;
};

Task<EchoResult> tcp_echo(int connections, int messages, size_t message) {
  TcpListener listener = TcpListener::bind("127.0.0.1", 0);
  auto server = spawn(serve(&listener, connections, message));
  std::vector<std::vector<uint64_t>> per_client(static_cast<size_t>(connections));
  uint64_t start = now_ns();
  std::vector<JoinHandle<void>> clients;
  for (int c = 0; c < connections; ++c) {
    per_client[static_cast<size_t>(c)].reserve(static_cast<size_t>(messages));
    clients.push_back(spawn(client(listener.local_port(), messages, message, &per_client[static_cast<size_t>(c)])));
  }
  for (auto& h : clients) co_await h;
  EchoResult r{now_ns() - start, {}};
  for (auto& v : per_client) r.latencies.insert(r.latencies.end(), v.begin(), v.end());
  co_await server;
  co_return r;
}

void run_echo(const char* name, int connections, int messages, size_t message) {
  auto rt = runtime();
  EchoResult r = rt.block_on(tcp_echo(connections, messages, message));
  double total = static_cast<double>(connections) * messages;
  double mb_per_s = 2.0 * total * static_cast<double>(message) / (static_cast<double>(r.elapsed_ns) / 1e9) / 1e6;
  uint64_t p99 = percentile(r.latencies, 0.99);
  char extra[128];
  if (std::string(name) == "tcp_pingpong") {
    std::snprintf(extra, sizeof extra, ",\"round_trips_per_s\":%.0f", total / (static_cast<double>(r.elapsed_ns) / 1e9));
  } else {
    std::snprintf(extra, sizeof extra, ",\"mb_per_s\":%.1f,\"p99_ns\":%llu", mb_per_s, static_cast<unsigned long long>(p99));
  }
  report(name, static_cast<double>(r.elapsed_ns) / total, extra);
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--workers") && i + 1 < argc) g_workers = static_cast<uint32_t>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--quick")) g_scale = 100;
    else if (!std::strcmp(argv[i], "--case") && i + 1 < argc) g_only = argv[++i];
    else {
      std::fprintf(stderr, "usage: runtime_mt_bench [--workers N] [--quick] [--case NAME]\n");
      return 2;
    }
  }
  if (g_workers == 0) g_workers = 1;

  if (int n = size(100'000); wanted("spawn_local"))
    report("spawn_local", static_cast<double>(timed([=] { return spawn_local(n); })) / n);
  if (int n = size(1'000); wanted("chained_spawn"))
    report("chained_spawn", static_cast<double>(timed([=] { return chained_spawn(n); })) / n);
  if (int n = size(100'000); wanted("yield_one"))
    report("yield_one", static_cast<double>(timed([=] { return yield_one(n); })) / n);
  if (int tasks = size(200), yields = 1'000; wanted("yield_many"))
    report("yield_many", static_cast<double>(timed([=] { return yield_many(tasks, yields); })) / (tasks * yields));
  if (int n = size(1'000); wanted("ping_pong"))
    report("ping_pong", static_cast<double>(timed([=] { return ping_pong(n); })) / n);
  if (int n = size(500'000); wanted("channel_roundtrip"))
    report("channel_roundtrip", static_cast<double>(timed([=] { return channel_roundtrip(n); })) / n);
  if (int tasks = 64, sections = size(10'000); wanted("mutex_contended"))
    report("mutex_contended", static_cast<double>(timed([=] { return mutex_contended(tasks, sections); })) / (tasks * sections));
  if (int n = size(1'000'000); wanted("timer_insert_cancel")) {
    double wheel = static_cast<double>(timed([=] { return timer_wheel_only(n); })) / n;
    report("timer_insert_cancel", static_cast<double>(timed([=] { return timer_insert_cancel(n); })) / n,
           ",\"wheel_ns\":" + std::to_string(wheel));
  }
  if (wanted("fairness_hog")) report("fairness_hog", static_cast<double>(timed([=] { return fairness_hog(g_scale > 1 ? 20ms : 200ms); })));
  if (wanted("wake_latency")) {
    auto rt = runtime();
    auto lat = rt.block_on(wake_latency(size(10'000)));
    uint64_t p50 = percentile(lat, 0.5), p99 = percentile(lat, 0.99);
    report("wake_latency", static_cast<double>(p50), ",\"p99_ns\":" + std::to_string(p99));
  }
  if (wanted("tcp_pingpong")) run_echo("tcp_pingpong", 1, size(50'000), 64);
  if (wanted("tcp_echo_64")) run_echo("tcp_echo_64", 100, size(1'000), 64);
  if (wanted("tcp_echo_16k")) run_echo("tcp_echo_16k", 100, size(1'000), 16 * 1024);
  return 0;
}
