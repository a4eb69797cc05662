// oneshot<T>(): a single value, sent once from one place to one waiting task.
//
//   auto [tx, rx] = oneshot<int>();
//   spawn(producer(std::move(tx)));    // tx.send(42) → false if the receiver is gone
//   int v = co_await rx;               // throws ChannelClosed if tx was dropped without sending
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "runtime/sync/channel.hpp"

namespace loopscope {

namespace detail {
template <class T>
struct OneshotShared {
  SpinLock lock;
  std::optional<Stored<T>> value;
  Waker receiver;
  bool sender_gone = false;
  bool receiver_gone = false;
};
}  // namespace detail

template <class T>
class OneshotSender {
 public:
  explicit OneshotSender(std::shared_ptr<detail::OneshotShared<T>> s) noexcept : shared_(std::move(s)) {}
  OneshotSender(OneshotSender&&) noexcept = default;
  OneshotSender& operator=(OneshotSender&&) noexcept = default;
  ~OneshotSender() { finish(std::nullopt); }

  // Delivers the value; false (value dropped) when the receiver no longer exists.
  bool send(Stored<T> value) { return finish(std::move(value)); }
  bool is_closed() const {
    std::lock_guard<SpinLock> g(shared_->lock);
    return shared_->receiver_gone;
  }

 private:
  bool finish(std::optional<Stored<T>> value) {
    if (!shared_) return false;
    auto s = std::move(shared_);
    Waker w;
    {
      std::lock_guard<SpinLock> g(s->lock);
      s->sender_gone = true;
      if (s->receiver_gone) return false;
      if (value) s->value = std::move(value);
      w = std::move(s->receiver);
    }
    w.wake();
    return true;
  }
  std::shared_ptr<detail::OneshotShared<T>> shared_;
};

template <class T>
class OneshotReceiver {
 public:
  explicit OneshotReceiver(std::shared_ptr<detail::OneshotShared<T>> s) noexcept : shared_(std::move(s)) {}
  OneshotReceiver(OneshotReceiver&&) noexcept = default;
  OneshotReceiver& operator=(OneshotReceiver&&) noexcept = default;
  ~OneshotReceiver() {
    if (!shared_) return;
    std::lock_guard<SpinLock> g(shared_->lock);
    shared_->receiver_gone = true;
  }

  Poll<T> poll(Context& cx) {
    std::lock_guard<SpinLock> g(shared_->lock);
    if (shared_->value) {
      if constexpr (std::is_void_v<T>) {
        shared_->value.reset();
        return ready();
      } else {
        T v = std::move(*shared_->value);
        shared_->value.reset();
        return Poll<T>(std::move(v));
      }
    }
    if (shared_->sender_gone) throw ChannelClosed("oneshot sender dropped without sending");
    if (!shared_->receiver.will_wake(cx.waker())) shared_->receiver = cx.waker();
    return pending;
  }

 private:
  std::shared_ptr<detail::OneshotShared<T>> shared_;
};

template <class T>
std::pair<OneshotSender<T>, OneshotReceiver<T>> oneshot() {
  auto s = std::make_shared<detail::OneshotShared<T>>();
  return {OneshotSender<T>(s), OneshotReceiver<T>(s)};
}

}  // namespace loopscope
