// Channel<T>: a multi-producer multi-consumer queue between tasks, bounded or unbounded.
//
//   auto ch = Channel<int>::bounded(8);      // capacity 0 is a rendezvous: send waits for a recv
//   co_await ch.send(1);                     // waits while full; throws ChannelClosed if closed
//   std::optional<int> v = co_await ch.recv();   // nullopt once closed and drained
//   ch.try_send(2);  ch.try_recv();  ch.close();  ch.len();
//
// Copies of a Channel are handles to the same queue. The futures returned by send() and recv()
// borrow the queue: keep a handle alive until they complete or are dropped (as when awaiting them
// in place). Both wait lists are FIFO. How a value travels past a full buffer or to a waiting
// receiver is one of three rule sets (ChannelRules), the runtimes' own:
//   Basic  a waiting sender keeps its value in its future; a receiver takes from the buffer,
//          which the oldest waiting sender then refills; a send wakes the oldest waiting
//          receiver, and whichever receiver runs first takes the value.
//   Tokio  permits (tokio::sync::mpsc): a send needs one of `capacity` permits, handed out in
//          FIFO order; a recv frees one and wakes the oldest waiting sender, which puts its
//          value in when it next runs. An unbounded send never waits and is not a resource
//          operation of the cooperative budget.
//   Go     hand-off (runtime/chan.go): a send to a channel with a waiting receiver gives the
//          value to the oldest one and goes on, buffered or not; a recv from a full channel
//          takes the head and moves the oldest waiting sender's value in; close wakes the
//          waiting receivers newest first (closechan's list is a stack).
// A receiver woken by a send that drops its future before receiving passes the wake-up (and,
// with Go's rules, the value) on. Operations that wait side by side in one select share a
// SelectChoice: the first to be handed a value or have its value taken wins, and the others are
// passed over from then on, as Go's dequeue skips a select that is done (chan.go).
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
enum class ChannelRules : uint8_t { Basic, Tokio, Go };

// The operations of one select: which one a hand-off completed (the others no longer count).
struct SelectChoice {
  bool made = false;
  size_t winner = 0;  // the index its operation joined with
};

template <class T>
class Channel {
  struct Waiter : ListNode {
    SelectChoice* choice = nullptr;  // part of a select
    size_t choice_index = 0;
  };
  struct SendWaiter : Waiter {
    std::optional<T> value;
    Waker waker;
    uint64_t task = 0;  // who waits (snapshots)
    bool delivered = false;
    bool permitted = false;  // Tokio: a permit was handed to it; it puts its value in when polled
  };
  struct RecvWaiter : Waiter {
    Waker waker;
    uint64_t task = 0;
    bool woken = false;  // taken off the list by a sender; must pass it on if dropped unused
    std::optional<T> value;  // Go: the value a sender handed to it
  };
  struct Shared {
    SpinLock lock;
    std::deque<T> buffer;
    size_t capacity;
    ChannelRules rules;
    size_t permitted = 0;  // Tokio: permits handed to waiting senders that have not sent yet
    bool closed = false;
    IntrusiveList<SendWaiter> senders;
    IntrusiveList<RecvWaiter> receivers;
    uint64_t id = Trace::next_object_id();
    // (a rendezvous has no permits to hand out: Tokio has none, it keeps the basic rules)
    Shared(size_t cap, ChannelRules r) : capacity(cap), rules(r == ChannelRules::Tokio && cap == 0 ? ChannelRules::Basic : r) {}
    ~Shared() { assert(senders.empty() && receivers.empty()); }

