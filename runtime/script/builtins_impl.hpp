// Shared by the builtins_*.cpp files: argument checks and the functions the table lists.
#pragma once

#include <string>

#include "runtime/script/builtins.hpp"
#include "runtime/script/format.hpp"
#include "runtime/script/handles.hpp"
#include "runtime/script/vm.hpp"

namespace loopscope::script::builtin {

// Argument checks: raise a clear error naming the function and return false when wrong.
bool arg_int(VM& vm, const CallArgs& a, int i, const char* fn, int64_t& out);
bool arg_number(VM& vm, const CallArgs& a, int i, const char* fn, double& out);
bool arg_string(VM& vm, const CallArgs& a, int i, const char* fn, String*& out);
bool arg_function(VM& vm, const CallArgs& a, int i, const char* fn);
bool arg_list(VM& vm, const CallArgs& a, int i, const char* fn, List*& out);
// Milliseconds as a duration (int or float, not negative).
bool arg_ms(VM& vm, const CallArgs& a, int i, const char* fn, double& out);

template <class T, class... Args>
Value make(VM& vm, Args&&... args) {
  return Value::object(vm.heap().make<T>(std::forward<Args>(args)...));
}

// Raises "<type> has no method 'name'" (returns false).
bool no_such_method(VM& vm, const Value& self, std::string_view name);
bool no_such_method(VM& vm, const Value& self, MethodId id);

// Whether `v` can be awaited (futures, tasks, promises); plain values await as themselves.
bool awaitable(const Value& v);
// A FutureObj for an awaitable value (tasks and promises are wrapped), or null for plain values.
FutureObj* as_future(VM& vm, const Value& v);

#define LOOPSCOPE_BUILTIN(name) \
  bool name([[maybe_unused]] VM& vm, [[maybe_unused]] CallArgs& args, [[maybe_unused]] Value& out)

// core (builtins_core.cpp)
LOOPSCOPE_BUILTIN(print);
LOOPSCOPE_BUILTIN(len);
LOOPSCOPE_BUILTIN(str);
LOOPSCOPE_BUILTIN(to_int);
LOOPSCOPE_BUILTIN(to_float);
LOOPSCOPE_BUILTIN(type);
LOOPSCOPE_BUILTIN(now);
LOOPSCOPE_BUILTIN(task_id);
LOOPSCOPE_BUILTIN(worker_id);
bool list_method(VM& vm, MethodId id, CallArgs& args, Value& out);
bool map_method(VM& vm, MethodId id, CallArgs& args, Value& out);
bool string_method(VM& vm, MethodId id, CallArgs& args, Value& out);

// tasks, time, sync (builtins_async.cpp)
LOOPSCOPE_BUILTIN(sleep);
LOOPSCOPE_BUILTIN(yield_now);
LOOPSCOPE_BUILTIN(all);
LOOPSCOPE_BUILTIN(race);
LOOPSCOPE_BUILTIN(select);
LOOPSCOPE_BUILTIN(timeout);
LOOPSCOPE_BUILTIN(spawn_blocking);
LOOPSCOPE_BUILTIN(work);
LOOPSCOPE_BUILTIN(block);
LOOPSCOPE_BUILTIN(io);
LOOPSCOPE_BUILTIN(fetch);
LOOPSCOPE_BUILTIN(coroutine);
LOOPSCOPE_BUILTIN(status);
LOOPSCOPE_BUILTIN(channel);
LOOPSCOPE_BUILTIN(mutex);
LOOPSCOPE_BUILTIN(semaphore);
LOOPSCOPE_BUILTIN(notify);
bool channel_method(VM& vm, MethodId id, CallArgs& args, Value& out);
bool mutex_method(VM& vm, MethodId id, CallArgs& args, Value& out);
bool semaphore_method(VM& vm, MethodId id, CallArgs& args, Value& out);
bool notify_method(VM& vm, MethodId id, CallArgs& args, Value& out);
bool task_method(VM& vm, MethodId id, CallArgs& args, Value& out);

// promises, microtasks, JavaScript-style timers (builtins_js.cpp)
LOOPSCOPE_BUILTIN(promise);
LOOPSCOPE_BUILTIN(resolved);
LOOPSCOPE_BUILTIN(rejected);
LOOPSCOPE_BUILTIN(queue_microtask);
LOOPSCOPE_BUILTIN(next_tick);
LOOPSCOPE_BUILTIN(set_timeout);
LOOPSCOPE_BUILTIN(clear_timeout);
LOOPSCOPE_BUILTIN(set_interval);
LOOPSCOPE_BUILTIN(clear_interval);
LOOPSCOPE_BUILTIN(set_immediate);
bool promise_method(VM& vm, MethodId id, CallArgs& args, Value& out);
// Settles a promise, queueing its reactions; resolving with a promise or thenable adopts its
// outcome through a job, as ECMAScript does.
void resolve_promise(VM& vm, PromiseObj* p, Value v);
void reject_promise(VM& vm, PromiseObj* p, Value e);
// Profile node: promises settled by the loop (a timer, an immediate, a device read in the poll
// phase), and Promise.all / Promise.race.
Value node_timer_promise(VM& vm, double ms);
Value node_immediate_promise(VM& vm);
Value node_io_promise(VM& vm, Value name, double ms);
Value promise_all(VM& vm, List* items);
Value promise_race(VM& vm, List* items);
// A map with a callable `then`.
bool is_thenable(VM& vm, const Value& v);

}  // namespace loopscope::script::builtin
