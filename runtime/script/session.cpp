#include "runtime/script/session.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <sstream>
#include <unordered_map>

#include "runtime/script/format.hpp"
#include "runtime/script/handles.hpp"
#include "runtime/script/live_run.hpp"
#include "runtime/script/program_run.hpp"
#include "runtime/trace/export.hpp"
#include "runtime/util/json_string.hpp"

namespace loopscope::script {

// Output stamped with the number of events recorded when it was printed, and who printed it.
class SessionOutput final : public Output {
 public:
  explicit SessionOutput(const std::vector<TraceEvent>* events) : events_(events) {}
  void attach(SimulatedRun* run) { run_ = run; }
  void out(std::string_view text) override { add(false, text); }
  void err(std::string_view text) override { add(true, text); }
  std::string upto(uint64_t position, bool err) const {
    std::string s;
    for (const Session::Printed& c : printed)
      if (c.event <= position && c.err == err) s += c.text;
    return s;
  }
  std::vector<Session::Printed> printed;

 private:
  void add(bool err, std::string_view text) {
    if (!events_) return;
    uint64_t task = 0, time = 0;
    uint32_t line = 0;
    if (run_) {
      VM& vm = run_->vm();
      if (const TaskObj* t = vm.current_task()) task = t->handle.id();
      line = vm.running_line();
      time = run_->world().now();
    }
    printed.push_back({events_->size(), task, time, line, err, std::string(text)});
  }
  const std::vector<TraceEvent>* events_;  // null: a replay, whose output is not kept
  SimulatedRun* run_ = nullptr;
};

namespace {

std::string ids_json(const std::vector<uint64_t>& ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s + "]";
}

// "sleep(100)", "channel receive", "io(\"disk\", 5)"...: the future a waiting task awaits.
std::string waits_on(const TaskObj* t) {
  if (t->state != TaskObj::State::Running || !t->fiber || t->fiber->state != Fiber::State::Awaiting) return "";
  if (!is_obj(t->fiber->awaiting, ObjType::Future)) return "";
  return as<FutureObj>(t->fiber->awaiting)->describe();
}

// What a waiting task waits on, for the viewer: "sleep(100)", "a channel receive on channel 2",
// "the end of task 'worker' (id 3)"..., and its kind (the colour of its lane).
std::pair<std::string, Session::Wait> describe_wait(const VM& vm, const TaskObj* t) {
  if (t->state != TaskObj::State::Running || !t->fiber || t->fiber->state != Fiber::State::Awaiting ||
      !is_obj(t->fiber->awaiting, ObjType::Future))
    return {"", Session::Wait::None};
  const FutureObj* f = as<FutureObj>(t->fiber->awaiting);
  std::string what = f->describe();
  const Obj* on = f->waits_on();
  using W = Session::Wait;
  if (on) {
    switch (on->type) {
      case ObjType::Channel:
        return {what + " on channel " + std::to_string(static_cast<const ChannelObj*>(on)->channel.id()), W::Channel};
      case ObjType::Mutex:
        return {what + " (mutex " + std::to_string(static_cast<const MutexObj*>(on)->semaphore.id()) + ")", W::Lock};
      case ObjType::Task: return {"the end of " + vm.describe_task(static_cast<const TaskObj*>(on)), W::Join};
      case ObjType::Promise: return {what, W::Promise};
      default: return {what, W::Other};
    }
  }
  auto starts = [&](const char* p) { return what.rfind(p, 0) == 0; };
  if (starts("sleep(") || starts("timeout(") || starts("set_timeout(") || starts("set_interval(")) return {what, W::Sleep};
  if (starts("io(") || starts("fetch(")) return {what, W::Io};
  if (starts("yield_now")) return {what, W::Yield};
  return {what, W::Other};
}

std::string task_state(const TaskObj* t) {
  if (t->state != TaskObj::State::Running) return "ended";
  if (!t->fiber) return "not started";
  switch (t->fiber->state) {
    case Fiber::State::Awaiting: return "waiting";
    default: return "runnable";
  }
}

// The moment right after `e`: the scheduler's queues, the live tasks, channels and mutexes.
Snapshot describe_moment(SimulatedRun& run, uint64_t index, const TraceEvent& e) {
  Snapshot snap;
  snap.event = index;
  snap.time_ns = e.time_ns;
  run.scheduler().describe_queues(snap.queues);
  VM& vm = run.vm();
  std::vector<const TaskObj*> tasks;
  vm.for_each_live_task([&](const TaskObj* t) { tasks.push_back(t); });
  std::sort(tasks.begin(), tasks.end(), [](const TaskObj* a, const TaskObj* b) { return a->id < b->id; });
  // What each waiting task waits on; the virtual devices and fetches are the reactor's interests.
  for (const TaskObj* t : tasks) {
    std::string on = waits_on(t);
    if (on.rfind("io(", 0) == 0 || on.rfind("fetch(", 0) == 0) snap.reactor.push_back({t->handle.id(), on});
    uint32_t line = t->fiber && t->fiber->state == Fiber::State::Awaiting ? fiber_line(*t->fiber) : 0;
    snap.tasks.push_back({t->handle.id(), t->name, task_state(t), std::move(on), vm.describe_task(t), line});
  }
  std::vector<const ChannelObj*> channels;
  std::vector<const MutexObj*> mutexes;
  vm.heap().for_each_watched([&](const Obj* obj) {
    if (obj->type == ObjType::Channel) channels.push_back(static_cast<const ChannelObj*>(obj));
    if (obj->type == ObjType::Mutex) mutexes.push_back(static_cast<const MutexObj*>(obj));
  });
  std::sort(channels.begin(), channels.end(), [](auto* a, auto* b) { return a->channel.id() < b->channel.id(); });
  std::sort(mutexes.begin(), mutexes.end(), [](auto* a, auto* b) { return a->semaphore.id() < b->semaphore.id(); });
  for (const ChannelObj* c : channels) {
    const Channel<Value>& ch = c->channel;
    Snapshot::Chan out{ch.id(), ch.capacity() == SIZE_MAX ? std::nullopt : std::optional<size_t>(ch.capacity()), ch.is_closed(), {}, {}, {}};
    ch.for_each_buffered([&](const Value& v) { out.buffered.push_back(to_display_string(v)); });
    ch.for_each_waiter([&](uint64_t task, bool sender) { (sender ? out.senders : out.receivers).push_back(task); });
    snap.channels.push_back(std::move(out));
  }
  for (const MutexObj* m : mutexes) {
    Snapshot::Mutex out{m->semaphore.id(), m->owner ? m->owner->handle.id() : 0, m->owner_line, {}};
    m->semaphore.for_each_waiter([&](uint64_t task) { out.waiters.push_back(task); });
    snap.mutexes.push_back(std::move(out));
  }
  return snap;
}

uint64_t steady_ns() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

}  // namespace

std::string to_json(const Snapshot& snap) {
  const QueueState& q = snap.queues;
  std::ostringstream o;
  o << "{\"event\":" << snap.event << ",\"timeNs\":" << snap.time_ns << ",\"workers\":[";
  for (size_t i = 0; i < q.workers.size(); ++i) {
    const QueueState::Worker& w = q.workers[i];
    o << (i ? "," : "") << "{\"local\":" << ids_json(w.local) << ",\"lifo\":" << w.lifo << ",\"held\":" << w.held
      << ",\"deferred\":" << ids_json(w.deferred) << ",\"microtasks\":" << w.microtasks << "}";
  }
  o << "],\"inject\":" << ids_json(q.inject) << ",\"microtasks\":" << ids_json(q.microtasks)
    << ",\"nextTicks\":" << ids_json(q.next_ticks) << ",\"timers\":[";
  for (size_t i = 0; i < q.timers.size(); ++i)
    o << (i ? "," : "") << "{\"atMs\":" << q.timers[i].deadline_ms << ",\"task\":" << q.timers[i].task << "}";
  o << "],\"loopTimers\":" << ids_json(q.loop_timers) << ",\"immediates\":" << q.immediates << ",\"io\":" << q.io
    << ",\"blockingJobs\":" << q.blocking_jobs << ",\"tasks\":[";
  for (size_t i = 0; i < snap.tasks.size(); ++i) {
    const Snapshot::Task& t = snap.tasks[i];
    o << (i ? "," : "") << "{\"id\":" << t.id << ",\"name\":" << json_quote(t.name) << ",\"state\":" << json_quote(t.state)
      << ",\"waitsOn\":" << (t.waits_on.empty() ? "null" : json_quote(t.waits_on)) << ",\"line\":" << t.line
      << ",\"about\":" << json_quote(t.about) << "}";
  }
  o << "],\"reactor\":[";
  for (size_t i = 0; i < snap.reactor.size(); ++i)
    o << (i ? "," : "") << "{\"task\":" << snap.reactor[i].task << ",\"interest\":" << json_quote(snap.reactor[i].interest) << "}";
  o << "],\"channels\":[";
  for (size_t i = 0; i < snap.channels.size(); ++i) {
    const Snapshot::Chan& c = snap.channels[i];
    o << (i ? "," : "") << "{\"id\":" << c.id << ",\"capacity\":";
    if (c.capacity) o << *c.capacity; else o << "null";
    o << ",\"closed\":" << (c.closed ? "true" : "false") << ",\"buffered\":[";
    for (size_t k = 0; k < c.buffered.size(); ++k) o << (k ? "," : "") << json_quote(c.buffered[k]);
    o << "],\"senders\":" << ids_json(c.senders) << ",\"receivers\":" << ids_json(c.receivers) << "}";
  }
  o << "],\"mutexes\":[";
  for (size_t i = 0; i < snap.mutexes.size(); ++i) {
    const Snapshot::Mutex& m = snap.mutexes[i];
    o << (i ? "," : "") << "{\"id\":" << m.id << ",\"holder\":" << m.holder << ",\"lockedAtLine\":" << m.locked_at_line
      << ",\"waiters\":" << ids_json(m.waiters) << "}";
  }
  o << "]}";
  return o.str();
}

// Watches a run's events: keeps them (the session's own run), pauses the run at a count or a
// kind of event, and describes the moment right after a given event.
class Session::Recorder final : public Trace::Listener {
 public:
  // Keeps the events and their notes (the session's own run), or neither (a replay).
  Recorder(std::vector<TraceEvent>* keep, Session* notes) : keep_(keep), notes_(notes) {}
  void attach(SimulatedRun* run) {
    run_ = run;
    if (pending_) capture(pending_event_);
  }
  void on_event(const TraceEvent& e) override {
    uint64_t index = seen_++;
    if (keep_) keep_->push_back(e);
    if (notes_) notes_->notes_.push_back(note(e));
    if (keep_ && e.kind == EventKind::PollBegin) open_polls[e.worker] = {e.task, e.time_ns};
    if (keep_ && e.kind == EventKind::PollEnd) open_polls.erase(e.worker);
    if (run_ && (index + 1 == pause_after_ || e.kind == pause_on_)) run_->world().pause();
    if (backlog && index >= backlog_from_ && index < snapshot_at_ && run_) backlog->push_back(describe(index, e));
    if (index == snapshot_at_) {
      snapshot_at_ = UINT64_MAX;
      pending_event_ = e;
      pending_index_ = index;
      if (run_) capture(e);
      else pending_ = true;
    }
  }
  uint64_t seen() const noexcept { return seen_; }
  // Polls begun and not ended, per worker: {task, when it began}.
  std::unordered_map<uint16_t, std::pair<uint64_t, uint64_t>> open_polls;
  uint64_t pause_after_ = UINT64_MAX;  // pause once this many events were seen
  EventKind pause_on_ = EventKind::Count;
  uint64_t snapshot_at_ = UINT64_MAX;
  std::optional<Snapshot> snapshot;
  // Snapshots of the events from backlog_from_ up to snapshot_at_ (the moments a viewer stepping
  // back visits next), when set.
  std::deque<Snapshot>* backlog = nullptr;
  uint64_t backlog_from_ = UINT64_MAX;

