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

TrafficCounters& NetStats::Slot(std::vector<TrafficCounters>& v, uint32_t i) {
  if (i >= v.size()) v.resize(i + 1);
  return v[i];
}

TrafficCounters& NetStats::EndpointKindSlot(EndpointId e, uint32_t kind) {
  CHECK_LT(kind, kMaxKind) << "message kinds must be small integers";
  if (e.value() >= by_endpoint_kind_.size()) by_endpoint_kind_.resize(e.value() + 1);
  return Slot(by_endpoint_kind_[e.value()], kind);
}

void NetStats::Sent(EndpointId from, uint32_t kind, uint64_t bytes) {
  for (TrafficCounters* c : {&total_, &Slot(by_endpoint_, from.value()),
                             &Slot(by_kind_, kind), &EndpointKindSlot(from, kind)}) {
    ++c->sent_messages;
    c->sent_bytes += bytes;
  }
}

void NetStats::Delivered(EndpointId to, uint32_t kind, uint64_t bytes) {
  for (TrafficCounters* c : {&total_, &Slot(by_endpoint_, to.value()),
                             &Slot(by_kind_, kind), &EndpointKindSlot(to, kind)}) {
    ++c->delivered_messages;
    c->delivered_bytes += bytes;
  }
}

void NetStats::Dropped(EndpointId from, uint32_t kind, uint64_t bytes,
                       DropReason reason) {
  ++drops_[static_cast<int>(reason)];
  for (TrafficCounters* c : {&total_, &Slot(by_endpoint_, from.value()),
                             &Slot(by_kind_, kind), &EndpointKindSlot(from, kind)}) {
    ++c->dropped_messages;
    c->dropped_bytes += bytes;
  }
}

TrafficCounters NetStats::endpoint(EndpointId e) const {
  return e.value() < by_endpoint_.size() ? by_endpoint_[e.value()] : TrafficCounters{};
}

TrafficCounters NetStats::endpoint_kind(EndpointId e, uint32_t kind) const {
  if (e.value() >= by_endpoint_kind_.size()) return {};
  const auto& v = by_endpoint_kind_[e.value()];
  return kind < v.size() ? v[kind] : TrafficCounters{};
}

TrafficCounters NetStats::kind(uint32_t kind) const {
  return kind < by_kind_.size() ? by_kind_[kind] : TrafficCounters{};
}

}  // namespace slotsim::sim
