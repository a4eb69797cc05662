// Stress for the multi-threaded runtime, meant to run under ThreadSanitizer (and ASan/LSan):
// many threads spawning, waking, aborting and dropping tasks at once, spawning while the runtime
// shuts down, waking tasks that are long gone, and the local queue's ABA window with a capacity
// of 4. Each round checks what it can count; TSan reports races and ASan leaks on its own.
//
//   runtime_stress 60      # seconds (make test: 60, make soak: 600)
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <random>
#include <thread>
#include <vector>

#include "runtime/loopscope.hpp"

using namespace loopscope;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

int failures = 0;
void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

// Many threads at once: tasks spawn tasks, wake each other over channels and Notify, abort and
// drop handles, from the workers and from plain threads. Every task that completes is counted.
void churn_round(uint32_t workers, unsigned seed) {
  auto rt = Runtime::builder().workers(workers).budget(seed % 2 ? 128 : 0).build();
  std::atomic<long> completed{0};
  std::atomic<long> spawned{0};
  auto leaf = [](std::atomic<long>* completed, Channel<int> ch, int n) -> Task<void> {
    for (int i = 0; i < n; ++i) {
      if (ch.try_send(i) != TrySend::Sent) co_await yield_now();
      co_await yield_now();
    }
    completed->fetch_add(1);
  };
  long total = rt.block_on([](Runtime* rt, decltype(leaf) leaf, std::atomic<long>* completed,
                              std::atomic<long>* spawned, unsigned seed) -> Task<long> {
    auto ch = Channel<int>::bounded(8);
    // A drain that keeps the channel moving, so senders block and wake.
    auto drain = spawn([](Channel<int> ch) -> Task<void> {
      while (co_await ch.recv()) {
      }
    }(ch));
    std::vector<std::thread> outside;
    for (int t = 0; t < 3; ++t) {
      outside.emplace_back([rt, leaf, completed, spawned, ch, t, seed] {
        std::mt19937 rng(seed * 31 + static_cast<unsigned>(t));
        std::vector<JoinHandle<void>> held;
        for (int i = 0; i < 300; ++i) {
          held.push_back(rt->spawn(leaf(completed, ch, static_cast<int>(rng() % 5))));
          spawned->fetch_add(1);
          if (rng() % 3 == 0) held.back().abort();
          if (rng() % 2 == 0) held.pop_back();  // drop: detach while it may be running
        }
      });
    }
    std::vector<JoinHandle<void>> mine;
    std::mt19937 rng(seed);
    for (int i = 0; i < 600; ++i) {
      mine.push_back(spawn(leaf(completed, ch, static_cast<int>(rng() % 5))));
      spawned->fetch_add(1);
      if (rng() % 4 == 0) mine[rng() % mine.size()].abort();
      if (i % 50 == 0) co_await yield_now();
    }
    long finished = 0;
    for (auto& h : mine) {
      try {
        co_await h;
        ++finished;
      } catch (const TaskAborted&) {
      }
    }
    for (auto& t : outside) t.join();
    ch.close();
    co_await drain;
    co_return finished;
  }(&rt, leaf, &completed, &spawned, seed));
  check(total <= completed.load(), "a joined task completed");
  check(rt.scheduler().alive_tasks() == 0, "no task outlives shutdown");
}

