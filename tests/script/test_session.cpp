// Session: stepping, slicing and rewinding a simulated run must not change it. Every way of
// moving through a run gives the output and trace `loopscope trace` gives in one go.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <tuple>
#include <string>

#include "runtime/script/session.hpp"
#include "runtime/script/vm.hpp"
#include "runtime/trace/export.hpp"

using namespace loopscope;
using namespace loopscope::script;

namespace {

const char* kPipeline = R"(
let jobs = channel(2)
let results = channel(10)
async fn producer() {
  for i in 0..6 { await jobs.send(i) }
  jobs.close()
}
async fn worker(name) {
  let job = await jobs.recv()
  while job != nil {
    work(3)
    await results.send([name, job * job])
    job = await jobs.recv()
  }
}
spawn producer()
let a = spawn worker("a")
let b = spawn worker("b")
for i in 0..6 {
  let [who, value] = await results.recv()
  print("worker", who, "computed", value, "at", now())
}
await a
await b
)";

const char* kEventLoop = R"(
set_timeout(fn () { print("timeout") }, 0)
set_immediate(fn () { print("immediate") })
queue_microtask(fn () { print("microtask") })
next_tick(fn () { print("tick") })
async fn f() { await sleep(2)
  print("slept") }
await f()
for i in 0..50 { await yield_now() }
print("end")
)";

const char* kSpin = R"(
async fn spinner() { let n = 0
  while n < 200000 { n = n + 1 }
  print("spun", n) }
spawn spinner()
spawn spinner()
await sleep(1)
print("main at", now())
)";

// Profile node: the spinning runs after an await, in a poll of its own (an async call's first
// part runs inside its caller's poll, which cannot pause alone).
const char* kSpinAfterAwait = R"(
async fn spinner() { await yield_now()
  let n = 0
  while n < 200000 { n = n + 1 }
  print("spun", n) }
let a = spinner()
let b = spinner()
set_timeout(fn () { print("timer") }, 0)
await a
await b
let n = 0
while n < 100000 { n = n + 1 }
print("main at", now())
)";

// Long callbacks of every kind: a timer's, an interval's (held, then rearmed, then cleared from
// inside), a microtask's, a promise handler's, a next tick's and an immediate's.
const char* kSpinInCallbacks = R"(
fn spin(label) { let n = 0
  while n < 100000 { n = n + 1 }
  print(label, n) }
set_timeout(fn () { spin("timeout") }, 0)
let ticks = 0
let iv = 0
iv = set_interval(fn () {
  ticks += 1
  spin("interval")
  if ticks == 3 { clear_interval(iv) }
}, 1)
queue_microtask(fn () { spin("microtask") })
resolved(1).then(fn (v) { spin("then") })
next_tick(fn () { spin("tick") })
set_immediate(fn () { spin("immediate") })
await sleep(20)
print("end", ticks)
)";

struct Reference {
  std::string out, err, trace;
  int status;
};

Reference reference(const char* text, const RunOptions& base) {
  RunOptions o = base;
  o.trace = true;
  StringOutput out;
  RunResult r = run_source(std::make_shared<Source>("program.coro", text), o, out);
  std::ostringstream jsonl;
  write_jsonl(*r.trace, jsonl);
  return {out.stdout_text, out.stderr_text, jsonl.str(), r.exit_status};
}

RunOptions profile(Profile p, uint32_t workers = 0) {
  RunOptions o;
  o.profile = p;
  o.workers = workers;
  return o;
}

void same_as_reference(Session& s, const Reference& ref) {
  CHECK(s.ended());
  CHECK(s.output() == ref.out);
  CHECK(s.errors() == ref.err);
  CHECK(s.result().exit_status == ref.status);
  CHECK(s.jsonl_trace() == ref.trace);
}

}  // namespace

