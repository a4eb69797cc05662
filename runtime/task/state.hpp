// The life of a task in one atomic word.
//
//   bit 0  RUNNING        a thread is polling the future (it owns the future while set)
//   bit 1  COMPLETE       the future is gone; the output (value, error or "aborted") is stored
//   bit 2  NOTIFIED       a wake-up is pending: the task is in a run queue, or will be re-queued
//                         by whoever is polling it when the poll ends
//   bit 3  CANCELLED      abort() was called, or the runtime is shutting down
//   bit 4  JOIN_INTEREST  a JoinHandle still exists and wants the output
//   bit 5  JOIN_WAKER     the JoinHandle stored a waker in the task; while set and not complete,
//                         only the task may touch that waker
//   bits 6..63            reference count: run queues, wakers, the JoinHandle and the owner list
//
// Every change goes through one of the named transitions below; each is a single CAS loop, so
// a waker may call them from any thread. The scheduler acts on the returned decision (submit the
// task, deallocate it, nothing) outside the atomic operation.
#pragma once

#include <atomic>
#include <cstdint>

namespace loopscope {

class TaskState {
 public:
  static constexpr uint64_t kRunning = 1u << 0;
  static constexpr uint64_t kComplete = 1u << 1;
  static constexpr uint64_t kNotified = 1u << 2;
  static constexpr uint64_t kCancelled = 1u << 3;
  static constexpr uint64_t kJoinInterest = 1u << 4;
  static constexpr uint64_t kJoinWaker = 1u << 5;
  static constexpr uint64_t kRefOne = 1u << 6;
  static constexpr uint64_t kLifecycleMask = kRunning | kComplete;

  // A new task is referenced by its owner list, its JoinHandle and the run queue it is first
  // put in, and is notified (about to be scheduled).
  static constexpr uint64_t kInitial = 3 * kRefOne | kJoinInterest | kNotified;

  TaskState() noexcept : word_(kInitial) {}

  struct Snapshot {
    uint64_t bits;
    bool is_running() const noexcept { return bits & kRunning; }
    bool is_complete() const noexcept { return bits & kComplete; }
    bool is_notified() const noexcept { return bits & kNotified; }
    bool is_cancelled() const noexcept { return bits & kCancelled; }
    bool is_idle() const noexcept { return !(bits & kLifecycleMask); }
    bool is_join_interested() const noexcept { return bits & kJoinInterest; }
    bool is_join_waker_set() const noexcept { return bits & kJoinWaker; }
    uint64_t ref_count() const noexcept { return bits / kRefOne; }
  };
  Snapshot load() const noexcept { return {word_.load(std::memory_order_acquire)}; }

  // Executor takes a notified task out of a queue to poll it.
  enum class ToRunning { Success, Cancelled, Failed, Dealloc };
  ToRunning transition_to_running() noexcept;

  // The poll returned Pending. `self_woken`: the task woke itself during the poll, so it must be
  // re-queued exactly as if NOTIFIED had been set. On OkNotified the poll's reference moves to
  // the re-queue.
  enum class ToIdle { Ok, OkNotified, OkDealloc, Cancelled };
  ToIdle transition_to_idle(bool self_woken = false) noexcept;

  // The future finished (or was dropped after cancellation); output is stored.
  Snapshot transition_to_complete() noexcept;
  // Drops `count` references after completion; true when the task must be deallocated.
  bool transition_to_terminal(uint64_t count) noexcept;

  // Waker::wake (consumes the waker's reference) and Waker::wake_by_ref.
  enum class ToNotified { DoNothing, Submit, Dealloc };
  ToNotified transition_to_notified_by_val() noexcept;
  ToNotified transition_to_notified_by_ref() noexcept;

  // JoinHandle::abort: true when the caller must submit the task so it can be cancelled.
  bool transition_to_notified_and_cancel() noexcept;
  // Runtime shutdown: true when the caller now owns the future and must cancel it.
  bool transition_to_shutdown() noexcept;

  // JoinHandle side. Each returns false (and changes nothing) when the task already completed.
  bool unset_join_interested() noexcept;
  bool set_join_waker() noexcept;
  bool unset_join_waker() noexcept;

  void ref_inc() noexcept;
  // True when that was the last reference.
  bool ref_dec() noexcept;

 private:
  std::atomic<uint64_t> word_;
};

}  // namespace loopscope
