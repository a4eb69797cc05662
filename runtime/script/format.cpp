#include "runtime/script/format.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

#include "runtime/script/handles.hpp"
#include "runtime/script/object.hpp"

namespace loopscope::script {

namespace {

// The shortest decimal digits that read back as `d` (d > 0, finite), and the decimal exponent n
// such that d = 0.digits * 10^n.
void shortest_digits(double d, std::string& digits, int& n) {
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  // buf is "d.ddde±XX"
  char* e = std::strchr(buf, 'e');
  int exp10 = std::atoi(e + 1);
  digits.clear();
  for (char* p = buf; p < e; ++p)
    if (*p != '.') digits += *p;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  n = exp10 + 1;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

void append(std::string& out, const Value& v, bool quote_strings, std::unordered_set<const Obj*>& seen);

constexpr size_t kMaxPrintDepth = 100;  // deeper containers print as [...] (no stack overflow)

void append_container(std::string& out, const Obj* o, std::unordered_set<const Obj*>& seen) {
  if (seen.count(o) || seen.size() >= kMaxPrintDepth) {
    out += o->type == ObjType::List ? "[...]" : "{...}";  // a container that contains itself
    return;
  }
  seen.insert(o);
  if (o->type == ObjType::List) {
    out += '[';
    bool first = true;
    for (const Value& item : static_cast<const List*>(o)->items) {
      if (!first) out += ", ";
      first = false;
      append(out, item, true, seen);
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    static_cast<const Map*>(o)->for_each([&](const Value& k, const Value& v) {
      if (!first) out += ", ";
      first = false;
      if (is_obj(k, ObjType::String) && is_identifier(as<String>(k)->value)) {
        out += as<String>(k)->value;
      } else {
        append(out, k, true, seen);
      }
      out += ": ";
      append(out, v, true, seen);
    });
    out += '}';
  }
  seen.erase(o);
}

void append(std::string& out, const Value& v, bool quote_strings, std::unordered_set<const Obj*>& seen) {
  switch (v.type) {
    case ValueType::Nil: out += "nil"; return;
    case ValueType::Undef: out += "<undefined>"; return;
    case ValueType::Bool: out += v.as.b ? "true" : "false"; return;
    case ValueType::Int: out += std::to_string(v.as.i); return;
    case ValueType::Float: out += format_number(v.as.f); return;
    case ValueType::Object: break;
  }
  const Obj* o = v.as.o;
  switch (o->type) {
    case ObjType::String:
      out += quote_strings ? quote_string(static_cast<const String*>(o)->value) : static_cast<const String*>(o)->value;
      return;
    case ObjType::List:
    case ObjType::Map: append_container(out, o, seen); return;
    case ObjType::Closure: {
      const auto* c = static_cast<const Closure*>(o);
      out += std::string(c->proto->is_async ? "<async fn " : "<fn ") + c->proto->name + ">";
      return;
    }
    case ObjType::Builtin: out += std::string("<builtin ") + static_cast<const Builtin*>(o)->name + ">"; return;
    case ObjType::Task: {
      const auto* t = static_cast<const TaskObj*>(o);
      out += "<task " + std::to_string(t->id) + " " + t->name + ">";
      return;
    }
    case ObjType::Future: out += "<future " + static_cast<const FutureObj*>(o)->describe() + ">"; return;
    case ObjType::Promise: {
      const auto* p = static_cast<const PromiseObj*>(o);
      out += p->state == PromiseObj::State::Pending ? "<promise pending>" : p->state == PromiseObj::State::Fulfilled ? "<promise fulfilled>" : "<promise rejected>";
      return;
    }
    case ObjType::Channel: out += "<channel>"; return;
    case ObjType::Mutex: out += "<mutex>"; return;
    case ObjType::Semaphore: out += "<semaphore>"; return;
    case ObjType::Notify: out += "<notify>"; return;
    case ObjType::Coroutine: out += std::string("<coroutine ") + static_cast<const CoroutineObj*>(o)->status() + ">"; return;
    case ObjType::Upvalue: out += "<upvalue>"; return;
  }
}

}  // namespace

std::string format_number(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";  // JavaScript prints -0 as 0 too
  std::string sign = d < 0 ? "-" : "";
  double a = std::fabs(d);
  std::string digits;
  int n;
  shortest_digits(a, digits, n);
  int k = static_cast<int>(digits.size());
  // ECMAScript Number::toString, radix 10.
  if (k <= n && n <= 21) return sign + digits + std::string(static_cast<size_t>(n - k), '0');
  if (0 < n && n <= 21) return sign + digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  if (-6 < n && n <= 0) return sign + "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  std::string e = n - 1 >= 0 ? "e+" + std::to_string(n - 1) : "e-" + std::to_string(1 - n);
  if (k == 1) return sign + digits + e;
  return sign + digits.substr(0, 1) + "." + digits.substr(1) + e;
}

std::string quote_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string to_display_string(const Value& v) {
  std::string out;
  std::unordered_set<const Obj*> seen;
  append(out, v, false, seen);
  return out;
}

std::string to_repr(const Value& v) {
  std::string out;
  std::unordered_set<const Obj*> seen;
  append(out, v, true, seen);
  return out;
}

}  // namespace loopscope::script
