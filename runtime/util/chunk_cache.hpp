// chunk_cache: a per-thread cache of small memory blocks for coroutine frames and task cells.
//
// Spawning a task costs two allocations (the task cell and the coroutine frame) and completing it
// two frees. Going to malloc for each made spawn+join four times slower than the rest of the
// work together (malloc_consolidate, trimming, page faults). Freed blocks are kept here instead,
// per size class of 64 bytes up to 1 KiB, up to 8 MiB per thread, and handed out again; larger
// blocks go straight to operator new. Blocks may be freed on any thread (they join that thread's
// cache). Sanitizer builds bypass the cache so use-after-free stays visible.
#pragma once

#include <cstddef>

namespace loopscope::chunk_cache {

void* allocate(std::size_t size);
void deallocate(void* block, std::size_t size) noexcept;

}  // namespace loopscope::chunk_cache
