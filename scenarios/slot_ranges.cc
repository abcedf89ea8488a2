#include "scenarios/slot_ranges.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "scenarios/sv.h"

namespace slotsim::scenarios {
namespace {

absl::StatusOr<int> ParseSlot(std::string_view text, std::string_view whole) {
  int slot = 0;
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == text.npos;
  if (!digits || text.size() > 6 || !absl::SimpleAtoi(Sv(text), &slot)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad slot range \"", Sv(whole),
        "\": expected \"first-last\" or \"slot\" with slots in 0..", kSlotCount - 1));
  }
  if (slot >= kSlotCount) {
    return absl::InvalidArgumentError(absl::StrCat("bad slot range \"", Sv(whole),
                                                   "\": slot ", slot, " is not in 0..",
                                                   kSlotCount - 1));
  }
  return slot;
}

}  // namespace

std::string SlotRange::ToString() const {
  return first == last ? absl::StrCat(first) : absl::StrCat(first, "-", last);
}

absl::StatusOr<SlotRange> ParseSlotRange(std::string_view text) {
  const size_t dash = text.find('-');
  SlotRange r;
  if (dash == text.npos) {
    absl::StatusOr<int> s = ParseSlot(text, text);
    if (!s.ok()) return s.status();
    r.first = r.last = *s;
    return r;
  }
  absl::StatusOr<int> a = ParseSlot(text.substr(0, dash), text);
  if (!a.ok()) return a.status();
  absl::StatusOr<int> b = ParseSlot(text.substr(dash + 1), text);
  if (!b.ok()) return b.status();
  if (*a > *b) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad slot range \"", Sv(text), "\": first slot is after last slot"));
  }
  r.first = *a;
  r.last = *b;
  return r;
}

}  // namespace slotsim::scenarios
