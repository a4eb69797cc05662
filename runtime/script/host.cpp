#include "runtime/script/host.hpp"

#include <cstdio>
#include <cstdlib>

#include "runtime/platform/sim/stealing_policy.hpp"
#include "runtime/sched/local_executor.hpp"
#include "runtime/script/program_run.hpp"

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

// ---- simulated runs ------------------------------------------------------------------------

namespace {

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

}  // namespace

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
  } else if (options.profile == Profile::Node) {
    SimWorld world(1, options.costs);
    run_node(program, options, out, r, world.driver(0), &world);
  } else if (options.profile == Profile::Tokio || options.profile == Profile::Go) {
    run_stealing_sim(program, options, out, r);
  } else {
    run_basic_sim(program, options, out, r);
  }
  return r;
}

}  // namespace loopscope::script
