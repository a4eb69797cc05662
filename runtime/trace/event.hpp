// Trace events: one fixed-size record per scheduling decision.
//
// `task` is the subject (the polled, woken or spawned task); `a` and `b` are kind-specific
// arguments, listed next to each kind. Times are nanoseconds on the scheduler's clock.
#pragma once

#include <cstdint>
#include <string_view>

namespace loopscope {

enum class EventKind : uint8_t {
  Spawn,             // a: parent task (0 = outside any task)
  PollBegin,         // a: TaskSource (the queue it was taken from), b: tasks still queued there
  PollEnd,           // a: PollResult (pending, yielded, completed, failed, aborted), b: budget left
  Wake,              // a: the waking task (0 = driver, timer or another thread)
  Yield,             // the task woke itself during its poll and goes to the back of the queue
  BudgetExhausted,   // a resource refused to proceed: forced yield
  TimerRegister,     // a: timer id, b: deadline (ns)
  TimerFire,         // a: timer id
  TimerCancel,       // a: timer id
  IoRegister,        // a: fd, b: interest (1 read, 2 write)
  IoReady,           // a: fd, b: readiness bits
  MicrotaskEnqueue,  // a: microtask sequence number
  MicrotaskRun,      // a: microtask sequence number
  ChannelWait,       // a: channel id, b: 0 send / 1 recv
  ChannelReady,      // a: channel id, b: 0 send / 1 recv
  MutexWait,         // a: mutex or semaphore id
  MutexAcquire,      // a: mutex or semaphore id
  TaskComplete,      //
  TaskError,         //
  TaskAbort,         //
  BlockingBegin,     // a: job id
  BlockingEnd,       // a: job id
  Steal,             // task: the one run first; a: victim worker, b: tasks moved
  Park,              // the worker found no work and sleeps
  Unpark,            // the worker runs again; a: 1 when another worker woke it
  LifoHit,           // the task runs next from the LIFO slot (woken by the task just polled)
  Preempt,           // the task ran its whole time slice and goes to the global queue
  Handoff,           // a blocking call (block) hands the worker to other tasks; a: ms
  BlockingCall,      // a thread-blocking call on a worker; a: 0 block(), 1 lock_blocking(); b: ns
  MicrotaskDrain,    // the end of one drain of the microtask queue; a: jobs run, b: ns it took
  Callback,          // profile node: a macrotask callback runs; a: TaskSource (its phase), b: timer id
  Count
};

std::string_view event_kind_name(EventKind kind) noexcept;

// Where a polled task came from (PollBegin's a).
enum class TaskSource : uint8_t {
  Queue,      // the run queue (the single-threaded executor's, or a worker's local queue)
  Lifo,       // a worker's LIFO slot (Go: runnext)
  Inject,     // the inject queue (Go: the global queue)
  Stolen,     // another worker's local queue
  Microtask,  // a promise job or queued microtask (profile node)
  NextTick,   // the next-tick queue (profile node)
  Timers,     // a timer callback (profile node's timers phase)
  Poll,       // an I/O completion (profile node's poll phase)
  Check,      // set_immediate (profile node's check phase)
  Count
};
std::string_view task_source_name(TaskSource source) noexcept;

struct TraceEvent {
  uint64_t time_ns;
  uint64_t task;
  uint64_t a;
  uint64_t b;
  EventKind kind;
  uint8_t reserved = 0;
  uint16_t worker;
  uint32_t seq;  // order within the worker's ring (in a simulation: of all events), to break ties between equal times
};

}  // namespace loopscope
