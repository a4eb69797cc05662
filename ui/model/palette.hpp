// Colours: one per task, the same in every pane and every frame, and the two themes.
//
// A task's colour comes from its id alone (a golden-angle walk round the hue circle), so a task
// keeps its colour when the run is recorded again, when the view scrolls, and in a screenshot
// shared with someone else. Colours are plain RGBA here; the panes hand them to ImGui.
#pragma once

#include <cstdint>

namespace loopscope::ui {

struct Rgba {
  uint8_t r = 0, g = 0, b = 0, a = 255;
  // ImGui's packed colour (IM_COL32: a b g r from the high byte down).
  uint32_t packed() const noexcept { return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{g} << 8 | r; }
  Rgba with_alpha(uint8_t alpha) const noexcept { return {r, g, b, alpha}; }
  bool operator==(const Rgba&) const = default;
};

// Mixes `a` toward `b` by t in [0, 1].
Rgba mix(Rgba a, Rgba b, float t) noexcept;
// Relative luminance (0 black .. 1 white), for choosing text on a coloured chip.
float luminance(Rgba c) noexcept;
// The contrast ratio of two colours (WCAG: 1 to 21; body text wants 4.5).
float contrast(Rgba a, Rgba b) noexcept;
// Near-black or white, whichever reads better on `background` (a label on a task's bar or chip).
Rgba text_on(Rgba background) noexcept;

enum class ThemeName : uint8_t { Dark, Light };

struct Theme {
  ThemeName name;
  Rgba background, panel, panel_alt, border, text, text_dim, text_faint;
  Rgba accent, cursor, selection, grid, warning, error, ok;
  // Task states in the task lanes.
  Rgba ready, waiting, blocked, idle;
  // Syntax colours of the editor.
  Rgba keyword, number, string, comment, function, punctuation;
};
const Theme& theme(ThemeName name) noexcept;

// The colour of task `id` (0, a callback or the scheduler itself: grey), readable on `theme`.
Rgba task_colour(uint64_t id, const Theme& theme) noexcept;

}  // namespace loopscope::ui
