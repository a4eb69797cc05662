#include "ui/model/text_buffer.hpp"

#include <algorithm>

namespace loopscope::ui {

namespace {

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Word characters, spaces and the rest: Ctrl+arrows stop where the class changes.
int char_class(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (c == ' ' || c == '\t') return 0;
  if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || c == '_' || u >= 0x80) return 1;
  return 2;
}

void append_utf8(std::string& out, uint32_t cp) {
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

}  // namespace

TextBuffer::TextBuffer(std::string_view text) { set_text(text); }

std::string TextBuffer::text() const {
  std::string out;
  for (size_t i = 0; i < lines_.size(); ++i) {
    if (i) out += '\n';
    out += lines_[i];
  }
  return out;
}

void TextBuffer::set_text(std::string_view text) {
  lines_.assign(1, std::string());
  raw_replace({0, 0}, {0, 0}, text);
  cursor_ = anchor_ = {0, 0};
  undo_.clear();
  redo_.clear();
  wanted_dcol_ = -1;
  ++version_;
}

TextPos TextBuffer::clamp(TextPos p) const {
  p.line = std::clamp(p.line, 0, line_count() - 1);
  const std::string& l = lines_[static_cast<size_t>(p.line)];
  p.col = std::clamp(p.col, 0, static_cast<int>(l.size()));
  while (p.col > 0 && p.col < static_cast<int>(l.size()) && continuation(l[static_cast<size_t>(p.col)])) --p.col;
  return p;
}

std::string TextBuffer::range_text(TextPos a, TextPos b) const {
  if (b < a) std::swap(a, b);
  if (a.line == b.line) return lines_[static_cast<size_t>(a.line)].substr(static_cast<size_t>(a.col), static_cast<size_t>(b.col - a.col));
  std::string out = lines_[static_cast<size_t>(a.line)].substr(static_cast<size_t>(a.col));
  for (int l = a.line + 1; l < b.line; ++l) out += "\n" + lines_[static_cast<size_t>(l)];
  out += "\n" + lines_[static_cast<size_t>(b.line)].substr(0, static_cast<size_t>(b.col));
  return out;
}

std::string TextBuffer::selected_text() const { return range_text(selection_start(), selection_end()); }

TextPos TextBuffer::end_of(TextPos at, std::string_view inserted) const {
  size_t nl = inserted.rfind('\n');
  if (nl == std::string_view::npos) return {at.line, at.col + static_cast<int>(inserted.size())};
  int breaks = static_cast<int>(std::count(inserted.begin(), inserted.end(), '\n'));
  return {at.line + breaks, static_cast<int>(inserted.size() - nl - 1)};
}

TextPos TextBuffer::raw_replace(TextPos a, TextPos b, std::string_view text) {
  if (b < a) std::swap(a, b);
  std::string& first = lines_[static_cast<size_t>(a.line)];
  std::string tail = lines_[static_cast<size_t>(b.line)].substr(static_cast<size_t>(b.col));
  first.resize(static_cast<size_t>(a.col));
  lines_.erase(lines_.begin() + a.line + 1, lines_.begin() + b.line + 1);
  // Insert `text` line by line.
  std::vector<std::string> pieces(1);
  for (char c : text) {
    if (c == '\n') pieces.emplace_back();
    else pieces.back() += c;
  }
  first += pieces[0];
  lines_.insert(lines_.begin() + a.line + 1, pieces.begin() + 1, pieces.end());
  TextPos end{a.line + static_cast<int>(pieces.size()) - 1, 0};
  std::string& last = lines_[static_cast<size_t>(end.line)];
  end.col = static_cast<int>(last.size());
  last += tail;
  return end;
}

void TextBuffer::edit(TextPos a, TextPos b, std::string_view text, bool typing, const TextPos* cursor_after) {
  if (b < a) std::swap(a, b);
  Edit e;
  e.at = a;
  e.removed = range_text(a, b);
  e.inserted = std::string(text);
  e.cursor_before = cursor_;
  e.anchor_before = anchor_;
  e.typing = typing;
  TextPos end = raw_replace(a, b, text);
  cursor_ = anchor_ = cursor_after ? clamp(*cursor_after) : end;
  e.cursor_after = e.anchor_after = cursor_;
  redo_.clear();
  // Typing goes into the step before it while it continues where that one ended.
  // A word and the spaces after it are one step: a new one begins where a word follows a space.
  if (typing && !undo_.empty() && undo_.back().typing && e.removed.empty() && undo_.back().cursor_after == a &&
      !undo_.back().inserted.empty() && !(undo_.back().inserted.back() == ' ' && text != " ")) {
    Edit& prev = undo_.back();
    prev.inserted += e.inserted;
    prev.cursor_after = prev.anchor_after = cursor_;
  } else {
    undo_.push_back(std::move(e));
  }
  wanted_dcol_ = -1;
  ++version_;
}

void TextBuffer::set_cursor(TextPos p, bool select) {
  cursor_ = clamp(p);
  if (!select) anchor_ = cursor_;
  wanted_dcol_ = -1;
  if (!undo_.empty()) undo_.back().typing = false;  // a jump ends the typing step
}

void TextBuffer::select_all() {
  anchor_ = {0, 0};
  cursor_ = {line_count() - 1, static_cast<int>(lines_.back().size())};
}

void TextBuffer::select_word_at(TextPos p) {
  p = clamp(p);
  const std::string& l = lines_[static_cast<size_t>(p.line)];
  if (l.empty()) return set_cursor(p);
  int at = std::min(p.col, static_cast<int>(l.size()) - 1);
  int cls = char_class(l[static_cast<size_t>(at)]);
  int a = at, b = at + 1;
  while (a > 0 && char_class(l[static_cast<size_t>(a - 1)]) == cls) --a;
  while (b < static_cast<int>(l.size()) && char_class(l[static_cast<size_t>(b)]) == cls) ++b;
  anchor_ = {p.line, a};
  cursor_ = clamp({p.line, b});
}

void TextBuffer::select_line(int line) {
  line = std::clamp(line, 0, line_count() - 1);
  anchor_ = {line, 0};
  cursor_ = line + 1 < line_count() ? TextPos{line + 1, 0} : TextPos{line, static_cast<int>(lines_[static_cast<size_t>(line)].size())};
}

int TextBuffer::prev_boundary(int line, int col) const {
  const std::string& l = lines_[static_cast<size_t>(line)];
  do --col;
  while (col > 0 && continuation(l[static_cast<size_t>(col)]));
  return col;
}

int TextBuffer::next_boundary(int line, int col) const {
  const std::string& l = lines_[static_cast<size_t>(line)];
  do ++col;
  while (col < static_cast<int>(l.size()) && continuation(l[static_cast<size_t>(col)]));
  return col;
}

int TextBuffer::display_col(int line, int col) const {
  const std::string& l = lines_[static_cast<size_t>(std::clamp(line, 0, line_count() - 1))];
  int n = 0;
  for (int i = 0; i < col && i < static_cast<int>(l.size()); ++i) n += continuation(l[static_cast<size_t>(i)]) ? 0 : 1;
  return n;
}

int TextBuffer::byte_col(int line, int dcol) const {
  const std::string& l = lines_[static_cast<size_t>(std::clamp(line, 0, line_count() - 1))];
  int i = 0, n = 0;
  while (i < static_cast<int>(l.size()) && n < dcol) {
    ++i;
    while (i < static_cast<int>(l.size()) && continuation(l[static_cast<size_t>(i)])) ++i;
    ++n;
  }
  return i;
}

void TextBuffer::move(Move m, bool select, int page_lines) {
  if (!select && has_selection() && (m == Move::Left || m == Move::Right)) {  // collapse to that side
    TextPos to = m == Move::Left ? selection_start() : selection_end();
    set_cursor(to);
    return;
  }
  TextPos p = cursor_;
  const std::string& l = lines_[static_cast<size_t>(p.line)];
  int keep = wanted_dcol_;
  auto vertical = [&](int delta) {
    int dcol = keep >= 0 ? keep : display_col(p.line, p.col);
    int target = std::clamp(p.line + delta, 0, line_count() - 1);
    if (target == p.line) {
      p.col = delta < 0 ? 0 : static_cast<int>(l.size());
    } else {
      p = {target, byte_col(target, dcol)};
    }
    keep = dcol;
  };
  switch (m) {
    case Move::Left:
      if (p.col > 0) p.col = prev_boundary(p.line, p.col);
      else if (p.line > 0) p = {p.line - 1, static_cast<int>(lines_[static_cast<size_t>(p.line - 1)].size())};
      break;
    case Move::Right:
      if (p.col < static_cast<int>(l.size())) p.col = next_boundary(p.line, p.col);
      else if (p.line + 1 < line_count()) p = {p.line + 1, 0};
      break;
    case Move::WordLeft:
      if (p.col == 0) {
        if (p.line > 0) p = {p.line - 1, static_cast<int>(lines_[static_cast<size_t>(p.line - 1)].size())};
        break;
      }
      while (p.col > 0 && char_class(l[static_cast<size_t>(p.col - 1)]) == 0) --p.col;
      if (p.col > 0) {
        int cls = char_class(l[static_cast<size_t>(p.col - 1)]);
        while (p.col > 0 && char_class(l[static_cast<size_t>(p.col - 1)]) == cls) --p.col;
      }
      break;
    case Move::WordRight: {
      int n = static_cast<int>(l.size());
      if (p.col == n) {
        if (p.line + 1 < line_count()) p = {p.line + 1, 0};
        break;
      }
      int cls = char_class(l[static_cast<size_t>(p.col)]);
      while (p.col < n && char_class(l[static_cast<size_t>(p.col)]) == cls) ++p.col;
      while (p.col < n && char_class(l[static_cast<size_t>(p.col)]) == 0) ++p.col;
      break;
    }
    case Move::Up: vertical(-1); break;
    case Move::Down: vertical(1); break;
    case Move::PageUp: vertical(-page_lines); break;
    case Move::PageDown: vertical(page_lines); break;
    case Move::LineStart: {
      // Home goes to the first non-space character, then to column 0.
      int first = indent_of(p.line);
      p.col = p.col == first ? 0 : first;
      break;
    }
    case Move::LineEnd: p.col = static_cast<int>(l.size()); break;
    case Move::DocStart: p = {0, 0}; break;
    case Move::DocEnd: p = {line_count() - 1, static_cast<int>(lines_.back().size())}; break;
  }
  set_cursor(p, select);
  if (m == Move::Up || m == Move::Down || m == Move::PageUp || m == Move::PageDown) wanted_dcol_ = keep;
}

int TextBuffer::indent_of(int line) const {
  const std::string& l = lines_[static_cast<size_t>(line)];
  int n = 0;
  while (n < static_cast<int>(l.size()) && l[static_cast<size_t>(n)] == ' ') ++n;
  return n;
}

void TextBuffer::insert(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      c = '\n';
    }
    if (c == '\t') {
      clean.append(kIndent, ' ');
      continue;
    }
    if (c == '\0') continue;
    clean += c;
  }
  edit(selection_start(), selection_end(), clean);
}

