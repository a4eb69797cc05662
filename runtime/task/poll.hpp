// Poll<T>: the answer of a future that was asked to make progress.
//
//   Poll<int> p = pending;          // not yet: the future registered the waker it was given
//   Poll<int> q = ready(42);        // done, with a value
//   if (q.is_ready()) use(q.take());
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

namespace loopscope {

struct Pending {};
inline constexpr Pending pending{};

template <class T>
class [[nodiscard]] Poll {
 public:
  using Output = T;
  Poll(Pending) noexcept {}
  explicit Poll(T value) : value_(std::move(value)) {}

  bool is_ready() const noexcept { return value_.has_value(); }
  bool is_pending() const noexcept { return !value_.has_value(); }
  T& value() noexcept { return *value_; }
  T take() { return std::move(*value_); }

 private:
  std::optional<T> value_;
};

template <>
class [[nodiscard]] Poll<void> {
 public:
  using Output = void;
  Poll(Pending) noexcept {}
  struct ReadyTag {};
  explicit Poll(ReadyTag) noexcept : ready_(true) {}

  bool is_ready() const noexcept { return ready_; }
  bool is_pending() const noexcept { return !ready_; }
  void take() noexcept {}

 private:
  bool ready_ = false;
};

template <class T>
Poll<std::decay_t<T>> ready(T&& value) {
  return Poll<std::decay_t<T>>(std::forward<T>(value));
}
inline Poll<void> ready() noexcept { return Poll<void>(Poll<void>::ReadyTag{}); }

}  // namespace loopscope
