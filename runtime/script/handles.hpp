// Runtime handles as script objects: futures, tasks, promises, channels, mutexes, semaphores,
// notifies and coroutines. Each wraps the runtime's own type where there is one (a Channel<Value>,
// a Semaphore, a Sleep...), so a script operation is the runtime operation, traced the same way.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "runtime/script/fiber.hpp"
#include "runtime/script/object.hpp"
#include "runtime/sync/channel.hpp"
#include "runtime/sync/notify.hpp"
#include "runtime/sync/semaphore.hpp"
#include "runtime/task/join_handle.hpp"

namespace loopscope::script {

enum class PollStatus : uint8_t { Ready, Pending, Error };

struct PromiseObj;

// Anything `await` can wait on. poll() follows the runtime's contract: Ready/Error with `out`, or
// Pending after arranging for cx's waker to be woken.
struct FutureObj : Obj {
  FutureObj() : Obj(ObjType::Future) {}
  virtual PollStatus poll(VM& vm, Context& cx, Value& out) = 0;
  // For deadlock reports and the UI: "sleep(100)", "channel receive"...
  virtual std::string describe() const = 0;
  // A handle the waiting task is blocked on (a channel, a mutex...) for wait-for chains, or null.
  virtual Obj* waits_on() const { return nullptr; }
  // The future is dropped before it completed (the loser of a race, a timed-out operation):
  // release what it holds now (timers, wait-list places), not when it is garbage-collected.
  virtual void cancel(VM&) {}
  // It waits as operation `index` of a select (channel operations take part in its choice).
  virtual void join_select(const std::shared_ptr<SelectChoice>&, size_t) {}
  // It could complete at its next poll without waiting (a channel operation): for the
  // random_select lint, since Go picks among ready cases at random.
  virtual bool ready_now() const { return false; }
};

// A call of an async fn: lazy until awaited, spawned or polled (profile basic, tokio, go).
// Awaited directly, it runs inline on the awaiting fiber, like a call; polled as a future of its
// own (spawn, all, race...), it runs on its own fiber.
struct LazyCall final : FutureObj {
  enum class State : uint8_t { Unstarted, Inline, OwnFiber, Done, Failed };
  Closure* fn = nullptr;
  std::vector<Value> args;
  State state = State::Unstarted;
  Value result;
  std::unique_ptr<Fiber> fiber;  // when polled on its own
  std::vector<Waker> waiters;    // others awaiting it while it runs inline elsewhere

  PollStatus poll(VM& vm, Context& cx, Value& out) override;
  std::string describe() const override;
  void cancel(VM& vm) override;
  void finish(bool ok, Value v);  // the inline frame returned (or failed)
  void trace(Marker& m) override;
};

// A script task: a fiber run as a runtime task.
struct TaskObj final : Obj {
  TaskObj() : Obj(ObjType::Task) {}
  enum class State : uint8_t { Running, Done, Failed, Aborted };
  uint64_t id = 0;
  std::string name;
  uint32_t spawn_line = 0;  // where it was spawned (0: main)
  std::unique_ptr<Fiber> fiber;
  JoinHandle<void> handle;  // kept for abort(); completion is signalled through `waiters`
  State state = State::Running;
  bool held = false;          // simulation: its poll paused at the horizon (the next one continues it)
  uint64_t held_preempt_at = 0;  // ... and the end of its time slice then
  bool yield_when_continued = false;  // ... held where it was to yield (VM::yield_after_call)
  uint64_t blocked_ns = 0;       // simulation: lock_blocking() waits this long before it tries again
  uint64_t work_left_ns = 0;     // simulation: what is left of a work() its time slice ended in
  uint16_t locks_held = 0;       // mutexes it holds (the lock_across_await lint) ...
  bool lock_blocking = false;    // ... the last taken with lock_blocking()
  uint32_t lock_line = 0;        // ... and where
  Value result;               // value, or the very value thrown
  std::string error_trace;     // where it failed
  std::vector<Waker> waiters;  // tasks awaiting this one
  PromiseObj* promise = nullptr;  // profile node: the promise of the async call this task runs
  TaskObj* prev_live = nullptr;  // the VM's list of running tasks (GC roots)
  TaskObj* next_live = nullptr;

