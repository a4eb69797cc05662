// Idle: the searching/parked accounting behind "wake one worker, only when nobody searches".
#include "runtime/sched/idle.hpp"
#include "support.hpp"

using namespace loopscope;

TEST_CASE("idle: at most half of the workers search at once") {
  Idle idle(4);
  CHECK(idle.transition_to_searching());
  CHECK(idle.transition_to_searching());
  CHECK_FALSE(idle.transition_to_searching());  // 2 of 4 already search
  CHECK(idle.searching() == 2);
  CHECK_FALSE(idle.transition_from_searching());  // one still searches
  CHECK(idle.transition_from_searching());        // the last searcher
}

TEST_CASE("idle: new work wakes a parked worker only when nobody is searching, one at a time") {
  Idle idle(3);
  CHECK_FALSE(idle.worker_to_notify());  // nobody parked
  idle.transition_to_parked(1, false);
  idle.transition_to_parked(2, false);
  CHECK(idle.is_parked(1));
  CHECK(idle.unparked() == 1);

  auto first = idle.worker_to_notify();
  REQUIRE(first);
  CHECK_FALSE(idle.is_parked(*first));
  CHECK(idle.searching() == 1);            // the woken worker counts as searching...
  CHECK_FALSE(idle.worker_to_notify());    // ...so more work wakes nobody else

  CHECK(idle.transition_from_searching());  // it found the work
  auto second = idle.worker_to_notify();
  REQUIRE(second);
  CHECK(*second != *first);
}

TEST_CASE("idle: the last searcher to park is told so (it must look for missed work)") {
  Idle idle(2);
  CHECK(idle.transition_to_searching());
  CHECK(idle.transition_to_parked(0, true));
  CHECK_FALSE(idle.transition_to_parked(1, false));
  CHECK(idle.unparked() == 0);
}

TEST_CASE("idle: a parked worker that finds work of its own leaves the parked list once") {
  Idle idle(2);
  idle.transition_to_parked(1, false);
  CHECK(idle.unpark_self(1));
  CHECK_FALSE(idle.is_parked(1));
  CHECK_FALSE(idle.unpark_self(1));  // already out (or woken by someone else: then it searches)
  CHECK(idle.unparked() == 2);
}
