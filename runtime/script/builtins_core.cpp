// Builtins on plain values: print, len, str, int, float, type, now, task_id, worker_id, and the
// methods of lists, maps and strings.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "runtime/sched/scheduler.hpp"
#include "runtime/script/builtins_impl.hpp"
#include "runtime/script/utf8.hpp"
#include "runtime/time/clock.hpp"

namespace loopscope::script::builtin {

// ---- argument checks ------------------------------------------------------------------------

bool arg_int(VM& vm, const CallArgs& a, int i, const char* fn, int64_t& out) {
  Value v = a[i];
  if (v.is_int()) {
    out = v.as.i;
    return true;
  }
  if (v.is_float() && v.as.f == std::floor(v.as.f) && std::fabs(v.as.f) < 9.2e18) {
    out = static_cast<int64_t>(v.as.f);
    return true;
  }
  return vm.raise(std::string(fn) + ": argument " + std::to_string(i + 1) + " must be an integer, got " + type_name(v));
}

bool arg_number(VM& vm, const CallArgs& a, int i, const char* fn, double& out) {
  Value v = a[i];
  if (v.is_number()) {
    out = v.to_double();
    return true;
  }
  return vm.raise(std::string(fn) + ": argument " + std::to_string(i + 1) + " must be a number, got " + type_name(v));
}

bool arg_ms(VM& vm, const CallArgs& a, int i, const char* fn, double& out) {
  if (!arg_number(vm, a, i, fn, out)) return false;
  if (out < 0 || std::isnan(out)) return vm.raise(std::string(fn) + ": a duration cannot be negative");
  if (out > 1e12) return vm.raise(std::string(fn) + ": a duration of more than 10^12 ms is not supported");
  return true;
}

bool arg_string(VM& vm, const CallArgs& a, int i, const char* fn, String*& out) {
  Value v = a[i];
  if (is_obj(v, ObjType::String)) {
    out = as<String>(v);
    return true;
  }
  return vm.raise(std::string(fn) + ": argument " + std::to_string(i + 1) + " must be a string, got " + type_name(v));
}

bool arg_function(VM& vm, const CallArgs& a, int i, const char* fn) {
  Value v = a[i];
  if (is_obj(v, ObjType::Closure) || is_obj(v, ObjType::Builtin)) return true;
  return vm.raise(std::string(fn) + ": argument " + std::to_string(i + 1) + " must be a function, got " + type_name(v));
}

bool arg_list(VM& vm, const CallArgs& a, int i, const char* fn, List*& out) {
  Value v = a[i];
  if (is_obj(v, ObjType::List)) {
    out = as<List>(v);
    return true;
  }
  return vm.raise(std::string(fn) + ": argument " + std::to_string(i + 1) + " must be a list, got " + type_name(v));
}

bool awaitable(const Value& v) {
  return is_obj(v, ObjType::Future) || is_obj(v, ObjType::Task) || is_obj(v, ObjType::Promise);
}

FutureObj* as_future(VM& vm, const Value& v) {
  if (is_obj(v, ObjType::Future)) return as<FutureObj>(v);
  if (is_obj(v, ObjType::Task)) return vm.heap().make<TaskJoin>(as<TaskObj>(v));
  if (is_obj(v, ObjType::Promise)) return vm.heap().make<PromiseAwait>(as<PromiseObj>(v));
  return nullptr;
}

// ---- functions ------------------------------------------------------------------------------

LOOPSCOPE_BUILTIN(print) {
  std::string line;
  for (int i = 0; i < args.count; ++i) {
    if (i) line += ' ';
    line += to_display_string(args.args[i]);
  }
  line += '\n';
  vm.output().out(line);
  out = Value::nil();
  return true;
}

LOOPSCOPE_BUILTIN(len) {
  Value v = args[0];
  if (is_obj(v, ObjType::String)) {
    out = Value::integer(static_cast<int64_t>(utf8::length(as<String>(v)->value)));
  } else if (is_obj(v, ObjType::List)) {
    out = Value::integer(static_cast<int64_t>(as<List>(v)->items.size()));
  } else if (is_obj(v, ObjType::Map)) {
    out = Value::integer(static_cast<int64_t>(as<Map>(v)->size()));
  } else if (is_obj(v, ObjType::Channel)) {
    out = Value::integer(static_cast<int64_t>(as<ChannelObj>(v)->channel.len()));
  } else {
    return vm.raise(std::string("len: ") + type_name(v) + " has no length (strings, lists, maps and channels have)");
  }
  return true;
}

LOOPSCOPE_BUILTIN(str) {
  Value v = args[0];
  out = is_obj(v, ObjType::String) ? v : vm.string(to_display_string(v));
  return true;
}

LOOPSCOPE_BUILTIN(to_int) {
  Value v = args[0];
  switch (v.type) {
    case ValueType::Int: out = v; return true;
    case ValueType::Bool: out = Value::integer(v.as.b ? 1 : 0); return true;
    case ValueType::Float:
      if (std::isnan(v.as.f) || std::fabs(v.as.f) >= 9.2233720368547758e18)
        return vm.raise("int: " + format_number(v.as.f) + " does not fit in a 64-bit integer");
      out = Value::integer(static_cast<int64_t>(v.as.f));  // truncates toward zero
      return true;
    default: break;
  }
  if (is_obj(v, ObjType::String)) {
    const std::string& s = as<String>(v)->value;
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(s.c_str(), &end, 10);
    while (end && *end && std::isspace(static_cast<unsigned char>(*end))) ++end;
    if (s.empty() || *end || errno == ERANGE) return vm.raise("int: \"" + s + "\" is not an integer");
    out = Value::integer(n);
    return true;
  }
  return vm.raise(std::string("int: cannot convert ") + type_name(v) + " to an integer");
}

LOOPSCOPE_BUILTIN(to_float) {
  Value v = args[0];
  if (v.is_number()) {
    out = Value::number(v.to_double());
    return true;
  }
  if (is_obj(v, ObjType::String)) {
    const std::string& s = as<String>(v)->value;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    while (end && *end && std::isspace(static_cast<unsigned char>(*end))) ++end;
    if (s.empty() || *end) return vm.raise("float: \"" + s + "\" is not a number");
    out = Value::number(d);
    return true;
  }
  return vm.raise(std::string("float: cannot convert ") + type_name(v) + " to a number");
}

LOOPSCOPE_BUILTIN(type) {
  out = vm.string(type_name(args[0]));
  return true;
}

LOOPSCOPE_BUILTIN(now) {
  (void)args;
  uint64_t ns = vm.now_ns() - vm.start_time();
  out = Value::integer(static_cast<int64_t>(ns / kNsPerMs));
  return true;
}

LOOPSCOPE_BUILTIN(task_id) {
  (void)args;
  out = Value::integer(vm.current_task() ? static_cast<int64_t>(vm.current_task()->id) : 0);
  return true;
}

LOOPSCOPE_BUILTIN(worker_id) {
  (void)args;
  Scheduler* s = Scheduler::current();
  out = Value::integer(s ? s->worker_id() : 0);
  return true;
}

// ---- list methods ---------------------------------------------------------------------------

namespace {
// Resolves a possibly negative index against `size`; `allow_end` admits size itself (insert).
bool position(VM& vm, const CallArgs& a, int i, const char* fn, size_t size, bool allow_end, size_t& out) {
  int64_t n;
  if (!arg_int(vm, a, i, fn, n)) return false;
  int64_t k = n < 0 ? n + static_cast<int64_t>(size) : n;
  if (k < 0 || static_cast<size_t>(k) > size || (!allow_end && static_cast<size_t>(k) == size))
    return vm.raise(std::string(fn) + ": index " + std::to_string(n) + " is out of range (length " + std::to_string(size) + ")");
  out = static_cast<size_t>(k);
  return true;
}
// A slice bound: clamped like JavaScript's slice().
size_t slice_bound(int64_t n, size_t size) {
  int64_t k = n < 0 ? std::max<int64_t>(0, n + static_cast<int64_t>(size)) : std::min<int64_t>(n, static_cast<int64_t>(size));
  return static_cast<size_t>(k);
}
}  // namespace

bool list_method(VM& vm, MethodId id, CallArgs& args, Value& out) {
  List* l = as<List>(args.self);
  auto& items = l->items;
  out = Value::nil();
  switch (id) {
    case MethodId::push:
      for (int i = 0; i < args.count; ++i) vm.list_push(l, args.args[i]);
      return true;
    case MethodId::pop:
      if (!items.empty()) {
        out = items.back();
        items.pop_back();
      }
      return true;
    case MethodId::insert: {
      size_t at;
      if (!position(vm, args, 0, "insert", items.size(), true, at)) return false;
      items.insert(items.begin() + static_cast<std::ptrdiff_t>(at), args[1]);
      vm.heap().account(sizeof(Value));
      return true;
    }
    case MethodId::remove: {
      size_t at;
      if (!position(vm, args, 0, "remove", items.size(), false, at)) return false;
      out = items[at];
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(at));
      return true;
    }
    case MethodId::slice: {
      int64_t a = 0, b = static_cast<int64_t>(items.size());
      if (args.count >= 1 && !args[0].is_nil() && !arg_int(vm, args, 0, "slice", a)) return false;
      if (args.count >= 2 && !args[1].is_nil() && !arg_int(vm, args, 1, "slice", b)) return false;
      size_t from = slice_bound(a, items.size()), to = slice_bound(b, items.size());
      List* r = vm.new_list();
      if (from < to) r->items.assign(items.begin() + static_cast<std::ptrdiff_t>(from), items.begin() + static_cast<std::ptrdiff_t>(to));
      vm.heap().account(static_cast<std::ptrdiff_t>(r->items.capacity() * sizeof(Value)));
      out = Value::object(r);
      return true;
    }
    case MethodId::contains:
      out = Value::boolean(std::any_of(items.begin(), items.end(), [&](const Value& v) { return values_equal(v, args[0]); }));
      return true;
    case MethodId::index_of: {
      auto it = std::find_if(items.begin(), items.end(), [&](const Value& v) { return values_equal(v, args[0]); });
      out = Value::integer(it == items.end() ? -1 : it - items.begin());
      return true;
    }
    case MethodId::join: {
      std::string sep = ",";
      if (args.count >= 1 && !args[0].is_nil()) {
        String* s;
        if (!arg_string(vm, args, 0, "join", s)) return false;
        sep = s->value;
      }
      std::string r;
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) r += sep;
        r += to_display_string(items[i]);
      }
      out = vm.string(std::move(r));
      return true;
    }
    case MethodId::reverse:
      std::reverse(items.begin(), items.end());
      out = args.self;
      return true;
    case MethodId::len: out = Value::integer(static_cast<int64_t>(items.size())); return true;
    default: return no_such_method(vm, args.self, id);
  }
}

