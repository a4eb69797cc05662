#include "ui/model/timeline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "runtime/task/header.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope::ui {

namespace {

constexpr uint8_t kSourceUnknown = 255;

bool is_end(PollResult r) {
  return r == PollResult::Completed || r == PollResult::Failed || r == PollResult::Aborted;
}

int latency_bucket(uint64_t ns) {
  uint64_t limit = 1'000;
  for (int b = 0; b < 5; ++b, limit *= 10)
    if (ns < limit) return b;
  return 5;
}

}  // namespace

void Timeline::clear() { *this = Timeline(); }

std::pair<size_t, size_t> Timeline::events_in(double t0, double t1) const noexcept {
  // Before `first` every event is at most reach < t0; from `end` on every one is at least
  // reach - lag > t1.
  auto first = std::lower_bound(reach_.begin(), reach_.end(), t0, [](uint64_t r, double t) { return static_cast<double>(r) < t; });
  auto end = std::upper_bound(reach_.begin(), reach_.end(), t1 + static_cast<double>(lag_),
                              [](double t, uint64_t r) { return t < static_cast<double>(r); });
  return {static_cast<size_t>(first - reach_.begin()), static_cast<size_t>(end - reach_.begin())};
}

const std::vector<uint32_t>& Timeline::lane_marks(size_t lane) const noexcept {
  static const std::vector<uint32_t> none;
  if (lane < workers_) return lane < worker_marks_.size() ? worker_marks_[lane] : none;
  return lane - workers_ < task_marks_.size() ? task_marks_[lane - workers_] : none;
}

// A print goes in its task's lane; the rest in their worker's (work from outside any worker:
// worker 0's).
void Timeline::add_mark(const Mark& m) {
  marks_.push_back(m);
  std::vector<uint32_t>* list = nullptr;
  if (const Lane* l = m.kind == MarkKind::Print && m.task ? task_lane(m.task) : nullptr)
    list = &task_marks_[static_cast<size_t>(l - lanes_.data()) - workers_];
  else if (m.worker < workers_)
    list = &worker_marks_[m.worker];
  if (!list) return;
  uint32_t k = static_cast<uint32_t>(marks_.size() - 1);
  auto later = [&](uint32_t a, uint32_t b) { return marks_[a].time < marks_[b].time; };
  if (list->empty() || !later(k, list->back())) list->push_back(k);
  else list->insert(std::upper_bound(list->begin(), list->end(), k, later), k);  // (rare: a little out of order)
}

std::pair<size_t, size_t> Timeline::flows_in(double t0, double t1) const noexcept {
  // A wake-up may begin before the view and end in it: as far back as the longest one.
  size_t first = events_in(t0 - static_cast<double>(flow_ns_), t1).first, end = events_in(t0, t1).second;
  auto at = [&](size_t event) {
    return static_cast<size_t>(std::lower_bound(flows_.begin(), flows_.end(), event, [](const Flow& f, size_t e) { return f.event < e; }) -
                               flows_.begin());
  };
  return {at(first), end >= reach_.size() ? flows_.size() : at(end)};
}

Lane& Timeline::worker(uint16_t w) {
  while (workers_ <= w) {
    Lane lane;
    lane.is_worker = true;
    lane.id = workers_;
    lane.name = "worker " + std::to_string(workers_);
    lanes_.insert(lanes_.begin() + static_cast<std::ptrdiff_t>(workers_), std::move(lane));
    ++workers_;
    for (size_t& l : task_lane_of_)
      if (l) ++l;
    poll_stacks_.emplace_back();
    worker_marks_.emplace_back();
  }
  return lanes_[w];
}

