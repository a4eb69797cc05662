// The panes that list things at the cursor: the console (what was printed, by whom, when), the
// queues (from the snapshot right after the cursor's event, what changed since the step before
// ringed), the task list (sortable), and the warnings (the lints, and a task starving right now).
#include <imgui.h>

#include <algorithm>
#include <set>

#include "ui/model/narration.hpp"
#include "ui/panes/panes.hpp"
#include "ui/panes/widgets.hpp"

namespace loopscope::ui {

void draw_console(App& app, ImVec2 size) {
  const Theme& th = app.th();
  Recording& rec = app.rec;
  const Session* s = rec.session();
  ImGui::BeginChild("console_pane", size, false, ImGuiWindowFlags_NoScrollbar);
  pane_title(app, "Console", s && !s->printed().empty() ? "each line in its task's colour; click one to go to it" : nullptr);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, col4(th.panel));
  ImGui::BeginChild("console", ImVec2(0, 0), false, 0);
  if (!s) {
    ImGui::TextColored(col4(th.text_faint), "The program's output shows here, line by line.");
  } else {
    // Compile errors first: they are what the user must fix.
    for (const script::Diagnostic& d : rec.diagnostics())
      ImGui::TextColored(col4(th.error), "line %u:%u: %s", d.line, d.col, d.message.c_str());
    size_t shown = rec.printed_upto_cursor();
    if (shown == 0 && rec.diagnostics().empty())
      ImGui::TextColored(col4(th.text_faint), s->ended() ? "The program printed nothing." : "Nothing printed yet.");
    ImGui::PushFont(fonts().mono);
    const float sc = app.scale;
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 1 * sc));  // (rows close together, as in a terminal)
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(shown));
    while (clipper.Step()) {
      for (int k = clipper.DisplayStart; k < clipper.DisplayEnd; ++k) {
        const Session::Printed& p = s->printed()[static_cast<size_t>(k)];
        ImGui::PushID(k);
        ImVec2 at = ImGui::GetCursorScreenPos();
        std::string text = p.text;
        while (!text.empty() && text.back() == '\n') text.pop_back();
        std::string time = time_label(static_cast<double>(p.time_ns));
        ImDrawList* dl = ImGui::GetWindowDrawList();
        float h = ImGui::GetTextLineHeightWithSpacing() * std::max<size_t>(1, std::count(text.begin(), text.end(), '\n') + 1);
        if (ImGui::InvisibleButton("line", ImVec2(ImGui::GetContentRegionAvail().x, h))) {
          rec.pause();
          rec.seek(rec.event_of_print(static_cast<size_t>(k)));
          if (p.task) app.selected_task = p.task;
        }
        bool hot = ImGui::IsItemHovered();
        if (hot) dl->AddRectFilled(at, ImVec2(at.x + ImGui::GetContentRegionAvail().x, at.y + h), col(th.panel_alt));
        dl->AddRectFilled(at, ImVec2(at.x + 3 * sc, at.y + h), col(task_colour(p.task, th)));
        dl->AddText(ImVec2(at.x + 8 * sc, at.y), col(th.text_faint), time.c_str());
        float tx = at.x + 8 * sc + ImGui::CalcTextSize("000.00 ms").x + 8 * sc;
        dl->AddText(ImVec2(tx, at.y), col(p.err ? th.error : th.text), text.c_str());
        if (hot) ImGui::SetTooltip("%s at %s%s", task_short(app, p.task).c_str(), time.c_str(), p.line ? (", line " + std::to_string(p.line)).c_str() : "");
        ImGui::PopID();
      }
    }
    ImGui::PopStyleVar();
    ImGui::PopFont();
    // Follow the newest line while the run plays.
    if (rec.playing() && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 40) ImGui::SetScrollHereY(1.0f);
    if (rec.recording_ended() && rec.at_end() && s->ended()) {
      const script::RunResult& r = s->result();
      if (r.exit_status != 0 && !r.error.empty()) ImGui::TextColored(col4(th.error), "%s", r.error.c_str());
      ImGui::TextColored(col4(th.text_faint), "— the program ended with exit status %d —", r.exit_status);
    }
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::EndChild();
}

