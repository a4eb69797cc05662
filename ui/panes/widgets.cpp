#include "ui/panes/widgets.hpp"

#include <algorithm>
#include <cmath>

namespace loopscope::ui {

Fonts& fonts() {
  static Fonts f;
  return f;
}

std::string task_short(const App& app, uint64_t task) {
  if (task == 0) return "callback";
  const script::Session* s = app.rec.session();
  std::string name = s ? s->task_name(task) : std::string();
  if (name.empty()) return "task " + std::to_string(task);
  return name + " #" + std::to_string(task);
}

bool task_chip(App& app, uint64_t task, bool highlight, const char* id_suffix) {
  const Theme& th = app.th();
  std::string label = task_short(app, task);
  ImGui::PushID(static_cast<int>(task));
  ImGui::PushID(id_suffix);
  ImVec2 text = ImGui::CalcTextSize(label.c_str());
  float pad_x = 7 * app.scale, pad_y = 2 * app.scale;
  ImVec2 size(text.x + 2 * pad_x + 8 * app.scale, text.y + 2 * pad_y);
  ImVec2 p = ImGui::GetCursorScreenPos();
  bool clicked = ImGui::InvisibleButton("chip", size);
  bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  Rgba c = task_colour(task, th);
  bool selected = app.selected_task == task && task != 0;
  Rgba fill = mix(th.panel_alt, c, selected ? 0.55f : hovered ? 0.38f : 0.24f);
  float r = size.y * 0.5f;
  dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), col(fill), r);
  if (highlight) dl->AddRect(ImVec2(p.x - 1, p.y - 1), ImVec2(p.x + size.x + 1, p.y + size.y + 1), col(th.cursor), r + 1, 0, 2 * app.scale);
  else if (selected) dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), col(c), r, 0, 1.5f * app.scale);
  dl->AddCircleFilled(ImVec2(p.x + pad_x + 2 * app.scale, p.y + size.y * 0.5f), 3.2f * app.scale, col(c));
  dl->AddText(ImVec2(p.x + pad_x + 8 * app.scale, p.y + pad_y), col(th.text), label.c_str());
  if (hovered) {
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::SetTooltip("%s — click to select it in every pane", task_short(app, task).c_str());
  }
  if (clicked && task != 0) app.selected_task = selected ? 0 : task;
  ImGui::PopID();
  ImGui::PopID();
  return clicked;
}

void splitter(const char* id, bool vertical, float thickness, float& frac, float total, float min_frac, float max_frac) {
  ImVec2 size = vertical ? ImVec2(thickness, ImGui::GetContentRegionAvail().y) : ImVec2(ImGui::GetContentRegionAvail().x, thickness);
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  bool active = ImGui::IsItemActive(), hovered = ImGui::IsItemHovered();
  if (active || hovered) ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
  if (active && total > 0) {
    float d = vertical ? ImGui::GetIO().MouseDelta.x : ImGui::GetIO().MouseDelta.y;
    frac = std::clamp(frac + d / total, min_frac, max_frac);
  }
  if (active || hovered) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImU32 c = ImGui::GetColorU32(active ? ImGuiCol_SeparatorActive : ImGuiCol_SeparatorHovered);
    if (vertical) dl->AddRectFilled(ImVec2(p.x + thickness * 0.5f - 1, p.y), ImVec2(p.x + thickness * 0.5f + 1, p.y + size.y), c);
    else dl->AddRectFilled(ImVec2(p.x, p.y + thickness * 0.5f - 1), ImVec2(p.x + size.x, p.y + thickness * 0.5f + 1), c);
  }
}

