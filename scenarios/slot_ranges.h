// Slot ranges as scenario files write them: "0-5460" or "10923".
//
// Invariant of a parsed SlotRange: 0 <= first <= last < 16384 (CLUSTER_SLOTS).

#ifndef SLOTSIM_SCENARIOS_SLOT_RANGES_H_
#define SLOTSIM_SCENARIOS_SLOT_RANGES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace slotsim::scenarios {

inline constexpr int kSlotCount = 16384;  // CLUSTER_SLOTS

struct SlotRange {
  int first = 0;
  int last = 0;  // inclusive

  int size() const { return last - first + 1; }
  bool Overlaps(const SlotRange& o) const { return first <= o.last && o.first <= last; }
  bool operator==(const SlotRange& o) const { return first == o.first && last == o.last; }
  // "0-5460", or "42" for a single slot.
  std::string ToString() const;
};

// Parses "first-last" or "slot" (decimal, no spaces). The error says what is
// wrong in words a user can act on.
absl::StatusOr<SlotRange> ParseSlotRange(std::string_view text);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_SLOT_RANGES_H_
