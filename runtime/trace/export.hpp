// Trace exporters.
//
//   write_jsonl(trace, std::cout);        // one JSON object per line: tests, diffing, the UI
//   write_chrome_trace(trace, file);      // Chrome Trace Event JSON: open it in Perfetto
//
// The Chrome export has one lane per worker (a slice per poll, named after the task), one async
// track per task (spawn to completion) and a flow arrow for each wake-up, from the waker to the
// woken task's next poll.
#pragma once

#include <ostream>

#include "runtime/trace/trace.hpp"

namespace loopscope {

void write_jsonl(const Trace& trace, std::ostream& out);
void write_chrome_trace(const Trace& trace, std::ostream& out);

}  // namespace loopscope
