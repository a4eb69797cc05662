// Idle: which workers are parked and how many are searching for work, so that a new task wakes
// exactly one sleeping worker, and only when nobody is already looking.
//
// One atomic word counts unparked and searching workers; the list of parked workers is behind a
// lock that is only taken to park or to wake someone (both already cost a system call).
//
// The rules (a worker is "searching" while it looks for work to steal):
//   - at most half of the workers search at once;
//   - new work wakes a parked worker only if no worker is searching (a searcher will find it);
//   - the last searcher to find work wakes another parked worker, which continues the search,
//     so work spreads one worker at a time instead of in a thundering herd.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "runtime/util/spin_lock.hpp"

namespace loopscope {

class Idle {
 public:
  explicit Idle(uint32_t workers);

  // Someone should be woken for new work: nobody searches and someone is parked. One load.
  bool should_notify() const noexcept {
    uint64_t s = state_.load(std::memory_order_seq_cst);
    return searching(s) == 0 && unparked(s) < workers_;
  }
  // Picks a parked worker to wake and counts it as unparked and searching.
  std::optional<uint32_t> worker_to_notify() noexcept;

  // Before stealing: false when enough workers are searching already.
  bool transition_to_searching() noexcept;
  // A searcher found work. True when it was the last searcher (it should wake another).
  bool transition_from_searching() noexcept;
  // Parks `worker`. True when it was the last searcher (it should check for missed work).
  bool transition_to_parked(uint32_t worker, bool is_searching) noexcept;
  // A parked worker that found work on its own (its timers or I/O) leaves the parked list.
  // False when someone had already woken it (it then counts as searching).
  bool unpark_self(uint32_t worker) noexcept;
  bool is_parked(uint32_t worker) const noexcept { return parked_flags_[worker].load(std::memory_order_acquire) != 0; }

  uint32_t searching() const noexcept { return searching(state_.load(std::memory_order_acquire)); }
  uint32_t unparked() const noexcept { return unparked(state_.load(std::memory_order_acquire)); }

 private:
  static constexpr uint64_t kSearchOne = 1;
  static constexpr uint64_t kUnparkOne = uint64_t{1} << 32;
  static uint32_t searching(uint64_t s) noexcept { return static_cast<uint32_t>(s); }
  static uint32_t unparked(uint64_t s) noexcept { return static_cast<uint32_t>(s >> 32); }

  const uint32_t workers_;
  std::atomic<uint64_t> state_;  // unparked << 32 | searching
  SpinLock lock_;
  std::vector<uint32_t> parked_;  // guarded by lock_
  std::vector<std::atomic<uint8_t>> parked_flags_;
};

}  // namespace loopscope
