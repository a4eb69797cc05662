#include "runtime/script/program_run.hpp"

#include <algorithm>

#include "runtime/sched/node_loop.hpp"
#include "runtime/trace/lints.hpp"

namespace loopscope::script {

namespace {

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

}  // namespace

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

uint32_t worker_count(const RunOptions& o) { return o.workers ? o.workers : 2; }

std::string describe_settings(const RunOptions& o) {
  std::string s = profile_name(o.profile);
  if (o.profile == Profile::Tokio || o.profile == Profile::Go) s += " workers=" + std::to_string(worker_count(o));
  if (o.profile == Profile::Tokio) {
    uint32_t budget = o.budget.value_or(128);
    s += budget ? " budget=" + std::to_string(budget) : std::string(" budget=off");
    if (o.lifo_cap) s += " lifo-cap=" + std::to_string(o.lifo_cap);
  }
  if (o.real) return s + " real";
  s += " seed=" + std::to_string(o.seed);
  if (o.costs.instruction_ns != SimCosts{}.instruction_ns) s += " instruction-ns=" + std::to_string(o.costs.instruction_ns);
  if (o.costs.poll_ns != SimCosts{}.poll_ns) s += " poll-ns=" + std::to_string(o.costs.poll_ns);
  return s;
}

WorkStealingOptions stealing_options(const RunOptions& o, Trace* trace) {
  WorkStealingOptions w;
  w.workers = worker_count(o);
  w.trace = trace;
  w.seed = o.seed;
  w.shared_timers = !o.real;  // the simulator models Tokio's one shared driver
  w.timely_timers = false;    // both fire timers at maintenance and when parking only
  w.always_pass_search_on = true;
  if (o.profile == Profile::Tokio) {  // Tokio 1.24's multi-thread scheduler (docs/profiles.md)
    w.budget = o.budget.value_or(128);
    w.lifo_limit = o.lifo_cap;
    w.yield_now = TaskTarget::Deferred;
    w.driver_wakes = TaskTarget::Lifo;
    w.hand_over_timers = false;
  } else {  // go: runnext inherits the time slice, timers at every decision, preemption at 10 ms
    w.budget = 0;
    w.lifo_limit = 0;
    w.chain_lifo = false;
    w.go_schedtick = true;
    w.steal_runnext = true;
    w.event_interval = 1;
    w.yield_now = TaskTarget::Inject;
    w.driver_wakes = TaskTarget::Lifo;
    w.time_slice_ns = 10 * kNsPerMs;
  }
  return w;
}

void ProgramRun::report(bool deadlock) {
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
    r_.error = "uncaught error in task 'main': " + error_text(main_->result);
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
    r_.lints.insert(r_.lints.end(), vm_.run_lints().begin(), vm_.run_lints().end());
    // Tasks still waiting when main ended normally are cancelled by design: not lost.
    if (main_->state != TaskObj::State::Done || options_.profile == Profile::Node) {
      for (auto& [task, message] : vm_.lost_wakers())
        r_.lints.push_back(Lint{"lost_waker", task, vm_.now_ns(), 0, std::move(message)});
    }
  }
}

std::unique_ptr<Trace> make_trace(const Clock& clock, unsigned workers, const RunOptions& o) {
  if (!o.trace && !o.lints && !o.live) return nullptr;
  auto trace = std::make_unique<Trace>(clock, workers, o.limits.max_trace_events);
  if (o.live) {
    trace->set_listener(o.live.get());
    o.live->attach(trace.get());
  }
  return trace;
}

void run_node(const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r, Driver& driver) {
  r.trace = make_trace(driver.clock(), 1, options);
  NodeLoop loop(driver, r.trace.get());
  {
    ProgramRun run(program, options, out, r);
    VM& vm = run.vm();
    vm.set_node_loop(&loop);
    loop.set_after_macrotask([&vm] { vm.check_unhandled_rejections(); });
    run.start(loop, driver.clock().now_ns(), r.trace.get());
    while (!run.failed() && !loop.run_until_wait()) {
      if (run.failed()) break;
      uint64_t now = driver.clock().now_ns();
      if (now >= run.deadline_ns()) {
        run.time_limit();
        break;
      }
      if (run.cancelled()) {
        run.cancel();
        break;
      }
      auto deadline = loop.wait_deadline();
      uint64_t until = std::min({deadline.value_or(UINT64_MAX), run.deadline_ns(), run.next_look_ns(now)});
      driver.park(until > now ? until - now : 0, true);
    }
    run.report(false);
    loop.shutdown();  // the remaining tasks are cancelled while the VM still exists
  }
  if (r.trace) r.trace->detach_clock();
}

}  // namespace loopscope::script
