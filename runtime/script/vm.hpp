// VM: runs compiled programs on fibers, as tasks of the Loopscope runtime.
//
// A script task is a runtime task whose future runs the task's fiber until it finishes or awaits
// something pending; `await` of a runtime future (a sleep, a channel receive, another task...)
// polls it with the task's Context, so the runtime's waker and scheduler do the rest. The VM
// itself never decides what runs next: it runs a fiber when the scheduler polls its task, and
// reports why it stopped.
//
// The VM counts instructions, can stop between any two of them (for limits, and for hosts that
// slice execution), and enforces the limits of spec section 9.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <string_view>
#include <vector>

#include "runtime/script/bytecode.hpp"
#include "runtime/script/fiber.hpp"
#include "runtime/script/handles.hpp"
#include "runtime/script/heap.hpp"
#include "runtime/trace/lints.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope {
class SimWorld;
class NodeLoop;
}

namespace loopscope::script {

// The scheduler model a program runs under (spec section 8).
enum class Profile : uint8_t { Basic, Node, Tokio, Go };
const char* profile_name(Profile p) noexcept;

struct Limits {
  uint64_t max_instructions = 200'000'000;
  uint64_t time_limit_ms = 60'000;
  size_t max_tasks = 100'000;
  size_t max_trace_events = 2'000'000;
  size_t max_heap_bytes = size_t{1} << 30;
  uint32_t max_call_depth = 10'000;
};

// Where print() and diagnostics go.
// The line a fiber is at (where it waits, when it waits); 0 when it has no frame.
uint32_t fiber_line(const Fiber& f) noexcept;
// What to print for a thrown value: its message for an error map, the text for a string.
std::string error_text(const Value& error);

class Output {
 public:
  virtual ~Output() = default;
  virtual void out(std::string_view text) = 0;  // program output (stdout)
  virtual void err(std::string_view text) = 0;  // warnings and errors (stderr)
};

// A recursive lock that can also be let go of entirely for a while (block() sleeping).
class VmLock {
 public:
  void lock() {
    auto me = std::this_thread::get_id();
    if (owner_.load(std::memory_order_relaxed) == me) {
      ++depth_;
      return;
    }
    mutex_.lock();
    owner_.store(me, std::memory_order_relaxed);
    depth_ = 1;
  }
  void unlock() {
    if (--depth_ == 0) {
      owner_.store(std::thread::id(), std::memory_order_relaxed);
      mutex_.unlock();
    }
  }
  // Lets go of the lock for the scope of this object (if this thread holds it), then takes it
  // back at the same depth.
  class Released {
   public:
    explicit Released(VmLock& l) : lock_(l), depth_(0) {
      if (l.owner_.load(std::memory_order_relaxed) != std::this_thread::get_id()) return;
      depth_ = l.depth_;
      l.depth_ = 1;
      l.unlock();
    }
    ~Released() {
      if (!depth_) return;
      lock_.lock();
      lock_.depth_ = depth_;
    }

   private:
    VmLock& lock_;
    int depth_;
  };

 private:
  std::mutex mutex_;
  std::atomic<std::thread::id> owner_{};
  int depth_ = 0;
};

enum class StopKind : uint8_t { Limit, Deadlock, Error };

// Why execute() returned.
enum class ExecStatus : uint8_t {
  Done,       // the fiber returned (Fiber::result)
  Failed,     // an error escaped the fiber (Fiber::result, Fiber::error_trace)
  Suspended,  // it awaits a pending future; its task's waker is registered
  Paused,     // it used up its instruction budget; run it again to continue
  Stopped,    // a limit was reached: the program must stop (VM::stop_message)
};

// A script function called by a scheduler that may be held like a task's poll (at the end of
// the page's slice, at a session's pause, when the simulated world must catch up) instead of
// running to its end: VM::call_holdable then keeps its fiber here and returns Held, and the next
// call_holdable with the same HeldCall goes on with it. Profile node's callbacks and promise
// jobs, and a timer's function, are such calls: a `while true {}` in them is sliced too.
class HeldCall {
 public:
  HeldCall() = default;
  HeldCall(HeldCall&& o) noexcept : vm_(o.vm_), fiber_(std::exchange(o.fiber_, nullptr)) {}
  HeldCall& operator=(HeldCall&&) = delete;
  ~HeldCall();  // a call dropped while held (the program ended) gives its fiber back
  bool held() const noexcept { return fiber_ != nullptr; }