TEST_CASE("a session stepped one event at a time, by polls or in time slices is the same run") {
  struct Case {
    const char* name;
    const char* text;
    RunOptions options;
  };
  for (const Case& c : {Case{"pipeline basic", kPipeline, profile(Profile::Basic)},
                        Case{"pipeline tokio", kPipeline, profile(Profile::Tokio, 2)},
                        Case{"pipeline go", kPipeline, profile(Profile::Go, 3)},
                        Case{"event loop node", kEventLoop, profile(Profile::Node)},
                        Case{"event loop basic", kEventLoop, profile(Profile::Basic)},
                        Case{"spin go", kSpin, profile(Profile::Go, 2)},
                        Case{"spin tokio", kSpin, profile(Profile::Tokio, 2)},
                        Case{"spin node", kSpinAfterAwait, profile(Profile::Node)},
                        Case{"spin after await basic", kSpinAfterAwait, profile(Profile::Basic)},
                        Case{"spin in callbacks node", kSpinInCallbacks, profile(Profile::Node)},
                        Case{"spin in callbacks basic", kSpinInCallbacks, profile(Profile::Basic)},
                        Case{"spin in callbacks go", kSpinInCallbacks, profile(Profile::Go, 2)}}) {
    std::string name = c.name;
    CAPTURE(name);
    Reference ref = reference(c.text, c.options);
    REQUIRE(ref.status == 0);
    {
      Session s(c.text, c.options);
      uint64_t last = 0, steps = 0;
      while (!s.ended()) {
        uint64_t n = s.step(1);
        CHECK(n >= last);
        last = n;
        ++steps;
      }
      same_as_reference(s, ref);
      // It really paused — profile node too, though fewer of its events come from polls.
      CHECK(steps > s.events().size() / 8);
    }
    {
      Session s(c.text, c.options);
      while (!s.ended()) s.step_poll();
      same_as_reference(s, ref);
    }
    {
      Session s(c.text, c.options);
      while (!s.ended()) s.run_for(0.01);
      same_as_reference(s, ref);
    }
  }
}

TEST_CASE("stepping stops right after the events asked for (between instructions of a long poll)") {
  for (Profile p : {Profile::Basic, Profile::Node}) {
    Session s(kSpinAfterAwait, profile(p));
    uint64_t n = s.step(3);
    CHECK(n >= 3);
    // The pause lands at the next instruction of an outermost script poll: after what the
    // scheduler does meanwhile (here a timer task's poll) and, in node, after the eager calls
    // nested in main's first poll.
    CHECK(n <= 10);
    CHECK(s.events().size() == n);
    CHECK(!s.ended());
  }
}

TEST_CASE("a time slice of a session ends in a long poll, profile node too; even an empty one makes progress") {
  for (Profile p : {Profile::Basic, Profile::Node, Profile::Go}) {
    Session s(kSpinAfterAwait, profile(p, p == Profile::Go ? 2 : 0));
    int slices = 0;
    while (!s.ended()) {
      s.run_for(0);  // over at once: each slice still runs a step and some instructions
      ++slices;
    }
    CAPTURE(static_cast<int>(p));
    CHECK(slices > 20);  // 500 000 instructions in slices of about a thousand
    CHECK(s.result().exit_status == 0);
  }
}