size_t Timeline::task_index(uint64_t task, const Session& s, uint32_t event) {
  if (task < task_lane_of_.size() && task_lane_of_[task]) return task_lane_of_[task] - 1;
  if (task >= task_lane_of_.size()) task_lane_of_.resize(task + 1, 0);
  Lane lane;
  lane.id = task;
  lane.name = s.task_name(task);
  if (lane.name.empty()) lane.name = "task " + std::to_string(task);
  lanes_.push_back(std::move(lane));
  task_lane_of_[task] = lanes_.size();
  size_t k = lanes_.size() - 1 - workers_;
  open_flows_.resize(k + 1);
  task_marks_.resize(k + 1);
  ready_since_.resize(k + 1, 0);
  TaskStats st;
  st.task = task;
  st.spawned_at_event = event;
  stats_.push_back(st);
  return lanes_.size() - 1;
}

const Lane* Timeline::task_lane(uint64_t task) const noexcept {
  if (task >= task_lane_of_.size() || !task_lane_of_[task]) return nullptr;
  return &lanes_[task_lane_of_[task] - 1];
}

void Timeline::open(Lane& lane, const Span& span) {
  Span s = span;
  if (!lane.spans.empty()) s.start = std::max(s.start, lane.spans.back().end);  // (clocks of workers differ)
  s.end = s.start;
  lane.spans.push_back(s);
  lane.open = true;
}

void Timeline::close(Lane& lane, uint64_t time) {
  if (!lane.open) return;
  Span& s = lane.spans.back();
  s.end = std::max(time, s.start);
  lane.open = false;
}

