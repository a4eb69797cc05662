// Draws the runtime demo: its output, and the trace events as a list (ImGui, immediate mode).
#pragma once

#include <string_view>
#include <vector>

#include "runtime/trace/trace.hpp"
#include "ui/demo/runtime_demo.hpp"

namespace loopscope::ui {

// What the trace list shows; refreshed only when the trace has grown.
struct TraceListCache {
  uint64_t seen_total = UINT64_MAX;
  std::vector<TraceEvent> events;
};

void DrawRuntimeDemo(const RuntimeDemo& demo, const Trace& trace, TraceListCache& cache, std::string_view platform);

}  // namespace loopscope::ui
