// Mutex, Semaphore and Notify: fairness, hand-over, and no lost wake-ups.
#include <string>
#include <vector>

#include "support.hpp"

using namespace loopscope;
using namespace loopscope::test;

namespace {
Task<void> locker(Mutex* m, std::vector<int>* order, int id) {
  MutexGuard g = co_await m->lock();
  order->push_back(id);
  co_await yield_now();  // hold it across a suspension
}
}  // namespace

TEST_CASE("mutex waiters acquire in arrival order (FIFO-fair)") {
  ManualRuntime rt;
  Mutex m;
  std::vector<int> order;
  rt.block_on([](Mutex* m, std::vector<int>* order) -> Task<void> {
    std::vector<JoinHandle<void>> hs;
    for (int i = 0; i < 5; ++i) hs.push_back(spawn(locker(m, order, i)));
    for (auto& h : hs) co_await h;
  }(&m, &order));
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
  CHECK_FALSE(m.is_locked());
}

TEST_CASE("unlocking hands the mutex to the oldest waiter; the unlocker cannot barge back in") {
  ManualRuntime rt;
  Mutex m;
  std::vector<std::string> log;
  rt.block_on([](Mutex* m, std::vector<std::string>* log) -> Task<void> {
    MutexGuard g = co_await m->lock();
    auto waiter = spawn([](Mutex* m, std::vector<std::string>* log) -> Task<void> {
      MutexGuard g = co_await m->lock();
      log->push_back("waiter");
    }(m, log));
    co_await yield_now();  // the waiter queues
    g.unlock();
    CHECK_FALSE(m->try_lock().owns_lock());  // handed over already
    MutexGuard again = co_await m->lock();
    log->push_back("main again");
    co_await waiter;
  }(&m, &log));
  CHECK(log == std::vector<std::string>{"waiter", "main again"});
}

TEST_CASE("a waiter that gives up leaves the queue and does not block the next one") {
  ManualRuntime rt;
  Mutex m;
  rt.block_on([](Mutex* m) -> Task<void> {
    MutexGuard g = co_await m->lock();
    auto quitter = spawn([](Mutex* m) -> Task<void> { MutexGuard g = co_await m->lock(); }(m));
    auto patient = spawn([](Mutex* m) -> Task<int> {
      MutexGuard g = co_await m->lock();
      co_return 1;
    }(m));
    co_await yield_now();
    CHECK(m->waiting() == 2);
    quitter.abort();
    CHECK_THROWS_AS(co_await quitter, TaskAborted);
    CHECK(m->waiting() == 1);
    g.unlock();
    CHECK(co_await patient == 1);
  }(&m));
}

TEST_CASE("semaphore limits concurrency to its permits") {
  ManualRuntime rt;
  Semaphore sem(2);
  int inside = 0, max_inside = 0;
  rt.block_on([](Semaphore* sem, int* inside, int* max_inside) -> Task<void> {
    std::vector<JoinHandle<void>> hs;
    for (int i = 0; i < 6; ++i) {
      hs.push_back(spawn([](Semaphore* sem, int* inside, int* max_inside) -> Task<void> {
        co_await sem->acquire();
        ++*inside;
        if (*inside > *max_inside) *max_inside = *inside;
        co_await sleep(10ms);
        --*inside;
        sem->release();
      }(sem, inside, max_inside)));
    }
    for (auto& h : hs) co_await h;
  }(&sem, &inside, &max_inside));
  CHECK(max_inside == 2);
  CHECK(sem.available() == 2);
  CHECK(rt.now_ms() == 30);
}

TEST_CASE("semaphore serves a large request first even when small ones could pass") {
  ManualRuntime rt;
  Semaphore sem(1);
  std::vector<std::string> log;
  rt.block_on([](Semaphore* sem, std::vector<std::string>* log) -> Task<void> {
    auto big = spawn([](Semaphore* s, std::vector<std::string>* log) -> Task<void> {
      co_await s->acquire(3);
      log->push_back("big");
    }(sem, log));
    co_await yield_now();
    CHECK_FALSE(sem->try_acquire(1));  // one permit is free, but "big" is waiting first
    sem->release(2);
    co_await big;
    CHECK(sem->available() == 0);
  }(&sem, &log));
  CHECK(log == std::vector<std::string>{"big"});
}

TEST_CASE("notify_one before anyone waits stores a permit (no lost wake-up)") {
  ManualRuntime rt;
  Notify n;
  n.notify_one();
  n.notify_one();  // permits do not accumulate
  rt.block_on(n.notified());
  CHECK_FALSE(n.has_permit());
  CHECK_THROWS_AS(rt.block_on(n.notified()), Deadlock);
}

TEST_CASE("notify_all wakes every current waiter but stores no permit") {
  ManualRuntime rt;
  Notify n;
  int woken = rt.block_on([](Notify* n) -> Task<int> {
    int count = 0;
    std::vector<JoinHandle<void>> hs;
    for (int i = 0; i < 3; ++i)
      hs.push_back(spawn([](Notify* n, int* c) -> Task<void> {
        co_await n->notified();
        ++*c;
      }(n, &count)));
    co_await yield_now();
    n->notify_all();
    for (auto& h : hs) co_await h;
    co_return count;
  }(&n));
  CHECK(woken == 3);
  CHECK_FALSE(n.has_permit());
}

TEST_CASE("a notify_one received by a waiter that is then dropped passes to the next waiter") {
  ManualRuntime rt;
  Notify n;
  bool second_woken = rt.block_on([](Notify* n) -> Task<bool> {
    bool second = false;
    auto first = spawn([](Notify* n) -> Task<void> { co_await n->notified(); }(n));
    auto next = spawn([](Notify* n, bool* s) -> Task<void> {
      co_await n->notified();
      *s = true;
    }(n, &second));
    co_await yield_now();
    n->notify_one();  // goes to `first`...
    first.abort();    // ...which is cancelled before it runs
    CHECK_THROWS_AS(co_await first, TaskAborted);
    co_await next;
    co_return second;
  }(&n));
  CHECK(second_woken);
}