namespace {

// Whether `task` sat in the same container one step before (so it did not just arrive).
bool was_in(const std::optional<script::Snapshot>& prev, uint64_t task, const std::vector<uint64_t>& (*pick)(const script::Snapshot&, size_t),
            size_t index) {
  if (!prev) return true;
  const auto& v = pick(*prev, index);
  return std::find(v.begin(), v.end(), task) != v.end();
}

const std::vector<uint64_t>& local_of(const script::Snapshot& s, size_t w) {
  static const std::vector<uint64_t> none;
  return w < s.queues.workers.size() ? s.queues.workers[w].local : none;
}
const std::vector<uint64_t>& inject_of(const script::Snapshot& s, size_t) { return s.queues.inject; }
const std::vector<uint64_t>& micro_of(const script::Snapshot& s, size_t) { return s.queues.microtasks; }
const std::vector<uint64_t>& ticks_of(const script::Snapshot& s, size_t) { return s.queues.next_ticks; }

void row_label(App& app, const char* label, float width) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(col4(app.th().text_dim), "%s", label);
  ImGui::SameLine(width);
}

void chips(App& app, const std::vector<uint64_t>& ids, const std::optional<script::Snapshot>& prev,
           const std::vector<uint64_t>& (*pick)(const script::Snapshot&, size_t), size_t index, const char* empty) {
  if (ids.empty()) {
    ImGui::TextColored(col4(app.th().text_faint), "%s", empty);
    return;
  }
  float right = ImGui::GetWindowContentRegionMax().x;
  for (size_t k = 0; k < ids.size(); ++k) {
    if (k) {
      ImGui::SameLine(0, 4 * app.scale);
      if (ImGui::GetCursorPosX() + 90 * app.scale > right) ImGui::NewLine(), ImGui::SameLine(110 * app.scale);
    }
    task_chip(app, ids[k], !was_in(prev, ids[k], pick, index), "q");
  }
}

}  // namespace

