#include "runtime/script/object.hpp"

#include <cmath>
#include <cstring>

#include "runtime/script/bytecode.hpp"
#include "runtime/script/fiber.hpp"
#include "runtime/script/handles.hpp"
#include "runtime/script/heap.hpp"

namespace loopscope::script {

namespace {
uint64_t hash_bytes(const std::string& s) noexcept {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}
uint64_t mix(uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}
}  // namespace

uint64_t String::hash() const noexcept {
  if (!hashed_) {
    hash_ = hash_bytes(value);
    hashed_ = true;
  }
  return hash_;
}

void List::trace(Marker& m) {
  for (const Value& v : items) m.mark(v);
}


void Upvalue::trace(Marker& m) {
  if (fiber) {
    m.mark(fiber->owner);  // an open variable lives in its fiber: keep the fiber alive
  } else {
    m.mark(closed);
  }
}

namespace {
void close_open_upvalues(Fiber& f) noexcept {
  if (Heap::sweeping()) {  // the upvalues may be freed already; nobody can reach them
    f.open_upvalues = nullptr;
    return;
  }
  while (Upvalue* uv = f.open_upvalues) {
    uv->closed = f.stack[uv->slot];
    uv->fiber = nullptr;
    f.open_upvalues = uv->next_open;
  }
}
}  // namespace

Fiber::~Fiber() { close_open_upvalues(*this); }

void Fiber::reset() noexcept {
  close_open_upvalues(*this);
  frames.clear();
  handlers.clear();
  state = State::Ready;
  result = awaiting = Value::nil();
  error_trace.clear();
  await_dest = resume_dest = yield_dest = 0;
  resumer = nullptr;
  active = nullptr;
  task = nullptr;
  owner = nullptr;
}

void Builtin::trace(Marker& m) { m.mark(bound); }

void Closure::trace(Marker& m) {
  for (Upvalue* u : upvalues) m.mark(u);
}

void Fiber::trace(Marker& m) {
  for (const Value& v : stack) m.mark(v);
  for (const Frame& f : frames) {
    m.mark(f.closure);
    m.mark(f.completes);
  }
  for (Upvalue* u = open_upvalues; u; u = u->next_open) m.mark(u);
  m.mark(result);
  m.mark(awaiting);
  if (active) m.mark(active);
}

// ---- equality, truthiness, hashing ----------------------------------------------------------

namespace {
bool equal(const Value& a, const Value& b, int depth);
}  // namespace

bool values_equal(const Value& a, const Value& b) { return equal(a, b, 0); }

namespace {
constexpr int kMaxEqualDepth = 200;  // deeper structures compare by identity (no stack overflow)

bool equal(const Value& a, const Value& b, int depth) {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.as.i == b.as.i;
    return a.to_double() == b.to_double();
  }
  if (a.type != b.type) return false;
  switch (a.type) {
    case ValueType::Nil:
    case ValueType::Undef: return true;
    case ValueType::Bool: return a.as.b == b.as.b;
    case ValueType::Object: break;
    default: return false;
  }
  const Obj* x = a.as.o;
  const Obj* y = b.as.o;
  if (x == y) return true;
  if (x->type != y->type) return false;
  if (depth > kMaxEqualDepth) return false;
  switch (x->type) {
    case ObjType::String: {
      auto* s = static_cast<const String*>(x);
      auto* t = static_cast<const String*>(y);
      return s->value == t->value;
    }
    case ObjType::List: {
      const auto& p = static_cast<const List*>(x)->items;
      const auto& q = static_cast<const List*>(y)->items;
      if (p.size() != q.size()) return false;
      for (size_t i = 0; i < p.size(); ++i)
        if (!equal(p[i], q[i], depth + 1)) return false;
      return true;
    }
    case ObjType::Map: {
      auto* p = const_cast<Map*>(static_cast<const Map*>(x));
      auto* q = const_cast<Map*>(static_cast<const Map*>(y));
      if (p->size() != q->size()) return false;
      bool same = true;
      p->for_each([&](const Value& k, const Value& v) {
        if (!same) return;
        Value* w = q->find(k);
        if (!w || !equal(v, *w, depth + 1)) same = false;
      });
      return same;
    }
    default: return false;  // handles: identity
  }
}
}  // namespace

bool truthy(const Value& v) noexcept {
  switch (v.type) {
    case ValueType::Nil:
    case ValueType::Undef: return false;
    case ValueType::Bool: return v.as.b;
    case ValueType::Int: return v.as.i != 0;
    case ValueType::Float: return v.as.f != 0 && !std::isnan(v.as.f);
    case ValueType::Object: return !(v.as.o->type == ObjType::String && static_cast<String*>(v.as.o)->value.empty());
  }
  return true;
}

