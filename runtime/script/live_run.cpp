#include "runtime/script/live_run.hpp"

#include <chrono>

#include "runtime/script/handles.hpp"

namespace loopscope::script {

namespace {

// What a viewer keeps of a run's result: all but the trace (it has the events).
RunResult without_trace(const RunResult& r) {
  RunResult out;
  out.exit_status = r.exit_status;
  out.diagnostics = r.diagnostics;
  out.error = r.error;
  out.instructions = r.instructions;
  out.lints = r.lints;
  return out;
}

}  // namespace

bool LiveRun::take(std::vector<TraceEvent>& events, std::vector<Print>& prints) {
  std::lock_guard<std::mutex> g(mutex_);
  learn_names();
  for (TraceEvent e : events_) {
    e.time_ns -= std::min(e.time_ns, t0_);
    events.push_back(e);
  }
  events_.clear();
  for (Print& p : prints_) prints.push_back(std::move(p));
  prints_.clear();
  return ended_;
}

void LiveRun::wait(double max_ms) {
#ifdef __EMSCRIPTEN__
  (void)max_ms;  // the page's event loop runs the program: nothing can happen while this waits
#else
  std::unique_lock<std::mutex> g(mutex_);
  ended_cv_.wait_for(g, std::chrono::duration<double, std::milli>(max_ms), [this] { return ended_; });
#endif
}

RunResult LiveRun::result() const {
  std::lock_guard<std::mutex> g(mutex_);
  return without_trace(result_);
}

std::string LiveRun::task_name(uint64_t task) const {
  std::lock_guard<std::mutex> g(mutex_);
  auto it = names_.find(task);
  return it == names_.end() ? std::string() : it->second;
}

void LiveRun::attach(Trace* trace) {
  std::lock_guard<std::mutex> g(mutex_);
  trace_ = trace;
}

void LiveRun::on_event(const TraceEvent& e) {
  std::lock_guard<std::mutex> g(mutex_);
  t0_ = std::min(t0_, e.time_ns);
  events_.push_back(e);
  if (e.kind == EventKind::Spawn) spawned_.push_back(e.task);
  ++seen_;
}

void LiveRun::printed(bool err, std::string_view text, uint64_t task, uint32_t line) {
  std::lock_guard<std::mutex> g(mutex_);
  prints_.push_back({seen_, task, line, err, std::string(text)});
}

void LiveRun::finished(const RunResult& r) {
  {
    std::lock_guard<std::mutex> g(mutex_);
    learn_names();
    trace_ = nullptr;  // (it goes with the run)
    result_ = without_trace(r);
    ended_ = true;
  }
  ended_cv_.notify_all();
}

void LiveRun::learn_names() {
  if (trace_)
    for (uint64_t task : spawned_) names_.try_emplace(task, trace_->task_name(task));
  spawned_.clear();
}

void LiveOutput::out(std::string_view text) {
  out_.out(text);
  tell(false, text);
}

void LiveOutput::err(std::string_view text) {
  out_.err(text);
  tell(true, text);
}

void LiveOutput::tell(bool err, std::string_view text) {
  const TaskObj* t = vm_.current_task();
  live_->printed(err, text, t ? t->handle.id() : 0, vm_.running_line());
}

}  // namespace loopscope::script
