// run_to_exit: the portable `main` of a program written on the runtime.
//
//   Task<int> app() { co_await sleep(10ms); std::puts("done"); co_return 0; }
//   int main() { return loopscope::run_to_exit(app()); }
//
// Natively it runs `app` on a LocalExecutor over epoll and returns its exit status (1 if it
// threw, after printing the error). In the browser or under Node (WebAssembly) it starts `app`
// on the page's event loop, returns control to it, and exits the program with the status once
// `app` completes.
#pragma once

#include "runtime/task/task.hpp"

namespace loopscope {

int run_to_exit(Task<int> app);

}  // namespace loopscope
