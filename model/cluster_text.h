// Text formats of one node's view: CLUSTER NODES lines and CLUSTER INFO.
//
// Pure functions over a ClusterState; byte-for-byte Redis 7.0.15 except for the
// order of nodes (see below).
//
// CLUSTER NODES (clusterGenNodesDescription / clusterGenNodeDescription), one
// line per node, each ending "\n", fields separated by one space:
//   <id> <ip>:<port>@<cport>[,<hostname>] <flags> <master id|-> <ping_sent>
//   <pong_received> <config epoch> <connected|disconnected> [<slot ranges>...]
//   [myself only: [<slot>->-<id>] migrating, [<slot>-<-<id>] importing]
//  - flags as FlagsToString (representClusterNodeFlags); "noflags" if none.
//  - config epoch: a replica whose master is known prints its master's epoch.
//  - "connected" for myself, else iff an outbound link exists (node->link), not
//    whether that link finished connecting (Redis tests the pointer).
//  - slot ranges from the owner table: "a-b", or "a" for a single slot.
//  - an open slot that is both migrating and importing prints as migrating.
// Times are printed as stored (ClusterState times are already unix ms).
//
// CLUSTER INFO (the "info" branch of clusterCommand): "key:value\r\n" lines;
// per-type message counters only for types with a non-zero count, in type
// order; cluster_my_epoch is the master's configEpoch for a replica with a
// known master.
//
// Order: Redis walks its nodes dict in hash order; we print in
// ClusterState::nodes order (by name). Same set of lines, different order.

#ifndef SLOTSIM_MODEL_CLUSTER_TEXT_H_
#define SLOTSIM_MODEL_CLUSTER_TEXT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/cluster_state.h"

namespace slotsim::model {

// Ascending inclusive [first, last] slot runs.
using SlotRanges = std::vector<std::pair<int, int>>;

// The slot runs of every node from one scan of the owner table, indexed like
// state.nodes (clusterGenNodesSlotsInfo). O(16384 + runs * log nodes).
std::vector<SlotRanges> SlotRangesByNode(const ClusterState& state);

// One CLUSTER NODES line for `node` (which must be in `state`), without the
// trailing "\n" (clusterGenNodeDescription; also CLUSTER REPLICAS' lines).
std::string ClusterNodeLine(const ClusterState& state, const ClusterNode& node);

// CLUSTER NODES: every node not carrying any flag of `exclude_flags`, each line
// ending "\n". exclude_flags = 0 for CLUSTER NODES (handshake nodes included);
// nodes.conf uses flags::kHandshake (see nodes_conf.h).
std::string ClusterNodesText(const ClusterState& state, uint16_t exclude_flags = 0);

// CLUSTER INFO, with "\r\n" line endings as Redis sends them.
std::string ClusterInfoText(const ClusterState& state);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLUSTER_TEXT_H_
