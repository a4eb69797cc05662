#include <emscripten/emscripten.h>

#include <cstdio>
#include <exception>

#include "runtime/platform/browser/browser_runtime.hpp"
#include "runtime/platform/entry.hpp"

namespace loopscope {

namespace {
Task<void> run_and_exit(Task<int> app) {
  int status = 1;
  try {
    status = co_await std::move(app);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: %s\n", e.what());
  }
  std::fflush(stdout);
  emscripten_force_exit(status);
}
}  // namespace

int run_to_exit(Task<int> app) {
  BrowserRuntime::global().spawn(run_and_exit(std::move(app)), "main").detach();
  emscripten_exit_with_live_runtime();  // hands the thread back to the event loop; does not return
  return 0;
}

}  // namespace loopscope
