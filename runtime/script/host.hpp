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

#include "runtime/script/diagnostic.hpp"
#include "runtime/script/settings.hpp"
#include "runtime/script/vm.hpp"
#include "runtime/trace/lints.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope::script {

struct RunResult {
  int exit_status = kExitOk;
  std::vector<Diagnostic> diagnostics;  // compile errors
  std::string error;                    // the runtime error, limit or deadlock message
  uint64_t instructions = 0;
  std::unique_ptr<Trace> trace;  // when RunOptions::trace or lints was set
  std::vector<Lint> lints;       // when RunOptions::lints was set
};

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
