// Driver: the platform under an executor — its clock, and the ability to wait for events.
//
//   native    EpollDriver    real clock; park = epoll_wait (I/O readiness, eventfd to unpark)
//   browser   BrowserDriver  performance.now; never parks: the page's event loop calls back
//   tests     ManualDriver   a manual clock that jumps to the next timer when the executor parks
#pragma once

#include <cstdint>
#include <optional>

namespace loopscope {

class Clock;
class Reactor;

class Driver {
 public:
  virtual ~Driver() = default;
  virtual Clock& clock() noexcept = 0;
  virtual Reactor* reactor() noexcept { return nullptr; }
  // The tick of the timer wheels over this driver (ns): a timer fires within one tick after its
  // deadline. 1 ms by default, as Tokio's; finer where parking has sub-millisecond timeouts.
  virtual uint64_t timer_resolution_ns() const noexcept { return 1'000'000; }

  // Waits at most `timeout_ns` (nullopt: without limit) for I/O readiness or unpark(), and wakes
  // the tasks whose I/O became ready. `may_be_woken` says whether anything outside the executor
  // (a blocking job, another thread) is known to be pending. Returns false when waiting could
  // never end: the executor then reports a deadlock instead of hanging.
  virtual bool park(std::optional<uint64_t> timeout_ns, bool may_be_woken) = 0;

  // Ends a park early, or makes the next one return at once. Any thread.
  virtual void unpark() noexcept = 0;

  // Dispatches ready I/O without waiting, from another thread standing in for the busy thread
  // that parks here; leaves a pending unpark() for that thread to see.
  virtual void poll_for_owner(uint16_t /*worker*/) {}
  // Something is registered for I/O readiness here.
  virtual bool has_io_interest() const noexcept { return false; }
};

}  // namespace loopscope
