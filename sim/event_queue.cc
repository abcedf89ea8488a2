#include "sim/event_queue.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "sim/check.h"

namespace slotsim::sim {

TimerId EventQueue::Push(Time at, const EventTag& tag, Scope scope, Callback callback) {
  CHECK(static_cast<bool>(callback)) << "scheduled an empty callback";
  const uint32_t slot = AllocateSlot();
  event(slot).callback = std::move(callback);
  return Enqueue(slot, at, tag, scope);
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

Time EventQueue::NextTime() {
  // A scan that moves nothing: redistributing to a time later than the caller's
  // clock would forbid pushes at that clock (see the file comment).
  uint64_t next = UINT64_MAX;
  for (int b = 0; b < kBuckets; ++b) {
    const std::vector<Entry>& v = buckets_[b];
    for (std::size_t i = b == 0 ? front_ : 0; i < v.size(); ++i) {
      if (v[i].at < next && event(SlotOfEntry(v[i])).state != State::kCancelled) {
        next = v[i].at;
      }
    }
  }
  return next == UINT64_MAX ? Time::Max() : Time::FromMicros(static_cast<int64_t>(next));
}

uint32_t EventQueue::PopUntil(Time limit, Time* at) {
  if (limit.micros() < 0) return kNoSlot;
  const uint64_t lim = static_cast<uint64_t>(limit.micros());
  std::vector<Entry>& b0 = buckets_[0];
  while (true) {
    while (front_ < b0.size()) {
      const Entry top = b0[front_];
      const uint32_t slot = SlotOfEntry(top);
      Event& e = event(slot);
      if (e.state == State::kCancelled) {
        ++front_;
        FreeSlot(slot);
        --cancelled_in_heap_;
        continue;
      }
      if (top.at > lim) return kNoSlot;
      ++front_;
      CHECK(e.state == State::kQueued);
      e.state = State::kRunning;
      --pending_;
      *at = Time::FromMicros(static_cast<int64_t>(top.at));
      return slot;
    }
    b0.clear();
    front_ = 0;
    if (nonempty_ == 0) {
      last_ = 0;  // empty: any time may be pushed
      return kNoSlot;
    }
    // Refill bucket 0 from the lowest non-empty bucket, whose entries all come
    // before those of higher buckets. Only when its earliest time is due: a
    // later time must not become last_, since the caller may still push
    // events up to `limit`.
    const int b = __builtin_ctzll(nonempty_) + 1;
    std::vector<Entry>& from = buckets_[b];
    uint64_t min = from[0].at;
    for (const Entry& e : from) min = e.at < min ? e.at : min;
    if (min > lim) return kNoSlot;
    last_ = min;
    nonempty_ &= ~(uint64_t{1} << (b - 1));
    for (const Entry& e : from) {
      const int nb = BucketOf(e.at);  // < b
      buckets_[nb].push_back(e);
      if (nb > 0) nonempty_ |= uint64_t{1} << (nb - 1);
    }
    from.clear();
    // Entries at the new time arrive in bucket order, not push order.
    if (b0.size() > 1) {
      std::sort(b0.begin(), b0.end(),
                [](const Entry& x, const Entry& y) { return x.seq_slot < y.seq_slot; });
    }
  }
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

uint32_t EventQueue::NewSlot() {
  CHECK_LT(slots_used_, uint32_t{1} << kSlotBits) << "too many pending events";
  const uint32_t slot = slots_used_++;
  if ((slot >> kChunkBits) >= chunks_.size()) {
    chunks_.push_back(std::make_unique<Event[]>(std::size_t{1} << kChunkBits));
  }
  return slot;
}

}  // namespace slotsim::sim