 private:
  Note note(const TraceEvent& e) {
    Note n;
    if (!run_) return n;
    VM& vm = run_->vm();
    n.line = vm.running_line();
    const TaskObj* t = vm.last_polled();
    if (e.kind != EventKind::PollEnd || !t || t->handle.id() != e.task) return n;
    std::string about;
    if (static_cast<PollResult>(e.a) == PollResult::Pending) {
      if (!n.line && t->fiber) n.line = fiber_line(*t->fiber);
      std::tie(about, n.wait) = describe_wait(vm, t);
    } else if (t->state == TaskObj::State::Failed) {  // (the runtime saw its poll complete)
      n.failed = true;
      about = error_text(t->result);
    }
    if (!about.empty()) {
      auto [it, added] = text_ids_.try_emplace(about, static_cast<uint32_t>(notes_->notes_text_.size()));
      if (added) notes_->notes_text_.push_back(about);
      n.about = it->second;
    }
    return n;
  }
  void capture(const TraceEvent& e) {
    pending_ = false;
    snapshot = describe(pending_index_, e);
    run_->world().pause();
  }
  Snapshot describe(uint64_t index, const TraceEvent& e) {
    uint64_t t0 = steady_ns();
    Snapshot s = describe_moment(*run_, index, e);
    describe_ns = steady_ns() - t0;
    return s;
  }

