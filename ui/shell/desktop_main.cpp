// The desktop shell: a GLFW window with an OpenGL 3 context, the ImGui frame loop, and the
// runtime on the native platform (epoll), driven a slice per frame so the window stays live.
//
//   loopscope-desktop [--exit-when-done] [--max-frames N]
//
// With --exit-when-done it prints the demo's output to stdout and exits once the demo finished
// (after a few more frames so the final state is on screen), which is how CI checks it under Xvfb.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "runtime/loopscope.hpp"
#include "ui/demo/runtime_demo.hpp"
#include "ui/demo/runtime_demo_view.hpp"

using namespace loopscope;

namespace {
// The desktop's platform step: a blocking job on the thread pool.
Task<std::string> blocking_step() {
  co_return co_await spawn_blocking([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    return std::string("from a blocking thread");
  });
}
}  // namespace

int main(int argc, char** argv) {
  bool exit_when_done = false;
  long max_frames = -1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--exit-when-done") == 0) {
      exit_when_done = true;
    } else if (std::strcmp(argv[i], "--max-frames") == 0 && i + 1 < argc) {
      max_frames = std::strtol(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: loopscope-desktop [--exit-when-done] [--max-frames N]\n");
      return 2;
    }
  }

  if (!glfwInit()) {
    std::fprintf(stderr, "loopscope-desktop: cannot initialise GLFW (is there a display?)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(1280, 800, "Loopscope", nullptr, nullptr);
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
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int status = 0;
  {
    EpollDriver driver;
    Trace trace(driver.clock());
    LocalExecutor executor(driver, {.trace = &trace});
    ui::RuntimeDemo demo;
    ui::TraceListCache cache;
    auto handle = executor.spawn(ui::run_runtime_demo(demo, blocking_step), "demo");

    int frames_after_done = 0;
    for (long frame = 0; !glfwWindowShouldClose(window) && frame != max_frames; ++frame) {
      glfwPollEvents();
      executor.run_slice(2'000'000);
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      ui::DrawRuntimeDemo(demo, trace, cache, "native (epoll)");
      ImGui::Render();
      int w, h;
      glfwGetFramebufferSize(window, &w, &h);
      glViewport(0, 0, w, h);
      glClearColor(0.12f, 0.12f, 0.14f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      glfwSwapBuffers(window);
      if (exit_when_done && demo.done && ++frames_after_done > 5) break;
    }
    if (exit_when_done) {
      for (const auto& line : demo.output) std::printf("%s\n", line.c_str());
      std::printf("trace events: %llu\n", static_cast<unsigned long long>(trace.total()));
      if (!demo.done) {
        std::fprintf(stderr, "loopscope-desktop: the demo did not finish\n");
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
