// Small drawing helpers the panes share: colours, task chips, splitters, icon buttons.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>

#include "ui/app.hpp"

namespace loopscope::ui {

inline ImU32 col(Rgba c) { return c.packed(); }
inline ImVec4 col4(Rgba c) { return ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, c.a / 255.f); }

// The fonts app_setup_fonts loaded.
struct Fonts {
  ImFont* ui = nullptr;
  ImFont* ui_bold = nullptr;
  ImFont* mono = nullptr;
  ImFont* small = nullptr;
};
Fonts& fonts();

// A task's chip: a rounded label in its colour; clicking it selects the task (true when clicked).
// `highlight` rings it (it just came there).
bool task_chip(App& app, uint64_t task, bool highlight = false, const char* id_suffix = "");
// The short name of a task for chips ("main", "producer #3").
std::string task_short(const App& app, uint64_t task);

// A splitter bar between two areas; dragging moves `frac` (of `total` pixels). Vertical: a bar
// between left and right.
void splitter(const char* id, bool vertical, float thickness, float& frac, float total, float min_frac, float max_frac);

enum class Icon { Play, Pause, StepBack, StepForward, Start, End, StepPoll, Restart, Share, Help, Sun, Moon, Legend };
// A square button with a drawn icon, and its tooltip.
bool icon_button(const char* id, Icon icon, const char* tooltip, bool enabled = true, bool active = false);

// A heading at the top of a pane.
void pane_title(App& app, const char* title, const char* subtitle = nullptr);

// A timeline glyph (timer, steal, print...) centred at `p`, `s` pixels from centre to edge.
void draw_mark(ImDrawList* dl, const Mark& m, ImVec2 p, float s, const Theme& th);

// Time in the units a viewer reads best.
std::string time_label(double ns);

}  // namespace loopscope::ui