 public:
  uint64_t describe_ns = 0;  // what describing the last moment took

 private:
  std::vector<TraceEvent>* keep_;
  Session* notes_;
  std::unordered_map<std::string, uint32_t> text_ids_;
  SimulatedRun* run_ = nullptr;
  uint64_t seen_ = 0;
  bool pending_ = false;  // the event came while the run was being made
  TraceEvent pending_event_{};
  uint64_t pending_index_ = 0;
};

struct Session::Run {
  Trace::ObjectIds ids;
  RunResult replay_result;  // a replay's; the session's own run reports to the session
  std::unique_ptr<SimulatedRun> sim;
};

Session::Session(std::string source_text, RunOptions options)
    : source_(std::make_shared<Source>("program.coro", std::move(source_text))), options_(std::move(options)) {
  options_.trace = true;
  program_ = std::make_unique<CompiledProgram>(compile(source_, constants_, result_.diagnostics));
  if (!program_->main) {
    result_.exit_status = kExitCompile;
    return;
  }
  out_ = std::make_unique<SessionOutput>(&events_);
  if (options_.real) {
    live_ = start_live_run(source_, options_);
    return;
  }
  recorder_ = std::make_unique<Recorder>(&events_, this);
  run_ = start_run(recorder_.get(), out_.get(), &result_);
}

// A replay of the run, paused after `seen()` events: it can describe any later moment.
struct Session::Replay {
  std::unique_ptr<Recorder> recorder;
  std::unique_ptr<SessionOutput> out;
  std::unique_ptr<Run> run;
  uint64_t target = 0;  // a checkpoint being built: where it goes (0: it is there, or in use)
  uint64_t seen() const noexcept { return recorder->seen(); }
  ~Replay() {
    if (!run) return;
    Trace::ObjectIds::Use use(run->ids);
    run.reset();
  }
};

std::unique_ptr<Session::Replay> Session::start_replay(uint64_t snapshot_at) {
  auto r = std::make_unique<Replay>();
  r->recorder = std::make_unique<Recorder>(nullptr, nullptr);
  r->recorder->snapshot_at_ = snapshot_at;  // (event 0 comes while the run is made)
  r->out = std::make_unique<SessionOutput>(nullptr);
  r->run = start_run(r->recorder.get(), r->out.get(), nullptr);
  r->recorder->snapshot_at_ = UINT64_MAX;
  return r;
}

Session::~Session() {
  if (live_) {
    live_->cancel();  // it stops at its next instruction or look: usually at once
    live_->wait(200);  // (else it goes on by itself: a task blocked in block(ms), say)
  }
  replays_.clear();
  if (run_) {
    Trace::ObjectIds::Use use(run_->ids);
    run_.reset();
  }
}

std::unique_ptr<Session::Run> Session::start_run(Recorder* recorder, Output* out, RunResult* result) {
  auto run = std::make_unique<Run>();
  Trace::ObjectIds::Use use(run->ids);
  // A replay (no result of its own to report) keeps no trace: the session has the events.
  run->sim = std::make_unique<SimulatedRun>(*program_, options_, *out, result ? *result : run->replay_result, recorder, result != nullptr);
  recorder->attach(run->sim.get());
  if (out == out_.get()) out_->attach(run->sim.get());
  return run;
}

bool Session::ended() const noexcept { return live_ ? live_ended_ : !run_ || run_->sim->ended(); }

// What a real run did since the last look (waiting up to `wait_ms` for its end, natively).
uint64_t Session::take_live(double wait_ms) {
  if (!live_ended_) {
    if (wait_ms > 0) live_->wait(wait_ms);
    std::vector<LiveRun::Print> prints;
    live_ended_ = live_->take(events_, prints);
    notes_.resize(events_.size());
    for (LiveRun::Print& p : prints) {
      uint64_t at = std::min<uint64_t>(p.event, events_.size());
      uint64_t time = at ? events_[at - 1].time_ns : 0;
      out_->printed.push_back({at, p.task, time, p.line, p.err, std::move(p.text)});
    }
    if (live_ended_) result_ = live_->result();
  }
  return moved_to_end();
}

uint64_t Session::advance(Recorder& recorder, Run& run) {
  Trace::ObjectIds::Use use(run.ids);
  run.sim->advance();
  run.sim->world().resume();
  recorder.pause_after_ = UINT64_MAX;
  recorder.pause_on_ = EventKind::Count;
  return recorder.seen();
}

uint64_t Session::moved_to_end() {
  position_ = events_.size();
  recount();
  return position_;
}

uint64_t Session::step(uint64_t events) {
  if (live_) return take_live(0);
  if (ended()) return moved_to_end();
  recorder_->pause_after_ = events_.size() + std::max<uint64_t>(events, 1);
  advance(*recorder_, *run_);
  return moved_to_end();
}

uint64_t Session::step(uint64_t events, double max_ms) {
  if (live_) return take_live(0);
  if (ended()) return moved_to_end();
  run_->sim->world().pause_at_wall(steady_ns() + static_cast<uint64_t>(std::max(max_ms, 0.0) * 1e6));
  return step(events);
}

uint64_t Session::step_poll() {
  if (live_) return take_live(0);
  if (ended()) return moved_to_end();
  recorder_->pause_on_ = EventKind::PollEnd;
  advance(*recorder_, *run_);
  return moved_to_end();
}

uint64_t Session::run_for(double ms) {
  if (live_) return take_live(0);
  if (ended()) return moved_to_end();
  run_->sim->world().pause_at_wall(steady_ns() + static_cast<uint64_t>(std::max(ms, 0.0) * 1e6));
  advance(*recorder_, *run_);
  return moved_to_end();
}

uint64_t Session::run_to_end() {
  if (live_) {
    take_live(100);
#ifndef __EMSCRIPTEN__  // (in the page its event loop runs it: it cannot end while this waits)
    while (!live_ended_) take_live(100);
#endif
    return position_;
  }
  if (!ended()) advance(*recorder_, *run_);
  return moved_to_end();
}

void Session::seek(uint64_t event) {
  if (event > events_.size() && !ended()) step(event - events_.size());
  position_ = std::min<uint64_t>(event, events_.size());
  recount();
}

void Session::recount() {
  if (position_ < counted_) {
    counters_.fill(0);
    counted_ = 0;
  }
  for (; counted_ < position_; ++counted_) counters_[static_cast<size_t>(events_[counted_].kind)] += 1;
}

const std::vector<Session::Printed>& Session::printed() const noexcept {
  static const std::vector<Printed> none;
  return out_ ? out_->printed : none;
}

uint64_t Session::time_ns() const noexcept {
  uint64_t last = events_.empty() ? 0 : events_.back().time_ns;
  if (!run_ || run_->sim->ended()) return last;
  return std::max(last, run_->sim->world().now());
}

uint32_t Session::workers() const noexcept {
  if (live_) return options_.profile == Profile::Tokio || options_.profile == Profile::Go ? worker_count(options_) : 1;
  return result_.trace ? result_.trace->workers() : 0;
}

std::string Session::task_name(uint64_t task) const {
  if (live_) return live_->task_name(task);
  return result_.trace ? result_.trace->task_name(task) : std::string();
}

std::string Session::output() const { return out_ ? out_->upto(position_, false) : std::string(); }
std::string Session::errors() const { return out_ ? out_->upto(position_, true) : std::string(); }

std::optional<Snapshot> Session::snapshot(uint64_t event, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<Snapshot> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (live_) return fail("a real run has no snapshots: it cannot be replayed (the queues of a moment are shown for simulated runs)");
  if (!run_) return fail("the program did not compile: its run has no events");
  if (event >= events_.size()) {  // ahead: the session's own run goes there
    recorder_->snapshot_at_ = event;
    recorder_->snapshot.reset();
    while (events_.size() <= event && !ended()) step(event + 1 - events_.size());
    recorder_->snapshot_at_ = UINT64_MAX;
    if (!recorder_->snapshot)
      return fail("event " + std::to_string(event) + " is past the end of the run (its events are 0 to " +
                  std::to_string(events_.size() - 1) + ")");
    return recorder_->snapshot;
  }
  // The past: a moment a viewer stepping back visits, already described; or a replay of the same
  // run, from the nearest one paused before it (docs/design.md: time travel by replay).
  if (!recent_.empty() && event >= recent_.front().event && event <= recent_.back().event)
    return recent_[event - recent_.front().event];
  Replay* from = nullptr;
  for (auto& r : replays_)
    if (r->seen() <= event && (!from || r->seen() > from->seen())) from = r.get();
  if (!from) {
    if (replays_.size() >= kCheckpoints) drop_crowded_replay(UINT64_MAX);
    replays_.push_back(start_replay(event));
    from = replays_.back().get();
  }
  from->target = 0;
  Recorder& rec = *from->recorder;
  std::deque<Snapshot> backlog;
  if (!rec.snapshot) {  // (else event 0, taken as the replay was made)
    // The moments just before it, too, while describing them is cheap: a step back is then free.
    uint64_t n = std::clamp<uint64_t>(kBacklogNs / std::max<uint64_t>(describe_ns_, 1), 1, kBacklogMax);
    rec.backlog = &backlog;
    rec.backlog_from_ = event >= n ? event - n + 1 : 0;
    rec.snapshot_at_ = event;
    while (!rec.snapshot && !from->run->sim->ended()) advance(rec, *from->run);
    rec.backlog = nullptr;
    rec.backlog_from_ = UINT64_MAX;
    rec.snapshot_at_ = UINT64_MAX;
    describe_ns_ = rec.describe_ns;
  }
  std::optional<Snapshot> snapshot = std::move(rec.snapshot);
  rec.snapshot.reset();
  if (from->run->sim->ended()) std::erase_if(replays_, [&](const auto& r) { return r.get() == from; });
  // A replay is the same run (tests/script/test_stepping.cpp): it always reaches the event.
  if (!snapshot) return fail("the replay of the run ended before event " + std::to_string(event) + " (a bug: please report it)");
  if (!backlog.empty() || recent_.empty() || recent_.back().event + 1 != event) recent_ = std::move(backlog);
  recent_.push_back(*snapshot);
  while (recent_.size() > kBacklogMax) recent_.pop_front();
  return snapshot;
}

// Drops the replay whose neighbours are closest, when they are closer than `than` events.
bool Session::drop_crowded_replay(uint64_t than) {
  std::sort(replays_.begin(), replays_.end(), [](const auto& a, const auto& b) { return a->seen() < b->seen(); });
  size_t drop = 0;
  uint64_t closest = UINT64_MAX;
  for (size_t i = 0; i < replays_.size(); ++i) {
    uint64_t before = i ? replays_[i - 1]->seen() : 0;
    uint64_t after = i + 1 < replays_.size() ? replays_[i + 1]->seen() : events_.size();
    if (after - before < closest) closest = after - before, drop = i;
  }
  if (replays_.empty() || closest >= than) return false;
  replays_.erase(replays_.begin() + static_cast<ptrdiff_t>(drop));
  return true;
}

bool Session::prepare(double max_ms) {
  if (!run_ || live_ || events_.size() < 2 * kCheckpointMin) return false;
  uint64_t deadline = steady_ns() + static_cast<uint64_t>(std::max(max_ms, 0.0) * 1e6);
  // The checkpoints: replays paused along the run so that a seek to any event replays at most
  // `spacing` events. The largest gap between them (or from the start, or to the last event)
  // gets one more in its middle, built from the start; past kCheckpoints, the one whose
  // neighbours are closest goes.
  uint64_t spacing = std::max<uint64_t>(kCheckpointMin, events_.size() / kCheckpoints + 1);
  Replay* building = nullptr;
  for (auto& r : replays_)
    if (r->target) building = r.get();
  if (!building) {
    std::vector<uint64_t> at{0, events_.size()};
    for (auto& r : replays_) at.push_back(r->seen());
    std::sort(at.begin(), at.end());
    uint64_t gap_from = 0, gap = 0;
    for (size_t i = 1; i < at.size(); ++i)
      if (at[i] - at[i - 1] > gap) gap = at[i] - at[i - 1], gap_from = at[i - 1];
    if (gap <= spacing) return false;
    if (replays_.size() >= kCheckpoints && !drop_crowded_replay(gap)) return false;  // no better place for one
    replays_.push_back(start_replay(UINT64_MAX));
    building = replays_.back().get();
    building->target = gap_from + gap / 2;
  }
  while (building->seen() < building->target && !building->run->sim->ended() && steady_ns() < deadline) {
    building->run->sim->world().pause_at_wall(deadline);
    building->recorder->pause_after_ = building->target;
    advance(*building->recorder, *building->run);
  }
  if (building->run->sim->ended()) {
    std::erase_if(replays_, [&](const auto& r) { return r.get() == building; });
  } else if (building->seen() >= building->target) {
    building->target = 0;
  }
  return true;
}

std::optional<std::string> Session::snapshot_json(uint64_t event, std::string* error) {
  auto snap = snapshot(event, error);
  if (!snap) return std::nullopt;
  return to_json(*snap);
}

std::vector<Session::Starving> Session::starving(uint64_t min_ns) const {
  std::vector<Starving> out;
  if (!run_ || run_->sim->ended()) return out;
  uint64_t now = run_->sim->world().now();
  auto add = [&](uint64_t task, uint16_t worker, uint64_t since, const std::string& about) {
    if (now >= since + min_ns) out.push_back({task, worker, static_cast<double>(now - since) / 1e6, about});
  };
  std::vector<std::pair<uint16_t, std::pair<uint64_t, uint64_t>>> polls(recorder_->open_polls.begin(), recorder_->open_polls.end());
  std::sort(polls.begin(), polls.end());
  for (const auto& [worker, poll] : polls) add(poll.first, worker, poll.second, run_->sim->vm().describe_runtime_task(poll.first));
  for (const VM::HeldLoopCall& c : run_->sim->vm().held_loop_calls()) add(0, c.worker, c.since_ns, c.about);  // no task
  return out;
}

std::string Session::starving_json(uint64_t min_ns) const {
  std::string out = "[";
  for (const Starving& s : starving(min_ns)) {
    std::ostringstream o;
    o << (out.size() > 1 ? "," : "") << "{\"task\":" << s.task << ",\"worker\":" << s.worker << ",\"ms\":" << s.ms
      << ",\"about\":" << json_quote(s.about) << "}";
    out += o.str();
  }
  return out + "]";
}

std::string Session::chrome_trace() const {
  std::ostringstream o;
  if (result_.trace) write_chrome_trace(*result_.trace, o);
  return o.str();
}

std::string Session::jsonl_trace() const {
  std::ostringstream o;
  if (result_.trace) write_jsonl(*result_.trace, o);
  return o.str();
}

}  // namespace loopscope::script