void draw_queues(App& app, ImVec2 size) {
  const Theme& th = app.th();
  Recording& rec = app.rec;
  const Session* s = rec.session();
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10 * app.scale, 6 * app.scale));
  ImGui::BeginChild("queues", size, false, ImGuiWindowFlags_AlwaysUseWindowPadding);
  ImGui::PopStyleVar();
  if (!s || rec.events() == 0) {
    ImGui::TextColored(col4(th.text_faint), "The queues at the cursor: who is ready where, timers, channels, locks.");
    ImGui::EndChild();
    return;
  }
  if (s->real()) {
    ImGui::TextColored(col4(th.text_faint), "A real run: its queues are shown in simulation only, where any moment can be\nreplayed exactly. Turn \"real\" off and run again to see them.");
    ImGui::EndChild();
    return;
  }
  if (rec.playing() && !rec.recording_ended()) {
    ImGui::TextColored(col4(th.text_faint), "Recording… pause (Space) or step (→) to see the queues at the cursor.");
    ImGui::EndChild();
    return;
  }
  const script::Snapshot* snap = rec.snapshot();
  if (!snap) {
    ImGui::EndChild();
    return;
  }
  // What changed since the moment shown before is ringed, when that moment was one event away.
  if (app.shown_snapshot != snap->event) {
    bool adjacent = app.shown && (app.shown->event + 1 == snap->event || snap->event + 1 == app.shown->event);
    app.previous = adjacent ? std::move(app.shown) : std::nullopt;
    app.shown = *snap;
    app.shown_snapshot = snap->event;
  }
  const std::optional<script::Snapshot>& prev = app.previous;
  const script::Profile profile = s->options().profile;
  const float label_w = 110 * app.scale;
  const QueueState& q = snap->queues;
  bool multi = profile == script::Profile::Tokio || profile == script::Profile::Go;
  for (size_t w = 0; w < q.workers.size(); ++w) {
    const QueueState::Worker& wq = q.workers[w];
    ImGui::PushID(static_cast<int>(w));
    std::string name = profile == script::Profile::Go ? "P" + std::to_string(w) : q.workers.size() > 1 || multi ? "worker " + std::to_string(w) : "run queue";
    ImGui::PushFont(fonts().ui_bold);
    ImGui::TextUnformatted(name.c_str());
    ImGui::PopFont();
    // What it is doing: polling a task (from the timeline's worker lane at the cursor), parked...
    if (w < rec.timeline().worker_lanes()) {
      const Span* sp = Timeline::span_at(rec.timeline().lanes()[w], static_cast<uint32_t>(rec.cursor()));
      bool open = sp && (sp == &rec.timeline().lanes()[w].spans.back() ? rec.timeline().lanes()[w].open : sp->end >= rec.cursor_time());
      ImGui::SameLine();
      if (open && sp->kind == SpanKind::Poll) {
        ImGui::TextColored(col4(th.text_faint), "polling");
        ImGui::SameLine();
        task_chip(app, sp->task, false, "running");
      } else if (open && sp->kind == SpanKind::Callback) {
        ImGui::TextColored(col4(th.text_faint), "running a callback");
      } else if (open && sp->kind == SpanKind::Parked) {
        ImGui::TextColored(col4(th.text_faint), "parked");
      } else {
        ImGui::TextColored(col4(th.text_faint), "idle");
      }
    }
    if (multi) {
      row_label(app, profile == script::Profile::Go ? "  runnext" : "  LIFO slot", label_w);
      if (wq.lifo) task_chip(app, wq.lifo, prev && (prev->queues.workers.size() <= w || prev->queues.workers[w].lifo != wq.lifo), "lifo");
      else ImGui::TextColored(col4(th.text_faint), "empty");
    }
    row_label(app, multi ? "  local queue" : "  ready", label_w);
    chips(app, wq.local, prev, local_of, w, "empty");
    if (!wq.deferred.empty()) {
      row_label(app, "  deferred", label_w);
      chips(app, wq.deferred, std::nullopt, local_of, w, "");
    }
    if (wq.microtasks) {
      row_label(app, "  microtasks", label_w);
      ImGui::Text("%zu queued", wq.microtasks);
    }
    ImGui::PopID();
  }
  if (multi) {
    row_label(app, profile == script::Profile::Go ? "global queue" : "inject queue", label_w);
    chips(app, q.inject, prev, inject_of, 0, "empty");
  }
  if (profile == script::Profile::Node) {
    row_label(app, "next ticks", label_w);
    chips(app, q.next_ticks, prev, ticks_of, 0, "empty");
    row_label(app, "microtasks", label_w);
    chips(app, q.microtasks, prev, micro_of, 0, "empty");
    row_label(app, "immediates", label_w);
    if (q.immediates) ImGui::Text("%zu queued", q.immediates);
    else ImGui::TextColored(col4(th.text_faint), "empty");
    if (!q.loop_timers.empty()) {
      row_label(app, "loop timers", label_w);
      std::string t;
      for (uint64_t ms : q.loop_timers) t += (t.empty() ? "" : ", ") + std::to_string(ms) + " ms";
      ImGui::TextUnformatted(t.c_str());
    }
  }
  ImGui::Spacing();
  if (!q.timers.empty()) {
    ImGui::PushFont(fonts().ui_bold);
    ImGui::TextUnformatted("Timers");
    ImGui::PopFont();
    for (const QueueState::Timer& t : q.timers) {
      ImGui::PushID(static_cast<int>(&t - q.timers.data()));
      row_label(app, ("  at " + std::to_string(t.deadline_ms) + " ms").c_str(), label_w);
      if (t.task) task_chip(app, t.task, false, "timer");
      else ImGui::TextColored(col4(th.text_faint), "a callback");
      ImGui::PopID();
    }
  }
  if (!snap->reactor.empty()) {
    ImGui::PushFont(fonts().ui_bold);
    ImGui::TextUnformatted("Reactor");
    ImGui::PopFont();
    for (const auto& r : snap->reactor) {
      ImGui::PushID(static_cast<int>(r.task));
      row_label(app, ("  " + r.interest).c_str(), label_w);
      task_chip(app, r.task, false, "io");
      ImGui::PopID();
    }
  }
  for (const script::Snapshot::Chan& c : snap->channels) {
    ImGui::PushID(static_cast<int>(c.id));
    ImGui::PushFont(fonts().ui_bold);
    ImGui::Text("Channel %llu", static_cast<unsigned long long>(c.id));
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::TextColored(col4(th.text_faint), "%s%s", c.capacity ? ("capacity " + std::to_string(*c.capacity)).c_str() : "unbounded",
                       c.closed ? ", closed" : "");
    row_label(app, "  buffer", label_w);
    if (c.buffered.empty()) {
      ImGui::TextColored(col4(th.text_faint), "empty");
    } else {
      ImGui::PushFont(fonts().mono);
      for (size_t k = 0; k < c.buffered.size() && k < 24; ++k) {
        if (k) ImGui::SameLine(0, 3 * app.scale);
        ImGui::PushStyleColor(ImGuiCol_Button, col4(th.panel_alt));
        ImGui::SmallButton((c.buffered[k] + "##v" + std::to_string(k)).c_str());
        ImGui::PopStyleColor();
      }
      if (c.buffered.size() > 24) ImGui::SameLine(), ImGui::Text("+%zu", c.buffered.size() - 24);
      ImGui::PopFont();
    }
    if (!c.senders.empty()) row_label(app, "  senders", label_w), chips(app, c.senders, std::nullopt, inject_of, 0, "");
    if (!c.receivers.empty()) row_label(app, "  receivers", label_w), chips(app, c.receivers, std::nullopt, inject_of, 0, "");
    ImGui::PopID();
  }
  for (const script::Snapshot::Mutex& m : snap->mutexes) {
    ImGui::PushID(static_cast<int>(m.id) + 100000);
    ImGui::PushFont(fonts().ui_bold);
    ImGui::Text("Mutex %llu", static_cast<unsigned long long>(m.id));
    ImGui::PopFont();
    row_label(app, "  held by", label_w);
    if (m.holder) {
      task_chip(app, m.holder, false, "holder");
      if (m.locked_at_line) ImGui::SameLine(), ImGui::TextColored(col4(th.text_faint), "since line %u", m.locked_at_line);
    } else {
      ImGui::TextColored(col4(th.text_faint), "nobody");
    }
    if (!m.waiters.empty()) row_label(app, "  waiting", label_w), chips(app, m.waiters, std::nullopt, inject_of, 0, "");
    ImGui::PopID();
  }
  ImGui::EndChild();
}

