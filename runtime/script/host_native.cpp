// Real-time runs on the native platform: the single-threaded executor (basic) and NodeLoop (node)
// on the epoll reactor, and the multi-threaded Runtime (tokio, go) with the VM lock.
#include <chrono>
#include <thread>

#include "runtime/platform/native/epoll_driver.hpp"
#include "runtime/platform/native/runtime.hpp"
#include "runtime/sched/local_executor.hpp"
#include "runtime/script/live_run.hpp"
#include "runtime/script/program_run.hpp"

namespace loopscope::script {

namespace {

void run_basic_real(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r) {
  EpollDriver driver;
  r.trace = make_trace(driver.clock(), 1, options);
  LocalExecutor executor(driver, {.trace = r.trace.get()});
  {
    ProgramRun run(program, options, out, r);
    run.start(executor, driver.clock().now_ns(), r.trace.get());
    bool deadlock = false;
    for (;;) {
      executor.run_until_idle();
      if (run.finished()) break;
      uint64_t now = driver.clock().now_ns();
      if (now >= run.deadline_ns()) {
        run.time_limit();
        break;
      }
      if (run.cancelled()) {
        run.cancel();
        break;
      }
      bool anything_pending = executor.pending_timers() > 0 || executor.blocking_jobs() > 0 ||
                              (driver.reactor() && driver.reactor()->registrations() > 0);
      if (!anything_pending) {
        deadlock = true;
        break;
      }
      executor.wait_for_event(std::min(run.deadline_ns(), run.next_look_ns(now)) - now);
    }
    run.report(deadlock);
    executor.shutdown();
  }
  if (r.trace) r.trace->detach_clock();
}

void run_stealing_real(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r) {
  MonotonicClock clock;
  r.trace = make_trace(clock, worker_count(options), options);
  WorkStealingOptions w = stealing_options(options, r.trace.get());
  Runtime runtime(w);
  {
    ProgramRun run(program, options, out, r);
    {
      std::lock_guard<VmLock> g(run.vm().lock());
      run.start(runtime.scheduler(), runtime.scheduler().clock().now_ns(), r.trace.get());
    }
    // The workers run the program; this thread watches for its end, the time limit and a
    // deadlock (every worker parked with no timer, I/O or blocking job: seen twice in a row).
    int idle_looks = 0;
    bool deadlock = false;
    for (;;) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      std::lock_guard<VmLock> g(run.vm().lock());
      if (run.finished()) break;
      if (runtime.scheduler().clock().now_ns() >= run.deadline_ns()) {
        run.time_limit();
        break;
      }
      if (run.cancelled()) {
        run.cancel();
        break;
      }
      idle_looks = runtime.scheduler().is_quiescent() ? idle_looks + 1 : 0;
      if (idle_looks >= 2) {
        deadlock = true;
        break;
      }
    }
    run.report(deadlock);
    runtime.shutdown();  // the remaining tasks are cancelled while the VM still exists
  }
  if (r.trace) r.trace->detach_clock();
}

}  // namespace

void run_real(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r) {
  if (options.profile == Profile::Node) {
    EpollDriver driver;
    run_node(program, options, out, r, driver);
  } else if (options.profile == Profile::Tokio || options.profile == Profile::Go) {
    run_stealing_real(program, options, out, r);
  } else {
    run_basic_real(program, options, out, r);
  }
}

std::shared_ptr<LiveRun> start_live_run(std::shared_ptr<const Source> source, RunOptions options) {
  auto live = std::make_shared<LiveRun>();
  options.live = live;
  options.real = true;
  // The thread owns the run (its program, options and result); the viewer only the LiveRun, so
  // either may go first.
  std::thread([source = std::move(source), options = std::move(options)] {
    Heap constants;
    RunResult r;
    CompiledProgram program = compile(source, constants, r.diagnostics);
    if (!program.main) {
      r.exit_status = kExitCompile;
    } else {
      StringOutput out;  // (the viewer has every print)
      run_real(program, options, out, r);
    }
    options.live->finished(r);
  }).detach();
  return live;
}

}  // namespace loopscope::script
