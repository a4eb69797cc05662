// The playground: the editor, the controls, the timeline, the queues, the console, the warnings
// and the task list, on one screen, the same in the browser and on the desktop.
//
// App holds the state (plain data and the model of ui/model); app_frame() draws one frame with
// Dear ImGui, each pane a function of that state (ui/panes). A shell (wasm/playground_main.cpp,
// ui/shell/desktop_main.cpp) owns the window and gives the app what differs between platforms
// (Platform). The page hooks call the same actions as the buttons (the functions below).
//
//   App app(platform);
//   app_load(app, source, settings_json, &error);   // or app_load_example(app, "pipeline")
//   app_run(app);
//   each frame: app_frame(app, dt_seconds);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/script/session.hpp"
#include "ui/model/palette.hpp"
#include "ui/model/recording.hpp"
#include "ui/model/syntax.hpp"
#include "ui/model/text_buffer.hpp"
#include "ui/model/timeline.hpp"

namespace loopscope::ui {

// What the shell provides.
class Platform {
 public:
  virtual ~Platform() = default;
  virtual std::string clipboard() = 0;
  virtual void set_clipboard(const std::string& text) = 0;
  // The page gets copy, cut and paste from the browser's clipboard events (app_copy, app_paste):
  // the editor leaves Ctrl+C/X/V to them.
  virtual bool clipboard_events() const { return false; }
  // A link that carries the program and settings (JSON of the share format), for the user.
  virtual void share(const std::string& settings_json) = 0;
  // Physical key positions for W/A/S/D (KeyboardEvent.code on the page): 'W','A','S','D'.
  virtual bool physical_key_down(char key) = 0;
  // Where the app's layout and fonts come from: device pixels per CSS pixel.
  virtual float pixel_ratio() const { return 1.0f; }
  // The version string shown in the help.
  virtual const char* platform_name() const = 0;
  // What real mode runs on here (the toggle's tooltip).
  virtual const char* real_mode_help() const {
    return "Run for real on this machine's threads and reactor (real timers and I/O) instead of the simulation.\n"
           "Events stream in as they happen; the cursor moves over what was recorded,\n"
           "and the queues are shown for simulated runs only (a real run cannot be replayed).";
  }
};

// The controls' settings (the program's @profile line fills them; a run uses them).
struct Controls {
  std::string profile = "basic";
  int workers = 2;
  bool budget_on = true;
  int budget = 128;
  int seed = 0;
  bool real = false;  // the run for real: the page's event loop, or the desktop's threads
  // As overrides of the program's header (settings.hpp names).
  script::SettingList overrides() const;
  std::string json(const std::string& source) const;  // the share link's JSON
};

struct EditorState {
  float scroll_y = 0;
  bool focus_next = false;       // give the editor the keyboard next frame
  bool find_open = false;
  std::string find_text;
  bool find_focus = false;
  uint64_t checked_version = UINT64_MAX;  // the buffer version diagnostics belong to
  double changed_at = 0;                  // when it last changed (debounce)
  std::vector<script::Diagnostic> diagnostics;
  uint64_t colours_version = UINT64_MAX;
  std::vector<std::vector<StyleRun>> colours;
  std::string header_seen;               // the @profile line last applied to the controls
  bool dragging = false;
  double blink = 0;
  bool has_focus = false;  // the editor had the keyboard last frame (Space, arrows are its own)
};

struct App {
  explicit App(Platform& p) : platform(p) {}
  Platform& platform;

  TextBuffer editor;
  EditorState ed;
  Controls controls;
  Recording rec;

  // The timeline's view.
  View view;
  bool follow = true;  // fit the whole run while it grows, until the viewer zooms or pans
  bool event_axis = false;  // the timeline's x axis: event order instead of time
  float lane_scroll = 0;
  uint64_t selected_task = 0;
  uint32_t marked_line = 0;  // a line the narration or a warning points at (0: none)

  ThemeName theme_name = ThemeName::Dark;
  const Theme& th() const { return theme(theme_name); }
  float scale = 1.0f;  // pixels per layout unit

  // Layout (fractions, moved by the splitters).
  float left_frac = 0.40f, editor_frac = 0.66f, timeline_frac = 0.60f, queues_frac = 0.5f;
  int bottom_tab = 0;  // 0 queues, 1 tasks, 2 warnings

  std::string banner;  // a message across the top (a broken share link...)
  bool show_help = false, show_legend = false;
  std::string selected_example;
  double time = 0;      // seconds since start
  uint64_t frames = 0;
  std::optional<script::Snapshot> shown, previous;  // the queues shown, and those one event away before
  uint64_t shown_snapshot = UINT64_MAX;
  std::vector<std::string> warnings_text;  // for the page hook
  std::string status;   // a short confirmation ("Link copied")
  double status_until = 0;
};

// --- actions (buttons, shortcuts and the page hooks) --------------------------------------------
// Puts a program in the editor with its settings (JSON: {"profile", "workers", "seed", "budget"};
// the program's @profile line first, then these), gives the editor the keyboard, does not run it.
bool app_load(App& app, const std::string& source, const std::string& settings_json, std::string* error);
bool app_load_example(App& app, const std::string& name);
// Runs the editor's program from the start (Ctrl+Enter).
void app_run(App& app);
void app_set_theme(App& app, ThemeName name);
// The page's clipboard events: the editor's selection for copy (and cut: it goes), and a paste.
std::string app_copy(App& app, bool cut);
void app_paste(App& app, const std::string& text);
// {"events", "cursor", "ended", "exitCode", "profile"} as JSON; the lints as a JSON array.
std::string app_state_json(const App& app);
std::string app_warnings_json(App& app);

// Draws one frame (between ImGui::NewFrame and ImGui::Render).
void app_frame(App& app, double dt);
// Fonts and style at `scale` device pixels per unit (call before the first frame, and when it changes).
void app_setup_fonts(App& app, float scale);

}  // namespace loopscope::ui
