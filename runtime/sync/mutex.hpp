// Mutex: an async lock, fair (first come, first served): a semaphore with one permit.
//
//   Mutex m;
//   {
//     MutexGuard g = co_await m.lock();   // waits without blocking the thread
//     ...                                 // critical section, may await
//   }                                     // unlocked here, handed to the next waiter
//
// The lock is handed over directly to the oldest waiter on unlock, so a task that unlocks and
// immediately locks again queues behind the others instead of barging.
#pragma once

#include <utility>

#include "runtime/sync/semaphore.hpp"

namespace loopscope {

class Mutex;

class [[nodiscard]] MutexGuard {
 public:
  MutexGuard() noexcept = default;
  explicit MutexGuard(Mutex& m) noexcept : mutex_(&m) {}
  MutexGuard(MutexGuard&& other) noexcept : mutex_(std::exchange(other.mutex_, nullptr)) {}
  MutexGuard& operator=(MutexGuard&& other) noexcept {
    if (this != &other) {
      unlock();
      mutex_ = std::exchange(other.mutex_, nullptr);
    }
    return *this;
  }
  ~MutexGuard() { unlock(); }
  void unlock() noexcept;
  // Keeps the mutex locked after the guard is gone; the caller calls Mutex::unlock later.
  void release() noexcept { mutex_ = nullptr; }
  bool owns_lock() const noexcept { return mutex_ != nullptr; }

 private:
  Mutex* mutex_ = nullptr;
};

class Mutex {
 public:
  Mutex() : sem_(1) {}

  class Lock {
   public:
    explicit Lock(Mutex& m) noexcept : mutex_(&m), acquire_(m.sem_.acquire()) {}
    Poll<MutexGuard> poll(Context& cx) {
      if (acquire_.poll(cx).is_pending()) return pending;
      return Poll<MutexGuard>(MutexGuard(*mutex_));
    }

   private:
    Mutex* mutex_;
    Semaphore::Acquire acquire_;
  };

  Lock lock() noexcept { return Lock(*this); }
  MutexGuard try_lock() noexcept { return sem_.try_acquire() ? MutexGuard(*this) : MutexGuard(); }
  void unlock() noexcept { sem_.release(); }
  bool is_locked() const noexcept { return sem_.available() == 0; }
  size_t waiting() const noexcept { return sem_.waiting(); }
  uint64_t id() const noexcept { return sem_.id(); }

 private:
  Semaphore sem_;
};

inline void MutexGuard::unlock() noexcept {
  if (mutex_) std::exchange(mutex_, nullptr)->unlock();
}

}  // namespace loopscope
