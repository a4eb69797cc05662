// Heap: allocation and mark-and-sweep garbage collection of script objects.
//
// Collection happens only at safe points of the interpreter (between instructions), where every
// live value is in a register, an object or a root the VM reports; so builtins and the compiler
// never have to protect temporaries. Cycles (a closure that refers to itself, a list that
// contains itself) are collected like anything else. The heap also enforces the heap limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "runtime/script/object.hpp"

namespace loopscope::script {

class Marker {
 public:
  void mark(const Value& v) {
    if (v.is_object()) mark(v.as.o);
  }
  void mark(Obj* o) {
    if (o && !o->marked) {
      o->marked = true;
      gray_.push_back(o);
    }
  }
  // Traces everything reachable from what was marked (an explicit stack: no recursion).
  void drain() {
    while (!gray_.empty()) {
      Obj* o = gray_.back();
      gray_.pop_back();
      o->trace(*this);
    }
  }

 private:
  std::vector<Obj*> gray_;
};

class Heap {
 public:
  Heap() = default;
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  template <class T, class... Args>
  T* make(Args&&... args) {
    T* o = new T(std::forward<Args>(args)...);
    o->object_size = sizeof(T);
    o->gc_next = objects_;
    objects_ = o;
    allocated_since_gc_ += sizeof(T) + o->extra_bytes();
    ++objects_count_;
    return o;
  }
  // Calls f(obj) for each collectable object.
  template <class F>
  void for_each_object(F&& f) const {
    for (const Obj* o = objects_; o; o = o->gc_next) f(o);
  }
  // Remembers `o` (a channel, a mutex) for for_each_watched until it is collected: a Session's
  // snapshot lists them without walking the whole heap, garbage and all.
  void watch(Obj* o) { watched_.push_back(o); }
  template <class F>
  void for_each_watched(F&& f) const {
    for (const Obj* o : watched_) f(o);
  }
  // Keeps an object for the heap's whole life (constants, builtins); it is never swept.
  template <class T, class... Args>
  T* make_permanent(Args&&... args) {
    T* o = new T(std::forward<Args>(args)...);
    o->permanent = true;
    o->marked = true;
    permanent_.push_back(o);
    return o;
  }

  // A container grew (or shrank) by `bytes` outside an allocation: counts toward the next GC.
  void account(std::ptrdiff_t bytes) noexcept {
    if (bytes > 0) allocated_since_gc_ += static_cast<size_t>(bytes);
  }
  // Collect when enough was allocated since the last collection, or when the heap may be over
  // its limit (the collection then tells whether it really is).
  bool should_collect() const noexcept {
    return allocated_since_gc_ >= next_collection_ || live_bytes_ + allocated_since_gc_ > limit_;
  }
  void set_limit(size_t bytes) noexcept { limit_ = bytes; }

  // Marks from `mark_roots`, calls `inspect` (which may read Obj::marked), then unmarks; frees
  // nothing. For questions of reachability.
  void with_marks(const std::function<void(Marker&)>& mark_roots, const std::function<void()>& inspect);
  // Marks from `mark_roots`, frees everything unmarked. Returns the bytes still live.
  size_t collect(const std::function<void(Marker&)>& mark_roots);

  // True while the collector frees objects: destructors must not touch other objects then
  // (they may be freed already).
  static bool sweeping() noexcept { return sweeping_; }

  size_t live_bytes() const noexcept { return live_bytes_ + allocated_since_gc_; }
  size_t objects() const noexcept { return objects_count_; }
  uint64_t collections() const noexcept { return collections_; }

 private:
  Obj* objects_ = nullptr;
  std::vector<Obj*> watched_;
  std::vector<Obj*> permanent_;
  size_t objects_count_ = 0;
  size_t allocated_since_gc_ = 0;
  size_t live_bytes_ = 0;
  size_t next_collection_ = 4u << 20;
  size_t limit_ = SIZE_MAX;
  uint64_t collections_ = 0;
  static inline thread_local bool sweeping_ = false;
};

}  // namespace loopscope::script
