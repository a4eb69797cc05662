// libFuzzer target: any text as a settings object (the page hooks' load(source, settings), the
// module's options, a share link's JSON). It is refused with a message or turned into overrides;
// those are applied over the program's @profile line (the input's first line, when it has one)
// and refused with a message or accepted. Nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runtime/script/settings.hpp"

using namespace loopscope::script;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return -1;
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto overrides = settings_from_json(text, error);
  if (!overrides) {
    if (error.empty()) std::abort();
    return 0;
  }
  RunOptions options;
  std::string header = text.substr(0, text.find('\n'));
  error = resolve_settings("// @profile " + header + "\n", *overrides, options);
  RunOptions plain;
  std::string plain_error = resolve_settings("", *overrides, plain);
  if (plain_error.empty() && plain.workers > 64) std::abort();  // (the documented range)
  return 0;
}
