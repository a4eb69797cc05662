#include "runtime/platform/browser/browser_runtime.hpp"

#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>

#include <cstdio>
#include <exception>
#include <utility>

extern "C" {
EMSCRIPTEN_KEEPALIVE void loopscope_browser_run(loopscope::BrowserRuntime* rt) { rt->run(); }
EMSCRIPTEN_KEEPALIVE void loopscope_browser_timer(loopscope::BrowserRuntime* rt) { rt->on_timer(); }
}

// clang-format off
// performance.now, bound once: in a page, reading the global `performance` costs a Window getter
// each time (~0.3 µs in headless Chromium, four times the call itself).
EM_JS(double, ls_performance_now, (), {
  var now = Module['lsPerformanceNow'];
  if (!now) now = Module['lsPerformanceNow'] = performance.now.bind(performance);
  return now();
});

EM_JS(void, ls_queue_microtask, (loopscope::BrowserRuntime* rt), {
  queueMicrotask(function() { _loopscope_browser_run(rt); });
});

EM_JS(void, ls_post_macrotask, (loopscope::BrowserRuntime* rt), {
  if (typeof setImmediate === 'function') {  // Node: no MessageChannel needed, and it would keep the process alive
    setImmediate(function() { _loopscope_browser_run(rt); });
    return;
  }
  if (!Module['lsMacrotask']) {
    var channel = new MessageChannel();
    channel.port1.onmessage = function(e) { _loopscope_browser_run(e.data); };
    Module['lsMacrotask'] = channel.port2;
  }
  Module['lsMacrotask'].postMessage(rt);
});

EM_JS(int, ls_set_timeout, (loopscope::BrowserRuntime* rt, double ms), {
  if (!Module['lsTimers']) { Module['lsTimers'] = new Map(); Module['lsTimerSeq'] = 0; }
  var id = ++Module['lsTimerSeq'];
  Module['lsTimers'].set(id, setTimeout(function() {
    Module['lsTimers'].delete(id);
    _loopscope_browser_timer(rt);
  }, ms));
  return id;
});

EM_JS(void, ls_clear_timeout, (int id), {
  var timers = Module['lsTimers'];
  if (timers && timers.has(id)) { clearTimeout(timers.get(id)); timers.delete(id); }
});
// clang-format on

namespace loopscope {

BrowserClock::BrowserClock() noexcept : origin_ms_(ls_performance_now()) {}

uint64_t BrowserClock::now_ns() const noexcept {
  double ms = ls_performance_now() - origin_ms_;
  return ms > 0 ? static_cast<uint64_t>(ms * 1e6) : 0;
}

void BrowserDriver::unpark() noexcept { runtime_.request_run(); }

BrowserRuntime::BrowserRuntime(ExecutorOptions options) : driver_(*this), executor_(driver_, options) {}

BrowserRuntime::~BrowserRuntime() {
  if (timer_id_) ls_clear_timeout(timer_id_);
}

BrowserRuntime& BrowserRuntime::global() {
  static BrowserRuntime* rt = new BrowserRuntime();  // never destroyed: callbacks may still arrive
  return *rt;
}

bool BrowserRuntime::deferring_runs_ = false;
BrowserRuntime* BrowserRuntime::deferred_ = nullptr;

void BrowserRuntime::request_run() noexcept {
  if (run_queued_) return;
  run_queued_ = true;
  if (deferring_runs_) {
    next_deferred_ = std::exchange(deferred_, this);
    return;
  }
  ls_queue_microtask(this);
}

void BrowserRuntime::run_deferred() {
  deferring_runs_ = false;
  while (BrowserRuntime* rt = std::exchange(deferred_, nullptr)) {
    deferred_ = std::exchange(rt->next_deferred_, nullptr);
    rt->run();  // catches what the tasks throw; may request a macrotask or a timer
  }
}

void BrowserRuntime::run() {
  run_queued_ = false;
  LocalExecutor::SliceResult slice{false, std::nullopt};
  try {
    slice = slice_ ? slice_(kSliceNs) : executor_.run_slice(kSliceNs);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loopscope: uncaught error in a microtask: %s\n", e.what());
  }
  if (slice.more_ready) {
    if (!run_queued_) {
      run_queued_ = true;
      ls_post_macrotask(this);  // let the page breathe, then continue
    }
  } else if (slice.next_timer_ns) {
    arm_timer(*slice.next_timer_ns);
  }
  if (after_slice_) after_slice_();  // last: it may end the program (and later this runtime)
}

void BrowserRuntime::on_timer() {
  timer_id_ = 0;
  run();
}

void BrowserRuntime::arm_timer(uint64_t deadline_ns) {
  if (timer_id_ && timer_deadline_ <= deadline_ns) return;  // an earlier timer is armed already
  if (timer_id_) ls_clear_timeout(timer_id_);
  uint64_t now = clock().now_ns();
  double ms = deadline_ns > now ? static_cast<double>(deadline_ns - now) / 1e6 : 0.0;
  timer_deadline_ = deadline_ns;
  timer_id_ = ls_set_timeout(this, ms);
}

}  // namespace loopscope
