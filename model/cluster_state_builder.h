// ClusterStateBuilder: builds a consistent ClusterState by hand, for tests.
//
// Tests of formatters, checkers and the node need a ClusterState that looks like
// a real node's view (a measured cluster, a state half-way through a failover)
// without running gossip to get there. The builder keeps the invariants of
// cluster_state.h: nodes sorted by name, replica lists mutual, the owner table
// and num_slots in step, one link id per node. Build() CHECKs them.
//
// Example:
//   ClusterStateBuilder b;
//   b.Add(kA, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
//   b.Add(kB, flags::kSlave, "127.0.0.1", 7001).pong_received_ms = 1700000000123;
//   b.ReplicaOf(kB, kA).Slots(kA, 0, 16383).Connect(kB);
//   ClusterState state = b.Build();
//
// Not a model of any Redis function: Redis reaches such states through
// clusterLoadConfig or the bus.

#ifndef SLOTSIM_MODEL_CLUSTER_STATE_BUILDER_H_
#define SLOTSIM_MODEL_CLUSTER_STATE_BUILDER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "model/cluster_state.h"

namespace slotsim::model {

class ClusterStateBuilder {
 public:
  ClusterStateBuilder() = default;
  ClusterStateBuilder(const ClusterStateBuilder&) = delete;
  ClusterStateBuilder& operator=(const ClusterStateBuilder&) = delete;

  // Adds a node named `name` (40 characters, unique). cport 0 means port+10000.
  // Returns the node so a test can set further fields (times, epochs, offsets).
  ClusterNode& Add(std::string_view name, uint16_t node_flags, std::string ip, int port,
                   int cport = 0);
  // The node added under `name` (CHECKed to exist).
  ClusterNode& Node(std::string_view name);

  // Makes `replica` a replica of `master` (replica_of and the replicas list).
  ClusterStateBuilder& ReplicaOf(std::string_view replica, std::string_view master);
  // Binds slots first..last (inclusive, currently unbound) to `owner`.
  ClusterStateBuilder& Slots(std::string_view owner, int first, int last);
  // Gives the node an outbound link (a fresh LinkId, recorded in `links`).
  ClusterStateBuilder& Connect(std::string_view name);
  // Open slots of myself.
  ClusterStateBuilder& Migrating(int slot, std::string_view to);
  ClusterStateBuilder& Importing(int slot, std::string_view from);

  // Direct access for fields the builder has no verb for (epochs, stats).
  ClusterState& state() { return state_; }

  // Sets `myself` to the node flagged MYSELF, CHECKs consistency and hands
  // the state over. The builder must not be used afterwards.
  ClusterState Build();

 private:
  ClusterState state_;
  uint64_t next_link_ = 1;
  bool built_ = false;
};

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLUSTER_STATE_BUILDER_H_
