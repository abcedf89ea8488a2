#include "tools/sweep/unavailability.h"

#include <cstddef>
#include <limits>

namespace slotsim::tools::sweep {
namespace {

bool InRanges(int slot, const std::vector<scenarios::SlotRange>& ranges) {
  for (const scenarios::SlotRange& r : ranges) {
    if (slot >= r.first && slot <= r.last) return true;
  }
  return false;
}

}  // namespace

double WriteUnavailabilityMs(const scenarios::History& history,
                             const std::vector<scenarios::SlotRange>& ranges,
                             sim::Time fault, sim::Time window_end) {
  using Op = scenarios::ClientOp;
  std::vector<const Op*> writes;
  for (const Op& op : history.ops()) {
    if (op.kind != Op::Kind::kSet || op.invoked < fault || op.invoked >= window_end) continue;
    if (InRanges(op.slot, ranges)) writes.push_back(&op);
  }
  if (writes.empty()) return std::numeric_limits<double>::quiet_NaN();
  size_t after = 0;  // index of the first write after the last troubled one
  bool troubled = false;
  for (size_t i = 0; i < writes.size(); ++i) {
    if (writes[i]->outcome != Op::Outcome::kOk || writes[i]->retries > 0) {
      troubled = true;
      after = i + 1;
    }
  }
  if (!troubled) return 0;
  for (size_t i = after; i < writes.size(); ++i) {
    if (writes[i]->outcome == Op::Outcome::kOk) {
      return static_cast<double>((writes[i]->completed - fault).micros()) / 1000.0;
    }
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace slotsim::tools::sweep