namespace {

void draw_icon(ImDrawList* dl, Icon icon, ImVec2 c, float s, ImU32 colour) {
  auto tri = [&](float dir, float ox) {  // a triangle pointing right (dir 1) or left (-1)
    dl->AddTriangleFilled(ImVec2(c.x + ox - dir * s * 0.45f, c.y - s * 0.55f), ImVec2(c.x + ox - dir * s * 0.45f, c.y + s * 0.55f),
                          ImVec2(c.x + ox + dir * s * 0.55f, c.y), colour);
  };
  auto bar = [&](float x) { dl->AddRectFilled(ImVec2(x - s * 0.12f, c.y - s * 0.55f), ImVec2(x + s * 0.12f, c.y + s * 0.55f), colour); };
  switch (icon) {
    case Icon::Play: tri(1, s * 0.1f); break;
    case Icon::Pause:
      bar(c.x - s * 0.28f);
      bar(c.x + s * 0.28f);
      break;
    case Icon::StepForward:
      tri(1, -s * 0.15f);
      bar(c.x + s * 0.55f);
      break;
    case Icon::StepBack:
      tri(-1, s * 0.15f);
      bar(c.x - s * 0.55f);
      break;
    case Icon::Start:
      bar(c.x - s * 0.6f);
      tri(-1, -s * 0.05f);
      tri(-1, s * 0.5f);
      break;
    case Icon::End:
      tri(1, -s * 0.5f);
      tri(1, s * 0.05f);
      bar(c.x + s * 0.6f);
      break;
    case Icon::StepPoll:
      tri(1, -s * 0.2f);
      dl->AddCircle(ImVec2(c.x + s * 0.5f, c.y), s * 0.22f, colour, 12, 1.6f);
      break;
    case Icon::Restart: {
      dl->PathArcTo(c, s * 0.5f, 0.9f, 0.9f + 4.9f, 20);
      dl->PathStroke(colour, false, s * 0.16f);
      ImVec2 tip(c.x + s * 0.5f * std::cos(0.9f), c.y + s * 0.5f * std::sin(0.9f));
      dl->AddTriangleFilled(ImVec2(tip.x - s * 0.28f, tip.y - s * 0.05f), ImVec2(tip.x + s * 0.22f, tip.y - s * 0.1f),
                            ImVec2(tip.x + s * 0.02f, tip.y + s * 0.32f), colour);
      break;
    }
    case Icon::Share: {
      ImVec2 a(c.x - s * 0.45f, c.y), b(c.x + s * 0.4f, c.y - s * 0.45f), d(c.x + s * 0.4f, c.y + s * 0.45f);
      dl->AddLine(a, b, colour, s * 0.12f);
      dl->AddLine(a, d, colour, s * 0.12f);
      for (ImVec2 q : {a, b, d}) dl->AddCircleFilled(q, s * 0.2f, colour);
      break;
    }
    case Icon::Sun:
      dl->AddCircleFilled(c, s * 0.3f, colour);
      for (int k = 0; k < 8; ++k) {
        float a = k * 3.14159f / 4;
        dl->AddLine(ImVec2(c.x + std::cos(a) * s * 0.45f, c.y + std::sin(a) * s * 0.45f),
                    ImVec2(c.x + std::cos(a) * s * 0.65f, c.y + std::sin(a) * s * 0.65f), colour, s * 0.1f);
      }
      break;
    case Icon::Moon:
      dl->AddCircleFilled(c, s * 0.55f, colour, 24);
      dl->AddCircleFilled(ImVec2(c.x + s * 0.28f, c.y - s * 0.2f), s * 0.45f, ImGui::GetColorU32(ImGuiCol_Button), 24);
      break;
    case Icon::Help:
    case Icon::Legend: break;
  }
}

}  // namespace

bool icon_button(const char* id, Icon icon, const char* tooltip, bool enabled, bool active) {
  float h = ImGui::GetFrameHeight();
  if (!enabled) ImGui::BeginDisabled();
  if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
  ImVec2 p = ImGui::GetCursorScreenPos();
  bool pressed;
  if (icon == Icon::Help || icon == Icon::Legend) {
    pressed = ImGui::Button(icon == Icon::Help ? "?" : "Legend", ImVec2(icon == Icon::Help ? h : 0, h));
  } else {
    pressed = ImGui::Button(id, ImVec2(h * 1.15f, h));
    ImU32 c = ImGui::GetColorU32(enabled ? ImGuiCol_Text : ImGuiCol_TextDisabled);
    draw_icon(ImGui::GetWindowDrawList(), icon, ImVec2(p.x + h * 0.575f, p.y + h * 0.5f), h * 0.36f, c);
  }
  if (active) ImGui::PopStyleColor();
  if (!enabled) ImGui::EndDisabled();
  if (tooltip && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tooltip);
  return pressed && enabled;
}

void pane_title(App& app, const char* title, const char* subtitle) {
  ImGui::PushFont(fonts().ui_bold);
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
  if (subtitle) {
    ImGui::SameLine(0, 8 * app.scale);
    ImGui::PushStyleColor(ImGuiCol_Text, col4(app.th().text_dim));
    ImGui::TextUnformatted(subtitle);
    ImGui::PopStyleColor();
  }
}

std::string time_label(double ns) { return format_duration(ns); }

}  // namespace loopscope::ui
