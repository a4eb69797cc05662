// EpollDriver: the native platform — the machine's monotonic clock and an epoll reactor.
// Parking is one epoll_wait, bounded by the next timer; unpark writes the reactor's eventfd.
//
//   EpollDriver driver;
//   LocalExecutor ex(driver);
//   ex.block_on(serve(TcpListener::bind("127.0.0.1", 8080)));
#pragma once

#include "runtime/platform/driver.hpp"
#include "runtime/platform/native/reactor.hpp"
#include "runtime/time/clock.hpp"

namespace loopscope {

class EpollDriver final : public Driver {
 public:
  // `worker`: the worker that parks here, stamped on the reactor's trace events.
  explicit EpollDriver(uint16_t worker = 0) noexcept : worker_(worker) {}

  Clock& clock() noexcept override { return clock_; }
  Reactor* reactor() noexcept override { return &reactor_; }

  bool park(std::optional<uint64_t> timeout_ns, bool /*may_be_woken*/) override {
    int timeout_ms = -1;  // a real thread or socket may always wake us: wait as long as it takes
    if (timeout_ns) {
      uint64_t ms = (*timeout_ns + kNsPerMs - 1) / kNsPerMs;  // never wake before the deadline
      timeout_ms = ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms);
    }
    reactor_.poll(timeout_ms, worker_);
    return true;
  }
  void unpark() noexcept override { reactor_.wake(); }
  void poll_for_owner(uint16_t worker) override { reactor_.poll_for_owner(worker); }
  bool has_io_interest() const noexcept override { return reactor_.registrations() > 0; }

 private:
  uint16_t worker_;
  MonotonicClock clock_;
  Reactor reactor_;
};

}  // namespace loopscope