    // A value became available: wake the oldest waiting receiver (returned for after unlock).
    Waker wake_receiver() noexcept {
      RecvWaiter* r = receivers.pop_front();
      if (!r) return Waker();
      r->woken = true;
      return std::move(r->waker);
    }
    // The oldest waiter of `list` that may still complete; it wins its select, if in one.
    template <class W>
    static W* pop_free(IntrusiveList<W>& list) noexcept {
      while (W* w = list.pop_front()) {
        if (!w->choice) return w;
        if (w->choice->made) continue;  // its select chose another operation: withdrawn
        w->choice->made = true;
        w->choice->winner = w->choice_index;
        return w;
      }
      return nullptr;
    }
    // Go: gives `value` to the oldest waiting receiver, if any (its waker goes to `wake`).
    bool hand_to_receiver(T& value, Waker& wake) {
      if (rules != ChannelRules::Go) return false;
      RecvWaiter* r = pop_free(receivers);
      if (!r) return false;
      r->value.emplace(std::move(value));
      r->woken = true;
      wake = std::move(r->waker);
      return true;
    }
    // Tokio: a permit is free: the oldest waiting sender gets it (its waker goes to `wake`).
    void grant_permit(Waker& wake) noexcept {
      if (SendWaiter* w = senders.pop_front()) {
        w->permitted = true;
        ++permitted;
        wake = std::move(w->waker);
      }
    }
    bool has_value() const noexcept {
      return !buffer.empty() || (rules != ChannelRules::Tokio && !senders.empty());
    }
    // A send may put its value in the buffer now (no one waits ahead of it, there is room).
    bool has_room() const noexcept { return senders.empty() && buffer.size() + permitted < capacity; }

