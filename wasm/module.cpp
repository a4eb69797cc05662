// The Loopscope module for pages and Node (build/web/loopscope.js + loopscope.wasm): compile and
// run .coro programs. Simulated runs give the same output and trace, byte for byte, as the
// native `loopscope` command. Documented in docs/embedding.md.
//
//   const loopscope = await createLoopscope();
//   loopscope.check('print(1')                 // [{line: 1, col: 8, message: "..."}]
//   const r = await loopscope.run(src, {profile: 'tokio', seed: 7, trace: true});
//   r.output, r.exitCode, r.error, r.lints, r.traceStats, r.trace (JSON Lines)
//   const s = new loopscope.Session(src, {profile: 'go'});   // a run to step, seek and look into
//   s.step(10); s.snapshot(5); s.events(0, s.eventCount()); s.delete();
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/script/compiler.hpp"
#include "runtime/script/host.hpp"
#include "runtime/script/host_browser.hpp"
#include "runtime/script/json.hpp"
#include "runtime/script/session.hpp"
#include "runtime/trace/export.hpp"
#include "runtime/util/json_string.hpp"
#include "wasm/page_fetch.hpp"

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

// The program's @profile line first, then the settings object (JSON from module.js; it wins),
// as the command line does. Returns an error message for a bad setting.
std::string settings(const std::string& text, const std::string& json, ls::RunOptions& o) {
  std::string err;
  auto object = ls::parse_json(json, err);
  if (!object) return "the options are not a plain object (" + err + ")";
  auto overrides = ls::settings_from_json(*object, err);
  if (!overrides) return err;
  o.limits.max_heap_bytes = size_t{256} << 20;  // the browser's default (spec section 9)
  err = ls::resolve_settings(text, *overrides, o);
  if (!err.empty()) return err;
  const ls::Json* trace = object->get("trace");
  const ls::Json* lints = object->get("lints");
  o.trace = trace && trace->type == ls::Json::Type::Bool && trace->boolean;
  o.lints = lints && lints->type == ls::Json::Type::Bool && lints->boolean;
  return "";
}

val lints_of(const std::vector<loopscope::Lint>& lints) {
  val out = val::array();
  for (const loopscope::Lint& l : lints) {
    val x = val::object();
    x.set("kind", l.kind);
    x.set("task", static_cast<double>(l.task));
    x.set("timeNs", static_cast<double>(l.time_ns));
    x.set("message", l.message);
    out.call<void>("push", x);
  }
  return out;
}

val usage_error(const std::string& problem) {
  val result = val::object();
  result.set("output", std::string());
  result.set("errors", problem + "\n");
  result.set("exitCode", static_cast<int>(ls::kExitUsage));
  result.set("error", problem);
  return result;
}

val result_of(const ls::RunResult& r, const ls::StringOutput& out, bool with_trace) {
  val result = val::object();
  result.set("output", out.stdout_text);
  result.set("errors", out.stderr_text);
  result.set("exitCode", r.exit_status);
  result.set("error", r.error);
  result.set("diagnostics", diagnostics_of(r.diagnostics));
  result.set("lints", lints_of(r.lints));
  val stats = val::object();
  stats.set("instructions", static_cast<double>(r.instructions));
  if (r.trace) {
    stats.set("events", static_cast<double>(r.trace->total()));
    stats.set("dropped", static_cast<double>(r.trace->dropped()));
    if (with_trace) {
      std::ostringstream jsonl;
      loopscope::write_jsonl(*r.trace, jsonl);
      result.set("trace", jsonl.str());
    }
  }
  result.set("traceStats", stats);
  return result;
}

// A simulated run, to the end now; the promise returned by run() (module.js) wraps it.
val run_now(std::string text, std::string options) {
  ls::RunOptions o;
  std::string problem = settings(text, options, o);
  if (!problem.empty()) return usage_error(problem);
  if (o.real) return usage_error("runNow runs the simulation; real mode is run(source, {real: true})");
  auto source = std::make_shared<ls::Source>("program.coro", text);
  ls::StringOutput out;
  ls::RunResult r = ls::run_source(source, o, out);
  return result_of(r, out, o.trace);
}

// A real-time run on the page's event loop: `resolve` gets the result when the program ended.
void run_real(std::string text, std::string options, val resolve) {
  ls::RunOptions o;
  std::string problem = settings(text, options, o);
  if (!problem.empty()) {
    resolve(usage_error(problem));
    return;
  }
  bool with_trace = o.trace;
  ls::start_page_run(std::make_shared<ls::Source>("program.coro", std::move(text)), o,
                     [resolve, with_trace](const ls::RunResult& r, const ls::StringOutput& out) {
                       resolve(result_of(r, out, with_trace));
                     });
}

