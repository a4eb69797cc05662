#include <cstdio>
#include <exception>

#include "runtime/platform/entry.hpp"
#include "runtime/platform/native/epoll_driver.hpp"
#include "runtime/sched/local_executor.hpp"

namespace loopscope {

int run_to_exit(Task<int> app) {
  try {
    EpollDriver driver;
    LocalExecutor executor(driver);
    int status = executor.block_on(std::move(app));
    std::fflush(stdout);
    return status;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

}  // namespace loopscope
