// io() and fetch() in the browser: io is the virtual device (the page has no file descriptors);
// fetch is the page's own fetch, installed by wasm/ through set_fetch_provider.
#include "runtime/script/format.hpp"
#include "runtime/script/platform_io.hpp"
#include "runtime/script/vm.hpp"

namespace loopscope::script {

namespace {

FetchProvider g_fetch = nullptr;
size_t g_in_flight = 0;  // the page has one thread

}  // namespace

FutureObj* make_io_future(VM& vm, Value name, double ms) { return make_virtual_io(vm, name, ms); }

FutureObj* make_fetch_future(VM& vm, const std::string& url) {
  if (!g_fetch) {
    vm.raise("fetch is not available on this page");
    return nullptr;
  }
  return g_fetch(vm, url);
}

void set_fetch_provider(FetchProvider provider) { g_fetch = provider; }

FetchInFlight::FetchInFlight() noexcept { ++g_in_flight; }
FetchInFlight::~FetchInFlight() { --g_in_flight; }
size_t fetches_in_flight() noexcept { return g_in_flight; }

}  // namespace loopscope::script
