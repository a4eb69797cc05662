// libFuzzer target: any bytes go through the whole language — lexer, parser, compiler, and (when
// they compile) the VM on a virtual clock with small limits. Nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/script/host.hpp"

using namespace loopscope::script;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return -1;  // large inputs only slow the search down
  auto source = std::make_shared<Source>("fuzz.coro", std::string(reinterpret_cast<const char*>(data), size));
  RunOptions options;
  options.limits.max_instructions = 50'000;
  options.limits.time_limit_ms = 10'000;  // virtual milliseconds
  options.limits.max_tasks = 200;
  options.limits.max_heap_bytes = 16u << 20;
  options.limits.max_call_depth = 200;
  StringOutput out;
  run_source(source, options, out);
  return 0;
}
