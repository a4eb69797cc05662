// The desktop shell of the playground: a GLFW window with an OpenGL 3 context and the ImGui frame
// loop around ui/app.hpp, the same app the page runs.
//
//   loopscope-desktop [--example NAME] [--real] [--theme dark|light] [--size WxH]
//                     [--exit-when-done] [--max-frames N] [--screenshot FILE.ppm]
//
// With --exit-when-done it runs the example, and once its run is recorded and shown to the end
// (and a few frames more) prints the program's output and the number of events, writes the
// screenshot if asked, and exits 0: how CI checks it under Xvfb.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cli/share.hpp"
#include "runtime/script/json.hpp"
#include "ui/app.hpp"
#include "ui/assets/gallery.hpp"

using namespace loopscope;

namespace {

class DesktopPlatform final : public ui::Platform {
 public:
  explicit DesktopPlatform(GLFWwindow* w) : window_(w) {}
  std::string clipboard() override {
    const char* s = glfwGetClipboardString(window_);
    return s ? s : "";
  }
  void set_clipboard(const std::string& text) override { glfwSetClipboardString(window_, text.c_str()); }
  void share(const std::string& settings_json) override {
    std::string err;
    auto j = script::parse_json(settings_json, err);
    auto settings = j ? script::settings_from_json(*j, err) : std::nullopt;
    if (!j || !settings || !j->get("src")) return;
    cli::SharedProgram p{j->get("src")->string, *settings};
    link = cli::make_share_link(p, "http://127.0.0.1:8080/");
    set_clipboard(link);
  }
  bool physical_key_down(char key) override {
    int k = key == 'W' ? GLFW_KEY_W : key == 'A' ? GLFW_KEY_A : key == 'S' ? GLFW_KEY_S : GLFW_KEY_D;  // (positions, not letters)
    return glfwGetKey(window_, k) == GLFW_PRESS;
  }
  float pixel_ratio() const override {
    float x = 1, y = 1;
    glfwGetWindowContentScale(window_, &x, &y);
    return x > 0 ? x : 1;
  }
  const char* platform_name() const override { return "Loopscope desktop (GLFW + OpenGL 3, native)"; }
  const char* real_mode_help() const override {
    return "Run for real on this machine's worker threads and epoll reactor (real timers and I/O)\n"
           "instead of the simulation. Events stream in as they happen; the cursor moves over what\n"
           "was recorded, and the queues are shown for simulated runs only (a real run cannot be replayed).";
  }
  std::string link;

 private:
  GLFWwindow* window_;
};

bool write_ppm(const char* path, int w, int h) {
  std::vector<unsigned char> pixels(static_cast<size_t>(w) * h * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  FILE* f = std::fopen(path, "wb");
  if (!f) return false;
  std::fprintf(f, "P6\n%d %d\n255\n", w, h);
  for (int y = h - 1; y >= 0; --y) std::fwrite(pixels.data() + static_cast<size_t>(y) * w * 3, 1, static_cast<size_t>(w) * 3, f);
  return std::fclose(f) == 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: loopscope-desktop [--example NAME] [--real] [--theme dark|light] [--size WxH] [--exit-when-done] [--max-frames N] "
               "[--screenshot FILE.ppm]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string example = ui::kDefaultExample, theme = "dark", screenshot;
  bool exit_when_done = false, real = false;
  long max_frames = -1;
  int width = 1280, height = 800;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--exit-when-done") exit_when_done = true;
    else if (a == "--real") real = true;
    else if (a == "--max-frames" && has_value) max_frames = std::strtol(argv[++i], nullptr, 10);
    else if (a == "--example" && has_value) example = argv[++i];
    else if (a == "--theme" && has_value) theme = argv[++i];
    else if (a == "--screenshot" && has_value) screenshot = argv[++i];
    else if (a == "--size" && has_value && std::sscanf(argv[++i], "%dx%d", &width, &height) == 2) continue;
    else return usage();
  }
  if (!ui::find_example(example)) {
    std::fprintf(stderr, "loopscope-desktop: no example '%s'; the gallery has:", example.c_str());
    for (const auto& e : ui::gallery()) std::fprintf(stderr, " %s", e.name);
    std::fprintf(stderr, "\n");
    return 2;
  }

  if (!glfwInit()) {
    std::fprintf(stderr, "loopscope-desktop: cannot initialise GLFW (is there a display?)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(width, height, "Loopscope", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "loopscope-desktop: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int status = 0;
  {
    DesktopPlatform platform(window);
    ui::App app(platform);
    app.theme_name = theme == "light" ? ui::ThemeName::Light : ui::ThemeName::Dark;
    ui::app_setup_fonts(app, platform.pixel_ratio());
    ui::app_load_example(app, example);
    app.controls.real = real;
    ui::app_run(app);
    auto last = std::chrono::steady_clock::now();
    int frames_after_done = 0;
    for (long frame = 0; !glfwWindowShouldClose(window) && frame != max_frames; ++frame) {
      glfwPollEvents();
      auto now = std::chrono::steady_clock::now();
      double dt = std::chrono::duration<double>(now - last).count();
      last = now;
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      ui::app_frame(app, dt);
      ImGui::Render();
      int w, h;
      glfwGetFramebufferSize(window, &w, &h);
      glViewport(0, 0, w, h);
      ui::Rgba bg = app.th().background;
      glClearColor(bg.r / 255.f, bg.g / 255.f, bg.b / 255.f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      bool done = app.rec.started() && app.rec.at_end();
      if (exit_when_done && done && ++frames_after_done > 8) {
        if (!screenshot.empty() && !write_ppm(screenshot.c_str(), w, h)) {
          std::fprintf(stderr, "loopscope-desktop: cannot write %s\n", screenshot.c_str());
          status = 1;
        }
        break;
      }
      glfwSwapBuffers(window);
    }
    if (exit_when_done) {
      std::printf("%s", app.rec.output().c_str());
      std::printf("events: %llu, exit status %d\n", static_cast<unsigned long long>(app.rec.events()), app.rec.exit_status());
      if (!app.rec.at_end()) {
        std::fprintf(stderr, "loopscope-desktop: the run did not reach its end\n");
        status = 1;
      }
    }
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}
