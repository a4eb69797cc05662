// when_any: run several futures concurrently inside the current task; complete with the first.
//
//   auto [index, value] = co_await when_any(recv_a(), recv_b());   // same output type
//   auto first = co_await when_any(std::move(futures));            // a vector of futures
//
// Children are polled in order, so on a tie the earliest wins. As soon as one completes (or
// throws, which when_any then rethrows) the others are dropped, which cancels them: their
// timers are removed and their wait-list entries released before when_any returns.
#pragma once

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "runtime/task/future.hpp"

namespace loopscope {

template <class T>
struct AnyResult {
  size_t index;
  Stored<T> value;
};

template <Future F>
class WhenAnyVec {
 public:
  using T = FutureOutput<F>;
  explicit WhenAnyVec(std::vector<F> futures) {
    children_.reserve(futures.size());
    for (auto& f : futures) children_.emplace_back(std::move(f));
  }

  Poll<AnyResult<T>> poll(Context& cx) {
    for (size_t i = 0; i < children_.size(); ++i) {
      std::optional<Stored<T>> value;
      try {
        auto p = children_[i]->poll(cx);
        if (p.is_pending()) continue;
        if constexpr (std::is_void_v<T>) {
          value.emplace();
        } else {
          value.emplace(p.take());
        }
      } catch (...) {
        children_.clear();
        throw;
      }
      children_.clear();  // drop the losers now
      return Poll<AnyResult<T>>(AnyResult<T>{i, std::move(*value)});
    }
    return pending;
  }

 private:
  std::vector<std::optional<F>> children_;
};

template <Future... Fs>
class WhenAny {
 public:
  using T = std::common_type_t<FutureOutput<Fs>...>;
  explicit WhenAny(Fs... futures) : children_(std::optional<Fs>(std::move(futures))...) {}

  Poll<AnyResult<T>> poll(Context& cx) {
    std::optional<AnyResult<T>> winner;
    try {
      poll_children(cx, winner, std::index_sequence_for<Fs...>{});
    } catch (...) {
      drop_all(std::index_sequence_for<Fs...>{});
      throw;
    }
    if (!winner) return pending;
    drop_all(std::index_sequence_for<Fs...>{});
    return Poll<AnyResult<T>>(std::move(*winner));
  }

 private:
  template <size_t... I>
  void poll_children(Context& cx, std::optional<AnyResult<T>>& winner, std::index_sequence<I...>) {
    ((winner ? void() : poll_child<I>(cx, winner)), ...);
  }
  template <size_t I>
  void poll_child(Context& cx, std::optional<AnyResult<T>>& winner) {
    auto p = std::get<I>(children_)->poll(cx);
    if (p.is_pending()) return;
    if constexpr (std::is_void_v<T>) {
      winner.emplace(AnyResult<T>{I, Unit{}});
    } else {
      winner.emplace(AnyResult<T>{I, T(p.take())});
    }
  }
  template <size_t... I>
  void drop_all(std::index_sequence<I...>) {
    (std::get<I>(children_).reset(), ...);
  }

  std::tuple<std::optional<Fs>...> children_;
};

template <Future... Fs>
WhenAny<Fs...> when_any(Fs... futures) {
  return WhenAny<Fs...>(std::move(futures)...);
}

template <Future F>
WhenAnyVec<F> when_any(std::vector<F> futures) {
  return WhenAnyVec<F>(std::move(futures));
}

}  // namespace loopscope
