// libFuzzer target: any text as a share link (base64url of raw DEFLATE of JSON, the page's
// fragment or the command's argument). It is refused with a message or read into a program and
// its settings; nothing may crash, hang, leak or inflate without bound. What it reads must make
// the same link again (a link the page or the command writes is read back as it was).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cli/share.hpp"

using namespace loopscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return -1;
  std::string link(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto shared = cli::read_share(link, error);
  if (!shared) {
    if (error.empty()) std::abort();  // a refusal always says why
    return 0;
  }
  auto again = cli::read_share(cli::make_share_payload(*shared), error);
  if (!again || again->src != shared->src) std::abort();
  return 0;
}
