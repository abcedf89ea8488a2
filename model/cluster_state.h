// ClusterState and ClusterNode: one node's view of the cluster (Redis's
// clusterState and clusterNode, cluster.h), as plain data.
//
// The node (model/node.h) owns and mutates this state; formatters
// (model/cluster_text.h) and checkers read it. Fields keep Redis's meaning and
// are commented with Redis's field name where it differs.
//
// Ordering: Redis iterates its `nodes` dict in hash order. Here `nodes` is kept
// sorted by node name (byte order), and every iteration, random pick and
// broadcast uses that order. (docs/redis-fidelity.md, "dict order".)
//
// Memory: a peer does not carry its own 16384-bit slot bitmap (Redis's
// node->slots); the owner table `slots` is the single source of truth and
// `num_slots` is kept in step with it. SlotsOf() builds a bitmap on demand and
// caches it until the owner table changes, so a 1000-node cluster does not pay
// 2 KiB per peer per node.
//
// Invariants (CHECKed by ClusterState::CheckConsistency):
//  1. nodes is sorted by name, names are unique, exactly one node has MYSELF.
//  2. for every slot j, slots[j] is null or a node in `nodes` with MASTER
//     flag or not, and num_slots of each node equals the number of j with
//     slots[j] == node.
//  3. replica_of / replicas are mutual: r in m->replicas iff r->replica_of == m.
//  4. a link id appears in at most one node (as link or inbound_link).

#ifndef SLOTSIM_MODEL_CLUSTER_STATE_H_
#define SLOTSIM_MODEL_CLUSTER_STATE_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "model/bus_message.h"
#include "model/types.h"

namespace slotsim::model {

struct ClusterNode;

// clusterNodeFailReport.
struct FailReport {
  ClusterNode* node = nullptr;  // the reporting node
  int64_t time_ms = 0;          // last time the report was refreshed
};

// clusterLink, for both directions. `node` is null for an inbound link whose
// sender is not yet known.
struct ClusterLink {
  LinkId id;
  int64_t ctime_ms = 0;     // creation time
  ClusterNode* node = nullptr;
  bool inbound = false;
  bool connected = false;   // outbound: connect completed
  uint64_t send_bytes = 0;  // bytes queued (for cluster-link-sendbuf-limit)
};

struct ClusterNode {
  NodeName name;
  uint16_t flags = 0;
  Epoch config_epoch;
  int num_slots = 0;                    // numslots
  std::vector<ClusterNode*> replicas;   // slaves (masters only), insertion order
  ClusterNode* replica_of = nullptr;    // slaveof
  int64_t ctime_ms = 0;
  int64_t ping_sent_ms = 0;             // 0 = no ping outstanding
  int64_t pong_received_ms = 0;
  int64_t data_received_ms = 0;
  int64_t fail_time_ms = 0;
  int64_t voted_time_ms = 0;            // last vote for a replica of this master
  int64_t repl_offset_time_ms = 0;
  int64_t orphaned_time_ms = 0;
  uint64_t repl_offset = 0;
  std::string ip;                       // empty = unknown (NOADDR)
  int port = 0;
  int pport = 0;
  int cport = 0;
  std::string hostname;
  LinkId link;                          // outbound
  LinkId inbound_link;
  std::vector<FailReport> fail_reports; // oldest first
  int64_t last_in_ping_gossip = 0;

  bool Has(uint16_t f) const { return (flags & f) != 0; }
  bool is_master() const { return Has(flags::kMaster); }
  bool is_replica() const { return Has(flags::kSlave); }
  bool is_myself() const { return Has(flags::kMyself); }
};

enum class ClusterHealth { kOk = 0, kFail = 1 };

// Why a replica cannot fail over right now (CLUSTER_CANT_FAILOVER_*).
enum class CantFailoverReason {
  kNone,
  kDataAge,
  kWaitingDelay,
  kExpired,
  kWaitingVotes,
};

struct ClusterState {
  ClusterNode* myself = nullptr;
  Epoch current_epoch;
  Epoch last_vote_epoch;
  ClusterHealth state = ClusterHealth::kFail;
  int size = 1;  // masters serving at least one slot (clusterUpdateState)

  // The node table, sorted by name (see the file comment).
  std::vector<std::unique_ptr<ClusterNode>> nodes;
  // CLUSTER FORGET ban list: name -> expiry in unix seconds.
  std::map<NodeName, int64_t> blacklist;

  // Slot owner table and open slots (open slots only meaningful for myself).
  std::array<ClusterNode*, kClusterSlots> slots{};
  absl::btree_map<int, ClusterNode*> migrating_slots_to;
  absl::btree_map<int, ClusterNode*> importing_slots_from;
  SlotBitmap owner_not_claiming_slot;  // 7.0.13+ (#12344)

  // Replica-side failover (clusterHandleSlaveFailover).
  int64_t failover_auth_time_ms = 0;
  int failover_auth_count = 0;
  bool failover_auth_sent = false;
  int failover_auth_rank = 0;
  Epoch failover_auth_epoch;
  CantFailoverReason cant_failover_reason = CantFailoverReason::kNone;

  // Manual failover.
  int64_t mf_end_ms = 0;                  // 0 = none in progress
  ClusterNode* mf_replica = nullptr;      // mf_slave (master side)
  int64_t mf_master_offset = -1;          // replica side; -1 = unknown
  bool mf_can_start = false;

  // clusterUpdateState's first-call and minority bookkeeping.
  int64_t first_state_call_ms = 0;        // 0 = never called
  int64_t among_minority_time_ms = 0;

  int stats_pfail_nodes = 0;
  std::array<uint64_t, kMsgTypeCount> stats_sent{};
  std::array<uint64_t, kMsgTypeCount> stats_received{};
  uint64_t stats_links_buffer_limit_exceeded = 0;

  // Links owned by this node, by id.
  std::map<LinkId, ClusterLink> links;

  // Bumped on every change of `slots`; invalidates SlotsOf() caches.
  uint64_t slots_version = 1;

  // --- Queries (defined in cluster_state.cc). ---

  // The node with this name, or null. O(log n).
  ClusterNode* Find(const NodeName& name) const;
  // Position of `name` in `nodes` if present, else where it would be inserted.
  size_t LowerBound(const NodeName& name) const;
  // Bitmap of the slots bound to `n` in the owner table (cached).
  SharedSlots SlotsOf(const ClusterNode* n) const;
  // Number of slots bound to some node.
  int AssignedSlots() const;
  // CHECKs the invariants in the file comment.
  void CheckConsistency() const;

 private:
  struct SlotsCacheEntry {
    uint64_t version = 0;
    SharedSlots bitmap;
  };
  mutable std::map<NodeName, SlotsCacheEntry> slots_cache_;
};

// Redis's printed flag names ("myself,master,fail?"), "noflags" when none of the
// printable flags is set (representClusterNodeFlags).
std::string FlagsToString(uint16_t flags);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLUSTER_STATE_H_
