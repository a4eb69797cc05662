// LocalExecutor: spawn and join, FIFO order, microtasks, abort, detach, yield, deadlock, shutdown.
#include <stdexcept>
#include <string>
#include <vector>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

namespace {

Task<int> value_after_yields(int v, int yields) {
  for (int i = 0; i < yields; ++i) co_await yield_now();
  co_return v;
}

Task<void> record(std::vector<std::string>* log, std::string name, int yields) {
  for (int i = 0; i < yields; ++i) {
    log->push_back(name + std::to_string(i));
    co_await yield_now();
  }
  log->push_back(name + " done");
}

struct DropFlag {
  bool* dropped;
  ~DropFlag() { *dropped = true; }
};

Task<void> wait_forever(Notify* n, bool* dropped) {
  DropFlag f{dropped};
  co_await n->notified();
}

}  // namespace

TEST_CASE("spawn then await the handle gives the task's value") {
  ManualRuntime rt;
  int v = rt.block_on([]() -> Task<int> {
    auto h = spawn(value_after_yields(41, 3));
    co_return co_await h + 1;
  }());
  CHECK(v == 42);
}

TEST_CASE("ready tasks run in FIFO order and yield_now goes to the back of the queue") {
  ManualRuntime rt;
  std::vector<std::string> log;
  rt.block_on([](std::vector<std::string>* log) -> Task<void> {
    auto a = spawn(record(log, "a", 2));
    auto b = spawn(record(log, "b", 2));
    co_await a;
    co_await b;
  }(&log));
  CHECK(log == std::vector<std::string>{"a0", "b0", "a1", "b1", "a done", "b done"});
}

TEST_CASE("an exception thrown in a task is rethrown to whoever joins it") {
  ManualRuntime rt;
  auto joined = [](ManualRuntime& rt) {
    return rt.block_on([]() -> Task<std::string> {
      auto h = spawn([]() -> Task<int> {
        co_await yield_now();
        throw std::invalid_argument("bad input");
      }());
      try {
        co_await h;
      } catch (const std::invalid_argument& e) {
        co_return std::string(e.what());
      }
      co_return std::string("no exception");
    }());
  };
  CHECK(joined(rt) == "bad input");
}

TEST_CASE("microtasks queued during a poll run right after that poll, before the next task") {
  ManualRuntime rt;
  std::vector<std::string> log;
  rt.block_on([](std::vector<std::string>* log) -> Task<void> {
    auto other = spawn([](std::vector<std::string>* log) -> Task<void> {
      log->push_back("other task");
      co_return;
    }(log));
    Scheduler::current()->queue_microtask([log] {
      log->push_back("micro 1");
      Scheduler::current()->queue_microtask([log] { log->push_back("micro 2 (queued by micro 1)"); });
    });
    log->push_back("main before yield");
    co_await yield_now();
    co_await other;
  }(&log));
  CHECK(log == std::vector<std::string>{"main before yield", "micro 1", "micro 2 (queued by micro 1)", "other task"});
}

TEST_CASE("abort cancels a waiting task at once: its future is dropped and the join throws aborted") {
  ManualRuntime rt;
  Notify never;
  bool dropped = false;
  rt.block_on([](Notify* n, bool* dropped) -> Task<void> {
    auto h = spawn(wait_forever(n, dropped));
    co_await yield_now();  // let it start waiting
    CHECK_FALSE(*dropped);
    h.abort();
    CHECK_THROWS_AS(co_await h, TaskAborted);
    CHECK(*dropped);
  }(&never, &dropped));
}

TEST_CASE("a task aborted while running stops at its next suspension point") {
  ManualRuntime rt;
  std::vector<std::string> log;
  rt.block_on([](std::vector<std::string>* log) -> Task<void> {
    auto inner = std::make_shared<JoinHandle<void>>();
    *inner = spawn([](std::vector<std::string>* log, std::shared_ptr<JoinHandle<void>> self) -> Task<void> {
      log->push_back("before abort");
      self->abort();  // on itself, while running
      log->push_back("still running until it suspends");
      co_await yield_now();
      log->push_back("never printed");
    }(log, inner));
    CHECK_THROWS_AS(co_await *inner, TaskAborted);
  }(&log));
  CHECK(log == std::vector<std::string>{"before abort", "still running until it suspends"});
}

