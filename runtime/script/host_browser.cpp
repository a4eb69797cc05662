// Real-time runs in the browser (see host_browser.hpp). run_real — the synchronous entry the
// command line uses — cannot wait for the page's event loop, so it refuses.
#include "runtime/script/host_browser.hpp"

#include <emscripten/emscripten.h>

#include "runtime/platform/browser/browser_runtime.hpp"
#include "runtime/sched/node_loop.hpp"
#include "runtime/sched/work_stealing.hpp"
#include "runtime/script/platform_io.hpp"
#include "runtime/script/program_run.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope::script {

void run_real(const CompiledProgram&, const RunOptions&, Output& out, RunResult& r) {
  r.error = "real mode in the browser runs on the page's event loop: start it with run(source, {real: true})";
  out.err(r.error + "\n");
  r.exit_status = kExitUsage;
}

namespace {

// One run on its own BrowserRuntime. It owns itself: made by start_page_run, it deletes itself
// once the program ended and no callback of the page refers to its runtime any more.
class PageRun {
 public:
  PageRun(std::shared_ptr<const Source> source, const RunOptions& options, PageRunDone done)
      : source_(std::move(source)), options_(options), done_(std::move(done)) {}

  void start() {
    Trace::ObjectIds::Use use(ids_);
    program_ = compile(source_, constants_, r_.diagnostics);
    if (!program_.main) {
      r_.exit_status = kExitCompile;
      return end_now();
    }
    if ((options_.profile == Profile::Tokio || options_.profile == Profile::Go) && worker_count(options_) > 1) {
      return refuse(std::string(options_.profile == Profile::Tokio ? "tokio" : "go") + " with " +
                    std::to_string(worker_count(options_)) +
                    " workers runs in simulation only in the browser: the page has one thread (drop real, or set workers=1)");
    }
    // The trace reads a clock of its own: the runtime takes the trace when it is made.
    r_.trace = make_trace(trace_clock_, 1, options_);
    rt_ = std::make_unique<BrowserRuntime>(ExecutorOptions{.trace = r_.trace.get()});
    run_.emplace(program_, options_, out_, r_);
    rt_->set_after_slice([this] { after_slice(); });
    if (options_.profile == Profile::Node) {
      loop_ = std::make_unique<NodeLoop>(rt_->driver(), r_.trace.get());
      VM& vm = run_->vm();
      vm.set_node_loop(loop_.get());
      loop_->set_after_macrotask([&vm] { vm.check_unhandled_rejections(); });
      drive([this](uint64_t max_ns) { return node_slice(max_ns); });
      run_->start(*loop_, rt_->clock().now_ns(), r_.trace.get());
    } else if (options_.profile == Profile::Tokio || options_.profile == Profile::Go) {
      // Its one worker, stepped in slices on the page's thread (its stepping API, as the
      // simulator uses it, with the page's clock).
      stealing_ = std::make_unique<WorkStealingScheduler>(std::vector<Driver*>{&rt_->driver()},
                                                          stealing_options(options_, r_.trace.get()));
      drive([this](uint64_t max_ns) { return worker_slice(max_ns); });
      run_->start(*stealing_, rt_->clock().now_ns(), r_.trace.get());
    } else {
      drive([this](uint64_t max_ns) { return rt_->executor().run_slice(max_ns); });
      run_->start(rt_->executor(), rt_->clock().now_ns(), r_.trace.get());
    }
    rt_->request_run();
  }

 private:
  // Every slice of the run on the page's runtime, with the run's own object ids.
  template <class Slice>
  void drive(Slice slice) {
    rt_->drive([this, slice](uint64_t max_ns) {
      Trace::ObjectIds::Use use(ids_);
      return slice(max_ns);
    });
  }

  // Profile node's loop for one slice; it ends when nothing is pending (a fetch in flight is).
  LocalExecutor::SliceResult node_slice(uint64_t max_ns) {
    loop_->set_yield_deadline(rt_->clock().now_ns() + max_ns);
    loop_done_ = loop_->run_until_wait() && fetches_in_flight() == 0;
    loop_->set_yield_deadline(UINT64_MAX);
    if (loop_->interrupted()) return {true, std::nullopt};
    return {false, loop_done_ ? std::nullopt : loop_->wait_deadline()};
  }

  // Profile tokio or go with one worker: run it until the slice is over or it would park.
  LocalExecutor::SliceResult worker_slice(uint64_t max_ns) {
    uint64_t end = rt_->clock().now_ns() + max_ns;
    if (parked_) {
      if (!stealing_->sim_unpark(0)) return {false, stealing_->sim_wake_deadline(0)};  // nothing for it yet
      parked_ = false;
    }
    stealing_->set_yield_deadline(end);
    bool more;
    do {
      more = stealing_->run_once(0);  // (a held poll goes on first)
    } while (more && !stealing_->holds_a_poll(0) && rt_->clock().now_ns() < end);
    stealing_->set_yield_deadline(UINT64_MAX);
    if (more) return {true, std::nullopt};
    stealing_->sim_park(0);
    parked_ = true;
    return {false, stealing_->sim_wake_deadline(0)};
  }

