// Wakers and spawns that come from other threads.
#include <atomic>
#include <thread>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

TEST_CASE("a waker fired from another thread wakes the executor out of epoll_wait") {
  EpollDriver driver;
  LocalExecutor ex(driver);
  int v = ex.block_on([]() -> Task<int> {
    auto [tx, rx] = oneshot<int>();
    std::thread t([tx = std::move(tx)]() mutable {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      tx.send(5);
    });
    int v = co_await rx;
    t.join();
    co_return v;
  }());
  CHECK(v == 5);
}

TEST_CASE("tasks spawned onto the executor from another thread run there") {
  EpollDriver driver;
  LocalExecutor ex(driver);
  std::atomic<int> ran{0};
  ex.block_on([](LocalExecutor* ex, std::atomic<int>* ran) -> Task<void> {
    Notify done;
    std::thread t([&] {
      for (int i = 0; i < 100; ++i) {
        auto h = ex->spawn([](std::atomic<int>* r, Notify* d) -> Task<void> {
          if (r->fetch_add(1) + 1 == 100) d->notify_one();
          co_return;
        }(ran, &done));
      }
    });
    co_await done.notified();
    t.join();
  }(&ex, &ran));
  CHECK(ran.load() == 100);
}

TEST_CASE("a waker kept by another thread may fire after the task ended and the executor is gone") {
  Waker leaked;
  {
    EpollDriver driver;
    LocalExecutor ex(driver);
    ex.block_on([](Waker* out) -> Task<void> {
      struct Grab {
        Waker* out;
        Poll<void> poll(Context& cx) {
          *out = cx.waker();
          return ready();
        }
      };
      co_await Grab{out};
    }(&leaked));
  }
  std::thread t([&] { leaked.wake(); });  // the task is complete: nothing happens, nothing leaks
  t.join();
  CHECK_FALSE(leaked);
}
