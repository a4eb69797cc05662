#include "runtime/platform/native/runtime.hpp"

namespace loopscope {

Runtime::Runtime(WorkStealingOptions options) : state_(std::make_unique<State>()) {
  if (options.workers == 0) throw std::invalid_argument("a runtime needs at least one worker");
  std::vector<Driver*> drivers;
  for (uint32_t i = 0; i < options.workers; ++i) {
    state_->drivers.push_back(std::make_unique<EpollDriver>(static_cast<uint16_t>(i)));
    drivers.push_back(state_->drivers.back().get());
    if (options.trace) drivers.back()->reactor()->attach_trace(options.trace);
  }
  state_->scheduler = std::make_unique<WorkStealingScheduler>(std::move(drivers), options);
  for (uint32_t i = 0; i < options.workers; ++i)
    state_->threads.emplace_back([s = state_->scheduler.get(), i] { s->run_worker(i); });
}

Runtime::~Runtime() {
  if (state_) shutdown();
}

void Runtime::check_not_worker(const char* what) const {
  if (state_->scheduler->current_worker() >= 0)
    throw std::logic_error(std::string(what) + " called on one of the runtime's own workers (it would wait on itself)");
}

void Runtime::shutdown() {
  check_not_worker("shutdown");
  state_->scheduler->stop();
  for (auto& t : state_->threads) {
    if (t.joinable()) t.join();
  }
  state_->scheduler->finish_shutdown();
}

}  // namespace loopscope