TEST_CASE("a time slice ends inside a long callback: a timer's, a microtask's, a promise handler's...") {
  struct Case {
    Profile profile;
    const char* call;  // a callback that spins, then prints "spun"
  };
  for (const Case& c : {Case{Profile::Node, "set_timeout(fn () { spin() }, 0)"},
                        Case{Profile::Node, "set_interval(fn () { spin()\n clear_interval(1) }, 1)"},
                        Case{Profile::Node, "queue_microtask(fn () { spin() })"},
                        Case{Profile::Node, "resolved(1).then(fn (v) { spin() })"},
                        Case{Profile::Node, "next_tick(fn () { spin() })"},
                        Case{Profile::Node, "set_immediate(fn () { spin() })"},
                        Case{Profile::Basic, "set_timeout(fn () { spin() }, 0)"},
                        Case{Profile::Basic, "queue_microtask(fn () { spin() })"},
                        Case{Profile::Basic, "resolved(1).then(fn (v) { spin() })"},
                        Case{Profile::Go, "set_timeout(fn () { spin() }, 1)"},
                        Case{Profile::Go, "queue_microtask(fn () { spin() })"},
                        Case{Profile::Tokio, "resolved(1).then(fn (v) { spin() })"}}) {
    std::string text = std::string("fn spin() { let n = 0\n  while n < 1000000 { n = n + 1 }\n  print(\"spun\") }\n") +
                       c.call + "\nprint(\"main\")\nawait sleep(1)\n";
    CAPTURE(text);
    RunOptions options = profile(c.profile, c.profile == Profile::Go ? 2 : 0);
    Session s(text, options);
    int inside = 0;  // slices that ended with the callback begun and not yet done
    while (!s.ended() && s.output().find("spun") == std::string::npos) {
      s.run_for(0);
      if (s.output().find("main") != std::string::npos && s.output().find("spun") == std::string::npos) ++inside;
    }
    // A million instructions are about fifteen chunks, each a place to stop.
    CHECK(inside > 5);
    s.run_to_end();
    same_as_reference(s, reference(text.c_str(), options));
  }
  // Every kind in one program, intervals held and rearmed and cleared from inside, is the run
  // the command makes, however it is sliced.
  for (Profile p : {Profile::Node, Profile::Basic, Profile::Tokio}) {
    CAPTURE(static_cast<int>(p));
    RunOptions options = profile(p, p == Profile::Tokio ? 2 : 0);
    Session s(kSpinInCallbacks, options);
    while (!s.ended()) s.run_for(0);
    same_as_reference(s, reference(kSpinInCallbacks, options));
  }
}

TEST_CASE("a session sliced through a spinning poll names the starving task") {
  Session s("// @profile basic max-instructions=3000000\nasync fn spin() { while true {} }\nawait spin()\n", profile(Profile::Basic));
  CHECK(s.starving_json() == "[]");
  while (s.starving_json() == "[]" && !s.ended()) s.run_for(0.5);
  std::string starving = s.starving_json();
  CAPTURE(starving);
  CHECK(starving.find("\"task\":1,\"worker\":0") != std::string::npos);
  CHECK(starving.find("task 'main'") != std::string::npos);
  s.run_to_end();  // the instruction limit ends it
  CHECK(s.result().exit_status == kExitLimit);
  CHECK(s.starving_json() == "[]");
}

TEST_CASE("a spinning callback is named as starving, profile node and basic") {
  for (Profile p : {Profile::Node, Profile::Basic}) {
    CAPTURE(static_cast<int>(p));
    Session s("// @profile basic max-instructions=3000000\nqueue_microtask(fn () {\n  while true {} })\nawait sleep(1)\n",
              profile(p));
    while (s.starving_json() == "[]" && !s.ended()) s.run_for(0.5);
    std::string starving = s.starving_json();
    CAPTURE(starving);
    CHECK(starving.find("\"task\":0,\"worker\":0") != std::string::npos);
    CHECK(starving.find("a callback (the function at line 2)") != std::string::npos);
    s.run_to_end();
    CHECK(s.result().exit_status == kExitLimit);
  }
}

TEST_CASE("seeking back shows the output and counts of that moment") {
  Session s(kPipeline, profile(Profile::Tokio, 2));
  s.run_to_end();
  std::string all = s.output();
  uint64_t total = s.events().size();
  REQUIRE(total > 20);
  double polls_at_end = s.counters()[static_cast<size_t>(EventKind::PollBegin)];
  s.seek(0);
  CHECK(s.output().empty());
  CHECK(s.counters()[static_cast<size_t>(EventKind::PollBegin)] == 0);
  s.seek(total / 2);
  std::string half = s.output();
  CHECK(half.size() < all.size());
  CHECK(all.compare(0, half.size(), half) == 0);
  s.seek(total);
  CHECK(s.output() == all);
  CHECK(s.counters()[static_cast<size_t>(EventKind::PollBegin)] == polls_at_end);
}

