// ThreadParker: lets a plain thread (not a worker) sleep until a waker fires — the way block_on
// waits for its task. The waker holds a reference, so it may fire after the waiter returned.
//
//   ThreadParker parker;
//   Waker w = parker.waker();
//   while (!done()) parker.park();
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "runtime/task/waker.hpp"

namespace loopscope {

class ThreadParker {
 public:
  ThreadParker() : shared_(new Shared) {}
  ~ThreadParker() { release(shared_); }
  ThreadParker(const ThreadParker&) = delete;
  ThreadParker& operator=(const ThreadParker&) = delete;

  Waker waker() const noexcept {
    shared_->refs.fetch_add(1, std::memory_order_relaxed);
    return Waker(shared_, &kVTable);
  }
  // Returns once the waker fired since the last park (at once if it already did).
  void park() {
    std::unique_lock<std::mutex> g(shared_->lock);
    shared_->cv.wait(g, [&] { return shared_->notified; });
    shared_->notified = false;
  }

 private:
  struct Shared {
    std::atomic<int> refs{1};
    std::mutex lock;
    std::condition_variable cv;
    bool notified = false;
  };
  static void release(Shared* s) noexcept {
    if (s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete s;
  }
  static void notify(Shared* s) noexcept {
    {
      std::lock_guard<std::mutex> g(s->lock);
      s->notified = true;
    }
    s->cv.notify_one();
  }
  static inline const WakerVTable kVTable{
      [](void* d) { static_cast<Shared*>(d)->refs.fetch_add(1, std::memory_order_relaxed); },
      [](void* d) {
        notify(static_cast<Shared*>(d));
        release(static_cast<Shared*>(d));
      },
      [](void* d) { notify(static_cast<Shared*>(d)); },
      [](void* d) { release(static_cast<Shared*>(d)); },
  };

  Shared* shared_;
};

}  // namespace loopscope