 private:
  friend class VM;
  VM* vm_ = nullptr;
  Fiber* fiber_ = nullptr;  // owned by the VM while held
};

enum class CallStatus : uint8_t { Done, Failed, Held };

class VM {
 public:
  VM(const CompiledProgram& program, Limits limits, Output& output);
  ~VM();
  VM(const VM&) = delete;
  VM& operator=(const VM&) = delete;

  // --- running ------------------------------------------------------------------------------
  // The main task (the program body), not yet scheduled: spawn its future on an executor.
  TaskObj* create_main_task();
  // The runtime future of a task: polls its fiber.
  struct TaskFuture {
    VM* vm;
    TaskObj* task;
    TaskFuture(VM* v, TaskObj* t) noexcept : vm(v), task(t) {}
    TaskFuture(TaskFuture&& o) noexcept : vm(std::exchange(o.vm, nullptr)), task(o.task) {}
    TaskFuture& operator=(TaskFuture&&) = delete;
    ~TaskFuture();
    Poll<void> poll(Context& cx);
  };
  // Spawns a task for `future` (a LazyCall or any awaitable) on the current scheduler.
  TaskObj* spawn(Value future, std::string name);

  // Runs `fiber` from where it stopped, for at most `budget` instructions.
  ExecStatus execute(Fiber& fiber, Context& cx, uint64_t budget = UINT64_MAX);
  // Simulation: runs a fiber that is not a task's (a blocking job on its own lane) until it ends,
  // or until its lane is past the world's horizon (Paused; call again to continue).
  ExecStatus run_slice(Fiber& fiber);
  // Prepares `fiber` to call `fn(args)`; `completes` (if any) receives the result.
  void start_call_fiber(Fiber& fiber, Closure* fn, std::vector<Value> args, LazyCall* completes);
  // Serialises the VM between threads (the executor, blocking jobs): held while script runs.
  VmLock& lock() noexcept { return lock_; }
  // Simulation: instructions and polls charge virtual time to `world`'s running lane, and a task
  // that runs past the world's horizon holds (pauses its poll) at its next instruction.
  void attach_sim(SimWorld* world);
  SimWorld* sim() const noexcept { return sim_; }
  void set_profile(Profile p) noexcept { profile_ = p; }
  Profile profile() const noexcept { return profile_; }
  // Profile node: the loop whose timers, immediates and next ticks the builtins use. With it, an
  // async fn call starts at once as a task and gives a promise, and `await` costs the jobs
  // ECMAScript says.
  void set_node_loop(NodeLoop* loop) noexcept { node_ = loop; }
  NodeLoop* node_loop() const noexcept { return node_; }
  // A promise was rejected with nothing handling it; after the current macrotask,
  // check_unhandled_rejections() ends the program if that is still so (as Node.js does).
  void note_rejection(PromiseObj* p) { if (node_) unhandled_.push_back(p); }
  void check_unhandled_rejections();

