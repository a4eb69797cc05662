#include "runtime/script/host.hpp"

#include <cstdio>
#include <cstdlib>

#include <algorithm>
#include <chrono>
#include <thread>

#include "runtime/platform/native/epoll_driver.hpp"
#include "runtime/platform/native/runtime.hpp"
#include "runtime/sched/local_executor.hpp"
#include "runtime/sched/node_loop.hpp"
#include "runtime/sched/work_stealing.hpp"
#include "runtime/trace/lints.hpp"
#include "runtime/script/compiler.hpp"
#include "runtime/script/format.hpp"

namespace loopscope::script {

// ---- settings -------------------------------------------------------------------------------

HeaderSettings read_header(const std::string& text) {
  HeaderSettings h;
  // Only the leading comment lines are looked at.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string line = text.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    pos = eol == std::string::npos ? text.size() : eol + 1;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    if (line.compare(first, 2, "//") != 0) break;
    size_t at = line.find("@profile", first);
    if (at == std::string::npos) continue;
    std::string rest = line.substr(at + 8);
    size_t i = 0;
    auto word = [&] {
      while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\r')) ++i;
      size_t start = i;
      while (i < rest.size() && rest[i] != ' ' && rest[i] != '\t' && rest[i] != '\r') ++i;
      return rest.substr(start, i - start);
    };
    std::string w = word();
    if (!w.empty() && w.find('=') == std::string::npos) {
      h.profile = w;
      w = word();
    }
    while (!w.empty()) {
      size_t eq = w.find('=');
      if (eq == std::string::npos) {
        h.options.emplace_back(w, "");
      } else {
        h.options.emplace_back(w.substr(0, eq), w.substr(eq + 1));
      }
      w = word();
    }
  }
  return h;
}

namespace {
bool parse_u64(const std::string& s, uint64_t& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (*end || s[0] == '-') return false;
  out = v;
  return true;
}
}  // namespace

std::optional<Profile> parse_profile(std::string_view name) {
  if (name == "basic") return Profile::Basic;
  if (name == "node") return Profile::Node;
  if (name == "tokio") return Profile::Tokio;
  if (name == "go") return Profile::Go;
  return std::nullopt;
}

std::string apply_setting(RunOptions& o, const std::string& key, const std::string& value) {
  uint64_t n = 0;
  auto number = [&](const char* what) -> std::string {
    if (!parse_u64(value, n) || n == 0) return std::string(what) + " must be a positive integer, got '" + value + "'";
    return "";
  };
  std::string err;
  if (key == "max-instructions" || key == "instructions") {
    if ((err = number("max-instructions")).empty()) o.limits.max_instructions = n;
  } else if (key == "time-limit") {
    if ((err = number("time-limit (ms)")).empty()) o.limits.time_limit_ms = n;
  } else if (key == "max-tasks") {
    if ((err = number("max-tasks")).empty()) o.limits.max_tasks = n;
  } else if (key == "max-heap") {
    if ((err = number("max-heap (MiB)")).empty()) o.limits.max_heap_bytes = static_cast<size_t>(n) << 20;
  } else if (key == "max-depth") {
    if ((err = number("max-depth")).empty()) o.limits.max_call_depth = static_cast<uint32_t>(std::min<uint64_t>(n, 1'000'000));
  } else if (key == "max-trace-events") {
    if ((err = number("max-trace-events")).empty()) o.limits.max_trace_events = n;
  } else if (key == "workers") {
    if ((err = number("workers")).empty()) {
      if (n > 64) return "workers must be from 1 to 64, got " + value;
      o.workers = static_cast<uint32_t>(n);
    }
  } else if (key == "seed") {
    if (!parse_u64(value, n)) return "seed must be a non-negative integer, got '" + value + "'";
    o.seed = n;
  } else if (key == "budget") {
    if (value == "off" || value == "0") {
      o.budget = 0;
    } else if ((err = number("budget (or off)")).empty()) {
      o.budget = static_cast<uint32_t>(std::min<uint64_t>(n, 1'000'000));
    }
  } else if (key == "real") {
    if (value.empty() || value == "true" || value == "1") {
      o.real = true;
    } else if (value == "false" || value == "0") {
      o.real = false;
    } else {
      err = "real is true or false, got '" + value + "'";
    }
  } else if (key == "instruction-ns") {
    if ((err = number("instruction-ns")).empty()) o.costs.instruction_ns = n;
  } else if (key == "poll-ns") {
    if ((err = number("poll-ns")).empty()) o.costs.poll_ns = n;
  } else {
    err = "unknown setting '" + key + "'";
  }
  return err;
}

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

