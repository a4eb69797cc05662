#include "runtime/script/diagnostic.hpp"

#include <algorithm>
#include <cstdio>

#include "runtime/script/utf8.hpp"
#include "runtime/util/json_string.hpp"

namespace loopscope::script {

namespace {
const char* severity_name(Diagnostic::Severity s) {
  switch (s) {
    case Diagnostic::Severity::Error: return "error";
    case Diagnostic::Severity::Warning: return "warning";
    case Diagnostic::Severity::Note: return "note";
  }
  return "error";
}
}  // namespace

Source::Source(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

Source::Position Source::position(uint32_t offset) const noexcept {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  uint32_t start = line_starts_[line - 1];
  uint32_t end = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  uint32_t col = static_cast<uint32_t>(utf8::length(std::string_view(text_).substr(start, end - start))) + 1;
  return {line, col};
}

std::string_view Source::line_text(uint32_t line) const noexcept {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : static_cast<uint32_t>(text_.size());
  std::string_view s = std::string_view(text_).substr(start, end - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

std::string format_diagnostic(const Source& source, const Diagnostic& d) {
  std::string out = source.name();
  if (d.line) out += ":" + std::to_string(d.line) + ":" + std::to_string(d.col);
  out += std::string(": ") + severity_name(d.severity) + ": " + d.message + "\n";
  if (!d.line) return out;
  std::string_view text = source.line_text(d.line);
  // Show at most ~100 characters around the column, so a 10 MB line does not flood the terminal.
  constexpr size_t kWindow = 100;
  size_t col = d.col - 1;  // code points before the caret
  size_t first = col > kWindow / 2 ? col - kWindow / 2 : 0;
  std::string excerpt;
  size_t cp = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!utf8::is_continuation(c)) ++cp;
    if (cp <= first) continue;
    if (cp > first + kWindow) break;
    excerpt += (c == '\t') ? ' ' : (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);  // no raw control bytes
  }
  std::string pad(col - first, ' ');
  char gutter[32];
  std::snprintf(gutter, sizeof gutter, "%5u | ", d.line);
  out += gutter + std::string(first ? "..." : "") + excerpt + (cp > first + kWindow ? "..." : "") + "\n";
  out += "      | " + std::string(first ? "   " : "") + pad + "^" + std::string(d.length > 1 ? std::min<uint32_t>(d.length, 80) - 1 : 0, '~') + "\n";
  return out;
}

std::string diagnostic_json(const Source& source, const Diagnostic& d) {
  return "{\"file\":" + json_quote(source.name()) + ",\"line\":" + std::to_string(d.line) + ",\"col\":" + std::to_string(d.col) +
         ",\"severity\":\"" + severity_name(d.severity) + "\",\"message\":" + json_quote(d.message) + "}";
}

}  // namespace loopscope::script
