// The operators' slow paths (the interpreter inlines the integer fast paths): indexing, `+` on
// strings and lists, arithmetic with floats, comparisons, iteration. Each returns false after
// raising a runtime error on the VM.
#pragma once

#include <string>

#include "runtime/script/bytecode.hpp"
#include "runtime/script/object.hpp"

namespace loopscope::script {
class VM;
}

namespace loopscope::script::ops {

bool get_index(VM& vm, const Value& obj, const Value& key, Value& out);
bool set_index(VM& vm, const Value& obj, const Value& key, const Value& value);
bool add(VM& vm, const Value& a, const Value& b, Value& out);
bool arith(VM& vm, Op op, const Value& a, const Value& b, Value& out);
// c < 0, == 0, > 0 as a is less, equal or greater; numbers with numbers, strings with strings.
bool compare(VM& vm, const Value& a, const Value& b, const char* op, int& c);
// One step of for-in: regs[0] the iterable, regs[1] the position (list index, map entry, or a
// string's byte offset), regs[2] a string's character index; regs[3] (and regs[4] when `two`
// loop variables) receive the next element.
bool iterate(VM& vm, Value* regs, bool two, bool& more);
bool range_list(VM& vm, const Value& a, const Value& b, Value& out);
std::string overflow_message(const char* op, const Value& a, const Value& b);

}  // namespace loopscope::script::ops
