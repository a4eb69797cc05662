// The platform side of io() and fetch(): a real file descriptor and HTTP/1.1 over the epoll
// reactor natively (platform_io_native.cpp); timers and the host's fetch in the browser
// (platform_io_browser.cpp, where the page installs its fetch through set_fetch_provider).
#pragma once

#include <string>

#include "runtime/script/handles.hpp"

namespace loopscope::script {

// A device read that becomes ready after `ms`, giving back `name` (the platform's device, or the
// virtual one in simulation).
FutureObj* make_io_future(VM& vm, Value name, double ms);
// The virtual device: the same read on the scheduler's timers (virtual_device.cpp).
FutureObj* make_virtual_io(VM& vm, Value name, double ms);
// An HTTP GET of `url` giving {status, body}; null after raising an error (bad URL).
FutureObj* make_fetch_future(VM& vm, const std::string& url);

// Browser builds: the page's fetch (installed by wasm/); without one, fetch() raises an error.
using FetchProvider = FutureObj* (*)(VM& vm, const std::string& url);
void set_fetch_provider(FetchProvider provider);
// Held by a provider's fetch while it waits for the network, so that a run waiting only for a
// response is not taken for a deadlock (the page's runs ask fetches_in_flight()).
struct FetchInFlight {
  FetchInFlight() noexcept;
  ~FetchInFlight();
  FetchInFlight(const FetchInFlight&) = delete;
  FetchInFlight& operator=(const FetchInFlight&) = delete;
};
size_t fetches_in_flight() noexcept;

}  // namespace loopscope::script
