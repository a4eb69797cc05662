#include "runtime/sched/idle.hpp"

#include <algorithm>

namespace loopscope {

Idle::Idle(uint32_t workers)
    : workers_(workers), state_(uint64_t{workers} * kUnparkOne), parked_flags_(workers) {
  parked_.reserve(workers);
}

std::optional<uint32_t> Idle::worker_to_notify() noexcept {
  if (!should_notify()) return std::nullopt;
  std::lock_guard<SpinLock> g(lock_);
  if (!should_notify() || parked_.empty()) return std::nullopt;
  state_.fetch_add(kSearchOne | kUnparkOne, std::memory_order_seq_cst);
  uint32_t w = parked_.back();
  parked_.pop_back();
  parked_flags_[w].store(0, std::memory_order_release);
  return w;
}

bool Idle::transition_to_searching() noexcept {
  uint64_t s = state_.load(std::memory_order_seq_cst);
  if (2 * searching(s) >= workers_) return false;
  state_.fetch_add(kSearchOne, std::memory_order_seq_cst);
  return true;
}

bool Idle::transition_from_searching() noexcept {
  uint64_t prev = state_.fetch_sub(kSearchOne, std::memory_order_seq_cst);
  return searching(prev) == 1;
}

bool Idle::transition_to_parked(uint32_t worker, bool is_searching) noexcept {
  std::lock_guard<SpinLock> g(lock_);
  uint64_t dec = kUnparkOne | (is_searching ? kSearchOne : 0);
  uint64_t prev = state_.fetch_sub(dec, std::memory_order_seq_cst);
  parked_.push_back(worker);
  parked_flags_[worker].store(1, std::memory_order_release);
  return is_searching && searching(prev) == 1;
}

bool Idle::unpark_self(uint32_t worker) noexcept {
  std::lock_guard<SpinLock> g(lock_);
  auto it = std::find(parked_.begin(), parked_.end(), worker);
  if (it == parked_.end()) return false;
  parked_.erase(it);
  parked_flags_[worker].store(0, std::memory_order_release);
  state_.fetch_add(kUnparkOne, std::memory_order_seq_cst);
  return true;
}

}  // namespace loopscope
