// Kernel identifiers: strong integer ids for processes, endpoints, connections,
// timers, faults and filters.
//
// Each id is a distinct type wrapping an unsigned integer, so a ProcessId cannot
// be passed where an EndpointId is expected. The default-constructed id is
// invalid (value 0 for 64-bit ids built from an index + 1, kInvalid for 32-bit
// indices). Ids are allocated in a deterministic order by the kernel; comparing
// and hashing them is stable across runs.
//
// Invariants: ProcessId and EndpointId are dense indices (0, 1, 2, ...) in order
// of creation and never reused. ConnId and TimerId pack a slot index and a
// generation, so a stale id never names a newer object that reuses its slot.

#ifndef SLOTSIM_SIM_IDS_H_
#define SLOTSIM_SIM_IDS_H_

#include <cstdint>
#include <limits>
#include <ostream>

namespace slotsim::sim {

template <typename Tag, typename Int>
class StrongId {
 public:
  static constexpr Int kInvalid = std::numeric_limits<Int>::max();

  constexpr StrongId() = default;
  constexpr explicit StrongId(Int value) : value_(value) {}

  constexpr Int value() const { return value_; }
  constexpr bool valid() const { return value_ != kInvalid; }

  constexpr bool operator==(StrongId o) const { return value_ == o.value_; }
  constexpr bool operator!=(StrongId o) const { return value_ != o.value_; }
  constexpr bool operator<(StrongId o) const { return value_ < o.value_; }
  constexpr bool operator<=(StrongId o) const { return value_ <= o.value_; }
  constexpr bool operator>(StrongId o) const { return value_ > o.value_; }
  constexpr bool operator>=(StrongId o) const { return value_ >= o.value_; }

  friend std::ostream& operator<<(std::ostream& out, StrongId id) {
    if (!id.valid()) return out << "invalid";
    return out << static_cast<uint64_t>(id.value_);
  }

 private:
  Int value_ = kInvalid;
};

// A simulated process (one per Redis server in the world). Dense index.
using ProcessId = StrongId<struct ProcessIdTag, uint32_t>;
// A network endpoint (a listening address) owned by a process. Dense index.
using EndpointId = StrongId<struct EndpointIdTag, uint32_t>;
// A connection: (generation << 32) | slot index.
using ConnId = StrongId<struct ConnIdTag, uint64_t>;
// A scheduled event: (generation << 32) | slot index.
using TimerId = StrongId<struct TimerIdTag, uint64_t>;
// A network fault (partition, block, clog, extra delay). Sequential from 1.
using FaultId = StrongId<struct FaultIdTag, uint64_t>;
// A caller-supplied message filter. Sequential from 1.
using FilterId = StrongId<struct FilterIdTag, uint64_t>;

// Packs and unpacks (slot, generation) ids.
template <typename Id>
constexpr Id MakeSlotId(uint32_t slot, uint32_t generation) {
  return Id((static_cast<uint64_t>(generation) << 32) | slot);
}
template <typename Id>
constexpr uint32_t SlotOf(Id id) {
  return static_cast<uint32_t>(id.value());
}
template <typename Id>
constexpr uint32_t GenerationOf(Id id) {
  return static_cast<uint32_t>(id.value() >> 32);
}

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_IDS_H_
