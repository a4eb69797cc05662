// One run of a program, shared by the simulated runs (host.cpp) and the platform's real ones
// (host_native.cpp, host_browser.cpp): the VM and its main task, the settings as the schedulers
// take them, and the reports at the end. Internal to runtime/script.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "runtime/platform/driver.hpp"
#include "runtime/platform/sim/sim_world.hpp"
#include "runtime/sched/local_executor.hpp"
#include "runtime/sched/node_loop.hpp"
#include "runtime/sched/work_stealing.hpp"
#include "runtime/script/compiler.hpp"
#include "runtime/script/host.hpp"
#include "runtime/script/live_run.hpp"

namespace loopscope::script {

// Two workers unless told otherwise (tokio and go).
uint32_t worker_count(const RunOptions& o);
// "tokio workers=2 budget=128 seed=0" and so on: what a trace was recorded under.
std::string describe_settings(const RunOptions& o);
// The scheduling rules of the multi-worker profiles (spec 8.2, 8.3).
WorkStealingOptions stealing_options(const RunOptions& o, Trace* trace);
// The trace of a real run, when one is asked for (or a viewer watches it: it listens to it).
std::unique_ptr<Trace> make_trace(const Clock& clock, unsigned workers, const RunOptions& o);
// "deadlock: ..." and, per waiting task, what it waits on and who holds it, then the wait-for chain.
std::string deadlock_report(VM& vm);
// The same list under another headline (profile node's warning when the loop ran empty).
std::string waiting_report(VM& vm, const std::string& headline);

// One run of a program: the VM and its main task on a scheduler chosen by the caller.
class ProgramRun {
 public:
  ProgramRun(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r)
      : options_(options),
        live_out_(out, options.live.get(), vm_),
        out_(options.live ? live_out_ : out),
        r_(r),
        vm_(program, options.limits, out_) {
    if (options.live) vm_.set_cancel(&options.live->cancelled());
  }

  VM& vm() noexcept { return vm_; }
  Output& out() noexcept { return out_; }
  bool finished() const noexcept { return vm_.stopped() || main_->state != TaskObj::State::Running; }
  bool failed() const noexcept { return vm_.stopped() || main_->state == TaskObj::State::Failed; }
  uint64_t deadline_ns() const noexcept { return vm_.start_time() + options_.limits.time_limit_ms * kNsPerMs; }

  // Starts main on `s` at `now_ns`.
  void start(Scheduler& s, uint64_t now_ns, Trace* trace) {
    if (trace) {
      vm_.limit_trace(trace, options_.limits.max_trace_events);
      trace->set_label(describe_settings(options_));
      if (!options_.real) trace->set_one_thread();
    }
    vm_.set_profile(options_.profile);
    vm_.set_start_time(now_ns);
    main_ = vm_.create_main_task();
    main_->handle = s.spawn(VM::TaskFuture(&vm_, main_), "main");
    vm_.note_task_site(main_);
  }
  // A real run's viewer left: stop now (ProgramRun::report says so).
  bool cancelled() const noexcept { return options_.live && options_.live->cancelled().load(std::memory_order_relaxed); }
  void cancel() { vm_.stop_cancelled(); }
  // When a loop waiting for events should look at cancelled() again (a watched run: soon).
  uint64_t next_look_ns(uint64_t now) const noexcept { return options_.live ? now + 20 * kNsPerMs : UINT64_MAX; }
  void time_limit() {
    vm_.stop("limit reached: the program ran for more than " + std::to_string(options_.limits.time_limit_ms) +
             " ms; raise it with --time-limit");
  }
  // The exit status and messages, once the run ended (`deadlock`: nothing could ever run again);
  // the lints when asked for.
  void report(bool deadlock);

 private:
  const RunOptions& options_;
  LiveOutput live_out_;  // (when a viewer watches)
  Output& out_;
  RunResult& r_;
  VM vm_;
  TaskObj* main_ = nullptr;
};

// A simulated run that stops and goes on: run_source runs it to its end, a Session steps it.
// The results (exit status, messages, trace, lints) go to `r` when it ends.
class SimulatedRun {
 public:
  // `listener` sees the trace's events from the first one (main's spawn) on. `keep_trace` false:
  // the trace keeps only its latest event (a replay that only its listener watches).
  SimulatedRun(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r,
               Trace::Listener* listener = nullptr, bool keep_trace = true);
  ~SimulatedRun();
  SimulatedRun(const SimulatedRun&) = delete;
  SimulatedRun& operator=(const SimulatedRun&) = delete;

  // Runs until the program ends (true), or until a pause of the world (SimWorld::pause,
  // pause_at_wall) stops it first (false: advance again to go on).
  bool advance();
  bool ended() const noexcept { return ended_; }

  SimWorld& world() noexcept { return world_; }
  VM& vm() noexcept { return run_->vm(); }
  const Scheduler& scheduler() const noexcept;

 private:
  void shut_down();

  // Stops the program at its trace's event limit, at the event that reaches it: where the run
  // stops then does not depend on how it is stepped (VM::poll_task looks only where polls begin).
  class TraceLimit final : public Trace::Listener {
   public:
    TraceLimit(uint64_t max, Trace::Listener* next) : max_(max), next_(next) {}
    void on_event(const TraceEvent& e) override;
    VM* vm = nullptr;

   private:
    uint64_t seen_ = 0, max_;
    Trace::Listener* next_;
  };

  RunResult& r_;
  TraceLimit trace_limit_;
  SimWorld world_;
  std::unique_ptr<LocalExecutor> executor_;  // one of the three, per profile
  std::unique_ptr<NodeLoop> node_;
  std::unique_ptr<WorkStealingScheduler> stealing_;
  std::unique_ptr<SimWorkerPolicy> policy_;
  std::optional<ProgramRun> run_;
  bool ended_ = false;
  bool shut_down_ = false;
};

// Profile node in real time on `driver`.
void run_node(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r, Driver& driver);
// The program in real time on this platform's threads and reactor.
void run_real(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r);

}  // namespace loopscope::script