bool hashable(const Value& v) noexcept { return !(is_obj(v, ObjType::List) || is_obj(v, ObjType::Map)); }

uint64_t hash_value(const Value& v) noexcept {
  switch (v.type) {
    case ValueType::Nil:
    case ValueType::Undef: return 0x9e3779b97f4a7c15ull;
    case ValueType::Bool: return v.as.b ? 3 : 5;
    case ValueType::Int: return mix(static_cast<uint64_t>(v.as.i));
    case ValueType::Float: {
      double d = v.as.f;
      // 1.0 and 1 are the same key.
      if (d == std::floor(d) && std::fabs(d) < 9.2e18) return mix(static_cast<uint64_t>(static_cast<int64_t>(d)));
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return mix(bits);
    }
    case ValueType::Object:
      if (v.as.o->type == ObjType::String) return static_cast<String*>(v.as.o)->hash();
      return mix(reinterpret_cast<uintptr_t>(v.as.o));
  }
  return 0;
}

const char* type_name(const Value& v) noexcept {
  switch (v.type) {
    case ValueType::Nil:
    case ValueType::Undef: return "nil";
    case ValueType::Bool: return "bool";
    case ValueType::Int: return "int";
    case ValueType::Float: return "float";
    case ValueType::Object: break;
  }
  switch (v.as.o->type) {
    case ObjType::String: return "string";
    case ObjType::List: return "list";
    case ObjType::Map: return "map";
    case ObjType::Closure:
    case ObjType::Builtin: return "function";
    case ObjType::Future: return "future";
    case ObjType::Task: return "task";
    case ObjType::Promise: return "promise";
    case ObjType::Channel: return "channel";
    case ObjType::Mutex: return "mutex";
    case ObjType::Semaphore: return "semaphore";
    case ObjType::Notify: return "notify";
    case ObjType::Coroutine: return "coroutine";
    case ObjType::Upvalue: return "upvalue";
  }
  return "value";
}

// ---- Map ------------------------------------------------------------------------------------

int32_t* Map::slot_for(const Value& key, uint64_t h) {
  size_t mask = index_.size() - 1;
  int32_t* tombstone = nullptr;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    int32_t& s = index_[i];
    if (s == -1) return tombstone ? tombstone : &s;
    if (s == -2) {
      if (!tombstone) tombstone = &s;
      continue;
    }
    if (values_equal(entries_[static_cast<size_t>(s)].key, key)) return &s;
  }
}

Value* Map::find(const Value& key) {
  if (index_.empty()) return nullptr;
  int32_t* s = slot_for(key, hash_value(key));
  if (*s < 0) return nullptr;
  Entry& e = entries_[static_cast<size_t>(*s)];
  return e.live ? &e.value : nullptr;
}

void Map::rehash(size_t capacity) {
  // Compact the entries (drop deleted ones) and rebuild the index.
  std::vector<Entry> live;
  live.reserve(live_);
  for (Entry& e : entries_)
    if (e.live) live.push_back(e);
  entries_.swap(live);
  index_.assign(capacity, -1);
  size_t mask = capacity - 1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    size_t j = hash_value(entries_[i].key) & mask;
    while (index_[j] != -1) j = (j + 1) & mask;
    index_[j] = static_cast<int32_t>(i);
  }
}

void Map::set(const Value& key, const Value& value) {
  if (index_.empty() || (entries_.size() + 1) * 4 > index_.size() * 3) {
    size_t cap = 8;
    while (cap * 3 < (live_ + 1) * 4 * 2) cap *= 2;
    rehash(cap);
  }
  int32_t* s = slot_for(key, hash_value(key));
  if (*s >= 0 && entries_[static_cast<size_t>(*s)].live) {
    entries_[static_cast<size_t>(*s)].value = value;
    return;
  }
  *s = static_cast<int32_t>(entries_.size());
  entries_.push_back(Entry{key, value, true});
  ++live_;
}

bool Map::remove(const Value& key) {
  if (index_.empty()) return false;
  int32_t* s = slot_for(key, hash_value(key));
  if (*s < 0) return false;
  entries_[static_cast<size_t>(*s)].live = false;
  entries_[static_cast<size_t>(*s)].key = Value::nil();
  entries_[static_cast<size_t>(*s)].value = Value::nil();
  *s = -2;
  --live_;
  return true;
}

void Map::trace(Marker& m) {
  for (const Entry& e : entries_) {
    if (!e.live) continue;
    m.mark(e.key);
    m.mark(e.value);
  }
}

}  // namespace loopscope::script
