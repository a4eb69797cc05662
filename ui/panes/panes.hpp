// The panes: each draws one area of the playground from the App's state (ui/app.hpp).
#pragma once

#include <imgui.h>

#include "ui/app.hpp"

namespace loopscope::ui {

void draw_toolbar(App& app);
void draw_editor(App& app, ImVec2 size);
void draw_timeline(App& app, ImVec2 size);
void draw_narration(App& app, ImVec2 size);
void draw_console(App& app, ImVec2 size);
void draw_queues(App& app, ImVec2 size);
void draw_tasks(App& app, ImVec2 size);
void draw_warnings(App& app, ImVec2 size);
void draw_help(App& app);
void draw_legend(App& app);

}  // namespace loopscope::ui
