// The one place that knows where the coroutine library lives.
//
// g++ 12 ships <coroutine>; Emscripten 3.1.6's libc++ only has <experimental/coroutine>
// (namespace std::experimental). Everything else in Loopscope spells these names through
// `loopscope::coro`, so the two toolchains compile the same sources.
#pragma once

#if __has_include(<coroutine>)
#include <coroutine>
namespace loopscope::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace loopscope::coro
#elif __has_include(<experimental/coroutine>)
#include <experimental/coroutine>
namespace loopscope::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace loopscope::coro
#else
#error "Loopscope needs C++20 coroutines: neither <coroutine> nor <experimental/coroutine> exists"
#endif
