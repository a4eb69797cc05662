// "What just happened": one plain sentence for an event, tied to its source line, in the words of
// the run's profile ("runnext" in go, "LIFO slot" in tokio, the loop's phases in node). Where the
// snapshot right after the event is at hand, the sentence says where a woken or spawned task went.
//
//   narrate(session, 41, &snapshot)
//   → "'producer' #3 sent on channel 1 at line 12 and woke 'consumer' #5, which waits
//      at the back of worker 0's run queue."
#pragma once

#include <cstdint>
#include <string>

#include "runtime/script/session.hpp"

namespace loopscope::ui {

// "'producer' #3", "task 4" (unnamed), "a callback" for task 0.
std::string task_label(const script::Session& session, uint64_t task);
// Where task `task` waits in `snapshot`: "at the back of worker 0's run queue", "in worker 1's
// LIFO slot", "in the inject queue"...; "" when it is in none of the queues.
std::string where_queued(const script::Snapshot& snapshot, uint64_t task, script::Profile profile);
// The sentence for event `index` (a past or the latest event). `after` is the snapshot right after
// it, or null.
std::string narrate(const script::Session& session, uint64_t index, const script::Snapshot* after);

}  // namespace loopscope::ui
