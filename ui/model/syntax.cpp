#include "ui/model/syntax.hpp"

#include <algorithm>

#include "runtime/script/builtins.hpp"
#include "runtime/script/lexer.hpp"

namespace loopscope::ui {

namespace {

using script::Tok;

Style style_of(const script::Token& t) {
  switch (t.kind) {
    case Tok::Int:
    case Tok::Float: return Style::Number;
    case Tok::String:
    case Tok::Template: return Style::String;
    case Tok::Ident: return script::builtin_index(t.text) ? Style::Builtin : Style::Plain;
    case Tok::Newline:
    case Tok::Eof: return Style::Plain;
    default:
      if (t.kind >= Tok::Let && t.kind <= Tok::Not) return Style::Keyword;
      return Style::Punctuation;
  }
}

}  // namespace

std::vector<std::vector<StyleRun>> highlight(std::string_view text) {
  // Line starts, to turn offsets into (line, column).
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  std::vector<std::vector<StyleRun>> lines(starts.size());
  // A run over [from, to) of the text, cut at line breaks.
  auto add = [&](size_t from, size_t to, Style style) {
    if (style == Style::Plain) return;
    size_t line = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), from) - starts.begin()) - 1;
    while (from < to && line < lines.size()) {
      size_t line_end = line + 1 < starts.size() ? starts[line + 1] - 1 : text.size();
      size_t end = std::min(to, line_end);
      if (end > from) lines[line].push_back({static_cast<int>(from - starts[line]), static_cast<int>(end - from), style});
      from = line_end + 1;
      ++line;
    }
  };
  // Comments in the gap [from, to) between two tokens.
  auto gap = [&](size_t from, size_t to) {
    size_t i = from;
    while (i + 1 < to) {
      if (text[i] == '/' && text[i + 1] == '/') {
        size_t end = text.find('\n', i);
        end = std::min(end == std::string_view::npos ? text.size() : end, to);
        add(i, end, Style::Comment);
        i = end;
      } else if (text[i] == '/' && text[i + 1] == '*') {
        size_t end = text.find("*/", i + 2);
        end = end == std::string_view::npos ? to : std::min(end + 2, to);
        add(i, end, Style::Comment);
        i = end;
      } else {
        ++i;
      }
    }
  };
  script::Source source("editor.coro", std::string(text));
  std::vector<script::Diagnostic> ignored;
  script::Lexer lexer(source, source.text(), 0, ignored);
  size_t pos = 0;
  for (const script::Token& t : lexer.tokenize()) {
    if (t.kind == Tok::Eof) break;
    if (t.kind == Tok::Newline) continue;
    if (t.offset > pos) gap(pos, t.offset);
    add(t.offset, t.offset + t.length, style_of(t));
    pos = std::max<size_t>(pos, t.offset + t.length);
  }
  gap(pos, text.size());
  return lines;
}

}  // namespace loopscope::ui
