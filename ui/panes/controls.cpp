// The controls along the top: run, playback and stepping, speed, the scheduler's settings, the
// gallery, share, theme, the legend and the keyboard shortcuts.
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "ui/assets/gallery.hpp"
#include "ui/panes/panes.hpp"
#include "ui/panes/widgets.hpp"

namespace loopscope::ui {

namespace {

// The speed slider: 0 … 1 maps to 1 … 1 000 000 events a second on a log scale; the top end is
// "as fast as possible".
double speed_of(float t) { return t >= 0.999f ? 0.0 : std::pow(10.0, t * 6.0); }
float slider_of(double speed) { return speed == 0 ? 1.0f : static_cast<float>(std::log10(std::max(speed, 1.0)) / 6.0); }

}  // namespace

void draw_toolbar(App& app) {
  const Theme& th = app.th();
  Recording& rec = app.rec;
  const float sc = app.scale;
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(6 * sc, 6 * sc));
  ImGui::SetCursorPos(ImVec2(10 * sc, 7 * sc));
  ImGui::PushFont(fonts().ui_bold);
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(col4(th.accent), "Loopscope");
  ImGui::PopFont();
  ImGui::SameLine(0, 14 * sc);

  ImGui::PushStyleColor(ImGuiCol_Button, col4(th.accent));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, col4(mix(th.accent, Rgba{255, 255, 255, 255}, 0.15f)));
  ImGui::PushStyleColor(ImGuiCol_Text, col4(Rgba{255, 255, 255, 255}));
  if (ImGui::Button("  Run  ")) app_run(app);
  ImGui::PopStyleColor(3);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Run the program from the start (Ctrl+Enter)");
  ImGui::SameLine(0, 12 * sc);

  bool has = rec.events() > 0;
  if (icon_button("##home", Icon::Start, "To the first event (Home)", has)) rec.pause(), rec.seek(0);
  ImGui::SameLine(0, 2 * sc);
  if (icon_button("##back", Icon::StepBack, "One event back (←)", has && rec.cursor() > 0)) rec.pause(), rec.step(-1);
  ImGui::SameLine(0, 2 * sc);
  bool playing = rec.playing();
  if (icon_button("##play", playing ? Icon::Pause : Icon::Play, playing ? "Pause (Space)" : "Play from the cursor (Space)", rec.started())) {
    if (playing) {
      rec.pause();
    } else {
      if (rec.at_end()) rec.seek(0);
      rec.play();
    }
  }
  ImGui::SameLine(0, 2 * sc);
  if (icon_button("##step", Icon::StepForward, "One event forward (→)", rec.started() && !rec.at_end())) rec.pause(), rec.step(1);
  ImGui::SameLine(0, 2 * sc);
  if (icon_button("##poll", Icon::StepPoll, "To the end of the next poll (Shift+→)", rec.started() && !rec.at_end())) rec.pause(), rec.step_poll();
  ImGui::SameLine(0, 2 * sc);
  if (icon_button("##end", Icon::End, "To the last event (End)", rec.started())) rec.pause(), rec.seek(UINT64_MAX);
  ImGui::SameLine(0, 2 * sc);
  if (icon_button("##restart", Icon::Restart, "Record the run again from the start", rec.started())) app_run(app);
  ImGui::SameLine(0, 12 * sc);

  // The fields from here to the gallery show their frames (on the toolbar's background ImGui's
  // would not: they read as labels).
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_Border, col4(th.text_faint.with_alpha(110)));
  ImGui::PushStyleColor(ImGuiCol_FrameBg, col4(th.background));

  // Speed.
  float t = slider_of(rec.speed());
  ImGui::SetNextItemWidth(150 * sc);
  char speed_label[48];
  if (rec.speed() == 0) std::snprintf(speed_label, sizeof speed_label, "as fast as possible");
  else std::snprintf(speed_label, sizeof speed_label, "%.0f events/s", rec.speed());
  if (ImGui::SliderFloat("##speed", &t, 0.0f, 1.0f, speed_label)) rec.set_speed(speed_of(t));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Playback speed: from one event a second to as fast as the run records");
  ImGui::SameLine(0, 12 * sc);

  // Scheduler settings (the program's @profile line fills them; Run uses them).
  static const char* kProfiles[] = {"basic", "node", "tokio", "go"};
  int current = 0;
  for (int k = 0; k < 4; ++k)
    if (app.controls.profile == kProfiles[k]) current = k;
  ImGui::SetNextItemWidth(82 * sc);
  if (ImGui::Combo("##profile", &current, kProfiles, 4)) app.controls.profile = kProfiles[current];
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The scheduler model: basic (a textbook executor), node (Node.js's event loop),\ntokio (work stealing, LIFO slot, budget) or go (G-M-P, preemption)");
  bool multi = app.controls.profile == "tokio" || app.controls.profile == "go";
  ImGui::SameLine();
  if (!multi) ImGui::BeginDisabled();
  ImGui::SetNextItemWidth(92 * sc);
  ImGui::DragInt("##workers", &app.controls.workers, 0.05f, 1, 64, app.controls.workers == 1 ? "%d worker" : "%d workers", ImGuiSliderFlags_AlwaysClamp);
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(multi ? "Worker threads (GOMAXPROCS in go): drag, or double-click to type" : "basic and node run on one thread");
  if (!multi) ImGui::EndDisabled();
  ImGui::SameLine();
  bool tokio = app.controls.profile == "tokio";
  if (!tokio) ImGui::BeginDisabled();
  ImGui::Checkbox("budget", &app.controls.budget_on);
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Tokio's cooperative budget: after %d operations in one poll a task must yield.\nOff: a busy task can starve the others.", app.controls.budget);
  if (!tokio) ImGui::EndDisabled();
  ImGui::SameLine();
  if (app.controls.real) ImGui::BeginDisabled();
  ImGui::SetNextItemWidth(72 * sc);
  ImGui::DragInt("##seed", &app.controls.seed, 0.1f, 0, 1 << 30, "seed %d", ImGuiSliderFlags_AlwaysClamp);
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("The simulation's choices where a real scheduler picks at random (which worker to steal from).\nThe same seed, the same run.");
  if (app.controls.real) ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Checkbox("real", &app.controls.real);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", app.platform.real_mode_help());
  ImGui::SameLine(0, 12 * sc);

  // Gallery.
  ImGui::SetNextItemWidth(150 * sc);
  const Example* chosen = find_example(app.selected_example);
  std::string preview = chosen ? chosen->title : "Examples";
  if (ImGui::BeginCombo("##examples", preview.c_str())) {
    for (const Example& e : gallery()) {
      if (ImGui::Selectable(e.title.c_str(), app.selected_example == e.name)) {
        app_load_example(app, e.name);
        app_run(app);
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", e.summary.c_str());
    }
    ImGui::EndCombo();
  }
  ImGui::PopStyleColor(2);
  ImGui::PopStyleVar();
  ImGui::SameLine(0, 12 * sc);
  if (icon_button("##share", Icon::Share, "Share: a link that carries this program and its settings")) app.platform.share(app.controls.json(app.editor.text()));
  ImGui::SameLine(0, 2 * sc);
  bool dark = app.theme_name == ThemeName::Dark;
  if (icon_button("##theme", dark ? Icon::Sun : Icon::Moon, dark ? "Light theme" : "Dark theme"))
    app_set_theme(app, dark ? ThemeName::Light : ThemeName::Dark);
  ImGui::SameLine(0, 2 * sc);
  if (icon_button("##legend", Icon::Legend, "What the colours and glyphs mean", true, app.show_legend)) app.show_legend = !app.show_legend;
  ImGui::SameLine(0, 2 * sc);
  if (icon_button("##help", Icon::Help, "Keyboard shortcuts", true, app.show_help)) app.show_help = !app.show_help;

  // A short message, right-aligned ("Link copied"); the recording's progress is under the timeline.
  const char* status = !app.status.empty() && app.time < app.status_until ? app.status.c_str()
                       : !rec.started()                                    ? "Ctrl+Enter runs the program"
                                                                           : nullptr;
  if (status) {
    float w = ImGui::CalcTextSize(status).x;
    float x = ImGui::GetWindowWidth() - w - 12 * sc;
    float used = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;
    if (x >= used + 16 * sc) {  // (when there is room)
      ImGui::SameLine(x);
      ImGui::AlignTextToFramePadding();
      ImGui::TextColored(col4(th.ok), "%s", status);
    }
  }
  ImGui::PopStyleVar();
}

void draw_help(App& app) {
  if (!app.show_help) return;
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x - 20 * app.scale, 56 * app.scale), ImGuiCond_Always, ImVec2(1, 0));
  ImGui::Begin("Keyboard shortcuts", &app.show_help, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse);
  static const char* kKeys[][2] = {
      {"Ctrl+Enter", "run the program from the start"},
      {"Space", "pause / play (when the editor does not have the keyboard)"},
      {"→  ←", "one event forward / back"},
      {"Shift+→", "to the end of the next poll"},
      {"Home  End", "the first / last event"},
      {"W  S", "zoom the timeline in / out (the keys' positions: ZQSD on AZERTY)"},
      {"A  D", "pan the timeline left / right"},
      {"F", "fit the whole run in the timeline"},
      {"wheel", "zoom at the mouse; over the lane names: scroll"},
      {"drag", "pan the timeline; click: put the cursor on that event"},
      {"Esc", "leave the editor (then the keys above are the timeline's)"},
      {"Ctrl+F", "find in the program"},
      {"Ctrl+Z  Ctrl+Y", "undo / redo"},
      {"Tab  Shift+Tab", "indent / outdent the selected lines"},
      {"Ctrl+Shift+K", "delete the line"},
  };
  if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_SizingFixedFit)) {
    for (const auto& k : kKeys) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushFont(fonts().mono);
      ImGui::TextUnformatted(k[0]);
      ImGui::PopFont();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(k[1]);
    }
    ImGui::EndTable();
  }
  ImGui::TextColored(col4(app.th().text_faint), "%s", app.platform.platform_name());
  ImGui::End();
}

