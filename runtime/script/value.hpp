// Values of the .coro language: a 16-byte tagged union (nil, bool, int, float, or a pointer to
// a heap object managed by the garbage collector, see heap.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loopscope::script {

struct Obj;

enum class ValueType : uint8_t {
  Nil,
  Bool,
  Int,
  Float,
  Object,
  Undef,  // a local whose `let` has not run yet (never visible to programs)
};

struct Value {
  ValueType type = ValueType::Nil;
  union {
    bool b;
    int64_t i;
    double f;
    Obj* o;
  } as{.i = 0};

  static Value nil() noexcept { return Value(); }
  static Value undef() noexcept {
    Value v;
    v.type = ValueType::Undef;
    return v;
  }
  static Value boolean(bool b) noexcept {
    Value v;
    v.type = ValueType::Bool;
    v.as.b = b;
    return v;
  }
  static Value integer(int64_t i) noexcept {
    Value v;
    v.type = ValueType::Int;
    v.as.i = i;
    return v;
  }
  static Value number(double d) noexcept {
    Value v;
    v.type = ValueType::Float;
    v.as.f = d;
    return v;
  }
  static Value object(Obj* o) noexcept {
    Value v;
    v.type = ValueType::Object;
    v.as.o = o;
    return v;
  }

  bool is_nil() const noexcept { return type == ValueType::Nil; }
  bool is_bool() const noexcept { return type == ValueType::Bool; }
  bool is_int() const noexcept { return type == ValueType::Int; }
  bool is_float() const noexcept { return type == ValueType::Float; }
  bool is_number() const noexcept { return type == ValueType::Int || type == ValueType::Float; }
  bool is_object() const noexcept { return type == ValueType::Object; }
  double to_double() const noexcept { return type == ValueType::Int ? static_cast<double>(as.i) : as.f; }
};

}  // namespace loopscope::script
