// The web page's program: an ImGui canvas (GLFW on WebGL2) showing the runtime demo running on
// the browser platform, whose platform step awaits a JavaScript Promise resolved by setTimeout.
//
// For tests it sets window.loopscopeReady after the first rendered frame and
// window.loopscopeDemoDone when the demo finished, and exposes Module.demoOutput() and
// Module.demoTraceCount() through Embind.
#include <GLFW/glfw3.h>
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cstdio>
#include <string>

#include "runtime/platform/browser/browser_runtime.hpp"
#include "runtime/trace/trace.hpp"
#include "ui/demo/runtime_demo.hpp"
#include "ui/demo/runtime_demo_view.hpp"
#include "wasm/promise_bridge.hpp"

using namespace loopscope;
using emscripten::val;

namespace {

struct Page {
  GLFWwindow* window = nullptr;
  Trace* trace = nullptr;
  ui::RuntimeDemo demo;
  ui::TraceListCache cache;
  bool announced_ready = false;
  bool announced_done = false;
};
Page page;

// The browser's platform step: a Promise that setTimeout resolves 150 ms later.
Task<std::string> promise_step() {
  val promise = val::module_property("lsDelayedValue")(150, std::string("from a JS Promise"));
  val value = co_await from_promise(promise);
  co_return value.as<std::string>();
}

std::string demo_output() {
  std::string out;
  for (const auto& line : page.demo.output) out += line + "\n";
  return out;
}
double demo_trace_count() { return static_cast<double>(page.trace->total()); }

void fit_canvas() {
  double w, h;
  emscripten_get_element_css_size("#canvas", &w, &h);
  int iw = static_cast<int>(w), ih = static_cast<int>(h);
  int cw, ch;
  glfwGetWindowSize(page.window, &cw, &ch);
  if (iw > 0 && ih > 0 && (iw != cw || ih != ch)) glfwSetWindowSize(page.window, iw, ih);
}

void frame() {
  fit_canvas();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  ui::DrawRuntimeDemo(page.demo, *page.trace, page.cache, "browser (WebAssembly)");
  ImGui::Render();
  int w, h;
  glfwGetFramebufferSize(page.window, &w, &h);
  glViewport(0, 0, w, h);
  glClearColor(0.12f, 0.12f, 0.14f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (!page.announced_ready) {
    page.announced_ready = true;
    EM_ASM(window['loopscopeReady'] = true;);
  }
  if (page.demo.done && !page.announced_done) {
    page.announced_done = true;
    EM_ASM(window['loopscopeDemoDone'] = true;);
  }
}

}  // namespace

EMSCRIPTEN_BINDINGS(loopscope_playground) {
  emscripten::function("demoOutput", &demo_output);
  emscripten::function("demoTraceCount", &demo_trace_count);
}

int main() {
  EM_ASM(Module['lsDelayedValue'] = function(ms, v) {
    return new Promise(function(resolve) { setTimeout(function() { resolve(v); }, ms); });
  };);
  if (!glfwInit()) {
    std::fprintf(stderr, "loopscope: cannot initialise GLFW\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  page.window = glfwCreateWindow(1280, 800, "Loopscope", nullptr, nullptr);
  if (!page.window) {
    std::fprintf(stderr, "loopscope: cannot create a WebGL2 context\n");
    return 1;
  }
  glfwMakeContextCurrent(page.window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(page.window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");

  BrowserRuntime& rt = BrowserRuntime::global();
  page.trace = new Trace(rt.clock());
  rt.executor().set_trace(page.trace);
  rt.spawn(ui::run_runtime_demo(page.demo, promise_step), "demo").detach();

  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
