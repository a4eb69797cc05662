// The builtin functions and methods of the language (spec sections 3-7), by name.
//
// The compiler resolves a name that is not a variable against builtin_index(); the VM creates one
// Builtin object per entry. Method calls `x.name(...)` carry a MethodId resolved at compile time,
// so that dispatching `list.push` is a switch, not a string lookup.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/script/object.hpp"

namespace loopscope::script {

struct BuiltinSpec {
  const char* name;
  BuiltinFn fn;
};

// All builtin functions, in a fixed order (their index is compiled into programs).
const BuiltinSpec* builtin_table(size_t& count) noexcept;
std::optional<uint32_t> builtin_index(std::string_view name) noexcept;

#define LOOPSCOPE_METHODS(X)                                                                     \
  X(push) X(pop) X(insert) X(remove) X(slice) X(contains) X(join) X(keys) X(values) X(has)      \
  X(delete_) X(split) X(upper) X(lower) X(trim) X(len) X(send) X(recv) X(try_send) X(try_recv) \
  X(close) X(lock) X(unlock) X(lock_blocking) X(acquire) X(release) X(notified) X(notify_one)   \
  X(notify_all) X(resolve) X(reject) X(then) X(catch_) X(abort) X(index_of) X(starts_with)      \
  X(ends_with) X(replace) X(reverse)

enum class MethodId : uint8_t {
#define LOOPSCOPE_METHOD_ENUM(m) m,
  LOOPSCOPE_METHODS(LOOPSCOPE_METHOD_ENUM)
#undef LOOPSCOPE_METHOD_ENUM
  None
};

MethodId method_id(std::string_view name) noexcept;
std::string_view method_name(MethodId id) noexcept;

// Calls builtin method `id` on `args.self` (a list, map, string or handle). Returns false after
// raising an error (including "no such method").
bool call_method(VM& vm, MethodId id, std::string_view name, CallArgs& args, Value& out);

}  // namespace loopscope::script
