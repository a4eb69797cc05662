// Task<T>: a lazy C++20 coroutine that is also a Future.
//
//   Task<int> add_later(int a, int b) {
//     co_await sleep(10ms);                 // any Future can be awaited
//     int c = co_await child(b);            // awaiting a Task<U> transfers to it directly
//     co_return a + c;
//   }
//   auto handle = spawn(add_later(1, 2));   // or poll it from a combinator, or block_on it
//
// Nothing runs until the task is first polled. A chain of tasks awaiting tasks shares one
// `Chain` (kept in the outermost coroutine's frame, which never moves): when the innermost
// coroutine awaits a future that is not ready, it records itself there as the point to resume,
// and the whole chain returns Pending. The next poll re-polls that leaf future first and resumes
// the coroutine only once it is ready, so spurious wake-ups cost one leaf poll and no resume.
// Children start and finish by symmetric transfer, so deep chains use no stack.
//
// An exception escaping a coroutine is stored and rethrown to whoever awaits it.
#pragma once

#include <cassert>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/compat/coroutine.hpp"
#include "runtime/task/future.hpp"
#include "runtime/util/chunk_cache.hpp"

namespace loopscope {

template <class T = void>
class Task;

namespace detail {

// A leaf future the chain is suspended on.
struct LeafAwait {
  // Polls the future again; true when it finished (value or exception stored).
  virtual bool repoll(Context& cx) noexcept = 0;

 protected:
  ~LeafAwait() = default;
};

struct Chain {
  Context* cx = nullptr;
  LeafAwait* leaf = nullptr;
  coro::coroutine_handle<> resume;  // innermost coroutine to resume; null before the first poll
};

template <class F>
struct FutureAwaiter;
template <class U>
struct TaskAwaiter;

template <class T>
struct is_task : std::false_type {};
template <class U>
struct is_task<Task<U>> : std::true_type {};

struct PromiseBase {
  Chain own_chain;
  Chain* chain = &own_chain;              // the outermost coroutine's chain
  coro::coroutine_handle<> continuation;  // who awaits us (null for the outermost)
  std::exception_ptr error;

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
      auto next = h.promise().continuation;
      return next ? next : coro::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };

  // Coroutine frames come from the per-thread block cache (see util/chunk_cache.hpp).
  static void* operator new(std::size_t size) { return chunk_cache::allocate(size); }
  static void operator delete(void* frame, std::size_t size) noexcept { chunk_cache::deallocate(frame, size); }

  coro::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }

  template <class U>
  TaskAwaiter<U> await_transform(Task<U>&& task) noexcept {
    return TaskAwaiter<U>{std::move(task)};
  }
  template <class U>
  TaskAwaiter<U> await_transform(Task<U>& task) noexcept {
    return TaskAwaiter<U>{std::move(task)};
  }
  template <class F>
    requires(Future<F> && !is_task<std::remove_cvref_t<F>>::value)
  FutureAwaiter<F> await_transform(F&& future) {
    return FutureAwaiter<F>{std::forward<F>(future)};
  }
};

template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  template <class V>
  void return_value(V&& v) {
    value.emplace(std::forward<V>(v));
  }
  T take() {
    if (error) std::rethrow_exception(error);
    return std::move(*value);
  }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() {
    if (error) std::rethrow_exception(error);
  }
};

// The await protocol of a leaf: poll right away; if pending, park the chain on this leaf, which
// the task re-polls when woken. `Derived` polls: `bool poll_once(Context&) noexcept`, true once
// finished (its outcome stored for await_resume).
template <class Derived>
struct LeafAwaiter : LeafAwait {
  bool repoll(Context& cx) noexcept final { return static_cast<Derived*>(this)->poll_once(cx); }

  bool await_ready() const noexcept { return false; }
  template <class P>
  bool await_suspend(coro::coroutine_handle<P> h) noexcept {
    Chain& chain = *h.promise().chain;
    if (static_cast<Derived*>(this)->poll_once(*chain.cx)) return false;  // ready: continue without suspending
    chain.leaf = this;
    chain.resume = h;
    return true;
  }
};

// Awaiting a future: poll it right away; if pending, park the chain on it.
template <class F>
struct FutureAwaiter final : LeafAwaiter<FutureAwaiter<F>> {
  using Output = FutureOutput<F>;
  F future;  // a reference type when an lvalue was awaited
  std::optional<Stored<Output>> result;
  std::exception_ptr error;

  explicit FutureAwaiter(F&& f) : future(std::forward<F>(f)) {}

  bool poll_once(Context& cx) noexcept {
    try {
      auto p = future.poll(cx);
      if (p.is_pending()) return false;
      if constexpr (std::is_void_v<Output>) {
        result.emplace();
      } else {
        result.emplace(p.take());
      }
    } catch (...) {
      error = std::current_exception();
    }
    return true;
  }
  Output await_resume() {
    if (error) std::rethrow_exception(error);
    if constexpr (!std::is_void_v<Output>) return std::move(*result);
  }
};

// Awaiting a child task: hand it our chain and transfer control to it.
template <class U>
struct TaskAwaiter {
  Task<U> task;

  bool await_ready() const noexcept { return false; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> parent) noexcept {
    auto& child = task.handle_.promise();
    child.chain = parent.promise().chain;
    child.continuation = parent;
    return task.handle_;
  }
  U await_resume() { return task.handle_.promise().take(); }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = coro::coroutine_handle<promise_type>;

  Task() noexcept = default;
  explicit Task(Handle h) noexcept : handle_(h) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  // Dropping a task destroys its frames; destructors of pending futures unregister them.
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool valid() const noexcept { return static_cast<bool>(handle_); }
  bool done() const noexcept { return handle_ && handle_.done(); }

  // Runs the chain until it finishes or suspends on a pending future.
  Poll<T> poll(Context& cx) {
    assert(handle_ && !handle_.done());
    auto& promise = handle_.promise();
    detail::Chain& chain = *promise.chain;
    coro::coroutine_handle<> next = handle_;
    if (chain.resume) {
      if (chain.leaf && !chain.leaf->repoll(cx)) return pending;
      next = chain.resume;
    }
    chain.cx = &cx;
    chain.leaf = nullptr;
    chain.resume = handle_;  // stays "started" even if the chain finishes without suspending
    next.resume();
    if (!handle_.done()) return pending;
    if constexpr (std::is_void_v<T>) {
      promise.take();
      return ready();
    } else {
      return Poll<T>(promise.take());
    }
  }

 private:
  template <class U>
  friend struct detail::TaskAwaiter;
  Handle handle_;
};

namespace detail {
template <class T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(coro::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(coro::coroutine_handle<Promise<void>>::from_promise(*this));
}
}  // namespace detail

}  // namespace loopscope
