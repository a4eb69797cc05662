// The trace: what is recorded for each scheduling decision, and the two export formats.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

namespace {
size_t count(const std::vector<TraceEvent>& es, EventKind k) {
  return static_cast<size_t>(std::count_if(es.begin(), es.end(), [&](const TraceEvent& e) { return e.kind == k; }));
}
size_t occurrences(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + 1)) ++n;
  return n;
}

Task<void> traced_program(Channel<int> ch) {
  auto consumer = spawn([](Channel<int> ch) -> Task<int> { co_return *co_await ch.recv(); }(ch), "consumer");
  co_await sleep(5ms);
  Scheduler::current()->queue_microtask([] {});
  co_await ch.send(1);
  co_await consumer;
}
}  // namespace

TEST_CASE("every scheduling decision of a small program is in the trace") {
  ManualDriver driver;
  Trace trace(driver.clock());
  {
    LocalExecutor ex(driver, {.trace = &trace});
    ex.block_on(traced_program(Channel<int>::bounded(1)));
  }
  auto es = trace.events();
  CHECK(count(es, EventKind::Spawn) == 2);
  CHECK(count(es, EventKind::PollBegin) == count(es, EventKind::PollEnd));
  CHECK(count(es, EventKind::TimerRegister) == 1);
  CHECK(count(es, EventKind::TimerFire) == 1);
  CHECK(count(es, EventKind::MicrotaskEnqueue) == 1);
  CHECK(count(es, EventKind::MicrotaskRun) == 1);
  CHECK(count(es, EventKind::ChannelWait) == 1);   // the consumer waited
  CHECK(count(es, EventKind::ChannelReady) == 2);  // the send and the receive
  CHECK(count(es, EventKind::TaskComplete) == 2);
  CHECK(trace.task_name(2) == "consumer");

  // The consumer (task 2) is woken by main (task 1), which sent the value.
  bool woken_by_main = std::any_of(es.begin(), es.end(), [](const TraceEvent& e) {
    return e.kind == EventKind::Wake && e.task == 2 && e.a == 1;
  });
  CHECK(woken_by_main);
  // Main is woken by the timer: from outside any task.
  bool woken_by_timer = std::any_of(es.begin(), es.end(), [](const TraceEvent& e) {
    return e.kind == EventKind::Wake && e.task == 1 && e.a == 0;
  });
  CHECK(woken_by_timer);
  CHECK(std::is_sorted(es.begin(), es.end(), [](const TraceEvent& x, const TraceEvent& y) { return x.time_ns < y.time_ns; }));
}

TEST_CASE("with tracing off nothing is recorded") {
  ManualDriver driver;
  Trace trace(driver.clock());
  LocalExecutor ex(driver);
  ex.block_on(traced_program(Channel<int>::bounded(1)));
  CHECK(trace.total() == 0);
}

TEST_CASE("a full ring keeps the newest events and counts the dropped ones") {
  ManualClock clock;
  Trace trace(clock, 1, 4);
  for (uint64_t i = 1; i <= 10; ++i) trace.emit(0, EventKind::Yield, i);
  auto es = trace.events();
  REQUIRE(es.size() == 4);
  CHECK(es.front().task == 7);
  CHECK(es.back().task == 10);
  CHECK(trace.dropped() == 6);
}

TEST_CASE("JSONL export: a meta line, task names, one line per event") {
  ManualDriver driver;
  Trace trace(driver.clock());
  {
    LocalExecutor ex(driver, {.trace = &trace});
    ex.block_on(traced_program(Channel<int>::bounded(1)));
  }
  std::ostringstream out;
  write_jsonl(trace, out);
  std::string s = out.str();
  CHECK(s.rfind("{\"type\":\"meta\",\"workers\":1,", 0) == 0);
  CHECK(s.find("{\"type\":\"task\",\"id\":2,\"name\":\"consumer\"}") != std::string::npos);
  CHECK(occurrences(s, "\n") == trace.events().size() + 3);  // meta + 2 task names
  CHECK(s.find("\"kind\":\"poll_end\",\"task\":2,\"result\":\"ready\"") != std::string::npos);
}

TEST_CASE("Chrome export: worker lanes, balanced poll slices, task tracks and wake arrows") {
  ManualDriver driver;
  Trace trace(driver.clock());
  {
    LocalExecutor ex(driver, {.trace = &trace});
    ex.block_on(traced_program(Channel<int>::bounded(1)));
  }
  std::ostringstream out;
  write_chrome_trace(trace, out);
  std::string s = out.str();
  CHECK(s.rfind("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", 0) == 0);
  CHECK(s.find("\"name\":\"worker 0\"") != std::string::npos);
  CHECK(occurrences(s, "\"ph\":\"B\"") == occurrences(s, "\"ph\":\"E\""));
  CHECK(occurrences(s, "\"ph\":\"b\"") == 2);
  CHECK(occurrences(s, "\"ph\":\"e\"") == 2);
  CHECK(occurrences(s, "\"ph\":\"s\"") >= 2);
  CHECK(occurrences(s, "\"ph\":\"s\"") == occurrences(s, "\"ph\":\"f\""));
  CHECK(s.find("consumer (task 2)") != std::string::npos);
  CHECK(s.substr(s.size() - 4) == "\n]}\n");
}
