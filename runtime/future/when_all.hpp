// when_all: run several futures concurrently inside the current task; complete when all have.
//
//   auto [a, b] = co_await when_all(fetch(1), fetch(2));       // a tuple (void → Unit)
//   std::vector<int> vs = co_await when_all(std::move(tasks)); // a vector of futures
//
// Each poll polls the children that are not done yet, in order. The first child to throw makes
// when_all throw the same exception; the other children are dropped (cancelled) with it.
#pragma once

#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "runtime/task/future.hpp"

namespace loopscope {

template <Future... Fs>
class WhenAll {
 public:
  using Output = std::tuple<Stored<FutureOutput<Fs>>...>;

  explicit WhenAll(Fs... futures) : futures_(std::move(futures)...) {}

  Poll<Output> poll(Context& cx) {
    bool all_done = true;
    poll_children(cx, all_done, std::index_sequence_for<Fs...>{});
    if (!all_done) return pending;
    return Poll<Output>(take(std::index_sequence_for<Fs...>{}));
  }

 private:
  template <size_t... I>
  void poll_children(Context& cx, bool& all_done, std::index_sequence<I...>) {
    (poll_child<I>(cx, all_done), ...);
  }
  template <size_t I>
  void poll_child(Context& cx, bool& all_done) {
    auto& result = std::get<I>(results_);
    if (result) return;
    auto p = std::get<I>(futures_).poll(cx);
    if (p.is_pending()) {
      all_done = false;
      return;
    }
    if constexpr (std::is_void_v<FutureOutput<std::tuple_element_t<I, std::tuple<Fs...>>>>) {
      result.emplace();
    } else {
      result.emplace(p.take());
    }
  }
  template <size_t... I>
  Output take(std::index_sequence<I...>) {
    return Output(std::move(*std::get<I>(results_))...);
  }

  std::tuple<Fs...> futures_;
  std::tuple<std::optional<Stored<FutureOutput<Fs>>>...> results_;
};

template <Future F>
class WhenAllVec {
 public:
  using T = Stored<FutureOutput<F>>;
  explicit WhenAllVec(std::vector<F> futures) : futures_(std::move(futures)), results_(futures_.size()) {}

  Poll<std::vector<T>> poll(Context& cx) {
    for (size_t i = 0; i < futures_.size(); ++i) {
      if (results_[i]) continue;
      auto p = futures_[i].poll(cx);
      if (p.is_pending()) continue;
      if constexpr (std::is_void_v<FutureOutput<F>>) {
        results_[i].emplace();
      } else {
        results_[i].emplace(p.take());
      }
      ++done_;
    }
    if (done_ < futures_.size()) return pending;
    std::vector<T> out;
    out.reserve(results_.size());
    for (auto& r : results_) out.push_back(std::move(*r));
    return Poll<std::vector<T>>(std::move(out));
  }

 private:
  std::vector<F> futures_;
  std::vector<std::optional<T>> results_;
  size_t done_ = 0;
};

template <Future... Fs>
WhenAll<Fs...> when_all(Fs... futures) {
  return WhenAll<Fs...>(std::move(futures)...);
}

template <Future F>
WhenAllVec<F> when_all(std::vector<F> futures) {
  return WhenAllVec<F>(std::move(futures));
}

}  // namespace loopscope
