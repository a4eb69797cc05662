// The simulation platform (SimWorld) driving the work-stealing scheduler with virtual workers,
// and NodeLoop's queues and phases, with C++ tasks and callbacks.
#include <string>
#include <vector>

#include "runtime/platform/manual/manual_driver.hpp"
#include "runtime/platform/sim/sim_world.hpp"
#include "runtime/platform/sim/stealing_policy.hpp"
#include "runtime/sched/node_loop.hpp"
#include "runtime/sched/work_stealing.hpp"
#include "runtime/trace/trace.hpp"
#include "support.hpp"

using namespace loopscope;

namespace {

struct Entry {
  std::string what;
  int worker;
  uint64_t at;
  bool operator==(const Entry&) const = default;
};

// Two virtual workers: "busy" burns 5 ms of its worker's time; "quick" and a 10 s sleeper run
// meanwhile. Returns what each recorded, in execution order, and the trace.
std::vector<Entry> simulate(Trace** trace_out = nullptr) {
  SimWorld world(2);
  static std::unique_ptr<Trace> trace;
  trace = std::make_unique<Trace>(world.clock(), 2);
  trace->set_one_thread();
  WorkStealingScheduler sched(world.drivers(), {.trace = trace.get(), .shared_timers = true});
  std::vector<Entry> log;
  auto record = [&](std::string what) {
    log.push_back({std::move(what), sched.current_worker(), world.now()});
  };
  auto busy = sched.spawn([](SimWorld* w, decltype(record)* rec) -> Task<void> {
    w->charge(5'000'000);
    (*rec)("busy done");
    co_return;
  }(&world, &record));
  auto quick = sched.spawn([](decltype(record)* rec) -> Task<void> {
    (*rec)("quick");
    co_return;
  }(&record));
  auto sleeper = sched.spawn([](decltype(record)* rec) -> Task<void> {
    co_await sleep(std::chrono::seconds(10));
    (*rec)("slept");
  }(&record));
  StealingPolicy policy(sched);
  auto outcome = world.run(policy, [&] { return sleeper.is_finished(); });
  CHECK(outcome == SimWorld::Outcome::Stopped);
  CHECK(busy.is_finished());
  CHECK(quick.is_finished());
  sched.stop();
  sched.finish_shutdown();
  trace->detach_clock();
  if (trace_out) *trace_out = trace.get();
  return log;
}

}  // namespace

