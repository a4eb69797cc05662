#include "ui/demo/runtime_demo_view.hpp"

#include <imgui.h>

#include <string>

namespace loopscope::ui {

void DrawRuntimeDemo(const RuntimeDemo& demo, const Trace& trace, TraceListCache& cache, std::string_view platform) {
  if (cache.seen_total != trace.total()) {
    cache.events = trace.events();
    cache.seen_total = trace.total();
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  float half = vp->WorkSize.x * 0.5f;

  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(ImVec2(half, vp->WorkSize.y));
  ImGui::Begin("Output", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  ImGui::TextDisabled("Loopscope runtime demo on the %.*s platform", static_cast<int>(platform.size()), platform.data());
  ImGui::TextDisabled("%s", demo.done ? "finished" : "running...");
  ImGui::Separator();
  for (const std::string& line : demo.output) ImGui::TextUnformatted(line.c_str());
  ImGui::End();

  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + half, vp->WorkPos.y));
  ImGui::SetNextWindowSize(ImVec2(half, vp->WorkSize.y));
  ImGui::Begin("Trace", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  ImGui::Text("%zu events", cache.events.size());
  if (ImGui::BeginTable("events", 5, ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("time (ms)");
    ImGui::TableSetupColumn("event");
    ImGui::TableSetupColumn("task");
    ImGui::TableSetupColumn("a");
    ImGui::TableSetupColumn("b");
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;  // only the visible rows cost anything
    clipper.Begin(static_cast<int>(cache.events.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const TraceEvent& e = cache.events[static_cast<size_t>(i)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%.3f", static_cast<double>(e.time_ns) / 1e6);
        ImGui::TableNextColumn();
        std::string_view kind = event_kind_name(e.kind);
        ImGui::TextUnformatted(kind.data(), kind.data() + kind.size());
        ImGui::TableNextColumn();
        std::string name = trace.task_name(e.task);
        if (name.empty()) {
          ImGui::Text("%llu", static_cast<unsigned long long>(e.task));
        } else {
          ImGui::Text("%s (%llu)", name.c_str(), static_cast<unsigned long long>(e.task));
        }
        ImGui::TableNextColumn();
        ImGui::Text("%llu", static_cast<unsigned long long>(e.a));
        ImGui::TableNextColumn();
        ImGui::Text("%llu", static_cast<unsigned long long>(e.b));
      }
    }
    ImGui::EndTable();
  }
  ImGui::End();
}

}  // namespace loopscope::ui
