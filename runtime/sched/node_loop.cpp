#include "runtime/sched/node_loop.hpp"

#include <cmath>

#include "runtime/time/clock.hpp"
#include "runtime/trace/trace.hpp"

namespace loopscope {

NodeLoop::NodeLoop(Driver& driver, Trace* trace) : driver_(driver) { trace_ = trace; }

NodeLoop::~NodeLoop() {
  shutdown();
#ifndef __EMSCRIPTEN__
  blocking_.join();  // joins running jobs; their wake-ups find the tasks cancelled
#endif
  std::lock_guard<std::mutex> g(remote_lock_);
  while (TaskHeader* t = remote_.pop()) drop_queue_entry(t);
}

Clock& NodeLoop::clock() noexcept { return driver_.clock(); }

// --- tasks: eager at spawn, one job per wake-up ----------------------------------------------

void NodeLoop::bind(TaskHeader* task, std::string_view name) {
  if (trace_ && !name.empty()) trace_->name_task(task->id, name);
  if (!owned_.insert(task)) {
    task->state.ref_dec();
    task->vtable->shutdown(task);
    return;
  }
  if (trace_) trace_->emit(worker_id_, EventKind::Spawn, task->id, current_task_id());
  if (step_ == Step::Main && depth_ == 0) {
    initial_.push(task);  // the main program: the first macrotask
  } else {
    poll_task(task, TaskSource::Queue);  // an async function call runs until its first await
  }
}

bool NodeLoop::release(TaskHeader* task) noexcept { return owned_.remove(task); }

void NodeLoop::schedule(TaskHeader* task) noexcept {
  if (std::this_thread::get_id() != owner_thread_) {
    // A blocking job finished on another thread (natively): its wake-up is a poll-phase event.
    if (trace_) trace_->emit(worker_id_, EventKind::Wake, task->id, current_task_id());
    std::lock_guard<std::mutex> g(remote_lock_);
    remote_.push(task);
    remote_pending_.store(true, std::memory_order_release);
    driver_.unpark();
    return;
  }
  uint64_t id = task->id;
  microtasks_.push(Job{{}, task});
  if (trace_) trace_->emit(worker_id_, EventKind::Wake, id, current_task_id());  // (after: a snapshot at it sees it queued)
  driver_.unpark();
}

void NodeLoop::poll_task(TaskHeader* task, TaskSource source) {
  EnterGuard enter(this);
  ++depth_;
  uint64_t id = task->id;
  bool continued = std::exchange(task->held, false);  // the rest of a held poll: one poll in the trace
  if (trace_ && !continued)
    trace_->emit(worker_id_, EventKind::PollBegin, id, static_cast<uint64_t>(source), microtasks_.size());
  Budget budget{};
  bool resumed = std::exchange(task->resume_running, false);
  PollResult result = task->vtable->poll(task, &budget, resumed);  // may free the task
  if (take_yield_cause() == YieldCause::Held && result == PollResult::Yielded) {
    // Only an outermost poll is ever held (the VM does not pause inside a nested one): the loop
    // unwinds to run_until_wait, and resumes this poll first.
    task->resume_running = task->held = true;
    held_ = task;
    held_source_ = source;
    --depth_;
    return;
  }
  if (trace_) trace_poll_end(*trace_, worker_id_, id, result, budget.remaining);
  if (result == PollResult::Yielded || result == PollResult::Notified) {
    task->resume_running = result == PollResult::Yielded;
    microtasks_.push(Job{{}, task});  // a self-wake is one more tick
  }
  --depth_;
}

bool NodeLoop::call(Callback& callback) {
  if (ran_to_end(callback)) return true;
  held_call_ = std::move(callback);
  return false;
}

void NodeLoop::queue_microtask(Microtask task) {
  if (trace_) trace_->emit(worker_id_, EventKind::MicrotaskEnqueue, current_task_id());
  microtasks_.push(Job{std::move(task), nullptr});
}

void NodeLoop::queue_next_tick(Callback callback) {
  if (trace_) trace_->emit(worker_id_, EventKind::MicrotaskEnqueue, current_task_id(), 1);
  next_ticks_.push(Job{std::move(callback), nullptr});
}

void NodeLoop::describe_queues(QueueState& out) const {
  QueueState::Worker& w = out.workers.emplace_back();
  initial_.for_each([&](TaskHeader* t) { w.local.push_back(t->id); });
  w.held = held_ ? held_->id : 0;
  for (size_t i = 0; i < microtasks_.size(); ++i) out.microtasks.push_back(microtasks_.at(i).task ? microtasks_.at(i).task->id : 0);
  for (size_t i = 0; i < next_ticks_.size(); ++i) out.next_ticks.push_back(next_ticks_.at(i).task ? next_ticks_.at(i).task->id : 0);
  out.add_timers(timers_);
  for (const auto& [key, timer] : timer_list_) out.loop_timers.push_back(key.first);
  out.immediates = immediates_.size();
  out.io = io_.size();
  out.blocking_jobs = blocking_.in_flight();
}

void NodeLoop::run_blocking(SmallFunction<void()> job) { blocking_.run(*this, driver_, std::move(job)); }

// --- macrotask sources -------------------------------------------------------------------------

uint64_t NodeLoop::set_timer(double delay_ms, Callback callback, bool repeat) {
  if (!(delay_ms >= 1)) delay_ms = 1;  // JavaScript: below 1 (or NaN) means 1
  uint64_t id = ++timer_ids_;
  uint64_t deadline = clock().now_ns() / kNsPerMs + static_cast<uint64_t>(std::ceil(delay_ms));
  timer_list_.emplace(std::make_pair(deadline, id), Timer{std::move(callback), delay_ms, repeat});
  timer_deadline_[id] = deadline;
  if (trace_) trace_->emit(worker_id_, EventKind::TimerRegister, current_task_id(), id, deadline * kNsPerMs);
  return id;
}

void NodeLoop::clear_timer(uint64_t id) {
  auto it = timer_deadline_.find(id);
  if (it == timer_deadline_.end()) return;
  timer_list_.erase({it->second, id});
  timer_deadline_.erase(it);
  if (trace_) trace_->emit(worker_id_, EventKind::TimerCancel, current_task_id(), id);
}

void NodeLoop::set_immediate(Callback callback) { immediates_.push(std::move(callback)); }

void NodeLoop::add_io(double after_ms, Callback callback) {
  uint64_t ready = clock().now_ns() + static_cast<uint64_t>(std::max(0.0, after_ms) * 1e6);
  io_.emplace(std::make_pair(ready, ++io_seq_), std::move(callback));
}

// --- the loop ----------------------------------------------------------------------------------

void NodeLoop::drain() {
  // Node: every next tick (also those queued meanwhile), then every microtask, until both are empty.
  uint64_t start = trace_ ? clock().now_ns() : 0, jobs = 0;
  // A held poll, or the page's slice running out, interrupts it: the rest comes on resuming.
  auto interrupt = [&] {
    if (!held() && !(yielded_ = out_of_time())) return false;
    drained_jobs_ += jobs;
    if (!drain_started_) drain_started_ = start ? start : 1;
    return true;
  };
  while (!next_ticks_.empty() || !microtasks_.empty()) {
    while (!next_ticks_.empty()) {
      ++jobs;
      Job j = next_ticks_.pop();
      if (trace_) trace_->emit(worker_id_, EventKind::MicrotaskRun, 0, 1);
      call(j.callback);
      if (interrupt()) return;
    }
    while (!microtasks_.empty()) {
      ++jobs;
      Job j = microtasks_.pop();
      if (j.task) {
        poll_task(j.task, TaskSource::Microtask);
      } else {
        if (trace_) trace_->emit(worker_id_, EventKind::MicrotaskRun, 0);
        call(j.callback);
      }
      if (interrupt()) return;
    }
  }
  jobs += std::exchange(drained_jobs_, 0);
  if (trace_ && jobs) trace_->emit(worker_id_, EventKind::MicrotaskDrain, 0, jobs, clock().now_ns() - drain_start(start));
}

bool NodeLoop::out_of_time() noexcept { return yield_at_ != UINT64_MAX && clock().now_ns() >= yield_at_; }

uint64_t NodeLoop::drain_start(uint64_t start) {
  uint64_t first = std::exchange(drain_started_, 0);  // the drain began before a held poll
  return first ? first : start;
}

bool NodeLoop::after_drain() {
  if (interrupted()) {
    finish_macrotask_ = true;
    return false;
  }
  if (after_macrotask_) after_macrotask_();
  return true;
}

bool NodeLoop::macrotask(Callback& callback, TaskSource phase, uint64_t id) {
  if (trace_) trace_->emit(worker_id_, EventKind::Callback, 0, static_cast<uint64_t>(phase), id);
  if (!call(callback)) {  // the rest of it, then its drain, when the loop goes on
    finish_macrotask_ = true;
    return false;
  }
  drain();
  if (!after_drain()) return false;
  return !(yielded_ = out_of_time());  // the page's slice is over: the phase goes on next time
}

bool NodeLoop::run_timers() {
  // The phase's time is taken once: a resumed phase goes on with the time it began with.
  if (!timers_now_ms_) timers_now_ms_ = clock().now_ns() / kNsPerMs;
  uint64_t now_ms = *timers_now_ms_;
  // Expired timers by deadline then creation; a timer made by a callback here is due later.
  while (!timer_list_.empty() && timer_list_.begin()->first.first <= now_ms && !shut_down_) {
    auto node = timer_list_.extract(timer_list_.begin());
    uint64_t id = node.key().second;
    Timer& t = node.mapped();
    if (trace_) trace_->emit(worker_id_, EventKind::TimerFire, 0, id);
    timer_deadline_.erase(id);
    uint64_t start_ms = clock().now_ns() / kNsPerMs;  // an interval counts from its callback's start
    if (t.repeat) timer_deadline_[id] = UINT64_MAX;    // clear_interval inside the callback sees it
    bool finished = macrotask(t.callback, TaskSource::Timers, id);
    if (held_call_ && t.repeat && !t.callback) {  // its callback is held: rearmed when it ends
      held_interval_ = HeldInterval{id, start_ms, std::move(t)};
      return false;
    }
    rearm(id, start_ms, std::move(t));
    if (!finished) return false;
  }
  timers_now_ms_.reset();
  return run_wheel();
}

void NodeLoop::rearm(uint64_t id, uint64_t start_ms, Timer&& t) {
  auto again = timer_deadline_.find(id);
  if (!t.repeat || again == timer_deadline_.end()) return;  // a timeout, or cleared meanwhile
  uint64_t deadline = start_ms + static_cast<uint64_t>(std::ceil(t.delay_ms));
  again->second = deadline;
  timer_list_.emplace(std::make_pair(deadline, id), std::move(t));
}

bool NodeLoop::run_wheel() {
  if (timers_.empty()) return true;
  size_t fired = timers_.fire_due(clock().now_ns(), [&](uint64_t task, uint64_t id) {
    if (trace_) trace_->emit(worker_id_, EventKind::TimerFire, task, id);
  });
  if (!fired) return true;
  drain();
  return after_drain();
}

bool NodeLoop::run_io() {
  if (!io_now_) {
    if (remote_pending_.load(std::memory_order_acquire)) {
      std::lock_guard<std::mutex> g(remote_lock_);
      while (TaskHeader* t = remote_.pop()) microtasks_.push(Job{{}, t});
      remote_pending_.store(false, std::memory_order_relaxed);
    }
    io_now_ = clock().now_ns();  // (taken before the completions run, as it was)
    if (!microtasks_.empty() || !next_ticks_.empty()) {  // woken from outside: a completion
      drain();
      if (!after_drain()) return false;
    }
  }
  uint64_t now = *io_now_;
  while (!io_.empty() && io_.begin()->first.first <= now && !shut_down_) {
    auto node = io_.extract(io_.begin());
    if (!macrotask(node.mapped(), TaskSource::Poll)) return false;
  }
  io_now_.reset();
  return true;
}

bool NodeLoop::run_check() {
  // Only the immediates queued before this phase began; newer ones wait for the next turn.
  if (!check_left_) check_left_ = immediates_.size();
  while (*check_left_ > 0 && !shut_down_) {
    --*check_left_;
    Callback c = immediates_.pop();
    if (!macrotask(c, TaskSource::Check)) return false;
  }
  check_left_.reset();
  return true;
}

bool NodeLoop::alive() const noexcept {
  return !timer_list_.empty() || !immediates_.empty() || !io_.empty() || !timers_.empty() ||
         blocking_.in_flight() > 0 || remote_pending_.load(std::memory_order_acquire) ||
         !microtasks_.empty() || !next_ticks_.empty();
}

std::optional<uint64_t> NodeLoop::wait_deadline() const {
  std::optional<uint64_t> at;
  auto earlier = [&](uint64_t t) { at = at ? std::min(*at, t) : t; };
  if (!timer_list_.empty()) earlier(timer_list_.begin()->first.first * kNsPerMs);
  if (auto ns = timers_.next_deadline()) earlier(*ns);
  if (!io_.empty()) earlier(io_.begin()->first.first);
  return at;
}

bool NodeLoop::run_until_wait() {
  EnterGuard enter(this);
  yielded_ = false;
  // A held poll or callback first, then the rest of the drain it interrupted and that
  // macrotask's end.
  if (TaskHeader* task = std::exchange(held_, nullptr)) {
    poll_task(task, held_source_);
    if (held_) return false;
  }
  if (held_call_) {
    Callback callback = std::move(held_call_);
    if (!call(callback)) return false;
    if (held_interval_) {
      HeldInterval h = std::move(*held_interval_);
      held_interval_.reset();
      h.timer.callback = std::move(callback);
      rearm(h.id, h.start_ms, std::move(h.timer));
    }
  }
  if (std::exchange(finish_macrotask_, false)) {
    drain();
    if (!after_drain()) return false;
  }
  for (;;) {
    switch (step_) {
      case Step::Main:  // the main program is the first macrotask; then, as uv_run does, the timers once
        ++depth_;
        while (TaskHeader* t = initial_.pop()) {
          poll_task(t, TaskSource::Queue);
          if (held_) {  // the step stays: the held poll, then the rest of the first macrotask
            --depth_;
            return false;
          }
        }
        --depth_;
        step_ = Step::MainDrain;
        [[fallthrough]];
      case Step::MainDrain:
        step_ = Step::FirstTimers;
        drain();
        if (!after_drain()) return false;
        [[fallthrough]];
      case Step::FirstTimers:
        if (!run_timers()) return false;
        step_ = Step::Poll;
        [[fallthrough]];
      case Step::Poll: {
        if (shut_down_ || !alive()) return true;
        if ((yielded_ = out_of_time())) return false;  // the page's slice is over
        // poll: wait for I/O unless immediates are queued or a timer is due
        bool ready_now = !immediates_.empty() || !microtasks_.empty() || !next_ticks_.empty() ||
                         remote_pending_.load(std::memory_order_acquire);
        if (!ready_now && !io_now_) {
          auto deadline = wait_deadline();
          if (!deadline || *deadline > clock().now_ns()) return false;  // the host waits, then calls again
        }
        if (!run_io()) return false;
        step_ = Step::Check;
        [[fallthrough]];
      }
      case Step::Check:
        if (!run_check()) return false;
        // close: nothing closes in this model
        step_ = Step::Timers;
        [[fallthrough]];
      case Step::Timers:
        if (!run_timers()) return false;
        step_ = Step::Poll;
        break;
    }
  }
}

void NodeLoop::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  EnterGuard enter(this);
  owned_.close();
  while (TaskHeader* task = owned_.pop()) {
    uint64_t id = task->id;
    task->vtable->shutdown(task);
    if (trace_) trace_->emit(worker_id_, EventKind::TaskAbort, id);
  }
  while (TaskHeader* t = initial_.pop()) drop_queue_entry(t);
  if (held_) drop_queue_entry(std::exchange(held_, nullptr));
  held_call_.reset();
  held_interval_.reset();
  for (RingQueue<Job>* q : {&microtasks_, &next_ticks_}) {
    while (!q->empty()) {
      Job j = q->pop();
      if (j.task) drop_queue_entry(j.task);
    }
  }
  {
    std::lock_guard<std::mutex> g(remote_lock_);
    while (TaskHeader* t = remote_.pop()) drop_queue_entry(t);
  }
  timer_list_.clear();
  timer_deadline_.clear();
  while (!immediates_.empty()) immediates_.pop();
  io_.clear();
}

}  // namespace loopscope
