// The page's program: the playground (ui/app.hpp) on a WebGL2 canvas, sized in device pixels
// (crisp on high-DPI screens), with the browser's clipboard, keys by physical position and share
// links through web/playground.js, and the page hooks (window.loopscope.playground) bound here.
//
// window.loopscopeReady is set after the first frame is drawn (a start barrier for tests).
#include <GLFW/glfw3.h>
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/app.hpp"
#include "ui/assets/gallery.hpp"

using namespace loopscope;
using emscripten::val;

namespace {

class PagePlatform final : public ui::Platform {
 public:
  std::string clipboard() override { return ""; }  // (the browser's paste event brings it)
  void set_clipboard(const std::string&) override {}
  bool clipboard_events() const override { return true; }
  void share(const std::string& settings_json) override { val::module_property("lsShare")(settings_json); }
  bool physical_key_down(char key) override {
    static const char* codes[] = {"KeyW", "KeyA", "KeyS", "KeyD"};
    const char* code = key == 'W' ? codes[0] : key == 'A' ? codes[1] : key == 'S' ? codes[2] : codes[3];
    return val::module_property("lsKeyDown")(std::string(code)).as<bool>();
  }
  float pixel_ratio() const override { return static_cast<float>(emscripten_get_device_pixel_ratio()); }
  const char* platform_name() const override { return "Loopscope in the browser (WebAssembly, WebGL2)"; }
  const char* real_mode_help() const override {
    return "Run for real on this page's event loop (real timers and fetch) instead of the simulation;\n"
           "tokio and go with one worker only (the page has one thread).\n"
           "Events stream in as they happen; the cursor moves over what was recorded,\n"
           "and the queues are shown for simulated runs only (a real run cannot be replayed).";
  }
};

struct Page {
  GLFWwindow* window = nullptr;
  PagePlatform platform;
  ui::App app{platform};
  double last = 0;
  float scale = 0;
  bool announced = false;
  std::vector<double> frame_ms;  // CPU time of recent frames (bench/ui/page.mjs reads them)
};
Page* page = nullptr;

// The canvas's backing store in device pixels; its CSS size comes from the page's stylesheet.
void fit_canvas() {
  double css_w, css_h;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  float dpr = page->platform.pixel_ratio();
  int w = static_cast<int>(css_w * dpr), h = static_cast<int>(css_h * dpr);
  int cw, ch;
  glfwGetWindowSize(page->window, &cw, &ch);
  if (w > 0 && h > 0 && (w != cw || h != ch)) glfwSetWindowSize(page->window, w, h);
  if (dpr != page->scale) {  // fonts and sizes at the new ratio (the first texture is made by the first frame)
    bool rebuild = page->scale != 0;
    page->scale = dpr;
    ui::app_setup_fonts(page->app, dpr);
    if (rebuild) {
      ImGui_ImplOpenGL3_DestroyFontsTexture();
      ImGui_ImplOpenGL3_CreateFontsTexture();
    }
  }
}

void frame() {
  fit_canvas();
  double now = emscripten_get_now() / 1000.0;
  double dt = page->last ? std::min(now - page->last, 0.25) : 1.0 / 60;
  page->last = now;
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  ui::app_frame(page->app, dt);
  ImGui::Render();
  if (page->frame_ms.size() >= 600) page->frame_ms.erase(page->frame_ms.begin(), page->frame_ms.begin() + 300);
  int w, h;
  glfwGetFramebufferSize(page->window, &w, &h);
  glViewport(0, 0, w, h);
  ui::Rgba bg = page->app.th().background;
  glClearColor(bg.r / 255.f, bg.g / 255.f, bg.b / 255.f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  page->frame_ms.push_back(emscripten_get_now() - now * 1000.0);
  if (!page->announced) {
    page->announced = true;
    EM_ASM(window['loopscopeReady'] = true; window['loopscopeFirstFrameMs'] = performance.now(););
  }
}

// --- the page hooks (web/playground.js wraps them with argument checks) --------------------------

std::string pg_load(std::string source, std::string settings_json) {
  std::string error;
  return ui::app_load(page->app, source, settings_json, &error) ? "" : error;
}
bool pg_load_example(std::string name) { return ui::app_load_example(page->app, name.empty() ? ui::kDefaultExample : name); }
void pg_run() { ui::app_run(page->app); }
void pg_pause() { page->app.rec.pause(); }
void pg_step(double n) {
  page->app.rec.pause();
  page->app.rec.step(static_cast<int64_t>(n));
}
void pg_seek(double event) {
  page->app.rec.pause();
  page->app.rec.seek(static_cast<uint64_t>(event));
}
void pg_speed(double events_per_second) { page->app.rec.set_speed(events_per_second); }
std::string pg_state() { return ui::app_state_json(page->app); }
std::string pg_output() { return page->app.rec.output(); }
std::string pg_warnings() { return ui::app_warnings_json(page->app); }
void pg_select_task(double id) { page->app.selected_task = static_cast<uint64_t>(id); }
void pg_theme(std::string name) { ui::app_set_theme(page->app, name == "light" ? ui::ThemeName::Light : ui::ThemeName::Dark); }
std::string pg_copy(bool cut) { return ui::app_copy(page->app, cut); }
void pg_paste(std::string text) { ui::app_paste(page->app, text); }
void pg_banner(std::string text) { page->app.banner = text; }
void pg_status(std::string text) {
  page->app.status = text;
  page->app.status_until = page->app.time + 4;
}
double pg_frames() { return static_cast<double>(page->app.frames); }
// The CPU time of the last frames (ms, oldest first), as JSON.
std::string pg_frame_times() {
  std::string out = "[";
  for (double ms : page->frame_ms) out += (out.size() > 1 ? "," : "") + std::to_string(ms);
  return out + "]";
}

}  // namespace

EMSCRIPTEN_BINDINGS(loopscope_playground) {
  emscripten::function("pgLoad", &pg_load);
  emscripten::function("pgLoadExample", &pg_load_example);
  emscripten::function("pgRun", &pg_run);
  emscripten::function("pgPause", &pg_pause);
  emscripten::function("pgStep", &pg_step);
  emscripten::function("pgSeek", &pg_seek);
  emscripten::function("pgSpeed", &pg_speed);
  emscripten::function("pgState", &pg_state);
  emscripten::function("pgOutput", &pg_output);
  emscripten::function("pgWarnings", &pg_warnings);
  emscripten::function("pgSelectTask", &pg_select_task);
  emscripten::function("pgTheme", &pg_theme);
  emscripten::function("pgCopy", &pg_copy);
  emscripten::function("pgPaste", &pg_paste);
  emscripten::function("pgBanner", &pg_banner);
  emscripten::function("pgStatus", &pg_status);
  emscripten::function("pgFrames", &pg_frames);
  emscripten::function("pgFrameTimes", &pg_frame_times);
}

int main() {
  if (!glfwInit()) {
    std::fprintf(stderr, "loopscope: cannot initialise GLFW\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  page = new Page();  // (lives as long as the page)
  page->window = glfwCreateWindow(1280, 800, "Loopscope", nullptr, nullptr);
  if (!page->window) {
    std::fprintf(stderr, "loopscope: cannot create a WebGL2 context\n");
    return 1;
  }
  glfwMakeContextCurrent(page->window);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplGlfw_InitForOpenGL(page->window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  fit_canvas();
  EM_ASM(Module['lsStart']());
  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
