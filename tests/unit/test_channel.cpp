// Channel<T>: order, backpressure, rendezvous, close semantics and lost-wake-up regressions.
#include <optional>
#include <string>
#include <vector>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

TEST_CASE("values arrive in the order they were sent") {
  ManualRuntime rt;
  auto ch = Channel<int>::bounded(4);
  auto got = rt.block_on([](Channel<int> ch) -> Task<std::vector<int>> {
    auto producer = spawn([](Channel<int> ch) -> Task<void> {
      for (int i = 0; i < 10; ++i) co_await ch.send(i);
      ch.close();
    }(ch));
    std::vector<int> got;
    while (auto v = co_await ch.recv()) got.push_back(*v);
    co_await producer;
    co_return got;
  }(ch));
  CHECK(got == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
}

TEST_CASE("a full bounded channel makes the sender wait (backpressure)") {
  ManualRuntime rt;
  auto ch = Channel<int>::bounded(2);
  std::vector<std::string> log;
  rt.block_on([](Channel<int> ch, std::vector<std::string>* log) -> Task<void> {
    auto producer = spawn([](Channel<int> ch, std::vector<std::string>* log) -> Task<void> {
      for (int i = 0; i < 4; ++i) {
        co_await ch.send(i);
        log->push_back("sent " + std::to_string(i));
      }
    }(ch, log));
    co_await yield_now();
    CHECK(ch.len() == 2);
    CHECK(*log == std::vector<std::string>{"sent 0", "sent 1"});
    CHECK(co_await ch.recv() == 0);
    co_await yield_now();
    CHECK(log->back() == "sent 2");
    CHECK(co_await ch.recv() == 1);
    CHECK(co_await ch.recv() == 2);
    CHECK(co_await ch.recv() == 3);
    co_await producer;
  }(ch, &log));
}

TEST_CASE("capacity 0 is a rendezvous: send completes only when a receiver takes the value") {
  ManualRuntime rt;
  auto ch = Channel<std::string>::bounded(0);
  std::vector<std::string> log;
  rt.block_on([](Channel<std::string> ch, std::vector<std::string>* log) -> Task<void> {
    auto sender = spawn([](Channel<std::string> ch, std::vector<std::string>* log) -> Task<void> {
      co_await ch.send("hi");
      log->push_back("send done");
    }(ch, log));
    co_await sleep(10ms);
    CHECK(log->empty());  // nobody received yet
    CHECK(ch.len() == 0);
    log->push_back("receiving");
    CHECK(co_await ch.recv() == std::optional<std::string>("hi"));
    co_await sender;
  }(ch, &log));
  CHECK(log == std::vector<std::string>{"receiving", "send done"});
}

TEST_CASE("after close, receivers drain the buffer then get nullopt, and senders fail") {
  ManualRuntime rt;
  auto ch = Channel<int>::unbounded();
  rt.block_on([](Channel<int> ch) -> Task<void> {
    co_await ch.send(1);
    co_await ch.send(2);
    ch.close();
    CHECK(ch.is_closed());
    CHECK(co_await ch.recv() == 1);
    CHECK(co_await ch.recv() == 2);
    CHECK(co_await ch.recv() == std::nullopt);
    CHECK_THROWS_AS(co_await ch.send(3), ChannelClosed);
    CHECK(ch.try_send(3) == TrySend::Closed);
  }(ch));
}

TEST_CASE("close wakes a waiting receiver with nullopt and a waiting sender with an error") {
  ManualRuntime rt;
  auto empty = Channel<int>::bounded(1);
  auto full = Channel<int>::bounded(0);
  rt.block_on([](Channel<int> empty, Channel<int> full) -> Task<void> {
    auto receiver = spawn([](Channel<int> c) -> Task<bool> { co_return !(co_await c.recv()).has_value(); }(empty));
    auto sender = spawn([](Channel<int> c) -> Task<void> { co_await c.send(1); }(full));
    co_await yield_now();
    empty.close();
    full.close();
    CHECK(co_await receiver);
    CHECK_THROWS_AS(co_await sender, ChannelClosed);
  }(empty, full));
}

TEST_CASE("try_send and try_recv never wait") {
  ManualRuntime rt;
  auto ch = Channel<int>::bounded(1);
  CHECK(ch.try_recv() == std::nullopt);
  CHECK(ch.try_send(1) == TrySend::Sent);
  CHECK(ch.try_send(2) == TrySend::Full);
  CHECK(ch.try_recv() == 1);
  auto rendezvous = Channel<int>::bounded(0);
  CHECK(rendezvous.try_send(1) == TrySend::Full);  // nobody is waiting to receive
}

TEST_CASE("a receiver woken by a send but cancelled before receiving passes the wake-up on") {
  ManualRuntime rt;
  auto ch = Channel<int>::bounded(4);
  int got = rt.block_on([](Channel<int> ch) -> Task<int> {
    auto first = spawn([](Channel<int> c) -> Task<int> { co_return *co_await c.recv(); }(ch));
    auto second = spawn([](Channel<int> c) -> Task<int> { co_return *co_await c.recv(); }(ch));
    co_await yield_now();  // both wait
    CHECK(ch.try_send(7) == TrySend::Sent);  // wakes `first`
    first.abort();                           // which never runs again
    CHECK_THROWS_AS(co_await first, TaskAborted);
    co_return co_await second;  // without the hand-over this would deadlock
  }(ch));
  CHECK(got == 7);
}

TEST_CASE("waiting senders are served in FIFO order when room appears") {
  ManualRuntime rt;
  auto ch = Channel<int>::bounded(1);
  auto got = rt.block_on([](Channel<int> ch) -> Task<std::vector<int>> {
    co_await ch.send(0);
    std::vector<JoinHandle<void>> senders;
    for (int i = 1; i <= 3; ++i) senders.push_back(spawn([](Channel<int> c, int v) -> Task<void> { co_await c.send(v); }(ch, i)));
    co_await yield_now();
    std::vector<int> got;
    for (int i = 0; i < 4; ++i) got.push_back(*co_await ch.recv());
    for (auto& s : senders) co_await s;
    co_return got;
  }(ch));
  CHECK(got == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("oneshot delivers one value, and reports a dropped sender") {
  ManualRuntime rt;
  rt.block_on([]() -> Task<void> {
    auto [tx, rx] = oneshot<int>();
    auto h = spawn([](OneshotSender<int> tx) -> Task<void> {
      co_await sleep(5ms);
      CHECK(tx.send(9));
    }(std::move(tx)));
    CHECK(co_await rx == 9);
    co_await h;

    auto [tx2, rx2] = oneshot<int>();
    { auto gone = std::move(tx2); }
    CHECK_THROWS_AS(co_await rx2, ChannelClosed);
  }());
}
