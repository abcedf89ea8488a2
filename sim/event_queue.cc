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
  CHECK_LT(slots_used_, kNoSlot) << "event slab exhausted";
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

TimerId EventQueue::Push(Time at, const EventTag& tag, Scope scope, Callback callback) {
  CHECK(static_cast<bool>(callback)) << "scheduled an empty callback";
  const uint32_t slot = AllocateSlot();
  Event& e = event(slot);
  e.callback = std::move(callback);
  e.tag = tag;
  e.scope = scope;
  e.state = State::kQueued;
  HeapPush(Entry{at.micros(), next_seq_++, slot});
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
  e.callback.Reset();
  e.state = State::kCancelled;
  --pending_;
  return true;
}

void EventQueue::SkipCancelled() {
  while (!heap_.empty()) {
    const uint32_t slot = heap_.front().slot;
    if (event(slot).state != State::kCancelled) return;
    HeapPop();
    FreeSlot(slot);
  }
}

Time EventQueue::NextTime() {
  SkipCancelled();
  return heap_.empty() ? Time::Max() : Time::FromMicros(heap_.front().at);
}

uint32_t EventQueue::PopUntil(Time limit, Time* at) {
  SkipCancelled();
  if (heap_.empty() || heap_.front().at > limit.micros()) return kNoSlot;
  const Entry top = heap_.front();
  HeapPop();
  Event& e = event(top.slot);
  CHECK(e.state == State::kQueued);
  e.state = State::kRunning;
  --pending_;
  *at = Time::FromMicros(top.at);
  return top.slot;
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
  HeapPush(Entry{at.micros(), next_seq_++, slot});
  return true;
}

// Binary heap with the "hole" technique: move the hole, write the entry once.
void EventQueue::HeapPush(Entry e) {
  std::size_t hole = heap_.size();
  heap_.push_back(e);
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 2;
    if (!Before(e, heap_[parent])) break;
    heap_[hole] = heap_[parent];
    hole = parent;
  }
  heap_[hole] = e;
}

void EventQueue::HeapPop() {
  const Entry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  std::size_t hole = 0;
  while (true) {
    std::size_t child = 2 * hole + 1;
    if (child >= n) break;
    if (child + 1 < n && Before(heap_[child + 1], heap_[child])) ++child;
    if (!Before(heap_[child], last)) break;
    heap_[hole] = heap_[child];
    hole = child;
  }
  heap_[hole] = last;
}

}  // namespace slotsim::sim
