// Share links: a whole program and its settings in the URL fragment, so that no server stores
// anything.
//
//   <page>#v1/<payload>
//   payload = base64url (RFC 4648 §5, no padding) of raw DEFLATE (RFC 1951) of UTF-8 JSON
//             {"src": "...", "profile": "tokio", "workers": 2, "seed": 1, "budget": 128 | "off",
//              "real": false, "view": {...}}
//
// The browser builds the same payload with CompressionStream('deflate-raw').
#pragma once

#include <optional>
#include <string>

#include "runtime/script/settings.hpp"

namespace loopscope::cli {

struct SharedProgram {
  std::string src;
  script::SettingList settings;  // overrides of the program's @profile line (settings.hpp names)
};

std::string make_share_payload(const SharedProgram& p);
std::string make_share_link(const SharedProgram& p, const std::string& base);

// Accepts a whole link (anything containing "#v1/") or just the payload (with or without "v1/").
// On failure returns nullopt and sets `error` to something a user can act on.
std::optional<SharedProgram> read_share(const std::string& link_or_payload, std::string& error);

// Whether an argument looks like a link or payload rather than a file name.
bool looks_like_share(const std::string& arg);

std::string base64url_encode(const std::string& bytes);
std::optional<std::string> base64url_decode(const std::string& text);

}  // namespace loopscope::cli
