#include "wasm/page_fetch.hpp"

#include <optional>
#include <string>

#include "runtime/script/format.hpp"
#include "runtime/script/platform_io.hpp"
#include "runtime/script/vm.hpp"
#include "wasm/promise_bridge.hpp"

using emscripten::val;

namespace loopscope {

namespace {

using script::FutureObj;
using script::PollStatus;
using script::Value;
using script::VM;

struct PageFetch final : FutureObj {
  explicit PageFetch(std::string u)
      : url(std::move(u)), response(from_promise(val::module_property("lsFetchText")(url))) {}
  std::string url;
  PromiseFuture response;
  std::optional<script::FetchInFlight> waiting{std::in_place};

  PollStatus poll(VM& vm, Context& cx, Value& out) override {
    try {
      Poll<val> p = response.poll(cx);
      if (p.is_pending()) return PollStatus::Pending;
      waiting.reset();
      val r = p.take();
      auto* m = vm.heap().make<script::Map>();
      m->set(vm.string("status"), Value::integer(r["status"].as<int>()));
      m->set(vm.string("body"), vm.string(r["body"].as<std::string>()));
      out = Value::object(m);
      return PollStatus::Ready;
    } catch (const JsError& e) {
      waiting.reset();
      out = vm.error_value("fetch " + url + ": " + e.what());
      return PollStatus::Error;
    }
  }
  void cancel(VM&) override { waiting.reset(); }  // a late response is then ignored
  std::string describe() const override { return "fetch(" + script::quote_string(url) + ")"; }
};

FutureObj* page_fetch(VM& vm, const std::string& url) { return vm.heap().make<PageFetch>(url); }

}  // namespace

void install_page_fetch() { script::set_fetch_provider(&page_fetch); }

}  // namespace loopscope
