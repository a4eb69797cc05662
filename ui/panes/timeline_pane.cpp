// The timeline: a lane per worker (which task it polls), a lane per task (ready, running, waiting,
// done), wake arrows from waker to wakee, glyphs for timers, steals, LIFO hits, budget, preemption,
// phases and prints, a ruler, and the cursor every pane follows. Zoom with the wheel or W/S, pan
// by dragging or A/D (physical keys), F fits; a click puts the cursor on the event under it.
// Drawing costs what is visible: layout_lane() merges what is narrower than 3 px.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "runtime/trace/trace.hpp"
#include "ui/model/narration.hpp"
#include "ui/panes/panes.hpp"
#include "ui/panes/widgets.hpp"

namespace loopscope::ui {

namespace {

struct Geometry {
  float left = 0, top = 0, right = 0, bottom = 0;  // the lanes' area (right of the labels)
  float label_x = 0;
  float worker_h = 0, task_h = 0, gap = 0;
  float rows_top = 0;  // y of the first row (scrolled)
};

float row_y(const Geometry& g, const Timeline& tl, size_t lane) {
  if (lane < tl.worker_lanes()) return g.rows_top + lane * g.worker_h;
  return g.rows_top + tl.worker_lanes() * g.worker_h + g.gap + (lane - tl.worker_lanes()) * g.task_h;
}
float row_h(const Geometry& g, const Timeline& tl, size_t lane) { return lane < tl.worker_lanes() ? g.worker_h : g.task_h; }

const char* source_short(uint8_t s, script::Profile p) {
  switch (static_cast<TaskSource>(s)) {
    case TaskSource::Queue: return "queue";
    case TaskSource::Lifo: return p == script::Profile::Go ? "runnext" : "LIFO";
    case TaskSource::Inject: return p == script::Profile::Go ? "global" : "inject";
    case TaskSource::Stolen: return "stolen";
    case TaskSource::Microtask: return "microtask";
    case TaskSource::NextTick: return "next tick";
    case TaskSource::Timers: return "timers";
    case TaskSource::Poll: return "poll";
    case TaskSource::Check: return "check";
    default: return "ready";
  }
}

const char* wait_short(uint8_t w) {
  switch (static_cast<Session::Wait>(w)) {
    case Session::Wait::Sleep: return "sleep";
    case Session::Wait::Channel: return "channel";
    case Session::Wait::Lock: return "lock";
    case Session::Wait::Join: return "join";
    case Session::Wait::Promise: return "promise";
    case Session::Wait::Io: return "I/O";
    case Session::Wait::Yield: return "yield";
    default: return "waiting";
  }
}

// Text clipped to [x0, x1], if at least a few characters fit.
// A label inside a bar: whole, or cut short with an ellipsis (at least three characters of it),
// or none — never a fragment that reads as another word.
void label_in(ImDrawList* dl, float x0, float x1, float y, ImU32 c, const std::string& text) {
  float w = x1 - x0 - 6;
  if (w < 18) return;
  if (ImGui::CalcTextSize(text.c_str()).x <= w) {
    dl->AddText(ImVec2(x0 + 3, y), c, text.c_str());
    return;
  }
  const char* ellipsis = "\u2026";
  float ew = ImGui::CalcTextSize(ellipsis).x;
  size_t n = text.size(), chars = 0;
  while (n > 0) {
    do --n; while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80);  // (a whole UTF-8 character)
    if (ImGui::CalcTextSize(text.data(), text.data() + n).x + ew <= w) break;
  }
  while (n > 0 && text[n - 1] == ' ') --n;
  for (size_t k = 0; k < n; ++k) chars += (static_cast<unsigned char>(text[k]) & 0xC0) != 0x80;
  if (chars < 3) return;
  dl->AddText(ImVec2(x0 + 3, y), c, (text.substr(0, n) + ellipsis).c_str());
}

const char* mark_name(MarkKind k) {
  switch (k) {
    case MarkKind::TimerFire: return "a timer fires";
    case MarkKind::IoReady: return "I/O ready";
    case MarkKind::Steal: return "a steal";
    case MarkKind::LifoHit: return "a LIFO-slot hit";
    case MarkKind::Budget: return "budget spent (forced yield)";
    case MarkKind::Preempt: return "preempted";
    case MarkKind::Phase: return "the event loop's phase changes";
    case MarkKind::Print: return "a print";
    case MarkKind::Blocking: return "a blocking call";
    case MarkKind::Count: break;
  }
  return "";
}

void fit(App& app, float width) {
  View& v = app.view;
  if (v.order) {
    double n = static_cast<double>(std::max<size_t>(v.order->size(), 2));
    v.u0 = -0.5;
    v.per_px = (n + 0.5) / std::max(width, 50.0f);
  } else {
    double end = std::max<double>(app.rec.timeline().now(), 1000.0);
    v.u0 = 0;
    v.per_px = end * 1.04 / std::max(width, 50.0f);
  }
}

void zoom_at(App& app, double x, double factor) {
  View& v = app.view;
  double u = v.u0 + x * v.per_px;
  double extent = v.order ? static_cast<double>(std::max<size_t>(v.order->size(), 10)) : std::max<double>(app.rec.timeline().end_time(), 1e6);
  double lo = v.order ? 0.004 : 0.02, hi = extent * 4 / std::max(v.width_px, 50.0);
  v.per_px = std::clamp(v.per_px * factor, lo, hi);
  v.u0 = u - x * v.per_px;
  app.follow = false;
}

// A click: the left button released without dragging past a few pixels.
bool clicked() { return ImGui::IsMouseReleased(ImGuiMouseButton_Left) && ImGui::GetIO().MouseDragMaxDistanceSqr[0] < 9; }

// The event closest to time `t` (by a binary search over the events' times, which grow almost in
// order; the neighbours settle the rest).
uint64_t event_near(const Session& s, double t) {
  const auto& ev = s.events();
  if (ev.empty()) return 0;
  auto it = std::lower_bound(ev.begin(), ev.end(), t, [](const TraceEvent& e, double x) { return static_cast<double>(e.time_ns) < x; });
  size_t i = static_cast<size_t>(it - ev.begin());
  if (i >= ev.size()) return ev.size() - 1;
  if (i > 0 && std::fabs(ev[i - 1].time_ns - t) <= std::fabs(ev[i].time_ns - t)) --i;
  return i;
}

}  // namespace

