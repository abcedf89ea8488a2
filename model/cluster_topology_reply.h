// CLUSTER SLOTS and CLUSTER SHARDS replies: the slot map as a client sees it.
//
// Pure functions over one node's ClusterState, returning the RESP2 reply Redis
// 7.0.15 builds (maps are flat key/value arrays in RESP2).
//
// CLUSTER SLOTS (clusterReplyMultiBulkSlots, addNodeReplyForClusterSlot,
// addNodeToNodeReply): one entry per run of consecutive slots with the same
// owner, in slot order:
//   [start, end, master, replica...]
// where each node is [endpoint, port, id, metadata]; endpoint is the ip, the
// hostname or "?", or nil (unknown-endpoint); metadata holds "ip" <ip> unless
// the endpoint type is ip, and "hostname" <name> when the node has one and the
// type is not hostname. A replica is listed only if it is not FAIL and its
// replication offset is non-zero (isReplicaAvailable; myself's offset is
// my_repl_offset, since a node does not track its own offset in its table).
//
// CLUSTER SHARDS (clusterReplyShards, addShardReplyForClusterShards,
// addNodeDetailsToShardReply): one shard per node with the MASTER flag, in
// ClusterState::nodes order (Redis: dict order):
//   ["slots", [start, end, ...], "nodes", [node details...]]
// nodes are the master, then its replicas in replica-list order, each
//   ["id", id, "port", port (omitted if 0), "ip", ip, "endpoint", endpoint,
//    ("hostname", hostname if set), "role", "master"|"replica",
//    "replication-offset", offset, "health", "fail"|"loading"|"online"]
// health: FAIL flag -> fail; a replica with offset 0 -> loading; else online.
//
// my_repl_offset is myself's own offset: replicationGetSlaveOffset() for a
// replica, master_repl_offset for a master. TLS is not modelled (no pport, no
// tls-port).

#ifndef SLOTSIM_MODEL_CLUSTER_TOPOLOGY_REPLY_H_
#define SLOTSIM_MODEL_CLUSTER_TOPOLOGY_REPLY_H_

#include <cstdint>

#include "model/cluster_state.h"
#include "model/redirect_text.h"
#include "model/reply.h"

namespace slotsim::model {

Reply ClusterSlotsReply(const ClusterState& state, EndpointType endpoint_type,
                        uint64_t my_repl_offset);

Reply ClusterShardsReply(const ClusterState& state, EndpointType endpoint_type,
                         uint64_t my_repl_offset);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLUSTER_TOPOLOGY_REPLY_H_