TEST_CASE("abort after completion changes nothing") {
  ManualRuntime rt;
  int v = rt.block_on([]() -> Task<int> {
    auto h = spawn(value_after_yields(5, 0));
    co_await yield_now();
    co_await yield_now();
    CHECK(h.is_finished());
    h.abort();
    co_return co_await h;
  }());
  CHECK(v == 5);
}

TEST_CASE("waking a task after it completed is harmless") {
  ManualRuntime rt;
  Waker kept;
  rt.block_on([](Waker* kept) -> Task<void> {
    auto h = spawn([](Waker* kept) -> Task<void> {
      struct Grab {
        Waker* out;
        Poll<void> poll(Context& cx) {
          *out = cx.waker();
          return ready();
        }
      };
      co_await Grab{kept};
    }(kept));
    co_await h;
  }(&kept));
  REQUIRE(kept);
  kept.wake_by_ref();
  kept.wake();
  CHECK(rt.executor.run_until_idle() == 0);
}

TEST_CASE("dropping a JoinHandle detaches the task; it still runs to completion") {
  ManualRuntime rt;
  bool ran = false;
  rt.block_on([](bool* ran) -> Task<void> {
    {
      auto h = spawn([](bool* ran) -> Task<void> {
        co_await sleep(5ms);
        *ran = true;
      }(ran));
    }
    co_await sleep(10ms);
  }(&ran));
  CHECK(ran);
}

TEST_CASE("block_on reports a deadlock instead of hanging") {
  ManualRuntime rt;
  Notify never;
  CHECK_THROWS_AS(rt.block_on(never.notified()), Deadlock);
}

TEST_CASE("destroying the executor cancels the tasks still alive and drops their futures") {
  bool dropped = false;
  Notify never;
  {
    ManualRuntime rt;
    rt.block_on([](Notify* n, bool* d) -> Task<void> {
      auto h = spawn(wait_forever(n, d));
      co_await yield_now();
    }(&never, &dropped));
    CHECK(rt.executor.alive_tasks() == 1);
    CHECK_FALSE(dropped);
  }
  CHECK(dropped);
}

TEST_CASE("a task spawned during shutdown is cancelled without running") {
  bool ran = false;
  {
    ManualRuntime rt;
    struct SpawnOnDrop {
      bool* ran;
      ~SpawnOnDrop() {
        auto h = spawn([](bool* ran) -> Task<void> {
          *ran = true;
          co_return;
        }(ran));
        CHECK(h.is_finished());
      }
    };
    Notify never;
    rt.block_on([](Notify* n, bool* ran) -> Task<void> {
      auto h = spawn([](Notify* n, bool* ran) -> Task<void> {
        SpawnOnDrop s{ran};
        co_await n->notified();
      }(n, ran));
      co_await yield_now();
    }(&never, &ran));
  }
  CHECK_FALSE(ran);
}

TEST_CASE("run_until_idle polls until nothing is ready and leaves timers pending") {
  ManualRuntime rt;
  int steps = 0;
  auto h = rt.executor.spawn([](int* steps) -> Task<void> {
    ++*steps;
    co_await yield_now();
    ++*steps;
    co_await sleep(10ms);
    ++*steps;
  }(&steps));
  rt.executor.run_until_idle();
  CHECK(steps == 2);
  CHECK(rt.executor.pending_timers() == 1);
  rt.driver.manual_clock().advance(10 * kNsPerMs);
  rt.executor.run_until_idle();
  CHECK(steps == 3);
  CHECK(h.is_finished());
}

TEST_CASE("spawn outside a runtime is a clear error") {
  CHECK_THROWS_WITH_AS(spawn(value_after_yields(1, 0)).detach(),
                       doctest::Contains("outside a Loopscope runtime"), std::logic_error);
}
