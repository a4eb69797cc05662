#include "runtime/script/builtins.hpp"

#include <cstring>

#include "runtime/script/builtins_impl.hpp"

namespace loopscope::script {

using namespace builtin;

namespace {
// The order is part of compiled programs (Op::Builtin carries an index): append only.
const BuiltinSpec kBuiltins[] = {
    {"print", print},
    {"len", len},
    {"str", str},
    {"int", to_int},
    {"float", to_float},
    {"type", type},
    {"now", now},
    {"task_id", task_id},
    {"worker_id", worker_id},
    {"sleep", sleep},
    {"yield_now", yield_now},
    {"all", all},
    {"race", race},
    {"select", select},
    {"timeout", timeout},
    {"spawn_blocking", spawn_blocking},
    {"work", work},
    {"block", block},
    {"io", io},
    {"fetch", fetch},
    {"coroutine", coroutine},
    {"resume", &VM::resume_builtin},
    {"status", status},
    {"channel", channel},
    {"mutex", mutex},
    {"semaphore", semaphore},
    {"notify", notify},
    {"promise", promise},
    {"resolved", resolved},
    {"rejected", rejected},
    {"queue_microtask", queue_microtask},
    {"next_tick", next_tick},
    {"set_timeout", set_timeout},
    {"clear_timeout", clear_timeout},
    {"set_interval", set_interval},
    {"clear_interval", clear_interval},
    {"set_immediate", set_immediate},
};

const char* const kMethodNames[] = {
#define LOOPSCOPE_METHOD_NAME(m) #m,
    LOOPSCOPE_METHODS(LOOPSCOPE_METHOD_NAME)
#undef LOOPSCOPE_METHOD_NAME
};
}  // namespace

const BuiltinSpec* builtin_table(size_t& count) noexcept {
  count = sizeof(kBuiltins) / sizeof(kBuiltins[0]);
  return kBuiltins;
}

std::optional<uint32_t> builtin_index(std::string_view name) noexcept {
  for (size_t i = 0; i < sizeof(kBuiltins) / sizeof(kBuiltins[0]); ++i)
    if (name == kBuiltins[i].name) return static_cast<uint32_t>(i);
  return std::nullopt;
}

std::string_view method_name(MethodId id) noexcept {
  if (id == MethodId::None) return "?";
  std::string_view n = kMethodNames[static_cast<size_t>(id)];
  if (!n.empty() && n.back() == '_') n.remove_suffix(1);  // delete_, catch_: keywords in C++
  return n;
}

MethodId method_id(std::string_view name) noexcept {
  for (size_t i = 0; i < static_cast<size_t>(MethodId::None); ++i)
    if (method_name(static_cast<MethodId>(i)) == name) return static_cast<MethodId>(i);
  return MethodId::None;
}

bool call_method(VM& vm, MethodId id, std::string_view name, CallArgs& args, Value& out) {
  const Value& self = args.self;
  if (self.is_object() && id != MethodId::None) {
    switch (self.as.o->type) {
      case ObjType::List: return list_method(vm, id, args, out);
      case ObjType::Map: return map_method(vm, id, args, out);
      case ObjType::String: return string_method(vm, id, args, out);
      case ObjType::Channel: return channel_method(vm, id, args, out);
      case ObjType::Mutex: return mutex_method(vm, id, args, out);
      case ObjType::Semaphore: return semaphore_method(vm, id, args, out);
      case ObjType::Notify: return notify_method(vm, id, args, out);
      case ObjType::Promise: return promise_method(vm, id, args, out);
      case ObjType::Task: return task_method(vm, id, args, out);
      default: break;
    }
  }
  return no_such_method(vm, self, name);
}

namespace builtin {
bool no_such_method(VM& vm, const Value& self, std::string_view name) {
  if (self.is_nil()) return vm.raise("cannot call ." + std::string(name) + "() on nil (the value is missing)");
  if (is_obj(self, ObjType::Map)) return vm.raise("this map has no function '" + std::string(name) + "' (and maps have no such method)");
  return vm.raise(std::string(type_name(self)) + " has no method '" + std::string(name) + "'");
}
bool no_such_method(VM& vm, const Value& self, MethodId id) { return no_such_method(vm, self, method_name(id)); }
}  // namespace builtin

}  // namespace loopscope::script
