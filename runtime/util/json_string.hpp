// JSON string literals, for everything that writes JSON: trace exports, machine-readable
// diagnostics, share links.
#pragma once

#include <string>
#include <string_view>

namespace loopscope {

// s as a JSON string literal: quoted, with quotes, backslashes and control bytes escaped.
std::string json_quote(std::string_view s);

}  // namespace loopscope
