// UTF-8 helpers for the language: strings are UTF-8 bytes, and the language indexes, counts and
// iterates them by code point. Inputs are valid UTF-8 (programs are checked on load; every string
// is built from them), so these only need to find code-point boundaries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loopscope::script::utf8 {

// A byte that continues a code point (10xxxxxx) rather than starting one.
inline bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Number of code points in s.
inline size_t length(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if (!is_continuation(static_cast<unsigned char>(c))) ++n;
  return n;
}

// Byte offset just past the code point that starts at byte `at`.
inline size_t char_end(std::string_view s, size_t at) {
  size_t end = at + 1;
  while (end < s.size() && is_continuation(static_cast<unsigned char>(s[end]))) ++end;
  return end;
}

// Byte offset of the code point at index n, or npos when s is shorter.
inline size_t offset(std::string_view s, size_t n) {
  size_t cp = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (is_continuation(static_cast<unsigned char>(s[i]))) continue;
    if (cp++ == n) return i;
  }
  return std::string::npos;
}

// Appends code point cp (at most U+10FFFF) encoded as UTF-8.
inline void append(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace loopscope::script::utf8
