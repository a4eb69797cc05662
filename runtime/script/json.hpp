// A small JSON reader for share-link payloads and settings objects: objects, arrays, strings, numbers, booleans, null.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace loopscope::script {

struct Json {
  enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;

  const Json* get(const std::string& key) const {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &it->second;
  }
};

// Parses `text`; on failure returns nullopt and sets `error`.
std::optional<Json> parse_json(const std::string& text, std::string& error);

}  // namespace loopscope::script
