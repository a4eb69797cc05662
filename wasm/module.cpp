// The Loopscope module for pages and Node (build/web/loopscope.js + loopscope.wasm): compile and
// run .coro programs. Simulated runs give the same output and trace, byte for byte, as the
// native `loopscope` command. Documented in docs/embedding.md.
//
//   const loopscope = await createLoopscope();
//   loopscope.check('print(1')                 // [{line: 1, col: 8, message: "..."}]
//   const r = await loopscope.run(src, {profile: 'tokio', seed: 7, trace: true});
//   r.output, r.exitCode, r.error, r.lints, r.traceStats, r.trace (JSON Lines)
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <sstream>
#include <string>
#include <vector>

#include "runtime/script/compiler.hpp"
#include "runtime/script/host.hpp"
#include "runtime/trace/export.hpp"

using emscripten::val;
namespace ls = loopscope::script;

namespace {

val diagnostics_of(const std::vector<ls::Diagnostic>& diags) {
  val out = val::array();
  for (const ls::Diagnostic& d : diags) {
    val o = val::object();
    o.set("line", d.line);
    o.set("col", d.col);
    o.set("message", d.message);
    out.call<void>("push", o);
  }
  return out;
}

val check(std::string text) {
  auto source = std::make_shared<ls::Source>("program.coro", std::move(text));
  std::vector<ls::Diagnostic> diags;
  ls::Heap constants;
  ls::compile(source, constants, diags);
  return diagnostics_of(diags);
}

// The program's @profile line first, then `options` (which win), as the command line does.
// Returns an error message for a bad setting.
std::string settings(const std::string& text, val options, ls::RunOptions& o) {
  ls::HeaderSettings header = ls::read_header(text);
  std::string profile = header.profile.empty() ? "basic" : header.profile;
  if (options["profile"].isString()) profile = options["profile"].as<std::string>();
  auto parsed = ls::parse_profile(profile);
  if (!parsed) return "unknown profile '" + profile + "' (basic, node, tokio or go)";
  o.profile = *parsed;
  o.limits.max_heap_bytes = size_t{256} << 20;  // the browser's default (spec section 9)
  for (const auto& [key, value] : header.options) {
    std::string err = ls::apply_setting(o, key, value);
    if (!err.empty()) return "in the @profile line: " + err;
  }
  static const char* kKeys[][2] = {{"workers", "workers"},          {"seed", "seed"},
                                   {"budget", "budget"},            {"real", "real"},
                                   {"maxInstructions", "max-instructions"}, {"timeLimit", "time-limit"},
                                   {"maxTasks", "max-tasks"},       {"maxHeap", "max-heap"},
                                   {"maxDepth", "max-depth"},       {"maxTraceEvents", "max-trace-events"},
                                   {"instructionNs", "instruction-ns"}, {"pollNs", "poll-ns"}};
  for (const auto& [js, key] : kKeys) {
    val v = options[js];
    if (v.isUndefined() || v.isNull()) continue;
    std::string value = val::global("String")(v).as<std::string>();  // 7 → "7", true → "true"
    std::string err = ls::apply_setting(o, key, value);
    if (!err.empty()) return std::string(js) + ": " + err;
  }
  o.trace = options["trace"].isTrue();
  o.lints = options["lints"].isTrue();
  return "";
}

// Runs to the end now; the promise returned by run() (module.js) wraps it.
val run_now(std::string text, val options) {
  val result = val::object();
  ls::RunOptions o;
  std::string problem = settings(text, options.isUndefined() ? val::object() : options, o);
  if (!problem.empty()) {
    result.set("output", std::string());
    result.set("errors", problem + "\n");
    result.set("exitCode", static_cast<int>(ls::kExitUsage));
    result.set("error", problem);
    return result;
  }
  auto source = std::make_shared<ls::Source>("program.coro", text);
  ls::StringOutput out;
  ls::RunResult r = ls::run_source(source, o, out);
  result.set("output", out.stdout_text);
  result.set("errors", out.stderr_text);
  result.set("exitCode", r.exit_status);
  result.set("error", r.error);
  result.set("diagnostics", diagnostics_of(r.diagnostics));
  val lints = val::array();
  for (const loopscope::Lint& l : r.lints) {
    val x = val::object();
    x.set("kind", l.kind);
    x.set("task", static_cast<double>(l.task));
    x.set("timeNs", static_cast<double>(l.time_ns));
    x.set("message", l.message);
    lints.call<void>("push", x);
  }
  result.set("lints", lints);
  val stats = val::object();
  stats.set("instructions", static_cast<double>(r.instructions));
  if (r.trace) {
    stats.set("events", static_cast<double>(r.trace->total()));
    stats.set("dropped", static_cast<double>(r.trace->dropped()));
    if (o.trace) {
      std::ostringstream jsonl;
      loopscope::write_jsonl(*r.trace, jsonl);
      result.set("trace", jsonl.str());
    }
  }
  result.set("traceStats", stats);
  return result;
}

}  // namespace

EMSCRIPTEN_BINDINGS(loopscope_module) {
  emscripten::function("check", &check);
  emscripten::function("runNow", &run_now);
}