// A Session for JavaScript: the settings come as for run(); a bad one leaves the session ended
// with settingsError() (module.js turns it into a thrown Error). Events and counters are views
// over wasm memory: read them at once, before the session runs on or memory grows.
class JsSession {
 public:
  JsSession(std::string text, std::string options) {
    ls::RunOptions o;
    settings_error_ = settings(text, options, o);
    if (settings_error_.empty() && o.real)
      settings_error_ = "a Session runs the simulation; real time on the page's event loop is run(source, {real: true})";
    if (settings_error_.empty()) session_ = std::make_unique<ls::Session>(std::move(text), o);
  }
  std::string settings_error() const { return settings_error_; }
  val diagnostics() const { return session_ ? diagnostics_of(session_->diagnostics()) : val::array(); }
  bool ended() const { return !session_ || session_->ended(); }
  double step(double events) { return session_ ? static_cast<double>(session_->step(static_cast<uint64_t>(events))) : 0; }
  double step_poll() { return session_ ? static_cast<double>(session_->step_poll()) : 0; }
  double run_for(double ms) { return session_ ? static_cast<double>(session_->run_for(ms)) : 0; }
  bool prepare(double ms) { return session_ && session_->prepare(ms); }
  double run_to_end() { return session_ ? static_cast<double>(session_->run_to_end()) : 0; }
  void seek(double event) {
    if (session_) session_->seek(static_cast<uint64_t>(std::max(event, 0.0)));
  }
  double position() const { return session_ ? static_cast<double>(session_->position()) : 0; }
  double event_count() const { return session_ ? static_cast<double>(session_->events().size()) : 0; }
  std::string output() const { return session_ ? session_->output() : std::string(); }
  std::string errors() const { return session_ ? session_->errors() : std::string(); }
  val result() const {
    val r = val::object();
    if (!session_) return r;
    const ls::RunResult& x = session_->result();
    r.set("exitCode", x.exit_status);
    r.set("error", x.error);
    r.set("instructions", static_cast<double>(x.instructions));
    return r;
  }
  val lints() const { return session_ ? lints_of(session_->result().lints) : val::array(); }
  // Events [from, to) as 32-bit words, kEventWords per event (layout in module.js, decodeEvent).
  val events(double from, double to) const {
    if (!session_) return val(emscripten::typed_memory_view(size_t{0}, static_cast<const uint32_t*>(nullptr)));
    const auto& all = session_->events();
    size_t a = static_cast<size_t>(std::clamp(from, 0.0, static_cast<double>(all.size())));
    size_t b = static_cast<size_t>(std::clamp(to, static_cast<double>(a), static_cast<double>(all.size())));
    const auto* words = reinterpret_cast<const uint32_t*>(all.data() + a);
    return val(emscripten::typed_memory_view((b - a) * kEventWords, words));
  }
  val counters() const {
    if (!session_) return val(emscripten::typed_memory_view(size_t{0}, static_cast<const double*>(nullptr)));
    const auto& c = session_->counters();
    return val(emscripten::typed_memory_view(c.size(), c.data()));
  }
  // The snapshot's JSON, or {"error": why} (module.js throws it as a RangeError).
  std::string snapshot(double event) {
    std::string error = settings_error_;
    if (session_) {
      if (auto json = session_->snapshot_json(static_cast<uint64_t>(event), &error)) return *json;
    }
    return "{\"error\":" + loopscope::json_quote(error) + "}";
  }
  std::string chrome_trace() const { return session_ ? session_->chrome_trace() : std::string(); }
  std::string jsonl_trace() const { return session_ ? session_->jsonl_trace() : std::string(); }
  std::string starving() const { return session_ ? session_->starving_json() : "[]"; }

  static constexpr size_t kEventWords = sizeof(loopscope::TraceEvent) / 4;

 private:
  std::string settings_error_;
  std::unique_ptr<ls::Session> session_;
};
static_assert(sizeof(loopscope::TraceEvent) == 40 && offsetof(loopscope::TraceEvent, kind) == 32 &&
                  offsetof(loopscope::TraceEvent, worker) == 34 && offsetof(loopscope::TraceEvent, seq) == 36,
              "module.js decodeEvent reads this layout");

val event_kinds() {
  val names = val::array();
  for (int k = 0; k < static_cast<int>(loopscope::EventKind::Count); ++k)
    names.call<void>("push", std::string(loopscope::event_kind_name(static_cast<loopscope::EventKind>(k))));
  return names;
}

}  // namespace

EMSCRIPTEN_BINDINGS(loopscope_module) {
  emscripten::function("check", &check);
  emscripten::function("runNow", &run_now);
  emscripten::function("runReal", &run_real);
  loopscope::install_page_fetch();
  emscripten::function("eventKindNames", &event_kinds);
  emscripten::class_<JsSession>("Session")
      .constructor<std::string, std::string>()
      .function("settingsError", &JsSession::settings_error)
      .function("diagnostics", &JsSession::diagnostics)
      .function("ended", &JsSession::ended)
      .function("step", &JsSession::step)
      .function("stepPoll", &JsSession::step_poll)
      .function("runFor", &JsSession::run_for)
      .function("prepare", &JsSession::prepare)
      .function("runToEnd", &JsSession::run_to_end)
      .function("seek", &JsSession::seek)
      .function("position", &JsSession::position)
      .function("eventCount", &JsSession::event_count)
      .function("output", &JsSession::output)
      .function("errors", &JsSession::errors)
      .function("result", &JsSession::result)
      .function("lints", &JsSession::lints)
      .function("eventWords", &JsSession::events)
      .function("counterValues", &JsSession::counters)
      .function("snapshotJson", &JsSession::snapshot)
      .function("exportChromeTrace", &JsSession::chrome_trace)
      .function("exportJsonlTrace", &JsSession::jsonl_trace)
      .function("starvingJson", &JsSession::starving);
}
