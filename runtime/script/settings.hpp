// The settings of a run: the profile, workers, seed, budget, real time and the limits, as they
// come from a program's `// @profile` line, the command line, a page's settings object or a share
// link. Every way in ends in apply_setting, so a value means the same wherever it is written.
//
//   RunOptions o;
//   std::string err = resolve_settings(text, {{"profile", "tokio"}, {"workers", "4"}}, o);
//   auto list = settings_from_json(R"({"profile": "go", "budget": "off"})", err);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/platform/sim/sim_world.hpp"
#include "runtime/script/json.hpp"
#include "runtime/script/vm.hpp"

namespace loopscope::script {

class LiveRun;

enum ExitStatus : int { kExitOk = 0, kExitError = 1, kExitUsage = 2, kExitCompile = 3, kExitLimit = 4 };

struct RunOptions {
  Profile profile = Profile::Basic;
  // Real time on real threads (the epoll reactor, worker threads) instead of the default
  // deterministic simulation (runtime/platform/sim).
  bool real = false;
  uint32_t workers = 0;             // tokio and go: default 2; basic and node have one thread
  uint64_t seed = 0;                // simulation: where a real scheduler would choose at random
  std::optional<uint32_t> budget;   // tokio: resource operations per poll, 0 = off (default 128)
  uint32_t lifo_cap = 0;            // tokio: LIFO polls in a row, 0 = no limit (Tokio 1.24; 1.29 has 3)
  SimCosts costs;                   // simulation: virtual time per instruction and per poll
  Limits limits;
  bool trace = false;  // record a trace (see RunResult::trace)
  bool lints = false;  // find scheduling problems in the trace (RunResult::lints)
  // Not a setting: the viewer of a real run, which sees its events and prints as they happen
  // and may cancel it (live_run.hpp).
  std::shared_ptr<LiveRun> live;
};

// "basic", "node", "tokio" or "go"; nullopt for anything else.
std::optional<Profile> parse_profile(std::string_view name);

// Header settings: `// @profile basic max-instructions=1000 ...` on the first lines.
struct HeaderSettings {
  std::string profile;
  std::vector<std::pair<std::string, std::string>> options;
};
HeaderSettings read_header(const std::string& text);

// Applies "key=value" settings (from the header or the command line) to `options`; returns an
// error message for an unknown key or a bad value.
std::string apply_setting(RunOptions& options, const std::string& key, const std::string& value);

// The settings of a run of `text`: its @profile line first, then `overrides` ("key", "value"
// pairs as on the command line, "profile" among them), which win; a header setting that an
// override replaces is not read. Returns "" or a message naming the bad setting; `prefix` goes
// before an override's name in it ("--" for the command line).
using SettingList = std::vector<std::pair<std::string, std::string>>;
std::string resolve_settings(const std::string& text, const SettingList& overrides, RunOptions& options,
                             std::string_view prefix = "");

// A settings object (JSON, from a page or a share link): {"profile": "tokio", "workers": 2,
// "seed": 1, "budget": 128 | "off", "lifoCap": 3 | "off", "real": false, "maxInstructions": ..., "timeLimit": ...,
// "maxTasks": ..., "maxHeap": ..., "maxDepth": ..., "maxTraceEvents": ..., "instructionNs": ...,
// "pollNs": ...} as overrides for resolve_settings. null values and unknown keys are ignored (a
// newer page's settings still open); a value of the wrong type is an error naming its key.
std::optional<SettingList> settings_from_json(const Json& object, std::string& error);
std::optional<SettingList> settings_from_json(const std::string& json_text, std::string& error);

}  // namespace loopscope::script
