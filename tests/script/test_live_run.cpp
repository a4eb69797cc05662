// A Session of a real run (the playground's real mode): the program runs on the platform's
// threads and reactor while the viewer takes its events and prints as they come; a viewer that
// leaves stops it, whatever it was doing. Natively only: in the page the run is driven by the
// page's event loop, which a test cannot wait on (tests/browser covers it there).
#include <doctest/doctest.h>

#ifndef __EMSCRIPTEN__

#include <chrono>
#include <string>
#include <thread>

#include "runtime/script/live_run.hpp"
#include "runtime/script/session.hpp"

using namespace loopscope;
using namespace loopscope::script;

namespace {

const char* kWorkers = R"(
async fn worker(n) {
  await sleep(5)
  print("worker", n)
  return n
}
let a = spawn worker(1)
let b = spawn worker(2)
print("sum", await a + await b)
)";

RunOptions real(Profile p) {
  RunOptions o;
  o.profile = p;
  o.real = true;
  return o;
}

}  // namespace

TEST_CASE("a real run streams its events and prints into the session, with task names and lines") {
  for (Profile p : {Profile::Basic, Profile::Node, Profile::Tokio, Profile::Go}) {
    INFO(std::string(profile_name(p)));
    Session s(kWorkers, real(p));
    CHECK(s.real());
    s.step(1);  // (takes what came so far: the run goes on by itself)
    s.run_to_end();
    REQUIRE(s.ended());
    CHECK(s.result().exit_status == 0);
    std::string out = s.output();
    CHECK(out.find("worker 1\n") != std::string::npos);
    CHECK(out.find("worker 2\n") != std::string::npos);
    CHECK(out.substr(out.size() - 6) == "sum 3\n");
    CHECK(s.task_name(2) == "worker");
    REQUIRE(!s.printed().empty());
    const Session::Printed& last = s.printed().back();
    CHECK(last.text == "sum 3\n");
    CHECK(last.line == 9);
    CHECK(last.event <= s.events().size());
    size_t polls = 0, spawns = 0;
    uint64_t previous = 0;
    bool ordered = true;
    for (const TraceEvent& e : s.events()) {
      polls += e.kind == EventKind::PollBegin;
      spawns += e.kind == EventKind::Spawn;
      if (s.workers() == 1) ordered &= e.time_ns >= previous;  // (one thread: in time order)
      previous = e.time_ns;
    }
    CHECK(spawns == 3);
    CHECK(polls >= 5);
    CHECK(ordered);
    // From the run's start: the sleeps were real. (Node counts a timeout from its loop's cached
    // millisecond, which may have begun up to 1 ms before the call.)
    CHECK(s.time_ns() >= (p == Profile::Node ? 4'000'000 : 5'000'000));
    CHECK(s.notes().size() == s.events().size());
    // The cursor moves over what was recorded; a moment's queues cannot be replayed.
    s.seek(1);
    CHECK(s.position() == 1);
    std::string error;
    CHECK(!s.snapshot(1, &error));
    CHECK(error.find("a real run has no snapshots") == 0);
    CHECK(!s.prepare(1));
  }
}

TEST_CASE("a real run whose viewer leaves stops soon, spinning or waiting") {
  for (Profile p : {Profile::Basic, Profile::Node, Profile::Tokio}) {
    for (const char* program : {"while true { }", "await sleep(100000)", "async fn f() { while true { await yield_now() } }\nawait f()"}) {
      INFO(std::string(profile_name(p)) << ": " << program);
      RunOptions o = real(p);
      auto live = start_live_run(std::make_shared<Source>("program.coro", program), o);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      auto t0 = std::chrono::steady_clock::now();
      live->cancel();
      live->wait(2000);
      CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));
      std::vector<TraceEvent> events;
      std::vector<LiveRun::Print> prints;
      CHECK(live->take(events, prints));
      CHECK(live->result().error == "stopped: the viewer left the run");
    }
  }
  // And a session that goes with its run still going lets it stop by itself.
  { Session s("while true { }", real(Profile::Tokio)); s.step(1); }
}

TEST_CASE("a real run that does not compile, or fails, says so as the simulation does") {
  Session bad("let x = ", real(Profile::Basic));
  CHECK(bad.ended());
  CHECK(bad.result().exit_status == kExitCompile);
  Session failing("print(1)\nlet x = nil + 1", real(Profile::Node));
  failing.run_to_end();
  CHECK(failing.result().exit_status == kExitError);
  CHECK(failing.output() == "1\n");
  CHECK(failing.errors().find("error:") != std::string::npos);
}

#endif
