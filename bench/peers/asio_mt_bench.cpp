// Boost.Asio 1.74 (C++20 awaitable / co_spawn): the multi-threaded cases of bench/README.md.
// One io_context per case, run() on N threads (--workers N); every task is an asio::awaitable
// started with asio::co_spawn, a yield is `co_await asio::post(io, use_awaitable)`.
//
// Joining: each spawned task's completion handler counts down (an atomic counter when N > 1, a
// plain one on a single thread) and the last one fires a Signal, a steady_timer that never
// expires on its own and is cancelled to wake the waiting coroutine. A timer object must not be
// used from two threads at once, so with N > 1 a Signal belongs to a strand: the waiting
// coroutine runs on that strand and a signal from elsewhere is posted to it.
//
// Left out, as Asio 1.74 has no idiom for it (nothing is printed for this case):
//   mutex_contended:   Asio 1.74 has no async mutex.
// channel_roundtrip uses the substitute of the time (a slot and a timer as wake-up), see there.
//
//   peer_asio_mt_bench [--workers N] [--quick]
// prints one JSON line per case: {"name":"<case>@<N>w/asio","ns_per_op":X, ...extra fields}.
// --quick divides every size by 100 (minimum 1), and the fairness_hog run from 200 ms to 20 ms.
#include <utility>  // Asio 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct Options {
  int workers = 1;
  bool quick = false;
  long size(long n) const { return quick ? std::max(1L, n / 100) : n; }
};

struct Extra {
  const char* key;
  double value;
  int decimals;
};

struct Result {
  double ns_per_op = 0;
  std::vector<Extra> extras;
};

std::int64_t ns_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
}

