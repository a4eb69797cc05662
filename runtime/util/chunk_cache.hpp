// chunk_cache: a per-thread cache of small memory blocks for coroutine frames and task cells.
//
// Spawning a task costs two allocations (the task cell and the coroutine frame) and completing it
// two frees. Going to malloc for each made spawn+join four times slower than the rest of the
// work together (malloc_consolidate, trimming, page faults). Freed blocks are kept here instead,
// per size class of 64 bytes up to 1 KiB, and handed out again; larger blocks go straight to
// operator new. Blocks may be freed on any thread (they join that thread's cache). A thread that
// frees more than it allocates (a worker running tasks another one spawned) passes its surplus,
// 64 blocks at a time, to a shared depot where threads that allocate more than they free take
// it: one lock per 64 blocks, where freeing them to malloc contended on its arenas at every
// block. Sanitizer builds bypass the cache so use-after-free stays visible.
#pragma once

#include <cstddef>

namespace loopscope::chunk_cache {

void* allocate(std::size_t size);
void deallocate(void* block, std::size_t size) noexcept;

}  // namespace loopscope::chunk_cache
