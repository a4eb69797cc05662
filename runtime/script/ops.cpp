#include "runtime/script/ops.hpp"

#include <cmath>

#include "runtime/script/format.hpp"
#include "runtime/script/utf8.hpp"
#include "runtime/script/vm.hpp"

namespace loopscope::script::ops {

namespace {

bool index_of(VM& vm, const Value& key, size_t size, size_t& out, const char* what) {
  if (!key.is_int()) return vm.raise(std::string(what) + " index must be an integer, got " + type_name(key));
  int64_t i = key.as.i;
  if (i < 0) i += static_cast<int64_t>(size);  // negative indexes count from the end
  if (i < 0 || static_cast<size_t>(i) >= size)
    return vm.raise(std::string(what) + " index " + std::to_string(key.as.i) + " is out of range (length " + std::to_string(size) + ")");
  out = static_cast<size_t>(i);
  return true;
}

}  // namespace

bool get_index(VM& vm, const Value& obj, const Value& key, Value& out) {
  if (is_obj(obj, ObjType::List)) {
    auto& items = as<List>(obj)->items;
    size_t i;
    if (!index_of(vm, key, items.size(), i, "list")) return false;
    out = items[i];
    return true;
  }
  if (is_obj(obj, ObjType::Map)) {
    if (!hashable(key)) return vm.raise(std::string("a ") + type_name(key) + " cannot be a map key");
    Value* v = as<Map>(obj)->find(key);
    out = v ? *v : Value::nil();  // missing keys read as nil
    return true;
  }
  if (is_obj(obj, ObjType::String)) {
    const std::string& s = as<String>(obj)->value;
    size_t i;
    if (!index_of(vm, key, utf8::length(s), i, "string")) return false;
    size_t at = utf8::offset(s, i);
    out = vm.string(s.substr(at, utf8::char_end(s, at) - at));
    return true;
  }
  if (obj.is_nil()) return vm.raise("cannot index nil (the value is missing)");
  return vm.raise(std::string("cannot index ") + type_name(obj) + " (only lists, maps and strings have elements)");
}

bool set_index(VM& vm, const Value& obj, const Value& key, const Value& value) {
  if (is_obj(obj, ObjType::List)) {
    auto& items = as<List>(obj)->items;
    size_t i;
    if (!index_of(vm, key, items.size(), i, "list")) return false;
    items[i] = value;
    return true;
  }
  if (is_obj(obj, ObjType::Map)) {
    if (!hashable(key)) return vm.raise(std::string("a ") + type_name(key) + " cannot be a map key");
    auto* m = as<Map>(obj);
    size_t before = m->extra_bytes();
    m->set(key, value);
    vm.heap().account(static_cast<std::ptrdiff_t>(m->extra_bytes()) - static_cast<std::ptrdiff_t>(before));
    return true;
  }
  if (is_obj(obj, ObjType::String)) return vm.raise("strings cannot be changed; build a new one (s + \"...\")");
  return vm.raise(std::string("cannot set an element of ") + type_name(obj));
}

bool add(VM& vm, const Value& a, const Value& b, Value& out) {
  if (a.is_number() && b.is_number()) return arith(vm, Op::Add, a, b, out);
  if (is_obj(a, ObjType::String) && is_obj(b, ObjType::String)) {
    const std::string& x = as<String>(a)->value;
    const std::string& y = as<String>(b)->value;
    if (!vm.reserve_heap(x.size() + y.size())) return false;
    out = vm.string(x + y);
    return true;
  }
  if (is_obj(a, ObjType::List) && is_obj(b, ObjType::List)) {
    const auto& x = as<List>(a)->items;
    const auto& y = as<List>(b)->items;
    if (!vm.reserve_heap((x.size() + y.size()) * sizeof(Value))) return false;
    List* l = vm.new_list();
    l->items.reserve(x.size() + y.size());
    l->items.insert(l->items.end(), x.begin(), x.end());
    l->items.insert(l->items.end(), y.begin(), y.end());
    vm.heap().account(static_cast<std::ptrdiff_t>(l->items.capacity() * sizeof(Value)));
    out = Value::object(l);
    return true;
  }
  if (is_obj(a, ObjType::String) || is_obj(b, ObjType::String))
    return vm.raise(std::string("cannot add ") + type_name(a) + " and " + type_name(b) +
                    " (+ joins two strings; to build text use a template: `${x}` or str(x))");
  return vm.raise(std::string("cannot add ") + type_name(a) + " and " + type_name(b));
}

std::string overflow_message(const char* op, const Value& a, const Value& b) {
  return "integer overflow: " + to_display_string(a) + " " + op + " " + to_display_string(b) +
         " does not fit in 64 bits (use float(x) for approximate arithmetic)";
}

bool arith(VM& vm, Op op, const Value& a, const Value& b, Value& out) {
  const char* sym = op == Op::Add ? "+" : op == Op::Sub ? "-" : op == Op::Mul ? "*" : op == Op::Div ? "/" : "%";
  if (!a.is_number() || !b.is_number()) {
    return vm.raise(std::string("cannot use ") + sym + " on " + type_name(a) + " and " + type_name(b) + " (numbers expected)");
  }
  if (a.is_int() && b.is_int()) {
    int64_t x = a.as.i, y = b.as.i, r;
    switch (op) {
      case Op::Add:
        if (__builtin_add_overflow(x, y, &r)) return vm.raise(overflow_message(sym, a, b));
        out = Value::integer(r);
        return true;
      case Op::Sub:
        if (__builtin_sub_overflow(x, y, &r)) return vm.raise(overflow_message(sym, a, b));
        out = Value::integer(r);
        return true;
      case Op::Mul:
        if (__builtin_mul_overflow(x, y, &r)) return vm.raise(overflow_message(sym, a, b));
        out = Value::integer(r);
        return true;
      case Op::Div:
        // int / int is an int when exact, a float otherwise (and ±Infinity for / 0), like JavaScript.
        if (y != 0 && !(x == INT64_MIN && y == -1) && x % y == 0) {
          out = Value::integer(x / y);
        } else {
          out = Value::number(static_cast<double>(x) / static_cast<double>(y));
        }
        return true;
      case Op::Mod:
        if (y == 0) return vm.raise("integer modulo by zero: " + std::to_string(x) + " % 0");
        out = Value::integer(y == -1 ? 0 : x % y);
        return true;
      default: break;
    }
  }
  double x = a.to_double(), y = b.to_double();
  switch (op) {
    case Op::Add: out = Value::number(x + y); break;
    case Op::Sub: out = Value::number(x - y); break;
    case Op::Mul: out = Value::number(x * y); break;
    case Op::Div: out = Value::number(x / y); break;
    case Op::Mod: out = Value::number(std::fmod(x, y)); break;
    default: break;
  }
  return true;
}

bool compare(VM& vm, const Value& a, const Value& b, const char* op, int& c) {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) {
      c = a.as.i < b.as.i ? -1 : a.as.i > b.as.i ? 1 : 0;
    } else {
      double x = a.to_double(), y = b.to_double();
      if (std::isnan(x) || std::isnan(y)) {
        c = op[0] == '<' ? 1 : -1;  // NaN: every ordering comparison is false
        return true;
      }
      c = x < y ? -1 : x > y ? 1 : 0;
    }
    return true;
  }
  if (is_obj(a, ObjType::String) && is_obj(b, ObjType::String)) {
    int r = as<String>(a)->value.compare(as<String>(b)->value);
    c = r < 0 ? -1 : r > 0 ? 1 : 0;
    return true;
  }
  return vm.raise(std::string("cannot compare ") + type_name(a) + " " + op + " " + type_name(b) +
                  " (only numbers with numbers, strings with strings)");
}

