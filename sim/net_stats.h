// NetStats: traffic counters of a Network, per endpoint, per message kind and
// per drop reason.
//
// Only data messages are counted (not the connection's control packets).
// Attribution: `sent` and `dropped` count at the sending endpoint, `delivered`
// at the receiving endpoint. Every Send is counted as sent (a duplicate made
// by the link counts as one more send), so for the whole network
//   sent = delivered + dropped + (messages still in flight).
// Per-connection counters live with the connection (Network::ConnCounters).

#ifndef SLOTSIM_SIM_NET_STATS_H_
#define SLOTSIM_SIM_NET_STATS_H_

#include <array>
#include <cstdint>
#include <vector>

#include "sim/ids.h"

namespace slotsim::sim {

struct TrafficCounters {
  uint64_t sent_messages = 0;
  uint64_t sent_bytes = 0;
  uint64_t delivered_messages = 0;
  uint64_t delivered_bytes = 0;
  uint64_t dropped_messages = 0;
  uint64_t dropped_bytes = 0;
};

enum class DropReason : uint8_t {
  kFault,     // a partition or block in kDrop mode
  kFilter,    // a caller's filter
  kLoss,      // the link's loss probability
  kOverflow,  // the direction's queue was full
  kClosed,    // the connection was closed (by either side) or never opened
  kCrash,     // the sender or receiver crashed
  kReset,     // the connection was reset by a kReject fault
  kCount
};
const char* DropReasonName(DropReason r);

class NetStats {
 public:
  void Sent(EndpointId from, uint32_t kind, uint64_t bytes) {
    TrafficCounters& c = Cell(from, kind);
    ++c.sent_messages;
    c.sent_bytes += bytes;
  }
  void Delivered(EndpointId to, uint32_t kind, uint64_t bytes) {
    TrafficCounters& c = Cell(to, kind);
    ++c.delivered_messages;
    c.delivered_bytes += bytes;
  }
  void Dropped(EndpointId from, uint32_t kind, uint64_t bytes, DropReason reason) {
    ++drops_[static_cast<int>(reason)];
    TrafficCounters& c = Cell(from, kind);
    ++c.dropped_messages;
    c.dropped_bytes += bytes;
  }
  void Duplicated() { ++duplicated_; }
  void Reordered() { ++reordered_; }

  // Totals are summed on demand: the hot path updates one cell per message.
  TrafficCounters total() const;
  // Zero counters for endpoints or kinds never seen.
  TrafficCounters endpoint(EndpointId e) const;
  TrafficCounters endpoint_kind(EndpointId e, uint32_t kind) const;
  TrafficCounters kind(uint32_t kind) const;
  uint64_t drops(DropReason r) const { return drops_[static_cast<int>(r)]; }
  uint64_t duplicated() const { return duplicated_; }
  uint64_t reordered() const { return reordered_; }

 private:
  // Message kinds index vectors directly; they must be small integers.
  static constexpr uint32_t kMaxKind = 4096;

  TrafficCounters& Cell(EndpointId e, uint32_t kind) {
    if (e.value() < by_endpoint_kind_.size()) {
      auto& row = by_endpoint_kind_[e.value()];
      if (kind < row.size()) return row[kind];
    }
    return GrowCell(e, kind);
  }
  TrafficCounters& GrowCell(EndpointId e, uint32_t kind);

  // [endpoint][kind]
  std::vector<std::vector<TrafficCounters>> by_endpoint_kind_;
  std::array<uint64_t, static_cast<int>(DropReason::kCount)> drops_{};
  uint64_t duplicated_ = 0;
  uint64_t reordered_ = 0;
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_NET_STATS_H_
