// A run being recorded and watched: the Session, the timeline computed from its events, the
// cursor (the event the viewer looks at) and playback at a chosen speed. Every pane shows the
// moment at the cursor through this; the page hooks drive it like the buttons do.
//
// Recording goes as far as playback needs: at "as fast as possible" (speed 0) it records in
// slices of the frame's budget until the run ends or a limit stops it, and the cursor follows the
// newest event; at N events per second the cursor moves N a second and the run is recorded a
// little ahead of it. Paused, nothing is recorded.
//
//   Recording r;
//   r.start(source, options);      // compiles; r.diagnostics() if it did not
//   each frame: r.tick(dt_seconds, 4.0);
//   r.seek(120); r.snapshot();     // the queues right after event 120
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/script/session.hpp"
#include "ui/model/timeline.hpp"

namespace loopscope::ui {

class Recording {
 public:
  void start(std::string source, script::RunOptions options);
  void clear();
  bool started() const noexcept { return session_ != nullptr; }
  const script::Session* session() const noexcept { return session_.get(); }
  const Timeline& timeline() const noexcept { return timeline_; }
  const std::vector<script::Diagnostic>& diagnostics() const noexcept;
  const std::string& source() const noexcept { return source_; }

  // Records for at most `budget_ms` of real time when playback needs more events, then moves the
  // cursor on by `dt_s` seconds of playback. Paused, it spends a quarter of it on checkpoints for
  // seeks into the past (Session::prepare).
  void tick(double dt_s, double budget_ms);
  // Checkpoints for seeks into the past, for at most `budget_ms`; false once there are enough.
  bool prepare(double budget_ms);

  // --- playback -------------------------------------------------------------------------------
  bool playing() const noexcept { return playing_; }
  void play() noexcept { playing_ = true; }
  void pause() noexcept { playing_ = false; }
  double speed() const noexcept { return speed_; }
  void set_speed(double events_per_second) noexcept;  // 0: as fast as possible

  // --- the cursor -----------------------------------------------------------------------------
  uint64_t events() const noexcept;       // recorded so far
  bool recording_ended() const noexcept;  // the run is over (nothing more will be recorded)
  bool at_end() const noexcept { return recording_ended() && cursor_ + 1 >= events(); }
  uint64_t cursor() const noexcept { return cursor_; }
  // Moves the cursor to `event` (recording on up to it if needed; clamped to the run).
  void seek(uint64_t event);
  // n events forward (recording on if needed), or back for n < 0.
  void step(int64_t n);
  // To the end of the next poll after the cursor.
  void step_poll();
  // The time of the cursor's event (ns).
  uint64_t cursor_time() const noexcept;

  // --- at the cursor --------------------------------------------------------------------------
  // The queues right after the cursor's event (a replay for the past, kept for the next step
  // forward). Null while nothing is recorded.
  const script::Snapshot* snapshot();
  bool has_snapshot_cached() const noexcept { return snapshot_ && snapshot_->event == cursor_; }
  // What had been printed up to the cursor, and each line's print.
  std::string output() const;
  // Prints (Session::printed indices) up to the cursor.
  size_t printed_upto_cursor() const noexcept;
  // The event of print `k`: the one it came right after.
  uint64_t event_of_print(size_t k) const noexcept;
  // The first event at or after `time_ns` concerning `task` (0: any), for a lint's place.
  uint64_t event_at_time(uint64_t time_ns, uint64_t task) const noexcept;
  int exit_status() const noexcept;

 private:
  void record_until(uint64_t events_wanted, double budget_ms);
  void follow();

  std::string source_;
  std::unique_ptr<script::Session> session_;
  Timeline timeline_;
  uint64_t cursor_ = 0;
  double carry_ = 0;  // fractional events of playback
  double speed_ = 0;
  bool playing_ = false;
  std::optional<script::Snapshot> snapshot_;
};

}  // namespace loopscope::ui
