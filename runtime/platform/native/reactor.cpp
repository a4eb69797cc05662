#include "runtime/platform/native/reactor.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <mutex>
#include <system_error>

#include "runtime/trace/trace.hpp"

namespace loopscope {

namespace {
[[noreturn]] void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }
}  // namespace

Reactor::Reactor() : link_(std::make_shared<ReactorLink>()) {
  link_->reactor.store(this, std::memory_order_release);
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw_errno("epoll_create1");
  event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ < 0) {
    ::close(epoll_fd_);
    throw_errno("eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;  // level-triggered: stays ready until drained
  ev.data.ptr = nullptr;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, event_fd_, &ev) < 0) {
    ::close(event_fd_);
    ::close(epoll_fd_);
    throw_errno("epoll_ctl(eventfd)");
  }
}

Reactor::~Reactor() {
  {
    std::lock_guard<SpinLock> g(link_->lock);  // no deregister is running, and none will come
    link_->reactor.store(nullptr, std::memory_order_release);
  }
  free_released();
  ::close(event_fd_);
  ::close(epoll_fd_);
}

IoRegistration* Reactor::register_fd(int fd) {
  auto reg = std::make_unique<IoRegistration>(fd);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.ptr = reg.get();
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) < 0) throw_errno("epoll_ctl(ADD)");
  registrations_.fetch_add(1, std::memory_order_relaxed);
  return reg.release();
}

void Reactor::deregister(IoRegistration* registration) noexcept {
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, registration->fd(), nullptr) == 0)
    registrations_.fetch_sub(1, std::memory_order_relaxed);
  std::lock_guard<SpinLock> g(released_lock_);
  released_.push_back(registration);
}

void Reactor::free_released() noexcept {
  std::vector<IoRegistration*> gone;
  {
    std::lock_guard<SpinLock> g(released_lock_);
    if (released_.empty()) return;
    gone.swap(released_);
  }
  for (IoRegistration* r : gone) delete r;
}

int Reactor::poll(std::optional<uint64_t> timeout_ns, uint16_t worker) { return dispatch(timeout_ns, worker, true); }

int Reactor::poll_for_owner(uint16_t worker) { return dispatch(0, worker, false); }

namespace {
// epoll_wait with a timeout in nanoseconds: epoll_pwait2 (Linux 5.11), or milliseconds rounded
// up (never early) where the kernel lacks it.
int wait_for_events(int epoll_fd, epoll_event* events, int max, std::optional<uint64_t> timeout_ns) {
  if (!timeout_ns || *timeout_ns == 0) return ::epoll_wait(epoll_fd, events, max, timeout_ns ? 0 : -1);
  static std::atomic<bool> no_pwait2{false};
  if (!no_pwait2.load(std::memory_order_relaxed)) {
    timespec ts{static_cast<time_t>(*timeout_ns / 1'000'000'000), static_cast<long>(*timeout_ns % 1'000'000'000)};
    int n = ::epoll_pwait2(epoll_fd, events, max, &ts, nullptr);
    if (n >= 0 || errno != ENOSYS) return n;
    no_pwait2.store(true, std::memory_order_relaxed);
  }
  uint64_t ms = (*timeout_ns + 999'999) / 1'000'000;
  return ::epoll_wait(epoll_fd, events, max, ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms));
}
}  // namespace

int Reactor::dispatch(std::optional<uint64_t> timeout_ns, uint16_t worker, bool consume_wake) {
  free_released();  // no event list of an earlier poll is alive any more
  epoll_event events[256];
  int n = wait_for_events(epoll_fd_, events, 256, timeout_ns);
  if (n < 0) {
    if (errno == EINTR) return 0;
    throw_errno("epoll_wait");
  }
  ++tick_;
  int dispatched = 0;
  for (int i = 0; i < n; ++i) {
    auto* reg = static_cast<IoRegistration*>(events[i].data.ptr);
    if (!reg) {
      if (!consume_wake) continue;  // level-triggered: the owner's next wait still sees it
      uint64_t count;
      while (::read(event_fd_, &count, sizeof count) > 0) {
      }
      wake_pending_.store(false, std::memory_order_release);
      continue;
    }
    uint32_t e = events[i].events;
    uint32_t bits = 0;
    if (e & EPOLLIN) bits |= kReadable;
    if (e & EPOLLOUT) bits |= kWritable;
    if (e & EPOLLRDHUP) bits |= kReadClosed;
    if (e & EPOLLHUP) bits |= kReadClosed | kWriteClosed;
    if (e & EPOLLERR) bits |= kIoError;
    if (trace_) trace_->emit(worker, EventKind::IoReady, 0, static_cast<uint64_t>(reg->fd()), bits);
    reg->set_readiness(tick_, bits);
    ++dispatched;
  }
  return dispatched;
}

void Reactor::wake() noexcept {
  if (wake_pending_.exchange(true, std::memory_order_acq_rel)) return;
  uint64_t one = 1;
  ssize_t r = ::write(event_fd_, &one, sizeof one);
  (void)r;  // EAGAIN means the counter is already non-zero: a wake-up is pending anyway
}

}  // namespace loopscope