void Timeline::update(const Session& session) {
  const std::vector<TraceEvent>& events = session.events();
  const std::vector<Session::Note>& notes = session.notes();
  const std::vector<Session::Printed>& printed = session.printed();
  if (workers_ == 0 && session.workers() > 0) worker(static_cast<uint16_t>(session.workers() - 1));
  auto add_prints = [&](size_t upto) {
    for (; printed_read_ < printed.size() && printed[printed_read_].event <= upto; ++printed_read_) {
      const Session::Printed& p = printed[printed_read_];
      uint16_t w = 0;
      if (const Lane* l = task_lane(p.task); l && l->open && l->spans.back().kind == SpanKind::Running)
        w = l->spans.back().detail;
      add_mark({p.time_ns, static_cast<uint32_t>(p.event ? p.event - 1 : 0), p.task, w, MarkKind::Print, printed_read_});
    }
  };
  const size_t sorted = times_.size();
  for (; read_ < events.size(); ++read_) {
    add_prints(read_);
    times_.push_back(events[read_].time_ns);
    reach_.push_back(std::max(reach_.empty() ? 0 : reach_.back(), events[read_].time_ns));
    lag_ = std::max(lag_, reach_.back() - events[read_].time_ns);
    const TraceEvent& e = events[read_];
    const uint32_t i = static_cast<uint32_t>(read_);
    const uint64_t t = e.time_ns;
    end_time_ = std::max(end_time_, t);
    const bool on_worker = e.worker != Trace::kOutsideWorker;
    auto mark = [&](MarkKind kind, uint64_t arg = 0) {
      add_mark({t, i, e.task, static_cast<uint16_t>(on_worker ? e.worker : 0), kind, arg});
    };
    switch (e.kind) {
      case EventKind::Spawn: {
        size_t l = task_index(e.task, session, i);
        stats_[l - workers_].parent = e.a;
        open(lanes_[l], Span{t, t, e.task, i, 0, SpanKind::Ready, kSourceUnknown});
        ready_since_[l - workers_] = t;
        break;
      }
      case EventKind::Wake: {
        size_t l = task_index(e.task, session, i);
        Lane& lane = lanes_[l];
        if (lane.done) break;
        TaskStats& st = stats_[l - workers_];
        ++st.wakes;
        if (e.a == e.task) ++st.self_wakes;
        if (lane.open && lane.spans.back().kind == SpanKind::Waiting) {
          close(lane, t);
          open(lane, Span{t, t, e.task, i, 0, SpanKind::Ready, kSourceUnknown});
          ready_since_[l - workers_] = t;
        }
        if (e.a != e.task) {
          flows_.push_back({t, t, e.a, e.task, i, 0, static_cast<uint16_t>(on_worker ? e.worker : 0), 0});
          open_flows_[l - workers_].push_back(flows_.size() - 1);
        }
        break;
      }
      case EventKind::PollBegin: {
        size_t l = task_index(e.task, session, i);
        Lane& lane = lanes_[l];
        TaskStats& st = stats_[l - workers_];
        if (lane.open && lane.spans.back().kind == SpanKind::Ready) {
          lane.spans.back().detail = static_cast<uint8_t>(e.a);
          uint64_t waited = t > ready_since_[l - workers_] ? t - ready_since_[l - workers_] : 0;
          st.ready_ns += waited;
          st.max_latency_ns = std::max(st.max_latency_ns, waited);
          ++st.latency[latency_bucket(waited)];
        }
        close(lane, t);
        open(lane, Span{t, t, e.task, i, 0, SpanKind::Running, static_cast<uint8_t>(on_worker ? e.worker : 0)});
        ++st.polls;
        for (size_t f : open_flows_[l - workers_]) {
          flow_ns_ = std::max(flow_ns_, t > flows_[f].from_time ? t - flows_[f].from_time : 0);
          flows_[f].to_time = t;
          flows_[f].to_event = i;
          flows_[f].to_worker = on_worker ? e.worker : 0;
        }
        open_flows_[l - workers_].clear();
        if (on_worker) {
          Lane& w = worker(e.worker);
          close(w, t);
          open(w, Span{t, t, e.task, i, 0, SpanKind::Poll, 0});
          poll_stacks_[e.worker].push_back(e.task);
        }
        break;
      }
      case EventKind::PollEnd: {
        size_t l = task_index(e.task, session, i);
        Lane& lane = lanes_[l];
        if (lane.open && lane.spans.back().kind == SpanKind::Running)
          stats_[l - workers_].busy_ns += std::max(t, lane.spans.back().start) - lane.spans.back().start;
        close(lane, t);
        PollResult r = static_cast<PollResult>(e.a);
        if (r == PollResult::Pending) {
          const Session::Note& n = notes[i];
          open(lane, Span{t, t, e.task, i, n.about, SpanKind::Waiting, static_cast<uint8_t>(n.wait)});
        } else if (r == PollResult::Skipped) {
          // (nothing to do: it ran elsewhere or had ended; the lane goes on as it was told next)
        } else if (!is_end(r)) {
          open(lane, Span{t, t, e.task, i, 0, SpanKind::Ready, kSourceUnknown});
          ready_since_[l - workers_] = t;
        } else {
          lane.done = true;
        }
        if (on_worker) {
          Lane& w = worker(e.worker);
          close(w, t);
          auto& stack = poll_stacks_[e.worker];
          if (!stack.empty()) stack.pop_back();
          // Profile node nests polls (an async call runs inside its caller's): the caller goes on.
          if (!stack.empty()) open(w, Span{t, t, stack.back(), i, 0, SpanKind::Poll, 0});
        }
        break;
      }
      case EventKind::TaskComplete:
      case EventKind::TaskError:
      case EventKind::TaskAbort: {
        Lane& lane = lanes_[task_index(e.task, session, i)];
        close(lane, t);
        lane.done = true;
        break;
      }
      case EventKind::Park:
        if (on_worker) {
          Lane& w = worker(e.worker);
          close(w, t);
          open(w, Span{t, t, 0, i, 0, SpanKind::Parked, 0});
        }
        break;
      case EventKind::Unpark:
        if (on_worker) close(worker(e.worker), t);
        break;
      case EventKind::Callback:
      case EventKind::MicrotaskRun:
        if (on_worker && poll_stacks_.size() > e.worker && poll_stacks_[e.worker].empty()) {
          Lane& w = worker(e.worker);
          close(w, t);
          uint8_t source = static_cast<uint8_t>(e.kind == EventKind::Callback ? e.a : static_cast<uint64_t>(TaskSource::Microtask));
          open(w, Span{t, t, 0, i, 0, SpanKind::Callback, source});
        } else if (on_worker) {
          worker(e.worker);
        }
        if (e.kind == EventKind::Callback && static_cast<int>(e.a) != last_phase_) {
          last_phase_ = static_cast<int>(e.a);
          mark(MarkKind::Phase, e.a);
        }
        break;
      case EventKind::MicrotaskDrain:
        if (on_worker) {
          Lane& w = worker(e.worker);
          if (w.open && w.spans.back().kind == SpanKind::Callback) close(w, t);
        }
        break;
      case EventKind::Steal: mark(MarkKind::Steal, e.a); break;
      case EventKind::LifoHit: mark(MarkKind::LifoHit); break;
      case EventKind::BudgetExhausted: mark(MarkKind::Budget); break;
      case EventKind::Preempt: mark(MarkKind::Preempt); break;
      case EventKind::TimerFire: mark(MarkKind::TimerFire, e.a); break;
      case EventKind::IoReady: mark(MarkKind::IoReady, e.a); break;
      case EventKind::BlockingCall: mark(MarkKind::Blocking, e.b); break;
      case EventKind::Handoff: mark(MarkKind::Blocking, e.a * 1'000'000); break;
      default:
        if (on_worker) worker(e.worker);
        break;
    }
  }
  add_prints(events.size());
  now_ = session.time_ns();
  // Workers' clocks differ a little: the new times go in order among the old.
  if (!std::is_sorted(times_.begin() + static_cast<std::ptrdiff_t>(sorted), times_.end()))
    std::sort(times_.begin() + static_cast<std::ptrdiff_t>(sorted), times_.end());
  std::inplace_merge(times_.begin(), times_.begin() + static_cast<std::ptrdiff_t>(sorted), times_.end());
}

