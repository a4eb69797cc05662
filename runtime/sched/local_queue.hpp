// LocalQueue: a worker's bounded run queue. The owner pushes and pops at either end without a
// lock; other workers steal half of it at once.
//
// The head is one 64-bit word holding two 32-bit positions: `real`, the next entry the owner
// pops, and `steal`, where a steal in progress started copying. While they differ a stealer owns
// the entries between them, so the owner never overwrites a slot that is being copied out. The
// tail is written by the owner only. Positions wrap (they are compared by difference), which the
// tests exercise with a capacity of 4.
//
// A full queue hands half of its tasks, plus the new one, to the overflow (the inject queue) in
// one batch, so the owner never blocks and the cost of overflowing is amortised.
//
//   queue.push_back(task, inject);        // owner
//   TaskHeader* t = queue.pop();          // owner
//   TaskHeader* s = victim.steal_into(mine); // any worker: moves half to `mine`, returns one
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "runtime/sched/task_queue.hpp"
#include "runtime/task/header.hpp"

namespace loopscope {

template <uint32_t Capacity = 256>
class LocalQueue {
  static_assert(Capacity >= 2 && (Capacity & (Capacity - 1)) == 0, "capacity must be a power of two");
  static constexpr uint32_t kMask = Capacity - 1;

 public:
  uint32_t len() const noexcept {
    auto [steal, real] = unpack(head_.load(std::memory_order_acquire));
    (void)steal;
    return tail_.load(std::memory_order_acquire) - real;
  }
  bool empty() const noexcept { return len() == 0; }
  // Room for more entries (owner only): a steal in progress still occupies its slots.
  uint32_t remaining_slots() const noexcept {
    auto [steal, real] = unpack(head_.load(std::memory_order_acquire));
    (void)real;
    return Capacity - (tail_.load(std::memory_order_relaxed) - steal);
  }

  // Owner: appends `task`; when full, moves half of the queue and `task` to `overflow` (anything
  // with push_batch(TaskQueue&)). Returns true when it overflowed.
  template <class Overflow>
  bool push_back(TaskHeader* task, Overflow& overflow) noexcept {
    for (;;) {
      uint64_t head = head_.load(std::memory_order_acquire);
      auto [steal, real] = unpack(head);
      uint32_t tail = tail_.load(std::memory_order_relaxed);
      if (tail - steal < Capacity) {
        buffer_[tail & kMask].store(task, std::memory_order_relaxed);
        tail_.store(tail + 1, std::memory_order_release);
        return false;
      }
      if (steal != real) {
        // Full while someone steals from us: the steal frees slots soon; don't wait for it.
        TaskQueue one;
        one.push(task);
        overflow.push_batch(one);
        return true;
      }
      if (push_overflow(task, head, real, tail, overflow)) return true;
      // A stealer moved the head meanwhile: there may be room now.
    }
  }

  // Owner: takes the oldest entry.
  TaskHeader* pop() noexcept {
    uint64_t head = head_.load(std::memory_order_acquire);
    for (;;) {
      auto [steal, real] = unpack(head);
      uint32_t tail = tail_.load(std::memory_order_relaxed);
      if (real == tail) return nullptr;
      uint32_t next_real = real + 1;
      // No steal in progress: both move together. Otherwise only ours moves.
      uint64_t next = steal == real ? pack(next_real, next_real) : pack(steal, next_real);
      if (head_.compare_exchange_weak(head, next, std::memory_order_acq_rel, std::memory_order_acquire))
        return buffer_[real & kMask].load(std::memory_order_relaxed);
    }
  }

  // Any worker: moves half of this queue (rounded up) into `dst`, which must belong to the
  // calling worker, and returns one of the moved tasks to run now; null when there was nothing
  // to take, another steal was in progress, or `dst` is more than half full.
  TaskHeader* steal_into(LocalQueue& dst) noexcept {
    uint32_t dst_tail = dst.tail_.load(std::memory_order_relaxed);
    auto [dst_steal, dst_real] = unpack(dst.head_.load(std::memory_order_acquire));
    (void)dst_real;
    if (dst_tail - dst_steal > Capacity / 2) return nullptr;

    uint32_t n = claim_half(dst, dst_tail);
    if (n == 0) return nullptr;
    // Keep the last one to run; publish the rest to the owner of dst (us).
    --n;
    TaskHeader* ret = dst.buffer_[(dst_tail + n) & kMask].load(std::memory_order_relaxed);
    if (n > 0) dst.tail_.store(dst_tail + n, std::memory_order_release);
    return ret;
  }

  // Calls f(task) for each queued task, next first. Owner only, with no stealer running (a
  // simulation's snapshot).
  template <class F>
  void for_each(F&& f) const {
    auto [steal, real] = unpack(head_.load(std::memory_order_acquire));
    (void)steal;
    uint32_t tail = tail_.load(std::memory_order_acquire);
    for (uint32_t i = real; i != tail; ++i) f(buffer_[i & kMask].load(std::memory_order_relaxed));
  }

 private:
  static uint64_t pack(uint32_t steal, uint32_t real) noexcept { return (uint64_t{steal} << 32) | real; }
  struct Positions {
    uint32_t steal, real;
  };
  static Positions unpack(uint64_t head) noexcept {
    return {static_cast<uint32_t>(head >> 32), static_cast<uint32_t>(head)};
  }

  template <class Overflow>
  bool push_overflow(TaskHeader* task, uint64_t head, uint32_t real, uint32_t tail, Overflow& overflow) noexcept {
    constexpr uint32_t kTake = Capacity / 2;
    (void)tail;
    // Claim the oldest half; fails if a stealer got there first.
    uint64_t next = pack(real + kTake, real + kTake);
    if (!head_.compare_exchange_strong(head, next, std::memory_order_release, std::memory_order_relaxed))
      return false;
    TaskQueue batch;
    for (uint32_t i = 0; i < kTake; ++i) batch.push(buffer_[(real + i) & kMask].load(std::memory_order_relaxed));
    batch.push(task);
    overflow.push_batch(batch);
    return true;
  }

  // Marks half of the entries as being stolen, copies them to dst's slots from dst_tail on, then
  // ends the steal. Returns how many were copied.
  uint32_t claim_half(LocalQueue& dst, uint32_t dst_tail) noexcept {
    uint64_t prev = head_.load(std::memory_order_acquire);
    uint64_t next;
    uint32_t n;
    for (;;) {
      auto [steal, real] = unpack(prev);
      if (steal != real) return 0;  // another worker is stealing from this queue
      uint32_t tail = tail_.load(std::memory_order_acquire);
      n = tail - real;
      n -= n / 2;
      if (n == 0) return 0;
      next = pack(steal, real + n);
      if (head_.compare_exchange_weak(prev, next, std::memory_order_acq_rel, std::memory_order_acquire)) break;
    }
    uint32_t first = unpack(next).steal;
    for (uint32_t i = 0; i < n; ++i) {
      TaskHeader* t = buffer_[(first + i) & kMask].load(std::memory_order_relaxed);
      dst.buffer_[(dst_tail + i) & kMask].store(t, std::memory_order_relaxed);
    }
    // End the steal: `steal` catches up with `real` (which the owner may have moved on).
    prev = next;
    for (;;) {
      uint32_t real = unpack(prev).real;
      if (head_.compare_exchange_weak(prev, pack(real, real), std::memory_order_acq_rel, std::memory_order_acquire))
        return n;
    }
  }

  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint32_t> tail_{0};
  std::array<std::atomic<TaskHeader*>, Capacity> buffer_{};
};

}  // namespace loopscope