// Nearest-rank percentile (0 < p <= 100) of the samples; sorts them.
std::int64_t percentile(std::vector<std::int64_t>& samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
  return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

// The executor for a coroutine that waits on Signals: a strand when several threads run the
// io_context, the io_context itself when only one does.
asio::any_io_executor serial_executor(asio::io_context& io, int workers) {
  if (workers == 1) return io.get_executor();
  return asio::make_strand(io);
}

// A one-shot signal: a steady_timer set to expire at time_point::max() and cancelled to wake the
// waiter. Waiting, fire_here() and the `fired_` flag (which keeps a signal given before the wait
// from being lost) all happen on `ex_`; fire() may be called from any thread.
class Signal {
 public:
  explicit Signal(const asio::any_io_executor& ex) : ex_(ex), timer_(ex, asio::steady_timer::time_point::max()) {}

  // Only from a coroutine running on the signal's executor.
  awaitable<void> wait() {
    if (fired_) co_return;
    boost::system::error_code ec;  // operation_aborted: the signal
    co_await timer_.async_wait(asio::redirect_error(use_awaitable, ec));
  }

  // Only from code running on the signal's executor.
  void fire_here() {
    fired_ = true;
    timer_.cancel();
  }

  // From anywhere.
  void fire() {
    asio::post(ex_, [this] { fire_here(); });
  }

 private:
  asio::any_io_executor ex_;
  asio::steady_timer timer_;
  bool fired_ = false;
};

// Counts finishing tasks down to zero; arrive() is true for the last one. Atomic only when
// several threads run the io_context.
class Countdown {
 public:
  Countdown(long n, bool atomic) : atomic_(atomic), plain_(n), shared_(n) {}

  bool arrive() {
    if (!atomic_) return --plain_ == 0;
    return shared_.fetch_sub(1, std::memory_order_acq_rel) == 1;
  }

 private:
  bool atomic_;
  long plain_;
  std::atomic<long> shared_;
};

// The completion handler of a joined task: an exception ends the program (it propagates out of
// io_context::run()), the last task to finish fires `done`.
auto joiner(Countdown& left, Signal& done) {
  return [&left, &done](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
    if (left.arrive()) done.fire();
  };
}

// --- spawn_local: one task spawns 100 000 no-op tasks, then joins them all; per task. -------

awaitable<void> noop() { co_return; }

awaitable<Result> spawn_local(asio::io_context& io, const Options& o) {
  const long n = o.size(100'000);
  Countdown left(n, o.workers > 1);
  Signal done(co_await asio::this_coro::executor);
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) asio::co_spawn(io, noop(), joiner(left, done));
  co_await done.wait();
  co_return Result{static_cast<double>(ns_since(t0)) / static_cast<double>(n), {}};
}

// --- chained_spawn: each task spawns the next, 1 000 deep; the last signals; per spawn. -----

awaitable<void> chain_link(asio::io_context& io, long spawns_left, Signal& done) {
  if (spawns_left == 0) {
    done.fire();
    co_return;
  }
  asio::co_spawn(io, chain_link(io, spawns_left - 1, done), asio::detached);
}

awaitable<Result> chained_spawn(asio::io_context& io, const Options& o) {
  const long n = o.size(1'000);
  Signal done(co_await asio::this_coro::executor);
  auto t0 = Clock::now();
  asio::co_spawn(io, chain_link(io, n - 1, done), asio::detached);
  co_await done.wait();
  co_return Result{static_cast<double>(ns_since(t0)) / static_cast<double>(n), {}};
}

// --- yield_many: 200 tasks each yield 1 000 times; per yield. -------------------------------

awaitable<void> yielder(asio::io_context& io, long yields) {
  for (long i = 0; i < yields; ++i) co_await asio::post(io, use_awaitable);
}

awaitable<Result> yield_many(asio::io_context& io, const Options& o) {
  const long tasks = o.size(200), yields = o.size(1'000);
  Countdown left(tasks, o.workers > 1);
  Signal done(co_await asio::this_coro::executor);
  auto t0 = Clock::now();
  for (long i = 0; i < tasks; ++i) asio::co_spawn(io, yielder(io, yields), joiner(left, done));
  co_await done.wait();
  co_return Result{static_cast<double>(ns_since(t0)) / static_cast<double>(tasks * yields), {}};
}

// --- ping_pong: 1 000 tasks each spawn a helper, send it a one-shot ping and await a one-shot
// pong; the last to finish signals; per ping. A task and its helper share one strand (with
// N > 1), so their two Signals are only touched from that strand; the pairs run in parallel. --

struct PingPair {
  explicit PingPair(const asio::any_io_executor& ex) : ping(ex), pong(ex) {}
  Signal ping, pong;
};

awaitable<void> pong_helper(std::shared_ptr<PingPair> pair) {
  co_await pair->ping.wait();
  pair->pong.fire_here();
}

awaitable<void> ping_task(asio::any_io_executor ex) {
  auto pair = std::make_shared<PingPair>(ex);
  asio::co_spawn(ex, pong_helper(pair), asio::detached);
  pair->ping.fire_here();
  co_await pair->pong.wait();
}

awaitable<Result> ping_pong(asio::io_context& io, const Options& o) {
  const long n = o.size(1'000);
  Countdown left(n, o.workers > 1);
  Signal done(co_await asio::this_coro::executor);
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    auto ex = serial_executor(io, o.workers);
    asio::co_spawn(ex, ping_task(ex), joiner(left, done));
  }
  co_await done.wait();
  co_return Result{static_cast<double>(ns_since(t0)) / static_cast<double>(n), {}};
}

// --- channel_roundtrip: two tasks exchange 500 000 round trips over two capacity-1 channels;
// per round trip. Asio 1.74 has no channel type; what Asio code of that vintage writes instead is
// a slot plus a steady_timer used as a wake-up (wait: async_wait on a timer that never expires;
// wake: cancel). Both tasks run on one strand (with N > 1), so a slot needs no lock and a wake
// can never fall between a check and a wait. ------------------------------------------------

class Slot {
 public:
  explicit Slot(const asio::any_io_executor& ex)
      : filled_(ex, asio::steady_timer::time_point::max()), emptied_(ex, asio::steady_timer::time_point::max()) {}

  awaitable<void> send(int v) {
    while (full_) co_await wait(emptied_);
    value_ = v;
    full_ = true;
    filled_.cancel();
  }
  awaitable<int> recv() {
    while (!full_) co_await wait(filled_);
    full_ = false;
    emptied_.cancel();
    co_return value_;
  }

 private:
  static awaitable<void> wait(asio::steady_timer& t) {
    boost::system::error_code ec;  // operation_aborted: the wake-up
    co_await t.async_wait(asio::redirect_error(use_awaitable, ec));
  }

  asio::steady_timer filled_, emptied_;
  int value_ = 0;
  bool full_ = false;
};

awaitable<void> channel_echo(Slot& in, Slot& out, long trips) {
  for (long i = 0; i < trips; ++i) {
    int v = co_await in.recv();
    co_await out.send(v);
  }
}

awaitable<void> channel_pinger(Slot& out, Slot& in, long trips) {
  for (long i = 0; i < trips; ++i) {
    co_await out.send(static_cast<int>(i));
    co_await in.recv();
  }
}

awaitable<Result> channel_roundtrip(asio::io_context& io, const Options& o) {
  const long n = o.size(500'000);
  auto ex = serial_executor(io, o.workers);
  Slot a(ex), b(ex);
  Countdown left(2, o.workers > 1);
  Signal done(co_await asio::this_coro::executor);
  auto t0 = Clock::now();
  asio::co_spawn(ex, channel_echo(a, b, n), joiner(left, done));
  asio::co_spawn(ex, channel_pinger(a, b, n), joiner(left, done));
  co_await done.wait();
  co_return Result{static_cast<double>(ns_since(t0)) / static_cast<double>(n), {}};
}

// --- timer_insert_cancel: 1 000 000 steady_timers, each constructed, set 1..1 000 000 ms out
// (xorshift) and waited on with a completion handler, then all cancelled; the time runs until
// every cancelled handler has run; per timer. Only the root coroutine touches the timers. -----

awaitable<Result> timer_insert_cancel(asio::io_context& io, const Options& o) {
  const long n = o.size(1'000'000);
  Countdown left(n, o.workers > 1);
  Signal done(co_await asio::this_coro::executor);
  std::vector<asio::steady_timer> timers;
  timers.reserve(static_cast<std::size_t>(n));
  std::uint32_t x = 2463534242u;  // xorshift32 state
  auto on_timer = [&left, &done](boost::system::error_code) {
    if (left.arrive()) done.fire();
  };
  auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    auto& t = timers.emplace_back(io);
    t.expires_after(std::chrono::milliseconds(1 + x % 1'000'000));
    t.async_wait(on_timer);
  }
  for (auto& t : timers) t.cancel();
  co_await done.wait();
  co_return Result{static_cast<double>(ns_since(t0)) / static_cast<double>(n), {}};
}

// --- fairness_hog: a coroutine that is always ready (a loop of posts) for 200 ms beside one
// awaiting a 1 ms periodic steady_timer, re-armed from its previous expiry; the worst lateness
// of a tick (ns). --------------------------------------------------------------------------

awaitable<void> hog(asio::io_context& io, Clock::duration run_for, std::atomic<bool>& stop) {
  const auto end = Clock::now() + run_for;
  while (Clock::now() < end) co_await asio::post(io, use_awaitable);
  stop.store(true, std::memory_order_relaxed);
}

awaitable<void> ticker(asio::io_context& io, std::atomic<bool>& stop, std::int64_t& worst) {
  asio::steady_timer timer(io);
  timer.expires_at(Clock::now());
  while (!stop.load(std::memory_order_relaxed)) {
    timer.expires_at(timer.expiry() + 1ms);
    co_await timer.async_wait(use_awaitable);
    const auto late = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - timer.expiry()).count();
    worst = std::max(worst, late);
  }
}

awaitable<Result> fairness_hog(asio::io_context& io, const Options& o) {
  const Clock::duration run_for = o.quick ? 20ms : 200ms;
  std::atomic<bool> stop{false};
  std::int64_t worst = 0;
  Countdown left(2, o.workers > 1);
  Signal done(co_await asio::this_coro::executor);
  asio::co_spawn(io, hog(io, run_for, stop), joiner(left, done));
  asio::co_spawn(io, ticker(io, stop, worst), joiner(left, done));
  co_await done.wait();
  co_return Result{static_cast<double>(worst), {}};
}

// --- wake_latency: a std::thread outside the io_context posts a handler 10 000 times, 100 µs
// apart; latency = from just before asio::post to the handler running; p50 (ns), p99. --------

awaitable<Result> wake_latency(asio::io_context& io, const Options& o) {
  const long n = o.size(10'000);
  std::vector<std::int64_t> latency(static_cast<std::size_t>(n));
  Countdown left(n, o.workers > 1);
  Signal done(co_await asio::this_coro::executor);
  std::thread waker([&] {
    for (long i = 0; i < n; ++i) {
      std::this_thread::sleep_for(100us);
      const auto sent = Clock::now();
      asio::post(io, [&, i, sent] {
        latency[static_cast<std::size_t>(i)] = ns_since(sent);
        if (left.arrive()) done.fire();
      });
    }
  });
  co_await done.wait();
  waker.join();  // its last post has run, so it is exiting
  const auto p50 = percentile(latency, 50), p99 = percentile(latency, 99);
  co_return Result{static_cast<double>(p50), {{"p99_ns", static_cast<double>(p99), 0}}};
}

// --- TCP on 127.0.0.1: clients and server coroutines on the same io_context, TCP_NODELAY on
// both ends. Each client writes a message, reads its full echo (asio::async_read), repeats. ----

awaitable<void> echo_session(tcp::socket socket, std::size_t size) {
  std::vector<char> buf(size);
  for (;;) {
    boost::system::error_code ec;  // EOF when the client closes
    co_await asio::async_read(socket, asio::buffer(buf), asio::redirect_error(use_awaitable, ec));
    if (ec) break;
    co_await asio::async_write(socket, asio::buffer(buf), asio::redirect_error(use_awaitable, ec));
    if (ec) break;
  }
}

awaitable<void> accept_loop(tcp::acceptor acceptor, long connections, std::size_t size) {
  for (long i = 0; i < connections; ++i) {
    tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(acceptor.get_executor(), echo_session(std::move(socket), size), asio::detached);
  }
}

awaitable<void> connect_client(tcp::socket& socket, tcp::endpoint server) {
  co_await socket.async_connect(server, use_awaitable);
  socket.set_option(tcp::no_delay(true));
}

// `round_trips` gets the time of each round trip when not null.
awaitable<void> echo_client(tcp::socket& socket, std::size_t size, long messages, std::int64_t* round_trips) {
  std::vector<char> out(size, 'x'), in(size);
  for (long i = 0; i < messages; ++i) {
    const auto t0 = Clock::now();
    co_await asio::async_write(socket, asio::buffer(out), use_awaitable);
    co_await asio::async_read(socket, asio::buffer(in), use_awaitable);
    if (round_trips) round_trips[i] = ns_since(t0);
  }
}

struct TcpRun {
  std::int64_t elapsed_ns;
  std::vector<std::int64_t> round_trips;  // empty unless asked for
};

// Connects `connections` clients first, then times them all exchanging `messages` messages of
// `size` bytes, from the first write to the last echo read.
awaitable<TcpRun> tcp_run(asio::io_context& io, const Options& o, long connections, long messages, std::size_t size,
                          bool record_round_trips) {
  const auto ex = co_await asio::this_coro::executor;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  const auto server = acceptor.local_endpoint();
  asio::co_spawn(io, accept_loop(std::move(acceptor), connections, size), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });

  std::vector<tcp::socket> clients;
  clients.reserve(static_cast<std::size_t>(connections));
  for (long i = 0; i < connections; ++i) clients.emplace_back(io);
  {
    Countdown left(connections, o.workers > 1);
    Signal connected(ex);
    for (auto& c : clients) asio::co_spawn(io, connect_client(c, server), joiner(left, connected));
    co_await connected.wait();
  }

  TcpRun run{0, {}};
  if (record_round_trips) run.round_trips.resize(static_cast<std::size_t>(connections * messages));
  Countdown left(connections, o.workers > 1);
  Signal done(ex);
  const auto t0 = Clock::now();
  for (long i = 0; i < connections; ++i) {
    std::int64_t* slots = record_round_trips ? run.round_trips.data() + i * messages : nullptr;
    asio::co_spawn(io, echo_client(clients[static_cast<std::size_t>(i)], size, messages, slots), joiner(left, done));
  }
  co_await done.wait();
  run.elapsed_ns = ns_since(t0);
  for (auto& c : clients) c.close();  // the server's sessions read EOF and end
  co_return run;
}

// tcp_pingpong: one connection, 64-byte messages, 50 000 round trips; per round trip.
awaitable<Result> tcp_pingpong(asio::io_context& io, const Options& o) {
  const long n = o.size(50'000);
  const TcpRun run = co_await tcp_run(io, o, 1, n, 64, false);
  const double ns = static_cast<double>(std::max<std::int64_t>(run.elapsed_ns, 1)) / static_cast<double>(n);
  co_return Result{ns, {{"round_trips_per_s", 1e9 / ns, 0}}};
}

// tcp_echo_64 / tcp_echo_16k: 100 connections at once, 1 000 messages each; per message, plus
// MB/s of payload both ways and the p99 round trip.
awaitable<Result> tcp_echo(asio::io_context& io, const Options& o, std::size_t size) {
  const long connections = o.size(100), messages = o.size(1'000);
  TcpRun run = co_await tcp_run(io, o, connections, messages, size, true);
  const double total = static_cast<double>(connections * messages);
  const double elapsed = static_cast<double>(std::max<std::int64_t>(run.elapsed_ns, 1));
  const double mb_per_s = 2.0 * total * static_cast<double>(size) / (elapsed / 1e9) / 1e6;
  const auto p99 = percentile(run.round_trips, 99);
  co_return Result{elapsed / total, {{"mb_per_s", mb_per_s, 2}, {"p99_ns", static_cast<double>(p99), 0}}};
}

awaitable<Result> tcp_echo_64(asio::io_context& io, const Options& o) { return tcp_echo(io, o, 64); }
awaitable<Result> tcp_echo_16k(asio::io_context& io, const Options& o) { return tcp_echo(io, o, 16 * 1024); }

// --- driver -------------------------------------------------------------------------------

using Case = awaitable<Result> (*)(asio::io_context&, const Options&);

// Runs one case on a fresh io_context: its root coroutine on a serial executor, run() on
// `workers` threads; returns once run() has returned on all of them (no work left).
Result run_case(const Options& o, Case body) {
  asio::io_context io(o.workers);
  Result result;
  asio::co_spawn(serial_executor(io, o.workers), body(io, o), [&result](std::exception_ptr e, Result r) {
    if (e) std::rethrow_exception(e);
    result = std::move(r);
  });
  std::vector<std::thread> threads;
  for (int i = 0; i < o.workers; ++i) {
    threads.emplace_back([&io] {
      try {
        io.run();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "peer_asio_mt_bench: %s\n", e.what());
        std::_Exit(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  return result;
}

void emit(const Options& o, const char* name, const Result& r) {
  std::printf("{\"name\":\"%s@%dw/asio\",\"ns_per_op\":%.2f", name, o.workers, r.ns_per_op);
  for (const auto& e : r.extras) std::printf(",\"%s\":%.*f", e.key, e.decimals, e.value);
  std::printf("}\n");
  std::fflush(stdout);
}

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: peer_asio_mt_bench [--workers N] [--quick]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::string value;
    if (arg == "--quick") {
      o.quick = true;
      continue;
    } else if (arg == "--workers" && i + 1 < argc) {
      value = argv[++i];
    } else if (arg.rfind("--workers=", 0) == 0) {
      value = arg.substr(std::strlen("--workers="));
    } else {
      usage();
    }
    char* end = nullptr;
    const long n = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || n < 1 || n > 1024) usage();
    o.workers = static_cast<int>(n);
  }

  struct {
    const char* name;
    Case body;
  } const cases[] = {
      {"spawn_local", spawn_local},
      {"chained_spawn", chained_spawn},
      {"yield_many", yield_many},
      {"ping_pong", ping_pong},
      {"channel_roundtrip", channel_roundtrip},
      // mutex_contended: left out, see the top of the file.
      {"timer_insert_cancel", timer_insert_cancel},
      {"fairness_hog", fairness_hog},
      {"wake_latency", wake_latency},
      {"tcp_pingpong", tcp_pingpong},
      {"tcp_echo_64", tcp_echo_64},
      {"tcp_echo_16k", tcp_echo_16k},
  };
  for (const auto& c : cases) {
    // Give the heap a case leaves behind (glibc malloc_trim consolidates the free chunks and
    // returns memory to the system), so that no case pays for cleaning up after the one before.
    malloc_trim(0);
    emit(o, c.name, run_case(o, c.body));
  }
  return 0;
}
