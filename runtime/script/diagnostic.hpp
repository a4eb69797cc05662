// Diagnostics: what the front end (and the VM, for runtime errors) says about a program.
//
//   prog.coro:3:9: error: unknown name 'cnt'
//       3 |   print(cnt)
//         |         ^~~
//
// Positions are 1-based lines and columns; columns count characters (UTF-8 code points).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::script {

// A program's text, with its line starts for turning offsets into line:col and excerpts.
class Source {
 public:
  Source(std::string name, std::string text);
  const std::string& name() const noexcept { return name_; }
  const std::string& text() const noexcept { return text_; }

  struct Position {
    uint32_t line;  // 1-based
    uint32_t col;   // 1-based, in code points
  };
  Position position(uint32_t offset) const noexcept;
  // The text of a line (1-based), without its newline.
  std::string_view line_text(uint32_t line) const noexcept;
  uint32_t line_count() const noexcept { return static_cast<uint32_t>(line_starts_.size()); }

 private:
  std::string name_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

struct Diagnostic {
  enum class Severity { Error, Warning, Note };
  Severity severity = Severity::Error;
  uint32_t line = 0;  // 0: not tied to a position
  uint32_t col = 0;
  uint32_t length = 1;  // characters underlined
  std::string message;
};

// `file:line:col: error: message` plus the line and a caret, for a terminal.
std::string format_diagnostic(const Source& source, const Diagnostic& d);
// One JSON object: {"file","line","col","severity","message"}.
std::string diagnostic_json(const Source& source, const Diagnostic& d);

}  // namespace loopscope::script
