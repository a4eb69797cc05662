#include "ui/model/recording.hpp"

#include <algorithm>
#include <cmath>

namespace loopscope::ui {

using script::Session;

void Recording::start(std::string source, script::RunOptions options) {
  clear();
  source_ = source;
  options.trace = true;
  options.lints = true;
  session_ = std::make_unique<Session>(std::move(source), std::move(options));
  playing_ = true;
  timeline_.update(*session_);
}

void Recording::clear() {
  session_.reset();
  timeline_.clear();
  cursor_ = 0;
  carry_ = 0;
  playing_ = false;
  snapshot_.reset();
}

const std::vector<script::Diagnostic>& Recording::diagnostics() const noexcept {
  static const std::vector<script::Diagnostic> none;
  return session_ ? session_->diagnostics() : none;
}

uint64_t Recording::events() const noexcept { return session_ ? session_->events().size() : 0; }

bool Recording::recording_ended() const noexcept { return !session_ || session_->ended(); }

int Recording::exit_status() const noexcept { return session_ && session_->ended() ? session_->result().exit_status : -1; }

void Recording::set_speed(double events_per_second) noexcept {
  speed_ = std::max(0.0, events_per_second);
  carry_ = 0;
}

void Recording::record_until(uint64_t wanted, double budget_ms) {
  if (!session_ || session_->ended() || events() >= wanted) return;
  if (wanted == UINT64_MAX) {
    session_->run_for(budget_ms);
  } else {
    session_->step(wanted - events(), budget_ms);  // (a spinning task makes few events: the budget bounds it)
  }
  timeline_.update(*session_);
}

void Recording::tick(double dt_s, double budget_ms) {
  if (!session_) return;
  if (!playing_) {
    if (session_->real()) record_until(UINT64_MAX, budget_ms);  // (it goes on: keep what it does)
    else prepare(budget_ms / 4);  // the viewer is looking around: make seeks into the past cheap
    return;
  }
  if (speed_ == 0) {
    record_until(UINT64_MAX, budget_ms);
    follow();
    if (recording_ended()) playing_ = false;
    return;
  }
  carry_ += dt_s * speed_;
  uint64_t move = static_cast<uint64_t>(carry_);
  carry_ -= static_cast<double>(move);
  uint64_t target = cursor_ + move;
  // Keep a little recorded ahead of the cursor, so that playback never waits for it.
  uint64_t ahead = target + std::max<uint64_t>(64, static_cast<uint64_t>(speed_));
  if (events() < ahead && !recording_ended()) record_until(ahead, budget_ms);
  if (events() > 0) cursor_ = std::min(target, events() - 1);
  if (at_end()) playing_ = false;
}

bool Recording::prepare(double budget_ms) { return session_ && session_->prepare(budget_ms); }

void Recording::follow() {
  if (events() > 0) cursor_ = events() - 1;
}

void Recording::seek(uint64_t event) {
  if (!session_) return;
  if (event >= events() && !recording_ended()) {
    session_->step(event + 1 - events());
    timeline_.update(*session_);
  }
  cursor_ = events() ? std::min(event, events() - 1) : 0;
  carry_ = 0;
}

void Recording::step(int64_t n) {
  if (n >= 0) return seek(cursor_ + static_cast<uint64_t>(n));
  uint64_t back = static_cast<uint64_t>(-n);
  seek(back > cursor_ ? 0 : cursor_ - back);
}

void Recording::step_poll() {
  if (!session_) return;
  for (uint64_t i = cursor_ + 1;; ++i) {
    if (i >= events()) {
      if (recording_ended()) return seek(events() ? events() - 1 : 0);
      session_->step_poll();
      timeline_.update(*session_);
      continue;
    }
    if (session_->events()[i].kind == EventKind::PollEnd) return seek(i);
  }
}

uint64_t Recording::cursor_time() const noexcept {
  return cursor_ < events() ? session_->events()[cursor_].time_ns : 0;
}

const script::Snapshot* Recording::snapshot() {
  if (!session_ || events() == 0 || session_->real()) return nullptr;
  if (!has_snapshot_cached()) {
    auto snap = session_->snapshot(cursor_);
    if (!snap) return nullptr;
    snapshot_ = std::move(snap);
    timeline_.update(*session_);  // (a snapshot of the newest event records one more)
  }
  return &*snapshot_;
}

size_t Recording::printed_upto_cursor() const noexcept {
  if (!session_) return 0;
  const auto& printed = session_->printed();
  // A print made right after event k has event k + 1: shown once the cursor is at k.
  auto it = std::upper_bound(printed.begin(), printed.end(), cursor_ + 1,
                             [](uint64_t c, const Session::Printed& p) { return c < p.event; });
  return static_cast<size_t>(it - printed.begin());
}

std::string Recording::output() const {
  std::string out;
  if (!session_) return out;
  size_t n = printed_upto_cursor();
  for (size_t k = 0; k < n; ++k)
    if (!session_->printed()[k].err) out += session_->printed()[k].text;
  return out;
}

uint64_t Recording::event_of_print(size_t k) const noexcept {
  if (!session_ || k >= session_->printed().size()) return 0;
  uint64_t e = session_->printed()[k].event;
  return e ? e - 1 : 0;
}

uint64_t Recording::event_at_time(uint64_t time_ns, uint64_t task) const noexcept {
  if (!session_) return 0;
  const auto& ev = session_->events();
  for (uint64_t i = 0; i < ev.size(); ++i)
    if (ev[i].time_ns >= time_ns && (task == 0 || ev[i].task == task)) return i;
  return ev.empty() ? 0 : ev.size() - 1;
}

}  // namespace loopscope::ui
