// The runtime demo both shells show: a few tasks with timers, a channel, and one step that
// waits on the platform (a JS Promise in the browser, a blocking job on the desktop).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/task/task.hpp"

namespace loopscope::ui {

struct RuntimeDemo {
  std::vector<std::string> output;  // lines, in the order the program printed them
  bool done = false;
};

// `platform_step` produces a string after some delay, the platform's way.
Task<void> run_runtime_demo(RuntimeDemo& demo, std::function<Task<std::string>()> platform_step);

}  // namespace loopscope::ui