const Span* Timeline::span_at(const Lane& lane, uint32_t index) noexcept {
  auto it = std::upper_bound(lane.spans.begin(), lane.spans.end(), index,
                             [](uint32_t i, const Span& s) { return i < s.first_event; });
  if (it == lane.spans.begin()) return nullptr;
  return &*(it - 1);
}

// --- drawing at a zoom ----------------------------------------------------------------------

double View::u_of(double t) const noexcept {
  if (!order || order->empty()) return t;
  const std::vector<uint64_t>& v = *order;
  size_t i = static_cast<size_t>(std::lower_bound(v.begin(), v.end(), t, [](uint64_t a, double b) { return static_cast<double>(a) < b; }) -
                                 v.begin());
  if (i == 0) return t < static_cast<double>(v[0]) ? -1.0 + std::max(0.0, 1.0 - (static_cast<double>(v[0]) - t) / 1e6) : 0.0;
  if (i == v.size()) return static_cast<double>(v.size() - 1) + std::min(1.0, (t - static_cast<double>(v.back())) / 1e6);
  double a = static_cast<double>(v[i - 1]), b = static_cast<double>(v[i]);
  return static_cast<double>(i - 1) + (b > a ? (t - a) / (b - a) : 1.0);
}

double View::u_of_event(uint64_t index, double t) const noexcept {
  // (events in time order up to here: the index is the place; else the time's first place)
  if (order && index < order->size() && static_cast<double>((*order)[index]) == t) return static_cast<double>(index);
  return u_of(t);
}

double View::t_of_u(double u) const noexcept {
  if (!order || order->empty()) return u;
  const std::vector<uint64_t>& v = *order;
  if (u <= 0) return static_cast<double>(v[0]) + u * 1e6;
  size_t i = static_cast<size_t>(u);
  if (i + 1 >= v.size()) return static_cast<double>(v.back()) + (u - static_cast<double>(v.size() - 1)) * 1e6;
  double f = u - static_cast<double>(i);
  return static_cast<double>(v[i]) + f * static_cast<double>(v[i + 1] - v[i]);
}

