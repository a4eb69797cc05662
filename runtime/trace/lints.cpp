#include "runtime/trace/lints.hpp"

#include <cstdio>
#include <map>
#include <unordered_map>

#include "runtime/task/header.hpp"

namespace loopscope {

namespace {

std::string ms(uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(ns) / 1e6);
  return buf;
}

std::string where(const TraceEvent& e) {
  std::string w = e.worker == Trace::kOutsideWorker ? "outside the workers" : "on worker " + std::to_string(e.worker);
  return "at " + ms(e.time_ns) + " " + w;
}

}  // namespace

std::vector<Lint> find_lints(const Trace& trace, const std::function<std::string(uint64_t)>& describe,
                             const LintOptions& options) {
  std::vector<Lint> lints;
  // The same problem of the same task is one lint: the first time, and how often it recurred.
  std::map<std::pair<std::string, uint64_t>, std::pair<size_t, uint64_t>> seen;  // → index, repeats
  auto add = [&](const char* kind, const TraceEvent& at, uint64_t task, std::string message) {
    auto [it, fresh] = seen.try_emplace({kind, task}, lints.size(), 0);
    if (fresh) {
      lints.push_back(Lint{kind, task, at.time_ns, at.worker, std::move(message)});
    } else {
      ++it->second.second;
    }
  };
  std::unordered_map<uint16_t, TraceEvent> poll_begin;  // per worker, the poll in progress
  std::unordered_map<uint64_t, TraceEvent> ready;       // per task, since when it waits to be polled
  struct Counts {
    uint64_t polls = 0;
    uint64_t self_wakes = 0;
    TraceEvent first;
  };
  std::map<uint64_t, Counts> per_task;  // ordered by task id: stable output

  for (const TraceEvent& e : trace.events()) {
    switch (e.kind) {
      case EventKind::Spawn:
      case EventKind::Wake:
        ready.emplace(e.task, e);  // the first of several wake-ups counts
        break;
      case EventKind::PollBegin: {
        poll_begin[e.worker] = e;
        auto it = ready.find(e.task);
        if (it != ready.end()) {
          uint64_t waited = e.time_ns - it->second.time_ns;
          if (waited > options.latency_ns) {
            bool lifo = static_cast<TaskSource>(e.a) == TaskSource::Lifo;
            add(lifo ? "lifo_starvation" : "scheduling_latency", it->second, e.task,
                describe(e.task) + (lifo ? " waited in the LIFO slot of worker " + std::to_string(e.worker) + " for "
                                         : " was ready for ") +
                    ms(waited) + " before it was polled (" + where(it->second) + ")" +
                    (lifo ? ": the slot cannot be stolen, and its worker was busy" : ""));
          }
          ready.erase(it);
        }
        Counts& c = per_task[e.task];
        if (c.polls++ == 0) c.first = e;
        break;
      }
      case EventKind::PollEnd: {
        auto it = poll_begin.find(e.worker);
        if (it == poll_begin.end() || it->second.task != e.task) break;
        uint64_t ran = e.time_ns - it->second.time_ns;
        if (ran > options.long_poll_ns)
          add("long_poll", it->second, e.task,
              describe(e.task) + " ran " + ms(ran) + " without suspending (" + where(it->second) +
                  "): nothing else ran on that worker meanwhile");
        if (static_cast<PollResult>(e.a) == PollResult::Yielded) ++per_task[e.task].self_wakes;
        poll_begin.erase(it);
        break;
      }
      case EventKind::BlockingCall:
        add("blocking_call", e, e.task,
            describe(e.task) + (e.a == 1 ? " called lock_blocking()" : " called block(" + ms(e.b) + ")") + " " + where(e) +
                ": the worker thread stops running tasks while it waits");
        break;
      case EventKind::MicrotaskDrain:
        if (e.b > options.flood_ns)
          add("microtask_flood", e, 0,
              std::to_string(e.a) + " microtasks and next ticks ran for " + ms(e.b) + " in one go (" + where(e) +
                  "): timers, I/O and immediates waited that long");
        break;
      default: break;
    }
  }
  for (const auto& [key, at] : seen)
    if (at.second > 0) lints[at.first].message += " — and " + std::to_string(at.second) + " more times";
  for (const auto& [task, c] : per_task) {
    if (c.polls >= options.self_wake_min_polls &&
        static_cast<double>(c.self_wakes) > options.self_wake_ratio * static_cast<double>(c.polls)) {
      add("self_wake", c.first, task,
          describe(task) + " woke itself in " + std::to_string(c.self_wakes) + " of its " + std::to_string(c.polls) +
              " polls: it keeps asking to run again (busy polling) instead of waiting for an event");
    }
  }
  return lints;
}

}  // namespace loopscope