void draw_mark(ImDrawList* dl, const Mark& m, ImVec2 p, float s, const Theme& th) {
  switch (m.kind) {
    case MarkKind::TimerFire:
      dl->AddCircleFilled(p, s, col(th.panel), 12);
      dl->AddCircle(p, s, col(th.accent), 12, 1.5f);
      dl->AddLine(p, ImVec2(p.x, p.y - s * 0.7f), col(th.accent), 1.3f);
      dl->AddLine(p, ImVec2(p.x + s * 0.55f, p.y), col(th.accent), 1.3f);
      break;
    case MarkKind::IoReady: dl->AddRectFilled(ImVec2(p.x - s * 0.8f, p.y - s * 0.8f), ImVec2(p.x + s * 0.8f, p.y + s * 0.8f), col(th.ok), 1.5f); break;
    case MarkKind::Steal:
      dl->AddTriangleFilled(ImVec2(p.x - s, p.y - s), ImVec2(p.x + s, p.y - s), ImVec2(p.x, p.y + s), col(th.warning));
      break;
    case MarkKind::LifoHit:
      dl->AddTriangleFilled(ImVec2(p.x - s * 0.7f, p.y - s * 0.8f), ImVec2(p.x - s * 0.7f, p.y + s * 0.8f), ImVec2(p.x + s * 0.9f, p.y),
                            col(th.number));
      break;
    case MarkKind::Budget:
      dl->AddRectFilled(ImVec2(p.x - s * 0.75f, p.y - s * 0.75f), ImVec2(p.x + s * 0.75f, p.y + s * 0.75f), col(th.warning));
      dl->AddLine(ImVec2(p.x - s * 0.4f, p.y), ImVec2(p.x + s * 0.4f, p.y), col(th.background), 1.5f);
      break;
    case MarkKind::Preempt: {
      ImVec2 pts[4] = {ImVec2(p.x + s * 0.4f, p.y - s), ImVec2(p.x - s * 0.4f, p.y), ImVec2(p.x + s * 0.3f, p.y), ImVec2(p.x - s * 0.3f, p.y + s)};
      dl->AddPolyline(pts, 4, col(th.error), 0, 2.0f);
      break;
    }
    case MarkKind::Phase: dl->AddLine(ImVec2(p.x, p.y - s * 1.3f), ImVec2(p.x, p.y + s * 1.3f), col(th.keyword), 2.0f); break;
    case MarkKind::Print:
      dl->AddRectFilled(ImVec2(p.x - s, p.y - s * 0.7f), ImVec2(p.x + s, p.y + s * 0.5f), col(th.text), 2);
      dl->AddTriangleFilled(ImVec2(p.x - s * 0.5f, p.y + s * 0.5f), ImVec2(p.x, p.y + s * 0.5f), ImVec2(p.x - s * 0.6f, p.y + s), col(th.text));
      break;
    case MarkKind::Blocking: dl->AddRectFilled(ImVec2(p.x - s, p.y - s * 0.4f), ImVec2(p.x + s, p.y + s * 0.4f), col(th.error)); break;
    case MarkKind::Count: break;
  }
}

