// Cluster setup: the two ways a run gets a formed Redis Cluster.
//
// 1. CreateClusterByCommands replays, as in-process admin commands on the
//    world's nodes, what `redis-cli --cluster create` 7.0.15 sends
//    (clusterManagerCommandCreate): CLUSTER ADDSLOTSRANGE on the masters,
//    CLUSTER SET-CONFIG-EPOCH k to the k-th node in argument order, CLUSTER
//    MEET <first> from every other node, a 1 s sleep, then polling once a
//    second until every node reports the same config signature
//    (clusterManagerWaitForClusterJoin), then CLUSTER REPLICATE on the
//    replicas. The layout (who owns what, who replicates whom) is given, not
//    planned: the anti-affinity shuffle belongs to the cluster-manager actor.
// 2. FormedClusterConfigs writes, for every node, the nodes.conf such a
//    cluster would have once gossip converged, so the world can start all
//    nodes from it (World::StartFromConfig) as if the cluster restarted. This
//    costs nothing per node pair in simulated traffic, which matters for
//    100- and 1000-node runs. Replicas store their master's configEpoch and
//    load it as 0 (clusterLoadConfig, 7.0 #10798).
//
// ClusterSpecs builds the NodeSpecs of M masters and R replicas per master on
// 127.0.0.1 from port 7000 up (bus port + 10000), named as scenario files name
// them (m1.., r1.. or r1a.., s1..).

#ifndef SLOTSIM_SCENARIOS_CLUSTER_SETUP_H_
#define SLOTSIM_SCENARIOS_CLUSTER_SETUP_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "model/config.h"
#include "sim/rng.h"
#include "sim/time.h"
#include "scenarios/world.h"

namespace slotsim::scenarios {

struct ShardLayout {
  std::string name;                           // a node of the world
  bool master = true;
  std::string master_name;                    // replicas: their master
  std::vector<std::pair<int, int>> slots;     // masters: inclusive ranges
  uint64_t config_epoch = 0;                  // k for the k-th node
};

// M masters then R replicas per master (m1..mM, r1..rM or r1a..), then S
// spares, with `base` knobs, on 127.0.0.1 ports 7000 + k.
std::vector<NodeSpec> ClusterSpecs(int masters, int replicas_per_master, int spares,
                                   const model::NodeConfig& base);

// The formed layout of those specs: redis-cli's slot split over the masters,
// replica r<i>[x] of m<i>, config epochs 1..N in spec order (spares excluded).
std::vector<ShardLayout> DefaultLayout(int masters, int replicas_per_master);

// Per node name, the nodes.conf text of the formed cluster.
std::map<std::string, std::string> FormedClusterConfigs(
    const World& world, const std::vector<ShardLayout>& layout, sim::Rng& rng);

// Starts every node of `layout` from its formed nodes.conf, and every other
// node of the world fresh.
absl::Status StartFormedCluster(World& world, const std::vector<ShardLayout>& layout,
                                sim::Rng& rng);

// redis-cli's create, by commands (see the file comment). Nodes of the world
// not in `layout` are started fresh but left alone. Fails if the signatures do
// not agree within `timeout`.
absl::Status CreateClusterByCommands(World& world, const std::vector<ShardLayout>& layout,
                                     sim::Duration timeout);

// Runs until every node of `names` that is up reports cluster_state:ok and
// agrees with the others on the slot owners and roles, or `timeout` passes.
bool WaitForConvergence(World& world, const std::vector<std::string>& names,
                        sim::Duration timeout);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_CLUSTER_SETUP_H_
