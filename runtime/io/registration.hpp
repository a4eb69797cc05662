// IoRegistration: one file descriptor registered with the epoll reactor, and the readiness the
// reactor last saw for it.
//
// The reactor is edge-triggered: it reports a change once. Readiness is therefore cached here,
// stamped with the reactor turn ("tick") that observed it. An operation that then fails with
// EAGAIN clears the readiness only if no newer edge arrived in the meantime (same tick), so an
// edge that lands between the syscall and the clear is never lost.
//
//   for (;;) {
//     auto ev = reg.poll_ready(cx, Interest::Read);   // Pending: waker registered
//     if (ev.is_pending()) return pending;
//     ssize_t n = ::read(fd, buf, len);
//     if (n < 0 && errno == EAGAIN) { reg.clear_readiness(ev.value()); continue; }
//     return ready(n);
//   }
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/task/context.hpp"
#include "runtime/task/poll.hpp"
#include "runtime/task/waker.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

enum ReadyBits : uint32_t {
  kReadable = 1,
  kWritable = 2,
  kReadClosed = 4,
  kWriteClosed = 8,
  kIoError = 16,
};

enum class Interest : uint8_t { Read = 1, Write = 2 };

struct ReadyEvent {
  uint32_t tick;
  uint32_t ready;
};

class IoRegistration {
 public:
  explicit IoRegistration(int fd) noexcept : fd_(fd) {}
  IoRegistration(const IoRegistration&) = delete;
  IoRegistration& operator=(const IoRegistration&) = delete;

  int fd() const noexcept { return fd_; }

  Poll<ReadyEvent> poll_ready(Context& cx, Interest interest);
  void clear_readiness(ReadyEvent event) noexcept;

  // Reactor side: records an edge seen on turn `tick` and wakes the interested waiters.
  void set_readiness(uint32_t tick, uint32_t bits) noexcept;
  uint32_t readiness() const noexcept { return static_cast<uint32_t>(word_.load(std::memory_order_acquire)); }

 private:
  static uint32_t mask_for(Interest interest) noexcept {
    return interest == Interest::Read ? (kReadable | kReadClosed | kIoError) : (kWritable | kWriteClosed | kIoError);
  }

  int fd_;
  std::atomic<uint64_t> word_{0};  // tick << 32 | ready bits
  SpinLock lock_;
  Waker reader_;
  Waker writer_;
};

}  // namespace loopscope
