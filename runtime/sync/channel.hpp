// Channel<T>: a multi-producer multi-consumer queue between tasks, bounded or unbounded.
//
//   auto ch = Channel<int>::bounded(8);      // capacity 0 is a rendezvous: send waits for a recv
//   co_await ch.send(1);                     // waits while full; throws ChannelClosed if closed
//   std::optional<int> v = co_await ch.recv();   // nullopt once closed and drained
//   ch.try_send(2);  ch.try_recv();  ch.close();  ch.len();
//
// Copies of a Channel are handles to the same queue. The futures returned by send() and recv()
// borrow the queue: keep a handle alive until they complete or are dropped (as when awaiting them
// in place). Waiting senders keep their value in their own future; a receiver takes from the buffer first, then refills it from the oldest waiting
// sender, so values come out in the order their sends started waiting. Both wait lists are FIFO.
// A receiver woken by a send that drops its future before receiving passes the wake-up on.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "runtime/sched/coop.hpp"
#include "runtime/trace/trace.hpp"
#include "runtime/util/intrusive_list.hpp"
#include "runtime/util/spin_lock.hpp"

namespace loopscope {

class ChannelClosed : public std::runtime_error {
 public:
  ChannelClosed() : std::runtime_error("send on a closed channel") {}
  explicit ChannelClosed(const std::string& what) : std::runtime_error(what) {}
};

enum class TrySend { Sent, Full, Closed };

template <class T>
class Channel {
  struct SendWaiter : ListNode {
    std::optional<T> value;
    Waker waker;
    uint64_t task = 0;  // who waits (snapshots)
    bool delivered = false;
  };
  struct RecvWaiter : ListNode {
    Waker waker;
    uint64_t task = 0;
    bool woken = false;  // taken off the list by a sender; must pass it on if dropped unused
  };
  struct Shared {
    SpinLock lock;
    std::deque<T> buffer;
    size_t capacity;
    bool closed = false;
    IntrusiveList<SendWaiter> senders;
    IntrusiveList<RecvWaiter> receivers;
    uint64_t id = Trace::next_object_id();
    explicit Shared(size_t cap) : capacity(cap) {}
    ~Shared() { assert(senders.empty() && receivers.empty()); }

    // A value became available: wake the oldest waiting receiver (returned for after unlock).
    Waker wake_receiver() noexcept {
      RecvWaiter* r = receivers.pop_front();
      if (!r) return Waker();
      r->woken = true;
      return std::move(r->waker);
    }
    bool has_value() const noexcept { return !buffer.empty() || !senders.empty(); }

    // Takes the next value (lock held): from the buffer, which the oldest waiting sender then
    // refills, or straight from a waiting sender (rendezvous). `wake` gets that sender's waker.
    std::optional<T> take(Waker& wake) {
      std::optional<T> out;
      if (!buffer.empty()) {
        out.emplace(std::move(buffer.front()));
        buffer.pop_front();
        if (SendWaiter* w = senders.pop_front()) {
          buffer.push_back(std::move(*w->value));
          w->delivered = true;
          wake = std::move(w->waker);
        }
      } else if (SendWaiter* w = senders.pop_front()) {
        out.emplace(std::move(*w->value));
        w->delivered = true;
        wake = std::move(w->waker);
      }
      return out;
    }
  };

  static void trace(Context& cx, EventKind kind, uint64_t id, uint64_t op) {
    if (Scheduler* s = cx.scheduler(); s && s->trace()) s->trace()->emit(s->worker_id(), kind, cx.task_id(), id, op);
  }

 public:
  static constexpr size_t kUnbounded = std::numeric_limits<size_t>::max();

  static Channel bounded(size_t capacity) { return Channel(capacity); }
  static Channel unbounded() { return Channel(kUnbounded); }

  class Send {
   public:
    Send(Shared* s, T value) : shared_(s) { waiter_.value.emplace(std::move(value)); }
    Send(Send&& other) noexcept : shared_(std::exchange(other.shared_, nullptr)) {  // only before the first poll
      assert(!other.waiter_.linked());
      waiter_.value = std::move(other.waiter_.value);
    }
    Send& operator=(Send&&) = delete;
    ~Send() {
      if (!shared_) return;
      std::lock_guard<SpinLock> g(shared_->lock);
      if (waiter_.linked()) IntrusiveList<SendWaiter>::remove(&waiter_);
    }

    Poll<void> poll(Context& cx) {
      Shared& s = *shared_;
      if (!coop::proceed(cx)) return pending;
      Waker wake;
      bool delivered_before = false;  // traced after the lock: a trace listener may look at the channel
      {
        std::lock_guard<SpinLock> g(s.lock);
        delivered_before = waiter_.delivered;
        if (!delivered_before) {
          if (s.closed) {
            if (waiter_.linked()) IntrusiveList<SendWaiter>::remove(&waiter_);
            throw ChannelClosed();
          }
          if (waiter_.linked()) {
            coop::refund(cx);
            if (!waiter_.waker.will_wake(cx.waker())) waiter_.waker = cx.waker();
            return pending;
          }
          if (s.senders.empty() && s.buffer.size() < s.capacity) {
            s.buffer.push_back(std::move(*waiter_.value));
            waiter_.delivered = true;
            wake = s.wake_receiver();
          } else {
            // Full (or a rendezvous): wait with the value; a receiver will take it from here.
            coop::refund(cx);
            waiter_.waker = cx.waker();
            waiter_.task = cx.task_id();
            s.senders.push_back(&waiter_);
            wake = s.wake_receiver();
          }
        }
      }
      if (delivered_before) {
        trace(cx, EventKind::ChannelReady, s.id, 0);
        return ready();
      }
      wake.wake();
      if (waiter_.delivered) {
        trace(cx, EventKind::ChannelReady, s.id, 0);
        return ready();
      }
      trace(cx, EventKind::ChannelWait, s.id, 0);
      return pending;
    }

