#include "sim/event_queue.h"

#include <utility>

#include "sim/check.h"

namespace slotsim::sim {

uint32_t EventQueue::AllocateSlot() {
  if (!free_slots_.empty()) {
    uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  CHECK_LT(slots_used_, uint32_t{1} << kSlotBits) << "too many pending events";
  const uint32_t slot = slots_used_++;
  if ((slot >> kChunkBits) >= chunks_.size()) {
    chunks_.push_back(std::make_unique<Event[]>(std::size_t{1} << kChunkBits));
  }
  return slot;
}

void EventQueue::FreeSlot(uint32_t slot) {
  Event& e = event(slot);
  e.callback.Reset();
  e.state = State::kFree;
  // Generations skip 0 so that no TimerId is all-zero in its top half.
  if (++e.generation == 0) e.generation = 1;
  free_slots_.push_back(slot);
}

EventQueue::Entry EventQueue::MakeEntry(Time at, uint32_t slot) {
  CHECK_GE(at.micros(), 0);
  CHECK_LT(next_seq_, uint64_t{1} << (64 - kSlotBits)) << "event sequence exhausted";
  return Entry{static_cast<uint64_t>(at.micros()), (next_seq_++ << kSlotBits) | slot};
}

TimerId EventQueue::Push(Time at, const EventTag& tag, Scope scope, Callback callback) {
  CHECK(static_cast<bool>(callback)) << "scheduled an empty callback";
  const uint32_t slot = AllocateSlot();
  event(slot).callback = std::move(callback);
  return Enqueue(slot, at, tag, scope);
}

TimerId EventQueue::Enqueue(uint32_t slot, Time at, const EventTag& tag, Scope scope) {
  Event& e = event(slot);
  e.tag = tag;
  e.scope = scope;
  e.state = State::kQueued;
  HeapPush(MakeEntry(at, slot));
  ++pending_;
  return MakeSlotId<TimerId>(slot, e.generation);
}

bool EventQueue::IsPending(TimerId id) const {
  if (!id.valid()) return false;
  const uint32_t slot = SlotOf(id);
  if (slot >= slots_used_) return false;
  const Event& e = chunks_[slot >> kChunkBits][slot & kChunkMask];
  return e.generation == GenerationOf(id) &&
         (e.state == State::kQueued || e.state == State::kParked);
}

bool EventQueue::Cancel(TimerId id) {
  if (!IsPending(id)) return false;
  Event& e = event(SlotOf(id));
  if (e.state == State::kQueued) ++cancelled_in_heap_;
  e.callback.Reset();
  e.state = State::kCancelled;
  --pending_;
  return true;
}

void EventQueue::SkipCancelled() {
  while (cancelled_in_heap_ > 0 && heap_.size() > kHeapBase) {
    const uint32_t slot = SlotOfEntry(heap_[kHeapBase]);
    if (event(slot).state != State::kCancelled) return;
    HeapPop();
    FreeSlot(slot);
    --cancelled_in_heap_;
  }
}

Time EventQueue::NextTime() {
  SkipCancelled();
  return heap_.size() == kHeapBase
             ? Time::Max()
             : Time::FromMicros(static_cast<int64_t>(heap_[kHeapBase].at));
}

uint32_t EventQueue::PopUntil(Time limit, Time* at) {
  SkipCancelled();
  if (heap_.size() == kHeapBase ||
      static_cast<int64_t>(heap_[kHeapBase].at) > limit.micros()) {
    return kNoSlot;
  }
  const Entry top = heap_[kHeapBase];
  HeapPop();
  const uint32_t slot = SlotOfEntry(top);
  Event& e = event(slot);
  CHECK(e.state == State::kQueued);
  e.state = State::kRunning;
  --pending_;
  *at = Time::FromMicros(static_cast<int64_t>(top.at));
  return slot;
}

void EventQueue::Release(uint32_t slot) {
  CHECK(event(slot).state == State::kRunning);
  FreeSlot(slot);
}

void EventQueue::DiscardParked(uint32_t slot) {
  const State s = event(slot).state;
  CHECK(s == State::kParked || s == State::kCancelled);
  if (s == State::kParked) --pending_;
  FreeSlot(slot);
}

void EventQueue::Park(uint32_t slot) {
  Event& e = event(slot);
  CHECK(e.state == State::kRunning);
  e.state = State::kParked;
  ++pending_;
}

bool EventQueue::Unpark(uint32_t slot, Time at) {
  Event& e = event(slot);
  if (e.state == State::kCancelled) {
    FreeSlot(slot);
    return false;
  }
  CHECK(e.state == State::kParked);
  e.state = State::kQueued;
  HeapPush(MakeEntry(at, slot));
  return true;
}

// A 4-ary heap: half the depth of a binary heap, and a node's four children
// share a cache line. Pushes sift up with a hole; pops sift the hole down to a
// leaf along the smallest children, then sift the last entry up from there
// (fewer comparisons, since the last entry usually belongs near the bottom).
void EventQueue::HeapPush(Entry e) {
  heap_.push_back(e);
  Entry* h = heap_.data() + kHeapBase;
  std::size_t hole = heap_.size() - kHeapBase - 1;
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 4;
    if (!Before(e, h[parent])) break;
    h[hole] = h[parent];
    hole = parent;
  }
  h[hole] = e;
}

void EventQueue::HeapPop() {
  const Entry last = heap_.back();
  heap_.pop_back();
  Entry* h = heap_.data() + kHeapBase;
  const std::size_t n = heap_.size() - kHeapBase;
  if (n == 0) return;
  std::size_t hole = 0;
  while (true) {
    const std::size_t first = 4 * hole + 1;
    if (first >= n) break;
    std::size_t best = first;
    if (first + 4 <= n) {
      // The common case, a full set of four children: branch-free minimum.
      const std::size_t a = Before(h[first + 1], h[first]) ? first + 1 : first;
      const std::size_t b = Before(h[first + 3], h[first + 2]) ? first + 3 : first + 2;
      best = Before(h[b], h[a]) ? b : a;
    } else {
      for (std::size_t c = first + 1; c < n; ++c) {
        if (Before(h[c], h[best])) best = c;
      }
    }
    h[hole] = h[best];
    hole = best;
  }
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 4;
    if (!Before(last, h[parent])) break;
    h[hole] = h[parent];
    hole = parent;
  }
  h[hole] = last;
}

}  // namespace slotsim::sim
