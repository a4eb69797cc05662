// The virtual device behind io(name, ms) where there is no real one: in simulation (natively and
// in the browser) and in the browser's real mode. A read that becomes ready after `ms`, through
// the timers of the scheduler that polls it; traced as I/O, and it counts against the budget.
#include "runtime/sched/coop.hpp"
#include "runtime/script/format.hpp"
#include "runtime/script/platform_io.hpp"
#include "runtime/script/vm.hpp"
#include "runtime/time/sleep.hpp"

namespace loopscope::script {

namespace {

struct VirtualIo final : FutureObj {
  VirtualIo(Value n, double m) : name(n), ms(m), sleep(Duration(static_cast<int64_t>(m * 1e6))), device(Trace::next_object_id()) {}
  Value name;
  double ms;
  Sleep sleep;
  uint64_t device;  // stands for the file descriptor in the trace
  bool registered = false;
  PollStatus poll(VM&, Context& cx, Value& out) override {
    Scheduler* s = cx.scheduler();
    if (!registered) {
      registered = true;
      if (s && s->trace()) s->trace()->emit(s->worker_id(), EventKind::IoRegister, cx.task_id(), device, 1);
    }
    if (sleep.poll(cx).is_pending()) return PollStatus::Pending;
    if (!coop::proceed(cx)) return PollStatus::Pending;
    if (s && s->trace()) s->trace()->emit(s->worker_id(), EventKind::IoReady, cx.task_id(), device, 1);
    out = name;
    return PollStatus::Ready;
  }
  void cancel(VM&) override { sleep.cancel(); }
  void trace(Marker& m) override { m.mark(name); }
  std::string describe() const override { return "io(" + to_repr(name) + ", " + format_number(ms) + ")"; }
};

}  // namespace

FutureObj* make_virtual_io(VM& vm, Value name, double ms) { return vm.heap().make<VirtualIo>(name, ms); }

}  // namespace loopscope::script
