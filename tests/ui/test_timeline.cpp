// The timeline's data and its level of detail: lanes from a real run, built the same in slices as
// at once; merging of narrow spans that costs what is visible and does not regroup while panning;
// task colours that stay put.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "ui/model/palette.hpp"
#include "ui/model/timeline.hpp"

using namespace loopscope;
using namespace loopscope::ui;
using script::Session;

namespace {

const char* kTwoSleepers = R"(async fn sleeper(ms) {
  await sleep(ms)
  print("slept", ms)
}
let a = spawn sleeper(2)
let b = spawn sleeper(1)
await a
await b
)";

script::RunOptions basic() {
  script::RunOptions o;
  o.trace = true;
  return o;
}

bool same_lanes(const Timeline& x, const Timeline& y) {
  if (x.lanes().size() != y.lanes().size()) return false;
  for (size_t i = 0; i < x.lanes().size(); ++i) {
    const Lane& a = x.lanes()[i];
    const Lane& b = y.lanes()[i];
    if (a.name != b.name || a.spans.size() != b.spans.size() || a.done != b.done) return false;
    for (size_t k = 0; k < a.spans.size(); ++k) {
      const Span& s = a.spans[k];
      const Span& t = b.spans[k];
      if (s.start != t.start || s.end != t.end || s.kind != t.kind || s.task != t.task || s.detail != t.detail) return false;
    }
  }
  return x.flows().size() == y.flows().size() && x.marks().size() == y.marks().size();
}

}  // namespace

TEST_CASE("lanes: a worker lane of polls, and a lane per task going ready, running, waiting and done") {
  Session s(kTwoSleepers, basic());
  s.run_to_end();
  Timeline tl;
  tl.update(s);
  REQUIRE(tl.worker_lanes() == 1);
  REQUIRE(tl.lanes().size() == 4);  // worker 0, main, sleeper, sleeper
  CHECK(tl.lanes()[0].is_worker);
  CHECK(tl.lanes()[1].name == "main");
  CHECK(tl.lanes()[2].name == "sleeper");
  const Lane& a = tl.lanes()[2];
  REQUIRE(a.spans.size() >= 4);
  CHECK(a.spans[0].kind == SpanKind::Ready);
  CHECK(a.spans[0].detail == static_cast<uint8_t>(TaskSource::Queue));  // where it was polled from
  CHECK(a.spans[1].kind == SpanKind::Running);
  CHECK(a.spans[2].kind == SpanKind::Waiting);
  CHECK(a.spans[2].detail == static_cast<uint8_t>(Session::Wait::Sleep));
  CHECK(s.notes_text()[a.spans[2].about] == "sleep(2)");
  CHECK(a.done);
  // Spans of a lane follow each other without overlapping.
  for (const Lane& lane : tl.lanes())
    for (size_t k = 1; k < lane.spans.size(); ++k) CHECK(lane.spans[k].start >= lane.spans[k - 1].end);
  // Every poll of every task is a span of the worker lane, in the task's colour.
  size_t polls = 0;
  for (const Span& sp : tl.lanes()[0].spans) polls += sp.kind == SpanKind::Poll;
  CHECK(polls == tl.stats()[0].polls + tl.stats()[1].polls + tl.stats()[2].polls);
  // Wake-ups by the timers (waker 0) end where the sleepers run again.
  size_t timer_flows = 0;
  for (const Flow& f : tl.flows())
    if (f.waker == 0 && f.to_event) ++timer_flows;
  CHECK(timer_flows == 2);
  size_t fires = 0, prints = 0;
  for (const Mark& m : tl.marks()) {
    fires += m.kind == MarkKind::TimerFire;
    prints += m.kind == MarkKind::Print;
  }
  CHECK(fires == 2);
  CHECK(prints == 2);
  // Marks come in event order.
  for (size_t k = 1; k < tl.marks().size(); ++k) CHECK(tl.marks()[k].event >= tl.marks()[k - 1].event);
  CHECK(Timeline::span_at(a, a.spans[1].first_event)->kind == SpanKind::Running);
}

TEST_CASE("lanes read slice by slice are the lanes read at once, in every profile") {
  for (const char* profile : {"basic", "node", "tokio", "go"}) {
    CAPTURE(profile);
    script::RunOptions o = basic();
    REQUIRE(script::resolve_settings(kTwoSleepers, {{"profile", profile}}, o).empty());
    Session whole(kTwoSleepers, o);
    whole.run_to_end();
    Timeline at_once;
    at_once.update(whole);
    Session sliced(kTwoSleepers, o);
    Timeline bit_by_bit;
    while (!sliced.ended()) {
      sliced.step(3);
      bit_by_bit.update(sliced);
    }
    CHECK(same_lanes(at_once, bit_by_bit));
    CHECK(at_once.end_time() == bit_by_bit.end_time());
  }
}

