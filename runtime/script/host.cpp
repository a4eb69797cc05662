#include "runtime/script/host.hpp"

#include <cstdio>
#include <cstdlib>

#include "runtime/platform/manual/manual_driver.hpp"
#include "runtime/platform/native/epoll_driver.hpp"
#include "runtime/sched/local_executor.hpp"
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
  } else if (key == "workers" || key == "seed" || key == "budget" || key == "real") {
    // Settings of the other profiles; the basic profile has one worker, no budget and no randomness.
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

// "deadlock:" and, per waiting task, what it waits on and who holds it.
std::string deadlock_report(VM& vm) {
  std::string out = "deadlock: no task can run and no timer, I/O or blocking job is pending, but these tasks wait:\n";
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
  return out;
}

}  // namespace

namespace {

void run_on(Driver& driver, const CompiledProgram& program, const RunOptions& options, Output& out, RunResult& r) {
  if (options.trace) r.trace = std::make_unique<Trace>(driver.clock(), 1, options.limits.max_trace_events);
  LocalExecutor executor(driver, {.trace = r.trace.get()});
  {
    VM vm(program, options.limits, out);  // destroyed before the executor: its objects leave the timer wheel
    if (r.trace) vm.limit_trace(r.trace.get(), options.limits.max_trace_events);
    uint64_t start = driver.clock().now_ns();
    vm.set_start_time(start);
    TaskObj* main = vm.create_main_task();
    main->handle = executor.spawn(VM::TaskFuture(&vm, main), "main");

    bool deadlock = false;
    for (;;) {
      executor.run_until_idle();
      if (vm.stopped() || main->state != TaskObj::State::Running) break;
      uint64_t elapsed_ms = (driver.clock().now_ns() - start) / kNsPerMs;
      if (elapsed_ms >= options.limits.time_limit_ms) {
        vm.stop("limit reached: the program ran for more than " + std::to_string(options.limits.time_limit_ms) +
                " ms; raise it with --time-limit");
        break;
      }
      bool anything_pending = executor.pending_timers() > 0 || executor.blocking_jobs() > 0 ||
                              (driver.reactor() && driver.reactor()->registrations() > 0);
      if (!anything_pending) {
        deadlock = true;
        break;
      }
      executor.wait_for_event((options.limits.time_limit_ms - elapsed_ms) * kNsPerMs);
    }

    {
      std::lock_guard<VmLock> g(vm.lock());
      if (vm.stopped()) {
        out.err(vm.stop_message() + "\n");
        r.error = vm.stop_message();
        r.exit_status = vm.stop_kind() == StopKind::Limit ? kExitLimit : kExitError;
      } else if (deadlock) {
        r.error = deadlock_report(vm);
        out.err(r.error);
        r.exit_status = kExitError;
      } else if (main->state == TaskObj::State::Failed) {
        r.error = "uncaught error in task 'main': " + vm.error_text(main->result);
        out.err("error: " + r.error + "\n" + main->error_trace);
        r.exit_status = kExitError;
      }
      r.instructions = vm.instructions();
    }
    executor.shutdown();  // the remaining tasks are cancelled while the VM still exists
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
  if (options.virtual_time) {
    ManualDriver driver;
    run_on(driver, program, options, out, r);
  } else {
    EpollDriver driver;
    run_on(driver, program, options, out, r);
  }
  return r;
}

}  // namespace loopscope::script
