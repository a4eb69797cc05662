#include "runtime/io/io_source.hpp"

#include <unistd.h>

#include <mutex>
#include <stdexcept>
#include <utility>

#include "runtime/platform/native/reactor.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope {

IoSource::IoSource(IoSource&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      registration_(std::exchange(other.registration_, nullptr)),
      reactor_(std::move(other.reactor_)) {}

IoSource& IoSource::operator=(IoSource&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    registration_ = std::exchange(other.registration_, nullptr);
    reactor_ = std::move(other.reactor_);
  }
  return *this;
}

void IoSource::close() noexcept {
  drop_registration();
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

void IoSource::drop_registration() noexcept {
  IoRegistration* reg = std::exchange(registration_, nullptr);
  if (!reg) return;
  {
    std::lock_guard<SpinLock> g(reactor_->lock);
    if (Reactor* r = reactor_->reactor.load(std::memory_order_acquire)) {
      r->deregister(reg);
      reg = nullptr;
    }
  }
  delete reg;  // its reactor is gone, and with it any event list that could name it
  reactor_.reset();
}

IoRegistration& IoSource::registration(Context& cx) {
  if (registration_) {
    if (reactor_->reactor.load(std::memory_order_acquire)) return *registration_;
    drop_registration();  // its runtime is gone: register with this one
  }
  Scheduler* s = cx.scheduler();
  Reactor* reactor = s ? s->reactor() : nullptr;
  if (!reactor) throw std::logic_error("socket I/O needs a native runtime with an epoll reactor");
  registration_ = reactor->register_fd(fd_);
  reactor_ = reactor->link();
  if (Trace* t = s->trace()) t->emit(s->worker_id(), EventKind::IoRegister, cx.task_id(), static_cast<uint64_t>(fd_), 3);
  return *registration_;
}

}  // namespace loopscope
