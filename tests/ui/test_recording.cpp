// Recording and watching: playback at a speed, stepping and seeking, what the cursor shows.
#include <doctest/doctest.h>

#include "ui/model/recording.hpp"

using namespace loopscope;
using namespace loopscope::ui;

namespace {

const char* kPipeline = R"(// @profile tokio workers=2
let jobs = channel(2)
async fn producer() {
  for i in 0..200 { await jobs.send(i) }
  jobs.close()
}
async fn worker(name) {
  let job = await jobs.recv()
  while job != nil {
    work(1)
    print(name, job)
    job = await jobs.recv()
  }
}
spawn producer()
let a = spawn worker("a")
let b = spawn worker("b")
await a
await b
)";

script::RunOptions options_of(const char* text) {
  script::RunOptions o;
  REQUIRE(script::resolve_settings(text, {}, o).empty());
  return o;
}

}  // namespace

TEST_CASE("as fast as possible: recorded in slices, the cursor follows the newest event to the end") {
  Recording r;
  r.start(kPipeline, options_of(kPipeline));
  REQUIRE(r.started());
  CHECK(r.playing());
  int frames = 0;
  while (r.playing() && frames < 10'000) {
    r.tick(1.0 / 60, 0.05);
    ++frames;
    CHECK(r.cursor() + 1 == r.events());
  }
  CHECK(r.recording_ended());
  CHECK(r.at_end());
  CHECK(r.exit_status() == 0);
  std::string out = r.output();
  CHECK(out == r.session()->output());  // everything printed, at the end
  CHECK(std::count(out.begin(), out.end(), '\n') == 200);
}

TEST_CASE("at N events a second the cursor moves N a second, recording just ahead of it") {
  Recording r;
  r.start(kPipeline, options_of(kPipeline));
  r.set_speed(100);
  for (int f = 0; f < 30; ++f) r.tick(1.0 / 60, 2);  // half a second
  CHECK(r.cursor() >= 49);
  CHECK(r.cursor() <= 51);
  CHECK(!r.recording_ended());
  CHECK(r.events() < 400);  // not the whole run: just ahead of the cursor
  r.pause();
  uint64_t at = r.cursor();
  r.tick(1.0, 2);
  CHECK(r.cursor() == at);
}

TEST_CASE("stepping and seeking: the snapshot and output at the cursor are those of a replay from the start") {
  Recording r;
  r.start(kPipeline, options_of(kPipeline));
  r.pause();
  r.step(40);
  CHECK(r.cursor() == 40);
  const script::Snapshot* ahead = r.snapshot();
  REQUIRE(ahead);
  CHECK(ahead->event == 40);
  std::string at40 = script::to_json(*ahead);
  std::string out40 = r.output();
  r.seek(UINT64_MAX);  // to the end
  CHECK(r.at_end());
  r.seek(40);
  CHECK(script::to_json(*r.snapshot()) == at40);
  CHECK(r.output() == out40);
  r.step(-5);
  CHECK(r.cursor() == 35);
  CHECK(r.snapshot()->event == 35);
  r.step(-100);
  CHECK(r.cursor() == 0);
  r.step_poll();
  CHECK(r.session()->events()[r.cursor()].kind == EventKind::PollEnd);
  // A fresh recording seeking straight to 40 agrees.
  Recording fresh;
  fresh.start(kPipeline, options_of(kPipeline));
  fresh.pause();
  fresh.seek(40);
  CHECK(script::to_json(*fresh.snapshot()) == at40);
}

TEST_CASE("a print is found at the event it came after; a lint's time finds its event") {
  Recording r;
  r.start(kPipeline, options_of(kPipeline));
  r.seek(UINT64_MAX);
  const auto& printed = r.session()->printed();
  REQUIRE(printed.size() == 200);
  uint64_t e = r.event_of_print(3);
  r.seek(e);
  CHECK(r.printed_upto_cursor() >= 4);
  r.seek(e == 0 ? 0 : e - 1);
  CHECK(r.printed_upto_cursor() <= 3);
  uint64_t t = r.session()->events()[100].time_ns;
  CHECK(r.session()->events()[r.event_at_time(t, 0)].time_ns >= t);
}

TEST_CASE("a program that does not compile gives diagnostics and an empty recording") {
  Recording r;
  r.start("print(1", {});
  CHECK(r.started());
  CHECK(!r.diagnostics().empty());
  CHECK(r.recording_ended());
  CHECK(r.events() == 0);
  CHECK(r.snapshot() == nullptr);
  r.tick(1, 1);
  r.step(5);
  CHECK(r.cursor() == 0);
}