  // --- errors and limits ----------------------------------------------------------------------
  // Raises a runtime error {message, task, line} in the running fiber. Always returns false.
  bool raise(std::string message);
  // Raises `value` as is (throw).
  bool raise_value(Value value);
  // The value of a runtime error: {message, task, line}.
  Value error_value(const std::string& message);
  bool stopped() const noexcept { return !stop_message_.empty(); }
  const std::string& stop_message() const noexcept { return stop_message_; }
  StopKind stop_kind() const noexcept { return stop_kind_; }
  // Stops the program: a limit was reached (exit status 4), or a deadlock (1).
  void stop(std::string message) { stop(StopKind::Limit, std::move(message)); }
  void stop(StopKind kind, std::string message);
  // A real run's viewer may ask it to stop (any thread): it does at its next chunk of instructions.
  void set_cancel(const std::atomic<bool>* cancel) noexcept { cancel_ = cancel; }
  void stop_cancelled() { stop("stopped: the viewer left the run"); }
  uint64_t instructions() const noexcept { return instructions_; }
  // Stops the program once `trace` holds `max_events` (the trace event limit).
  void limit_trace(const Trace* trace, size_t max_events) noexcept {
    trace_ = trace;
    max_trace_events_ = max_events;
  }
  // The time on the program's clock (virtual in simulation), ns.
  uint64_t now_ns() const noexcept;
  // The clock time (ns) the program started at, for the time limit.
  void set_start_time(uint64_t ns) noexcept { start_ns_ = ns; }
  uint64_t start_time() const noexcept { return start_ns_; }
  // When the time limit is reached, on the run's clock (saturating: a huge limit never wraps).
  uint64_t time_limit_ns() const noexcept {
    uint64_t span = limits_.time_limit_ms > (UINT64_MAX - start_ns_) / 1'000'000 ? UINT64_MAX - start_ns_
                                                                                  : limits_.time_limit_ms * 1'000'000;
    return start_ns_ + span;
  }
  const Limits& limits() const noexcept { return limits_; }

  // --- services for builtins ------------------------------------------------------------------
  Heap& heap() noexcept { return heap_; }
  Output& output() noexcept { return output_; }
  Value string(std::string s);
  // Before a large allocation: false (and the program stops at the heap limit) when `bytes` more
  // would not fit even after a collection. Cheap when far from the limit.
  bool reserve_heap(size_t bytes);
  List* new_list();
  // Appends, counting the growth against the heap limit.
  void list_push(List* list, Value v);
  TaskObj* current_task() const noexcept { return current_task_; }
  Fiber* current_fiber() const noexcept { return current_fiber_; }
  uint32_t current_line() const noexcept;
  // The line being run when script code is on the stack, else 0 (the scheduler's own work).
  uint32_t running_line() const noexcept { return exec_depth_ > 0 ? current_line() : 0; }
  // The task whose poll ended last (what a viewer's trace listener asks about at poll_end; valid
  // until the next collection).
  const TaskObj* last_polled() const noexcept { return last_polled_; }
  std::string describe_task(const TaskObj* t) const;
  // Waiting tasks that nothing can ever wake: what they wait on (a promise, a channel...) is
  // referred to by nothing but waiting tasks' awaits. One line per task (the lost_waker lint).
  std::vector<std::pair<uint64_t, std::string>> lost_wakers();
  // Lints the VM finds as it runs, the first of each kind, task and line, up to 100:
  // lock_across_await (an await while holding a mutex) and random_select (profile go: a select
  // found several cases ready at once, where Go would pick one at random).
  const std::vector<Lint>& run_lints() const noexcept { return run_lints_; }
  void note_random_select(const char* what, size_t chosen, size_t ready);
  // Remembers where a task was spawned, under its scheduler's id (for lints, after it ended).
  void note_task_site(const TaskObj* t);
  // "task 'hot' (id 3, spawned at line 12)" for a task id of the trace.
  std::string describe_runtime_task(uint64_t runtime_id) const;
  const CompiledProgram& program() const noexcept { return program_; }
  size_t live_tasks() const noexcept { return live_task_count_; }
  template <class F>
  void for_each_live_task(F&& f) const {
    for (TaskObj* t = live_tasks_; t; t = t->next_live) f(t);
  }

