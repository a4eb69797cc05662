#include "runtime/script/json.hpp"

#include <cstdlib>

#include "runtime/script/utf8.hpp"

namespace loopscope::script {

namespace {

class Reader {
 public:
  explicit Reader(const std::string& t) : t_(t) {}

  bool value(Json& out, int depth) {
    if (depth > 64) return fail("nested too deeply");
    space();
    if (i_ >= t_.size()) return fail("unexpected end");
    char c = t_[i_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.type = Json::Type::String;
      return string(out.string);
    }
    if (t_.compare(i_, 4, "true") == 0) {
      i_ += 4;
      out.type = Json::Type::Bool;
      out.boolean = true;
      return true;
    }
    if (t_.compare(i_, 5, "false") == 0) {
      i_ += 5;
      out.type = Json::Type::Bool;
      return true;
    }
    if (t_.compare(i_, 4, "null") == 0) {
      i_ += 4;
      return true;
    }
    const char* start = t_.c_str() + i_;
    char* end = nullptr;
    double d = std::strtod(start, &end);
    if (end == start) return fail("unexpected character");
    i_ += static_cast<size_t>(end - start);
    out.type = Json::Type::Number;
    out.number = d;
    return true;
  }

  bool done() {
    space();
    return i_ == t_.size();
  }
  std::string error;

 private:
  bool fail(const char* what) {
    error = std::string(what) + " at offset " + std::to_string(i_);
    return false;
  }
  void space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\r' || t_[i_] == '\t')) ++i_;
  }
  bool string(std::string& out) {
    ++i_;  // "
    while (i_ < t_.size() && t_[i_] != '"') {
      char c = t_[i_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= t_.size()) return fail("unterminated string");
      char e = t_[i_++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case '/': out += '/'; break;
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case 'u': {
          if (i_ + 4 > t_.size()) return fail("bad \\u escape");
          unsigned cp = static_cast<unsigned>(std::strtoul(t_.substr(i_, 4).c_str(), nullptr, 16));
          i_ += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && t_.compare(i_, 2, "\\u") == 0) {
            unsigned lo = static_cast<unsigned>(std::strtoul(t_.substr(i_ + 2, 4).c_str(), nullptr, 16));
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              i_ += 6;
            }
          }
          script::utf8::append(out, cp);
          break;
        }
        default: return fail("bad escape");
      }
    }
    if (i_ >= t_.size()) return fail("unterminated string");
    ++i_;
    return true;
  }
  bool object(Json& out, int depth) {
    out.type = Json::Type::Object;
    ++i_;
    space();
    if (i_ < t_.size() && t_[i_] == '}') {
      ++i_;
      return true;
    }
    for (;;) {
      space();
      if (i_ >= t_.size() || t_[i_] != '"') return fail("expected a key");
      std::string key;
      if (!string(key)) return false;
      space();
      if (i_ >= t_.size() || t_[i_] != ':') return fail("expected ':'");
      ++i_;
      if (!value(out.object[key], depth + 1)) return false;
      space();
      if (i_ < t_.size() && t_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < t_.size() && t_[i_] == '}') {
        ++i_;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }
  bool array(Json& out, int depth) {
    out.type = Json::Type::Array;
    ++i_;
    space();
    if (i_ < t_.size() && t_[i_] == ']') {
      ++i_;
      return true;
    }
    for (;;) {
      out.array.emplace_back();
      if (!value(out.array.back(), depth + 1)) return false;
      space();
      if (i_ < t_.size() && t_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < t_.size() && t_[i_] == ']') {
        ++i_;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  const std::string& t_;
  size_t i_ = 0;
};

}  // namespace

std::optional<Json> parse_json(const std::string& text, std::string& error) {
  Reader r(text);
  Json j;
  if (!r.value(j, 0)) {
    error = r.error;
    return std::nullopt;
  }
  if (!r.done()) {
    error = "unexpected text after the JSON value";
    return std::nullopt;
  }
  return j;
}

}  // namespace loopscope::script