// ---- running --------------------------------------------------------------------------------

namespace {

uint32_t fiber_line(const Fiber& f) {
  if (f.frames.empty()) return 0;
  const Frame& fr = f.frames.back();
  uint32_t pc = fr.pc ? fr.pc - 1 : 0;
  const auto& lines = fr.closure->proto->lines;
  return pc < lines.size() ? lines[pc] : 0;
}

// The task `t` waits for: the task it awaits, the holder of the mutex it wants, the task whose
// promise it awaits (profile node); null when its wait is on something else.
TaskObj* waits_for(VM& vm, TaskObj* t) {
  if (!t->fiber || t->fiber->state != Fiber::State::Awaiting || !is_obj(t->fiber->awaiting, ObjType::Future)) return nullptr;
  Obj* on = as<FutureObj>(t->fiber->awaiting)->waits_on();
  if (!on) return nullptr;
  if (on->type == ObjType::Task) return static_cast<TaskObj*>(on);
  if (on->type == ObjType::Mutex) return static_cast<MutexObj*>(on)->owner;
  TaskObj* owner = nullptr;
  if (on->type == ObjType::Promise)
    vm.for_each_live_task([&](TaskObj* x) { owner = x->promise == on ? x : owner; });
  return owner;
}

// "wait-for chain: 'main' → 'transfer' → 'report' → 'transfer' (a cycle)", from the oldest
// waiting task; empty when it waits on nothing held by a task.
std::string wait_for_chain(VM& vm, TaskObj* start) {
  std::vector<TaskObj*> chain{start};
  while (TaskObj* next = waits_for(vm, chain.back())) {
    bool cycle = std::find(chain.begin(), chain.end(), next) != chain.end();
    chain.push_back(next);
    if (cycle) break;
  }
  if (chain.size() < 2) return "";
  std::string out = "  wait-for chain: ";
  for (size_t i = 0; i < chain.size(); ++i) out += (i ? " -> '" : "'") + chain[i]->name + "'";
  if (std::find(chain.begin(), chain.end() - 1, chain.back()) != chain.end() - 1) out += " (a cycle: none of them can go on)";
  return out + "\n";
}

// `headline`, then per waiting task what it waits on and who holds it, then the wait-for chain.
std::string waiting_report(VM& vm, const std::string& headline) {
  std::string out = headline;
  std::vector<TaskObj*> tasks;
  vm.for_each_live_task([&](TaskObj* t) { tasks.push_back(t); });
  for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) {
    TaskObj* t = *it;
    const Fiber& f = *t->fiber;
    out += "  " + vm.describe_task(t);
    if (f.state == Fiber::State::Awaiting && is_obj(f.awaiting, ObjType::Future)) {
      auto* fut = as<FutureObj>(f.awaiting);
      out += " waits on " + fut->describe();
      if (uint32_t line = fiber_line(f)) out += " at line " + std::to_string(line);
      Obj* on = fut->waits_on();
      if (on && on->type == ObjType::Mutex) {
        auto* m = static_cast<MutexObj*>(on);
        if (m->owner) {
          out += ", held by " + vm.describe_task(m->owner);
          if (m->owner_line) out += " (locked at line " + std::to_string(m->owner_line) + ")";
        }
      }
    } else {
      out += " is not running";
    }
    out += "\n";
  }
  if (!tasks.empty()) out += wait_for_chain(vm, tasks.back());
  return out;
}