void draw_timeline(App& app, ImVec2 size) {
  const Theme& th = app.th();
  Recording& rec = app.rec;
  const Timeline& tl = rec.timeline();
  const Session* s = rec.session();
  ImGui::BeginChild("timeline", size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoNav);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float sc = app.scale;
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  const float label_w = 132 * sc, ruler_h = 24 * sc;
  Geometry g;
  g.label_x = p0.x;
  g.left = p0.x + label_w;
  g.right = p0.x + avail.x;
  g.top = p0.y + ruler_h;
  g.bottom = p0.y + avail.y;
  g.worker_h = 26 * sc;
  g.task_h = 19 * sc;
  g.gap = 10 * sc;
  const float width = g.right - g.left;
  app.view.width_px = width;
  app.view.min_px = 3;
  app.view.now = static_cast<double>(tl.now());
  app.view.order = app.event_axis ? &tl.times() : nullptr;
  if (app.follow) fit(app, width);
  View& v = app.view;

  // Background, lane stripes.
  dl->AddRectFilled(ImVec2(p0.x, p0.y), ImVec2(g.right, g.bottom), col(th.panel));
  const size_t lanes = tl.lanes().size();
  float content_h = lanes ? row_y(g, tl, lanes - 1) - g.rows_top + row_h(g, tl, lanes - 1) : 0;
  float max_scroll = std::max(0.0f, content_h - (g.bottom - g.top) + 8 * sc);
  app.lane_scroll = std::clamp(app.lane_scroll, 0.0f, max_scroll);
  g.rows_top = g.top + 4 * sc - app.lane_scroll;

  if (!s || s->events().empty()) {
    const auto& diags = s ? s->diagnostics() : app.ed.diagnostics;
    bool current = s || app.ed.checked_version == app.editor.version();
    std::string msg = !diags.empty() && current ? "Line " + std::to_string(diags.front().line) + " does not compile" +
                                                      (s ? ": nothing was recorded. Fix it and run again (Ctrl+Enter)." : " yet: fix it, then run (Ctrl+Enter).")
                      : "Run the program (Ctrl+Enter) to see it scheduled here.";
    ImVec2 ts = ImGui::CalcTextSize(msg.c_str());
    dl->AddText(ImVec2(p0.x + (avail.x - ts.x) * 0.5f, p0.y + avail.y * 0.45f), col(th.text_faint), msg.c_str());
    ImGui::EndChild();
    return;
  }
  const script::Profile profile = s->options().profile;

  // Input: wheel zooms at the mouse (over the labels it scrolls the lanes); drag pans; click
  // puts the cursor; W/S/A/D and F from the keyboard (physical keys).
  ImGui::SetCursorScreenPos(ImVec2(p0.x, p0.y));
  ImGui::InvisibleButton("lanes", avail);
  bool hovered = ImGui::IsItemHovered();
  ImGuiIO& io = ImGui::GetIO();
  ImVec2 mouse = io.MousePos;
  if (hovered && io.MouseWheel != 0) {
    if (mouse.x < g.left || io.KeyShift) app.lane_scroll -= io.MouseWheel * g.task_h * 3;
    else zoom_at(app, mouse.x - g.left, std::pow(0.8, io.MouseWheel));
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3)) {
    v.u0 -= io.MouseDelta.x * v.per_px;
    app.lane_scroll -= io.MouseDelta.y;
    app.follow = false;
  }
  bool keys_here = !app.ed.has_focus && !ImGui::GetIO().WantTextInput;
  if (keys_here) {
    double dt = io.DeltaTime;
    double cx = hovered && mouse.x > g.left ? mouse.x - g.left : width * 0.5;
    if (app.platform.physical_key_down('W')) zoom_at(app, cx, std::pow(0.25, dt));
    if (app.platform.physical_key_down('S')) zoom_at(app, cx, std::pow(4.0, dt));
    if (app.platform.physical_key_down('A')) v.u0 -= width * 0.9 * dt * v.per_px, app.follow = false;
    if (app.platform.physical_key_down('D')) v.u0 += width * 0.9 * dt * v.per_px, app.follow = false;
    if (ImGui::IsKeyPressed('F', false)) {
      app.follow = true;
      fit(app, width);
    }
  }

  // The hovered lane and time.
  int hover_lane = -1;
  double hover_t = v.t_of(mouse.x - g.left);
  if (hovered && mouse.y >= g.top)
    for (size_t l = 0; l < lanes; ++l) {
      float y = row_y(g, tl, l);
      if (mouse.y >= y && mouse.y < y + row_h(g, tl, l)) hover_lane = static_cast<int>(l);
    }
  const Span* hover_span = nullptr;

  ImGui::PushClipRect(ImVec2(p0.x, g.top), ImVec2(g.right, g.bottom), true);
  // Rows.
  std::vector<LaneItem> items;
  std::vector<Session::Starving> starving = s->ended() ? std::vector<Session::Starving>{} : s->starving();
  for (size_t l = 0; l < lanes; ++l) {
    float y = row_y(g, tl, l), h = row_h(g, tl, l);
    if (y + h < g.top || y > g.bottom) continue;
    const Lane& lane = tl.lanes()[l];
    bool selected = !lane.is_worker && lane.id == app.selected_task;
    if (selected) dl->AddRectFilled(ImVec2(p0.x, y), ImVec2(g.right, y + h), col(th.selection.with_alpha(110)));
    else if (l % 2 == 1 || lane.is_worker) dl->AddRectFilled(ImVec2(g.left, y), ImVec2(g.right, y + h), col(lane.is_worker ? th.panel_alt : th.idle));
    if (l + 1 == tl.worker_lanes()) dl->AddLine(ImVec2(p0.x, y + h + g.gap * 0.5f), ImVec2(g.right, y + h + g.gap * 0.5f), col(th.border));
    // Spans.
    items.clear();
    ImGui::PushClipRect(ImVec2(g.left, y), ImVec2(g.right, y + h), true);
    layout_lane(lane, v, items);
    const float pad = lane.is_worker ? 3 * sc : 2 * sc;
    for (const LaneItem& it : items) {
      const Span& sp = lane.spans[it.span];
      float x0 = g.left + static_cast<float>(it.x0), x1 = g.left + static_cast<float>(it.x1);
      x0 = std::max(x0, g.left - 2);
      x1 = std::min(x1, g.right + 2);
      ImVec2 a(x0, y + pad), b(std::max(x1, x0 + 1), y + h - pad);
      if (it.count > 1 && !it.one_task) {
        dl->AddRectFilled(a, b, col(mix(th.panel_alt, th.text_dim, 0.45f)), 2);
        if (x1 - x0 > 34 * sc) label_in(dl, x0, x1, y + (h - ImGui::GetTextLineHeight()) * 0.5f, col(th.background), "×" + std::to_string(it.count));
        continue;
      }
      Rgba c = task_colour(sp.task, th);
      std::string text;
      switch (sp.kind) {
        case SpanKind::Poll:
          dl->AddRectFilled(a, b, col(c), 2);
          if (app.selected_task && sp.task == app.selected_task) dl->AddRect(a, b, col(th.text), 2, 0, 1.5f * sc);
          text = it.count > 1 ? "×" + std::to_string(it.count) : task_short(app, sp.task);
          label_in(dl, x0, x1, y + (h - ImGui::GetTextLineHeight()) * 0.5f, col(text_on(c)), text);
          break;
        case SpanKind::Callback:
          dl->AddRectFilled(a, b, col(task_colour(0, th)), 2);
          label_in(dl, x0, x1, y + (h - ImGui::GetTextLineHeight()) * 0.5f, col(Rgba{20, 22, 28, 255}), source_short(sp.detail, profile));
          break;
        case SpanKind::Parked:
          dl->AddLine(ImVec2(x0, y + h * 0.5f), ImVec2(x1, y + h * 0.5f), col(th.border), 1);
          break;
        case SpanKind::Running:
          dl->AddRectFilled(a, b, col(c), 2);
          break;
        case SpanKind::Ready:
          dl->AddRectFilled(a, b, col(c.with_alpha(70)), 2);
          dl->AddRect(a, b, col(c.with_alpha(170)), 2);
          if (it.count == 1) label_in(dl, x0, x1, y + (h - ImGui::GetTextLineHeight()) * 0.5f, col(th.text_dim), source_short(sp.detail, profile));
          break;
        case SpanKind::Waiting: {
          float my = y + h * 0.5f;
          dl->AddLine(ImVec2(x0, my), ImVec2(x1, my), col(c.with_alpha(150)), 1.5f * sc);
          if (it.count == 1 && x1 - x0 > 40 * sc) {
            std::string about = sp.about ? s->notes_text()[sp.about] : wait_short(sp.detail);
            ImVec2 ts = ImGui::CalcTextSize(about.c_str());
            float tx = std::max(x0, g.left) + 4 * sc;
            if (tx + ts.x + 8 * sc < x1) {
              dl->AddRectFilled(ImVec2(tx - 3 * sc, my - ts.y * 0.5f), ImVec2(tx + ts.x + 3 * sc, my + ts.y * 0.5f), col(th.panel));
              dl->AddText(ImVec2(tx, my - ts.y * 0.5f), col(th.text_faint), about.c_str());
            }
          }
          break;
        }
      }
      if (static_cast<int>(l) == hover_lane && mouse.x >= x0 && mouse.x <= x1) hover_span = &sp;
    }
    ImGui::PopClipRect();
    // A task spinning right now: flagged at the end of its lane and its worker's.
    for (const Session::Starving& st : starving) {
      bool here = lane.is_worker ? st.worker == lane.id : st.task == lane.id && st.task != 0;
      if (!here) continue;
      float x = g.left + static_cast<float>(v.x_of(static_cast<double>(tl.now())));
      const char* tag = "never yields";  // (the task that starves the others)
      ImVec2 ts = ImGui::CalcTextSize(tag);
      float tx = std::min(x + 4 * sc, g.right - ts.x - 6 * sc);
      float pulse = 0.6f + 0.4f * static_cast<float>(std::sin(app.time * 6));
      dl->AddRectFilled(ImVec2(tx - 3 * sc, y + 1), ImVec2(tx + ts.x + 3 * sc, y + h - 1), col(th.error.with_alpha(static_cast<uint8_t>(200 * pulse))), 3);
      dl->AddText(ImVec2(tx, y + (h - ts.y) * 0.5f), col(Rgba{255, 255, 255, 255}), tag);
    }
  }

  // Glyphs.
  const float gs = 4.2f * sc;
  const Mark* hover_mark = nullptr;
  {
    // One glyph a few pixels apart per lane at most: a zoomed-out view jumps over the marks that
    // would pile up (thousands to a pixel), so it costs what is drawn.
    const auto& marks = tl.marks();
    const double gap_px = 5;
    for (size_t l = 0; l < lanes; ++l) {
      float y = row_y(g, tl, l);
      if (y < g.top - 10 || y > g.bottom) continue;
      const std::vector<uint32_t>& list = tl.lane_marks(l);
      auto at_time = [&](auto from, double t) {
        return std::lower_bound(from, list.end(), t, [&](uint32_t k, double x) { return static_cast<double>(marks[k].time) < x; });
      };
      float gy = y + (l < tl.worker_lanes() ? gs + 1 : row_h(g, tl, l) * 0.5f);
      for (auto it = at_time(list.begin(), v.t0()); it != list.end();) {
        const Mark& m = marks[*it];
        if (static_cast<double>(m.time) > v.t1()) break;
        double x = v.x_of(static_cast<double>(m.time));
        ImVec2 at(g.left + static_cast<float>(x), gy);
        draw_mark(dl, m, at, gs, th);
        if (hovered && std::fabs(mouse.x - at.x) < gs + 2 && std::fabs(mouse.y - at.y) < gs + 2) hover_mark = &m;
        auto next = std::next(it);
        if (next != list.end() && v.x_of(static_cast<double>(marks[*next].time)) - x < gap_px) next = at_time(next, v.t_of(x + gap_px));
        it = next;
      }
    }
  }

  // Wake arrows: all of them when there are few in view, else those of the selected task.
  {
    const auto& flows = tl.flows();
    auto [first, end] = tl.flows_in(v.t0(), v.t1());
    size_t visible = 0;
    for (size_t k = first; k < end; ++k)
      if (flows[k].to_event && flows[k].to_time >= v.t0() && flows[k].from_time <= v.t1() && ++visible > 300) break;
    for (size_t k = first; k < end && (visible <= 300 || app.selected_task); ++k) {
      const Flow& f = flows[k];
      if (!f.to_event || f.to_time < v.t0() || f.from_time > v.t1()) continue;
      bool mine = app.selected_task && (f.waker == app.selected_task || f.wakee == app.selected_task);
      if (visible > 300 && !mine) continue;
      const Lane* to = tl.task_lane(f.wakee);
      if (!to) continue;
      size_t to_l = static_cast<size_t>(to - tl.lanes().data());
      size_t from_l = f.waker ? static_cast<size_t>(tl.task_lane(f.waker) - tl.lanes().data()) : f.from_worker;
      if (f.waker && !tl.task_lane(f.waker)) continue;
      float x0 = g.left + static_cast<float>(v.x_of(static_cast<double>(f.from_time)));
      float x1 = g.left + static_cast<float>(v.x_of(static_cast<double>(f.to_time)));
      float y0 = row_y(g, tl, from_l) + row_h(g, tl, from_l) * 0.5f, y1 = row_y(g, tl, to_l) + row_h(g, tl, to_l) * 0.5f;
      Rgba c = f.waker ? task_colour(f.waker, th) : th.accent;
      uint8_t alpha = mine || !app.selected_task ? 210 : 70;
      float bend = std::max(12 * sc, std::fabs(x1 - x0) * 0.5f);
      dl->AddBezierCubic(ImVec2(x0, y0), ImVec2(x0 + bend, y0), ImVec2(x1 - bend, y1), ImVec2(x1, y1), col(c.with_alpha(alpha)), 1.3f * sc);
      dl->AddTriangleFilled(ImVec2(x1, y1), ImVec2(x1 - 6 * sc, y1 - 3.5f * sc), ImVec2(x1 - 6 * sc, y1 + 3.5f * sc), col(c.with_alpha(alpha)));
    }
  }

  // The cursor.
  float cursor_x = g.left + static_cast<float>((v.u_of_event(rec.cursor(), static_cast<double>(rec.cursor_time())) - v.u0) / v.per_px);
  if (cursor_x >= g.left - 1 && cursor_x <= g.right + 1) {
    dl->AddLine(ImVec2(cursor_x, p0.y), ImVec2(cursor_x, g.bottom), col(th.cursor), 2 * sc);
  }
  if (hovered && mouse.x > g.left) dl->AddLine(ImVec2(mouse.x, g.top), ImVec2(mouse.x, g.bottom), col(th.text_faint.with_alpha(90)), 1);
  ImGui::PopClipRect();

  // Labels (over the lanes' left edge), then the ruler.
  dl->AddRectFilled(ImVec2(p0.x, g.top), ImVec2(g.left, g.bottom), col(th.panel));
  ImGui::PushClipRect(ImVec2(p0.x, g.top), ImVec2(g.left, g.bottom), true);
  for (size_t l = 0; l < lanes; ++l) {
    float y = row_y(g, tl, l), h = row_h(g, tl, l);
    if (y + h < g.top || y > g.bottom) continue;
    const Lane& lane = tl.lanes()[l];
    float ty = y + (h - ImGui::GetTextLineHeight()) * 0.5f;
    if (lane.is_worker) {
      std::string name = profile == script::Profile::Go ? "P" + std::to_string(lane.id) : lane.name;
      ImGui::PushFont(fonts().ui_bold);
      dl->AddText(ImVec2(p0.x + 8 * sc, ty), col(th.text), name.c_str());
      ImGui::PopFont();
    } else {
      Rgba c = task_colour(lane.id, th);
      dl->AddCircleFilled(ImVec2(p0.x + 11 * sc, y + h * 0.5f), 4 * sc, col(lane.done ? c.with_alpha(110) : c));
      std::string name = task_short(app, lane.id);
      ImGui::PushClipRect(ImVec2(p0.x, y), ImVec2(g.left - 4 * sc, y + h), true);
      dl->AddText(ImVec2(p0.x + 20 * sc, ty), col(lane.done ? th.text_faint : th.text_dim), name.c_str());
      ImGui::PopClipRect();
      if (hovered && clicked() && mouse.x < g.left && mouse.y >= y && mouse.y < y + h)
        app.selected_task = app.selected_task == lane.id ? 0 : lane.id;
    }
  }
  ImGui::PopClipRect();
  dl->AddLine(ImVec2(g.left, g.top), ImVec2(g.left, g.bottom), col(th.border));
  if (max_scroll > 0) {  // where the lanes are scrolled to
    float track = g.bottom - g.top, thumb = track * (g.bottom - g.top) / (content_h + 8 * sc);
    float ty = g.top + (track - thumb) * (app.lane_scroll / max_scroll);
    dl->AddRectFilled(ImVec2(g.right - 4 * sc, ty), ImVec2(g.right - 1 * sc, ty + thumb), col(th.text_faint.with_alpha(120)), 2);
  }

  // Ruler: time, or event numbers on the event-order axis.
  dl->AddRectFilled(ImVec2(p0.x, p0.y), ImVec2(g.right, g.top), col(th.panel_alt));
  dl->AddLine(ImVec2(p0.x, g.top), ImVec2(g.right, g.top), col(th.border));
  {
    double step = std::max(tick_step(v, 90 * sc), v.order ? 1.0 : 0.0);
    double first = std::floor(v.u0 / step) * step;
    ImGui::PushFont(fonts().small);
    for (double u = first; u <= v.u0 + v.width_px * v.per_px; u += step) {
      float x = g.left + static_cast<float>((u - v.u0) / v.per_px);
      if (x < g.left || (v.order && (u < 0 || u >= static_cast<double>(v.order->size())))) continue;
      dl->AddLine(ImVec2(x, g.top - 6 * sc), ImVec2(x, g.top), col(th.text_faint));
      dl->AddLine(ImVec2(x, g.top), ImVec2(x, g.bottom), col(th.grid.with_alpha(90)));
      std::string label = v.order ? "#" + std::to_string(static_cast<long long>(u)) + "  " + time_label(v.t_of_u(u)) : time_label(u);
      dl->AddText(ImVec2(x + 3 * sc, p0.y + 4 * sc), col(th.text_dim), label.c_str());
    }
    ImGui::PopFont();
  }
  {  // The axis switch and the view's extent, top left.
    ImGui::SetCursorScreenPos(ImVec2(p0.x + 6 * sc, p0.y + 2 * sc));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6 * sc, 1 * sc));
    if (ImGui::SmallButton(app.event_axis ? "event order" : "time")) {
      app.event_axis = !app.event_axis;
      app.follow = true;
    }
    ImGui::PopStyleVar();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(app.event_axis ? "Each event the same width, idle time squeezed out: the order of things.\nClick for real (virtual) time."
                                       : "Real (virtual) time: how long things took.\nClick for event order: each event the same width.");
  }
  if (cursor_x >= g.left && cursor_x <= g.right)
    dl->AddTriangleFilled(ImVec2(cursor_x - 5 * sc, p0.y), ImVec2(cursor_x + 5 * sc, p0.y), ImVec2(cursor_x, p0.y + 7 * sc), col(th.cursor));

  // Hover details and click.
  if (hovered && mouse.x > g.left) {
    uint64_t event = UINT64_MAX;
    ImGui::BeginTooltip();
    if (hover_mark) {
      event = hover_mark->event;
      ImGui::Text("%s", mark_name(hover_mark->kind));
      if (hover_mark->kind == MarkKind::Print && hover_mark->arg < s->printed().size())
        ImGui::TextColored(col4(th.text_dim), "%s", s->printed()[hover_mark->arg].text.c_str());
    } else if (hover_span) {
      event = hover_span->first_event;
      const Lane& lane = tl.lanes()[static_cast<size_t>(hover_lane)];
      std::string what;
      switch (hover_span->kind) {
        case SpanKind::Poll: what = "polling " + task_short(app, hover_span->task); break;
        case SpanKind::Callback: what = std::string("a callback (") + source_short(hover_span->detail, profile) + ")"; break;
        case SpanKind::Parked: what = "parked: nothing to do"; break;
        case SpanKind::Running: what = "running on " + (profile == script::Profile::Go ? "P" : std::string("worker ")) + std::to_string(hover_span->detail); break;
        case SpanKind::Ready: what = std::string("ready, taken from: ") + source_short(hover_span->detail, profile); break;
        case SpanKind::Waiting: what = "waiting on " + (hover_span->about ? s->notes_text()[hover_span->about] : std::string(wait_short(hover_span->detail))); break;
      }
      ImGui::PushFont(fonts().ui_bold);
      ImGui::TextUnformatted(lane.is_worker ? lane.name.c_str() : task_short(app, lane.id).c_str());
      ImGui::PopFont();
      ImGui::TextUnformatted(what.c_str());
      double end = lane.open && hover_span == &lane.spans.back() ? static_cast<double>(tl.now()) : static_cast<double>(hover_span->end);
      ImGui::TextColored(col4(th.text_dim), "%s → %s (%s)", time_label(static_cast<double>(hover_span->start)).c_str(), time_label(end).c_str(),
                         time_label(end - static_cast<double>(hover_span->start)).c_str());
    } else {
      event = event_near(*s, hover_t);
      ImGui::TextColored(col4(th.text_dim), "%s", time_label(hover_t).c_str());
    }
    if (event != UINT64_MAX && event < s->events().size()) {
      const TraceEvent& e = s->events()[event];
      uint32_t line = s->notes()[event].line;
      ImGui::Separator();
      ImGui::TextColored(col4(th.text_dim), "event %llu · %s · %s%s", static_cast<unsigned long long>(event),
                         std::string(event_kind_name(e.kind)).c_str(), time_label(static_cast<double>(e.time_ns)).c_str(),
                         line ? (" · line " + std::to_string(line)).c_str() : "");
      ImGui::TextColored(col4(th.text_faint), "click to put the cursor here");
    }
    ImGui::EndTooltip();
    if (clicked() && event != UINT64_MAX) {
      rec.pause();
      rec.seek(event);
      if (hover_span && hover_lane >= static_cast<int>(tl.worker_lanes())) app.selected_task = tl.lanes()[static_cast<size_t>(hover_lane)].id;
    }
  }
  ImGui::EndChild();
}

