#include "runtime/time/wheel.hpp"

#include <bit>
#include <cassert>

namespace loopscope {

namespace {
constexpr uint64_t kSlotMask = TimerWheel::kSlots - 1;

uint64_t slot_range(unsigned level) noexcept { return uint64_t{1} << (TimerWheel::kSlotBits * level); }
uint64_t level_range(unsigned level) noexcept { return slot_range(level + 1); }

// The level whose slots first distinguish `when` from `reference`.
unsigned level_for(uint64_t reference, uint64_t when) noexcept {
  uint64_t masked = (reference ^ when) | kSlotMask;
  if (masked >= TimerWheel::kMaxDuration) masked = TimerWheel::kMaxDuration - 1;
  unsigned significant = 63u - static_cast<unsigned>(std::countl_zero(masked));
  return significant / TimerWheel::kSlotBits;
}
}  // namespace

bool TimerWheel::insert(TimerEntry* entry) noexcept {
  if (entry->deadline <= elapsed_) return false;
  entry->clamped = entry->deadline - elapsed_ > kMaxDuration;
  if (entry->clamped) entry->deadline = elapsed_ + kMaxDuration;
  entry->fired = false;
  file(entry, elapsed_);
  ++size_;
  return true;
}

void TimerWheel::file(TimerEntry* entry, uint64_t reference) noexcept {
  unsigned level = level_for(reference, entry->deadline);
  unsigned slot = static_cast<unsigned>((entry->deadline >> (level * kSlotBits)) & kSlotMask);
  entry->level = static_cast<uint8_t>(level);
  entry->slot = static_cast<uint8_t>(slot);
  levels_[level].slots[slot].push_back(entry);
  levels_[level].occupied |= uint64_t{1} << slot;
}

void TimerWheel::remove(TimerEntry* entry) noexcept {
  assert(entry->linked() && !entry->fired);
  Level& level = levels_[entry->level];
  IntrusiveList<TimerEntry>::remove(entry);
  if (level.slots[entry->slot].empty()) level.occupied &= ~(uint64_t{1} << entry->slot);
  --size_;
}

void TimerWheel::relocate(TimerEntry* from, TimerEntry* to) noexcept {
  assert(from->linked() && !from->fired);
  IntrusiveList<TimerEntry>::replace(from, to);
  to->deadline = from->deadline;
  to->waker = std::move(from->waker);
  to->id = from->id;
  to->task = from->task;
  to->level = from->level;
  to->slot = from->slot;
  to->fired = false;
  to->clamped = from->clamped;
}

std::optional<TimerWheel::Expiration> TimerWheel::next_expiration() const noexcept {
  for (unsigned level = 0; level < kLevels; ++level) {
    const Level& l = levels_[level];
    if (!l.occupied) continue;
    uint64_t now_slot = elapsed_ / slot_range(level);
    uint64_t rotated = std::rotr(l.occupied, static_cast<int>(now_slot & kSlotMask));
    unsigned slot = static_cast<unsigned>((std::countr_zero(rotated) + now_slot) & kSlotMask);
    uint64_t level_start = elapsed_ & ~(level_range(level) - 1);
    uint64_t deadline = level_start + slot * slot_range(level);
    // Only the top level wraps around (timers clamped to kMaxDuration): a slot "before" now
    // there is in the next rotation.
    if (deadline <= elapsed_ && level == kLevels - 1) deadline += level_range(level);
    return Expiration{level, slot, deadline};
  }
  return std::nullopt;
}

std::optional<uint64_t> TimerWheel::next_deadline() const noexcept {
  auto exp = next_expiration();
  if (!exp) return std::nullopt;
  return exp->deadline;
}

void TimerWheel::take_expired(const Expiration& exp, IntrusiveList<TimerEntry>& expired) noexcept {
  Level& level = levels_[exp.level];
  IntrusiveList<TimerEntry>& slot = level.slots[exp.slot];
  level.occupied &= ~(uint64_t{1} << exp.slot);
  IntrusiveList<TimerEntry> taken;  // re-filing may target this same list: empty it first
  while (TimerEntry* e = slot.pop_front()) taken.push_back(e);
  while (TimerEntry* e = taken.pop_front()) {
    if (e->deadline <= exp.deadline) {
      expired.push_back(e);
    } else {
      file(e, exp.deadline);  // cascade to a finer level
    }
  }
}

}  // namespace loopscope
