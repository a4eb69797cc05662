// io() and fetch() in the browser: io is a timer (the page has no file descriptors); fetch is
// the page's own fetch, installed by wasm/ through set_fetch_provider.
#include "runtime/script/format.hpp"
#include "runtime/script/platform_io.hpp"
#include "runtime/script/vm.hpp"
#include "runtime/time/sleep.hpp"

namespace loopscope::script {

namespace {

FetchProvider g_fetch = nullptr;

struct IoFuture final : FutureObj {
  IoFuture(Value n, double m) : name(n), ms(m), sleep(Duration(static_cast<int64_t>(m * 1e6))) {}
  Value name;
  double ms;
  Sleep sleep;
  PollStatus poll(VM&, Context& cx, Value& out) override {
    if (sleep.poll(cx).is_pending()) return PollStatus::Pending;
    out = name;
    return PollStatus::Ready;
  }
  void cancel(VM&) override { sleep.cancel(); }
  void trace(Marker& m) override { m.mark(name); }
  std::string describe() const override { return "io(" + to_repr(name) + ", " + format_number(ms) + ")"; }
};

}  // namespace

FutureObj* make_io_future(VM& vm, Value name, double ms) { return vm.heap().make<IoFuture>(name, ms); }

FutureObj* make_fetch_future(VM& vm, const std::string& url) {
  if (!g_fetch) {
    vm.raise("fetch is not available on this page");
    return nullptr;
  }
  return g_fetch(vm, url);
}

void set_fetch_provider(FetchProvider provider) { g_fetch = provider; }

}  // namespace loopscope::script
