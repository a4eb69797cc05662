// The task state machine: each named transition, on its own.
#include <doctest/doctest.h>

#include "runtime/task/state.hpp"

using loopscope::TaskState;

TEST_CASE("a new task is notified, join-interested and referenced by owner list, handle and queue") {
  TaskState s;
  auto snap = s.load();
  CHECK(snap.is_notified());
  CHECK(snap.is_join_interested());
  CHECK(snap.is_idle());
  CHECK(snap.ref_count() == 3);
}

TEST_CASE("running then idle consumes the queue's reference") {
  TaskState s;
  CHECK(s.transition_to_running() == TaskState::ToRunning::Success);
  CHECK(s.load().is_running());
  CHECK_FALSE(s.load().is_notified());
  CHECK(s.transition_to_idle() == TaskState::ToIdle::Ok);
  CHECK(s.load().ref_count() == 2);
}

TEST_CASE("a wake during the poll makes transition_to_idle ask for a re-queue") {
  TaskState s;
  REQUIRE(s.transition_to_running() == TaskState::ToRunning::Success);
  CHECK(s.transition_to_notified_by_ref() == TaskState::ToNotified::DoNothing);
  CHECK(s.transition_to_idle() == TaskState::ToIdle::OkNotified);
  CHECK(s.load().is_notified());
  CHECK(s.load().ref_count() == 3);  // the poll's reference goes with the task into the queue
}

TEST_CASE("a task that woke itself (self_woken) is re-queued without a NOTIFIED wake-up") {
  TaskState s;
  REQUIRE(s.transition_to_running() == TaskState::ToRunning::Success);
  CHECK(s.transition_to_idle(true) == TaskState::ToIdle::OkNotified);
  CHECK(s.load().is_notified());
  CHECK(s.load().ref_count() == 3);
  CHECK(s.transition_to_running() == TaskState::ToRunning::Success);
}

TEST_CASE("waking an idle task submits it once; a second wake does nothing") {
  TaskState s;
  REQUIRE(s.transition_to_running() == TaskState::ToRunning::Success);
  REQUIRE(s.transition_to_idle() == TaskState::ToIdle::Ok);
  CHECK(s.transition_to_notified_by_ref() == TaskState::ToNotified::Submit);
  CHECK(s.transition_to_notified_by_ref() == TaskState::ToNotified::DoNothing);
  CHECK(s.load().ref_count() == 3);
}

TEST_CASE("wake by value on a complete task only drops the waker's reference") {
  TaskState s;
  REQUIRE(s.transition_to_running() == TaskState::ToRunning::Success);
  s.ref_inc();  // a waker clone
  s.transition_to_complete();
  CHECK(s.transition_to_notified_by_val() == TaskState::ToNotified::DoNothing);
  CHECK(s.load().ref_count() == 3);
  CHECK_FALSE(s.transition_to_terminal(2));  // the poll's and the owner list's references
  CHECK(s.load().ref_count() == 1);          // the JoinHandle's remains
}

TEST_CASE("abort of an idle task submits it so that it can be cancelled") {
  TaskState s;
  REQUIRE(s.transition_to_running() == TaskState::ToRunning::Success);
  REQUIRE(s.transition_to_idle() == TaskState::ToIdle::Ok);
  CHECK(s.transition_to_notified_and_cancel());
  CHECK(s.load().is_cancelled());
  CHECK(s.transition_to_running() == TaskState::ToRunning::Cancelled);
  CHECK_FALSE(s.transition_to_notified_and_cancel());  // only once
}

TEST_CASE("abort of a running task is seen when its poll ends") {
  TaskState s;
  REQUIRE(s.transition_to_running() == TaskState::ToRunning::Success);
  CHECK_FALSE(s.transition_to_notified_and_cancel());
  CHECK(s.transition_to_idle() == TaskState::ToIdle::Cancelled);
}

TEST_CASE("join waker can only be set while the task is not complete") {
  TaskState s;
  CHECK(s.set_join_waker());
  CHECK(s.unset_join_waker());
  REQUIRE(s.transition_to_running() == TaskState::ToRunning::Success);
  s.transition_to_complete();
  CHECK_FALSE(s.set_join_waker());
  CHECK_FALSE(s.unset_join_interested());
}

TEST_CASE("shutdown claims an idle task but not a running one") {
  TaskState idle;
  CHECK(idle.transition_to_shutdown());
  CHECK(idle.load().is_running());
  CHECK(idle.load().is_cancelled());

  TaskState busy;
  REQUIRE(busy.transition_to_running() == TaskState::ToRunning::Success);
  CHECK_FALSE(busy.transition_to_shutdown());
  CHECK(busy.load().is_cancelled());
}