    // Takes the next value (lock held): from the buffer, which the oldest waiting sender then
    // refills (Tokio: is woken to refill), or straight from a waiting sender (rendezvous).
    // `wake` gets that sender's waker.
    std::optional<T> take(Waker& wake) {
      std::optional<T> out;
      if (!buffer.empty()) {
        out.emplace(std::move(buffer.front()));
        buffer.pop_front();
        if (rules == ChannelRules::Tokio) {
          if (buffer.size() + permitted < capacity) grant_permit(wake);  // the one freed
        } else if (SendWaiter* w = pop_free(senders)) {
          buffer.push_back(std::move(*w->value));
          w->delivered = true;
          wake = std::move(w->waker);
        }
      } else if (rules == ChannelRules::Tokio) {
        // (values come only through the buffer)
      } else if (SendWaiter* w = pop_free(senders)) {
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

  static Channel bounded(size_t capacity, ChannelRules rules = ChannelRules::Basic) { return Channel(capacity, rules); }
  static Channel unbounded(ChannelRules rules = ChannelRules::Basic) { return Channel(kUnbounded, rules); }

  class Send {
   public:
    Send(Shared* s, T value) : shared_(s) { waiter_.value.emplace(std::move(value)); }
    Send(Send&& other) noexcept : shared_(std::exchange(other.shared_, nullptr)) {  // only before the first poll
      assert(!other.waiter_.linked());
      waiter_.value = std::move(other.waiter_.value);
    }
    // Waits as operation `index` of a select (before the first poll; `choice` outlives it).
    void join(SelectChoice* choice, size_t index) noexcept {
      waiter_.choice = choice;
      waiter_.choice_index = index;
    }
    Send& operator=(Send&&) = delete;
    ~Send() {
      if (!shared_) return;
      Waker forward;
      {
        std::lock_guard<SpinLock> g(shared_->lock);
        if (waiter_.linked()) IntrusiveList<SendWaiter>::remove(&waiter_);
        if (waiter_.permitted) {  // Tokio: a permit we never used goes to the next sender
          --shared_->permitted;
          shared_->grant_permit(forward);
        }
      }
      forward.wake();
    }

    Poll<void> poll(Context& cx) {
      Shared& s = *shared_;
      // (Tokio: an unbounded send is a plain function, no resource operation)
      bool costs = s.rules != ChannelRules::Tokio || s.capacity != kUnbounded;
      if (costs && !coop::proceed(cx)) return pending;
      Waker wake;
      bool delivered_before = false;  // traced after the lock: a trace listener may look at the channel
      {
        std::lock_guard<SpinLock> g(s.lock);
        delivered_before = waiter_.delivered;
        if (waiter_.permitted && s.closed) {  // Tokio: closed before we used our permit: the send fails
          waiter_.permitted = false;
          --s.permitted;
          throw ChannelClosed();
        }
        if (waiter_.permitted) {  // Tokio: our permit came; put the value in
          waiter_.permitted = false;
          --s.permitted;
          s.buffer.push_back(std::move(*waiter_.value));
          waiter_.delivered = true;
          wake = s.wake_receiver();
        } else if (!delivered_before) {
          if (s.closed) {
            if (waiter_.linked()) IntrusiveList<SendWaiter>::remove(&waiter_);
            throw ChannelClosed();
          }
          if (waiter_.linked()) {
            if (costs) coop::refund(cx);
            if (!waiter_.waker.will_wake(cx.waker())) waiter_.waker = cx.waker();
            return pending;
          }
          if (s.hand_to_receiver(*waiter_.value, wake)) {
            waiter_.delivered = true;
          } else if (s.has_room()) {
            s.buffer.push_back(std::move(*waiter_.value));
            waiter_.delivered = true;
            wake = s.wake_receiver();
          } else {
            // Full (or a rendezvous): wait with the value; a receiver will take it from here
            // (Tokio: will hand us a permit).
            if (costs) coop::refund(cx);
            waiter_.waker = cx.waker();
            waiter_.task = cx.task_id();
            s.senders.push_back(&waiter_);
            if (s.rules == ChannelRules::Basic) wake = s.wake_receiver();
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
    void join(SelectChoice* choice, size_t index) noexcept {  // as Send::join
      waiter_.choice = choice;
      waiter_.choice_index = index;
    }
    Recv& operator=(Recv&&) = delete;
    ~Recv() {
      if (!shared_) return;
      Waker forward;
      {
        std::lock_guard<SpinLock> g(shared_->lock);
        if (waiter_.linked()) {
          IntrusiveList<RecvWaiter>::remove(&waiter_);
        } else if (waiter_.value && !done_) {  // Go: handed a value we did not take: the next receiver's
          if (!shared_->hand_to_receiver(*waiter_.value, forward)) shared_->buffer.push_front(std::move(*waiter_.value));
        } else if (waiter_.woken && !done_ && shared_->has_value()) {
          forward = shared_->wake_receiver();
        }
      }
      forward.wake();
    }

    // Go: a value handed to this receive and not taken yet (garbage collectors mark it).
    const T* handed() const noexcept { return waiter_.value ? &*waiter_.value : nullptr; }

    Poll<std::optional<T>> poll(Context& cx) {
      Shared& s = *shared_;
      if (!coop::proceed(cx)) return pending;
      std::optional<T> out;
      Waker wake;
      bool first_wait = false;
      {
        std::lock_guard<SpinLock> g(s.lock);
        if (waiter_.value) {  // Go: a sender handed it to us
          out = std::move(waiter_.value);
          waiter_.value.reset();
        } else {
          out = s.take(wake);
        }
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
      if (!shared_->hand_to_receiver(value, wake)) {  // (Go: to the oldest waiting receiver)
        // A rendezvous try_send succeeds only if a receiver is already waiting.
        if (!shared_->has_room() && (shared_->capacity != 0 || shared_->receivers.empty())) return TrySend::Full;
        shared_->buffer.push_back(std::move(value));
        wake = shared_->wake_receiver();
      }
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
      bool newest_first = shared_->rules == ChannelRules::Go;
      while (RecvWaiter* r = newest_first ? shared_->receivers.pop_back() : shared_->receivers.pop_front())
        wakes.push_back(std::move(r->waker));
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
  // A receive, or a send, would complete at once (a value or a waiting receiver, room, closed).
  bool recv_ready() const {
    std::lock_guard<SpinLock> g(shared_->lock);
    return shared_->closed || shared_->has_value();
  }
  bool send_ready() const {
    std::lock_guard<SpinLock> g(shared_->lock);
    return shared_->closed || !shared_->receivers.empty() || shared_->has_room();
  }
  bool is_closed() const {
    std::lock_guard<SpinLock> g(shared_->lock);
    return shared_->closed;
  }
  uint64_t id() const noexcept { return shared_->id; }
  bool operator==(const Channel& other) const noexcept { return shared_ == other.shared_; }

 private:
  using WakeAll = std::deque<Waker>;
  Channel(size_t capacity, ChannelRules rules) : shared_(std::make_shared<Shared>(capacity, rules)) {}
  std::shared_ptr<Shared> shared_;
};

}  // namespace loopscope