void TextBuffer::type(uint32_t cp) {
  if (cp == '\n' || cp == '\r') return newline();
  if (cp == '\t') return indent();
  if (cp < 0x20 || cp == 0x7F || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return;
  std::string s;
  append_utf8(s, cp);
  TextPos a = selection_start(), b = selection_end();
  const std::string& l = lines_[static_cast<size_t>(a.line)];
  if (cp == '}' && a == b && a.col > 0 && indent_of(a.line) == a.col && a.col == static_cast<int>(l.size())) {
    // `}` alone on its line closes a block: one level out.
    int to = std::max(0, a.col - kIndent);
    edit({a.line, to}, a, s);
    return;
  }
  edit(a, b, s, true);
}

void TextBuffer::newline() {
  TextPos a = selection_start(), b = selection_end();
  const std::string& l = lines_[static_cast<size_t>(a.line)];
  int base = std::min(indent_of(a.line), a.col);
  int i = a.col - 1;
  while (i >= 0 && l[static_cast<size_t>(i)] == ' ') --i;
  char before = i >= 0 ? l[static_cast<size_t>(i)] : '\0';
  bool opens = before == '{' || before == '(' || before == '[';
  const std::string& lb = lines_[static_cast<size_t>(b.line)];
  int j = b.col;
  while (j < static_cast<int>(lb.size()) && lb[static_cast<size_t>(j)] == ' ') ++j;
  char after = j < static_cast<int>(lb.size()) ? lb[static_cast<size_t>(j)] : '\0';
  bool closes = (before == '{' && after == '}') || (before == '(' && after == ')') || (before == '[' && after == ']');
  std::string text = "\n" + std::string(static_cast<size_t>(base + (opens ? kIndent : 0)), ' ');
  TextPos cursor{a.line + 1, base + (opens ? kIndent : 0)};
  if (closes) text += "\n" + std::string(static_cast<size_t>(base), ' ');
  // (the spaces between the cursor and a closing bracket go: it lands at the new line's indent)
  edit(a, closes ? TextPos{b.line, j} : b, text, false, &cursor);
}

void TextBuffer::backspace() {
  if (has_selection()) return edit(selection_start(), selection_end(), "");
  TextPos p = cursor_;
  if (p.col == 0) {
    if (p.line == 0) return;
    return edit({p.line - 1, static_cast<int>(lines_[static_cast<size_t>(p.line - 1)].size())}, p, "");
  }
  if (indent_of(p.line) >= p.col) {  // in leading spaces: back to the previous indent level
    int to = ((p.col - 1) / kIndent) * kIndent;
    return edit({p.line, to}, p, "");
  }
  edit({p.line, prev_boundary(p.line, p.col)}, p, "");
}

void TextBuffer::delete_forward() {
  if (has_selection()) return edit(selection_start(), selection_end(), "");
  TextPos p = cursor_;
  if (p.col < static_cast<int>(lines_[static_cast<size_t>(p.line)].size())) return edit(p, {p.line, next_boundary(p.line, p.col)}, "");
  if (p.line + 1 < line_count()) edit(p, {p.line + 1, 0}, "");
}

void TextBuffer::delete_line() {
  int a = selection_start().line, b = selection_end().line;
  TextPos from{a, 0}, to = b + 1 < line_count() ? TextPos{b + 1, 0} : TextPos{b, static_cast<int>(lines_[static_cast<size_t>(b)].size())};
  if (b + 1 >= line_count() && a > 0) from = {a - 1, static_cast<int>(lines_[static_cast<size_t>(a - 1)].size())};
  TextPos cursor{std::min(a, std::max(0, line_count() - 2)), 0};
  edit(from, to, "", false, &cursor);
}

void TextBuffer::indent() {
  if (!has_selection()) {
    int col = display_col(cursor_.line, cursor_.col);
    edit(cursor_, cursor_, std::string(static_cast<size_t>(kIndent - col % kIndent), ' '));
    return;
  }
  TextPos s = selection_start(), e = selection_end();
  int last = e.col == 0 && e.line > s.line ? e.line - 1 : e.line;
  std::string text;
  for (int l = s.line; l <= last; ++l) {
    if (l > s.line) text += '\n';
    const std::string& line = lines_[static_cast<size_t>(l)];
    text += (line.empty() ? "" : std::string(kIndent, ' ')) + line;
  }
  TextPos end{last, static_cast<int>(lines_[static_cast<size_t>(last)].size())};
  edit({s.line, 0}, end, text);
  anchor_ = {s.line, 0};
  cursor_ = {last, static_cast<int>(lines_[static_cast<size_t>(last)].size())};
}

void TextBuffer::outdent() {
  TextPos s = selection_start(), e = selection_end();
  int last = e.col == 0 && e.line > s.line ? e.line - 1 : e.line;
  std::string text;
  bool changed = false;
  for (int l = s.line; l <= last; ++l) {
    if (l > s.line) text += '\n';
    int cut = std::min(indent_of(l), kIndent);
    changed |= cut > 0;
    text += lines_[static_cast<size_t>(l)].substr(static_cast<size_t>(cut));
  }
  if (!changed) return;
  bool had_selection = has_selection();
  TextPos cursor = cursor_;
  int cut_here = std::min(indent_of(cursor.line), kIndent);
  edit({s.line, 0}, {last, static_cast<int>(lines_[static_cast<size_t>(last)].size())}, text);
  if (had_selection) {
    anchor_ = {s.line, 0};
    cursor_ = {last, static_cast<int>(lines_[static_cast<size_t>(last)].size())};
  } else {
    cursor_ = anchor_ = clamp({cursor.line, std::max(0, cursor.col - cut_here)});
  }
}

bool TextBuffer::undo() {
  if (undo_.empty()) return false;
  Edit e = std::move(undo_.back());
  undo_.pop_back();
  raw_replace(e.at, end_of(e.at, e.inserted), e.removed);
  cursor_ = e.cursor_before;
  anchor_ = e.anchor_before;
  e.typing = false;
  redo_.push_back(std::move(e));
  ++version_;
  return true;
}

bool TextBuffer::redo() {
  if (redo_.empty()) return false;
  Edit e = std::move(redo_.back());
  redo_.pop_back();
  raw_replace(e.at, end_of(e.at, e.removed), e.inserted);
  cursor_ = e.cursor_after;
  anchor_ = e.anchor_after;
  undo_.push_back(std::move(e));
  ++version_;
  return true;
}

std::vector<TextPos> TextBuffer::find_all(std::string_view needle) const {
  std::vector<TextPos> out;
  if (needle.empty() || needle.find('\n') != std::string_view::npos) return out;
  for (int l = 0; l < line_count(); ++l) {
    const std::string& s = lines_[static_cast<size_t>(l)];
    for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + needle.size()))
      out.push_back({l, static_cast<int>(at)});
  }
  return out;
}

bool TextBuffer::find(std::string_view needle, bool backwards) {
  std::vector<TextPos> all = find_all(needle);
  if (all.empty()) return false;
  TextPos from = backwards ? selection_start() : selection_end();
  TextPos hit;
  if (!backwards) {
    auto it = std::lower_bound(all.begin(), all.end(), from);
    hit = it == all.end() ? all.front() : *it;
  } else {
    auto it = std::lower_bound(all.begin(), all.end(), from);
    hit = it == all.begin() ? all.back() : *(it - 1);
  }
  anchor_ = hit;
  cursor_ = {hit.line, hit.col + static_cast<int>(needle.size())};
  return true;
}

}  // namespace loopscope::ui