  void after_slice() {
    if (ended_) return;
    uint64_t now = rt_->clock().now_ns();
    if (loop_ ? run_->failed() || loop_done_ : run_->finished()) return finish(false);
    if (now >= run_->deadline_ns()) {
      run_->time_limit();
      return finish(false);
    }
    if (run_->cancelled()) {
      run_->cancel();
      return finish(false);
    }
    if (loop_) return watch_starving(loop_->held_task(), now);
    if (stealing_) {
      watch_starving(stealing_->held_task(0), now);
      bool anything_pending = !parked_ || stealing_->sim_wake_deadline(0) || fetches_in_flight() > 0;
      if (!anything_pending) finish(true);
      return;
    }
    LocalExecutor& ex = rt_->executor();
    watch_starving(ex.held_task(), now);
    bool anything_pending = ex.ready_tasks() > 0 || ex.pending_timers() > 0 || ex.blocking_jobs() > 0 ||
                            fetches_in_flight() > 0;
    if (!anything_pending) finish(true);
  }

  // A poll held at the end of slice after slice: a task that does not yield. Or a callback (a
  // loop's callback, a microtask): the VM says since when it runs.
  void watch_starving(uint64_t held, uint64_t now) {
    for (const VM::HeldLoopCall& c : run_->vm().held_loop_calls()) {
      if (now - c.since_ns < kStarvingNs || reported_callback_ == c.since_ns + 1) continue;
      reported_callback_ = c.since_ns + 1;
      report_starving(0, c.about, c.since_ns, now);
    }
    if (held != held_task_) {
      held_task_ = held;
      held_since_ = now - BrowserRuntime::kSliceNs;  // it was held at the end of the slice just run
      return;
    }
    if (!held || reported_starving_ == held || now - held_since_ < kStarvingNs) return;
    reported_starving_ = held;
    report_starving(held, run_->vm().describe_runtime_task(held), held_since_, now);
  }
  void report_starving(uint64_t task, const std::string& who, uint64_t since, uint64_t now) {
    std::string message = who + " has run for " + std::to_string((now - since) / 1'000'000) +
                          " ms without yielding: it starves every other task (the page stays responsive: the run is sliced)";
    run_->out().err("warning: " + message + "\n");  // (a viewer of the run sees it too)
    starving_.push_back(Lint{"starving_task", task, since, 0, message});
  }

  void finish(bool deadlock) {
    ended_ = true;
    run_->report(deadlock);
    // The remaining tasks are cancelled while the VM still exists.
    if (loop_) loop_->shutdown();
    if (stealing_) {
      stealing_->stop();
      stealing_->finish_shutdown();
    }
    rt_->executor().shutdown();
    for (Lint& l : starving_) r_.lints.push_back(std::move(l));
    if (r_.trace) r_.trace->detach_clock();
    done_(r_, out_);
    emscripten_async_call(&PageRun::destroy_when_quiet, this, 0);
  }

  void refuse(std::string message) {
    r_.error = std::move(message);
    out_.err(r_.error + "\n");
    r_.exit_status = kExitUsage;
    end_now();
  }
  void end_now() {
    ended_ = true;
    done_(r_, out_);
    delete this;
  }

  static void destroy_when_quiet(void* self) {
    auto* run = static_cast<PageRun*>(self);
    if (!run->rt_->quiet()) return emscripten_async_call(&PageRun::destroy_when_quiet, self, 1);
    delete run;
  }

  std::shared_ptr<const Source> source_;
  RunOptions options_;
  PageRunDone done_;
  Heap constants_;
  CompiledProgram program_;
  RunResult r_;
  Trace::ObjectIds ids_;  // channels, mutexes... numbered from 1 in each run, as the command does
  StringOutput out_;
  MonotonicClock trace_clock_;
  std::unique_ptr<BrowserRuntime> rt_;
  std::unique_ptr<NodeLoop> loop_;  // profile node: driven on rt_'s driver
  std::unique_ptr<WorkStealingScheduler> stealing_;  // tokio or go with one worker: the same
  bool parked_ = false;
  std::optional<ProgramRun> run_;   // declared after rt_ and loop_: destroyed before them
  bool loop_done_ = false;
  bool ended_ = false;
  uint64_t held_task_ = 0, held_since_ = 0, reported_starving_ = 0;
  uint64_t reported_callback_ = 0;  // 1 + when the callback reported began
  std::vector<Lint> starving_;
};

}  // namespace

void start_page_run(std::shared_ptr<const Source> source, const RunOptions& options, PageRunDone done) {
  (new PageRun(std::move(source), options, std::move(done)))->start();
}

std::shared_ptr<LiveRun> start_live_run(std::shared_ptr<const Source> source, RunOptions options) {
  auto live = std::make_shared<LiveRun>();
  options.live = live;
  options.real = true;
  start_page_run(std::move(source), options, [live](const RunResult& r, const StringOutput&) { live->finished(r); });
  return live;
}

}  // namespace loopscope::script