TEST_CASE("the wake arrows a view looks at include every one in it, not the whole run; glyphs are found by lane, in time order") {
  // Two workers (events out of time order across them), a channel of one: many wakes and glyphs.
  const char* program = R"(
let ch = channel(1)
async fn producer() {
  for i in 0..3000 { await ch.send(i) }
  ch.close()
}
async fn consumer() {
  while true {
    let v = await ch.recv()
    if v == nil { break }
    if v % 500 == 0 { await sleep(1) }
  }
}
spawn producer()
await consumer()
)";
  // (and a real run on two threads, whose events come as they happen, a little out of time order)
  for (std::string profile : {"tokio", "go", "node", "tokio real"}) {
    CAPTURE(profile);
    script::RunOptions o = basic();
    REQUIRE(script::resolve_settings(program, {{"profile", profile.substr(0, profile.find(' '))}, {"workers", profile == "node" ? "1" : "2"}}, o).empty());
#ifdef __EMSCRIPTEN__
    if (profile == "tokio real") continue;  // (the page has one thread)
#endif
    o.real = profile == "tokio real";
    Session s(program, o);
    s.run_to_end();
    Timeline tl;
    tl.update(s);
    REQUIRE(tl.flows().size() > 1000);
    uint64_t seed = 99;
    for (int k = 0; k < 200; ++k) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      double t0 = static_cast<double>((seed >> 20) % (tl.end_time() + 1));
      double t1 = t0 + static_cast<double>((seed >> 40) % (tl.end_time() / 50 + 1));
      auto [ff, fe] = tl.flows_in(t0, t1);
      for (size_t i = 0; i < tl.flows().size(); ++i) {
        const Flow& f = tl.flows()[i];
        if (f.to_event && f.to_time >= t0 && f.from_time <= t1) CHECK((i >= ff && i < fe));
      }
      if (!o.real && t1 - t0 < tl.end_time() / 100.0) CHECK(fe - ff < tl.flows().size() / 4);  // a narrow view: a small part of the run
    }
    // Each lane's glyphs, in time order: a print in its task's lane, the rest in their worker's.
    std::vector<int> lane_of(tl.marks().size(), -1);
    for (size_t l = 0; l < tl.lanes().size(); ++l) {
      const std::vector<uint32_t>& list = tl.lane_marks(l);
      for (size_t k = 0; k < list.size(); ++k) {
        CHECK(lane_of[list[k]] == -1);
        lane_of[list[k]] = static_cast<int>(l);
        if (k) CHECK(tl.marks()[list[k - 1]].time <= tl.marks()[list[k]].time);
      }
    }
    for (size_t i = 0; i < tl.marks().size(); ++i) {
      const Mark& m = tl.marks()[i];
      const Lane* task = m.kind == MarkKind::Print ? tl.task_lane(m.task) : nullptr;
      int expected = task ? static_cast<int>(task - tl.lanes().data()) : m.worker < tl.worker_lanes() ? m.worker : -1;
      CHECK(lane_of[i] == expected);
    }
  }
}

