// The Future concept: anything with `poll(Context&) -> Poll<T>`.
//
// Leaf futures (Sleep, Recv, Accept...) implement poll by hand; Task<T> coroutines, JoinHandle<T>
// and the combinators are futures too, so any of them can be spawned, awaited or combined.
#pragma once

#include <concepts>
#include <type_traits>

#include "runtime/task/context.hpp"
#include "runtime/task/poll.hpp"

namespace loopscope {

namespace detail {
template <class P>
struct PollOutput;
template <class T>
struct PollOutput<Poll<T>> {
  using type = T;
};
}  // namespace detail

template <class F>
concept Future = requires(std::remove_reference_t<F>& f, Context& cx) {
  typename detail::PollOutput<decltype(f.poll(cx))>::type;
};

template <Future F>
using FutureOutput =
    typename detail::PollOutput<decltype(std::declval<std::remove_reference_t<F>&>().poll(
        std::declval<Context&>()))>::type;

// `void` cannot be stored; tasks that return nothing store a Unit.
struct Unit {
  bool operator==(const Unit&) const = default;
};
template <class T>
using Stored = std::conditional_t<std::is_void_v<T>, Unit, T>;

}  // namespace loopscope
