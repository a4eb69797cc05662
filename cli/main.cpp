// loopscope: run, check, trace and share .coro programs.
//
// Exit status: 0 success; 1 runtime error in main, or deadlock; 2 usage error; 3 compile error;
// 4 a limit was reached.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <algorithm>
#include <cerrno>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/share.hpp"
#include "runtime/script/compiler.hpp"
#include "runtime/script/host.hpp"
#include "runtime/script/lexer.hpp"
#include "runtime/trace/export.hpp"
#include "runtime/util/json_string.hpp"

using namespace loopscope;
using namespace loopscope::script;

namespace {

constexpr const char* kVersion = "loopscope 0.1.0";
constexpr const char* kDefaultShareBase = "http://127.0.0.1:8080/";

const char* kUsage =
    "usage: loopscope <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE     run a .coro program; FILE may be '-' (stdin), a share link or its payload\n"
    "  check FILE   compile only and report errors\n"
    "  trace FILE   run and write the trace (--trace FILE, default <name>.trace.json)\n"
    "  share FILE   print a playground link that carries the program and its settings\n"
    "\n"
    "Run 'loopscope <command> --help' for its options; 'loopscope --version' for the version.\n";

const char* kRunOptions =
    "  --profile basic|node|tokio|go   scheduler model (default: the program's @profile line, else basic)\n"
    "  --workers N                     worker threads (tokio, go; default 2)\n"
    "  --seed N                        seed of the simulation's choices (default 0)\n"
    "  --budget N|off                  cooperative budget per poll (tokio; default 128)\n"
    "  --lifo-cap N|off                LIFO polls in a row (tokio; default off as in 1.24, 3 as in 1.29)\n"
    "  --real                          real time and threads instead of the (default) simulation\n"
    "  --instruction-ns N, --poll-ns N virtual time per VM instruction (1) and per poll (100)\n"
    "  --trace FILE                    write the trace of every scheduling decision to FILE\n"
    "  --trace-format chrome|jsonl     Chrome Trace Event JSON (opens in Perfetto; default) or JSON lines\n"
    "  --max-instructions N            stop after N VM instructions (default 200000000)\n"
    "  --time-limit MS                 stop after MS milliseconds, virtual in simulation (default 60000)\n"
    "  --max-tasks N                   at most N tasks alive at once (default 100000)\n"
    "  --max-heap MIB                  at most MIB mebibytes of script memory (default 1024)\n"
    "  --max-depth N                   at most N nested calls (default 10000)\n"
    "  --max-trace-events N            at most N trace events (default 2000000)\n"
    "  --lints                         report scheduling problems found in the trace (on stderr)\n"
    "  --json                          diagnostics as JSON lines on stderr\n";

struct Args {
  std::string command;
  std::string file;
  std::map<std::string, std::string> settings;  // run settings given on the command line
  std::string profile;
  std::string trace_file;
  std::string trace_format = "chrome";
  std::string base = kDefaultShareBase;
  bool json = false;
  bool lints = false;
  bool help = false;
  bool bytecode = false;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "loopscope: %s\n(run 'loopscope --help' for usage)\n", message.c_str());
  return kExitUsage;
}

void command_help(const std::string& command) {
  if (command == "run") {
    std::printf("usage: loopscope run FILE|-|LINK [options]\n\nRuns a .coro program: its output on stdout, diagnostics on stderr.\n\noptions:\n%s", kRunOptions);
  } else if (command == "check") {
    std::printf("usage: loopscope check FILE [--json] [--bytecode]\n\nCompiles FILE and reports errors without running it.\n  --json       diagnostics as JSON lines on stderr\n  --bytecode   print the compiled bytecode\n");
  } else if (command == "trace") {
    std::printf("usage: loopscope trace FILE [options]\n\nRuns FILE and writes its trace (default <name>.trace.json; open it in Perfetto).\n\noptions:\n%s", kRunOptions);
  } else if (command == "share") {
    std::printf("usage: loopscope share FILE [--base URL] [--profile P] [--workers N] [--seed N] [--budget N|off] [--real]\n\nPrints a playground link carrying the program and these settings (default base %s).\n`loopscope run` accepts the link (or its payload) in place of a file.\n", kDefaultShareBase);
  }
}

// Parses argv; returns a non-negative exit status on error or help, -1 to go on.
int parse_args(int argc, char** argv, Args& a) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }
  std::string first = argv[1];
  if (first == "--version" || first == "-V") {
    std::printf("%s\n", kVersion);
    return kExitOk;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  a.command = first;
  if (a.command != "run" && a.command != "check" && a.command != "trace" && a.command != "share")
    return usage_error("unknown command '" + a.command + "'");
  static const char* kValued[] = {"--profile", "--workers", "--seed", "--budget", "--lifo-cap", "--trace", "--trace-format", "--max-instructions",
                                  "--time-limit", "--max-tasks", "--max-heap", "--max-depth", "--max-trace-events", "--base",
                                  "--instruction-ns", "--poll-ns"};
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      command_help(a.command);
      return kExitOk;
    }
    if (arg == "--json") {
      a.json = true;
      continue;
    }
    if (arg == "--lints") {
      a.lints = true;
      continue;
    }
    if (arg == "--real") {
      a.settings["real"] = "true";
      continue;
    }
    if (arg == "--bytecode") {
      a.bytecode = true;
      continue;
    }
    bool valued = false;
    for (const char* v : kValued) valued |= arg == v;
    if (valued) {
      if (i + 1 >= argc) return usage_error(arg + " needs a value");
      std::string value = argv[++i];
      if (arg == "--profile") a.profile = value;
      else if (arg == "--trace") a.trace_file = value;
      else if (arg == "--trace-format") a.trace_format = value;
      else if (arg == "--base") a.base = value;
      else a.settings[arg.substr(2)] = value;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-' && arg != "-") return usage_error("unknown option '" + arg + "'");
    if (!a.file.empty()) return usage_error("more than one program given ('" + a.file + "' and '" + arg + "')");
    a.file = arg;
  }
  if (a.file.empty()) return usage_error(a.command + " needs a program: a file, '-' for stdin, or a share link");
  if (a.trace_format != "chrome" && a.trace_format != "jsonl")
    return usage_error("--trace-format must be chrome or jsonl, not '" + a.trace_format + "'");
  return -1;
}