void draw_narration(App& app, ImVec2 size) {
  const Theme& th = app.th();
  Recording& rec = app.rec;
  const Session* s = rec.session();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, col4(th.panel_alt));
  ImGui::BeginChild("narration", size, false, ImGuiWindowFlags_NoScrollbar);
  ImGui::SetCursorPos(ImVec2(10 * app.scale, 6 * app.scale));
  if (!s || s->events().empty()) {
    ImGui::TextColored(col4(th.text_faint), "What just happened, one event at a time: step with → and ←, or click the timeline.");
    ImGui::EndChild();
    ImGui::PopStyleColor();
    return;
  }
  uint64_t i = rec.cursor();
  const TraceEvent& e = s->events()[i];
  // The sentence uses the queues right after the event when the viewer is not watching it fly by.
  const script::Snapshot* snap = !rec.playing() ? rec.snapshot() : nullptr;
  std::string sentence = narrate(*s, i, snap);
  // First line: where the cursor is, and how far the recording got; second: what happened.
  ImGui::PushFont(fonts().ui_bold);
  ImGui::TextColored(col4(th.text_dim), "event %llu", static_cast<unsigned long long>(i));  // (as the ruler and tooltips number them)
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::TextColored(col4(th.text_faint), "%s · %s", time_label(static_cast<double>(e.time_ns)).c_str(), std::string(event_kind_name(e.kind)).c_str());
  char progress[160];
  std::string span = time_label(static_cast<double>(rec.timeline().now()));
  const char* clock = s->real() ? "real time" : "virtual time";
  if (!s->ended())
    std::snprintf(progress, sizeof progress, "%s… %llu events, %s of %s so far", s->real() ? "running for real" : "recording",
                  static_cast<unsigned long long>(rec.events()), span.c_str(), clock);
  else
    std::snprintf(progress, sizeof progress, "recorded %llu events over %s of %s · exit %d", static_cast<unsigned long long>(rec.events()),
                  span.c_str(), clock, s->result().exit_status);
  uint32_t line = s->notes()[i].line;
  float right = ImGui::GetWindowWidth() - (line ? 84 : 10) * app.scale;
  float pw = ImGui::CalcTextSize(progress).x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20 * app.scale, right - pw));
  ImGui::TextColored(col4(s->ended() && s->result().exit_status ? th.error : th.text_faint), "%s", progress);
  if (line) {
    ImGui::SameLine(ImGui::GetWindowWidth() - 78 * app.scale);
    char label[32];
    std::snprintf(label, sizeof label, "line %u", line);
    if (ImGui::SmallButton(label)) app.ed.focus_next = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The line that made this event (marked in the editor)");
  }
  ImGui::SetCursorPosX(10 * app.scale);
  ImGui::PushTextWrapPos(ImGui::GetWindowWidth() - 10 * app.scale);
  ImGui::TextUnformatted(sentence.c_str());
  ImGui::PopTextWrapPos();
  if (!rec.playing()) app.marked_line = line;
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

}  // namespace loopscope::ui
