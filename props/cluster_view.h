// ClusterView: the god's-eye snapshot the invariants are stated over.
//
// A view lists every node of a run (world order) with pointers into its live
// state: its own ClusterState (its view of the cluster), its keyspace and
// replication, plus what only the world knows (up, paused, the node's clock).
// It owns nothing: a view built from a World (props/world_view.h) is valid
// until the world runs again; a view built by hand in a test points at states
// made with model/cluster_state_builder.h.
//
// Every invariant of props/ is a pure function over a ClusterView (or over a
// NodeView), so negative tests can build a bad state without a simulation, and
// the Checker subclasses only adapt the world and keep step state.
//
// Node identity: the world names nodes (m1, r1, ...); Redis names them by a
// 40-character ID that changes when a node loses its nodes.conf. Invariants
// compare IDs across views; messages print world names (NameOf).
//
// Invariants: nodes[i].name are unique; a node with `cluster` set is up.

#ifndef SLOTSIM_PROPS_CLUSTER_VIEW_H_
#define SLOTSIM_PROPS_CLUSTER_VIEW_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/cluster_state.h"
#include "model/keyspace.h"
#include "model/replication.h"
#include "model/types.h"
#include "sim/time.h"

namespace slotsim::props {

struct NodeView {
  std::string name;  // world name: m1, r1, s1 ...
  // The node's own view; null when the process is down (crashed, not started).
  const model::ClusterState* cluster = nullptr;
  const model::Keyspace* keyspace = nullptr;        // null when down
  const model::Replication* replication = nullptr;  // null when down or unknown
  bool paused = false;           // SIGSTOP: up, but serves nothing until resumed
  bool writes_paused = false;    // manual-failover client pause (writes held)
  int64_t announced_offset = 0;  // replication offset in its bus headers
  // Redis mstime() = clock_base_ms + the node's local time. Local time is the
  // simulated time plus the node's clock offset (clock jumps), which World
  // does not expose yet: see NowMs.
  int64_t clock_base_ms = 1700000000000;
  int64_t clock_offset_ms = 0;
  // The node's knobs that invariants need.
  int64_t node_timeout_ms = 15000;
  bool replica_no_failover = false;
  int replica_validity_factor = 10;
  int64_t repl_ping_replica_period_s = 10;

  bool up() const { return cluster != nullptr; }
  // The node's mstime() at simulated time `now`.
  int64_t NowMs(sim::Time now) const {
    return clock_base_ms + clock_offset_ms + now.millis();
  }
  const model::ClusterNode* myself() const {
    return cluster == nullptr ? nullptr : cluster->myself;
  }
  // The node's 40-character ID (empty when down).
  model::NodeName id() const;
  bool is_master() const { return up() && cluster->myself->is_master(); }
  bool state_ok() const { return up() && cluster->state == model::ClusterHealth::kOk; }
  // The node binds `slot` to itself in its own view.
  bool SelfOwns(int slot) const {
    return up() && cluster->slots[slot] == cluster->myself;
  }
  // It would execute a write for a key of some slot it owns right now:
  // running (not paused), master, cluster_state ok, no manual-failover write
  // pause (getNodeByQuery / processCommand, behaviour doc 14-15).
  bool AcceptsWrites() const {
    return up() && !paused && !writes_paused && is_master() && state_ok();
  }
  // AcceptsWrites() and it would execute a write for some key of `slot`: it
  // owns the slot, and the slot is not MIGRATING with no keys left (then every
  // write gets -ASK, getNodeByQuery).
  bool WritesSlot(int slot) const;
};

struct ClusterView {
  sim::Time now;                // simulated time of the snapshot
  std::vector<NodeView> nodes;  // world order

  // Index of the node named `name`, or -1.
  int IndexOf(std::string_view name) const;
  const NodeView* Find(std::string_view name) const;
  // Index of the up node whose current ID is `id`, or -1.
  int IndexOfId(const model::NodeName& id) const;
  // World name of the node with this ID if some up node has it (or the
  // caller recorded it with RememberId), else its short ID.
  std::string NameOf(const model::NodeName& id) const;
  void RememberId(const model::NodeName& id, const std::string& name) {
    if (!id.empty()) known_ids_.try_emplace(id, name);
  }

 private:
  std::map<model::NodeName, std::string> known_ids_;
};

// --- Helpers over one node's view (pure). -----------------------------------

// Masters owning at least one slot in `cs` (clusterUpdateState's `size`).
int SlotOwningMasters(const model::ClusterState& cs);
// floor(size/2)+1, the failure-report and election quorum.
inline int Quorum(int size) { return size / 2 + 1; }

// The last time (the node's mstime) at which the node had heard from enough
// slot-owning masters to make a quorum with itself: the (q-1)-th most recent
// data_received_ms among the other slot-owning masters of its view, where q
// is the quorum of that view. Returns v.NowMs(now) when the node alone is a
// quorum, 0 when its view has too few masters for a quorum. Redis marks a peer PFAIL once
// it has been silent for more than node_timeout (with a ping outstanding) and stops
// writes once the masters it still reaches are no quorum (clusterCron,
// clusterUpdateState). REQUIRES: v.up().
int64_t QuorumContactMs(const NodeView& v, sim::Time now);

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_CLUSTER_VIEW_H_