std::string deadlock_report(VM& vm) {
  return waiting_report(vm, "deadlock: no task can run and no timer, I/O or blocking job is pending, but these tasks wait:\n");
}

}  // namespace

namespace {

uint32_t worker_count(const RunOptions& o) { return o.workers ? o.workers : 2; }  // tokio and go

// "tokio workers=2 budget=128 seed=0" and so on: what a trace was recorded under.
std::string describe_settings(const RunOptions& o) {
  std::string s = profile_name(o.profile);
  if (o.profile == Profile::Tokio || o.profile == Profile::Go) s += " workers=" + std::to_string(worker_count(o));
  if (o.profile == Profile::Tokio) {
    uint32_t budget = o.budget.value_or(128);
    s += budget ? " budget=" + std::to_string(budget) : std::string(" budget=off");
  }
  if (o.real) return s + " real";
  s += " seed=" + std::to_string(o.seed);
  if (o.costs.instruction_ns != SimCosts{}.instruction_ns) s += " instruction-ns=" + std::to_string(o.costs.instruction_ns);
  if (o.costs.poll_ns != SimCosts{}.poll_ns) s += " poll-ns=" + std::to_string(o.costs.poll_ns);
  return s;
}

// One run of a program: the VM and its main task on a scheduler chosen by the caller.
class ProgramRun {
 public:
  ProgramRun(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r)
      : options_(options), out_(out), r_(r), vm_(program, options.limits, out) {}

  VM& vm() noexcept { return vm_; }
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
  void time_limit() {
    vm_.stop("limit reached: the program ran for more than " + std::to_string(options_.limits.time_limit_ms) +
             " ms; raise it with --time-limit");
  }
  // The exit status and messages, once the run ended (`deadlock`: nothing could ever run again).
  void report(bool deadlock) {
    std::lock_guard<VmLock> g(vm_.lock());
    if (options_.profile == Profile::Node && !vm_.stopped() && vm_.live_tasks() > 0) {
      // Node.js exits when its loop is empty, whatever still waits: 0, and a warning.
      out_.err(waiting_report(vm_, "warning: the event loop is empty; these tasks were still waiting:\n"));
      deadlock = false;
    }
    if (vm_.stopped()) {
      out_.err(vm_.stop_message() + "\n");
      r_.error = vm_.stop_message();
      r_.exit_status = vm_.stop_kind() == StopKind::Limit ? kExitLimit : kExitError;
    } else if (main_->state == TaskObj::State::Failed) {
      r_.error = "uncaught error in task 'main': " + vm_.error_text(main_->result);
      out_.err("error: " + r_.error + "\n" + main_->error_trace);
      r_.exit_status = kExitError;
    } else if (deadlock && main_->state == TaskObj::State::Running) {
      r_.error = deadlock_report(vm_);
      out_.err(r_.error);
      r_.exit_status = kExitError;
    }
    r_.instructions = vm_.instructions();
    if (options_.lints && r_.trace) {
      r_.lints = find_lints(*r_.trace, [this](uint64_t task) { return vm_.describe_runtime_task(task); });
      // Tasks still waiting when main ended normally are cancelled by design: not lost.
      if (main_->state != TaskObj::State::Done || options_.profile == Profile::Node) {
        for (auto& [task, message] : vm_.lost_wakers())
          r_.lints.push_back(Lint{"lost_waker", task, vm_.now_ns(), 0, std::move(message)});
      }
    }
  }

