// Task<T>: laziness, symmetric transfer, exceptions, leaf re-polling and cancellation by drop.
#include <stdexcept>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

namespace {

Task<int> constant(int v) { co_return v; }

Task<int> add(int a, int b) {
  int x = co_await constant(a);
  int y = co_await constant(b);
  co_return x + y;
}

Task<int> nested(int depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await nested(depth - 1);
}

Task<void> throws_after_await() {
  co_await constant(1);
  throw std::runtime_error("boom");
}

// A leaf future that is pending until `open` is set, and counts its polls.
struct Gate {
  bool open = false;
  int polls = 0;
  Waker waiter;
};
struct GateFuture {
  Gate* gate;
  Poll<void> poll(Context& cx) {
    ++gate->polls;
    if (gate->open) return ready();
    gate->waiter = cx.waker();
    return pending;
  }
};

struct DropFlag {
  bool* dropped;
  ~DropFlag() { *dropped = true; }
};

Task<int> wait_gate(Gate& g, int* resumed) {
  co_await GateFuture{&g};
  ++*resumed;
  co_return 7;
}

}  // namespace

TEST_CASE("a task does nothing until it is polled") {
  bool started = false;
  auto t = [](bool* s) -> Task<void> {
    *s = true;
    co_return;
  }(&started);
  CHECK_FALSE(started);
  CountingWaker w;
  Waker waker = w.waker();
  Context cx(waker);
  CHECK(t.poll(cx).is_ready());
  CHECK(started);
}

TEST_CASE("awaiting child tasks returns their values") {
  CountingWaker w;
  Waker waker = w.waker();
  Context cx(waker);
  auto t = add(2, 3);
  auto p = t.poll(cx);
  REQUIRE(p.is_ready());
  CHECK(p.take() == 5);
}

// Symmetric transfer needs the compiler to turn each transfer into a tail call. Sanitizer builds
// turn tail calls off, so there the chain is kept short enough for the stack.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kDeepChain = 2000;
#else
constexpr int kDeepChain = 100000;
#endif

TEST_CASE("a chain of 100000 nested awaits runs without exhausting the stack") {
  ManualRuntime rt;
  CHECK(rt.block_on(nested(kDeepChain)) == kDeepChain);
}

TEST_CASE("an exception thrown after an await reaches the awaiter") {
  ManualRuntime rt;
  CHECK_THROWS_WITH_AS(rt.block_on(throws_after_await()), "boom", std::runtime_error);
}

TEST_CASE("a spurious wake re-polls the leaf future and does not resume the coroutine") {
  CountingWaker w;  // outlives the gate, which keeps a clone of its waker
  Gate gate;
  int resumed = 0;
  Waker waker = w.waker();
  Context cx(waker);
  auto t = wait_gate(gate, &resumed);
  CHECK(t.poll(cx).is_pending());
  CHECK(gate.polls == 1);
  CHECK(t.poll(cx).is_pending());  // woken for nothing
  CHECK(gate.polls == 2);
  CHECK(resumed == 0);
  gate.open = true;
  auto p = t.poll(cx);
  REQUIRE(p.is_ready());
  CHECK(p.take() == 7);
  CHECK(resumed == 1);
}

TEST_CASE("dropping a suspended task destroys its frames, innermost locals included") {
  CountingWaker w;  // outlives the gate, which keeps a clone of its waker
  Gate gate;
  bool outer_dropped = false, inner_dropped = false;
  auto inner = [](Gate* g, bool* d) -> Task<void> {
    DropFlag f{d};
    co_await GateFuture{g};
  };
  auto outer = [&](Gate* g) -> Task<void> {
    DropFlag f{&outer_dropped};
    co_await inner(g, &inner_dropped);
  };
  {
    Waker waker = w.waker();
    Context cx(waker);
    auto t = outer(&gate);
    CHECK(t.poll(cx).is_pending());
    CHECK_FALSE(inner_dropped);
  }
  CHECK(inner_dropped);
  CHECK(outer_dropped);
}
