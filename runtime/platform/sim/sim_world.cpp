#include "runtime/platform/sim/sim_world.hpp"

#include <algorithm>
#include <chrono>

namespace loopscope {

// A worker's driver: parking is decided by the world (SimWorkerPolicy), so park() is only ever a
// non-blocking look (there is no I/O to dispatch); unpark() wakes the worker at the caller's time.
class SimWorld::Driver_ final : public Driver {
 public:
  Driver_(SimWorld& world, uint32_t worker) : world_(world), worker_(worker) {}
  Clock& clock() noexcept override { return world_.clock(); }
  bool park(std::optional<uint64_t>, bool) override { return true; }
  void unpark() noexcept override { world_.unpark(worker_); }

 private:
  SimWorld& world_;
  uint32_t worker_;
};

class SimWorld::Clock_ final : public Clock {
 public:
  explicit Clock_(const SimWorld& world) : world_(world) {}
  uint64_t now_ns() const noexcept override { return world_.now(); }

 private:
  const SimWorld& world_;
};

SimWorld::SimWorld(uint32_t workers, SimCosts costs)
    : workers_(workers ? workers : 1), costs_(costs), lanes_(workers_), clock_(std::make_unique<Clock_>(*this)) {
  for (uint32_t i = 0; i < workers_; ++i) drivers_.push_back(std::make_unique<Driver_>(*this, i));
}

SimWorld::~SimWorld() = default;

Driver& SimWorld::driver(uint32_t worker) noexcept { return *drivers_[worker]; }

std::vector<Driver*> SimWorld::drivers() {
  std::vector<Driver*> out;
  for (auto& d : drivers_) out.push_back(d.get());
  return out;
}

Clock& SimWorld::clock() noexcept { return *clock_; }

uint64_t SimWorld::now() const noexcept {
  const Lane& l = lanes_[running_];
  return l.clock + (counter_ ? (*counter_ - l.counted) * costs_.instruction_ns : 0);
}

void SimWorld::settle() noexcept {
  Lane& l = lanes_[running_];
  l.clock = now();
  if (counter_) l.counted = *counter_;
}

void SimWorld::charge(uint64_t ns) noexcept {
  ++epoch_;
  settle();
  lanes_[running_].clock += ns;
}

void SimWorld::count_instructions(const uint64_t* counter) noexcept {
  settle();
  counter_ = counter;
  if (counter_) lanes_[running_].counted = *counter_;
}

void SimWorld::enter(uint32_t lane, uint64_t at) noexcept {
  settle();
  running_ = lane;
  Lane& l = lanes_[lane];
  l.clock = std::max(l.clock, at);
  if (counter_) l.counted = *counter_;
}

void SimWorld::add_lane(SmallFunction<bool()> step) {
  Lane l;
  l.clock = now();
  l.counted = counter_ ? *counter_ : 0;
  l.job = std::move(step);
  lanes_.push_back(std::move(l));
  ++epoch_;
}

size_t SimWorld::busy_lanes() const noexcept {
  size_t n = 0;
  for (size_t i = workers_; i < lanes_.size(); ++i) n += lanes_[i].finished ? 0 : 1;
  return n;
}

void SimWorld::unpark(uint32_t worker) noexcept {
  Lane& l = lanes_[worker];
  if (l.woken) return;
  ++epoch_;
  l.woken = true;
  l.woken_at = now();
}

std::optional<uint64_t> SimWorld::next_time(SimWorkerPolicy* policy, uint32_t i) const {
  const Lane& l = lanes_[i];
  if (l.finished) return std::nullopt;
  if (!l.parked) return i == running_ ? now() : l.clock;
  if (l.woken) return std::max(l.clock, l.woken_at);
  if (!policy) return std::nullopt;
  auto deadline = policy->wake_deadline(i);
  if (!deadline) return std::nullopt;
  return std::max(l.clock, *deadline);
}

uint64_t SimWorld::horizon() const noexcept {
  uint64_t h = UINT64_MAX;
  for (uint32_t i = 0; i < lanes_.size(); ++i) {
    if (i == running_) continue;
    if (auto t = next_time(policy_, i)) h = std::min(h, *t);
  }
  return h;
}

void SimWorld::pause_at_wall(uint64_t wall_ns) noexcept {
  wall_pause_ns_ = wall_ns;
  wall_armed_steps_ = steps_;
  wall_armed_instructions_ = counter_ ? *counter_ : 0;
}

bool SimWorld::paused() noexcept {
  if (pause_ || !wall_pause_ns_) return pause_;
  constexpr uint64_t kMinInstructions = 1000;
  bool progressed = steps_ - wall_armed_steps_ >= 2 ||
                    (steps_ > wall_armed_steps_ && counter_ && *counter_ - wall_armed_instructions_ >= kMinInstructions);
  if (progressed && static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                              std::chrono::steady_clock::now().time_since_epoch())
                                              .count()) >= wall_pause_ns_) {
    pause();
  }
  return pause_;
}

bool SimWorld::must_hold() noexcept {
  if (now() > horizon()) return true;
  if (!paused()) return false;
  resume_running_ = true;
  return true;
}

SimWorld::Outcome SimWorld::step(SimWorkerPolicy& policy, uint64_t until_ns) {
  policy_ = &policy;
  ++steps_;
  // Finished blocking lanes go (never the running one: it is settled first by enter()).
  for (size_t i = lanes_.size(); i-- > workers_;) {
    if (lanes_[i].finished && i != running_) {
      if (running_ > i) --running_;
      lanes_.erase(lanes_.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  // The lane with the smallest time runs; ties by index. The running lane competes with its
  // own current time, so it keeps going while it is first.
  std::optional<uint64_t> best;
  uint32_t pick = 0;
  if (std::exchange(resume_running_, false)) {  // it was first when it paused, and still is
    best = lanes_[running_].clock;
    pick = running_;
  } else {
    for (uint32_t i = 0; i < lanes_.size(); ++i) {
      auto t = next_time(&policy, i);
      if (t && (!best || *t < *best)) {
        best = t;
        pick = i;
      }
    }
  }
  if (!best) return Outcome::Idle;
  if (*best > until_ns) return Outcome::PastLimit;
  enter(pick, *best);
  Lane& l = lanes_[pick];
  if (pick >= workers_) {
    if (l.job()) l.finished = true;
    return Outcome::Ran;
  }
  if (l.parked) {
    l.parked = false;
    l.woken = false;
    if (policy.unpark(pick)) {
      lanes_[pick].woken = false;  // (a wake-up it caused itself while unparking)
    } else {
      l.parked = true;
      // Woke at its own deadline and nothing fired: never wake at that same moment again.
      auto again = policy.wake_deadline(pick);
      if (again && *again <= lanes_[pick].clock && !lanes_[pick].woken) lanes_[pick].clock += 1;
    }
    return Outcome::Ran;
  }
  if (!policy.step(pick)) {
    Lane& w = lanes_[pick];
    policy.park(pick);
    w.parked = true;
    if (w.woken) w.woken_at = std::max(w.woken_at, w.clock);
  }
  return Outcome::Ran;
}

}  // namespace loopscope
