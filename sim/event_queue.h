// EventQueue: the pending events of a simulation, ordered by (time, sequence).
//
// Each Push gets the next sequence number, so events at equal times come out in
// insertion order (design brief, determinism rules). The queue is a radix heap
// of 16-byte entries (time, sequence, slot): time is monotone in a simulation
// (nothing is scheduled before the last popped event), so an entry sits in the
// bucket named by the highest bit in which its time differs from the last
// popped time; a push is an append, and a pop refills bucket 0 from the lowest
// non-empty bucket only when bucket 0 is empty (each entry moves down at most
// 64 times, in practice two or three). Bucket 0 holds the entries at exactly
// the last popped time, in sequence order. The callbacks live in a slab of
// slots with stable addresses, so a running callback may schedule new events
// without being moved.
//
// Cancellation is lazy: Cancel destroys the callback at once (releasing what it
// captured) and marks the slot; the heap entry is discarded when it reaches the
// top. A TimerId names (slot, generation); the generation changes whenever a
// slot is released, so a stale TimerId never cancels a newer event.
//
// Parking (for paused processes): the simulator may take a popped event out of
// the heap without running it (Park) and later put it back at a new time with a
// new sequence number (Unpark). Its TimerId stays valid throughout, so a parked
// timer can still be cancelled.
//
// Invariants: every slot is in exactly one state; a queued slot has exactly one
// heap entry; pending() counts queued and parked events that are not cancelled;
// every entry's time is >= the last popped time (CHECKed at Push and Unpark:
// the simulator never schedules in the past).
// Limits (CHECKed): 2^24 events pending at once, 2^40 events pushed per run.
//
// Example:
//   EventQueue q;
//   q.Push(Time::FromMillis(5), EventTag{1, 0, 0}, {}, [] { ... });
//   Time at;
//   uint32_t slot = q.PopUntil(Time::Max(), &at);
//   q.event(slot).callback();
//   q.Release(slot);

#ifndef SLOTSIM_SIM_EVENT_QUEUE_H_
#define SLOTSIM_SIM_EVENT_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "sim/callback.h"
#include "sim/check.h"
#include "sim/ids.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace slotsim::sim {

class EventQueue {
 public:
  static constexpr uint32_t kNoSlot = 0xffffffffu;

  // Whom an event belongs to: the kernel (invalid process) or one incarnation
  // of a process (the simulator drops it if the process has crashed since).
  struct Scope {
    ProcessId process;
    uint32_t incarnation = 0;
  };

  enum class State : uint8_t { kFree, kQueued, kParked, kRunning, kCancelled };

  struct Event {
    Callback callback;
    EventTag tag;
    Scope scope;
    uint32_t generation = 1;
    State state = State::kFree;
  };

  EventQueue() = default;
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  TimerId Push(Time at, const EventTag& tag, Scope scope, Callback callback);
  // The same, constructing the callable in place (no move of the Callback).
  template <typename F>
  TimerId Emplace(Time at, const EventTag& tag, Scope scope, F&& f) {
    if constexpr (std::is_same_v<std::decay_t<F>, Callback>) {
      CHECK(static_cast<bool>(f)) << "scheduled an empty callback";
    }
    const uint32_t slot = AllocateSlot();
    event(slot).callback.Emplace(std::forward<F>(f));
    return Enqueue(slot, at, tag, scope);
  }

  // Cancels a queued or parked event. False if it already ran, is running, was
  // cancelled, or the id is stale.
  bool Cancel(TimerId id);
  bool IsPending(TimerId id) const;

  // Removes the earliest live event whose time is <= limit and marks it
  // running; returns its slot and sets *at. Returns kNoSlot if there is none.
  uint32_t PopUntil(Time limit, Time* at);

  // The time of the earliest live event, or Time::Max() if none.
  Time NextTime();

  Event& event(uint32_t slot) { return chunks_[slot >> kChunkBits][slot & kChunkMask]; }
  TimerId IdOf(uint32_t slot) {
    return MakeSlotId<TimerId>(slot, event(slot).generation);
  }

