// Loopscope runtime: everything a program needs, in one include.
//
//   #include "runtime/loopscope.hpp"
//   using namespace loopscope;
//   using namespace std::chrono_literals;
//
//   Task<int> answer() { co_await sleep(10ms); co_return 42; }
//
//   int main() {
//     EpollDriver driver;                 // native; see runtime/platform for the others
//     LocalExecutor ex(driver);
//     return ex.block_on(answer()) == 42 ? 0 : 1;
//   }
#pragma once

#include "runtime/future/when_all.hpp"
#include "runtime/future/when_any.hpp"
#include "runtime/future/yield_now.hpp"
#include "runtime/platform/manual/manual_driver.hpp"
#include "runtime/sched/blocking.hpp"
#include "runtime/sched/coop.hpp"
#include "runtime/sched/local_executor.hpp"
#include "runtime/sched/scheduler.hpp"
#include "runtime/sync/channel.hpp"
#include "runtime/sync/mutex.hpp"
#include "runtime/sync/notify.hpp"
#include "runtime/sync/oneshot.hpp"
#include "runtime/sync/semaphore.hpp"
#include "runtime/task/task.hpp"
#include "runtime/time/clock.hpp"
#include "runtime/time/sleep.hpp"
#include "runtime/trace/export.hpp"
#include "runtime/trace/trace.hpp"

#ifndef __EMSCRIPTEN__
#include "runtime/io/pipe.hpp"
#include "runtime/io/tcp.hpp"
#include "runtime/platform/native/epoll_driver.hpp"
#include "runtime/platform/native/runtime.hpp"
#endif
