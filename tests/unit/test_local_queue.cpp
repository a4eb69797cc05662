// LocalQueue on one thread: order, overflow into the inject queue, stealing half. (The
// concurrent cases, ABA with a tiny capacity included, are in tests/stress.)
#include <deque>

#include "runtime/sched/inject_queue.hpp"
#include "runtime/sched/local_queue.hpp"
#include "support.hpp"

using namespace loopscope;

namespace {
// Headers that never run: the queues only link and unlink them.
std::deque<TaskHeader> make_tasks(size_t n) {
  std::deque<TaskHeader> v;
  for (size_t i = 0; i < n; ++i) v.emplace_back(nullptr, i + 1);
  return v;
}
}  // namespace

TEST_CASE("local queue: the owner pops in FIFO order, across the wrap-around of positions") {
  auto tasks = make_tasks(3);
  LocalQueue<4> q;
  InjectQueue inject;
  for (int round = 0; round < 10; ++round) {  // 30 pushes through 4 slots
    for (auto& t : tasks) CHECK_FALSE(q.push_back(&t, inject));
    CHECK(q.len() == 3);
    for (auto& t : tasks) CHECK(q.pop() == &t);
    CHECK(q.pop() == nullptr);
  }
  CHECK(inject.empty());
}

TEST_CASE("local queue: when full, half of it and the new task move to the inject queue in one batch") {
  auto tasks = make_tasks(9);
  LocalQueue<8> q;
  InjectQueue inject;
  for (int i = 0; i < 8; ++i) CHECK_FALSE(q.push_back(&tasks[i], inject));
  CHECK(q.push_back(&tasks[8], inject));
  CHECK(inject.len() == 5);  // the oldest 4 and the new one
  for (int i : {0, 1, 2, 3, 8}) CHECK(inject.pop() == &tasks[i]);
  for (int i = 4; i < 8; ++i) CHECK(q.pop() == &tasks[i]);
}

TEST_CASE("local queue: a steal moves half (rounded up) and hands one back to run") {
  auto tasks = make_tasks(10);
  LocalQueue<16> victim, thief;
  InjectQueue inject;
  for (auto& t : tasks) victim.push_back(&t, inject);
  TaskHeader* first = victim.steal_into(thief);
  REQUIRE(first != nullptr);
  CHECK(victim.len() == 5);
  CHECK(thief.len() == 4);  // 5 stolen, one of them returned to run now
  CHECK(first == &tasks[4]);
  for (int i = 0; i < 4; ++i) CHECK(thief.pop() == &tasks[i]);
  for (int i = 5; i < 10; ++i) CHECK(victim.pop() == &tasks[i]);
  CHECK(victim.steal_into(thief) == nullptr);  // nothing left to take
}

TEST_CASE("local queue: a thief that is more than half full does not steal") {
  auto tasks = make_tasks(12);
  LocalQueue<8> victim, thief;
  InjectQueue inject;
  for (int i = 0; i < 5; ++i) thief.push_back(&tasks[i], inject);
  for (int i = 5; i < 12; ++i) victim.push_back(&tasks[i], inject);
  CHECK(victim.steal_into(thief) == nullptr);
  CHECK(victim.len() == 7);
}

TEST_CASE("inject queue: closing hands back what was queued and refuses more") {
  auto tasks = make_tasks(3);
  InjectQueue inject;
  CHECK(inject.push(&tasks[0]));
  CHECK(inject.push(&tasks[1]));
  TaskQueue rest = inject.close();
  CHECK(rest.size() == 2);
  CHECK_FALSE(inject.push(&tasks[2]));
  CHECK(inject.empty());
}