// ---- map methods ----------------------------------------------------------------------------

bool map_method(VM& vm, MethodId id, CallArgs& args, Value& out) {
  Map* m = as<Map>(args.self);
  out = Value::nil();
  switch (id) {
    case MethodId::keys:
    case MethodId::values: {
      List* r = vm.new_list();
      r->items.reserve(m->size());
      m->for_each([&](const Value& k, const Value& v) { r->items.push_back(id == MethodId::keys ? k : v); });
      vm.heap().account(static_cast<std::ptrdiff_t>(r->items.capacity() * sizeof(Value)));
      out = Value::object(r);
      return true;
    }
    case MethodId::has:
      if (!hashable(args[0])) return vm.raise(std::string("has: a ") + type_name(args[0]) + " cannot be a map key");
      out = Value::boolean(m->find(args[0]) != nullptr);
      return true;
    case MethodId::delete_:
      if (!hashable(args[0])) return vm.raise(std::string("delete: a ") + type_name(args[0]) + " cannot be a map key");
      out = Value::boolean(m->remove(args[0]));
      return true;
    case MethodId::len: out = Value::integer(static_cast<int64_t>(m->size())); return true;
    default: return no_such_method(vm, args.self, id);
  }
}

// ---- string methods -------------------------------------------------------------------------