  // Frees a popped (running) event's slot.
  void Release(uint32_t slot);
  // Frees a parked event's slot (it may have been cancelled while parked).
  void DiscardParked(uint32_t slot);
  // Keeps a popped event out of the heap without running it.
  void Park(uint32_t slot);
  // Puts a parked event back at `at`. If it was cancelled while parked, frees
  // the slot instead and returns false.
  bool Unpark(uint32_t slot, Time at);

  std::size_t pending() const { return pending_; }

 private:
  static constexpr uint32_t kChunkBits = 10;
  static constexpr uint32_t kChunkMask = (1u << kChunkBits) - 1;

  // A heap entry: the time, then (sequence << kSlotBits | slot). The sequence
  // is unique, so comparing the pair orders by (time, sequence).
  static constexpr int kSlotBits = 24;
  struct Entry {
    uint64_t at;
    uint64_t seq_slot;
  };
  static uint32_t SlotOfEntry(const Entry& e) {
    return static_cast<uint32_t>(e.seq_slot & ((uint64_t{1} << kSlotBits) - 1));
  }
  Entry MakeEntry(Time at, uint32_t slot);

  uint32_t AllocateSlot();
  uint32_t NewSlot();  // AllocateSlot's slow path: a never-used slot
  TimerId Enqueue(uint32_t slot, Time at, const EventTag& tag, Scope scope);
  void FreeSlot(uint32_t slot);
  // The bucket of an entry at time `at` (>= last_): 0 if at == last_, else
  // one more than the index of the highest bit in which they differ.
  int BucketOf(uint64_t at) const {
    return at == last_ ? 0 : 64 - __builtin_clzll(at ^ last_);
  }
  void HeapPush(Entry e);

  std::vector<std::unique_ptr<Event[]>> chunks_;
  uint32_t slots_used_ = 0;  // slots ever handed out (high-water mark)
  std::vector<uint32_t> free_slots_;
  static constexpr int kBuckets = 65;
  std::vector<Entry> buckets_[kBuckets];
  std::size_t front_ = 0;  // entries of buckets_[0] already popped
  uint64_t last_ = 0;      // the time of bucket 0 (the last popped time)
  uint64_t nonempty_ = 0;  // bit b-1 set iff buckets_[b] (b >= 1) is non-empty
  uint64_t next_seq_ = 0;
  std::size_t pending_ = 0;
  std::size_t cancelled_in_heap_ = 0;
};

// The per-event paths, inline: the simulator's dispatch loop calls them for
// every event.

inline uint32_t EventQueue::AllocateSlot() {
  if (!free_slots_.empty()) {
    const uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  return NewSlot();
}

inline void EventQueue::FreeSlot(uint32_t slot) {
  Event& e = event(slot);
  e.callback.Reset();
  e.state = State::kFree;
  // Generations skip 0 so that no TimerId is all-zero in its top half.
  if (++e.generation == 0) e.generation = 1;
  free_slots_.push_back(slot);
}

inline EventQueue::Entry EventQueue::MakeEntry(Time at, uint32_t slot) {
  CHECK_GE(at.micros(), 0);
  CHECK_LT(next_seq_, uint64_t{1} << (64 - kSlotBits)) << "event sequence exhausted";
  return Entry{static_cast<uint64_t>(at.micros()), (next_seq_++ << kSlotBits) | slot};
}

inline void EventQueue::HeapPush(Entry e) {
  CHECK_GE(e.at, last_) << "event queued before the last popped one";
  const int b = BucketOf(e.at);
  buckets_[b].push_back(e);
  if (b > 0) nonempty_ |= uint64_t{1} << (b - 1);
}

inline TimerId EventQueue::Enqueue(uint32_t slot, Time at, const EventTag& tag,
                                   Scope scope) {
  Event& e = event(slot);
  e.tag = tag;
  e.scope = scope;
  e.state = State::kQueued;
  HeapPush(MakeEntry(at, slot));
  ++pending_;
  return MakeSlotId<TimerId>(slot, e.generation);
}

inline void EventQueue::Release(uint32_t slot) {
  CHECK(event(slot).state == State::kRunning);
  FreeSlot(slot);
}

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_EVENT_QUEUE_H_
