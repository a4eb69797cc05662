#include "ui/app.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "runtime/script/json.hpp"
#include "runtime/util/json_string.hpp"
#include "ui/assets/gallery.hpp"
#include "ui/panes/panes.hpp"
#include "ui/panes/widgets.hpp"

namespace loopscope::ui::embedded {
extern const unsigned char inter_regular[], inter_semibold[], jetbrains_mono[];
extern const size_t inter_regular_size, inter_semibold_size, jetbrains_mono_size;
}  // namespace loopscope::ui::embedded

namespace loopscope::ui {

// --- settings ---------------------------------------------------------------------------------

script::SettingList Controls::overrides() const {
  script::SettingList out = {{"profile", profile}, {"seed", std::to_string(seed)}};
  if (profile == "tokio" || profile == "go") out.emplace_back("workers", std::to_string(workers));
  if (profile == "tokio") out.emplace_back("budget", budget_on ? std::to_string(budget) : "off");
  out.emplace_back("real", real ? "true" : "false");
  return out;
}

std::string Controls::json(const std::string& source) const {
  std::string out = "{\"src\":" + json_quote(source) + ",\"profile\":" + json_quote(profile) + ",\"workers\":" + std::to_string(workers) +
                    ",\"seed\":" + std::to_string(seed) + ",\"budget\":" + (budget_on ? std::to_string(budget) : "\"off\"") +
                    ",\"real\":" + (real ? "true" : "false") + "}";
  return out;
}

// --- actions ----------------------------------------------------------------------------------

bool app_load(App& app, const std::string& source, const std::string& settings_json, std::string* error) {
  std::string err;
  auto overrides = script::settings_from_json(settings_json.empty() ? "{}" : settings_json, err);
  script::RunOptions checked;
  if (overrides) err = script::resolve_settings(source, *overrides, checked);
  if (!overrides || !err.empty()) {
    if (error) *error = err;
    return false;
  }
  app.editor.set_text(source);
  app.ed = EditorState();
  app.ed.focus_next = true;
  app.ed.changed_at = -1;  // checked at once
  app.rec.clear();
  app.selected_task = 0;
  app.marked_line = 0;
  app.follow = true;
  app.shown.reset();
  app.previous.reset();
  app.shown_snapshot = UINT64_MAX;
  // The controls: the program's header, then the settings given.
  Controls c;
  c.profile = script::Profile::Basic == checked.profile ? "basic" : checked.profile == script::Profile::Node ? "node"
              : checked.profile == script::Profile::Tokio                                      ? "tokio"
                                                                                               : "go";
  if (checked.workers) c.workers = static_cast<int>(checked.workers);
  c.seed = static_cast<int>(std::min<uint64_t>(checked.seed, 1u << 30));
  if (checked.budget) {
    c.budget_on = *checked.budget != 0;
    if (*checked.budget) c.budget = static_cast<int>(*checked.budget);
  }
  c.real = checked.real;
  app.controls = c;
  script::HeaderSettings h = script::read_header(source);
  app.ed.header_seen = h.profile;
  for (const auto& [k, v] : h.options) app.ed.header_seen += " " + k + "=" + v;
  app.selected_example.clear();
  return true;
}

bool app_load_example(App& app, const std::string& name) {
  const Example* e = find_example(name);
  if (!e) return false;
  app_load(app, e->source, "{}", nullptr);
  app.selected_example = e->name;
  return true;
}

void app_run(App& app) {
  script::RunOptions o;
  std::string text = app.editor.text();
  std::string err = script::resolve_settings(text, app.controls.overrides(), o);
  if (!err.empty()) {
    app.banner = "Cannot run: " + err;
    return;
  }
  app.banner.clear();
  double speed = app.rec.speed();
  app.rec.start(text, o);
  app.rec.set_speed(speed);
  app.follow = true;
  // Node's story is the order of callbacks and microtasks, mostly within a microsecond: the
  // event-order axis shows it; the others start on the time axis.
  app.event_axis = o.profile == script::Profile::Node;
  app.marked_line = 0;
  app.shown.reset();
  app.previous.reset();
  app.shown_snapshot = UINT64_MAX;
  // The check of what was run (its diagnostics mark the editor at once).
  app.ed.checked_version = UINT64_MAX;
  app.ed.changed_at = -1;
}

void app_set_theme(App& app, ThemeName name) {
  app.theme_name = name;
  const Theme& th = app.th();
  ImGuiStyle& st = ImGui::GetStyle();
  if (name == ThemeName::Dark) ImGui::StyleColorsDark(&st);
  else ImGui::StyleColorsLight(&st);
  ImVec4* c = st.Colors;
  c[ImGuiCol_WindowBg] = col4(th.background);
  c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_PopupBg] = col4(th.panel_alt);
  c[ImGuiCol_Border] = col4(th.border);
  c[ImGuiCol_Text] = col4(th.text);
  c[ImGuiCol_TextDisabled] = col4(th.text_faint);
  c[ImGuiCol_FrameBg] = col4(th.panel_alt);
  c[ImGuiCol_FrameBgHovered] = col4(mix(th.panel_alt, th.accent, 0.15f));
  c[ImGuiCol_FrameBgActive] = col4(mix(th.panel_alt, th.accent, 0.25f));
  c[ImGuiCol_Button] = col4(th.panel_alt);
  c[ImGuiCol_ButtonHovered] = col4(mix(th.panel_alt, th.accent, 0.2f));
  c[ImGuiCol_ButtonActive] = col4(mix(th.panel_alt, th.accent, 0.35f));
  c[ImGuiCol_Header] = col4(mix(th.panel_alt, th.accent, 0.18f));
  c[ImGuiCol_HeaderHovered] = col4(mix(th.panel_alt, th.accent, 0.28f));
  c[ImGuiCol_HeaderActive] = col4(mix(th.panel_alt, th.accent, 0.38f));
  c[ImGuiCol_Tab] = col4(th.panel_alt);
  c[ImGuiCol_TabHovered] = col4(mix(th.panel_alt, th.accent, 0.3f));
  c[ImGuiCol_TabActive] = col4(th.panel);
  c[ImGuiCol_TitleBg] = col4(th.panel_alt);
  c[ImGuiCol_TitleBgActive] = col4(th.panel_alt);
  c[ImGuiCol_SliderGrab] = col4(th.accent);
  c[ImGuiCol_SliderGrabActive] = col4(th.accent);
  c[ImGuiCol_CheckMark] = col4(th.accent);
  c[ImGuiCol_Separator] = col4(th.border);
  c[ImGuiCol_SeparatorHovered] = col4(th.accent);
  c[ImGuiCol_SeparatorActive] = col4(th.accent);
  c[ImGuiCol_TableHeaderBg] = col4(th.panel_alt);
  c[ImGuiCol_TableRowBgAlt] = col4(th.panel_alt.with_alpha(90));
  c[ImGuiCol_TableBorderLight] = col4(th.border);
  c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_TextSelectedBg] = col4(th.selection);
}