  // Keeps `o` alive while something outside the VM (a queued microtask, a timer callback...)
  // refers to it; returns the pin, which unpin releases. Both are O(1): a program may have
  // hundreds of thousands of jobs queued, and they end in any order.
  uint32_t pin(Obj* o);
  void unpin(uint32_t pin) noexcept;
  Obj* pinned(uint32_t pin) const noexcept { return pinned_[pin]; }

  // Calls a script function from the host on a fresh fiber of the current task and runs it to
  // completion (callbacks of microtasks, promise reactions, timers). Returns false on error
  // (then `result` holds the error).
  bool call_function(Value fn, std::vector<Value> args, Value& result, Context& cx);
  // The same for a call that may be held (HeldCall): from profile node's loop (nothing of the
  // script's on the stack), or from the future a task's own poll awaits (the poll holds with it,
  // set_timeout's function in the other profiles). Elsewhere it runs to its end. Held: the yield
  // cause is YieldCause::Held, and the caller keeps `call` and calls again to go on.
  CallStatus call_holdable(HeldCall& call, Value fn, std::vector<Value> args, Value& result);
  // The calls from a loop held now (a callback or microtask that has not ended: in a session, a
  // starving callback): the worker, when it began (now_ns()), and which function it is.
  struct HeldLoopCall {
    uint16_t worker;
    uint64_t since_ns;
    std::string about;
  };
  std::vector<HeldLoopCall> held_loop_calls() const;

  // For a builtin whose result is a FutureObj to be awaited at once, as if the call were
  // `await call(...)` (Go's block(): the task waits, its worker runs others). Only when
  // can_await() (the task's own fiber is running, not a callback or a coroutine).
  void await_result() noexcept { implicit_await_ = true; }
  bool can_await() const noexcept { return current_task_ && current_task_->fiber.get() == current_fiber_; }
  // Simulation: the running method call is to be made again, after the other lanes caught up
  // (a thread that blocks, modelled as a lane that waits and retries).
  void retry_call() noexcept { retry_call_ = true; }
  // Simulation: `ns` of CPU on the running lane, up to the end of the time slice; the rest is
  // left in `task` (if any) and burnt first when it runs again, as a preempted loop goes on
  // where it stopped. True when some is left.
  bool burn(TaskObj* task, uint64_t ns);
  // The running method call, once it returns, gives the worker away: its task goes to the back
  // of the local queue (Go's goyield, after an unlock that hands a starving mutex over).
  void yield_after_call() noexcept { yield_after_call_ = can_await(); }

  // The "resume" builtin: recognised by the interpreter, which switches fibers.
  static bool resume_builtin(VM&, CallArgs&, Value&);

  // Collects garbage now (also done automatically at safe points).
  void collect_garbage();
  // Runs `body` (script code), stopping the program instead of the process when memory runs
  // out below the heap limit (the machine's or the page's memory is smaller).
  template <class F>
  ExecStatus guarded(F&& body) {
    try {
      return body();
    } catch (const std::bad_alloc&) {
      return out_of_memory();
    }
  }
  ExecStatus out_of_memory();

 private:
  friend struct LazyCall;
  enum class Invoke : uint8_t { Ok, Error, Stop };
  // Calls `callee` with the `nargs` arguments after register `a` of f's top frame: pushes a
  // frame (script fn), stores the result (builtin, async fn), or switches f (resume).
  Invoke invoke(Fiber*& f, uint32_t a, int nargs, Value callee);
  // Profile node: calls the async fn `fn` as a task that runs until its first await now; its promise.
  Value call_async_now(Closure* fn, std::vector<Value> args);
  // A new task object (linked, not scheduled), or null when the task limit stops the program.
  TaskObj* new_task(std::string name);
  ExecStatus run(Fiber& fiber, Context& cx, uint64_t budget);
  void mark_roots(Marker& m);
  void link_task(TaskObj* t);
  void unlink_task(TaskObj* t);
  void task_finished(TaskObj& t, TaskObj::State state, Value result);
  Poll<void> poll_task(TaskObj& task, Context& cx);
  std::string stack_trace(const Fiber& f) const;