TEST_CASE("level of detail: narrow spans merge into blocks with a count; only what is visible is walked") {
  Lane lane;
  const size_t n = 1'000'000;
  for (size_t i = 0; i < n; ++i) lane.spans.push_back(Span{i * 20, i * 20 + 10, i % 7 + 1, static_cast<uint32_t>(i), 0, SpanKind::Poll, 0});
  View zoomed_out{0, 20.0 * n / 1000, 1000, 3};  // the whole lane in 1000 px
  std::vector<LaneItem> items;
  layout_lane(lane, zoomed_out, items);
  CHECK(items.size() <= 1000 / 3 + 2);
  uint64_t covered = 0;
  for (const LaneItem& it : items) {
    covered += it.count;
    CHECK(it.x1 - it.x0 >= 3 - 1e-9);
  }
  CHECK(covered == n);  // every span is in exactly one item
  CHECK(!items[0].one_task);  // (tasks alternate)
  // Zoomed in: each span on its own, only the visible ones.
  View zoomed_in{500'000, 0.1, 1000, 3};  // 100 ns in view
  items.clear();
  layout_lane(lane, zoomed_in, items);
  REQUIRE(items.size() == 5);
  for (const LaneItem& it : items) CHECK(it.count == 1);
  CHECK(lane.spans[items[0].span].start == 500'000);
}

TEST_CASE("level of detail: a merged block stays the same block while the view pans") {
  Lane lane;
  // Bursts of 50 narrow spans, 1 µs apart inside a burst, bursts 1 ms apart.
  for (uint64_t burst = 0; burst < 200; ++burst)
    for (uint64_t k = 0; k < 50; ++k) {
      uint64_t t = burst * 1'000'000 + k * 1'000;
      lane.spans.push_back(Span{t, t + 500, 1, static_cast<uint32_t>(lane.spans.size()), 0, SpanKind::Poll, 0});
    }
  auto blocks = [&](double t0) {
    std::vector<LaneItem> items;
    layout_lane(lane, View{t0, 20'000, 1000, 3}, items);  // 20 µs a pixel: a burst is 2.5 px wide
    std::set<std::pair<uint32_t, uint32_t>> out;
    for (const LaneItem& it : items) out.insert({it.span, it.count});
    return out;
  };
  auto a = blocks(10'000'000), b = blocks(10'000'000 + 7 * 20'000 + 1234);  // 7.06 px later
  size_t shared = 0;
  for (const auto& blk : a) shared += b.count(blk);
  CHECK(shared + 1 >= a.size());  // all but the block that left the view
  for (const auto& blk : a) CHECK(blk.second == 50);  // a burst is one block of 50
}

TEST_CASE("task colours: stable, distinct for neighbours, grey for callbacks, readable in both themes") {
  for (ThemeName name : {ThemeName::Dark, ThemeName::Light}) {
    const Theme& th = theme(name);
    CHECK(task_colour(5, th) == task_colour(5, th));
    Rgba grey = task_colour(0, th);
    CHECK(std::max({grey.r, grey.g, grey.b}) - std::min({grey.r, grey.g, grey.b}) < 40);  // hardly a hue
    for (uint64_t id = 1; id < 40; ++id) {
      Rgba a = task_colour(id, th), b = task_colour(id + 1, th);
      int d = std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
      CHECK(d > 60);
      // Contrast with the lane background (WCAG-style ratio, at least 1.8 for a filled block).
      CHECK(contrast(a, th.panel) > 1.8f);
      CHECK(contrast(text_on(a), a) >= 4.5f);  // a label on its bar or chip reads as body text
    }
    // Secondary text (lane names of ended tasks, times, "empty") and comments read too.
    for (Rgba text : {th.text, th.text_dim, th.text_faint, th.comment}) {
      CHECK(contrast(text, th.panel) >= 4.5f);
      CHECK(contrast(text, th.background) >= 4.4f);
    }
  }
}

TEST_CASE("the event-order axis: every event the same width, idle stretches none, and back") {
  std::vector<uint64_t> times = {0, 100, 200, 1'000'000, 1'000'050};
  View v;
  v.order = &times;
  CHECK(v.u_of(0) == 0);
  CHECK(v.u_of(150) == doctest::Approx(1.5));
  CHECK(v.u_of(1'000'000) == 3);
  CHECK(v.u_of(500'100) == doctest::Approx(2.5));  // the long gap is one step wide
  for (double u : {0.0, 0.25, 1.5, 2.9, 3.5})
    CHECK(v.u_of(v.t_of_u(u)) == doctest::Approx(u));
  // Events at the same time: a time is where the first of them is, an event is at its own place.
  std::vector<uint64_t> ties = {0, 100, 100, 100, 200};
  v.order = &ties;
  CHECK(v.u_of(100) == 1);
  CHECK(v.u_of_event(2, 100) == 2);
  CHECK(v.u_of_event(3, 100) == 3);
  CHECK(v.u_of_event(1, 200) == 4);  // (not in time order there: by its time)
  v.order = &times;
  // A lane on this axis: spans in both bursts get room.
  Lane lane;
  lane.spans = {Span{0, 100, 1, 0, 0, SpanKind::Poll, 0}, Span{1'000'000, 1'000'050, 2, 3, 0, SpanKind::Poll, 0}};
  v.u0 = -0.5;
  v.per_px = 5.0 / 500;  // 500 px for the five events
  std::vector<LaneItem> items;
  layout_lane(lane, v, items);
  REQUIRE(items.size() == 2);
  CHECK(items[0].x1 - items[0].x0 == doctest::Approx(100));
  CHECK(items[1].x1 - items[1].x0 == doctest::Approx(100));
}

TEST_CASE("durations and ruler steps read naturally") {
  CHECK(format_duration(250) == "250 ns");
  CHECK(format_duration(1500) == "1.50 µs");
  CHECK(format_duration(12'500) == "12.5 µs");
  CHECK(format_duration(3'000'000) == "3 ms");
  CHECK(format_duration(1.25e9) == "1.25 s");
  View v{0, 1000, 1000, 3};  // 1 µs a pixel
  CHECK(tick_step(v, 80) == 100'000);
  v.per_px = 30;
  CHECK(tick_step(v, 80) == 5'000);
}
