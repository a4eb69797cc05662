// SmallFunction<R(Args...)>: a move-only callable that stores small callables inline.
//
// Microtasks and blocking jobs are queued by the million; a lambda capturing a few pointers must
// not cost a heap allocation, which std::function does not promise.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace loopscope {

template <class Signature, std::size_t Inline = 48>
class SmallFunction;

template <class R, class... Args, std::size_t Inline>
class SmallFunction<R(Args...), Inline> {
 public:
  SmallFunction() noexcept = default;

  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, SmallFunction> && std::is_invocable_r_v<R, F&, Args...>)
  SmallFunction(F&& f) {  // NOLINT: implicit, like std::function
    using Fn = std::decay_t<F>;
    if constexpr (sizeof(Fn) <= Inline && alignof(Fn) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<Fn>) {
      new (storage_) Fn(std::forward<F>(f));
      ops_ = &inline_ops<Fn>;
    } else {
      *reinterpret_cast<Fn**>(storage_) = new Fn(std::forward<F>(f));
      ops_ = &heap_ops<Fn>;
    }
  }

  SmallFunction(SmallFunction&& other) noexcept : ops_(other.ops_) {
    if (ops_) {
      ops_->move(other.storage_, storage_);
      other.ops_ = nullptr;
    }
  }
  SmallFunction& operator=(SmallFunction&& other) noexcept {
    if (this != &other) {
      reset();
      ops_ = other.ops_;
      if (ops_) {
        ops_->move(other.storage_, storage_);
        other.ops_ = nullptr;
      }
    }
    return *this;
  }
  SmallFunction(const SmallFunction&) = delete;
  SmallFunction& operator=(const SmallFunction&) = delete;
  ~SmallFunction() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }
  R operator()(Args... args) { return ops_->call(storage_, std::forward<Args>(args)...); }

  void reset() noexcept {
    if (ops_) {
      ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

 private:
  struct Ops {
    R (*call)(void*, Args&&...);
    void (*move)(void* from, void* to) noexcept;  // leaves `from` destroyed
    void (*destroy)(void*) noexcept;
  };

  template <class Fn>
  static constexpr Ops inline_ops = {
      [](void* p, Args&&... a) -> R { return (*static_cast<Fn*>(p))(std::forward<Args>(a)...); },
      [](void* from, void* to) noexcept {
        new (to) Fn(std::move(*static_cast<Fn*>(from)));
        static_cast<Fn*>(from)->~Fn();
      },
      [](void* p) noexcept { static_cast<Fn*>(p)->~Fn(); },
  };
  template <class Fn>
  static constexpr Ops heap_ops = {
      [](void* p, Args&&... a) -> R { return (**static_cast<Fn**>(p))(std::forward<Args>(a)...); },
      [](void* from, void* to) noexcept { *static_cast<Fn**>(to) = *static_cast<Fn**>(from); },
      [](void* p) noexcept { delete *static_cast<Fn**>(p); },
  };

  alignas(std::max_align_t) unsigned char storage_[Inline];
  const Ops* ops_ = nullptr;
};

}  // namespace loopscope