  void trace(Marker& m) override;
};

// Awaiting a task handle.
struct TaskJoin final : FutureObj {
  explicit TaskJoin(TaskObj* t) : task(t) {}
  TaskObj* task;
  PollStatus poll(VM& vm, Context& cx, Value& out) override;
  std::string describe() const override;
  Obj* waits_on() const override { return task; }
  void trace(Marker& m) override;
};

struct PromiseObj final : Obj {
  PromiseObj() : Obj(ObjType::Promise) {}
  enum class State : uint8_t { Pending, Fulfilled, Rejected };
  State state = State::Pending;
  Value value;
  // In registration order, as ECMAScript requires: a then() (a job calling a handler and
  // settling `derived`) or an await (a task's waker: in profile node, one job polling it).
  struct Reaction {
    Value on_fulfilled;  // a function or nil
    Value on_rejected;
    PromiseObj* derived = nullptr;  // the promise then() returned
    Waker waker;                    // an awaiting task instead
  };
  std::vector<Reaction> reactions;
  bool adopting = false;  // resolved with a promise or thenable that has not settled it yet
  bool handled = false;   // a reaction was ever added (unhandled rejections, profile node)
  void trace(Marker& m) override;
};

// Profile node's `await`: the continuation runs one job after the promise settles, also when it
// already has (ECMAScript's await is PerformPromiseThen on the promise).
struct PromiseTick final : FutureObj {
  explicit PromiseTick(PromiseObj* p) : promise(p) {}
  PromiseObj* promise;
  bool registered = false;
  PollStatus poll(VM& vm, Context& cx, Value& out) override;
  std::string describe() const override { return "a promise"; }
  Obj* waits_on() const override { return promise; }
  void trace(Marker& m) override;
};

// Profile node's `await v` of a plain value: one job later, v.
struct ValueTick final : FutureObj {
  explicit ValueTick(Value v) : value(v) {}
  Value value;
  bool waited = false;
  PollStatus poll(VM& vm, Context& cx, Value& out) override;
  std::string describe() const override { return "a microtask tick"; }
  void trace(Marker& m) override;
};

struct PromiseAwait final : FutureObj {
  explicit PromiseAwait(PromiseObj* p) : promise(p) {}
  PromiseObj* promise;
  PollStatus poll(VM& vm, Context& cx, Value& out) override;
  std::string describe() const override { return "a promise"; }
  Obj* waits_on() const override { return promise; }
  void trace(Marker& m) override;
};

struct ChannelObj final : Obj {
  ChannelObj(size_t capacity, ChannelRules rules)
      : Obj(ObjType::Channel), channel(Channel<Value>::bounded(capacity == SIZE_MAX ? Channel<Value>::kUnbounded : capacity, rules)) {}
  Channel<Value> channel;
  void trace(Marker& m) override;
};

struct MutexObj final : Obj {
  explicit MutexObj(SemaphoreRules rules) : Obj(ObjType::Mutex), semaphore(1, rules) {}
  Semaphore semaphore;
  TaskObj* owner = nullptr;  // the task holding it (for unlock checks and deadlock reports)
  uint32_t owner_line = 0;   // where it was locked
  void trace(Marker& m) override;
};

struct SemaphoreObj final : Obj {
  explicit SemaphoreObj(size_t n) : Obj(ObjType::Semaphore), semaphore(n) {}
  Semaphore semaphore;
};

struct NotifyObj final : Obj {
  explicit NotifyObj(bool oldest_first) : Obj(ObjType::Notify), notify(oldest_first) {}
  Notify notify;
};

// A lost-waker scan marks the stacks of waiting tasks only if they are in `alive` (null: the
// scan is over). See VM::lost_wakers.
void set_lost_waker_scan(const std::unordered_set<const TaskObj*>* alive);

struct CoroutineObj final : Obj {
  CoroutineObj() : Obj(ObjType::Coroutine) {}
  Closure* fn = nullptr;
  std::unique_ptr<Fiber> fiber;
  bool started = false;
  void trace(Marker& m) override;
  const char* status() const noexcept;
};

}  // namespace loopscope::script
