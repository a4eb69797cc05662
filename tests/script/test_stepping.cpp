// A Session is the run `loopscope trace` makes, however a viewer steps it: the property over
// every program we ship (the golden programs, the profile programs and the gallery), every
// profile, one to four workers, budget on and off, and every way of moving on — to the end, one
// event at a time, k events at a time, poll by poll, and in time slices so short that each ends
// after a thousand instructions. Each must give the command's output, exit status and events.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/script/session.hpp"
#include "runtime/trace/export.hpp"

using namespace loopscope;
using namespace loopscope::script;

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> shipped_programs() {
  std::vector<fs::path> out;
  const fs::path root = LOOPSCOPE_SOURCE_DIR;
  for (const char* dir : {"tests/coro", "tests/profiles", "examples/coro"})
    for (const auto& e : fs::recursive_directory_iterator(root / dir))
      if (e.path().extension() == ".coro") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Config {
  const char* profile;
  uint32_t workers;
  const char* budget;  // nullptr: the program's own
};

std::vector<Config> configs() {
  std::vector<Config> out = {{"basic", 0, nullptr}, {"node", 0, nullptr}};
  for (uint32_t w = 1; w <= 4; ++w) {
    out.push_back({"go", w, nullptr});  // (go has no budget)
    for (const char* b : {"128", "off"}) out.push_back({"tokio", w, b});
  }
  return out;
}

// The program's @profile line, then the config (which wins), as `loopscope run` does.
bool options_for(const std::string& text, const Config& c, RunOptions& o) {
  std::vector<std::pair<std::string, std::string>> overrides = {{"profile", c.profile}};
  if (c.workers) overrides.emplace_back("workers", std::to_string(c.workers));
  if (c.budget) overrides.emplace_back("budget", c.budget);
  if (!resolve_settings(text, overrides, o).empty()) return false;
  o.real = false;  // (a few profile programs ask for real time; the session simulates)
  o.limits.max_instructions = std::min<uint64_t>(o.limits.max_instructions, 3'000'000);
  o.limits.max_trace_events = std::min<uint64_t>(o.limits.max_trace_events, 200'000);
  o.trace = true;
  return true;
}

struct Reference {
  std::string out, err, trace;
  int status;
  size_t events;
};

Reference reference(const std::string& text, const RunOptions& o) {
  StringOutput out;
  RunResult r = run_source(std::make_shared<Source>("program.coro", text), o, out);
  std::ostringstream jsonl;
  if (r.trace) write_jsonl(*r.trace, jsonl);
  return {out.stdout_text, out.stderr_text, jsonl.str(), r.exit_status, r.trace ? r.trace->total() : 0};
}

enum class Mode { ToEnd, Step1, Step7, Step100, StepPoll, Slices };
const char* mode_name(Mode m) {
  static const char* names[] = {"run_to_end", "step(1)", "step(7)", "step(100)", "step_poll", "run_for(0)"};
  return names[static_cast<int>(m)];
}

// Moves `s` to its end the way `mode` does.
void drive(Session& s, Mode mode) {
  while (!s.ended()) {
    switch (mode) {
      case Mode::ToEnd: s.run_to_end(); break;
      case Mode::Step1: s.step(1); break;
      case Mode::Step7: s.step(7); break;
      case Mode::Step100: s.step(100); break;
      case Mode::StepPoll: s.step_poll(); break;
      case Mode::Slices: s.run_for(0); break;
    }
  }
}

}  // namespace

TEST_CASE("every shipped program, under every profile and setting, is the same run however it is stepped") {
  size_t runs = 0;
  for (const fs::path& file : shipped_programs()) {
    std::string text = read_file(file);
    std::string name = file.lexically_relative(LOOPSCOPE_SOURCE_DIR).string();
    for (const Config& c : configs()) {
      RunOptions o;
      if (!options_for(text, c, o)) continue;
      Reference ref = reference(text, o);
      for (Mode mode : {Mode::ToEnd, Mode::Step1, Mode::Step7, Mode::Step100, Mode::StepPoll, Mode::Slices}) {
        // One event at a time through a long run costs a pause per event: k at a time is the
        // same property for it.
        if (mode == Mode::Step1 && ref.events > 20'000) continue;
        Session s(text, o);
        drive(s, mode);
        ++runs;
        std::string where = name + " " + c.profile + " workers=" + std::to_string(c.workers) +
                            " budget=" + (c.budget ? c.budget : "-") + " " + mode_name(mode);
        INFO(where);
        CHECK(s.output() == ref.out);
        CHECK(s.errors() == ref.err);
        CHECK(s.result().exit_status == ref.status);
        CHECK(s.events().size() == ref.events);
        if (s.jsonl_trace() != ref.trace) {
          // The first event that differs says what a pause changed.
          std::istringstream a(s.jsonl_trace()), b(ref.trace);
          std::string la, lb;
          size_t line = 0;
          while (std::getline(a, la) && std::getline(b, lb) && la == lb) ++line;
          FAIL_CHECK("first difference at trace line " << line << ":\n  stepped:  " << la << "\n  command: " << lb);
        }
      }
    }
  }
  CHECK(runs > 1000);
}

TEST_CASE("a snapshot of event i is the same reached forward, by seeking back, or in a fresh session") {
  size_t compared = 0;
  for (const fs::path& file : shipped_programs()) {
    std::string text = read_file(file);
    std::string name = file.lexically_relative(LOOPSCOPE_SOURCE_DIR).string();
    for (const Config& c : {Config{"basic", 0, nullptr}, Config{"node", 0, nullptr}, Config{"tokio", 3, "128"},
                            Config{"go", 2, nullptr}}) {
      RunOptions o;
      if (!options_for(text, c, o)) continue;
      Session whole(text, o);
      whole.run_to_end();
      uint64_t n = whole.events().size();
      if (n == 0 || n > 20'000) continue;  // (a replay per snapshot: the long runs add nothing here)
      for (uint64_t i : {uint64_t{0}, n / 3, n - 1}) {
        INFO(name << " " << c.profile << " event " << i << " of " << n);
        Session fresh(text, o);
        auto forward = fresh.snapshot_json(i);  // the fresh session runs forward to it
        REQUIRE(forward);
        Session stepped(text, o);
        stepped.step(i + 1 + n / 10);
        CHECK(stepped.snapshot_json(i) == forward);  // recorded already: a replay of the past
        CHECK(whole.snapshot_json(i) == forward);    // seeking back from the end
        ++compared;
      }
      std::string error;
      CHECK(!whole.snapshot_json(n, &error));
      CHECK(error.find("past the end of the run") != std::string::npos);
    }
  }
  CHECK(compared > 100);
}
