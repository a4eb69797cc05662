// Fiber: an execution stack of the VM — its registers, call frames and try handlers.
//
// Every script task runs on a fiber; so does every coroutine, and every async call that is
// polled as a future of its own (spawned, or inside all/race). A fiber can stop between any two
// instructions (awaiting a pending future, a coroutine yield, a spent instruction budget) and
// continue later, because all of its state is here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/script/bytecode.hpp"
#include "runtime/script/object.hpp"

namespace loopscope::script {

struct TaskObj;
struct LazyCall;
struct CoroutineObj;

struct Frame {
  Closure* closure;
  uint32_t pc;    // next instruction
  uint32_t base;  // first register, as a stack index
  uint32_t dest;  // where the caller wants the result (stack index); unused for a fiber's first frame
  LazyCall* completes = nullptr;  // an inline-awaited async call whose result this frame produces
};

// The call stack of a fiber: a vector whose push is small enough to inline in the interpreter
// (std::vector's emplace_back is not, and calls are the hot path of recursive code).
class FrameStack {
 public:
  bool empty() const noexcept { return size_ == 0; }
  size_t size() const noexcept { return size_; }
  size_t capacity() const noexcept { return cap_; }
  Frame& back() noexcept { return data_[size_ - 1]; }
  const Frame& back() const noexcept { return data_[size_ - 1]; }
  Frame& operator[](size_t i) noexcept { return data_[i]; }
  const Frame& operator[](size_t i) const noexcept { return data_[i]; }
  Frame* begin() noexcept { return data_.get(); }
  Frame* end() noexcept { return data_.get() + size_; }
  const Frame* begin() const noexcept { return data_.get(); }
  const Frame* end() const noexcept { return data_.get() + size_; }
  void push_back(const Frame& f) {
    if (size_ == cap_) grow();
    data_[size_++] = f;
  }
  void pop_back() noexcept { --size_; }
  void clear() noexcept { size_ = 0; }

 private:
  void grow() {
    size_t cap = cap_ ? cap_ * 2 : 16;
    std::unique_ptr<Frame[]> next(new Frame[cap]);
    for (size_t i = 0; i < size_; ++i) next[i] = data_[i];
    data_ = std::move(next);
    cap_ = cap;
  }
  std::unique_ptr<Frame[]> data_;
  size_t size_ = 0;
  size_t cap_ = 0;
};

struct Handler {
  uint32_t frame;  // index of the frame that owns the try block
  uint32_t pc;     // where its catch starts
  uint32_t reg;    // stack index that receives the error
};

struct Fiber {
  enum class State : uint8_t {
    Ready,      // can run (fresh, or resumed after a yield/await)
    Awaiting,   // stopped at an await whose future was pending
    Yielded,    // a coroutine stopped at a yield
    Done,       // returned; `result` holds the value
    Failed,     // an error escaped; `result` holds it
  };

  std::vector<Value> stack;
  FrameStack frames;
  std::vector<Handler> handlers;
  Upvalue* open_upvalues = nullptr;
  State state = State::Ready;
  Value result;
  std::string error_trace;  // the call stack where an uncaught error was raised

  // await: what this fiber waits on, and the register that receives the value
  Value awaiting;
  uint32_t await_dest = 0;
  // coroutines: who resumed us and where our resume result goes in their frame; where a yield
  // puts the next resume's argument in ours
  Fiber* resumer = nullptr;
  uint32_t resume_dest = 0;
  uint32_t yield_dest = 0;
  CoroutineObj* active = nullptr;  // the coroutine this fiber resumed and that is running, or null

  TaskObj* task = nullptr;  // the task running this fiber (for task_id(), names, errors)
  Obj* owner = nullptr;     // the object that owns this fiber (task, coroutine, async call)

  Fiber() = default;
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;
  // Variables captured from this fiber that are still open move into their upvalues, so that
  // closures outliving it (an aborted task's callbacks) keep working.
  ~Fiber();
  // As if new, for another call, keeping its memory (the VM's spare fibers): open upvalues are
  // closed as on destruction.
  void reset() noexcept;

  void trace(Marker& m);
  size_t bytes() const noexcept {
    return stack.capacity() * sizeof(Value) + frames.capacity() * sizeof(Frame) + handlers.capacity() * sizeof(Handler);
  }
};

}  // namespace loopscope::script

namespace loopscope::script {
inline Value& Upvalue::get() noexcept { return fiber ? fiber->stack[slot] : closed; }
}  // namespace loopscope::script
