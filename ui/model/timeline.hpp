// The timeline's data: what each worker ran and what each task did over time, computed from a
// recording's events, and the level-of-detail walk that turns a lane into what is drawn at a zoom.
//
// Lanes are built incrementally (update() reads only the events recorded since the last call),
// so a run of a million events is read once while it is recorded, not once per frame. Drawing
// then costs what is visible: layout_lane() binary-searches the visible range and merges every
// run of spans narrower than a few pixels into one block with a count, jumping over the merged
// spans by binary search too (Tracy's MinVisSize walk), so a zoomed-out lane of a million polls
// costs a few hundred steps. Groups split only at gaps wider than the merge width, so a block
// stays the same block while the view pans.
//
//   Timeline tl;
//   tl.update(session);                        // after each slice of recording
//   std::vector<LaneItem> items;
//   layout_lane(tl.lanes()[0], view, items);   // what to draw in lane 0
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/script/session.hpp"
#include "runtime/trace/event.hpp"

namespace loopscope::ui {

using script::Session;

// What a task lane shows, and what a worker lane shows.
enum class SpanKind : uint8_t {
  Ready,     // task: in a queue (detail: the TaskSource it was taken from, once it was)
  Running,   // task: being polled (detail: the worker)
  Waiting,   // task: suspended (detail: Session::Wait; about: what on)
  Poll,      // worker: polling a task
  Callback,  // worker: a callback (profile node's macrotasks, microtasks)
  Parked,    // worker: asleep, nothing to do
};

struct Span {
  uint64_t start = 0, end = 0;  // ns; an open span ends at the lane's last known time
  uint64_t task = 0;
  uint32_t first_event = 0;     // the event that began it
  uint32_t about = 0;           // Waiting: Session::notes_text() index
  SpanKind kind = SpanKind::Ready;
  uint8_t detail = 0;
};

struct Lane {
  bool is_worker = false;
  uint64_t id = 0;  // worker index or task id
  std::string name;
  std::vector<Span> spans;  // by start; they do not overlap
  bool open = false;        // the last span has not ended yet
  bool done = false;        // task: it completed, failed or was aborted
};

// Glyphs on the lanes.
enum class MarkKind : uint8_t { TimerFire, IoReady, Steal, LifoHit, Budget, Preempt, Phase, Print, Blocking, Count };

struct Mark {
  uint64_t time = 0;
  uint32_t event = 0;  // the event it shows (prints: the event before them)
  uint64_t task = 0;
  uint16_t worker = 0;
  MarkKind kind = MarkKind::TimerFire;
  uint64_t arg = 0;  // Steal: victim worker; Phase: TaskSource; Print: index in Session::printed(); Blocking: ns
};

// A wake-up: from the waker (a task, or a worker's timers and I/O when task 0) to where the woken
// task next runs. Open (to_event 0) until it runs.
struct Flow {
  uint64_t from_time = 0, to_time = 0;
  uint64_t waker = 0, wakee = 0;
  uint32_t event = 0, to_event = 0;
  uint16_t from_worker = 0, to_worker = 0;
};

struct TaskStats {
  uint64_t task = 0, parent = 0;
  uint64_t polls = 0, wakes = 0, self_wakes = 0;
  uint64_t busy_ns = 0;
  uint64_t ready_ns = 0;        // time spent queued, woken until polled
  uint64_t max_latency_ns = 0;  // the longest of those waits
  // Scheduling latency histogram: counts of ready→running waits under 1 µs, 10 µs, 100 µs,
  // 1 ms, 10 ms, and longer.
  uint64_t latency[6] = {};
  uint32_t spawned_at_event = 0;
};

class Timeline {
 public:
  // Reads the events recorded since the last call.
  void update(const Session& session);
  void clear();

  const std::vector<Lane>& lanes() const noexcept { return lanes_; }  // workers first, then tasks by spawn
  size_t worker_lanes() const noexcept { return workers_; }
  const Lane* task_lane(uint64_t task) const noexcept;
  const std::vector<Mark>& marks() const noexcept { return marks_; }  // by event
  const std::vector<Flow>& flows() const noexcept { return flows_; }  // by event
  const std::vector<TaskStats>& stats() const noexcept { return stats_; }  // lane order (tasks)
  uint64_t end_time() const noexcept { return end_time_; }
  // Where the run's clock was at the last update: open spans (a poll spinning) reach it.
  uint64_t now() const noexcept { return std::max(end_time_, now_); }
  // Every event's time, sorted (the event-order axis).
  const std::vector<uint64_t>& times() const noexcept { return times_; }
  // The marks drawn in lane `lane` (indices into marks(), in time order), so that a view finds
  // those in it, and jumps over those that would pile up, without walking the whole run.
  const std::vector<uint32_t>& lane_marks(size_t lane) const noexcept;
  // The flows that may show between times t0 and t1, as an index range [first, end) into flows().
  std::pair<size_t, size_t> flows_in(double t0, double t1) const noexcept;
  size_t events_read() const noexcept { return read_; }

