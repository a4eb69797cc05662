// spawn_blocking(fn): run a plain function where it cannot stall the executor, and await it.
//
//   std::string text = co_await spawn_blocking([] { return read_whole_file("big.txt"); });
//
// Natively the function runs on the executor's blocking thread pool; in the browser, where there
// are no threads, it runs on the page's thread right after the current poll (traced as
// blocking_begin/blocking_end either way). An exception thrown by fn is rethrown to the awaiter.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/sched/scheduler.hpp"
#include "runtime/task/outcome.hpp"
#include "runtime/trace/trace.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

namespace detail {
template <class R>
struct BlockingShared {
  SpinLock lock;
  std::optional<Outcome<R>> outcome;
  Waker waker;
  uint64_t id = Trace::next_object_id();
};

// Submits `fn` to `s`'s blocking pool; its outcome lands in `shared` and wakes the awaiter.
template <class R, class Fn>
void start_blocking(Scheduler* s, const std::shared_ptr<BlockingShared<R>>& shared, Fn fn) {
  if (s->trace()) s->trace()->emit(s->worker_id(), EventKind::BlockingBegin, Scheduler::current_task_id(), shared->id);
  s->run_blocking([shared, fn = std::move(fn)]() mutable {
    Outcome<R> out;
    try {
      if constexpr (std::is_void_v<R>) {
        fn();
        out = Outcome<R>::value(Unit{});
      } else {
        out = Outcome<R>::value(fn());
      }
    } catch (...) {
      out = Outcome<R>::error(std::current_exception());
    }
    Waker w;
    {
      std::lock_guard<SpinLock> g(shared->lock);
      shared->outcome = std::move(out);
      w = std::move(shared->waker);
    }
    w.wake();
  });
}
}  // namespace detail

template <class Fn>
class BlockingJoin {
 public:
  using R = std::invoke_result_t<Fn>;

  // Starts at once inside a runtime (like a spawn), otherwise when first polled.
  explicit BlockingJoin(Fn fn) : shared_(std::make_shared<detail::BlockingShared<R>>()) {
    if (Scheduler* s = Scheduler::current()) {
      detail::start_blocking<R>(s, shared_, std::move(fn));
    } else {
      fn_.emplace(std::move(fn));
    }
  }

  Poll<R> poll(Context& cx) {
    if (fn_) {
      if (!cx.scheduler()) throw_no_runtime("spawn_blocking");
      detail::start_blocking<R>(cx.scheduler(), shared_, std::move(*fn_));
      fn_.reset();
    }
    std::optional<Outcome<R>> out;
    {
      std::lock_guard<SpinLock> g(shared_->lock);
      if (!shared_->outcome) {
        if (!shared_->waker.will_wake(cx.waker())) shared_->waker = cx.waker();
        return pending;
      }
      out = std::move(shared_->outcome);
    }
    if (Scheduler* s = cx.scheduler(); s && s->trace())
      s->trace()->emit(s->worker_id(), EventKind::BlockingEnd, cx.task_id(), shared_->id);
    if constexpr (std::is_void_v<R>) {
      std::move(*out).get();
      return ready();
    } else {
      return Poll<R>(std::move(*out).get());
    }
  }

 private:
  std::shared_ptr<detail::BlockingShared<R>> shared_;
  std::optional<Fn> fn_;  // not started yet
};

template <class Fn>
BlockingJoin<Fn> spawn_blocking(Fn fn) {
  return BlockingJoin<Fn>(std::move(fn));
}

}  // namespace loopscope
