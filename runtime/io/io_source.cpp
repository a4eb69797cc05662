#include "runtime/io/io_source.hpp"

#include <unistd.h>

#include <stdexcept>
#include <utility>

#include "runtime/platform/native/reactor.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope {

IoSource::IoSource(IoSource&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      reactor_(std::exchange(other.reactor_, nullptr)),
      registration_(std::exchange(other.registration_, nullptr)) {}

IoSource& IoSource::operator=(IoSource&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    reactor_ = std::exchange(other.reactor_, nullptr);
    registration_ = std::exchange(other.registration_, nullptr);
  }
  return *this;
}

void IoSource::close() noexcept {
  if (registration_) {
    reactor_->deregister(std::exchange(registration_, nullptr));
  }
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

IoRegistration& IoSource::registration(Context& cx) {
  if (registration_) return *registration_;
  Scheduler* s = cx.scheduler();
  Reactor* reactor = s ? s->reactor() : nullptr;
  if (!reactor) throw std::logic_error("socket I/O needs a native runtime with an epoll reactor");
  registration_ = reactor->register_fd(fd_);
  reactor_ = reactor;
  if (Trace* t = s->trace()) t->emit(s->worker_id(), EventKind::IoRegister, cx.task_id(), static_cast<uint64_t>(fd_), 3);
  return *registration_;
}

}  // namespace loopscope
