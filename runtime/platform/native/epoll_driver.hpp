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
  // Parks wait to the nanosecond: timers need not round up to a whole millisecond.
  uint64_t timer_resolution_ns() const noexcept override { return kTimerResolutionNs; }
  static constexpr uint64_t kTimerResolutionNs = 50'000;

  bool park(std::optional<uint64_t> timeout_ns, bool /*may_be_woken*/) override {
    // Without a timeout a real thread or socket may always wake us: wait as long as it takes.
    reactor_.poll(timeout_ns, worker_);
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