// Shutdown while tasks spawn tasks and outside threads keep spawning and waking.
void shutdown_round(uint32_t workers) {
  std::atomic<bool> go{true};
  std::vector<Waker> kept;  // wakers of tasks that will be long gone when they fire
  std::mutex kept_lock;
  std::vector<std::thread> outside;
  {
    auto rt = Runtime::builder().workers(workers).build();
    struct Grab {
      std::vector<Waker>* kept;
      std::mutex* lock;
      bool done = false;
      Poll<void> poll(Context& cx) {
        if (done) return ready();
        done = true;
        std::lock_guard<std::mutex> g(*lock);
        kept->push_back(cx.waker());
        cx.waker().wake_by_ref();
        return pending;
      }
    };
    for (int t = 0; t < 2; ++t) {
      outside.emplace_back([&rt, &go, &kept, &kept_lock] {
        // A bounded number of live tasks (the rest arrive after shutdown and are cancelled on
        // arrival), so that a slow machine is not buried under spawns.
        for (int spawned = 0; go.load(); ++spawned) {
          if (spawned > 2000) std::this_thread::sleep_for(50us);
          rt.spawn([](std::vector<Waker>* kept, std::mutex* lock) -> Task<void> {
            co_await Grab{kept, lock};
            co_await sleep(std::chrono::hours(1));  // woken spuriously through `kept`
          }(&kept, &kept_lock)).detach();
          std::lock_guard<std::mutex> g(kept_lock);
          if (!kept.empty()) kept[kept.size() / 2].wake_by_ref();
        }
      });
    }
    rt.block_on([]() -> Task<void> {
      // Spawners spawning spawners, still at it when block_on returns.
      for (int i = 0; i < 50; ++i) {
        spawn([]() -> Task<void> {
          for (;;) {
            spawn([]() -> Task<void> { co_await yield_now(); }()).detach();
            co_await yield_now();
          }
        }()).detach();
      }
      co_await sleep(5ms);
    }());
    // The runtime is shut down here, the outside threads are still spawning into it.
    std::this_thread::sleep_for(2ms);
    check(rt.scheduler().alive_tasks() == 0, "spawns after shutdown are cancelled at once");
    go.store(false);
    for (auto& t : outside) t.join();
  }
  // Wake after free: every task and the runtime are gone, the wakers still work (and do nothing).
  for (Waker& w : kept) w.wake();
}

// The local queue's ABA window: positions wrap every few pushes with capacity 4, while two
// thieves steal half and the owner pops and overflows. Every task must come out exactly once.
void aba_round(unsigned seed) {
  constexpr int kTasks = 20000;
  std::deque<TaskHeader> tasks;
  for (int i = 0; i < kTasks; ++i) tasks.emplace_back(nullptr, static_cast<uint64_t>(i));
  std::vector<std::atomic<int>> seen(kTasks);
  LocalQueue<4> owner_q;
  InjectQueue inject;
  std::atomic<bool> done{false};
  auto take = [&](TaskHeader* t) { seen[t->id].fetch_add(1, std::memory_order_relaxed); };
  std::vector<std::thread> thieves;
  for (int k = 0; k < 2; ++k) {
    thieves.emplace_back([&] {
      LocalQueue<4> mine;
      while (!done.load(std::memory_order_acquire)) {
        if (TaskHeader* t = owner_q.steal_into(mine)) take(t);
        while (TaskHeader* t = mine.pop()) take(t);
      }
      while (TaskHeader* t = mine.pop()) take(t);
    });
  }
  std::mt19937 rng(seed);
  for (int i = 0; i < kTasks; ++i) {
    owner_q.push_back(&tasks[static_cast<size_t>(i)], inject);
    if (rng() % 3 == 0)
      if (TaskHeader* t = owner_q.pop()) take(t);
  }
  while (TaskHeader* t = owner_q.pop()) take(t);
  done.store(true, std::memory_order_release);
  for (auto& t : thieves) t.join();
  while (TaskHeader* t = inject.pop()) take(t);
  bool once = true;
  for (auto& s : seen) once &= s.load() == 1;
  check(once, "every task leaves the local queue exactly once");
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 10;
  auto end = SteadyClock::now() + std::chrono::duration<double>(seconds);
  unsigned round = 0;
  do {
    ++round;
    auto started = SteadyClock::now();
    aba_round(round);
    churn_round(1 + round % 3, round);
    shutdown_round(1 + round % 3);
    double took = std::chrono::duration<double>(SteadyClock::now() - started).count();
    if (took > 5) std::fprintf(stderr, "round %u took %.1f s\n", round, took);  // a stall is worth a look
    if (failures) break;
  } while (SteadyClock::now() < end);
  std::printf("%u rounds in %.0f s: %s\n", round, seconds, failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