void draw_legend(App& app) {
  if (!app.show_legend) return;
  const Theme& th = app.th();
  const float sc = app.scale;
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x - 20 * sc, 56 * sc), ImGuiCond_Always, ImVec2(1, 0));
  ImGui::Begin("Legend", &app.show_legend, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto swatch = [&](auto draw, const char* text) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    float h = ImGui::GetTextLineHeight();
    draw(ImVec2(p.x, p.y + 1), ImVec2(p.x + 34 * sc, p.y + h - 1));
    ImGui::Dummy(ImVec2(40 * sc, h));
    ImGui::SameLine();
    ImGui::TextUnformatted(text);
  };
  Rgba c = task_colour(2, th);
  ImGui::TextColored(col4(th.text_dim), "Each task has its colour, the same in every pane.");
  swatch([&](ImVec2 a, ImVec2 b) { dl->AddRectFilled(a, b, col(c), 2); }, "running (task lane) / polled by the worker (worker lane)");
  swatch([&](ImVec2 a, ImVec2 b) { dl->AddRectFilled(a, b, col(c.with_alpha(70)), 2), dl->AddRect(a, b, col(c.with_alpha(170)), 2); },
         "ready: in a queue (the label says which: queue, LIFO, inject, stolen…)");
  swatch([&](ImVec2 a, ImVec2 b) { dl->AddLine(ImVec2(a.x, (a.y + b.y) / 2), ImVec2(b.x, (a.y + b.y) / 2), col(c.with_alpha(150)), 1.5f * sc); },
         "waiting (on what: sleep, channel, mutex, join, promise, I/O)");
  swatch([&](ImVec2 a, ImVec2 b) { dl->AddRectFilled(a, b, col(task_colour(0, th)), 2); }, "a callback (timers, microtasks, immediates)");
  swatch([&](ImVec2 a, ImVec2 b) { dl->AddRectFilled(a, b, col(mix(th.panel_alt, th.text_dim, 0.45f)), 2); }, "many narrow spans merged (×count)");
  swatch([&](ImVec2 a, ImVec2 b) {
    dl->AddBezierCubic(ImVec2(a.x, b.y), ImVec2(a.x + 15 * sc, b.y), ImVec2(b.x - 15 * sc, a.y), ImVec2(b.x, a.y), col(c), 1.3f * sc);
  }, "a wake-up: from the waker to where the woken task runs");
  for (MarkKind k : {MarkKind::TimerFire, MarkKind::IoReady, MarkKind::Steal, MarkKind::LifoHit, MarkKind::Budget, MarkKind::Preempt,
                     MarkKind::Phase, MarkKind::Print, MarkKind::Blocking}) {
    static const char* names[] = {"a timer fires", "I/O is ready", "a steal", "a LIFO-slot (runnext) hit", "budget spent: a forced yield",
                                  "preempted (go)", "the event loop's phase changes (node)", "a print", "a blocking call on a worker"};
    Mark m;
    m.kind = k;
    swatch([&](ImVec2 a, ImVec2 b) { draw_mark(dl, m, ImVec2((a.x + b.x) / 2, (a.y + b.y) / 2), 4.2f * sc, th); }, names[static_cast<int>(k)]);
  }
  swatch([&](ImVec2 a, ImVec2 b) { dl->AddLine(ImVec2((a.x + b.x) / 2, a.y), ImVec2((a.x + b.x) / 2, b.y), col(th.cursor), 2 * sc); },
         "the cursor: the moment every pane shows");
  ImGui::End();
}

}  // namespace loopscope::ui