TEST_CASE("a snapshot of the past (a replay) is the one taken when the run was there") {
  Session live(kPipeline, profile(Profile::Tokio, 2));
  std::string ahead = live.snapshot_json(40).value();  // the session's own run goes there
  CHECK(ahead.find("\"event\":40") != std::string::npos);
  CHECK(ahead.find("\"channels\":[{") != std::string::npos);
  live.run_to_end();
  CHECK(live.snapshot_json(40) == ahead);  // now in the past: replayed
  uint64_t last = live.events().size() - 1;
  CHECK(live.snapshot_json(last).value().find("\"event\":" + std::to_string(last)) != std::string::npos);
  std::string error;
  CHECK(!live.snapshot_json(last + 1, &error));  // never happened: an error, with the reason
  CHECK(error == "event " + std::to_string(last + 1) + " is past the end of the run (its events are 0 to " +
                     std::to_string(last) + ")");
}

TEST_CASE("seeks through checkpoints, and steps back through the moments described on the way, are the run's moments") {
  // Long enough for checkpoints (Session::prepare): a pipeline of a channel of one, a mutex and
  // timers, about 100 000 events.
  const char* program = R"(
let ch = channel(1)
let m = mutex()
let total = 0
async fn producer(n) {
  for i in 0..n { await ch.send(i) }
  ch.close()
}
async fn adder(name) {
  while true {
    let v = await ch.recv()
    if v == nil { break }
    await m.lock()
    total = total + v
    m.unlock()
    if v % 1000 == 0 { await sleep(1) }
  }
}
spawn producer(12000)
let a = spawn adder("a")
await spawn adder("b")
await a
print(total)
)";
  for (Profile p : {Profile::Tokio, Profile::Node, Profile::Go}) {
    RunOptions o = profile(p, p == Profile::Node ? 1 : 2);
    Session whole(program, o);
    whole.run_to_end();
    uint64_t n = whole.events().size();
    INFO(profile_name(p) << ", " << n << " events");
    REQUIRE(n > 60'000);
    int slices = 0;
    while (whole.prepare(1.0)) ++slices;
    CHECK(slices > 1);  // (at most about a millisecond at a time: a viewer's idle frame)
    uint64_t seed = 12345;
    for (int k = 0; k < 12; ++k) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      uint64_t i = (seed >> 33) % n;
      Session fresh(program, o);
      auto forward = fresh.snapshot_json(i);  // the fresh session runs forward to it
      REQUIRE(forward);
      CHECK(whole.snapshot_json(i) == forward);
      if (i >= 3) {  // stepping back: the moments described on the way there
        Session fresh_back(program, o);
        CHECK(whole.snapshot_json(i - 3) == fresh_back.snapshot_json(i - 3));
      }
      whole.prepare(5.0);  // idle frames between the viewer's clicks
    }
  }
}