   private:
    Shared* shared_;  // borrowed from a Channel handle
    SendWaiter waiter_;
  };

  class Recv {
   public:
    explicit Recv(Shared* s) noexcept : shared_(s) {}
    Recv(Recv&& other) noexcept : shared_(std::exchange(other.shared_, nullptr)), done_(other.done_) {}  // before first poll
    Recv& operator=(Recv&&) = delete;
    ~Recv() {
      if (!shared_) return;
      Waker forward;
      {
        std::lock_guard<SpinLock> g(shared_->lock);
        if (waiter_.linked()) {
          IntrusiveList<RecvWaiter>::remove(&waiter_);
        } else if (waiter_.woken && !done_ && shared_->has_value()) {
          forward = shared_->wake_receiver();
        }
      }
      forward.wake();
    }

    Poll<std::optional<T>> poll(Context& cx) {
      Shared& s = *shared_;
      if (!coop::proceed(cx)) return pending;
      std::optional<T> out;
      Waker wake;
      bool first_wait = false;
      {
        std::lock_guard<SpinLock> g(s.lock);
        out = s.take(wake);
        if (!out && s.closed) {
          if (waiter_.linked()) IntrusiveList<RecvWaiter>::remove(&waiter_);
          done_ = true;
          return Poll<std::optional<T>>(std::nullopt);
        }
        if (!out) {
          coop::refund(cx);
          waiter_.woken = false;
          if (!waiter_.linked()) {
            waiter_.waker = cx.waker();
            waiter_.task = cx.task_id();
            s.receivers.push_back(&waiter_);
          } else if (!waiter_.waker.will_wake(cx.waker())) {
            waiter_.waker = cx.waker();
          }
          first_wait = !waited_;
          waited_ = true;
        } else {
          if (waiter_.linked()) IntrusiveList<RecvWaiter>::remove(&waiter_);
          done_ = true;
        }
      }
      if (!out) {  // (traced after the lock: a trace listener may look at the channel)
        if (first_wait) trace(cx, EventKind::ChannelWait, s.id, 1);
        return pending;
      }
      wake.wake();
      trace(cx, EventKind::ChannelReady, s.id, 1);
      return Poll<std::optional<T>>(std::move(out));
    }

   private:
    Shared* shared_;  // borrowed from a Channel handle
    RecvWaiter waiter_;
    bool done_ = false;
    bool waited_ = false;
  };

  Send send(T value) const { return Send(shared_.get(), std::move(value)); }
  Recv recv() const { return Recv(shared_.get()); }

  TrySend try_send(T value) const {
    Waker wake;
    {
      std::lock_guard<SpinLock> g(shared_->lock);
      if (shared_->closed) return TrySend::Closed;
      if (!shared_->senders.empty() || shared_->buffer.size() >= shared_->capacity) {
        // A rendezvous try_send succeeds only if a receiver is already waiting.
        if (shared_->capacity != 0 || shared_->receivers.empty()) return TrySend::Full;
      }
      shared_->buffer.push_back(std::move(value));
      wake = shared_->wake_receiver();
    }
    wake.wake();
    return TrySend::Sent;
  }

  std::optional<T> try_recv() const {
    Waker wake;
    std::optional<T> out;
    {
      std::lock_guard<SpinLock> g(shared_->lock);
      out = shared_->take(wake);
    }
    wake.wake();
    return out;
  }

  // No more sends: waiting senders fail with ChannelClosed; receivers drain what is buffered,
  // then get nullopt.
  void close() const {
    WakeAll wakes;
    {
      std::lock_guard<SpinLock> g(shared_->lock);
      if (shared_->closed) return;
      shared_->closed = true;
      while (RecvWaiter* r = shared_->receivers.pop_front()) wakes.push_back(std::move(r->waker));
      shared_->senders.for_each([&](SendWaiter* w) { wakes.push_back(std::move(w->waker)); });
    }
    for (auto& w : wakes) w.wake();
  }

  // Calls f(value) for each buffered value, under the channel's lock (garbage collectors use it).
  template <class F>
  void for_each_buffered(F&& f) const {
    std::lock_guard<SpinLock> g(shared_->lock);
    for (const T& v : shared_->buffer) f(v);
  }

  // Calls f(task, is_sender) for each waiting task, senders then receivers, each oldest first,
  // under the channel's lock (snapshots).
  template <class F>
  void for_each_waiter(F&& f) const {
    std::lock_guard<SpinLock> g(shared_->lock);
    shared_->senders.for_each([&](SendWaiter* w) { f(w->task, true); });
    shared_->receivers.for_each([&](RecvWaiter* w) { f(w->task, false); });
  }

  size_t len() const {
    std::lock_guard<SpinLock> g(shared_->lock);
    return shared_->buffer.size();
  }
  size_t capacity() const noexcept { return shared_->capacity; }
  bool is_closed() const {
    std::lock_guard<SpinLock> g(shared_->lock);
    return shared_->closed;
  }
  uint64_t id() const noexcept { return shared_->id; }
  bool operator==(const Channel& other) const noexcept { return shared_ == other.shared_; }

 private:
  using WakeAll = std::deque<Waker>;
  explicit Channel(size_t capacity) : shared_(std::make_shared<Shared>(capacity)) {}
  std::shared_ptr<Shared> shared_;
};

}  // namespace loopscope
