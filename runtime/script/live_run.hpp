// LiveRun: a real run that a viewer watches as it happens. The program runs on the platform's
// threads and reactor (natively: a thread of its own; host_native.cpp) or on the page's event
// loop (host_browser.cpp); its events and prints are collected on whichever thread makes them,
// and the viewer takes them on its own (a Session in real mode, a frame at a time).
//
//   auto live = start_live_run(source, options);   // returns at once
//   each frame: bool ended = live->take(events, prints);
//   live->cancel();                               // the viewer leaves: the run stops soon
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/script/host.hpp"

namespace loopscope::script {

class LiveRun final : public Trace::Listener {
 public:
  struct Print {
    uint64_t event;  // events before it
    uint64_t task;   // 0: none (a callback, or the run's own report)
    uint32_t line;
    bool err;
    std::string text;
  };

  // --- the viewer's side -----------------------------------------------------------------------
  // Appends what came since the last take (event times from the run's start); true once the run
  // has ended and everything was taken.
  bool take(std::vector<TraceEvent>& events, std::vector<Print>& prints);
  // Waits for the end, for at most `max_ms` (natively; in the page nothing can end while it waits).
  void wait(double max_ms);
  // The run should stop as soon as it can (its next instruction, or within ~20 ms of waiting).
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
  // Exit status, error and lints (no trace: the viewer has the events); once take() said ended.
  RunResult result() const;
  std::string task_name(uint64_t task) const;

  // --- the run's side (any thread) -------------------------------------------------------------
  const std::atomic<bool>& cancelled() const noexcept { return cancelled_; }
  void attach(Trace* trace);  // the run's trace: names of tasks, while it runs
  void on_event(const TraceEvent& e) override;
  void printed(bool err, std::string_view text, uint64_t task, uint32_t line);
  void finished(const RunResult& r);

 private:
  void learn_names();  // (with mutex_ held)
  mutable std::mutex mutex_;
  std::condition_variable ended_cv_;
  std::atomic<bool> cancelled_{false};
  std::vector<TraceEvent> events_;
  std::vector<Print> prints_;
  uint64_t seen_ = 0;          // events so far
  uint64_t t0_ = UINT64_MAX;   // the first event's clock
  std::vector<uint64_t> spawned_;  // tasks to name
  std::unordered_map<uint64_t, std::string> names_;
  Trace* trace_ = nullptr;
  bool ended_ = false;
  RunResult result_;
};

// Output that a live run's viewer sees too, with who printed it (ProgramRun's, when watched).
class LiveOutput final : public Output {
 public:
  LiveOutput(Output& out, LiveRun* live, const VM& vm) : out_(out), live_(live), vm_(vm) {}
  void out(std::string_view text) override;
  void err(std::string_view text) override;

 private:
  void tell(bool err, std::string_view text);  // the viewer, with who printed it and where
  Output& out_;
  LiveRun* live_;
  const VM& vm_;
};

// Starts `source` for real on this platform (options.live is set to the run returned).
std::shared_ptr<LiveRun> start_live_run(std::shared_ptr<const Source> source, RunOptions options);

}  // namespace loopscope::script
