// "What just happened": a sentence for every kind of event, in the words of the run's profile,
// saying where a woken or spawned task went.
#include <doctest/doctest.h>

#include <set>

#include "ui/model/narration.hpp"

using namespace loopscope;
using namespace loopscope::ui;
using script::Session;

namespace {

// Between them, these programs make every kind of event.
const char* kEverything = R"(let ch = channel(1)
let m = mutex()
async fn producer() {
  for i in 0..3 { await ch.send(i) }
  ch.close()
}
async fn locker() {
  let g = await m.lock()
  await sleep(1)
  m.unlock()
}
async fn reader() { await io("disk", 2) }
async fn spinner() { let n = 0
  while n < 30000 { n = n + 1 } }
spawn producer()
spawn locker()
spawn locker()
spawn reader()
spawn spinner()
let t = spawn spinner()
t.abort()
await spawn_blocking(fn () { return 1 })
block(1)
queue_microtask(fn () { print("micro") })
while true { let v = await ch.recv()
  if v == nil { break } }
for i in 0..200 { await yield_now() }
await sleep(5)
)";

const char* kNode = R"(set_timeout(fn () { print("t") }, 0)
set_immediate(fn () { print("i") })
next_tick(fn () { print("n") })
resolved(1).then(fn (v) { print("p") })
await sleep(2)
)";

// A goroutine that spins past its 10 ms time slice is preempted; a task that throws ends in error.
const char* kPreempt = R"(async fn spin() { let n = 0
  while n < 3000000 { n = n + 1 } }
async fn fails() { throw "no" }
spawn spin()
try { await spawn fails() } catch e { print("caught", e) }
await sleep(1)
)";

const char* kBudget = R"(// @profile tokio workers=1
let ch = channel(10)
for i in 0..300 {
  await ch.send(i)
  await ch.recv()
}
)";

std::set<EventKind> narrate_all(const char* text, const char* profile, const char* workers, std::set<std::string>& sentences) {
  script::RunOptions o;
  REQUIRE(script::resolve_settings(text, {{"profile", profile}, {"workers", workers}}, o).empty());
  o.trace = true;
  Session s(text, o);
  s.run_to_end();
  std::set<EventKind> kinds;
  for (uint64_t i = 0; i < s.events().size(); ++i) {
    auto snap = s.snapshot(i);
    std::string n = narrate(s, i, snap ? &*snap : nullptr);
    CAPTURE(i);
    CAPTURE(event_kind_name(s.events()[i].kind));
    CHECK_MESSAGE(n.size() > 20, n);
    CHECK(n != event_kind_name(s.events()[i].kind));  // a sentence, not the kind's name
    CHECK((n.back() == '.' || n.back() == ')'));
    kinds.insert(s.events()[i].kind);
    sentences.insert(n);
  }
  return kinds;
}

}  // namespace

TEST_CASE("every kind of event has a sentence") {
  std::set<EventKind> seen;
  std::set<std::string> sentences;
  for (auto [text, profile, workers] : {std::tuple{kEverything, "tokio", "2"}, std::tuple{kEverything, "go", "2"},
                                        std::tuple{kEverything, "basic", "1"}, std::tuple{kNode, "node", "1"},
                                        std::tuple{kBudget, "tokio", "1"}, std::tuple{kPreempt, "go", "1"}}) {
    auto kinds = narrate_all(text, profile, workers, sentences);
    seen.insert(kinds.begin(), kinds.end());
  }
  std::set<EventKind> missing;
  for (int k = 0; k < static_cast<int>(EventKind::Count); ++k)
    if (!seen.count(static_cast<EventKind>(k))) missing.insert(static_cast<EventKind>(k));
  // Made only by the native I/O of real runs (io_register, io_ready), or by no scheduler yet
  // (blocking_begin, blocking_end), or not by these programs (timer_cancel). A script task that
  // throws ends its poll as completed (the VM keeps the error: the poll's note says it failed).
  for (EventKind k : {EventKind::IoRegister, EventKind::IoReady, EventKind::TimerCancel, EventKind::BlockingBegin,
                      EventKind::BlockingEnd, EventKind::TaskError})
    missing.erase(k);
  CHECK(sentences.count("'fails' #3 throws an error that nothing in it catches: 'no'. It ends; whoever awaits it gets the error.") == 1);
  CHECK(sentences.count("'fails' #3 has ended with an error.") == 1);
  std::string names;
  for (EventKind k : missing) names += std::string(event_kind_name(k)) + " ";
  CHECK_MESSAGE(missing.empty(), "no program above made: " << names);
  CHECK(sentences.size() > 40);
}

TEST_CASE("a wake-up says who woke whom, at which line, and where the woken task waits") {
  const char* text = R"(let ch = channel(0)
async fn consumer() {
  print(await ch.recv())
}
spawn consumer()
await sleep(1)
await ch.send(4)
await sleep(1)
)";
  script::RunOptions o;
  REQUIRE(script::resolve_settings(text, {{"profile", "tokio"}, {"workers", "1"}}, o).empty());
  o.trace = true;
  Session s(text, o);
  s.run_to_end();
  bool found = false;
  for (uint64_t i = 0; i < s.events().size(); ++i) {
    const TraceEvent& e = s.events()[i];
    if (e.kind != EventKind::Wake || e.a != 1) continue;
    auto snap = s.snapshot(i);
    REQUIRE(snap);
    CHECK(narrate(s, i, &*snap) == "'main' #1 woke 'consumer' #2 at line 7, which waits in worker 0's LIFO slot.");
    found = true;
  }
  CHECK(found);
  // Without the snapshot it still tells who and where in the program.
  for (uint64_t i = 0; i < s.events().size(); ++i)
    if (s.events()[i].kind == EventKind::ChannelWait && s.events()[i].task == 2)
      CHECK(narrate(s, i, nullptr) == "'consumer' #2 waits to receive from channel 1 at line 3: nothing has been sent yet.");
}

TEST_CASE("the profile's words: go's runnext and global queue") {
  script::Snapshot snap;
  snap.queues.workers.resize(2);
  snap.queues.workers[1].lifo = 7;
  snap.queues.workers[0].local = {3, 4, 5};
  snap.queues.inject = {9};
  CHECK(where_queued(snap, 7, script::Profile::Go) == "in P1's runnext slot");
  CHECK(where_queued(snap, 7, script::Profile::Tokio) == "in worker 1's LIFO slot");
  CHECK(where_queued(snap, 5, script::Profile::Tokio) == "at the back of worker 0's run queue");
  CHECK(where_queued(snap, 4, script::Profile::Tokio) == "2 of 3 in worker 0's run queue");
  CHECK(where_queued(snap, 9, script::Profile::Go) == "in the global run queue");
  CHECK(where_queued(snap, 11, script::Profile::Go).empty());
}