namespace {

std::string state_at(const App& app, const Lane& lane) {
  const Span* sp = Timeline::span_at(lane, static_cast<uint32_t>(app.rec.cursor()));
  if (!sp) return "not spawned";
  if (sp == &lane.spans.back() && lane.done && sp->end <= app.rec.cursor_time()) return "done";
  switch (sp->kind) {
    case SpanKind::Running: return "running";
    case SpanKind::Ready: return "ready";
    case SpanKind::Waiting: return "waiting";
    default: return "";
  }
}

}  // namespace

void draw_tasks(App& app, ImVec2 size) {
  const Theme& th = app.th();
  const Timeline& tl = app.rec.timeline();
  ImGui::BeginChild("tasks", size, false, 0);
  if (tl.stats().empty()) {
    ImGui::TextColored(col4(th.text_faint), "Every task of the run, with its polls, busy time and wake-ups.");
    ImGui::EndChild();
    return;
  }
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                          ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("task_table", 8, flags)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("task", ImGuiTableColumnFlags_DefaultSort, 2.2f);
    ImGui::TableSetupColumn("at the cursor", 0, 1.3f);
    ImGui::TableSetupColumn("polls", ImGuiTableColumnFlags_PreferSortDescending, 0.9f);
    ImGui::TableSetupColumn("busy", ImGuiTableColumnFlags_PreferSortDescending, 1.1f);
    ImGui::TableSetupColumn("wakes", ImGuiTableColumnFlags_PreferSortDescending, 0.9f);
    ImGui::TableSetupColumn("self-wakes", ImGuiTableColumnFlags_PreferSortDescending, 1.0f);
    ImGui::TableSetupColumn("worst latency", ImGuiTableColumnFlags_PreferSortDescending, 1.3f);
    ImGui::TableSetupColumn("spawned by", 0, 1.6f);
    ImGui::TableHeadersRow();
    std::vector<size_t> order(tl.stats().size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
      const ImGuiTableColumnSortSpecs& sp = specs->Specs[0];
      auto key = [&](size_t k) -> double {
        const TaskStats& t = tl.stats()[k];
        switch (sp.ColumnIndex) {
          case 2: return static_cast<double>(t.polls);
          case 3: return static_cast<double>(t.busy_ns);
          case 4: return static_cast<double>(t.wakes);
          case 5: return static_cast<double>(t.self_wakes);
          case 6: return static_cast<double>(t.max_latency_ns);
          default: return static_cast<double>(t.task);
        }
      };
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return sp.SortDirection == ImGuiSortDirection_Ascending ? key(a) < key(b) : key(a) > key(b);
      });
    }
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(order.size()));
    while (clipper.Step()) {
      for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
        const TaskStats& t = tl.stats()[order[static_cast<size_t>(r)]];
        const Lane* lane = tl.task_lane(t.task);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        task_chip(app, t.task, false, "row");
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(lane ? state_at(app, *lane).c_str() : "");
        ImGui::TableNextColumn();
        ImGui::Text("%llu", static_cast<unsigned long long>(t.polls));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(time_label(static_cast<double>(t.busy_ns)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%llu", static_cast<unsigned long long>(t.wakes));
        ImGui::TableNextColumn();
        if (t.self_wakes) ImGui::TextColored(col4(t.self_wakes * 2 > t.polls ? th.warning : th.text), "%llu", static_cast<unsigned long long>(t.self_wakes));
        else ImGui::TextColored(col4(th.text_faint), "0");
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(time_label(static_cast<double>(t.max_latency_ns)).c_str());
        if (ImGui::IsItemHovered()) {
          ImGui::BeginTooltip();
          ImGui::TextUnformatted("Time from woken (or spawned) to polled:");
          static const char* kBuckets[] = {"< 1 µs", "< 10 µs", "< 100 µs", "< 1 ms", "< 10 ms", "≥ 10 ms"};
          uint64_t most = 1;
          for (uint64_t n : t.latency) most = std::max(most, n);
          for (int b = 0; b < 6; ++b) {
            ImGui::Text("%-9s", kBuckets[b]);
            ImGui::SameLine(80 * app.scale);
            ImVec2 p = ImGui::GetCursorScreenPos();
            float w = 140 * app.scale * static_cast<float>(t.latency[b]) / static_cast<float>(most);
            ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + ImGui::GetTextLineHeight()), col(task_colour(t.task, th)));
            ImGui::Dummy(ImVec2(150 * app.scale, ImGui::GetTextLineHeight()));
            ImGui::SameLine();
            ImGui::Text("%llu", static_cast<unsigned long long>(t.latency[b]));
          }
          ImGui::EndTooltip();
        }
        ImGui::TableNextColumn();
        if (t.parent) task_chip(app, t.parent, false, "parent");
        else ImGui::TextColored(col4(th.text_faint), "the run");
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();
}

