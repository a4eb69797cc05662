#include "runtime/trace/export.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "runtime/task/header.hpp"
#include "runtime/util/json_string.hpp"

namespace loopscope {

namespace {

std::string task_label(const Trace& trace, uint64_t task) {
  std::string name = trace.task_name(task);
  std::string label = "task " + std::to_string(task);
  return name.empty() ? label : name + " (" + label + ")";
}

const char* poll_result_name(uint64_t r) {
  switch (static_cast<PollResult>(r)) {
    case PollResult::Pending: return "pending";
    case PollResult::Yielded: return "yielded";
    case PollResult::Notified: return "woken_while_running";
    case PollResult::Completed: return "ready";
    case PollResult::Failed: return "error";
    case PollResult::Aborted: return "aborted";
    case PollResult::Skipped: return "skipped";
  }
  return "unknown";
}

// Microseconds with nanosecond precision, as Chrome's format wants.
void write_us(std::ostream& out, uint64_t ns) {
  out << ns / 1000 << '.';
  char buf[4];
  std::snprintf(buf, sizeof buf, "%03u", static_cast<unsigned>(ns % 1000));
  out << buf;
}

// A task source under the profile's own names: a worker's run queue is its local queue, and Go
// calls the LIFO slot runnext and the inject queue the global queue.
std::string_view source_name(const Trace& trace, uint64_t source) {
  auto s = static_cast<TaskSource>(source);
  bool go = trace.label().rfind("go", 0) == 0, stealing = go || trace.label().rfind("tokio", 0) == 0;
  if (go && s == TaskSource::Lifo) return "runnext";
  if (go && s == TaskSource::Inject) return "global";
  if (stealing && s == TaskSource::Queue) return "local";  // each worker's own queue
  return task_source_name(s);
}

}  // namespace

void write_jsonl(const Trace& trace, std::ostream& out) {
  auto events = trace.events();
  out << "{\"type\":\"meta\",\"workers\":" << trace.workers();
  if (!trace.label().empty()) out << ",\"profile\":" << json_quote(trace.label());
  out << ",\"events\":" << events.size() << ",\"dropped\":" << trace.dropped() << "}\n";
  std::unordered_map<uint64_t, bool> named;
  for (const TraceEvent& e : events) {
    if (e.kind == EventKind::Spawn && !named[e.task]) {
      named[e.task] = true;
      std::string name = trace.task_name(e.task);
      if (!name.empty()) {
        out << "{\"type\":\"task\",\"id\":" << e.task << ",\"name\":";
        out << json_quote(name);
        out << "}\n";
      }
    }
    out << "{\"t\":" << e.time_ns << ",\"w\":" << e.worker << ",\"kind\":\"" << event_kind_name(e.kind)
        << "\",\"task\":" << e.task;
    if (e.kind == EventKind::PollEnd) {
      out << ",\"result\":\"" << poll_result_name(e.a) << '"';
      if (e.b != Budget::kUnconstrained) out << ",\"budget\":" << e.b;
    } else if (e.kind == EventKind::PollBegin) {
      out << ",\"source\":\"" << source_name(trace, e.a) << "\",\"queued\":" << e.b;
    } else if (e.kind == EventKind::Callback) {
      out << ",\"phase\":\"" << task_source_name(static_cast<TaskSource>(e.a)) << '"';
      if (e.b) out << ",\"timer\":" << e.b;
    } else {
      out << ",\"a\":" << e.a << ",\"b\":" << e.b;
    }
    out << "}\n";
  }
}

void write_chrome_trace(const Trace& trace, std::ostream& out) {
  auto events = trace.events();
  out << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
  out << R"({"name":"process_name","ph":"M","pid":1,"args":{"name":)"
      << json_quote(trace.label().empty() ? "Loopscope workers" : "Loopscope workers (" + trace.label() + ")") << "}}";
  out << ",\n" << R"({"name":"process_name","ph":"M","pid":2,"args":{"name":"Loopscope tasks"}})";
  for (unsigned w = 0; w < trace.workers(); ++w) {
    out << ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":" << w
        << ",\"args\":{\"name\":\"worker " << w << "\"}}";
  }
  if (std::any_of(events.begin(), events.end(), [](const TraceEvent& e) { return e.worker == Trace::kOutsideWorker; }))
    out << ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":" << Trace::kOutsideWorker
        << ",\"args\":{\"name\":\"outside the workers\"}}";

  // Flow ids of wake-ups waiting for the woken task's next poll.
  std::unordered_map<uint64_t, uint64_t> pending_flow;
  uint64_t next_flow = 1;
  auto common = [&](const char* ph, const TraceEvent& e) {
    out << ",\n{\"ph\":\"" << ph << "\",\"pid\":1,\"tid\":" << e.worker << ",\"ts\":";
    write_us(out, e.time_ns);
  };

  for (const TraceEvent& e : events) {
    switch (e.kind) {
      case EventKind::PollBegin: {
        common("B", e);
        out << ",\"cat\":\"poll\",\"name\":";
        out << json_quote(task_label(trace, e.task));
        out << ",\"args\":{\"task\":" << e.task << ",\"from\":\"" << source_name(trace, e.a) << "\"}}";
        // Queue depth of this worker as a counter track.
        out << ",\n{\"ph\":\"C\",\"pid\":1,\"name\":\"queued on worker " << e.worker << "\",\"ts\":";
        write_us(out, e.time_ns);
        out << ",\"args\":{\"tasks\":" << e.b << "}}";
        auto it = pending_flow.find(e.task);
        if (it != pending_flow.end()) {
          common("f", e);
          out << ",\"bp\":\"e\",\"cat\":\"wake\",\"name\":\"wake\",\"id\":" << it->second << "}";
          pending_flow.erase(it);
        }
        break;
      }
      case EventKind::PollEnd:
        common("E", e);
        out << ",\"args\":{\"result\":\"" << poll_result_name(e.a) << '"';
        if (e.b != Budget::kUnconstrained) out << ",\"budget_left\":" << e.b;
        out << "}}";
        break;
      case EventKind::Wake: {
        if (pending_flow.count(e.task)) break;  // one arrow per poll is enough
        uint64_t id = next_flow++;
        pending_flow[e.task] = id;
        if (e.a == 0) {
          // Woken by the driver (timer, I/O) or another thread: give the arrow a slice to start from.
          common("X", e);
          out << ",\"dur\":0.001,\"cat\":\"wake\",\"name\":\"driver wake\",\"args\":{\"task\":" << e.task << "}}";
        }
        common("s", e);
        out << ",\"cat\":\"wake\",\"name\":\"wake\",\"id\":" << id << "}";
        break;
      }
      case EventKind::Spawn:
        out << ",\n{\"ph\":\"b\",\"pid\":2,\"tid\":0,\"cat\":\"task\",\"id\":" << e.task << ",\"ts\":";
        write_us(out, e.time_ns);
        out << ",\"name\":";
        out << json_quote(task_label(trace, e.task));
        out << ",\"args\":{\"parent\":" << e.a << "}}";
        break;
      case EventKind::TaskComplete:
      case EventKind::TaskError:
      case EventKind::TaskAbort:
        out << ",\n{\"ph\":\"e\",\"pid\":2,\"tid\":0,\"cat\":\"task\",\"id\":" << e.task << ",\"ts\":";
        write_us(out, e.time_ns);
        out << ",\"name\":";
        out << json_quote(task_label(trace, e.task));
        out << ",\"args\":{\"end\":\"" << event_kind_name(e.kind) << "\"}}";
        common("i", e);
        out << ",\"s\":\"t\",\"cat\":\"task\",\"name\":\"" << event_kind_name(e.kind) << "\",\"args\":{\"task\":"
            << e.task << "}}";
        break;
      default:
        common("i", e);
        out << ",\"s\":\"t\",\"cat\":\"sched\",\"name\":\"" << event_kind_name(e.kind) << "\",\"args\":{\"task\":"
            << e.task << ",\"a\":" << e.a << ",\"b\":" << e.b << "}}";
        break;
    }
  }
  out << "\n]}\n";
}

}  // namespace loopscope
