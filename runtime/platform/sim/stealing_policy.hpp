// How a SimWorld steps and parks the workers of a WorkStealingScheduler: its stepping API.
#pragma once

#include "runtime/platform/sim/sim_world.hpp"
#include "runtime/sched/work_stealing.hpp"

namespace loopscope {

class StealingPolicy final : public SimWorkerPolicy {
 public:
  explicit StealingPolicy(WorkStealingScheduler& s) : s_(s) {}
  bool step(uint32_t w) override { return s_.run_once(w); }
  void park(uint32_t w) override { s_.sim_park(w); }
  std::optional<uint64_t> wake_deadline(uint32_t w) override { return s_.sim_wake_deadline(w); }
  bool unpark(uint32_t w) override { return s_.sim_unpark(w); }

 private:
  WorkStealingScheduler& s_;
};

}  // namespace loopscope
