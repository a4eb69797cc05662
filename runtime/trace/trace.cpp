#include "runtime/trace/trace.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "runtime/time/clock.hpp"

namespace loopscope {

std::string_view event_kind_name(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::Spawn: return "spawn";
    case EventKind::PollBegin: return "poll_begin";
    case EventKind::PollEnd: return "poll_end";
    case EventKind::Wake: return "wake";
    case EventKind::Yield: return "yield";
    case EventKind::BudgetExhausted: return "budget_exhausted";
    case EventKind::TimerRegister: return "timer_register";
    case EventKind::TimerFire: return "timer_fire";
    case EventKind::TimerCancel: return "timer_cancel";
    case EventKind::IoRegister: return "io_register";
    case EventKind::IoReady: return "io_ready";
    case EventKind::MicrotaskEnqueue: return "microtask_enqueue";
    case EventKind::MicrotaskRun: return "microtask_run";
    case EventKind::ChannelWait: return "channel_wait";
    case EventKind::ChannelReady: return "channel_ready";
    case EventKind::MutexWait: return "mutex_wait";
    case EventKind::MutexAcquire: return "mutex_acquire";
    case EventKind::TaskComplete: return "task_complete";
    case EventKind::TaskError: return "task_error";
    case EventKind::TaskAbort: return "task_abort";
    case EventKind::BlockingBegin: return "blocking_begin";
    case EventKind::BlockingEnd: return "blocking_end";
    case EventKind::Steal: return "steal";
    case EventKind::Park: return "park";
    case EventKind::Unpark: return "unpark";
    case EventKind::LifoHit: return "lifo_hit";
    case EventKind::Preempt: return "preempt";
    case EventKind::Handoff: return "handoff";
    case EventKind::BlockingCall: return "blocking_call";
    case EventKind::MicrotaskDrain: return "microtask_drain";
    case EventKind::Callback: return "callback";
    case EventKind::Count: break;
  }
  return "unknown";
}

std::string_view task_source_name(TaskSource source) noexcept {
  switch (source) {
    case TaskSource::Queue: return "queue";
    case TaskSource::Lifo: return "lifo";
    case TaskSource::Inject: return "inject";
    case TaskSource::Stolen: return "stolen";
    case TaskSource::Microtask: return "microtask";
    case TaskSource::NextTick: return "next_tick";
    case TaskSource::Timers: return "timers";
    case TaskSource::Poll: return "poll";
    case TaskSource::Check: return "check";
    case TaskSource::Count: break;
  }
  return "unknown";
}

Trace::Trace(const Clock& clock, unsigned workers, size_t capacity_per_worker)
    : clock_(&clock), capacity_(capacity_per_worker ? capacity_per_worker : 1), rings_((workers ? workers : 1) + 1) {
  for (auto& ring : rings_) ring.events.reserve(std::min<size_t>(capacity_, 4096));
}

uint64_t Trace::now() const noexcept { return clock_ ? clock_->now_ns() : 0; }

void Trace::emit_at(uint64_t now, uint16_t worker, EventKind kind, uint64_t task, uint64_t a, uint64_t b) noexcept {
  if (worker < rings_.size() - 1) {
    Ring& ring = rings_[worker];
    uint32_t seq = static_cast<uint32_t>(one_thread_ ? emitted_++ : ring.count());
    TraceEvent e{now, task, a, b, kind, 0, worker, seq};
    write(ring, e);
    if (listener_) listener_->on_event(e);
    return;
  }
  std::lock_guard<SpinLock> g(outside_lock_);
  Ring& ring = rings_.back();
  uint32_t seq = static_cast<uint32_t>(one_thread_ ? emitted_++ : ring.count());
  TraceEvent e{now, task, a, b, kind, 0, kOutsideWorker, seq};
  write(ring, e);
  if (listener_) listener_->on_event(e);
}

void Trace::write(Ring& ring, const TraceEvent& e) noexcept {
  if (ring.events.size() < capacity_) {
    try {
      ring.events.push_back(e);
    } catch (...) {
      return;  // out of memory: lose the event, not the program
    }
  } else {
    ring.events[ring.count() % capacity_] = e;
  }
  ring.written.store(ring.count() + 1, std::memory_order_relaxed);  // (one writer: no read-modify-write)
}

void Trace::name(std::unordered_map<uint64_t, std::string>& names, uint64_t id, std::string_view name) {
  std::lock_guard<SpinLock> g(names_lock_);
  names[id] = std::string(name);
}

std::string Trace::lookup(const std::unordered_map<uint64_t, std::string>& names, uint64_t id) const {
  std::lock_guard<SpinLock> g(names_lock_);
  auto it = names.find(id);
  return it == names.end() ? std::string() : it->second;
}

std::vector<TraceEvent> Trace::events() const {
  std::vector<TraceEvent> all;
  for (const Ring& ring : rings_) {
    size_t n = ring.events.size();
    size_t start = ring.count() > n ? ring.count() % n : 0;  // oldest retained event
    for (size_t i = 0; i < n; ++i) all.push_back(ring.events[(start + i) % n]);
  }
  std::stable_sort(all.begin(), all.end(), [this](const TraceEvent& x, const TraceEvent& y) {
    if (x.time_ns != y.time_ns) return x.time_ns < y.time_ns;
    if (!one_thread_ && x.worker != y.worker) return x.worker < y.worker;
    return x.seq < y.seq;
  });
  return all;
}

uint64_t Trace::total() const noexcept {
  uint64_t n = 0;
  for (const Ring& ring : rings_) n += ring.count();
  return n;
}

uint64_t Trace::dropped() const noexcept {
  uint64_t n = 0;
  for (const Ring& ring : rings_) n += ring.count() - ring.events.size();
  return n;
}

namespace {
std::atomic<uint64_t> process_ids{0};  // objects made outside any run (runtime tests, examples)
}
std::atomic<std::atomic<uint64_t>*> Trace::ObjectIds::current_{&process_ids};

uint64_t Trace::next_object_id() noexcept {
  return ObjectIds::current_.load(std::memory_order_relaxed)->fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace loopscope
