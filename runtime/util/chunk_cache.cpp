#include "runtime/util/chunk_cache.hpp"

#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LOOPSCOPE_CHUNK_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LOOPSCOPE_CHUNK_CACHE 0
#endif
#endif
#ifndef LOOPSCOPE_CHUNK_CACHE
#define LOOPSCOPE_CHUNK_CACHE 1
#endif

namespace loopscope::chunk_cache {

#if LOOPSCOPE_CHUNK_CACHE

namespace {

constexpr std::size_t kGranule = 64;
constexpr std::size_t kClasses = 16;  // 64 .. 1024 bytes
constexpr std::size_t kMaxCachedBytes = 8u << 20;

struct FreeBlock {
  FreeBlock* next;
};

// Plain data, so that the hot path reads it without a thread_local initialisation check; the
// reaper below empties it when the thread exits.
struct Cache {
  FreeBlock* heads[kClasses];
  std::size_t cached_bytes;
  bool reaper_armed;
  bool gone;  // the thread is exiting: stop caching
};
thread_local Cache t_cache = {};

struct Reaper {
  ~Reaper() {
    t_cache.gone = true;
    for (FreeBlock*& head : t_cache.heads) {
      while (head) {
        FreeBlock* b = head;
        head = b->next;
        ::operator delete(b);
      }
    }
    t_cache.cached_bytes = 0;
  }
};

void arm_reaper() {
  static thread_local Reaper reaper;
  (void)reaper;
  t_cache.reaper_armed = true;
}

std::size_t class_of(std::size_t size) noexcept { return (size + kGranule - 1) / kGranule - 1; }

}  // namespace

void* allocate(std::size_t size) {
  std::size_t c = class_of(size);
  if (c >= kClasses) return ::operator new(size);
  if (FreeBlock* b = t_cache.heads[c]) {
    t_cache.heads[c] = b->next;
    // Blocks freed long ago are cold: start loading the next one now, so that a burst of
    // spawns overlaps its cache misses instead of taking them one by one.
    __builtin_prefetch(b->next, 1);
    t_cache.cached_bytes -= (c + 1) * kGranule;
    return b;
  }
  return ::operator new((c + 1) * kGranule);
}

void deallocate(void* block, std::size_t size) noexcept {
  std::size_t c = class_of(size);
  if (c < kClasses && !t_cache.gone && t_cache.cached_bytes + (c + 1) * kGranule <= kMaxCachedBytes) {
    if (!t_cache.reaper_armed) arm_reaper();
    auto* b = static_cast<FreeBlock*>(block);
    b->next = t_cache.heads[c];
    t_cache.heads[c] = b;
    t_cache.cached_bytes += (c + 1) * kGranule;
    return;
  }
  ::operator delete(block);
}

#else

void* allocate(std::size_t size) { return ::operator new(size); }
void deallocate(void* block, std::size_t) noexcept { ::operator delete(block); }

#endif

}  // namespace loopscope::chunk_cache
