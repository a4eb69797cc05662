#include "runtime/io/registration.hpp"

#include <mutex>

namespace loopscope {

Poll<ReadyEvent> IoRegistration::poll_ready(Context& cx, Interest interest) {
  uint32_t mask = mask_for(interest);
  uint64_t word = word_.load(std::memory_order_acquire);
  if (static_cast<uint32_t>(word) & mask)
    return Poll<ReadyEvent>(ReadyEvent{static_cast<uint32_t>(word >> 32), static_cast<uint32_t>(word) & mask});
  {
    std::lock_guard<SpinLock> g(lock_);
    Waker& slot = interest == Interest::Read ? reader_ : writer_;
    if (!slot.will_wake(cx.waker())) slot = cx.waker();
  }
  // An edge may have arrived before the waker was stored: look again.
  word = word_.load(std::memory_order_acquire);
  if (static_cast<uint32_t>(word) & mask)
    return Poll<ReadyEvent>(ReadyEvent{static_cast<uint32_t>(word >> 32), static_cast<uint32_t>(word) & mask});
  return pending;
}

void IoRegistration::clear_readiness(ReadyEvent event) noexcept {
  // Closed and error states are final; only readable/writable are cleared.
  uint64_t clear = event.ready & (kReadable | kWritable);
  uint64_t word = word_.load(std::memory_order_acquire);
  while (static_cast<uint32_t>(word >> 32) == event.tick) {
    if (word_.compare_exchange_weak(word, word & ~clear, std::memory_order_acq_rel)) return;
  }
}

void IoRegistration::set_readiness(uint32_t tick, uint32_t bits) noexcept {
  uint64_t word = word_.load(std::memory_order_acquire);
  uint64_t next;
  do {
    next = (uint64_t{tick} << 32) | (static_cast<uint32_t>(word) | bits);
  } while (!word_.compare_exchange_weak(word, next, std::memory_order_acq_rel));
  Waker read, write;
  {
    std::lock_guard<SpinLock> g(lock_);
    if (bits & mask_for(Interest::Read)) read = std::move(reader_);
    if (bits & mask_for(Interest::Write)) write = std::move(writer_);
  }
  read.wake();
  write.wake();
}

}  // namespace loopscope
