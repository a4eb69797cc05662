// Lints: scheduling problems found in a trace, each with the task, the numbers and when.
//
//   long_poll           a poll ran longer than long_poll_ns without suspending (never yields)
//   scheduling_latency  a task was ready (woken or spawned) longer than latency_ns before its poll
//   lifo_starvation     the same, for a task waiting in a worker's LIFO slot (it cannot be stolen)
//   self_wake           most polls of a task end with it waking itself (busy polling)
//   blocking_call       block() or lock_blocking() on a worker: the thread stops running tasks
//   microtask_flood     one drain of the microtask queue ran longer than flood_ns while timers
//                       and I/O waited
//
//   for (const Lint& l : find_lints(trace)) print(l.message);
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runtime/trace/trace.hpp"

namespace loopscope {

struct LintOptions {
  uint64_t long_poll_ns = 10'000'000;
  uint64_t latency_ns = 10'000'000;
  uint64_t flood_ns = 10'000'000;
  double self_wake_ratio = 0.5;
  uint64_t self_wake_min_polls = 20;
};

struct Lint {
  std::string kind;     // long_poll, scheduling_latency, ...
  uint64_t task;        // the task concerned (0: none)
  uint64_t time_ns;     // when it started
  uint16_t worker;
  std::string message;  // one line, with the numbers
};

// `describe(task)` names a task in messages ("task 'hot' (id 3, spawned at line 12)").
std::vector<Lint> find_lints(const Trace& trace, const std::function<std::string(uint64_t)>& describe,
                             const LintOptions& options = {});

}  // namespace loopscope
