// Reactor: an edge-triggered epoll instance and the registrations it serves, plus an eventfd
// that other threads write to end a wait early.
//
// Each registered fd is watched for input, output and hang-up once (EPOLLET); the readiness the
// kernel reports is cached in its IoRegistration (see runtime/io/registration.hpp), stamped with
// the reactor's turn counter.
//
// One thread at a time polls a reactor (its worker, or an idle worker standing in for a busy
// one); any thread may register and deregister. A deregistered IoRegistration is freed by the
// next poll, not at once: a poll running on another thread may hold it in its event list.
// Registrations may outlive the reactor (a socket declared before its runtime): their owners
// reach it through a ReactorLink, which the reactor's destructor cuts.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "runtime/io/registration.hpp"

namespace loopscope {

class Trace;
class Reactor;

// The way back from a registration's owner to its reactor, or null once the reactor is gone.
// Deregistering holds the lock, so the reactor cannot go meanwhile.
struct ReactorLink {
  SpinLock lock;
  std::atomic<Reactor*> reactor;
};

class Reactor {
 public:
  Reactor();
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Watches `fd` (non-blocking, owned by the caller). Throws std::system_error.
  IoRegistration* register_fd(int fd);
  const std::shared_ptr<ReactorLink>& link() const noexcept { return link_; }
  // Stops watching and gives the registration back; call before closing the fd.
  void deregister(IoRegistration* registration) noexcept;

  // Waits up to `timeout_ns` (nullopt: forever; to the nanosecond where the kernel has
  // epoll_pwait2, else rounded up to a millisecond) and dispatches readiness; `worker` is stamped
  // on trace events. Returns the number of fd events dispatched (the eventfd wake-up is not counted).
  int poll(std::optional<uint64_t> timeout_ns, uint16_t worker = 0);
  // Dispatches ready fds without waiting, on behalf of the reactor's busy owner: leaves a pending
  // wake-up for the owner to see.
  int poll_for_owner(uint16_t worker);
  // Ends a wait early. Any thread; cheap when a wake-up is already pending.
  void wake() noexcept;

  size_t registrations() const noexcept { return registrations_.load(std::memory_order_relaxed); }
  void attach_trace(Trace* trace) noexcept { trace_ = trace; }

 private:
  int dispatch(std::optional<uint64_t> timeout_ns, uint16_t worker, bool consume_wake);
  void free_released() noexcept;

  int epoll_fd_ = -1;
  int event_fd_ = -1;
  uint32_t tick_ = 0;
  std::atomic<size_t> registrations_{0};
  std::atomic<bool> wake_pending_{false};
  Trace* trace_ = nullptr;
  SpinLock released_lock_;
  std::vector<IoRegistration*> released_;  // deregistered, freed by the next poll
  std::shared_ptr<ReactorLink> link_;
};

}  // namespace loopscope