  VmLock lock_;
  const CompiledProgram& program_;
  Limits limits_;
  Output& output_;
  // Fibers of held calls (GC roots). Before the heap: a heap object's HeldCall (a timer's)
  // gives its fiber back when the heap is destroyed.
  struct HeldFiber {
    std::unique_ptr<Fiber> fiber;
    uint64_t since_ns;
    uint16_t worker;
    bool from_loop;
  };
  std::vector<HeldFiber> held_calls_;
  static constexpr size_t kSpareFibers = 4;
  std::vector<std::unique_ptr<Fiber>> spare_fibers_ = [] {
    std::vector<std::unique_ptr<Fiber>> v;
    v.reserve(kSpareFibers);  // release() never allocates
    return v;
  }();
  Heap heap_;
  std::vector<Builtin*> builtins_;
  Builtin* resume_builtin_obj_ = nullptr;

  TaskObj* live_tasks_ = nullptr;
  size_t live_task_count_ = 0;
  uint64_t next_task_id_ = 0;
  std::vector<Obj*> pinned_;          // by pin; null when free
  std::vector<uint32_t> free_pins_;
  // Freed when memory runs out, so that stopping the program (messages, reports) can allocate.
  std::unique_ptr<char[]> oom_reserve_{new char[size_t{1} << 20]};  // (not zeroed: never touched)
  std::vector<Fiber*> temp_fibers_;  // fibers of callbacks running now (GC roots)
  friend class HeldCall;
  void release(HeldCall& call) noexcept;
  bool call_held_in_poll_ = false;  // a held call in an awaited future: execute() pauses too

  TaskObj* current_task_ = nullptr;
  Fiber* current_fiber_ = nullptr;
  const std::atomic<bool>* cancel_ = nullptr;
  SimWorld* sim_ = nullptr;
  NodeLoop* node_ = nullptr;
  std::vector<PromiseObj*> unhandled_;  // rejected with no handler yet (profile node)
  struct TaskSite {
    std::string name;
    uint64_t id;
    uint32_t line;
  };
  std::unordered_map<uint64_t, TaskSite> task_sites_;  // by scheduler task id
  void note_lock_across_await(const TaskObj& t, Value awaited);
  void add_run_lint(const char* kind, const TaskObj& t, std::string message);
  std::vector<Lint> run_lints_;
  std::unordered_set<std::string> run_lints_seen_;  // kind, task id and line
  int eager_depth_ = 0;                 // async calls running inside async calls (profile node)
  bool implicit_await_ = false;         // await_result() was called by the running builtin
  bool retry_call_ = false;             // retry_call() was
  bool yield_after_call_ = false;       // yield_after_call() was
  bool yielded_ = false;                // ... and the poll stopped there
  Profile profile_ = Profile::Basic;
  Fiber* sliced_ = nullptr;             // the task fiber being polled: it may hold or be preempted
  uint64_t preempt_at_ = UINT64_MAX;    // when it is preempted (scheduler clock)
  uint64_t hold_at_ = UINT64_MAX;       // when it gives the thread back to the host, held
  int exec_depth_ = 0;                  // script executions on the stack (polls and calls nest)
  const TaskObj* last_polled_ = nullptr;
  uint64_t instructions_ = 0;
  uint64_t next_time_check_ = 0;
  uint64_t start_ns_ = 0;
  const Trace* trace_ = nullptr;
  size_t max_trace_events_ = 0;
  std::string stop_message_;
  StopKind stop_kind_ = StopKind::Limit;
  bool pending_error_ = false;  // raise() was called; the interpreter unwinds
  Value error_value_;
  std::string error_trace_;

};

}  // namespace loopscope::script