namespace {
bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

bool string_method(VM& vm, MethodId id, CallArgs& args, Value& out) {
  const std::string& s = as<String>(args.self)->value;
  out = Value::nil();
  switch (id) {
    case MethodId::split: {
      List* r = vm.new_list();
      String* sep = nullptr;
      if (args.count >= 1 && !args[0].is_nil() && !arg_string(vm, args, 0, "split", sep)) return false;
      if (!sep) {  // no separator: split on runs of whitespace
        size_t i = 0;
        while (i < s.size()) {
          while (i < s.size() && is_space(static_cast<unsigned char>(s[i]))) ++i;
          size_t j = i;
          while (j < s.size() && !is_space(static_cast<unsigned char>(s[j]))) ++j;
          if (j > i) r->items.push_back(vm.string(s.substr(i, j - i)));
          i = j;
        }
      } else if (sep->value.empty()) {  // "": the characters
        for (size_t i = 0; i < s.size();) {
          size_t j = utf8::char_end(s, i);
          r->items.push_back(vm.string(s.substr(i, j - i)));
          i = j;
        }
      } else {
        size_t start = 0;
        for (;;) {
          size_t at = s.find(sep->value, start);
          if (at == std::string::npos) break;
          r->items.push_back(vm.string(s.substr(start, at - start)));
          start = at + sep->value.size();
        }
        r->items.push_back(vm.string(s.substr(start)));
      }
      vm.heap().account(static_cast<std::ptrdiff_t>(r->items.capacity() * sizeof(Value)));
      out = Value::object(r);
      return true;
    }
    case MethodId::contains:
    case MethodId::starts_with:
    case MethodId::ends_with:
    case MethodId::index_of: {
      String* t;
      if (!arg_string(vm, args, 0, std::string(method_name(id)).c_str(), t)) return false;
      const std::string& x = t->value;
      if (id == MethodId::contains) out = Value::boolean(s.find(x) != std::string::npos);
      if (id == MethodId::starts_with) out = Value::boolean(s.compare(0, x.size(), x) == 0);
      if (id == MethodId::ends_with) out = Value::boolean(s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0);
      if (id == MethodId::index_of) {
        size_t at = s.find(x);
        out = Value::integer(at == std::string::npos ? -1 : static_cast<int64_t>(utf8::length(std::string_view(s).substr(0, at))));
      }
      return true;
    }
    case MethodId::upper:
    case MethodId::lower: {
      std::string r = s;
      for (char& c : r) {
        if (id == MethodId::upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (id == MethodId::lower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      out = vm.string(std::move(r));
      return true;
    }
    case MethodId::trim: {
      size_t a = 0, b = s.size();
      while (a < b && is_space(static_cast<unsigned char>(s[a]))) ++a;
      while (b > a && is_space(static_cast<unsigned char>(s[b - 1]))) --b;
      out = vm.string(s.substr(a, b - a));
      return true;
    }
    case MethodId::replace: {
      String *from, *to;
      if (!arg_string(vm, args, 0, "replace", from) || !arg_string(vm, args, 1, "replace", to)) return false;
      if (from->value.empty()) {
        out = args.self;
        return true;
      }
      std::string r;
      size_t start = 0;
      for (;;) {
        size_t at = s.find(from->value, start);
        if (at == std::string::npos) break;
        r += s.substr(start, at - start) + to->value;
        start = at + from->value.size();
      }
      r += s.substr(start);
      out = vm.string(std::move(r));
      return true;
    }
    case MethodId::len: out = Value::integer(static_cast<int64_t>(utf8::length(s))); return true;
    default: return no_such_method(vm, args.self, id);
  }
}

}  // namespace loopscope::script::builtin