TEST_CASE("a snapshot shows the run queue, timers, channel buffers, mutex holders and waiters, devices") {
  const char* text = R"(
let ch = channel(3)
let m = mutex()
async fn later() { print("later") }
async fn locker() { let g = await m.lock() }
async fn reader() { await io("disk", 5) }
let guard = await m.lock()
await ch.send("one")
await ch.send("two")
spawn later()
spawn later()
spawn locker()
spawn reader()
await sleep(1)
print("mark")
await yield_now()
)";
  Session s(text, profile(Profile::Basic));
  s.run_to_end();
  // The end of main's first poll: four tasks queued, two values buffered, main holds the mutex.
  uint64_t at = 0;
  while (s.events()[at].kind != EventKind::PollEnd) ++at;
  std::string first = s.snapshot_json(at).value();
  CAPTURE(first);
  CHECK(first.find("\"local\":[2,3,4,5]") != std::string::npos);
  // main's sleep(1), begun at 140 ns: due at the next whole millisecond after 1 ms has passed
  CHECK(first.find("\"timers\":[{\"atMs\":2,\"task\":1}]") != std::string::npos);
  // The end of the next four polls (later, later, locker, reader): locker waits for the mutex,
  // reader on its device.
  for (int polls = 0; polls < 4; ++polls) {
    ++at;
    while (s.events()[at].kind != EventKind::PollEnd) ++at;
  }
  std::string snap = s.snapshot_json(at).value();
  CAPTURE(snap);
  CHECK(snap.find("\"buffered\":[\"one\",\"two\"]") != std::string::npos);
  CHECK(snap.find("\"holder\":1,\"lockedAtLine\":7,\"waiters\":[4]") != std::string::npos);
  CHECK(snap.find("\"reactor\":[{\"task\":5,\"interest\":\"io(\\\"disk\\\", 5)\"}]") != std::string::npos);
  CHECK(snap.find("\"waitsOn\":\"sleep(1)\"") != std::string::npos);
}

TEST_CASE("a program that does not compile gives diagnostics and an ended session") {
  Session s("print(1", profile(Profile::Basic));
  CHECK(s.ended());
  REQUIRE(!s.diagnostics().empty());
  CHECK(s.result().exit_status == kExitCompile);
  CHECK(s.step(10) == 0);
  std::string error;
  CHECK(!s.snapshot_json(0, &error));
  CHECK(error == "the program did not compile: its run has no events");
}

TEST_CASE("a pause does not restart the LIFO streak: tokio's schedule is the same however it is stepped") {
  // A producer and a consumer waking each other through a channel of one: every poll is a LIFO
  // hand-off, and the streak limit decides when the pair goes back to the queue. A pause in the
  // middle of a streak used to start it again, giving the viewer extra LIFO hits.
  const char* text = R"(
let ch = channel(1)
async fn prod() { for i in 0..2000 { await ch.send(i) } ch.close() }
async fn cons() { let n = 0; while true { let v = await ch.recv(); if v == nil { break } n = n + 1 } print(n) }
spawn prod()
await cons()
)";
  for (uint32_t workers : {1u, 2u}) {
    CAPTURE(workers);
    RunOptions options = profile(Profile::Tokio, workers);
    Reference ref = reference(text, options);
    REQUIRE(ref.out == "2000\n");
    for (uint64_t k : {1, 7}) {
      Session s(text, options);
      while (!s.ended()) s.step(k);
      same_as_reference(s, ref);
    }
    Session sliced(text, options);
    while (!sliced.ended()) sliced.run_for(0.001);
    same_as_reference(sliced, ref);
  }
}

TEST_CASE("limits stop a stepped run where they stop the command's") {
  // The trace limit is looked at where polls begin (not where a held poll goes on), and the
  // time limit ends a chunk of instructions exactly (not at a boundary a pause added).
  // main's one long poll (its channel is always ready) emits event after event; the ticker's
  // timers make the world hold it at the horizon now and then.
  const char* spin = R"(
async fn ticker() { while true { await sleep(1) } }
spawn ticker()
let ch = channel(1)
for i in 0..300000 {
  await ch.send(i)
  await ch.recv()
}
)";
  for (std::string limit : {"max-trace-events=3000", "time-limit=1"}) {
    CAPTURE(limit);
    RunOptions options;
    REQUIRE(resolve_settings(spin, {{"profile", "go"}, {"workers", "2"}}, options).empty());
    size_t eq = limit.find('=');
    REQUIRE(apply_setting(options, limit.substr(0, eq), limit.substr(eq + 1)).empty());
    Reference ref = reference(spin, options);
    REQUIRE(ref.status == kExitLimit);
    for (uint64_t k : {1, 5}) {
      Session s(spin, options);
      while (!s.ended()) s.step(k);
      same_as_reference(s, ref);
    }
    Session sliced(spin, options);
    while (!sliced.ended()) sliced.run_for(0);
    same_as_reference(sliced, ref);
  }
}