void draw_warnings(App& app, ImVec2 size) {
  const Theme& th = app.th();
  Recording& rec = app.rec;
  const Session* s = rec.session();
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10 * app.scale, 6 * app.scale));
  ImGui::BeginChild("warnings", size, false, ImGuiWindowFlags_AlwaysUseWindowPadding);
  ImGui::PopStyleVar();
  app.warnings_text.clear();
  bool any = false;
  if (s && !s->ended()) {
    for (const Session::Starving& st : s->starving()) {
      any = true;
      ImGui::PushID(static_cast<int>(st.task) + 7);
      ImGui::TextColored(col4(th.error), "never yields");
      ImGui::SameLine();
      if (st.task) task_chip(app, st.task, false, "starving");
      ImGui::SameLine();
      ImGui::TextWrapped("has run %.1f ms on worker %u without yielding: nothing else runs there. (%s)", st.ms, st.worker, st.about.c_str());
      ImGui::PopID();
    }
  }
  if (s && s->ended()) {
    const auto& lints = s->result().lints;
    for (size_t k = 0; k < lints.size(); ++k) {
      const Lint& l = lints[k];
      any = true;
      app.warnings_text.push_back(l.kind + ": " + l.message);
      ImGui::PushID(static_cast<int>(k));
      ImVec2 at = ImGui::GetCursorScreenPos();
      float w = ImGui::GetContentRegionAvail().x;
      ImGui::PushTextWrapPos(at.x + w - 8 * app.scale);
      ImGui::BeginGroup();
      ImGui::TextColored(col4(l.kind == "blocking_call" || l.kind == "long_poll" ? th.error : th.warning), "%s", l.kind.c_str());
      ImGui::SameLine();
      ImGui::TextColored(col4(th.text_faint), "at %s", time_label(static_cast<double>(l.time_ns)).c_str());
      if (l.task) {
        ImGui::SameLine();
        task_chip(app, l.task, false, "lint");
      }
      ImGui::TextUnformatted(l.message.c_str());
      ImGui::EndGroup();
      ImGui::PopTextWrapPos();
      if (ImGui::IsItemHovered()) {
        ImGui::GetWindowDrawList()->AddRect(ImVec2(at.x - 2, at.y - 2), ImVec2(at.x + w, ImGui::GetItemRectMax().y + 2), col(th.border), 3);
        ImGui::SetTooltip("Click to go there: the task is selected, the cursor moves, the line is marked");
      }
      if (ImGui::IsItemClicked()) {
        rec.pause();
        uint64_t e = rec.event_at_time(l.time_ns, l.task);
        rec.seek(e);
        if (l.task) app.selected_task = l.task;
        app.marked_line = s->notes()[e].line;
      }
      ImGui::Separator();
      ImGui::PopID();
    }
    if (s->result().exit_status == 1 && s->result().error.rfind("deadlock", 0) == 0) {
      any = true;
      app.warnings_text.push_back(s->result().error);
      ImGui::TextColored(col4(th.error), "deadlock");
      ImGui::TextWrapped("%s", s->result().error.c_str());
    }
  }
  if (!any)
    ImGui::TextColored(col4(th.text_faint), s && s->ended() ? "No scheduling problems found in this run." :
                                                                 "Starving tasks, long polls, blocking calls, locks held across awaits, lost wake-ups and deadlocks show here.");
  ImGui::EndChild();
}

}  // namespace loopscope::ui
