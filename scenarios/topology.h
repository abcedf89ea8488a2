// Topology expansion: from a scenario's `topology` and `knobs` to the concrete
// list of nodes the world starts (name, intended role, address, knobs).
//
// Naming convention (also in docs/scenario-format.md):
//   masters   m1..mM
//   replicas  one per master: r1..rM, r<i> replicates m<i>;
//             R > 1 per master: r<i>a, r<i>b, ... (letter = replica of m<i>)
//   spares    s1..sK (running, not in the cluster until add_node)
//   clients   c1..cN (workload.clients)
// Canonical order: m1..mM, then replicas by master then letter, then spares.
// It fixes ports (base_port + index), hosts, and, for a formed cluster,
// config epochs.
//
// Hosts (topology.hosts, default one host 127.0.0.1): the k-th node in
// canonical order (from 0) runs on hosts[k mod H]; a replica whose host is
// taken by its master or an earlier replica of the same master moves on to
// the next host, cyclically, while a free one exists. So with H >= R + 1 no
// replica shares a host with its master or a sibling, and with H >= N every
// node has a host of its own.
//
// A formed cluster (empty topology.bootstrap) is the state `redis-cli --cluster
// create` with the masters and replicas in canonical order as arguments leaves
// once gossip has converged, except that replicas are assigned as their names
// say (no rotation, no anti-affinity shuffle): master m<i> owns the i-th range
// of create's slot split (CreateSlotSplit), every master and replica k-th in
// canonical order has configEpoch k, every cluster node's currentEpoch is the
// number of cluster nodes, and spares are alone.
//
// Invariant of ExpandTopology's result: names unique and in canonical order.
// Addresses are as configured; validation (validate.h) rejects collisions.

#ifndef SLOTSIM_SCENARIOS_TOPOLOGY_H_
#define SLOTSIM_SCENARIOS_TOPOLOGY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/scenario.pb.h"
#include "scenarios/slot_ranges.h"

namespace slotsim::scenarios {

// Limits validation enforces before expanding (ExpandTopology CHECKs them).
inline constexpr int kMaxNodes = 1000;            // Redis's documented upper size
inline constexpr int kMaxReplicasPerMaster = 26;  // one letter each
inline constexpr int kMaxClients = 1000;
inline constexpr int kClusterPortIncr = 10000;  // CLUSTER_PORT_INCR
inline constexpr char kDefaultHost[] = "127.0.0.1";

enum class RoleIntent { kMaster, kReplica, kSpare };

struct NodeLayout {
  std::string name;
  RoleIntent role = RoleIntent::kMaster;
  // For replicas: the master they replicate ("m3"); else empty.
  std::string master;
  // m<i> and its replicas have shard i (1-based); spares 0.
  int shard = 0;
  // 1-based replica number within the shard (a = 1); 0 for others.
  int replica_number = 0;
  std::string host;
  int port = 0;
  int cport = 0;  // cluster bus port
  // Scenario knobs with this node's own (topology.node[].knobs) on top.
  Knobs knobs;
  // Formed cluster only (see the banner); empty / 0 otherwise.
  std::vector<SlotRange> slots;
  uint64_t config_epoch = 0;
};

struct Layout {
  std::vector<NodeLayout> nodes;     // canonical order
  std::vector<std::string> clients;  // c1..cN
  // True when the run starts from a formed cluster (no bootstrap steps).
  bool formed = true;
  // For a formed cluster: the currentEpoch every cluster node starts with.
  uint64_t current_epoch = 0;

  // nullptr if no node has that name.
  const NodeLayout* Find(std::string_view name) const;
  std::vector<std::string> NodeNames() const;
};

// REQUIRES: masters, replicas_per_master, spares, clients within the limits
// above and non-negative (CHECKed).
Layout ExpandTopology(const Scenario& scenario);

// The name of replica `number` (1-based) of master `shard` (1-based).
std::string ReplicaName(int shard, int number, int replicas_per_master);

// redis-cli --cluster create's slot split over `masters` masters, as
// SlotRanges (model::CreateSlotSplit, the cluster manager's own planner).
// REQUIRES: 1 <= masters <= 16384.
std::vector<SlotRange> CreateSlotSplit(int masters);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_TOPOLOGY_H_