// The program text and its name; settings from a share link are merged into `a`.
bool load_program(Args& a, std::string& name, std::string& text, int& status) {
  if (a.file == "-") {
    name = "<stdin>";
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  if (cli::looks_like_share(a.file)) {
    std::string error;
    auto shared = cli::read_share(a.file, error);
    if (!shared) {
      status = usage_error(error);
      return false;
    }
    name = "<share link>";
    text = shared->src;
    for (const auto& [key, value] : shared->settings) {  // the command line wins
      if (key == "profile") {
        if (a.profile.empty()) a.profile = value;
      } else {
        a.settings.emplace(key, value);
      }
    }
    return true;
  }
  std::ifstream in(a.file, std::ios::binary);
  if (!in) {
    status = usage_error("cannot read '" + a.file + "': " + std::strerror(errno));
    return false;
  }
  name = a.file;
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

void report_diagnostics(const Source& source, const std::vector<Diagnostic>& diags, bool json) {
  for (const Diagnostic& d : diags) {
    std::string line = json ? diagnostic_json(source, d) + "\n" : format_diagnostic(source, d);
    std::fputs(line.c_str(), stderr);
  }
  if (!json && diags.size() > 1) std::fprintf(stderr, "%zu errors\n", diags.size());
}

// Collects the settings (header first, then the command line, which wins) into RunOptions.
int build_options(const Args& a, const std::string& text, RunOptions& options) {
  SettingList overrides(a.settings.begin(), a.settings.end());
  if (!a.profile.empty()) overrides.emplace_back("profile", a.profile);
  std::string err = resolve_settings(text, overrides, options, "--");
  return err.empty() ? -1 : usage_error(err);
}

int write_trace(const Args& a, const RunResult& r, const std::string& program_name) {
  std::string path = a.trace_file;
  if (path.empty()) {
    std::string stem = program_name;
    if (stem.empty() || stem[0] == '<') stem = "trace";
    if (size_t dot = stem.rfind('.'); dot != std::string::npos && stem.find('/', dot) == std::string::npos) stem.resize(dot);
    path = stem + (a.trace_format == "jsonl" ? ".trace.jsonl" : ".trace.json");
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    std::fprintf(stderr, "loopscope: cannot write the trace to '%s': %s\n", path.c_str(), std::strerror(errno));
    return kExitUsage;
  }
  if (a.trace_format == "jsonl") {
    write_jsonl(*r.trace, out);
  } else {
    write_chrome_trace(*r.trace, out);
  }
  std::fprintf(stderr, "trace: %llu events written to %s\n", static_cast<unsigned long long>(r.trace->events().size()), path.c_str());
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  int status = parse_args(argc, argv, a);
  if (status >= 0) return status;
  std::string name, text;
  if (!load_program(a, name, text, status)) return status;
  auto source = std::make_shared<Source>(name, text);

  if (a.command == "check") {
    std::vector<Diagnostic> diags;
    Heap constants;
    CompiledProgram program = compile(source, constants, diags);
    report_diagnostics(*source, diags, a.json);
    if (!program.main) return kExitCompile;
    if (a.bytecode) std::fputs(disassemble(*program.main).c_str(), stdout);
    return kExitOk;
  }

  if (a.command == "share") {
    std::vector<Diagnostic> diags;
    Heap constants;
    if (!compile(source, constants, diags).main) {
      report_diagnostics(*source, diags, a.json);
      std::fprintf(stderr, "(the link was not made: fix the program first)\n");
      return kExitCompile;
    }
    // The link carries what the command line set; the program's @profile line travels in it.
    RunOptions checked;
    status = build_options(a, text, checked);
    if (status >= 0) return status;
    cli::SharedProgram p;
    p.src = text;
    if (!a.profile.empty()) p.settings.emplace_back("profile", a.profile);
    for (const char* key : {"workers", "seed", "budget", "real"})
      if (auto it = a.settings.find(key); it != a.settings.end()) p.settings.emplace_back(key, it->second);
    std::printf("%s\n", cli::make_share_link(p, a.base).c_str());
    return kExitOk;
  }

  RunOptions options;
  status = build_options(a, text, options);
  if (status >= 0) return status;
  options.trace = a.command == "trace" || !a.trace_file.empty();
  options.lints = a.lints;

  StreamOutput out;
  RunResult r = run_source(source, options, out);
  if (r.exit_status == kExitCompile) {
    report_diagnostics(*source, r.diagnostics, a.json);
    return kExitCompile;
  }
  if (a.json && r.exit_status != kExitOk) {
    std::fprintf(stderr, "{\"error\":%s,\"exit_status\":%d}\n", json_quote(r.error).c_str(), r.exit_status);
  }
  if (a.lints) {
    std::string text = r.lints.empty() ? "lints: none\n" : "lints:\n";
    for (const Lint& l : r.lints) text += "  " + l.kind + ": " + l.message + "\n";
    std::fputs(text.c_str(), stderr);
  }
  if (r.trace && options.trace) {
    int s = write_trace(a, r, name);
    if (s >= 0 && r.exit_status == kExitOk) return s;
  }
  return r.exit_status;
}
