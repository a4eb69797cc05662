#include "runtime/task/state.hpp"

#include <cassert>

namespace loopscope {

namespace {
// Runs `f(bits) -> (decision, new bits or keep)` in a CAS loop.
template <class F>
auto update(std::atomic<uint64_t>& word, F f) noexcept {
  uint64_t cur = word.load(std::memory_order_acquire);
  for (;;) {
    auto [decision, next, write] = f(cur);
    if (!write) return decision;
    if (word.compare_exchange_weak(cur, next, std::memory_order_acq_rel, std::memory_order_acquire))
      return decision;
  }
}
template <class D>
struct Step {
  D decision;
  uint64_t next;
  bool write;
};
}  // namespace

TaskState::ToRunning TaskState::transition_to_running() noexcept {
  return update(word_, [](uint64_t s) -> Step<ToRunning> {
    assert(s & kNotified);
    if (s & kLifecycleMask) {
      // Running elsewhere or already complete (cancelled by shutdown): drop the queue's ref.
      uint64_t next = s - kRefOne;
      return {next / kRefOne == 0 ? ToRunning::Dealloc : ToRunning::Failed, next, true};
    }
    uint64_t next = (s | kRunning) & ~kNotified;
    return {(s & kCancelled) ? ToRunning::Cancelled : ToRunning::Success, next, true};
  });
}

TaskState::ToIdle TaskState::transition_to_idle(bool self_woken) noexcept {
  return update(word_, [self_woken](uint64_t s) -> Step<ToIdle> {
    assert(s & kRunning);
    if (s & kCancelled) return {ToIdle::Cancelled, s, false};
    uint64_t next = s & ~kRunning;
    if (self_woken) next |= kNotified;
    if (!(next & kNotified)) {
      // The poll consumed the reference the run queue held.
      next -= kRefOne;
      return {next / kRefOne == 0 ? ToIdle::OkDealloc : ToIdle::Ok, next, true};
    }
    // Woken during its own poll: the poll's reference goes with the task back into a queue.
    return {ToIdle::OkNotified, next, true};
  });
}

TaskState::Snapshot TaskState::transition_to_complete() noexcept {
  uint64_t prev = word_.fetch_xor(kRunning | kComplete, std::memory_order_acq_rel);
  assert(prev & kRunning);
  assert(!(prev & kComplete));
  return {prev ^ (kRunning | kComplete)};
}

bool TaskState::transition_to_terminal(uint64_t count) noexcept {
  uint64_t prev = word_.fetch_sub(count * kRefOne, std::memory_order_acq_rel);
  assert(prev / kRefOne >= count);
  return prev / kRefOne == count;
}

TaskState::ToNotified TaskState::transition_to_notified_by_val() noexcept {
  return update(word_, [](uint64_t s) -> Step<ToNotified> {
    if (s & kRunning) {
      // The poller re-queues it when its poll ends; it holds a reference, so this is not the last.
      uint64_t next = (s | kNotified) - kRefOne;
      assert(next / kRefOne > 0);
      return {ToNotified::DoNothing, next, true};
    }
    if (s & (kComplete | kNotified)) {
      uint64_t next = s - kRefOne;
      return {next / kRefOne == 0 ? ToNotified::Dealloc : ToNotified::DoNothing, next, true};
    }
    // The waker's reference moves to the run queue, so the count does not change.
    return {ToNotified::Submit, s | kNotified, true};
  });
}

TaskState::ToNotified TaskState::transition_to_notified_by_ref() noexcept {
  return update(word_, [](uint64_t s) -> Step<ToNotified> {
    if (s & (kComplete | kNotified)) return {ToNotified::DoNothing, s, false};
    if (s & kRunning) return {ToNotified::DoNothing, s | kNotified, true};
    return {ToNotified::Submit, (s | kNotified) + kRefOne, true};
  });
}

bool TaskState::transition_to_notified_and_cancel() noexcept {
  return update(word_, [](uint64_t s) -> Step<bool> {
    if (s & (kCancelled | kComplete)) return {false, s, false};
    if (s & kRunning) return {false, s | kNotified | kCancelled, true};
    if (s & kNotified) return {false, s | kCancelled, true};
    return {true, (s | kNotified | kCancelled) + kRefOne, true};
  });
}

bool TaskState::transition_to_shutdown() noexcept {
  return update(word_, [](uint64_t s) -> Step<bool> {
    bool idle = !(s & kLifecycleMask);
    uint64_t next = s | kCancelled | (idle ? kRunning : 0);
    return {idle, next, true};
  });
}

bool TaskState::unset_join_interested() noexcept {
  return update(word_, [](uint64_t s) -> Step<bool> {
    assert(s & kJoinInterest);
    if (s & kComplete) return {false, s, false};
    return {true, s & ~kJoinInterest, true};
  });
}

bool TaskState::set_join_waker() noexcept {
  return update(word_, [](uint64_t s) -> Step<bool> {
    assert(s & kJoinInterest);
    assert(!(s & kJoinWaker));
    if (s & kComplete) return {false, s, false};
    return {true, s | kJoinWaker, true};
  });
}

bool TaskState::unset_join_waker() noexcept {
  return update(word_, [](uint64_t s) -> Step<bool> {
    assert(s & kJoinInterest);
    assert(s & kJoinWaker);
    if (s & kComplete) return {false, s, false};
    return {true, s & ~kJoinWaker, true};
  });
}

void TaskState::ref_inc() noexcept { word_.fetch_add(kRefOne, std::memory_order_relaxed); }

bool TaskState::ref_dec() noexcept {
  uint64_t prev = word_.fetch_sub(kRefOne, std::memory_order_acq_rel);
  assert(prev / kRefOne >= 1);
  return prev / kRefOne == 1;
}

}  // namespace loopscope
