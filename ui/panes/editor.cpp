// The editor: our own widget over TextBuffer — syntax colours, line numbers, selection, the
// clipboard, undo, find, auto-indent; compile errors underlined as you type (checked a quarter of
// a second after the last key); a dot in the gutter on each line where a task waits at the cursor.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "runtime/script/compiler.hpp"
#include "ui/panes/panes.hpp"
#include "ui/panes/widgets.hpp"

namespace loopscope::ui {

namespace {

constexpr double kCheckDelay = 0.25;  // seconds after the last edit

Rgba style_colour(const Theme& th, Style s) {
  switch (s) {
    case Style::Keyword: return th.keyword;
    case Style::Number: return th.number;
    case Style::String: return th.string;
    case Style::Comment: return th.comment;
    case Style::Builtin: return th.function;
    case Style::Punctuation: return th.punctuation;
    case Style::Plain: break;
  }
  return th.text;
}

bool key(ImGuiKey k, bool repeat = true) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), repeat); }
bool letter(char c) { return ImGui::IsKeyPressed(static_cast<int>(c), false); }  // GLFW's key codes for letters

// Compiles the program when it changed (after a pause in typing) and reads its @profile line
// into the controls when that line changed.
void check(App& app) {
  EditorState& ed = app.ed;
  if (ed.checked_version == app.editor.version() || app.time - ed.changed_at < kCheckDelay) return;
  ed.checked_version = app.editor.version();
  std::string text = app.editor.text();
  auto source = std::make_shared<script::Source>("program.coro", text);
  script::Heap constants;
  ed.diagnostics.clear();
  script::compile(source, constants, ed.diagnostics);
  script::HeaderSettings h = script::read_header(text);
  std::string header = h.profile;
  for (const auto& [k, v] : h.options) header += " " + k + "=" + v;
  if (header != ed.header_seen) {
    ed.header_seen = header;
    if (script::parse_profile(h.profile)) app.controls.profile = h.profile;
    for (const auto& [k, v] : h.options) {
      char* end = nullptr;
      long n = std::strtol(v.c_str(), &end, 10);
      bool number = !v.empty() && *end == '\0';
      if (k == "workers" && number && n >= 1 && n <= 64) app.controls.workers = static_cast<int>(n);
      if (k == "seed" && number && n >= 0) app.controls.seed = static_cast<int>(n);
      if (k == "budget") {
        app.controls.budget_on = !(v == "off" || v == "0");
        if (number && n > 0) app.controls.budget = static_cast<int>(std::min<long>(n, 1'000'000));
      }
    }
  }
}

// Keys while the editor has the keyboard.
void handle_keys(App& app, int page_lines) {
  TextBuffer& b = app.editor;
  ImGuiIO& io = ImGui::GetIO();
  bool ctrl = io.KeyCtrl || io.KeySuper, shift = io.KeyShift;
  using M = TextBuffer::Move;
  auto mv = [&](M m) { b.move(m, shift, page_lines); };
  if (key(ImGuiKey_LeftArrow)) mv(ctrl ? M::WordLeft : M::Left);
  if (key(ImGuiKey_RightArrow)) mv(ctrl ? M::WordRight : M::Right);
  if (key(ImGuiKey_UpArrow)) mv(M::Up);
  if (key(ImGuiKey_DownArrow)) mv(M::Down);
  if (key(ImGuiKey_Home)) mv(ctrl ? M::DocStart : M::LineStart);
  if (key(ImGuiKey_End)) mv(ctrl ? M::DocEnd : M::LineEnd);
  if (key(ImGuiKey_PageUp)) mv(M::PageUp);
  if (key(ImGuiKey_PageDown)) mv(M::PageDown);
  if (key(ImGuiKey_Backspace)) b.backspace();
  if (key(ImGuiKey_Delete)) b.delete_forward();
  if ((key(ImGuiKey_Enter) || key(ImGuiKey_KeyPadEnter)) && !ctrl) b.newline();
  if (key(ImGuiKey_Tab)) shift ? b.outdent() : b.indent();
  if (ctrl) {
    if (letter('A')) b.select_all();
    if (letter('Z')) shift ? b.redo() : b.undo();
    if (letter('Y')) b.redo();
    if (letter('F')) {
      app.ed.find_open = true;
      app.ed.find_focus = true;
      if (b.has_selection() && b.selection_start().line == b.selection_end().line) app.ed.find_text = b.selected_text();
    }
    if (letter('K') && shift) b.delete_line();
    if (!app.platform.clipboard_events()) {  // the page's clipboard comes through the browser's events
      if (letter('C') && b.has_selection()) app.platform.set_clipboard(b.selected_text());
      if (letter('X') && b.has_selection()) {
        app.platform.set_clipboard(b.selected_text());
        b.insert("");
      }
      if (letter('V')) b.insert(app.platform.clipboard());
    }
  }
  if (!ctrl) {
    for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
      uint32_t c = io.InputQueueCharacters[i];
      // (16-bit ImWchar: a character beyond the BMP comes as a surrogate pair)
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < io.InputQueueCharacters.Size) {
        uint32_t lo = io.InputQueueCharacters[i + 1];
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
          ++i;
        }
      }
      if (c == '\t' || c == '\r' || c == '\n') continue;  // (handled as keys)
      b.type(c);
    }
  }
  io.InputQueueCharacters.resize(0);
}

