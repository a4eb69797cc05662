// The editor's text: lines, a cursor and a selection, and every edit a code editor makes —
// typing, Enter with auto-indent, Backspace and Delete, Tab and Shift+Tab over a selection, cut,
// paste, undo and redo, find. Plain data, tested without a GPU; ui/panes/editor.cpp draws it and
// turns keys into these calls.
//
// Positions are (line, byte column), 0-based; the cursor never stops inside a UTF-8 sequence.
// Typing merges into one undo step until the cursor jumps or another kind of edit comes.
//
//   TextBuffer b("let x = 1\n");
//   b.set_cursor({0, 9}); b.newline(); b.insert("print(x)");
//   b.undo();  // the typing goes; b.redo() brings it back
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::ui {

struct TextPos {
  int line = 0;
  int col = 0;  // bytes into the line
  auto operator<=>(const TextPos&) const = default;
};

class TextBuffer {
 public:
  static constexpr int kIndent = 2;  // spaces per level, as in the gallery

  explicit TextBuffer(std::string_view text = "");

  std::string text() const;
  // Replaces everything; the cursor goes to the start and the undo history is cleared.
  void set_text(std::string_view text);
  const std::vector<std::string>& lines() const noexcept { return lines_; }
  int line_count() const noexcept { return static_cast<int>(lines_.size()); }
  // Changes with every edit (a checker compiles again only when it changed).
  uint64_t version() const noexcept { return version_; }

  // --- cursor and selection -----------------------------------------------------------------
  TextPos cursor() const noexcept { return cursor_; }
  TextPos anchor() const noexcept { return anchor_; }
  bool has_selection() const noexcept { return cursor_ != anchor_; }
  TextPos selection_start() const noexcept { return std::min(cursor_, anchor_); }
  TextPos selection_end() const noexcept { return std::max(cursor_, anchor_); }
  std::string selected_text() const;
  // Moves the cursor (clamped to the text, and to a character boundary); `select` keeps the anchor.
  void set_cursor(TextPos p, bool select = false);
  void select_all();
  void select_word_at(TextPos p);
  void select_line(int line);

  enum class Move { Left, Right, WordLeft, WordRight, Up, Down, LineStart, LineEnd, DocStart, DocEnd, PageUp, PageDown };
  void move(Move m, bool select, int page_lines = 20);

  // --- editing (each undoable) ----------------------------------------------------------------
  // Replaces the selection with `text` (line breaks normalised to \n; tabs become spaces).
  void insert(std::string_view text);
  // One typed character: merges with the typing before it into one undo step; a `}` typed on a
  // line of nothing but spaces takes one indent level off.
  void type(uint32_t codepoint);
  // Enter: a new line indented like this one, one level more after `{`, `(` or `[`; Enter between
  // `{` and `}` puts the `}` on a line of its own.
  void newline();
  void backspace();     // deletes the selection, or the character before (a whole indent level in leading spaces)
  void delete_forward();
  void delete_line();
  void indent();        // Tab: the selection's lines one level in; without one, spaces to the next level
  void outdent();       // Shift+Tab: the current or selected lines one level out
  bool undo();
  bool redo();

  // --- find -----------------------------------------------------------------------------------
  // Selects the next occurrence of `needle` after the cursor (or the previous one, before the
  // selection), wrapping around; false when there is none.
  bool find(std::string_view needle, bool backwards = false);
  // Where `needle` occurs (for highlighting every match).
  std::vector<TextPos> find_all(std::string_view needle) const;

  // Characters (code points) before byte `col` of `line`: the column a monospace font draws at.
  int display_col(int line, int col) const;
  // The byte column of display column `dcol` on `line` (clamped to the line).
  int byte_col(int line, int dcol) const;

 private:
  struct Edit {
    TextPos at;
    std::string removed, inserted;
    TextPos cursor_before, anchor_before, cursor_after, anchor_after;
    bool typing = false;
  };
  TextPos clamp(TextPos p) const;
  TextPos end_of(TextPos at, std::string_view inserted) const;
  std::string range_text(TextPos a, TextPos b) const;
  TextPos raw_replace(TextPos a, TextPos b, std::string_view text);
  // Replaces [a, b) with `text` as one undoable edit and puts the cursor at `cursor_after`
  // (default: after the inserted text).
  void edit(TextPos a, TextPos b, std::string_view text, bool typing = false, const TextPos* cursor_after = nullptr);
  int prev_boundary(int line, int col) const;
  int next_boundary(int line, int col) const;
  int indent_of(int line) const;

  std::vector<std::string> lines_{std::string()};
  TextPos cursor_, anchor_;
  int wanted_dcol_ = -1;  // the display column Up/Down try to keep
  std::vector<Edit> undo_, redo_;
  uint64_t version_ = 0;
};

}  // namespace loopscope::ui
