// RingQueue<T>: a FIFO on a power-of-two ring that grows by doubling and never shrinks, so a
// queue in steady state (microtasks, trace chunks) does not allocate.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>

namespace loopscope {

template <class T>
class RingQueue {
 public:
  explicit RingQueue(size_t initial_capacity = 64) : cap_(round_up(initial_capacity)), buf_(new T[cap_]) {}

  bool empty() const noexcept { return head_ == tail_; }
  size_t size() const noexcept { return tail_ - head_; }

  void push(T value) {
    if (size() == cap_) grow();
    buf_[tail_++ & (cap_ - 1)] = std::move(value);
  }
  T pop() {
    T value = std::move(buf_[head_++ & (cap_ - 1)]);
    return value;
  }
  T& front() noexcept { return buf_[head_ & (cap_ - 1)]; }
  // i-th element from the front.
  const T& at(size_t i) const noexcept { return buf_[(head_ + i) & (cap_ - 1)]; }
  void clear() {
    while (!empty()) pop();
  }

 private:
  static size_t round_up(size_t n) {
    size_t c = 1;
    while (c < n) c <<= 1;
    return c;
  }
  void grow() {
    std::unique_ptr<T[]> next(new T[cap_ * 2]);
    for (size_t i = 0; i < cap_; ++i) next[i] = std::move(buf_[(head_ + i) & (cap_ - 1)]);
    head_ = 0;
    tail_ = cap_;
    cap_ *= 2;
    buf_ = std::move(next);
  }

  size_t cap_;
  std::unique_ptr<T[]> buf_;
  size_t head_ = 0;
  size_t tail_ = 0;
};

}  // namespace loopscope