TEST_CASE("sim: workers keep their own clocks; time charged to one lets the other run meanwhile") {
  auto log = simulate();
  REQUIRE(log.size() == 3);
  CHECK(log[0].what == "busy done");
  CHECK(log[0].at >= 5'000'000);
  CHECK(log[1].what == "quick");
  CHECK(log[1].at < 1'000'000);            // not after busy's 5 ms: on the other worker's clock
  CHECK(log[1].worker != log[0].worker);
  CHECK(log[2].what == "slept");
  CHECK(log[2].at >= 10'000'000'000ull);   // ten virtual seconds, no real waiting
  CHECK(log[2].at < 10'002'000'000ull);
}

TEST_CASE("sim: the same run twice gives the same log and the same trace, event for event") {
  Trace* t1 = nullptr;
  auto first = simulate(&t1);
  auto events1 = t1->events();
  Trace* t2 = nullptr;
  auto second = simulate(&t2);
  auto events2 = t2->events();
  CHECK(first == second);
  REQUIRE(events1.size() == events2.size());
  for (size_t i = 0; i < events1.size(); ++i) {
    CHECK(events1[i].time_ns == events2[i].time_ns);
    CHECK(events1[i].kind == events2[i].kind);
    CHECK(events1[i].task == events2[i].task);
    CHECK(events1[i].worker == events2[i].worker);
  }
}

TEST_CASE("sim: a world where nothing can happen is idle; one whose next event is too late stops") {
  SimWorld world(2);
  WorkStealingScheduler sched(world.drivers(), {.shared_timers = true});
  StealingPolicy policy(sched);
  auto waiter = sched.spawn([]() -> Task<void> { co_await sleep(std::chrono::milliseconds(50)); }());
  CHECK(world.run(policy, [] { return false; }, 20'000'000) == SimWorld::Outcome::PastLimit);
  CHECK(world.run(policy, [] { return false; }) == SimWorld::Outcome::Idle);  // the sleep ended
  CHECK(waiter.is_finished());
  sched.stop();
  sched.finish_shutdown();
}

TEST_CASE("sim: a blocking lane runs at its own time and its end wakes a parked worker then") {
  SimWorld world(1);
  WorkStealingScheduler sched(world.drivers(), {.shared_timers = true});
  StealingPolicy policy(sched);
  bool done = false;
  uint64_t woke_at = 0;
  Notify finished;
  auto waiter = sched.spawn([](Notify* n, SimWorld* w, uint64_t* at) -> Task<void> {
    co_await n->notified();
    *at = w->now();
  }(&finished, &world, &woke_at));
  int slices = 0;
  world.add_lane([&] {
    if (++slices < 3) {
      world.charge(2'000'000);  // 2 ms a slice
      return false;
    }
    done = true;
    finished.notify_one();
    return true;
  });
  CHECK(world.run(policy, [&] { return waiter.is_finished(); }) == SimWorld::Outcome::Stopped);
  CHECK(done);
  CHECK(woke_at >= 4'000'000);
  CHECK(world.busy_lanes() == 0);
  sched.stop();
  sched.finish_shutdown();
}

TEST_CASE("node loop: next ticks, then microtasks, after every macrotask; timers by deadline then creation") {
  ManualDriver driver;
  NodeLoop loop(driver);
  std::vector<std::string> log;
  auto say = [&](std::string s) { return [&log, s] { log.push_back(s); }; };
  loop.set_timer(5, say("timer 5 ms (second)"));
  loop.set_timer(1, [&] {
    log.push_back("timer 1 ms");
    loop.queue_microtask(say("microtask from the timer"));
    loop.queue_next_tick(say("tick from the timer"));
    loop.set_immediate(say("immediate from the timer"));
  });
  loop.set_timer(5, say("timer 5 ms (third)"));
  loop.set_timer(0, say("timer 0 ms is 1 ms"));
  loop.queue_microtask([&] {
    log.push_back("microtask");
    loop.queue_next_tick(say("tick queued by a microtask: after the microtasks"));
    loop.queue_microtask(say("microtask queued by a microtask"));
  });
  loop.queue_next_tick(say("tick"));
  loop.add_io(3, say("io after 3 ms"));
  int waits = 0;
  while (!loop.run_until_wait()) {
    REQUIRE(++waits < 100);
    auto deadline = loop.wait_deadline();
    REQUIRE(deadline);
    driver.manual_clock().set(*deadline);
  }
  CHECK_FALSE(loop.alive());
  std::vector<std::string> expected = {"tick",
                                       "microtask",
                                       "microtask queued by a microtask",
                                       "tick queued by a microtask: after the microtasks",
                                       "timer 1 ms",
                                       "tick from the timer",
                                       "microtask from the timer",
                                       "timer 0 ms is 1 ms",
                                       "immediate from the timer",
                                       "io after 3 ms",
                                       "timer 5 ms (second)",
                                       "timer 5 ms (third)"};
  CHECK(log == expected);
}

TEST_CASE("node loop: an interval runs until cleared; clearing a timer before it is due drops it") {
  ManualDriver driver;
  NodeLoop loop(driver);
  int runs = 0;
  uint64_t interval = 0;
  interval = loop.set_timer(
      2,
      [&] {
        if (++runs == 3) loop.clear_timer(interval);
      },
      true);
  bool dropped_ran = false;
  uint64_t dropped = loop.set_timer(1, [&] { dropped_ran = true; });
  loop.clear_timer(dropped);
  while (!loop.run_until_wait()) driver.manual_clock().set(*loop.wait_deadline());
  CHECK(runs == 3);
  CHECK_FALSE(dropped_ran);
  CHECK(driver.clock().now_ns() == 6'000'000);  // three runs, 2 ms apart
}

TEST_CASE("node loop: a task runs at once when spawned, and each wake-up is one job") {
  ManualDriver driver;
  NodeLoop loop(driver);
  std::vector<std::string> log;
  Notify go;
  loop.set_timer(1, [&] {
    auto h = loop.spawn([](std::vector<std::string>* log, Notify* go) -> Task<void> {
      log->push_back("task starts inside the timer callback");
      co_await go->notified();
      log->push_back("task resumed: one job after the wake-up");
    }(&log, &go));
    h.detach();
    log.push_back("spawn returned");
    loop.queue_microtask([&] { log.push_back("microtask queued before the wake-up"); });
    go.notify_one();
  });
  while (!loop.run_until_wait()) driver.manual_clock().set(*loop.wait_deadline());
  std::vector<std::string> expected = {"task starts inside the timer callback", "spawn returned",
                                       "microtask queued before the wake-up", "task resumed: one job after the wake-up"};
  CHECK(log == expected);
}

TEST_CASE("sim: a worker busy with an always-ready task fires a due timer within 8 decisions, not at maintenance") {
  // 100 µs a poll: maintenance (every 61 decisions) comes every 6.1 ms, the look at due timers
  // (every 8, WorkStealingOptions::timely_timers) every 0.8 ms.
  for (bool timely : {true, false}) {
    INFO(timely);
    SimWorld world(1);
    WorkStealingScheduler sched(world.drivers(), {.timely_timers = timely, .shared_timers = true});
    StealingPolicy policy(sched);
    bool stop = false;
    uint64_t woke_at = 0;
    auto hog = sched.spawn([](SimWorld* w, bool* stop) -> Task<void> {
      while (!*stop) {
        w->charge(100'000);
        co_await yield_now();
      }
    }(&world, &stop));
    auto sleeper = sched.spawn([](SimWorld* w, uint64_t* at, bool* stop) -> Task<void> {
      co_await sleep(std::chrono::milliseconds(1));
      *at = w->now();
      *stop = true;
    }(&world, &woke_at, &stop));
    CHECK(world.run(policy, [&] { return hog.is_finished() && sleeper.is_finished(); }) == SimWorld::Outcome::Stopped);
    if (timely) {
      CHECK(woke_at >= 1'000'000);
      CHECK(woke_at <= 3'000'000);  // its deadline rounds up to the wheel's 1 ms, then 8 polls at most
    } else {
      CHECK(woke_at >= 6'000'000);
    }
    sched.stop();
    sched.finish_shutdown();
  }
}

TEST_CASE("sim: a searcher that finds the only task wakes no other worker, unless the model says so (Tokio, Go)") {
  for (bool always : {false, true}) {
    INFO(always);
    SimWorld world(2);
    Trace trace(world.clock(), 2);
    trace.set_one_thread();
    WorkStealingScheduler sched(world.drivers(), {.trace = &trace, .always_pass_search_on = always, .shared_timers = true});
    StealingPolicy policy(sched);
    CHECK(world.run(policy, [] { return false; }) == SimWorld::Outcome::Idle);  // both park
    auto task = sched.spawn([]() -> Task<void> { co_return; }());  // from outside: one is woken
    CHECK(world.run(policy, [&] { return task.is_finished(); }) == SimWorld::Outcome::Stopped);
    CHECK(world.run(policy, [] { return false; }) == SimWorld::Outcome::Idle);
    size_t unparks = 0;
    for (const TraceEvent& e : trace.events()) unparks += e.kind == EventKind::Unpark;
    CHECK(unparks == (always ? 2u : 1u));
    sched.stop();
    sched.finish_shutdown();
    trace.detach_clock();
  }
}