 private:
  const RunOptions& options_;
  Output& out_;
  RunResult& r_;
  VM vm_;
  TaskObj* main_ = nullptr;
};

// The scheduling rules of the multi-worker profiles (spec 8.2, 8.3).
WorkStealingOptions stealing_options(const RunOptions& o, Trace* trace) {
  WorkStealingOptions w;
  w.workers = worker_count(o);
  w.trace = trace;
  w.seed = o.seed;
  w.shared_timers = !o.real;  // the simulator models Tokio's one shared driver
  if (o.profile == Profile::Tokio) {
    w.budget = o.budget.value_or(128);
    w.lifo_limit = 3;
    w.cooperative_yield = TaskTarget::Deferred;
    w.driver_wakes = TaskTarget::Inject;
  } else {  // go: runnext inherits the time slice, timers at every decision, preemption at 10 ms
    w.budget = 0;
    w.lifo_limit = 0;
    w.event_interval = 1;
    w.cooperative_yield = TaskTarget::Inject;
    w.driver_wakes = TaskTarget::Lifo;
    w.time_slice_ns = 10 * kNsPerMs;
  }
  return w;
}

// Simulation of the single-threaded executor: one virtual worker.
class ExecutorPolicy final : public SimWorkerPolicy {
 public:
  explicit ExecutorPolicy(LocalExecutor& ex) : ex_(ex) {}
  bool step(uint32_t) override { return ex_.run_until_idle() > 0; }
  void park(uint32_t) override {}
  std::optional<uint64_t> wake_deadline(uint32_t) override {
    auto ms = ex_.timers().next_deadline();
    if (!ms) return std::nullopt;
    return *ms * kNsPerMs;
  }
  bool unpark(uint32_t) override { return true; }

 private:
  LocalExecutor& ex_;
};

class StealingPolicy final : public SimWorkerPolicy {
 public:
  explicit StealingPolicy(WorkStealingScheduler& s) : s_(s) {}
  bool step(uint32_t w) override { return s_.run_once(w); }
  void park(uint32_t w) override { s_.sim_park(w); }
  std::optional<uint64_t> wake_deadline(uint32_t w) override { return s_.sim_wake_deadline(w); }
  bool unpark(uint32_t w) override { return s_.sim_unpark(w); }

 private:
  WorkStealingScheduler& s_;
};

// Runs the world until main ends, a limit is hit or nothing can happen any more (a deadlock).
void simulate(SimWorld& world, SimWorkerPolicy& policy, ProgramRun& run) {
  auto outcome = world.run(policy, [&] { return run.finished(); }, run.deadline_ns());
  if (outcome == SimWorld::Outcome::PastLimit) run.time_limit();
  run.report(outcome == SimWorld::Outcome::Idle);
}

void run_basic_sim(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r) {
  SimWorld world(1, options.costs);
  if (options.trace || options.lints) r.trace = std::make_unique<Trace>(world.clock(), 1, options.limits.max_trace_events);
  LocalExecutor executor(world.driver(0), {.trace = r.trace.get()});
  {
    ProgramRun run(program, options, out, r);  // destroyed before the executor: its objects leave the timer wheel
    run.vm().attach_sim(&world);
    run.start(executor, world.now(), r.trace.get());
    ExecutorPolicy policy(executor);
    simulate(world, policy, run);
    executor.shutdown();  // the remaining tasks are cancelled while the VM still exists
  }
  if (r.trace) r.trace->detach_clock();
}

void run_stealing_sim(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r) {
  SimWorld world(worker_count(options), options.costs);
  if (options.trace || options.lints) r.trace = std::make_unique<Trace>(world.clock(), world.workers(), options.limits.max_trace_events);
  WorkStealingOptions w = stealing_options(options, r.trace.get());
  WorkStealingScheduler scheduler(world.drivers(), w);
  {
    ProgramRun run(program, options, out, r);
    run.vm().attach_sim(&world);
    run.start(scheduler, world.now(), r.trace.get());
    StealingPolicy policy(scheduler);
    simulate(world, policy, run);
    scheduler.stop();
    scheduler.finish_shutdown();
  }
  if (r.trace) r.trace->detach_clock();
}

// Profile node: the loop runs until nothing is pending (or an error stops the program).
class NodePolicy final : public SimWorkerPolicy {
 public:
  explicit NodePolicy(NodeLoop& loop) : loop_(loop) {}
  bool step(uint32_t) override {
    loop_.run_until_wait();
    return false;  // it returned because it has to wait: the world moves the clock on
  }
  void park(uint32_t) override {}
  std::optional<uint64_t> wake_deadline(uint32_t) override { return loop_.alive() ? loop_.wait_deadline() : std::nullopt; }
  bool unpark(uint32_t) override { return true; }

