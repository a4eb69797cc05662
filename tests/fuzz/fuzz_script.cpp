// libFuzzer target: any bytes go through the whole language — lexer, parser, compiler, and (when
// they compile) the VM in simulation with small limits, under the profile and the scheduling
// settings of the program's @profile line. Nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/script/host.hpp"

using namespace loopscope::script;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return -1;  // large inputs only slow the search down
  std::string text(reinterpret_cast<const char*>(data), size);
  auto source = std::make_shared<Source>("fuzz.coro", text);
  RunOptions options;
  HeaderSettings header = read_header(text);
  if (auto profile = parse_profile(header.profile)) options.profile = *profile;
  for (const auto& [key, value] : header.options)
    if (key == "workers" || key == "seed" || key == "budget") apply_setting(options, key, value);
  if (options.workers > 4) options.workers = 4;
  options.limits.max_instructions = 50'000;
  options.limits.time_limit_ms = 10'000;  // virtual milliseconds
  options.limits.max_tasks = 200;
  options.limits.max_heap_bytes = 16u << 20;
  options.limits.max_call_depth = 200;
  StringOutput out;
  run_source(source, options, out);
  return 0;
}
