#include "runtime/util/chunk_cache.hpp"

#include <mutex>
#include <new>

#include "runtime/util/spin_lock.hpp"

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
constexpr std::size_t kClasses = 16;        // 64 .. 1024 bytes
constexpr std::size_t kBatch = 64;          // blocks moved to or from the depot at once
constexpr std::size_t kKeep = 4 * kBatch;   // blocks of a class a thread keeps before it passes some on
constexpr std::size_t kDepotBytes = 8u << 20;  // what the depot keeps of a class; beyond: malloc

struct FreeBlock {
  FreeBlock* next;
  FreeBlock* next_batch;  // the depot: the first block of each batch links the batches
};

// Plain data, so that the hot path reads it without a thread_local initialisation check; the
// reaper below hands it to the depot when the thread exits.
struct Cache {
  FreeBlock* heads[kClasses];
  std::size_t counts[kClasses];
  bool reaper_armed;
  bool gone;  // the thread is exiting: stop caching
};
thread_local Cache t_cache = {};

// Batches of kBatch blocks of one class, shared by all threads.
struct Depot {
  SpinLock lock;
  FreeBlock* batches = nullptr;
  std::size_t count = 0;
};
Depot g_depot[kClasses];

std::size_t class_of(std::size_t size) noexcept { return (size + kGranule - 1) / kGranule - 1; }

// Passes a list of exactly kBatch blocks to the depot, or frees it when the depot is full.
void give_batch(std::size_t c, FreeBlock* batch) noexcept {
  {
    Depot& d = g_depot[c];
    std::lock_guard<SpinLock> g(d.lock);
    if ((d.count + 1) * kBatch * (c + 1) * kGranule <= kDepotBytes) {
      batch->next_batch = d.batches;
      d.batches = batch;
      ++d.count;
      return;
    }
  }
  while (batch) {
    FreeBlock* b = batch;
    batch = b->next;
    ::operator delete(b);
  }
}

FreeBlock* take_batch(std::size_t c) noexcept {
  Depot& d = g_depot[c];
  std::lock_guard<SpinLock> g(d.lock);
  FreeBlock* batch = d.batches;
  if (batch) {
    d.batches = batch->next_batch;
    --d.count;
  }
  return batch;
}

// Detaches the first kBatch blocks of the thread's list of class c.
FreeBlock* split_batch(std::size_t c) noexcept {
  FreeBlock* first = t_cache.heads[c];
  FreeBlock* last = first;
  for (std::size_t i = 1; i < kBatch; ++i) last = last->next;
  t_cache.heads[c] = last->next;
  last->next = nullptr;
  t_cache.counts[c] -= kBatch;
  return first;
}

struct Reaper {
  ~Reaper() {
    t_cache.gone = true;
    for (std::size_t c = 0; c < kClasses; ++c) {
      while (t_cache.counts[c] >= kBatch) give_batch(c, split_batch(c));
      while (FreeBlock* b = t_cache.heads[c]) {
        t_cache.heads[c] = b->next;
        ::operator delete(b);
      }
      t_cache.counts[c] = 0;
    }
  }
};

void arm_reaper() {
  static thread_local Reaper reaper;
  (void)reaper;
  t_cache.reaper_armed = true;
}

}  // namespace

void* allocate(std::size_t size) {
  std::size_t c = class_of(size);
  if (c >= kClasses) return ::operator new(size);
  FreeBlock* b = t_cache.heads[c];
  if (!b && !t_cache.gone && (b = take_batch(c))) {
    if (!t_cache.reaper_armed) arm_reaper();
    t_cache.counts[c] = kBatch;
  }
  if (b) {
    t_cache.heads[c] = b->next;
    // Blocks freed long ago are cold: start loading the next one now, so that a burst of
    // spawns overlaps its cache misses instead of taking them one by one.
    __builtin_prefetch(b->next, 1);
    --t_cache.counts[c];
    return b;
  }
  return ::operator new((c + 1) * kGranule);
}

void deallocate(void* block, std::size_t size) noexcept {
  std::size_t c = class_of(size);
  if (c >= kClasses || t_cache.gone) {
    ::operator delete(block);
    return;
  }
  if (!t_cache.reaper_armed) arm_reaper();
  auto* b = static_cast<FreeBlock*>(block);
  b->next = t_cache.heads[c];
  t_cache.heads[c] = b;
  if (++t_cache.counts[c] > kKeep) give_batch(c, split_batch(c));
}

#else

void* allocate(std::size_t size) { return ::operator new(size); }
void deallocate(void* block, std::size_t) noexcept { ::operator delete(block); }

#endif

}  // namespace loopscope::chunk_cache
