// Waker: the handle a pending future keeps so that whoever makes progress possible can ask for
// the future's task to be polled again.
//
// A waker is two words (data + vtable), cloning it bumps a reference count, and waking it is safe
// from any thread and after its task has finished (a finished task ignores wake-ups).
//
//   Waker w = cx.waker();   // clone: keep it in your wait list
//   ...
//   w.wake();               // later, from anywhere: consumes the clone
#pragma once

#include <utility>

namespace loopscope {

struct WakerVTable {
  void (*clone)(void* data);        // add one reference
  void (*wake)(void* data);         // wake and release one reference
  void (*wake_by_ref)(void* data);  // wake, keep the reference
  void (*drop)(void* data);         // release one reference
};

class Waker {
 public:
  Waker() noexcept = default;  // a waker that wakes nothing
  Waker(void* data, const WakerVTable* vtable) noexcept : data_(data), vtable_(vtable) {}

  Waker(const Waker& other) noexcept : data_(other.data_), vtable_(other.vtable_) {
    if (vtable_) vtable_->clone(data_);
  }
  Waker(Waker&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), vtable_(std::exchange(other.vtable_, nullptr)) {}
  Waker& operator=(const Waker& other) noexcept {
    if (this != &other) *this = Waker(other);
    return *this;
  }
  Waker& operator=(Waker&& other) noexcept {
    if (this != &other) {
      reset();
      data_ = std::exchange(other.data_, nullptr);
      vtable_ = std::exchange(other.vtable_, nullptr);
    }
    return *this;
  }
  ~Waker() { reset(); }

  // Wakes the task and gives up this waker.
  void wake() noexcept {
    if (auto* vt = std::exchange(vtable_, nullptr)) vt->wake(std::exchange(data_, nullptr));
  }
  void wake_by_ref() const noexcept {
    if (vtable_) vtable_->wake_by_ref(data_);
  }
  // True when both wake the same thing: lets a wait list skip re-cloning an identical waker.
  bool will_wake(const Waker& other) const noexcept {
    return data_ == other.data_ && vtable_ == other.vtable_;
  }
  explicit operator bool() const noexcept { return vtable_ != nullptr; }
  void reset() noexcept {
    if (auto* vt = std::exchange(vtable_, nullptr)) vt->drop(std::exchange(data_, nullptr));
  }

  // A waker that borrows a reference it does not own (the executor lends the polled task's
  // waker to the future without touching the count). Must be ended with `forget()`.
  static Waker borrowed(void* data, const WakerVTable* vtable) noexcept { return Waker(data, vtable); }
  void forget() noexcept {
    data_ = nullptr;
    vtable_ = nullptr;
  }
  void* data() const noexcept { return data_; }
  const WakerVTable* vtable() const noexcept { return vtable_; }

 private:
  void* data_ = nullptr;
  const WakerVTable* vtable_ = nullptr;
};

}  // namespace loopscope