  // The span of `lane` at event `index` (the last that began at or before it), or null.
  static const Span* span_at(const Lane& lane, uint32_t index) noexcept;

 private:
  Lane& worker(uint16_t w);
  size_t task_index(uint64_t task, const Session& s, uint32_t event);
  void open(Lane& lane, const Span& span);
  void close(Lane& lane, uint64_t time);

  std::vector<Lane> lanes_;
  size_t workers_ = 0;
  std::vector<size_t> task_lane_of_;  // task id → lane index + 1 (0: none)
  void add_mark(const Mark& m);
  std::vector<Mark> marks_;
  std::vector<std::vector<uint32_t>> worker_marks_, task_marks_;  // lane_marks, by worker and by task lane
  std::vector<Flow> flows_;
  std::vector<std::vector<size_t>> open_flows_;  // per task lane: flows waiting for it to run
  std::vector<TaskStats> stats_;
  std::vector<uint64_t> ready_since_;  // per task lane
  std::vector<std::vector<uint64_t>> poll_stacks_;  // per worker: polls begun, innermost last
  std::vector<uint64_t> times_;
  // Events come in time order per worker, not overall: reach_[i] is the latest time of events
  // 0..i (it only grows), lag_ how far an event came before the latest one before it, flow_ns_
  // the longest wake-up: with them a time range maps to a range of events.
  std::vector<uint64_t> reach_;
  uint64_t lag_ = 0, flow_ns_ = 0;
  std::pair<size_t, size_t> events_in(double t0, double t1) const noexcept;
  uint64_t end_time_ = 0, now_ = 0;
  size_t read_ = 0, printed_read_ = 0;
  int last_phase_ = -1;
};

// --- drawing at a zoom ----------------------------------------------------------------------

// How time maps to pixels. The axis is either time itself, or the order of events (`order`: the
// recorded events' times, sorted), where each event takes the same width and idle stretches take
// none — a burst of 300 ns and a timer a millisecond later both get room. Positions along the
// axis are `u`: nanoseconds, or event numbers with fractions in between.
struct View {
  double u0 = 0;        // the axis position at the left edge
  double per_px = 1e3;  // axis units per pixel (zoom)
  double width_px = 1000;
  double min_px = 3;    // spans narrower than this merge
  double now = 0;       // where open spans end (the recording's latest time)
  const std::vector<uint64_t>* order = nullptr;  // event-order axis; null: time

  double u_of(double t) const noexcept;
  double t_of_u(double u) const noexcept;
  double x_of(double t) const noexcept { return (u_of(t) - u0) / per_px; }
  // Where event `index` (at time t) is: on the event-order axis, its own place among events at
  // the same time (u_of gives the first of them).
  double u_of_event(uint64_t index, double t) const noexcept;
  double t_of(double x) const noexcept { return t_of_u(u0 + x * per_px); }
  double t0() const noexcept { return t_of(0); }
  double t1() const noexcept { return t_of(width_px); }
};

// One thing to draw in a lane: a span, or a block of `count` merged spans.
struct LaneItem {
  double x0 = 0, x1 = 0;  // pixels from the view's left edge (may reach past it)
  uint32_t span = 0;      // the (first) span's index in the lane
  uint32_t count = 1;
  bool one_task = true;   // a merged block whose spans are all of one task (and kind)
};

// What to draw of `lane` in `view`, in order; merged blocks are at least min_px wide.
void layout_lane(const Lane& lane, const View& view, std::vector<LaneItem>& out);

// "12.5 µs", "3 ms", "1.25 s": a time for rulers and tooltips.
std::string format_duration(double ns);
// Ruler ticks for `view`: a step of 1, 2 or 5 × 10^k axis units giving at least `min_gap_px`
// between ticks (at least 1 on the event-order axis).
double tick_step(const View& view, double min_gap_px);

}  // namespace loopscope::ui