 private:
  NodeLoop& loop_;
};

void run_node(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r, Driver& driver,
              SimWorld* world) {
  if (options.trace || options.lints) r.trace = std::make_unique<Trace>(driver.clock(), 1, options.limits.max_trace_events);
  NodeLoop loop(driver, r.trace.get());
  {
    ProgramRun run(program, options, out, r);
    VM& vm = run.vm();
    vm.set_node_loop(&loop);
    loop.set_after_macrotask([&vm] { vm.check_unhandled_rejections(); });
    if (world) vm.attach_sim(world);
    run.start(loop, driver.clock().now_ns(), r.trace.get());
    if (world) {
      NodePolicy policy(loop);
      auto outcome = world->run(policy, [&] { return run.failed(); }, run.deadline_ns());
      if (outcome == SimWorld::Outcome::PastLimit) run.time_limit();
    } else {
      while (!run.failed() && !loop.run_until_wait()) {
        if (run.failed()) break;
        uint64_t now = driver.clock().now_ns();
        if (now >= run.deadline_ns()) {
          run.time_limit();
          break;
        }
        auto deadline = loop.wait_deadline();
        uint64_t until = std::min(deadline.value_or(UINT64_MAX), run.deadline_ns());
        driver.park(until > now ? until - now : 0, true);
      }
    }
    run.report(false);
    loop.shutdown();  // the remaining tasks are cancelled while the VM still exists
  }
  if (r.trace) r.trace->detach_clock();
}

void run_basic_real(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r) {
  EpollDriver driver;
  if (options.trace || options.lints) r.trace = std::make_unique<Trace>(driver.clock(), 1, options.limits.max_trace_events);
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
      bool anything_pending = executor.pending_timers() > 0 || executor.blocking_jobs() > 0 ||
                              (driver.reactor() && driver.reactor()->registrations() > 0);
      if (!anything_pending) {
        deadlock = true;
        break;
      }
      executor.wait_for_event(run.deadline_ns() - now);
    }
    run.report(deadlock);
    executor.shutdown();
  }
  if (r.trace) r.trace->detach_clock();
}

void run_stealing_real(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r) {
  MonotonicClock clock;
  if (options.trace || options.lints) r.trace = std::make_unique<Trace>(clock, worker_count(options), options.limits.max_trace_events);
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

RunResult run_source(std::shared_ptr<const Source> source, const RunOptions& options, Output& out) {
  RunResult r;
  Heap constants;
  CompiledProgram program = compile(source, constants, r.diagnostics);
  if (!program.main) {
    r.exit_status = kExitCompile;
    return r;
  }
  if (options.profile == Profile::Node) {
    if (options.real) {
      EpollDriver driver;
      run_node(program, options, out, r, driver, nullptr);
    } else {
      SimWorld world(1, options.costs);
      run_node(program, options, out, r, world.driver(0), &world);
    }
    return r;
  }
  bool stealing = options.profile == Profile::Tokio || options.profile == Profile::Go;
  if (options.real) {
    stealing ? run_stealing_real(program, options, out, r) : run_basic_real(program, options, out, r);
  } else {
    stealing ? run_stealing_sim(program, options, out, r) : run_basic_sim(program, options, out, r);
  }
  return r;
}

}  // namespace loopscope::script