TEST_CASE("notes tell the viewer the line of each event and what a waiting task waits on; prints say who and when") {
  const char* text = R"(let ch = channel(0)
async fn producer() {
  await ch.send(1)
}
let p = spawn producer()
let v = await ch.recv()
print("got", v)
await sleep(5)
await p
)";
  Session s(text, profile(Profile::Basic));
  s.run_to_end();
  REQUIRE(s.notes().size() == s.events().size());
  std::vector<std::tuple<uint64_t, uint32_t, std::string, Session::Wait>> waits;  // main's pending polls
  for (size_t i = 0; i < s.events().size(); ++i) {
    const TraceEvent& e = s.events()[i];
    const Session::Note& n = s.notes()[i];
    if (e.kind == EventKind::Spawn && e.task == 2) CHECK(n.line == 5);  // spawned by main's line 5
    if (e.kind == EventKind::PollEnd && static_cast<PollResult>(e.a) == PollResult::Pending)
      waits.emplace_back(e.task, n.line, s.notes_text()[n.about], n.wait);
    if (e.kind == EventKind::Park) CHECK(n.line == 0);  // the scheduler's own work
  }
  REQUIRE(waits.size() >= 2);
  CHECK(waits[0] == std::make_tuple(uint64_t{1}, 6u, std::string("a channel receive on channel 1"), Session::Wait::Channel));
  CHECK(std::find(waits.begin(), waits.end(), std::make_tuple(uint64_t{1}, 8u, std::string("sleep(5)"), Session::Wait::Sleep)) !=
        waits.end());
  CHECK(s.task_name(2) == "producer");
  REQUIRE(s.printed().size() == 1);
  const Session::Printed& p = s.printed()[0];
  CHECK(p.text == "got 1\n");
  CHECK(p.task == 1);
  CHECK(p.line == 7);
  CHECK(!p.err);
  CHECK(p.event > 0);
  CHECK(p.time_ns >= s.events()[p.event - 1].time_ns);  // printed between that event and the next
  CHECK(p.time_ns <= s.events()[p.event].time_ns);
}

TEST_CASE("a snapshot can be taken at any event, channel and timer events too (they were emitted under a lock)") {
  const char* text = R"(async fn sleeper() { await sleep(1) }
spawn sleeper()
spawn sleeper()
let ch = channel(0)
let buffered = channel(1)
async fn producer() {
  await ch.send(1)
  await buffered.send(2)
}
let p = spawn producer()
print(await ch.recv(), await buffered.recv())
await p
await sleep(2)
)";
  for (Profile p : {Profile::Basic, Profile::Node, Profile::Tokio, Profile::Go}) {
    Session s(text, profile(p, p == Profile::Tokio || p == Profile::Go ? 2 : 0));
    s.run_to_end();
    size_t channel_events = 0, timer_events = 0;
    for (uint64_t i = 0; i < s.events().size(); ++i) {
      std::string error;
      auto snap = s.snapshot_json(i, &error);
      CAPTURE(i);
      CAPTURE(error);
      REQUIRE(snap);
      CHECK(snap->find("\"event\":" + std::to_string(i) + ",") != std::string::npos);
      EventKind k = s.events()[i].kind;
      channel_events += k == EventKind::ChannelWait || k == EventKind::ChannelReady;
      timer_events += k == EventKind::TimerFire;
    }
    CHECK(channel_events >= 4);
    CHECK(timer_events == 3);  // the sleepers' and main's
  }
}