void app_setup_fonts(App& app, float scale) {
  app.scale = scale;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // (static data)
  cfg.OversampleH = 2;
  auto add = [&](const unsigned char* data, size_t size, float px) {
    return io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(data), static_cast<int>(size), px * scale, &cfg,
                                          io.Fonts->GetGlyphRangesDefault());
  };
  static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x2013, 0x2026, 0x2190, 0x2193, 0x2212, 0x2212, 0};
  auto add_ranges = [&](const unsigned char* data, size_t size, float px) {
    return io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(data), static_cast<int>(size), px * scale, &cfg, kRanges);
  };
  Fonts& f = fonts();
  f.ui = add_ranges(embedded::inter_regular, embedded::inter_regular_size, 14.5f);
  f.ui_bold = add_ranges(embedded::inter_semibold, embedded::inter_semibold_size, 14.5f);
  f.mono = add_ranges(embedded::jetbrains_mono, embedded::jetbrains_mono_size, 14.0f);
  f.small = add_ranges(embedded::inter_regular, embedded::inter_regular_size, 12.0f);
  (void)add;
  io.FontDefault = f.ui;
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  st.WindowRounding = 6;
  st.ChildRounding = 4;
  st.FrameRounding = 5;
  st.PopupRounding = 6;
  st.GrabRounding = 4;
  st.TabRounding = 5;
  st.ScrollbarRounding = 6;
  st.FramePadding = ImVec2(8, 5);
  st.ItemSpacing = ImVec2(8, 6);
  st.WindowPadding = ImVec2(10, 8);
  st.ScrollbarSize = 11;
  st.WindowBorderSize = 1;
  st.ChildBorderSize = 0;
  st.ScaleAllSizes(scale);
  app_set_theme(app, app.theme_name);
}

std::string app_copy(App& app, bool cut) {
  if (!app.editor.has_selection()) return "";
  std::string text = app.editor.selected_text();
  if (cut) app.editor.insert("");
  return text;
}

