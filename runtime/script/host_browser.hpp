// Real-time runs in the page: the program runs on the page's event loop in slices of a few
// milliseconds (BrowserRuntime), so the page stays responsive even while a task never yields —
// such a poll is held at the end of a slice and goes on in the next, and the run reports the
// task as starving. Browser builds only (host_browser.cpp).
//
//   start_page_run(source, options, [](const RunResult& r, const StringOutput& out) { ... });
#pragma once

#include <memory>

#include "runtime/script/host.hpp"
#include "runtime/util/small_function.hpp"

namespace loopscope::script {

using PageRunDone = SmallFunction<void(const RunResult&, const StringOutput&)>;

// Starts the run and returns; `done` is called once when the program ended — at once for a
// compile error or settings the page cannot run (more than one worker: the page has one thread).
void start_page_run(std::shared_ptr<const Source> source, const RunOptions& options, PageRunDone done);

// How long a task may run without yielding before the run reports it as starving the others.
inline constexpr uint64_t kStarvingNs = 100'000'000;

}  // namespace loopscope::script