void layout_lane(const Lane& lane, const View& view, std::vector<LaneItem>& out) {
  const std::vector<Span>& spans = lane.spans;
  if (spans.empty()) return;
  const double min_px = view.min_px, now = view.now;
  auto end_of = [&](size_t k) {
    double e = static_cast<double>(spans[k].end);
    return lane.open && k + 1 == spans.size() ? std::max(e, now) : e;
  };
  auto x_start = [&](size_t k) { return view.x_of(static_cast<double>(spans[k].start)); };
  auto x_end = [&](size_t k) { return view.x_of(end_of(k)); };
  // The first span (from `from`) that ends at or after time t: ends are ordered, spans do not overlap.
  auto first_ending_after = [&](size_t from, double t) {
    size_t lo = from, hi = spans.size();
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (end_of(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  size_t i = first_ending_after(0, view.t0());
  // Start a merged group where it would start anyway: back up over narrow spans close together,
  // so that panning does not regroup them (a bounded walk; a longer run starts where it is).
  for (int back = 0; back < 256 && i > 0 && i < spans.size(); ++back) {
    size_t p = i - 1;
    if (x_end(p) - x_start(p) >= min_px || x_start(i) - x_end(p) >= min_px) break;
    i = p;
  }
  while (i < spans.size() && x_start(i) < view.width_px) {
    double x0 = x_start(i), x1 = x_end(i);
    if (x1 - x0 >= min_px) {
      out.push_back({x0, x1, static_cast<uint32_t>(i), 1, true});
      ++i;
      continue;
    }
    // Merge: jump to the first span ending at least min_px right of the group's end, while the
    // gap before it is narrower than min_px.
    size_t first = i;
    double group_x1 = x1;
    bool one_task = true;
    for (;;) {
      size_t j = first_ending_after(i + 1, view.t_of(group_x1 + min_px));
      // Spans (i, j) end within min_px of the group: they join it.
      if (j > i + 1) {
        group_x1 = std::max(group_x1, x_end(j - 1));
        for (size_t k = i + 1; k < j && one_task; ++k)  // (only ever a few per pixel)
          one_task = spans[k].task == spans[first].task && spans[k].kind == spans[first].kind;
      }
      if (j >= spans.size()) {
        i = spans.size();
        break;
      }
      if (x_start(j) - group_x1 >= min_px || x_end(j) - x_start(j) >= min_px) {
        i = j;
        break;
      }
      group_x1 = std::max(group_x1, x_end(j));
      one_task = one_task && spans[j].task == spans[first].task && spans[j].kind == spans[first].kind;
      i = j;
    }
    if (group_x1 - x0 < min_px) group_x1 = x0 + min_px;
    uint32_t count = static_cast<uint32_t>(i - first);
    out.push_back({x0, group_x1, static_cast<uint32_t>(first), count, one_task});
  }
}

std::string format_duration(double ns) {
  char buf[32];
  double a = std::fabs(ns);
  auto fmt = [&](double v, const char* unit) {
    if (v >= 100 || v == std::floor(v)) std::snprintf(buf, sizeof buf, "%.0f %s", v, unit);
    else if (v >= 10) std::snprintf(buf, sizeof buf, "%.1f %s", v, unit);
    else std::snprintf(buf, sizeof buf, "%.2f %s", v, unit);
  };
  if (a < 1e3) fmt(ns, "ns");
  else if (a < 1e6) fmt(ns / 1e3, "µs");
  else if (a < 1e9) fmt(ns / 1e6, "ms");
  else fmt(ns / 1e9, "s");
  return buf;
}

double tick_step(const View& view, double min_gap_px) {
  double min_units = min_gap_px * view.per_px;
  double step = 1;
  while (step < min_units) {
    if (step * 2 >= min_units) return step * 2;
    if (step * 5 >= min_units) return step * 5;
    step *= 10;
  }
  return step;
}

}  // namespace loopscope::ui