void app_paste(App& app, const std::string& text) {
  app.editor.insert(text);
  app.ed.focus_next = true;
  app.ed.changed_at = app.time;
}

std::string app_state_json(const App& app) {
  const Recording& r = app.rec;
  char buf[256];
  std::snprintf(buf, sizeof buf, "{\"events\":%llu,\"cursor\":%llu,\"ended\":%s,\"exitCode\":%d,\"playing\":%s,\"profile\":",
                static_cast<unsigned long long>(r.events()), static_cast<unsigned long long>(r.cursor()),
                r.started() && r.recording_ended() ? "true" : "false", r.exit_status(), r.playing() ? "true" : "false");
  std::string profile = r.session() ? script::profile_name(r.session()->options().profile) : app.controls.profile;
  bool real = r.session() ? r.session()->real() : app.controls.real;
  std::string diags = "[";
  for (const script::Diagnostic& d : app.ed.diagnostics)
    diags += (diags.size() > 1 ? "," : "") + std::string("{\"line\":") + std::to_string(d.line) + ",\"col\":" + std::to_string(d.col) +
             ",\"message\":" + json_quote(d.message) + "}";
  return std::string(buf) + json_quote(profile) + ",\"real\":" + (real ? "true" : "false") + ",\"diagnostics\":" + diags + "],\"selectedTask\":" + std::to_string(app.selected_task) +
         ",\"theme\":" + (app.theme_name == ThemeName::Dark ? "\"dark\"" : "\"light\"") + ",\"banner\":" + json_quote(app.banner) +
         ",\"source\":" + json_quote(app.editor.text()) + ",\"checked\":" + (app.ed.checked_version == app.editor.version() ? "true" : "false") + "}";
}

std::string app_warnings_json(App& app) {
  std::string out = "[";
  const Session* s = app.rec.session();
  if (s && s->ended())
    for (const Lint& l : s->result().lints)
      out += (out.size() > 1 ? "," : "") + std::string("{\"kind\":") + json_quote(l.kind) + ",\"task\":" + std::to_string(l.task) +
             ",\"timeNs\":" + std::to_string(l.time_ns) + ",\"message\":" + json_quote(l.message) + "}";
  if (s && !s->ended())
    for (const Session::Starving& st : s->starving())
      out += (out.size() > 1 ? "," : "") + std::string("{\"kind\":\"starving_task\",\"task\":") + std::to_string(st.task) +
             ",\"message\":" + json_quote(st.about + " has run " + std::to_string(static_cast<int>(st.ms)) + " ms without yielding") + "}";
  return out + "]";
}

// --- the frame ----------------------------------------------------------------------------------

namespace {

// Shortcuts that work everywhere (Ctrl+Enter), and those that belong to the timeline when the
// editor does not have the keyboard.
void shortcuts(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  auto key = [](ImGuiKey k, bool repeat = true) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), repeat); };
  if ((io.KeyCtrl || io.KeySuper) && (key(ImGuiKey_Enter, false) || key(ImGuiKey_KeyPadEnter, false))) app_run(app);
  if (app.ed.has_focus) {
    if (key(ImGuiKey_Escape, false) && !app.ed.find_open) ImGui::SetWindowFocus(nullptr);
    return;
  }
  if (io.WantTextInput) return;  // another text field (find, numbers)
  Recording& r = app.rec;
  if (!r.started()) return;
  if (key(ImGuiKey_Space, false)) {
    if (r.playing()) r.pause();
    else {
      if (r.at_end()) r.seek(0);
      r.play();
    }
  }
  if (key(ImGuiKey_RightArrow)) {
    r.pause();
    io.KeyShift ? r.step_poll() : r.step(1);
  }
  if (key(ImGuiKey_LeftArrow)) r.pause(), r.step(-1);
  if (key(ImGuiKey_Home, false)) r.pause(), r.seek(0);
  if (key(ImGuiKey_End, false)) r.pause(), r.seek(UINT64_MAX);
}

// Keeps the cursor in the timeline's view when the viewer steps past its edge.
void keep_cursor_visible(App& app) {
  if (app.follow || !app.rec.started()) return;
  double t = static_cast<double>(app.rec.cursor_time());
  View& v = app.view;
  if (t < v.t0() || t > v.t1()) v.u0 = v.u_of_event(app.rec.cursor(), t) - v.width_px * v.per_px * 0.3;
}

}  // namespace

