// Outcome<T>: how a task ended — a value or the exception it threw (including TaskAborted).
#pragma once

#include <exception>
#include <stdexcept>
#include <utility>
#include <variant>

#include "runtime/task/future.hpp"

namespace loopscope {

// Thrown to whoever awaits a task that was aborted (JoinHandle::abort, runtime shutdown,
// a losing branch of when_any).
class TaskAborted : public std::runtime_error {
 public:
  TaskAborted() : std::runtime_error("aborted") {}
};

template <class T>
class Outcome {
 public:
  Outcome() = default;
  static Outcome value(Stored<T> v) {
    Outcome o;
    o.v_.template emplace<1>(std::move(v));
    return o;
  }
  static Outcome error(std::exception_ptr e) {
    Outcome o;
    o.v_.template emplace<2>(std::move(e));
    return o;
  }
  static Outcome aborted() {
    Outcome o = error(std::make_exception_ptr(TaskAborted()));
    o.aborted_ = true;
    return o;
  }
  bool is_error() const noexcept { return v_.index() == 2; }
  bool is_aborted() const noexcept { return aborted_; }
  // The value, or rethrows the very exception the task threw.
  T get() && {
    if (v_.index() == 2) std::rethrow_exception(std::get<2>(v_));
    if constexpr (!std::is_void_v<T>) return std::move(std::get<1>(v_));
  }

 private:
  std::variant<std::monostate, Stored<T>, std::exception_ptr> v_;
  bool aborted_ = false;
};

}  // namespace loopscope