bool iterate(VM& vm, Value* regs, bool two, bool& more) {
  const Value& it = regs[0];
  int64_t& pos = regs[1].as.i;
  if (is_obj(it, ObjType::List)) {
    // for x in list: the elements; for i, x in list: index and element.
    const auto& items = as<List>(it)->items;
    more = static_cast<size_t>(pos) < items.size();
    if (more) {
      if (two) {
        regs[3] = Value::integer(pos);
        regs[4] = items[static_cast<size_t>(pos)];
      } else {
        regs[3] = items[static_cast<size_t>(pos)];
      }
      ++pos;
    }
    return true;
  }
  if (is_obj(it, ObjType::Map)) {
    // for k in map: the keys; for k, v in map: keys and values, in insertion order.
    const auto& entries = as<Map>(it)->entries();
    while (static_cast<size_t>(pos) < entries.size() && !entries[static_cast<size_t>(pos)].live) ++pos;
    more = static_cast<size_t>(pos) < entries.size();
    if (more) {
      regs[3] = entries[static_cast<size_t>(pos)].key;
      if (two) regs[4] = entries[static_cast<size_t>(pos)].value;
      ++pos;
    }
    return true;
  }
  // A string: its characters (for i, c in s: the character's index, as s[i] counts, and the
  // character). The byte offset walks the string; the index counts characters.
  const std::string& s = as<String>(it)->value;
  more = static_cast<size_t>(pos) < s.size();
  if (more) {
    size_t at = static_cast<size_t>(pos);
    size_t end = utf8::char_end(s, at);
    Value c = vm.string(s.substr(at, end - at));
    int64_t& index = regs[2].as.i;
    if (two) {
      regs[3] = Value::integer(index);
      regs[4] = c;
    } else {
      regs[3] = c;
    }
    pos = static_cast<int64_t>(end);
    ++index;
  }
  return true;
}

bool range_list(VM& vm, const Value& a, const Value& b, Value& out) {
  if (!a.is_int() || !b.is_int()) return vm.raise(std::string("a range needs integer bounds, got ") + type_name(a) + " .. " + type_name(b));
  int64_t n = b.as.i > a.as.i ? b.as.i - a.as.i : 0;
  if (n > 100'000'000) return vm.raise("range " + std::to_string(a.as.i) + ".." + std::to_string(b.as.i) + " is too long to make a list of");
  List* l = vm.new_list();
  l->items.reserve(static_cast<size_t>(n));
  for (int64_t i = a.as.i; i < b.as.i; ++i) l->items.push_back(Value::integer(i));
  vm.heap().account(static_cast<std::ptrdiff_t>(l->items.capacity() * sizeof(Value)));
  out = Value::object(l);
  return true;
}

}  // namespace loopscope::script::ops
