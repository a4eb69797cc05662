// Reactor: an edge-triggered epoll instance and the registrations it serves, plus an eventfd
// that other threads write to end a wait early.
//
// Each registered fd is watched for input, output and hang-up once (EPOLLET); the readiness the
// kernel reports is cached in its IoRegistration (see runtime/io/registration.hpp), stamped with
// the reactor's turn counter.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "runtime/io/registration.hpp"

namespace loopscope {

class Trace;

class Reactor {
 public:
  Reactor();
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Watches `fd` (non-blocking, owned by the caller). Throws std::system_error.
  std::unique_ptr<IoRegistration> register_fd(int fd);
  // Stops watching; call before closing the fd.
  void deregister(IoRegistration& registration) noexcept;

  // Waits up to `timeout_ms` (-1: forever) and dispatches readiness. Returns the number of fd
  // events dispatched (a wake-up through the eventfd is not counted).
  int poll(int timeout_ms);
  // Ends a wait early. Any thread; cheap when a wake-up is already pending.
  void wake() noexcept;

  size_t registrations() const noexcept { return registrations_; }
  void attach_trace(Trace* trace, uint16_t worker) noexcept {
    trace_ = trace;
    worker_ = worker;
  }

 private:
  int epoll_fd_ = -1;
  int event_fd_ = -1;
  uint32_t tick_ = 0;
  size_t registrations_ = 0;
  std::atomic<bool> wake_pending_{false};
  Trace* trace_ = nullptr;
  uint16_t worker_ = 0;
};

}  // namespace loopscope
