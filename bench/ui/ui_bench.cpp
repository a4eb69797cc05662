// The playground's cost, natively and without a GPU: the CPU time of a frame (app_frame through
// ImGui::Render, the draw lists built but not rasterised) over a recorded run of about a million
// events — the whole run in view, zoomed in, and panning — and seeking to 100 random events (the
// snapshot and output at the cursor). The targets (issue: the playground) are absolute: a frame's
// median within 8 ms and its p99 within 16 ms; a seek within 50 ms.
//
// One JSON line per case: {"case": ..., "median_ms": ..., "p99_ms": ...}.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "ui/app.hpp"

using namespace loopscope;
using Steady = std::chrono::steady_clock;

namespace {

class NoPlatform final : public ui::Platform {
 public:
  std::string clipboard() override { return ""; }
  void set_clipboard(const std::string&) override {}
  void share(const std::string&) override {}
  bool physical_key_down(char k) override { return k == key; }
  const char* platform_name() const override { return "bench"; }
  char key = 0;
};

struct Stats {
  double median, p99;
};
Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)]};
}

double frame(ui::App& app) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1280, 800);
  io.DeltaTime = 1.0f / 60;
  auto t0 = Steady::now();
  ImGui::NewFrame();
  ui::app_frame(app, 1.0 / 60);
  ImGui::Render();
  return std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
}

void line(const char* name, Stats s, const char* extra = "") {
  std::printf("{\"case\":\"%s\",\"median_ms\":%.3f,\"p99_ms\":%.3f%s}\n", name, s.median, s.p99, extra);
}

}  // namespace

int main(int argc, char** argv) {
  // bench/ui/million.coro: a producer and a consumer through a channel of one, on two workers,
  // about a million events.
  if (argc < 2) {
    std::fprintf(stderr, "usage: ui_bench PROGRAM.coro [frames]\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::string program((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int frames = argc > 2 ? std::atoi(argv[2]) : 300;
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  NoPlatform platform;
  ui::App app(platform);
  ui::app_setup_fonts(app, 1.0f);
  unsigned char* pixels;
  int w, h;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // (the atlas is built; nothing is uploaded)

  // Record the run (as the page does, in slices), then watch it.
  ui::app_load(app, program, "{}", nullptr);
  ui::app_run(app);
  auto r0 = Steady::now();
  while (!app.rec.recording_ended()) app.rec.tick(1.0 / 60, 50);
  double record_ms = std::chrono::duration<double, std::milli>(Steady::now() - r0).count();
  app.rec.pause();
  app.rec.seek(app.rec.events() / 2);
  char extra[96];
  std::snprintf(extra, sizeof extra, ",\"events\":%llu,\"record_ms\":%.0f", static_cast<unsigned long long>(app.rec.events()), record_ms);
  frame(app);  // (the first frame computes the snapshot at the cursor)

  std::vector<double> out;
  app.follow = true;
  for (int i = 0; i < frames; ++i) out.push_back(frame(app));
  line("timeline_zoomed_out", stats(out), extra);

  out.clear();
  app.follow = false;
  app.view.per_px = 2;  // 2 ns a pixel: a few polls in view
  app.view.u0 = app.view.u_of(static_cast<double>(app.rec.cursor_time())) - 400;
  for (int i = 0; i < frames; ++i) out.push_back(frame(app));
  line("timeline_zoomed_in", stats(out));

  out.clear();
  app.view.per_px = 2000;  // 2 µs a pixel: thousands of spans in view, merging
  platform.key = 'D';      // D held: panning right every frame
  for (int i = 0; i < frames; ++i) out.push_back(frame(app));
  platform.key = 0;
  line("timeline_panning", stats(out));

  // Seeking: 100 random events, each with its snapshot and output (what the queues and console
  // panes show). Cold: right after recording, before any idle frame built checkpoints. Prepared:
  // once idle frames built them (Session::prepare), with 15 idle frames of the page's budget
  // (a quarter of a second at 60 Hz) between seeks, as a viewer clicking around gives.
  auto seek_case = [&](const char* name, int idle_frames) {
    std::mt19937_64 rng(7);
    std::vector<double> seeks;
    for (int i = 0; i < 100; ++i) {
      uint64_t e = rng() % app.rec.events();
      auto t0 = Steady::now();
      app.rec.seek(e);
      app.rec.snapshot();
      app.rec.output();
      seeks.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
      for (int f = 0; f < idle_frames; ++f) app.rec.tick(1.0 / 60, 4.0);
    }
    Stats s = stats(seeks);
    std::printf("{\"case\":\"%s\",\"median_ms\":%.3f,\"worst_ms\":%.3f}\n", name, s.median,
                *std::max_element(seeks.begin(), seeks.end()));
  };
  seek_case("seek_random_cold", 0);
  auto p0 = Steady::now();
  while (app.rec.prepare(2.0)) {
  }
  std::printf("{\"case\":\"checkpoints\",\"build_ms\":%.0f}\n", std::chrono::duration<double, std::milli>(Steady::now() - p0).count());
  seek_case("seek_random", 15);
  ImGui::DestroyContext();
  return 0;
}
