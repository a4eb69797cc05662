// Session: a simulated run of a program that a viewer steps, slices and rewinds.
//
// The run is the same run `loopscope trace` makes (same output, same events, byte for byte);
// the session only decides when it pauses. Events are numbered in the order they were emitted.
// Rewinding re-runs: the simulation is deterministic, so the run up to any event is the same
// every time, and a snapshot of an earlier moment costs a replay from the nearest replay paused
// before it (prepare() spreads them along the run), not a copy of every moment (docs/design.md).
//
//   Session s(source_text, options);            // compiles; diagnostics() if that failed
//   s.step(100);                                // at least 100 more events, or to the end
//   s.run_for(8);                               // at most ~8 ms of real time
//   s.seek(42);  s.output();                    // what had been printed by event 42
//   s.snapshot_json(42);                        // the queues right after event 42 (or nullopt)
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/script/compiler.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/script/host.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope::script {

class SimulatedRun;
class SessionOutput;
class LiveRun;

// The moment right after an event: the scheduler's queues (sched/scheduler.hpp), the live tasks
// (what each waits on, and where), the reactor's interests, channels and mutexes.
struct Snapshot {
  uint64_t event = 0, time_ns = 0;
  QueueState queues;
  struct Task {
    uint64_t id;
    std::string name, state, waits_on, about;
    uint32_t line;  // where it waits (0: it does not)
  };
  std::vector<Task> tasks;
  struct Interest {
    uint64_t task;
    std::string interest;
  };
  std::vector<Interest> reactor;
  struct Chan {
    uint64_t id;
    std::optional<size_t> capacity;  // nullopt: unbounded
    bool closed;
    std::vector<std::string> buffered;           // as print() shows them, next out first
    std::vector<uint64_t> senders, receivers;    // waiting tasks, oldest first
  };
  std::vector<Chan> channels;
  struct Mutex {
    uint64_t id, holder;  // holder 0: free
    uint32_t locked_at_line;
    std::vector<uint64_t> waiters;  // in the order they will get it
  };
  std::vector<Mutex> mutexes;
};
// The JSON the module gives pages (docs/embedding.md).
std::string to_json(const Snapshot& snapshot);

// A Session of `options.real` watches a real run instead (natively on threads of its own, in the
// page on its event loop): moving on takes the events that came meanwhile, the cursor moves
// over what was recorded, and there are no snapshots (a real run cannot be replayed).
class Session {
 public:
  Session(std::string source_text, RunOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Compile errors: the session has no run, and ended() is true.
  const std::vector<Diagnostic>& diagnostics() const noexcept { return result_.diagnostics; }
  bool ended() const noexcept;
  // Exit status, error and lints, once ended.
  const RunResult& result() const noexcept { return result_; }

  // --- moving on (each returns the number of events recorded so far) ----------------------------
  // At least `events` more events, or to the end. Stops at the next instruction of a script's
  // poll after the event that reaches the count (profile node: of an outermost poll — an async
  // call's first part runs inside its caller's poll — or when its loop next waits).
  uint64_t step(uint64_t events);
  // The same, stopping sooner when about `max_ms` of real time has passed (a page's frame).
  uint64_t step(uint64_t events, double max_ms);
  // Until the next poll ends.
  uint64_t step_poll();
  // For at most about `ms` of real time (a page's frame budget), or to the end.
  uint64_t run_for(double ms);
  uint64_t run_to_end();

  // --- looking ------------------------------------------------------------------------------------
  // The viewer's moment: events before it are the past. Moves to `event` (running on when it was
  // not recorded yet); stays within what was recorded.
  void seek(uint64_t event);
  uint64_t position() const noexcept { return position_; }
  // Every event recorded, in emission order (contiguous: views over it stay valid until more
  // events are recorded).
  const std::vector<TraceEvent>& events() const noexcept { return events_; }
  // Events of each kind up to the viewer's moment (index: EventKind).
  const std::array<double, static_cast<size_t>(EventKind::Count)>& counters() const noexcept { return counters_; }
  // What the program printed (stdout) and reported (stderr) up to the viewer's moment.
  std::string output() const;
  std::string errors() const;
  // Each print (and each report on stderr) with who made it and when: it came right after event
  // `event - 1` (0: before any), in task `task` (0: a callback, or the run itself).
  struct Printed {
    uint64_t event;
    uint64_t task;
    uint64_t time_ns;
    uint32_t line;
    bool err;
    std::string text;
  };
  const std::vector<Printed>& printed() const noexcept;

  // What a viewer is told beside each event (index: the event's): the source line being run
  // when it was emitted (0: the scheduler's own work), and for a poll that ended waiting, what
  // the task waits on and where (notes_text()[about]; 0: nothing to say).
  enum class Wait : uint8_t { None, Sleep, Channel, Lock, Join, Promise, Io, Yield, Other };
  struct Note {
    uint32_t line = 0;
    uint32_t about = 0;
    Wait wait = Wait::None;
    bool failed = false;  // a poll that ended its task by an uncaught error (about: the error)
  };
  const std::vector<Note>& notes() const noexcept { return notes_; }
  const std::vector<std::string>& notes_text() const noexcept { return notes_text_; }
  // Task and object names of the trace ("main", "producer"; "" when unnamed).
  std::string task_name(uint64_t task) const;
  // The run's workers (1 for basic and node), and its settings as a trace label ("tokio workers=2 ...").
  uint32_t workers() const noexcept;
  // The run's clock now (virtual ns): past the last event while a poll spins between events.
  uint64_t time_ns() const noexcept;
  const RunOptions& options() const noexcept { return options_; }
  bool real() const noexcept { return live_ != nullptr; }
  // The queues, tasks, channels and mutexes right after `event` was emitted, as JSON; the session
  // runs on to it when it was not recorded yet. An event the run does not have (past its end, or
  // a program that did not compile) is an error: nullopt, and `error` says why.
  std::optional<Snapshot> snapshot(uint64_t event, std::string* error = nullptr);
  std::optional<std::string> snapshot_json(uint64_t event, std::string* error = nullptr);
  // Spends up to about `max_ms` of real time making seeks into the past cheap (a viewer's idle
  // frames): replays paused along the run, so that a snapshot anywhere replays at most about
  // 1/12 of the run. Returns false when there is nothing left to do.
  bool prepare(double max_ms);
  // Tasks whose current poll has run for at least `min_ns` of the run's time without yielding —
  // a while-true being sliced — as JSON: [{task, worker, ms, about}]. Empty once ended.
  struct Starving {
    uint64_t task;  // 0: a callback
    uint16_t worker;
    double ms;
    std::string about;
  };
  std::vector<Starving> starving(uint64_t min_ns = 10'000'000) const;
  std::string starving_json(uint64_t min_ns = 10'000'000) const;
  // The trace recorded so far, for Perfetto (trace/export.hpp).
  std::string chrome_trace() const;
  std::string jsonl_trace() const;

 private:
  class Recorder;
  struct Run;  // a run of this program: the session's own, or a replay for a snapshot of the past
  std::unique_ptr<Run> start_run(Recorder* recorder, Output* out, RunResult* result);
  uint64_t advance(Recorder& recorder, Run& run);
  uint64_t moved_to_end();
  void recount();

  std::shared_ptr<const Source> source_;
  RunOptions options_;
  Heap constants_;
  std::unique_ptr<CompiledProgram> program_;
  RunResult result_;
  std::unique_ptr<SessionOutput> out_;
  std::unique_ptr<Recorder> recorder_;
  std::unique_ptr<Run> run_;
  std::shared_ptr<LiveRun> live_;  // real: the run, watched
  bool live_ended_ = false;
  uint64_t take_live(double wait_ms);
  // Replays for snapshots of the past: the checkpoints prepare() spreads along the run, and the
  // one the last snapshot was taken with, paused there for the next step forward.
  struct Replay;
  std::unique_ptr<Replay> start_replay(uint64_t snapshot_at);
  bool drop_crowded_replay(uint64_t than);
  std::vector<std::unique_ptr<Replay>> replays_;
  static constexpr size_t kCheckpoints = 12;
  static constexpr uint64_t kCheckpointMin = 16384;  // events: closer ones do not pay for themselves
  // Snapshots of consecutive moments up to the last one taken (a viewer stepping back visits
  // them next), as many as about kBacklogNs of describing buys.
  std::deque<Snapshot> recent_;
  uint64_t describe_ns_ = 0;
  static constexpr uint64_t kBacklogNs = 2'000'000, kBacklogMax = 256;
  std::vector<TraceEvent> events_;
  std::vector<Note> notes_;
  std::vector<std::string> notes_text_{""};
  std::array<double, static_cast<size_t>(EventKind::Count)> counters_{};
  uint64_t position_ = 0;
  uint64_t counted_ = 0;  // counters_ cover events [0, counted_)
};

}  // namespace loopscope::script
