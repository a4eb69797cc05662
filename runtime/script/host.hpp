// Running a .coro program: compile it, run `main` under its profile's scheduler — simulated by
// default, or for real — under the limits, and turn the outcome into the exit status of spec
// section 9 (0 ok, 1 error or deadlock, 3 compile error, 4 limit reached).
//
//   profile  simulation (default)                      --real
//   basic    LocalExecutor on one virtual worker        LocalExecutor on the epoll reactor
//   node     NodeLoop on one virtual worker             NodeLoop on the epoll reactor
//   tokio    WorkStealingScheduler, virtual workers     the native Runtime's threads
//   go       the same scheduler with Go's rules         the native Runtime's threads
//
//   StreamOutput out;                          // stdout / stderr
//   RunOptions options;                        // profile, limits, trace
//   int status = run_source(source, options, out);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/platform/sim/sim_world.hpp"
#include "runtime/script/diagnostic.hpp"
#include "runtime/script/vm.hpp"
#include "runtime/trace/lints.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope::script {

enum ExitStatus : int { kExitOk = 0, kExitError = 1, kExitUsage = 2, kExitCompile = 3, kExitLimit = 4 };

struct RunOptions {
  Profile profile = Profile::Basic;
  // Real time on real threads (the epoll reactor, worker threads) instead of the default
  // deterministic simulation (runtime/platform/sim).
  bool real = false;
  uint32_t workers = 0;             // tokio and go: default 2; basic and node have one thread
  uint64_t seed = 0;                // simulation: where a real scheduler would choose at random
  std::optional<uint32_t> budget;   // tokio: resource operations per poll, 0 = off (default 128)
  SimCosts costs;                   // simulation: virtual time per instruction and per poll
  Limits limits;
  bool trace = false;  // record a trace (see RunResult::trace)
  bool lints = false;  // find scheduling problems in the trace (RunResult::lints)
};

// "basic", "node", "tokio" or "go"; nullopt for anything else.
std::optional<Profile> parse_profile(std::string_view name);

struct RunResult {
  int exit_status = kExitOk;
  std::vector<Diagnostic> diagnostics;  // compile errors
  std::string error;                    // the runtime error, limit or deadlock message
  uint64_t instructions = 0;
  std::unique_ptr<Trace> trace;  // when RunOptions::trace or lints was set
  std::vector<Lint> lints;       // when RunOptions::lints was set
};

// Header settings: `// @profile basic max-instructions=1000 ...` on the first lines.
struct HeaderSettings {
  std::string profile;
  std::vector<std::pair<std::string, std::string>> options;
};
HeaderSettings read_header(const std::string& text);

// Applies "key=value" settings (from the header or the command line) to `options`; returns an
// error message for an unknown key or a bad value.
std::string apply_setting(RunOptions& options, const std::string& key, const std::string& value);

// Compiles and runs; compile errors are returned as diagnostics (exit status 3), everything
// else goes to `out`.
RunResult run_source(std::shared_ptr<const Source> source, const RunOptions& options, Output& out);

// Output to the process's stdout and stderr, flushed per line.
class StreamOutput final : public Output {
 public:
  void out(std::string_view text) override;
  void err(std::string_view text) override;
};

// Output into strings (tests, the browser).
class StringOutput final : public Output {
 public:
  void out(std::string_view text) override { stdout_text += text; }
  void err(std::string_view text) override { stderr_text += text; }
  std::string stdout_text;
  std::string stderr_text;
};

}  // namespace loopscope::script
