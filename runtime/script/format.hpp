// How values print: print() and str() show strings bare; inside lists and maps strings are
// quoted. Numbers print like JavaScript's (integers in decimal; floats in the shortest form that
// reads back: 0.5, 0.30000000000000004, 1e+21).
#pragma once

#include <string>

#include "runtime/script/value.hpp"

namespace loopscope::script {

std::string to_display_string(const Value& v);  // print(), str(), templates
std::string to_repr(const Value& v);            // inside lists and maps
std::string format_number(double d);
std::string quote_string(const std::string& s);

}  // namespace loopscope::script