void app_frame(App& app, double dt) {
  app.time += dt;
  ++app.frames;
  const Theme& th = app.th();
  const float sc = app.scale;
  // Record (within a frame's budget), play.
  app.rec.tick(dt, 5.0);
  shortcuts(app);
  keep_cursor_visible(app);

  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
  ImGui::Begin("Loopscope", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoNav);
  ImGui::PopStyleVar(2);

  // Toolbar.
  const float bar_h = ImGui::GetFrameHeight() + 14 * sc;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, col4(th.panel_alt));
  ImGui::BeginChild("toolbar", ImVec2(io.DisplaySize.x, bar_h), false, ImGuiWindowFlags_NoScrollbar);
  draw_toolbar(app);
  ImGui::EndChild();
  ImGui::PopStyleColor();
  if (!app.banner.empty()) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, col4(mix(th.panel, th.error, 0.25f)));
    ImGui::BeginChild("banner", ImVec2(io.DisplaySize.x, ImGui::GetFrameHeight() + 6 * sc), false, ImGuiWindowFlags_NoScrollbar);
    ImGui::SetCursorPos(ImVec2(12 * sc, 3 * sc));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(app.banner.c_str());
    ImGui::SameLine(io.DisplaySize.x - 70 * sc);
    if (ImGui::Button("Dismiss")) app.banner.clear();
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }

  // Panes: left, the editor over the console; right, the timeline and its sentence over the
  // queues, tasks and warnings. Splitters between them.
  const float split = 6 * sc, margin = 6 * sc;
  ImGui::SetCursorPos(ImVec2(margin, ImGui::GetCursorPosY() + margin));
  ImVec2 area = ImVec2(io.DisplaySize.x - 2 * margin, io.DisplaySize.y - ImGui::GetCursorPosY() - margin);
  float left_w = std::floor(area.x * app.left_frac), right_w = area.x - left_w - split;
  ImGui::BeginChild("left", ImVec2(left_w, area.y), false, ImGuiWindowFlags_NoScrollbar);
  {
    float ed_h = std::floor(area.y * app.editor_frac);
    draw_editor(app, ImVec2(0, ed_h));
    splitter("##split_console", false, split, app.editor_frac, area.y, 0.2f, 0.9f);
    draw_console(app, ImVec2(0, 0));
  }
  ImGui::EndChild();
  ImGui::SameLine(0, 0);
  splitter("##split_main", true, split, app.left_frac, area.x, 0.18f, 0.7f);
  ImGui::SameLine(0, 0);
  ImGui::BeginChild("right", ImVec2(right_w, area.y), false, ImGuiWindowFlags_NoScrollbar);
  {
    float narration_h = ImGui::GetTextLineHeightWithSpacing() * 2 + 16 * sc;
    float tl_h = std::floor(area.y * app.timeline_frac);
    draw_timeline(app, ImVec2(0, tl_h));
    draw_narration(app, ImVec2(0, narration_h));
    splitter("##split_bottom", false, split, app.timeline_frac, area.y, 0.25f, 0.85f);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, col4(th.panel));
    ImGui::BeginChild("bottom", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
    ImGui::SetCursorPos(ImVec2(8 * sc, 6 * sc));
    if (ImGui::BeginTabBar("bottom_tabs")) {
      const Session* s = app.rec.session();
      size_t warnings = s ? (s->ended() ? s->result().lints.size() : s->starving().size()) : 0;
      std::string warn_label = warnings ? "Warnings (" + std::to_string(warnings) + ")###warnings" : "Warnings###warnings";
      std::string tasks_label = "Tasks (" + std::to_string(app.rec.timeline().stats().size()) + ")###tasks";
      if (ImGui::BeginTabItem("Queues at the cursor")) {
        draw_queues(app, ImVec2(0, 0));
        ImGui::EndTabItem();
      }
      if (ImGui::BeginTabItem(tasks_label.c_str())) {
        draw_tasks(app, ImVec2(0, 0));
        ImGui::EndTabItem();
      }
      if (warnings) ImGui::PushStyleColor(ImGuiCol_Text, col4(th.warning));
      bool open = ImGui::BeginTabItem(warn_label.c_str());
      if (warnings) ImGui::PopStyleColor();
      if (open) {
        draw_warnings(app, ImVec2(0, 0));
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
  ImGui::EndChild();
  ImGui::End();
  draw_help(app);
  draw_legend(app);
}

}  // namespace loopscope::ui
