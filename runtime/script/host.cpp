#include "runtime/script/host.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "runtime/platform/sim/stealing_policy.hpp"
#include "runtime/sched/local_executor.hpp"
#include "runtime/sched/node_loop.hpp"
#include "runtime/script/program_run.hpp"

namespace loopscope::script {

// ---- output ---------------------------------------------------------------------------------

void StreamOutput::out(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void StreamOutput::err(std::string_view text) {
  std::fflush(stdout);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

// ---- simulated runs ------------------------------------------------------------------------

namespace {

// Simulation of the single-threaded executor: one virtual worker.
class ExecutorPolicy final : public SimWorkerPolicy {
 public:
  explicit ExecutorPolicy(LocalExecutor& ex) : ex_(ex) {}
  bool step(uint32_t) override { return ex_.run_until_idle() > 0; }
  void park(uint32_t) override {}
  std::optional<uint64_t> wake_deadline(uint32_t) override {
    return ex_.timers().next_deadline();
  }
  bool unpark(uint32_t) override { return true; }

 private:
  LocalExecutor& ex_;
};

// Profile node: the loop runs until nothing is pending (or an error stops the program).
class NodePolicy final : public SimWorkerPolicy {
 public:
  explicit NodePolicy(NodeLoop& loop) : loop_(loop) {}
  bool step(uint32_t) override {
    loop_.run_until_wait();
    return loop_.held();  // else it returned because it has to wait: the world moves the clock on
  }
  void park(uint32_t) override {}
  std::optional<uint64_t> wake_deadline(uint32_t) override { return loop_.alive() ? loop_.wait_deadline() : std::nullopt; }
  bool unpark(uint32_t) override { return true; }

 private:
  NodeLoop& loop_;
};

uint32_t lanes_for(const RunOptions& o) {
  return o.profile == Profile::Tokio || o.profile == Profile::Go ? worker_count(o) : 1;
}

}  // namespace

SimulatedRun::SimulatedRun(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r,
                           Trace::Listener* listener, bool keep_trace)
    : r_(r), trace_limit_(options.limits.max_trace_events, listener), world_(lanes_for(options), options.costs) {
  if (options.trace || options.lints) {
    // Profile node's events keep its one worker's time, even when a blocking lane emits them.
    const Clock& clock = options.profile == Profile::Node ? world_.driver(0).clock() : world_.clock();
    r.trace = std::make_unique<Trace>(clock, world_.workers(), keep_trace ? options.limits.max_trace_events : 1);
    r.trace->set_listener(&trace_limit_);
  }
  Trace* trace = r.trace.get();
  run_.emplace(program, options, out, r);
  VM& vm = run_->vm();
  trace_limit_.vm = &vm;
  vm.attach_sim(&world_);
  if (options.profile == Profile::Node) {
    node_ = std::make_unique<NodeLoop>(world_.driver(0), trace);
    vm.set_node_loop(node_.get());
    node_->set_after_macrotask([&vm] { vm.check_unhandled_rejections(); });
    policy_ = std::make_unique<NodePolicy>(*node_);
    run_->start(*node_, world_.now(), trace);
  } else if (options.profile == Profile::Tokio || options.profile == Profile::Go) {
    stealing_ = std::make_unique<WorkStealingScheduler>(world_.drivers(), stealing_options(options, trace));
    policy_ = std::make_unique<StealingPolicy>(*stealing_);
    run_->start(*stealing_, world_.now(), trace);
  } else {
    executor_ = std::make_unique<LocalExecutor>(world_.driver(0), ExecutorOptions{.trace = trace});
    policy_ = std::make_unique<ExecutorPolicy>(*executor_);
    run_->start(*executor_, world_.now(), trace);
  }
}

void SimulatedRun::TraceLimit::on_event(const TraceEvent& e) {
  if (++seen_ == max_ && vm)
    vm->stop("limit reached: the trace has " + std::to_string(max_) + " events; raise it with --max-trace-events");
  if (next_) next_->on_event(e);
}

SimulatedRun::~SimulatedRun() {
  shut_down();
  run_.reset();  // before the schedulers: its objects leave their timer wheels
  if (r_.trace) r_.trace->detach_clock();
}

bool SimulatedRun::advance() {
  if (ended_) return true;
  // Profile node runs on after main while anything is pending, as a Node.js process does. A
  // step a pause held goes on first (after main ended, other tasks of that round still run).
  auto done = [&] { return (node_ ? run_->failed() : run_->finished()) && !world_.pause_held_a_lane(); };
  auto outcome = world_.run(*policy_, [&] { return done() || world_.paused(); }, run_->deadline_ns());
  if (outcome == SimWorld::Outcome::Stopped && !done()) return false;
  if (outcome == SimWorld::Outcome::PastLimit) run_->time_limit();
  // Nothing can ever run again while main waits: a deadlock (node: the loop ran empty).
  run_->report(outcome == SimWorld::Outcome::Idle && !node_);
  shut_down();
  ended_ = true;
  return true;
}

const Scheduler& SimulatedRun::scheduler() const noexcept {
  if (node_) return *node_;
  if (stealing_) return *stealing_;
  return *executor_;
}

void SimulatedRun::shut_down() {
  if (shut_down_) return;
  shut_down_ = true;
  // The remaining tasks are cancelled while the VM still exists.
  if (node_) node_->shutdown();
  if (executor_) executor_->shutdown();
  if (stealing_) {
    stealing_->stop();
    stealing_->finish_shutdown();
  }
}

RunResult run_source(std::shared_ptr<const Source> source, const RunOptions& options, Output& out) {
  Trace::ObjectIds ids;
  Trace::ObjectIds::Use use(ids);
  RunResult r;
  Heap constants;
  CompiledProgram program = compile(source, constants, r.diagnostics);
  if (!program.main) {
    r.exit_status = kExitCompile;
    return r;
  }
  if (options.real) {
    run_real(program, options, out, r);
  } else {
    SimulatedRun(program, options, out, r).advance();
  }
  return r;
}

}  // namespace loopscope::script
