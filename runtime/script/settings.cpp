#include "runtime/script/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace loopscope::script {

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
    // (clamped to what this platform can count: size_t is 32 bits in WebAssembly)
    if ((err = number("max-heap (MiB)")).empty()) o.limits.max_heap_bytes = static_cast<size_t>(std::min<uint64_t>(n, SIZE_MAX >> 20)) << 20;
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
  } else if (key == "lifo-cap") {
    if (value == "off" || value == "0") {
      o.lifo_cap = 0;
    } else if ((err = number("lifo-cap (or off)")).empty()) {
      o.lifo_cap = static_cast<uint32_t>(std::min<uint64_t>(n, 1'000'000));
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

std::string resolve_settings(const std::string& text, const SettingList& overrides, RunOptions& o, std::string_view prefix) {
  HeaderSettings header = read_header(text);
  auto overridden = [&](const std::string& key) {
    return std::any_of(overrides.begin(), overrides.end(), [&](const auto& kv) { return kv.first == key; });
  };
  std::string profile = header.profile.empty() ? "basic" : header.profile;
  for (const auto& [key, value] : overrides)
    if (key == "profile") profile = value;
  auto parsed = parse_profile(profile);
  if (!parsed) return "unknown profile '" + profile + "' (basic, node, tokio or go)";
  o.profile = *parsed;
  for (const auto& [key, value] : header.options) {
    if (overridden(key)) continue;
    std::string err = apply_setting(o, key, value);
    if (!err.empty()) return "in the @profile line: " + err;
  }
  for (const auto& [key, value] : overrides) {
    if (key == "profile") continue;
    std::string err = apply_setting(o, key, value);
    if (!err.empty()) return std::string(prefix) + key + ": " + err;
  }
  return "";
}

namespace {

// A JSON number as a setting's text: a whole number that doubles hold exactly, else an error.
bool number_text(double d, std::string& out) {
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0) return false;
  out = std::to_string(static_cast<long long>(d));
  return true;
}

}  // namespace

std::optional<SettingList> settings_from_json(const Json& object, std::string& error) {
  if (object.type != Json::Type::Object) {
    error = "the settings are not an object";
    return std::nullopt;
  }
  static const char* const kKeys[][2] = {
      {"profile", "profile"},         {"workers", "workers"},           {"seed", "seed"},
      {"budget", "budget"},           {"lifoCap", "lifo-cap"},          {"real", "real"},                 {"maxInstructions", "max-instructions"},
      {"timeLimit", "time-limit"},    {"maxTasks", "max-tasks"},        {"maxHeap", "max-heap"},
      {"maxDepth", "max-depth"},      {"maxTraceEvents", "max-trace-events"},
      {"instructionNs", "instruction-ns"}, {"pollNs", "poll-ns"}};
  SettingList out;
  for (const auto& [name, key] : kKeys) {
    const Json* v = object.get(name);
    if (!v || v->type == Json::Type::Null) continue;
    std::string text;
    switch (v->type) {
      case Json::Type::String: text = v->string; break;
      case Json::Type::Bool: text = v->boolean ? "true" : "false"; break;
      case Json::Type::Number:
        if (!number_text(v->number, text)) {
          error = std::string(name) + " must be a whole number";
          return std::nullopt;
        }
        break;
      default:
        error = std::string(name) + " must be a number, a string or a boolean";
        return std::nullopt;
    }
    out.emplace_back(key, std::move(text));
  }
  return out;
}

std::optional<SettingList> settings_from_json(const std::string& json_text, std::string& error) {
  std::string parse_error;
  auto j = parse_json(json_text, parse_error);
  if (!j) {
    error = "the settings are not JSON (" + parse_error + ")";
    return std::nullopt;
  }
  return settings_from_json(*j, error);
}

}  // namespace loopscope::script
