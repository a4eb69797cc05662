#include "cli/share.hpp"

#include <zlib.h>

#include <cmath>

#include "runtime/script/json.hpp"
#include "runtime/util/json_string.hpp"

namespace loopscope::cli {

namespace {

const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::optional<std::string> deflate_raw(const std::string& in) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

std::optional<std::string> inflate_raw(const std::string& in, std::string& error) {
  constexpr size_t kMaxProgram = 16u << 20;
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) return std::nullopt;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[64 * 1024];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      error = "the share link is damaged (its compressed data does not decode)";
      return std::nullopt;
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > kMaxProgram) {
      inflateEnd(&z);
      error = "the share link holds more than 16 MiB";
      return std::nullopt;
    }
  } while (rc != Z_STREAM_END && z.avail_in > 0);
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    error = "the share link is truncated (its compressed data ends early)";
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::string base64url_encode(const std::string& bytes) {
  std::string out;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
  } else if (rest == 2) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(const std::string& text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    else if (c == '=') break;  // tolerate padding
    else return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (bits >= 6) return std::nullopt;  // one stray character
  return out;
}

std::string make_share_payload(const SharedProgram& p) {
  std::string json = "{\"src\":" + json_quote(p.src);
  for (const auto& [key, value] : p.settings) {
    if (key == "profile") {
      json += ",\"profile\":" + json_quote(value);
    } else if (key == "real") {
      json += std::string(",\"real\":") + (value == "false" || value == "0" ? "false" : "true");
    } else if (key == "workers" || key == "seed" || key == "budget") {
      bool digits = !value.empty() && value.size() < 16 && value.find_first_not_of("0123456789") == std::string::npos;
      json += ",\"" + key + "\":" + (digits ? value : json_quote(value));
    }
  }
  json += "}";
  auto compressed = deflate_raw(json);
  return "v1/" + base64url_encode(compressed ? *compressed : std::string());
}

std::string make_share_link(const SharedProgram& p, const std::string& base) {
  std::string b = base;
  size_t hash = b.find('#');
  if (hash != std::string::npos) b.resize(hash);
  return b + "#" + make_share_payload(p);
}

bool looks_like_share(const std::string& arg) {
  return arg.find("#v1/") != std::string::npos || arg.rfind("v1/", 0) == 0;
}

std::optional<SharedProgram> read_share(const std::string& link, std::string& error) {
  std::string payload = link;
  if (size_t at = payload.find("#v1/"); at != std::string::npos) {
    payload = payload.substr(at + 4);
  } else if (payload.rfind("v1/", 0) == 0) {
    payload = payload.substr(3);
  } else if (size_t hash = payload.find('#'); hash != std::string::npos) {
    error = "this link's fragment is not a Loopscope share (expected #v1/...)";
    return std::nullopt;
  }
  while (!payload.empty() && (payload.back() == '\n' || payload.back() == '\r' || payload.back() == ' ')) payload.pop_back();
  auto raw = base64url_decode(payload);
  if (!raw) {
    error = "the share link is damaged (it is not base64url text)";
    return std::nullopt;
  }
  auto json_text = inflate_raw(*raw, error);
  if (!json_text) {
    if (error.empty()) error = "the share link is damaged";
    return std::nullopt;
  }
  std::string json_error;
  auto j = script::parse_json(*json_text, json_error);
  if (!j || j->type != script::Json::Type::Object) {
    error = "the share link does not hold a program (" + (json_error.empty() ? std::string("not a JSON object") : json_error) + ")";
    return std::nullopt;
  }
  const script::Json* src = j->get("src");
  if (!src || src->type != script::Json::Type::String) {
    error = "the share link does not hold a program (no \"src\")";
    return std::nullopt;
  }
  SharedProgram p;
  p.src = src->string;
  std::string settings_error;
  auto settings = script::settings_from_json(*j, settings_error);  // unknown keys ("view") are ignored
  if (!settings) {
    error = "the share link's settings are damaged (" + settings_error + ")";
    return std::nullopt;
  }
  p.settings = std::move(*settings);
  return p;
}

}  // namespace loopscope::cli
