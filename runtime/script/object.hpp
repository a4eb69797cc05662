// Heap objects: strings, lists, maps, functions, upvalues, builtins. (Runtime handles — futures,
// tasks, promises, channels... — are in handles.hpp.) Every object starts with Obj, is allocated
// by the Heap and reclaimed by its mark-and-sweep collector; `trace` marks what an object keeps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/script/value.hpp"

namespace loopscope::script {

class VM;
class Marker;
struct Proto;
struct Fiber;

enum class ObjType : uint8_t {
  String, List, Map, Closure, Builtin, Upvalue,
  Future, Task, Promise, Channel, Mutex, Semaphore, Notify, Coroutine,
};

struct Obj {
  explicit Obj(ObjType t) noexcept : type(t) {}
  virtual ~Obj() = default;
  Obj(const Obj&) = delete;
  Obj& operator=(const Obj&) = delete;
  // Marks the values and objects this one refers to.
  virtual void trace(Marker&) {}
  // Bytes it owns besides its own object (vectors, strings), for the heap limit.
  virtual size_t extra_bytes() const { return 0; }

  ObjType type;
  bool marked = false;
  bool permanent = false;  // constants and builtins: never collected
  uint32_t object_size = 0;  // sizeof the whole object, counted toward the heap limit
  Obj* gc_next = nullptr;
};

struct String final : Obj {
  explicit String(std::string s) : Obj(ObjType::String), value(std::move(s)) {}
  std::string value;
  // Computed when first needed (map keys): building a huge string does not pay for hashing it.
  uint64_t hash() const noexcept;
  size_t extra_bytes() const override { return value.capacity(); }

 private:
  mutable uint64_t hash_ = 0;
  mutable bool hashed_ = false;
};

struct List final : Obj {
  List() : Obj(ObjType::List) {}
  std::vector<Value> items;
  void trace(Marker& m) override;
  size_t extra_bytes() const override { return items.capacity() * sizeof(Value); }
};

// An insertion-ordered hash map (printing and iteration follow insertion order, as in JavaScript).
// Keys are nil, booleans, numbers (1 and 1.0 are the same key), strings, or handles (by identity).
struct Map final : Obj {
  Map() : Obj(ObjType::Map) {}
  struct Entry {
    Value key;
    Value value;
    bool live;
  };
  // nullptr when absent.
  Value* find(const Value& key);
  void set(const Value& key, const Value& value);
  bool remove(const Value& key);
  size_t size() const noexcept { return live_; }
  template <class F>
  void for_each(F&& f) const {
    for (const Entry& e : entries_)
      if (e.live) f(e.key, e.value);
  }
  // Entry i of the insertion order, skipping deleted ones: used by iteration.
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  void trace(Marker& m) override;
  size_t extra_bytes() const override { return entries_.capacity() * sizeof(Entry) + index_.capacity() * sizeof(int32_t); }

 private:
  int32_t* slot_for(const Value& key, uint64_t h);
  void rehash(size_t capacity);
  std::vector<Entry> entries_;
  std::vector<int32_t> index_;  // open addressing into entries_; -1 empty, -2 deleted
  size_t live_ = 0;
};

struct Upvalue final : Obj {
  Upvalue() : Obj(ObjType::Upvalue) {}
  Fiber* fiber = nullptr;  // open: the variable still lives in this fiber's stack...
  uint32_t slot = 0;       // ...at this index
  Value closed;            // closed: the variable lives here
  Upvalue* next_open = nullptr;
  inline Value& get() noexcept;
  void trace(Marker& m) override;
};

struct Closure final : Obj {
  Closure(const Proto* p, size_t n_upvalues) : Obj(ObjType::Closure), proto(p), upvalues(n_upvalues, nullptr) {}
  const Proto* proto;
  std::vector<Upvalue*> upvalues;
  void trace(Marker& m) override;
  size_t extra_bytes() const override { return upvalues.capacity() * sizeof(Upvalue*); }
};

// Arguments of a builtin call; `self` is the receiver of a method call (nil otherwise).
struct CallArgs {
  Value* args;
  int count;
  Value self;
  Value operator[](int i) const noexcept { return i < count ? args[i] : Value::nil(); }
};
// Returns false when it raised an error (VM::raise); the result goes to `out`.
using BuiltinFn = bool (*)(VM& vm, CallArgs& args, Value& out);

struct Builtin final : Obj {
  Builtin(const char* n, BuiltinFn f, Value b = Value::nil()) : Obj(ObjType::Builtin), name(n), fn(f), bound(b) {}
  const char* name;
  BuiltinFn fn;
  Value bound;  // passed as `self` (a promise's resolving functions carry their promise)
  void trace(Marker& m) override;
};

inline bool is_obj(const Value& v, ObjType t) noexcept { return v.is_object() && v.as.o->type == t; }
template <class T>
T* as(const Value& v) noexcept {
  return static_cast<T*>(v.as.o);
}

// Language-level equality: structural for numbers, strings, lists and maps; identity otherwise.
bool values_equal(const Value& a, const Value& b);
// Truthiness: nil, false, 0, 0.0, NaN and "" are false.
bool truthy(const Value& v) noexcept;
uint64_t hash_value(const Value& v) noexcept;
// Whether `v` may be a map key (lists and maps may not).
bool hashable(const Value& v) noexcept;
// "int", "string", "list", "task"...: what type() returns.
const char* type_name(const Value& v) noexcept;

}  // namespace loopscope::script
