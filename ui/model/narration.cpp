#include "ui/model/narration.hpp"

#include <algorithm>

#include "runtime/task/header.hpp"
#include "runtime/trace/trace.hpp"
#include "ui/model/timeline.hpp"

namespace loopscope::ui {

using script::Profile;
using script::Session;
using script::Snapshot;

namespace {

std::string worker_label(uint16_t w, Profile p) {
  if (w == Trace::kOutsideWorker) return "a thread outside the workers";
  return p == Profile::Go ? "P" + std::to_string(w) : "worker " + std::to_string(w);
}

std::string lifo_name(Profile p) { return p == Profile::Go ? "runnext slot" : "LIFO slot"; }
std::string inject_name(Profile p) { return p == Profile::Go ? "global run queue" : "inject queue"; }

std::string source_phrase(TaskSource s, uint16_t w, Profile p) {
  switch (s) {
    case TaskSource::Queue: return p == Profile::Tokio || p == Profile::Go ? "from its local run queue" : "from the run queue";
    case TaskSource::Lifo: return "from its " + lifo_name(p) + ", right after the task that woke it";
    case TaskSource::Inject: return "from the " + inject_name(p);
    case TaskSource::Stolen: return "stolen from another worker's queue";
    case TaskSource::Microtask: return "from the microtask queue";
    case TaskSource::NextTick: return "from the next-tick queue";
    case TaskSource::Timers: return "in the timers phase";
    case TaskSource::Poll: return "in the poll phase (I/O)";
    case TaskSource::Check: return "in the check phase (set_immediate)";
    default: return "";
  }
  (void)w;
}

std::string phase_name(TaskSource s) {
  switch (s) {
    case TaskSource::Timers: return "timers";
    case TaskSource::Poll: return "poll (I/O)";
    case TaskSource::Check: return "check";
    default: return std::string(task_source_name(s));
  }
}

std::string at_line(uint32_t line) { return line ? " at line " + std::to_string(line) : ""; }

}  // namespace

std::string task_label(const Session& s, uint64_t task) {
  if (task == 0) return "a callback";
  std::string name = s.task_name(task);
  if (name.empty()) return "task " + std::to_string(task);
  return "'" + name + "' #" + std::to_string(task);  // (as the chips and lanes name it)
}

std::string where_queued(const Snapshot& snap, uint64_t task, Profile p) {
  const QueueState& q = snap.queues;
  for (size_t w = 0; w < q.workers.size(); ++w) {
    const QueueState::Worker& wq = q.workers[w];
    std::string who = q.workers.size() > 1 || p == Profile::Tokio || p == Profile::Go ? worker_label(static_cast<uint16_t>(w), p) + "'s " : "the ";
    if (wq.lifo == task) return "in " + who + lifo_name(p);
    if (wq.held == task) return "on " + worker_label(static_cast<uint16_t>(w), p) + ", its poll paused";
    auto it = std::find(wq.local.begin(), wq.local.end(), task);
    if (it != wq.local.end()) {
      size_t pos = static_cast<size_t>(it - wq.local.begin());
      std::string queue = who + "run queue";
      if (wq.local.size() == 1) return "alone in " + queue;
      if (pos + 1 == wq.local.size()) return "at the back of " + queue;
      if (pos == 0) return "at the front of " + queue;
      return std::to_string(pos + 1) + " of " + std::to_string(wq.local.size()) + " in " + queue;
    }
    if (std::find(wq.deferred.begin(), wq.deferred.end(), task) != wq.deferred.end())
      return "among " + who + "deferred tasks (yielded until the next look at timers and I/O)";
  }
  if (std::find(q.inject.begin(), q.inject.end(), task) != q.inject.end()) return "in the " + inject_name(p);
  if (std::find(q.microtasks.begin(), q.microtasks.end(), task) != q.microtasks.end()) return "in the microtask queue";
  if (std::find(q.next_ticks.begin(), q.next_ticks.end(), task) != q.next_ticks.end()) return "in the next-tick queue";
  return "";
}

std::string narrate(const Session& s, uint64_t index, const Snapshot* after) {
  if (index >= s.events().size()) return "";
  const TraceEvent& e = s.events()[index];
  const Session::Note& note = s.notes()[index];
  const Profile p = s.options().profile;
  const std::string who = task_label(s, e.task);
  const std::string worker = worker_label(e.worker, p);
  const std::string line = at_line(note.line);
  auto where = [&](uint64_t task) -> std::string {
    if (!after) return "";
    std::string w = where_queued(*after, task, p);
    return w.empty() ? "" : ", which waits " + w;
  };
  auto about = [&]() -> std::string { return note.about ? s.notes_text()[note.about] : "something"; };
  switch (e.kind) {
    case EventKind::Spawn: {
      if (e.a == 0) return who + " starts: the program's body is a task too.";
      std::string out = task_label(s, e.a) + " spawned " + who + line;
      if (p == Profile::Node) return out + ". In profile node an async call runs at once, up to its first await.";
      return out + where(e.task) + ".";
    }
    case EventKind::PollBegin: {
      std::string out = worker + " polls " + who + " " + source_phrase(static_cast<TaskSource>(e.a), e.worker, p);
      if (e.b) out += " (" + std::to_string(e.b) + " more waiting there)";
      return out + ".";
    }
    case EventKind::PollEnd:
      switch (static_cast<PollResult>(e.a)) {
        case PollResult::Pending: return who + " is suspended" + line + ": it waits on " + about() + ", and " + worker + " is free for other tasks.";
        case PollResult::Yielded: return who + " yields" + line + " and goes back to a queue" + where(e.task) + ".";
        case PollResult::Notified: return who + " was woken while it ran, so it is queued again" + where(e.task) + ".";
        case PollResult::Completed:
          if (note.failed) return who + " throws an error that nothing in it catches: '" + about() + "'" + line + ". It ends; whoever awaits it gets the error.";
          return who + " returns: its poll ends with its result.";
        case PollResult::Failed: return who + " throws an error that ends it; whoever awaits it gets the error.";
        case PollResult::Aborted: return who + " was aborted while it ran.";
        case PollResult::Skipped: return who + " had nothing to do: it was already running elsewhere or done.";
      }
      break;
    case EventKind::Wake:
      if (e.a == e.task) return who + " woke itself during its poll" + line + ".";
      if (e.a == 0)
        return (e.worker == Trace::kOutsideWorker ? std::string("A thread outside the workers") : worker + "'s timers or I/O") + " woke " + who + where(e.task) + ".";
      return task_label(s, e.a) + " woke " + who + line + where(e.task) + ".";
    case EventKind::Yield: return who + " woke itself, so it goes to the back of the queue instead of waiting: a yield" + line + ".";
    case EventKind::BudgetExhausted:
      return who + " has spent its cooperative budget" + line + ": this operation returns Pending and the task yields, so other tasks get a turn.";
    case EventKind::TimerRegister:
      return who + " sets timer #" + std::to_string(e.a) + line + ", due at " + format_duration(static_cast<double>(e.b)) + ".";
    case EventKind::TimerFire:
      return "Timer #" + std::to_string(e.a) + " is due: " + worker + " fires it" + (e.task ? " and wakes " + who : std::string()) + ".";
    case EventKind::TimerCancel: return who + " drops timer #" + std::to_string(e.a) + " before it fired" + line + ".";
    case EventKind::IoRegister: return who + " waits for a device to be ready" + line + " (the reactor watches it).";
    case EventKind::IoReady: return "The reactor reports a device ready on " + worker + (e.task ? "; it wakes " + who : std::string()) + ".";
    case EventKind::MicrotaskEnqueue: return who + " queues a microtask" + line + ".";
    case EventKind::MicrotaskRun: return worker + " runs the next microtask.";
    case EventKind::ChannelWait:
      return who + " waits to " + (e.b ? "receive from" : "send on") + " channel " + std::to_string(e.a) + line + ": " +
             (e.b ? "nothing has been sent yet." : "it is full (or a rendezvous: a receiver must come).");
    case EventKind::ChannelReady:
      return who + (e.b ? " received from" : " sent on") + " channel " + std::to_string(e.a) + line + ".";
    case EventKind::MutexWait: {
      std::string holder;
      if (after)
        for (const Snapshot::Mutex& m : after->mutexes)
          if (m.id == e.a && m.holder) holder = ", held by " + task_label(s, m.holder) + (m.locked_at_line ? " since line " + std::to_string(m.locked_at_line) : "");
      return who + " waits for mutex " + std::to_string(e.a) + line + holder + ".";
    }
    case EventKind::MutexAcquire: return who + " takes mutex " + std::to_string(e.a) + line + ".";
    case EventKind::TaskComplete: {
      // A script task that throws ends its poll as done; the poll's note says it failed.
      bool failed = index > 0 && s.events()[index - 1].kind == EventKind::PollEnd && s.events()[index - 1].task == e.task &&
                    s.notes()[index - 1].failed;
      return who + (failed ? " has ended with an error." : " has completed.");
    }
    case EventKind::TaskError: return who + " ended with an error.";
    case EventKind::TaskAbort: return who + " is aborted (cancelled at its suspension point).";
    case EventKind::BlockingBegin: return "Blocking job #" + std::to_string(e.a) + " starts on a thread of the blocking pool.";
    case EventKind::BlockingEnd: return "Blocking job #" + std::to_string(e.a) + " is done; the task awaiting it is woken.";
    case EventKind::Steal:
      return worker + " had nothing to do and stole " + std::to_string(e.b) + " task" + (e.b == 1 ? "" : "s") + " from " +
             worker_label(static_cast<uint16_t>(e.a), p) + "'s queue; it runs " + who + " first.";
    case EventKind::Park: return worker + " finds no work and parks: its thread sleeps until a timer, I/O or a wake-up.";
    case EventKind::Unpark:
      return worker + (e.a ? " is woken by another worker to come and look for work." : " wakes up: its timers or I/O have something ready.");
    case EventKind::LifoHit: return who + " runs next on " + worker + " from its " + lifo_name(p) + ", right after the task that woke it.";
    case EventKind::Preempt:
      return who + " ran for its whole time slice without suspending: it is preempted and goes to the " + inject_name(p) + ".";
    case EventKind::Handoff:
      return who + " blocks its thread for " + std::to_string(e.a) + " ms" + line + ": " + worker + " is handed to another thread, so the other tasks keep running.";
    case EventKind::BlockingCall:
      return who + (e.a ? " takes a thread-blocking lock" : " blocks its worker thread") + line + " for " + format_duration(static_cast<double>(e.b)) +
             ": " + worker + " runs nothing else meanwhile.";
    case EventKind::MicrotaskDrain:
      return "The microtask queue is empty again: " + std::to_string(e.a) + " job" + (e.a == 1 ? "" : "s") + " ran, taking " +
             format_duration(static_cast<double>(e.b)) + ".";
    case EventKind::Callback: {
      TaskSource phase = static_cast<TaskSource>(e.a);
      std::string what = phase == TaskSource::Timers ? "a timer callback" : phase == TaskSource::Check ? "a set_immediate callback" : "an I/O callback";
      return "The event loop, in its " + phase_name(phase) + " phase, runs " + what + ".";
    }
    case EventKind::Count: break;
  }
  return std::string(event_kind_name(e.kind));
}

}  // namespace loopscope::ui
