// The editor's buffer: the edits of a code editor, undo and redo, indentation, UTF-8, find.
#include <doctest/doctest.h>

#include "ui/model/syntax.hpp"
#include "ui/model/text_buffer.hpp"

using namespace loopscope::ui;

TEST_CASE("typing, Enter with auto-indent and a closing brace on its own line") {
  TextBuffer b;
  for (char c : std::string("async fn f() {")) b.type(static_cast<unsigned char>(c));
  b.newline();
  CHECK(b.cursor() == TextPos{1, 2});
  for (char c : std::string("await sleep(1)")) b.type(static_cast<unsigned char>(c));
  b.newline();
  CHECK(b.lines()[2] == "  ");
  b.type('}');
  CHECK(b.text() == "async fn f() {\n  await sleep(1)\n}");
  // Enter between braces opens an indented line and puts the brace below it.
  TextBuffer c("if x {}");
  c.set_cursor({0, 6});
  c.newline();
  CHECK(c.text() == "if x {\n  \n}");
  CHECK(c.cursor() == TextPos{1, 2});
}

TEST_CASE("undo and redo: typing is one step per word, other edits one each") {
  TextBuffer b("let x = 1");
  b.set_cursor({0, 9});
  for (char c : std::string("23 + 4")) b.type(static_cast<unsigned char>(c));
  CHECK(b.text() == "let x = 123 + 4");
  REQUIRE(b.undo());
  CHECK(b.text() == "let x = 123 + ");
  REQUIRE(b.undo());
  CHECK(b.text() == "let x = 123 ");
  REQUIRE(b.undo());
  CHECK(b.text() == "let x = 1");
  CHECK(!b.undo());
  REQUIRE(b.redo());
  CHECK(b.text() == "let x = 123 ");
  b.backspace();
  CHECK(b.text() == "let x = 123");
  CHECK(!b.redo());  // a new edit drops what could be redone
  b.undo();
  CHECK(b.text() == "let x = 123 ");
  CHECK(b.cursor() == TextPos{0, 12});
}

TEST_CASE("selection: replace, cut-style delete, select all, words and lines") {
  TextBuffer b("print(a, b)\nprint(c)");
  b.set_cursor({0, 6});
  b.set_cursor({0, 10}, true);
  CHECK(b.selected_text() == "a, b");
  b.insert("x");
  CHECK(b.text() == "print(x)\nprint(c)");
  b.select_all();
  CHECK(b.selected_text() == "print(x)\nprint(c)");
  b.select_word_at({1, 2});
  CHECK(b.selected_text() == "print");
  b.select_line(0);
  CHECK(b.selected_text() == "print(x)\n");
  b.backspace();
  CHECK(b.text() == "print(c)");
}

TEST_CASE("Tab and Shift+Tab: spaces to the next level, or every selected line in and out") {
  TextBuffer b("a\nb\nc");
  b.set_cursor({0, 0});
  b.set_cursor({1, 1}, true);
  b.indent();
  CHECK(b.text() == "  a\n  b\nc");
  b.indent();
  b.outdent();
  CHECK(b.text() == "  a\n  b\nc");
  b.outdent();
  CHECK(b.text() == "a\nb\nc");
  TextBuffer c("x");
  c.set_cursor({0, 1});
  c.indent();
  CHECK(c.text() == "x ");  // to the next multiple of two
  TextBuffer d("    y");
  d.set_cursor({0, 4});
  d.backspace();  // in leading spaces: a whole level
  CHECK(d.text() == "  y");
}

TEST_CASE("paste normalises line breaks and tabs; the cursor steps over whole UTF-8 characters") {
  TextBuffer b;
  b.insert("a\r\nb\rc\td");
  CHECK(b.text() == "a\nb\nc  d");
  TextBuffer u("é😀x");
  u.set_cursor({0, 0});
  u.move(TextBuffer::Move::Right, false);
  CHECK(u.cursor().col == 2);
  u.move(TextBuffer::Move::Right, false);
  CHECK(u.cursor().col == 6);
  CHECK(u.display_col(0, 6) == 2);
  CHECK(u.byte_col(0, 2) == 6);
  u.backspace();
  CHECK(u.text() == "éx");
  u.set_cursor({0, 1});  // inside a character: clamped to its start
  CHECK(u.cursor().col == 0);
}

TEST_CASE("moving: words, Home to the indent then column 0, Up and Down keep the column") {
  TextBuffer b("  let total = 10\nx\n  print(total)");
  b.set_cursor({0, 16});
  b.move(TextBuffer::Move::WordLeft, false);
  CHECK(b.cursor().col == 14);
  b.move(TextBuffer::Move::WordLeft, false);
  CHECK(b.cursor().col == 12);
  b.move(TextBuffer::Move::LineStart, false);
  CHECK(b.cursor().col == 2);
  b.move(TextBuffer::Move::LineStart, false);
  CHECK(b.cursor().col == 0);
  b.set_cursor({0, 10});
  b.move(TextBuffer::Move::Down, false);
  CHECK(b.cursor() == TextPos{1, 1});
  b.move(TextBuffer::Move::Down, false);
  CHECK(b.cursor() == TextPos{2, 10});  // the column it came from
  b.move(TextBuffer::Move::DocStart, true);
  CHECK(b.selection_start() == TextPos{0, 0});
}

TEST_CASE("find selects the next match and wraps around; delete_line") {
  TextBuffer b("ch.send(1)\nch.recv()\nch.send(2)");
  REQUIRE(b.find("send"));
  CHECK(b.selection_start() == TextPos{0, 3});
  REQUIRE(b.find("send"));
  CHECK(b.selection_start() == TextPos{2, 3});
  REQUIRE(b.find("send"));
  CHECK(b.selection_start() == TextPos{0, 3});
  REQUIRE(b.find("send", true));
  CHECK(b.selection_start() == TextPos{2, 3});
  CHECK(!b.find("nothing"));
  CHECK(b.find_all("ch.").size() == 3);
  b.set_cursor({1, 2});
  b.delete_line();
  CHECK(b.text() == "ch.send(1)\nch.send(2)");
}

TEST_CASE("syntax colours come from the language's own lexer; comments fill the gaps") {
  auto lines = highlight("// hi\nlet x = \"s\" /* c */ + 12\nawait sleep(1)");
  REQUIRE(lines.size() == 3);
  REQUIRE(lines[0].size() == 1);
  CHECK(lines[0][0].style == Style::Comment);
  CHECK(lines[0][0].len == 5);
  std::vector<Style> second;
  for (const StyleRun& r : lines[1]) second.push_back(r.style);
  CHECK(second == std::vector<Style>{Style::Keyword, Style::Punctuation, Style::String, Style::Comment, Style::Punctuation, Style::Number});
  CHECK(lines[2][0].style == Style::Keyword);  // await
  CHECK(lines[2][1].style == Style::Builtin);  // sleep
  // A half-typed program still colours what it can.
  auto broken = highlight("let s = \"unterminated\nprint(1)");
  CHECK(broken.size() == 2);
}
