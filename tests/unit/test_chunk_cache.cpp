// The per-thread block cache (runtime/util/chunk_cache.hpp): blocks a thread frees for another
// come back to the thread that allocates.
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "runtime/util/chunk_cache.hpp"
#include "support.hpp"

using namespace loopscope;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LOOPSCOPE_TEST_CACHE 0  // sanitizer builds bypass the cache
#else
#define LOOPSCOPE_TEST_CACHE 1
#endif

#if LOOPSCOPE_TEST_CACHE
TEST_CASE("blocks freed on another thread are handed back to the thread that allocates") {
  // A spawning worker allocates task cells that another worker frees: without a way back, the
  // spawner would go to malloc for every one and the other would hoard them.
  constexpr size_t kBlocks = 4096, kSize = 128;
  std::vector<void*> blocks;
  for (size_t i = 0; i < kBlocks; ++i) blocks.push_back(chunk_cache::allocate(kSize));
  std::set<void*> freed(blocks.begin(), blocks.end());
  std::atomic<int> stage{0};
  std::thread other([&] {  // stays alive (with its cache) until the allocations below are done
    for (void* b : blocks) chunk_cache::deallocate(b, kSize);
    stage = 1;
    while (stage.load() != 2) std::this_thread::yield();
  });
  while (stage.load() != 1) std::this_thread::yield();
  size_t reused = 0;
  std::vector<void*> again;
  for (size_t i = 0; i < kBlocks; ++i) {
    again.push_back(chunk_cache::allocate(kSize));
    reused += freed.count(again.back());
  }
  stage = 2;
  other.join();
  CHECK(reused >= kBlocks * 9 / 10);  // all but what the other thread keeps for itself
  for (void* b : again) chunk_cache::deallocate(b, kSize);
}
#endif