void find_bar(App& app) {
  EditorState& ed = app.ed;
  ImGui::SetNextItemWidth(std::min(260.0f * app.scale, ImGui::GetContentRegionAvail().x * 0.5f));
  if (ed.find_focus) {
    ImGui::SetKeyboardFocusHere();
    ed.find_focus = false;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s", ed.find_text.c_str());
  bool enter = ImGui::InputTextWithHint("##find", "Find", buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue);
  ed.find_text = buf;
  if (enter) {
    app.editor.find(ed.find_text, ImGui::GetIO().KeyShift);
    ImGui::SetKeyboardFocusHere(-1);
  }
  ImGui::SameLine();
  size_t n = ed.find_text.empty() ? 0 : app.editor.find_all(ed.find_text).size();
  ImGui::TextDisabled("%zu match%s", n, n == 1 ? "" : "es");
  ImGui::SameLine();
  if (ImGui::SmallButton("Next")) app.editor.find(ed.find_text);
  ImGui::SameLine();
  if (ImGui::SmallButton("Close") || (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))) {
    ed.find_open = false;
    ed.focus_next = true;
  }
}

}  // namespace

void draw_editor(App& app, ImVec2 size) {
  const Theme& th = app.th();
  EditorState& ed = app.ed;
  TextBuffer& b = app.editor;
  check(app);

  ImGui::BeginChild("editor_pane", size, false, ImGuiWindowFlags_NoScrollbar);
  // Title row: the file, whether it compiles, find.
  pane_title(app, "Program");
  ImGui::SameLine();
  size_t errors = ed.checked_version == b.version() ? ed.diagnostics.size() : 0;
  if (ed.checked_version != b.version()) {
    ImGui::TextColored(col4(th.text_faint), "checking…");
  } else if (errors) {
    const script::Diagnostic& d = ed.diagnostics.front();
    std::string more = errors > 1 ? " (and " + std::to_string(errors - 1) + " more)" : "";
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(col4(th.error), "line %u:%u: %s%s", d.line, d.col, d.message.c_str(), more.c_str());
    ImGui::PopTextWrapPos();
  } else {
    ImGui::TextColored(col4(th.ok), "compiles");
  }
  if (ed.find_open) find_bar(app);

  // The code.
  ImGui::PushStyleColor(ImGuiCol_ChildBg, col4(th.panel));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::BeginChild("code", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoNav);
  ImGui::PushFont(fonts().mono);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line_h = ImGui::GetTextLineHeight() * 1.35f;
  const float advance = ImGui::GetFont()->GetCharAdvance('M');  // (CalcTextSize rounds up)
  const int lines = b.line_count();
  const int digits = std::max(2, static_cast<int>(std::log10(std::max(lines, 1))) + 1);
  const float marker_w = 18 * app.scale;
  const float gutter = marker_w + digits * advance + 14 * app.scale;
  const ImVec2 origin = ImGui::GetCursorScreenPos();  // the top-left of line 0 (scrolled)
  const float scroll_y = ImGui::GetScrollY();
  const float view_h = ImGui::GetWindowHeight();
  const float text_x = origin.x + gutter;
  auto line_y = [&](int l) { return origin.y + l * line_h + 4 * app.scale; };
  auto x_of = [&](TextPos p) { return text_x + b.display_col(p.line, p.col) * advance; };
  int first = std::max(0, static_cast<int>(scroll_y / line_h) - 1);
  int last = std::min(lines - 1, static_cast<int>((scroll_y + view_h) / line_h) + 1);

  // Content size (for scrolling) and the mouse.
  float max_w = 0;
  for (int l = first; l <= last; ++l) max_w = std::max(max_w, static_cast<float>(b.display_col(l, static_cast<int>(b.lines()[l].size()))));
  ImGui::InvisibleButton("text", ImVec2(std::max(ImGui::GetContentRegionAvail().x, gutter + (max_w + 4) * advance),
                                         std::max(view_h, lines * line_h + view_h * 0.5f)));
  bool focused = ImGui::IsWindowFocused();
  if (ed.focus_next) {
    ImGui::SetWindowFocus();
    ed.focus_next = false;
    focused = true;
  }
  ImVec2 mouse = ImGui::GetMousePos();
  auto pos_at = [&](ImVec2 m) {
    int l = std::clamp(static_cast<int>((m.y - origin.y - 4 * app.scale) / line_h), 0, lines - 1);
    int dcol = std::max(0, static_cast<int>(std::lround((m.x - text_x) / advance)));
    return TextPos{l, b.byte_col(l, dcol)};
  };
  if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(mouse.x > text_x ? ImGuiMouseCursor_TextInput : ImGuiMouseCursor_Arrow);
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
    TextPos p = pos_at(mouse);
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) b.select_word_at(p);
    else if (mouse.x < text_x) b.select_line(p.line);
    else b.set_cursor(p, ImGui::GetIO().KeyShift);
    ed.dragging = mouse.x >= text_x && !ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left);
    ed.blink = app.time;
  }
  if (ed.dragging) {
    if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) b.set_cursor(pos_at(mouse), true);
    else ed.dragging = false;
  }
  uint64_t version = b.version();
  TextPos cursor_before = b.cursor();
  if (focused) handle_keys(app, std::max(1, static_cast<int>(view_h / line_h) - 2));
  if (b.version() != version) ed.changed_at = app.time;
  if (b.version() != version || b.cursor() != cursor_before) {
    ed.blink = app.time;
    // Keep the caret in view.
    float cy = b.cursor().line * line_h;
    if (cy < scroll_y) ImGui::SetScrollY(cy);
    else if (cy + 2 * line_h > scroll_y + view_h) ImGui::SetScrollY(cy + 2 * line_h - view_h);
    float cx = gutter + b.display_col(b.cursor().line, b.cursor().col) * advance;
    float sx = ImGui::GetScrollX(), vw = ImGui::GetWindowWidth();
    if (cx - gutter < sx) ImGui::SetScrollX(std::max(0.0f, cx - gutter - advance * 4));
    else if (cx + advance * 2 > sx + vw) ImGui::SetScrollX(cx + advance * 4 - vw);
  }
  if (ed.colours_version != b.version()) {
    ed.colours = highlight(b.text());
    ed.colours_version = b.version();
  }

  // Where tasks wait at the cursor: a dot per task in the gutter (from the snapshot, when the
  // viewer has stopped on an event).
  std::map<int, std::vector<uint64_t>> waiting;
  if (!app.rec.playing() && app.rec.has_snapshot_cached())
    for (const script::Snapshot::Task& t : app.rec.snapshot()->tasks)
      if (t.line > 0) waiting[static_cast<int>(t.line) - 1].push_back(t.id);
  std::map<int, const script::Diagnostic*> diag_at;
  if (ed.checked_version == b.version())
    for (const script::Diagnostic& d : ed.diagnostics)
      if (d.line > 0) diag_at.emplace(static_cast<int>(d.line) - 1, &d);

  const ImVec2 win = ImGui::GetWindowPos();
  const float win_w = ImGui::GetWindowWidth();
  TextPos s0 = b.selection_start(), s1 = b.selection_end();
  std::vector<TextPos> matches = ed.find_open ? b.find_all(ed.find_text) : std::vector<TextPos>{};
  for (int l = first; l <= last; ++l) {
    float y = line_y(l);
    const std::string& text = b.lines()[l];
    bool current = l == b.cursor().line;
    if (app.marked_line && static_cast<int>(app.marked_line) - 1 == l)
      dl->AddRectFilled(ImVec2(win.x, y - 2), ImVec2(win.x + win_w, y + line_h - 2), col(th.cursor.with_alpha(44)));
    else if (current && focused)
      dl->AddRectFilled(ImVec2(win.x, y - 2), ImVec2(win.x + win_w, y + line_h - 2), col(th.panel_alt));
    // Selection.
    if (s0 != s1 && l >= s0.line && l <= s1.line) {
      float xa = l == s0.line ? x_of(s0) : text_x;
      float xb = l == s1.line ? x_of(s1) : text_x + (b.display_col(l, static_cast<int>(text.size())) + 0.5f) * advance;
      dl->AddRectFilled(ImVec2(xa, y - 1), ImVec2(xb, y + line_h - 3), col(th.selection));
    }
    for (const TextPos& m : matches)
      if (m.line == l)
        dl->AddRect(ImVec2(x_of(m) - 1, y - 1), ImVec2(x_of({l, m.col + static_cast<int>(ed.find_text.size())}) + 1, y + line_h - 3),
                    col(th.warning), 2);
    // Gutter: the number, an error mark, the waiting tasks.
    std::string num = std::to_string(l + 1);
    num.insert(0, static_cast<size_t>(std::max(0, digits - static_cast<int>(num.size()))), ' ');
    dl->AddText(ImVec2(origin.x + marker_w, y), col(current ? th.text_dim : th.text_faint), num.c_str());
    auto w = waiting.find(l);
    if (w != waiting.end()) {
      float x = origin.x + 4 * app.scale;
      for (size_t k = 0; k < w->second.size() && k < 3; ++k)
        dl->AddCircleFilled(ImVec2(x + 3 * app.scale + k * 4 * app.scale, y + line_h * 0.38f), 3.6f * app.scale,
                            col(task_colour(w->second[k], th)));
      ImVec2 g0(origin.x, y), g1(origin.x + marker_w, y + line_h);
      if (ImGui::IsMouseHoveringRect(g0, g1)) {
        std::string tip = "Waiting here at the cursor:";
        for (uint64_t t : w->second) tip += "\n  " + task_short(app, t);
        ImGui::SetTooltip("%s", tip.c_str());
      }
    }
    auto d = diag_at.find(l);
    if (d != diag_at.end()) dl->AddCircleFilled(ImVec2(origin.x + marker_w - 5 * app.scale, y + line_h * 0.38f), 3 * app.scale, col(th.error));
    // The text, run by run.
    const std::vector<StyleRun>* runs = l < static_cast<int>(ed.colours.size()) ? &ed.colours[l] : nullptr;
    int at = 0;
    auto draw = [&](int from, int to, Rgba c) {
      if (to <= from) return;
      dl->AddText(ImVec2(text_x + b.display_col(l, from) * advance, y), col(c), text.data() + from, text.data() + to);
    };
    if (runs)
      for (const StyleRun& r : *runs) {
        if (r.col > at) draw(at, r.col, th.text);
        draw(r.col, std::min(r.col + r.len, static_cast<int>(text.size())), style_colour(th, r.style));
        at = std::max(at, r.col + r.len);
      }
    draw(at, static_cast<int>(text.size()), th.text);
    // A compile error: a wavy underline; its message on hover.
    if (d != diag_at.end()) {
      int c0 = std::max(0, static_cast<int>(d->second->col) - 1);
      int c1 = c0 + static_cast<int>(std::max<uint32_t>(d->second->length, 1));
      float xa = text_x + c0 * advance, xb = std::max(text_x + c1 * advance, xa + advance);
      float uy = y + line_h - 5 * app.scale;
      for (float x = xa; x < xb; x += 4 * app.scale)
        dl->AddLine(ImVec2(x, uy), ImVec2(std::min(x + 2 * app.scale, xb), uy + 2 * app.scale), col(th.error), 1.4f * app.scale),
            dl->AddLine(ImVec2(std::min(x + 2 * app.scale, xb), uy + 2 * app.scale), ImVec2(std::min(x + 4 * app.scale, xb), uy), col(th.error),
                        1.4f * app.scale);
      if (ImGui::IsMouseHoveringRect(ImVec2(origin.x, y), ImVec2(win.x + win_w, y + line_h))) {
        ImGui::BeginTooltip();
        ImGui::PushStyleColor(ImGuiCol_Text, col4(th.error));
        ImGui::Text("line %u:%u", d->second->line, d->second->col);
        ImGui::PopStyleColor();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
        ImGui::TextUnformatted(d->second->message.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
    }
  }
  // The caret.
  if (focused && std::fmod(app.time - ed.blink, 1.0) < 0.6) {
    TextPos c = b.cursor();
    float x = x_of(c), y = line_y(c.line);
    dl->AddRectFilled(ImVec2(x, y - 1), ImVec2(x + 2 * app.scale, y + line_h - 3), col(th.accent));
  }
  if (focused) ImGui::GetIO().WantTextInput = true;
  ed.has_focus = focused || ed.find_open;
  ImGui::PopFont();
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  ImGui::EndChild();
}

}  // namespace loopscope::ui
