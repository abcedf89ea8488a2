#include "sim/net_stats.h"

#include "sim/check.h"

namespace slotsim::sim {

const char* DropReasonName(DropReason r) {
  switch (r) {
    case DropReason::kFault:
      return "fault";
    case DropReason::kFilter:
      return "filter";
    case DropReason::kLoss:
      return "loss";
    case DropReason::kOverflow:
      return "overflow";
    case DropReason::kClosed:
      return "closed";
    case DropReason::kCrash:
      return "crash";
    case DropReason::kReset:
      return "reset";
    case DropReason::kCount:
      break;
  }
  return "?";
}

namespace {
void Accumulate(TrafficCounters& into, const TrafficCounters& c) {
  into.sent_messages += c.sent_messages;
  into.sent_bytes += c.sent_bytes;
  into.delivered_messages += c.delivered_messages;
  into.delivered_bytes += c.delivered_bytes;
  into.dropped_messages += c.dropped_messages;
  into.dropped_bytes += c.dropped_bytes;
}
}  // namespace

TrafficCounters& NetStats::GrowCell(EndpointId e, uint32_t kind) {
  CHECK(e.valid());
  CHECK_LT(kind, kMaxKind) << "message kinds must be small integers";
  if (e.value() >= by_endpoint_kind_.size()) by_endpoint_kind_.resize(e.value() + 1);
  auto& row = by_endpoint_kind_[e.value()];
  if (kind >= row.size()) row.resize(kind + 1);
  return row[kind];
}

TrafficCounters NetStats::total() const {
  TrafficCounters sum;
  for (const auto& row : by_endpoint_kind_) {
    for (const TrafficCounters& c : row) Accumulate(sum, c);
  }
  return sum;
}

TrafficCounters NetStats::endpoint(EndpointId e) const {
  TrafficCounters sum;
  if (e.value() >= by_endpoint_kind_.size()) return sum;
  for (const TrafficCounters& c : by_endpoint_kind_[e.value()]) Accumulate(sum, c);
  return sum;
}

TrafficCounters NetStats::endpoint_kind(EndpointId e, uint32_t kind) const {
  if (e.value() >= by_endpoint_kind_.size()) return {};
  const auto& row = by_endpoint_kind_[e.value()];
  return kind < row.size() ? row[kind] : TrafficCounters{};
}

TrafficCounters NetStats::kind(uint32_t kind) const {
  TrafficCounters sum;
  for (const auto& row : by_endpoint_kind_) {
    if (kind < row.size()) Accumulate(sum, row[kind]);
  }
  return sum;
}

}  // namespace slotsim::sim
