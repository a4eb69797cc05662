// IoSource: a non-blocking fd owned by a Loopscope I/O type, registered with the reactor of the
// scheduler that first polls it. TcpStream, TcpListener and the pipe ends are built on it.
//
// poll_io runs a syscall when the fd is ready and retries after EAGAIN, so each I/O future is a
// few lines: "when readable, read()".
//
// An I/O object may outlive its runtime (declared before it): closing and destroying it is then
// safe, and polled under another runtime it registers there.
#pragma once

#include <cerrno>
#include <memory>
#include <system_error>

#include "runtime/io/registration.hpp"
#include "runtime/sched/coop.hpp"

namespace loopscope {

struct ReactorLink;

class IoSource {
 public:
  IoSource() noexcept = default;
  explicit IoSource(int fd) noexcept : fd_(fd) {}
  IoSource(IoSource&& other) noexcept;
  IoSource& operator=(IoSource&& other) noexcept;
  ~IoSource() { close(); }

  int fd() const noexcept { return fd_; }
  bool is_open() const noexcept { return fd_ >= 0; }
  void close() noexcept;

  // Polls `op` (a syscall returning -1 with errno on failure) when the fd is ready for
  // `interest`. Throws std::system_error for errors other than EAGAIN. `requested`: the bytes
  // asked for; a shorter transfer means the kernel buffer ran dry (or full), so the cached
  // readiness is dropped now instead of costing an EAGAIN syscall next time.
  template <class Op>
  Poll<long> poll_io(Context& cx, Interest interest, Op&& op, size_t requested = 0) {
    if (fd_ < 0) throw std::system_error(EBADF, std::generic_category(), "I/O on a closed socket");
    IoRegistration& reg = registration(cx);
    for (;;) {
      auto ev = reg.poll_ready(cx, interest);
      if (ev.is_pending()) return pending;
      if (!coop::proceed(cx)) return pending;
      long r = op();
      if (r >= 0) {
        if (r > 0 && static_cast<size_t>(r) < requested) reg.clear_readiness(ev.value());
        return Poll<long>(r);
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        reg.clear_readiness(ev.value());
        continue;
      }
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), interest == Interest::Read ? "read" : "write");
    }
  }

  // Waits for readiness only (connect completion).
  Poll<ReadyEvent> poll_ready(Context& cx, Interest interest) { return registration(cx).poll_ready(cx, interest); }

 private:
  IoRegistration& registration(Context& cx);
  void drop_registration() noexcept;

  int fd_ = -1;
  // Handed to the reactor to free when deregistered, or freed here once the reactor is gone.
  IoRegistration* registration_ = nullptr;
  std::shared_ptr<ReactorLink> reactor_;
};

}  // namespace loopscope
