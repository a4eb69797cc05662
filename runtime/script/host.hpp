// Running a .coro program: compile it, run `main` on an executor under the limits, and turn the
// outcome into the exit status of spec section 9 (0 ok, 1 error or deadlock, 3 compile error,
// 4 limit reached).
//
//   StreamOutput out;                          // stdout / stderr
//   RunOptions options;                        // profile, limits, trace
//   int status = run_source(source, options, out);
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/script/diagnostic.hpp"
#include "runtime/script/vm.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope::script {

enum ExitStatus : int { kExitOk = 0, kExitError = 1, kExitUsage = 2, kExitCompile = 3, kExitLimit = 4 };

struct RunOptions {
  std::string profile = "basic";
  Limits limits;
  bool trace = false;         // record a trace (see RunResult::trace)
  bool virtual_time = false;  // a manual clock that jumps to the next timer (no real waiting,
                              // no I/O reactor): for fuzzing and deterministic tests
};

struct RunResult {
  int exit_status = kExitOk;
  std::vector<Diagnostic> diagnostics;  // compile errors
  std::string error;                    // the runtime error, limit or deadlock message
  uint64_t instructions = 0;
  std::unique_ptr<Trace> trace;  // when RunOptions::trace was set
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
