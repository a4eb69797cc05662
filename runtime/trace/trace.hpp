// Trace: the record of every scheduling decision, for the UI, the tests and Perfetto.
//
// Each worker writes to its own ring, so emitting is a bounds check and a store, no lock. Threads
// that are not workers (a blocking job, the thread in block_on) emit as kOutsideWorker into one
// shared ring behind a lock. When a ring is full the oldest events are overwritten (a flight recorder) and counted as dropped.
// Code that emits checks a Trace* first: with tracing off that is the one branch it costs.
//
//   Trace trace(clock);
//   LocalExecutor ex(driver, {.trace = &trace});
//   ...
//   write_chrome_trace(trace, out);       // open in Perfetto (trace/export.hpp)
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/trace/event.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

class Clock;

class Trace {
 public:
  static constexpr size_t kDefaultCapacity = size_t{1} << 20;  // events per worker
  static constexpr uint16_t kOutsideWorker = 0xFFFF;

  explicit Trace(const Clock& clock, unsigned workers = 1, size_t capacity_per_worker = kDefaultCapacity);

  void emit(uint16_t worker, EventKind kind, uint64_t task, uint64_t a = 0, uint64_t b = 0) noexcept {
    emit_at(now(), worker, kind, task, a, b);
  }
  // An event that happened at `time_ns` (now() read earlier): a wake-up is stamped before its task
  // is queued, where another thread may poll it at once, and emitted after, so that a snapshot at
  // the event sees the task in its queue.
  void emit_at(uint64_t time_ns, uint16_t worker, EventKind kind, uint64_t task, uint64_t a = 0, uint64_t b = 0) noexcept;
  uint64_t now() const noexcept;

  // Names shown for tasks and objects (channels, mutexes) in exports and the UI. Any thread.
  void name_task(uint64_t task, std::string_view name) { this->name(task_names_, task, name); }
  std::string task_name(uint64_t task) const { return lookup(task_names_, task); }
  void name_object(uint64_t id, std::string_view name) { this->name(object_names_, id, name); }
  std::string object_name(uint64_t id) const { return lookup(object_names_, id); }

  // All retained events of all workers, in time order.
  std::vector<TraceEvent> events() const;
  uint64_t total() const noexcept;    // emitted since creation
  uint64_t dropped() const noexcept;  // overwritten because a ring was full
  unsigned workers() const noexcept { return static_cast<unsigned>(rings_.size() - 1); }
  // Every event is emitted from one thread (a simulation): events at the same time keep the
  // order they were emitted in across workers, not only within each.
  void set_one_thread() noexcept { one_thread_ = true; }
  // What produced it (the profile and its settings), shown in exports.
  void set_label(std::string label) { label_ = std::move(label); }
  const std::string& label() const noexcept { return label_; }
  // The trace outlives the run that recorded it: stop reading the clock (later events get time 0).
  void detach_clock() noexcept { clock_ = nullptr; }

  // Sees every event as it is written, on the emitting thread (a Session keeps the events of a
  // simulation in emission order, and pauses or looks at the run at a given event).
  class Listener {
   public:
    virtual void on_event(const TraceEvent& event) = 0;

   protected:
    ~Listener() = default;
  };
  void set_listener(Listener* listener) noexcept { listener_ = listener; }

  // Ids for traced objects (channels, mutexes...), counted from 1 by whichever ObjectIds is in
  // use, so that a run gets the same ids wherever it runs and however many ran before it.
  static uint64_t next_object_id() noexcept;
  class ObjectIds;

 private:
  void name(std::unordered_map<uint64_t, std::string>& names, uint64_t id, std::string_view name);
  std::string lookup(const std::unordered_map<uint64_t, std::string>& names, uint64_t id) const;

  struct Ring {
    std::vector<TraceEvent> events;
    // Written by the ring's one writer; read by any thread (total(): a run's trace limit, looked
    // at from every worker), hence atomic, relaxed: a count, not a fence.
    std::atomic<uint64_t> written{0};
    uint64_t count() const noexcept { return written.load(std::memory_order_relaxed); }
  };
  const Clock* clock_;
  size_t capacity_;
  std::string label_;
  bool one_thread_ = false;
  uint64_t emitted_ = 0;  // with one_thread_: the order of emission
  Listener* listener_ = nullptr;
  void write(Ring& ring, const TraceEvent& e) noexcept;

  std::vector<Ring> rings_;  // one per worker, then the shared ring of other threads
  SpinLock outside_lock_;
  mutable SpinLock names_lock_;
  std::unordered_map<uint64_t, std::string> task_names_;
  std::unordered_map<uint64_t, std::string> object_names_;
};

// The object id counter of one run. Use installs it while the run steps (for a whole run, or
// for each turn of a run stepped in turns with others) and puts the previous one back.
class Trace::ObjectIds {
 public:
  ObjectIds() = default;
  ObjectIds(const ObjectIds&) = delete;
  ObjectIds& operator=(const ObjectIds&) = delete;

  struct Use {
    explicit Use(ObjectIds& ids) noexcept : previous(current_.exchange(&ids.next_)) {}
    ~Use() { current_.store(previous); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    std::atomic<uint64_t>* previous;
  };

 private:
  friend class Trace;
  static std::atomic<std::atomic<uint64_t>*> current_;
  std::atomic<uint64_t> next_{0};
};

}  // namespace loopscope
