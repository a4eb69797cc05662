// The gallery: the example programs of examples/coro, built into the app (the page has no file
// system). The first comment lines of each are its summary.
#pragma once

#include <string>
#include <vector>

namespace loopscope::ui {

struct Example {
  const char* name;     // "event_loop_order"
  std::string title;    // "Event loop order"
  std::string source;
  std::string summary;  // its leading comment, without the @profile line
};

const std::vector<Example>& gallery();
const Example* find_example(const std::string& name);
// The one a first-time visitor sees.
constexpr const char* kDefaultExample = "event_loop_order";

}  // namespace loopscope::ui
