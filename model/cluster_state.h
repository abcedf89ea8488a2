// ClusterState and ClusterNode: one node's view of the cluster (Redis's
// clusterState and clusterNode, cluster.h), plus the low-level mutators of the
// node table that cluster.c keeps beside them (clusterAddNode, clusterRenameNode,
// clusterAddSlot, clusterDelSlot, clusterDelNodeSlots, clusterNodeAddSlave,
// clusterNodeRemoveSlave, clusterCountNonFailingSlaves, clusterMastersHaveSlaves,
// clusterNodeAddFailureReport and friends, clusterGetMaxEpoch).
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
// `num_slots` is kept in step with it. SlotsOf() builds a bitmap on demand;
// it is cached only for myself and my master (the header bitmap), so a
// 1000-node cluster does not pay 2 KiB per peer per node.
//
// Mutation: code that keeps the lookup index (the node) changes the table only
// through AddNode/RemoveNode/RenameNode and the slot mutators below. Test
// builders may also insert into `nodes` and `slots` directly; lookups then fall
// back to binary search (Find) and cached bitmaps are keyed by per-node
// versions, so both stay correct.
//
// Invariants (CHECKed by ClusterState::CheckConsistency):
//  1. nodes is sorted by name, names are unique, exactly one node has MYSELF.
//  2. for every slot j, slots[j] is null or a node in `nodes` (MASTER flag or
//     not), and num_slots of each node equals the number of j with
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
#include "absl/container/flat_hash_map.h"  // lookup-only: the two indexes below
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
  // Hot fields first: the cron reads these for every node every 100 ms.
  uint16_t flags = 0;
  LinkId link;                          // outbound
  int64_t ping_sent_ms = 0;             // 0 = no ping outstanding
  int64_t pong_received_ms = 0;
  int64_t data_received_ms = 0;
  int num_slots = 0;                    // numslots
  ClusterNode* replica_of = nullptr;    // slaveof
  std::vector<ClusterNode*> replicas;   // slaves (masters only), insertion order

  NodeName name;
  Epoch config_epoch;
  int64_t ctime_ms = 0;
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
  LinkId inbound_link;
  std::vector<FailReport> fail_reports; // oldest first
  uint64_t last_in_ping_gossip = 0;

  // Model bookkeeping (no Redis counterpart).
  // Unique within the state for the node's lifetime (kept across renames);
  // assigned by AddNode. Used by the node's cron indexes.
  uint64_t uid = 0;
  // The due time of this node's live entry in the cron's half-timeout queue
  // (0 = none). Owned by model::Node.
  int64_t cron_due_ms = 0;
  // Changes (to a value unique within the state) whenever the set of slots
  // bound to this node changes; keys the caches below.
  uint64_t slots_version = 0;
  // Memo of "does a header bitmap differ from my view of this node's slots":
  // the last header bitmap compared against this node, the slots_version it
  // was compared at, and the answer. Holding the SharedSlots keeps the object
  // alive, so pointer equality implies equal content.
  SharedSlots memo_hdr_slots;
  uint64_t memo_hdr_version = 0;
  bool memo_hdr_dirty = false;
  // SlotsOf() cache (myself and my master only).
  mutable SharedSlots slots_cache;
  mutable uint64_t slots_cache_version = ~uint64_t{0};
  // ClusterNodesText's cache of this node's line (cluster_text.cc) and the
  // inputs it was rendered from; strings are compared against the text itself
  // by (offset, length), so a stale entry is never used. Copies start empty.
  struct LineCache {
    LineCache() = default;
    LineCache(const LineCache&) {}
    LineCache& operator=(const LineCache&) {
      valid = false;
      return *this;
    }
    std::string text;
    int64_t ping_sent_ms = 0;
    int64_t pong_received_ms = 0;
    uint64_t epoch = 0;
    uint64_t slots_version = 0;
    int port = 0;
    int cport = 0;
    uint32_t ip_len = 0;
    uint32_t host_pos = 0;  // just after "<cport>"
    uint32_t host_len = 0;
    uint32_t master_pos = 0;
    uint32_t master_len = 0;
    bool has_master = false;  // else the master field is "-"
    uint32_t slots_pos = 0;   // where the slot ranges start
    uint16_t flags = 0;
    bool connected = false;
    bool valid = false;
  };
  mutable LineCache line_cache;

  bool Has(uint16_t f) const { return (flags & f) != 0; }
  bool is_master() const { return Has(flags::kMaster); }
  bool is_replica() const { return Has(flags::kSlave); }
  bool is_myself() const { return Has(flags::kMyself); }
  bool timed_out() const { return Has(flags::kPFail); }  // nodeTimedOut
  bool failed() const { return Has(flags::kFail); }      // nodeFailed
  bool in_handshake() const { return Has(flags::kHandshake); }
  bool has_addr() const { return !Has(flags::kNoAddr); }
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

// CLUSTER_TODO_* bits of clusterState.todo_before_sleep.
namespace todo {
inline constexpr int kHandleFailover = 1 << 0;
inline constexpr int kUpdateState = 1 << 1;
inline constexpr int kSaveConfig = 1 << 2;
inline constexpr int kFsyncConfig = 1 << 3;
inline constexpr int kHandleManualFailover = 1 << 4;
}  // namespace todo

struct ClusterState {
  ClusterState() = default;
  ClusterState(ClusterState&&) = default;
  ClusterState& operator=(ClusterState&&) = default;
  ClusterState(const ClusterState&) = delete;
  ClusterState& operator=(const ClusterState&) = delete;

  ClusterNode* myself = nullptr;
  Epoch current_epoch;
  Epoch last_vote_epoch;
  ClusterHealth state = ClusterHealth::kFail;
  int size = 1;  // masters serving at least one slot (clusterUpdateState)
  int todo_before_sleep = 0;  // todo:: bits

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

  // clusterUpdateState's first-call and minority bookkeeping (static locals
  // in Redis: they live as long as the process).
  int64_t first_state_call_ms = 0;        // 0 = never called
  int64_t among_minority_time_ms = 0;

  int stats_pfail_nodes = 0;
  std::array<uint64_t, kMsgTypeCount> stats_sent{};
  std::array<uint64_t, kMsgTypeCount> stats_received{};
  uint64_t stats_links_buffer_limit_exceeded = 0;

  // Cluster-bus links owned by this node, by id.
  std::map<LinkId, ClusterLink> links;

  // Bumped on every change of `slots`.
  uint64_t slots_version = 1;
  // Bumped by every mutator below and by the node on every flag change: a
  // cheap "something in the table changed" for caches of derived values.
  uint64_t topology_version = 1;
  // Entries in all replica lists (MastersHaveReplicas's fast path).
  int replica_entries = 0;

  // --- Queries (defined in cluster_state.cc). ---

  // The node with this name, or null. O(1) through the lookup index when the
  // table was built with AddNode, else O(log n).
  ClusterNode* Find(const NodeName& name) const;
  // Starts loading the memory Find(name) will touch (no effect on results).
  void PrefetchFind(const NodeName& name) const;
  // The node with this uid, or null (nodes added with AddNode only).
  ClusterNode* FindByUid(uint64_t uid) const;
  // Position of `name` in `nodes` if present, else where it would be inserted.
  size_t LowerBound(const NodeName& name) const;
  // Bitmap of the slots bound to `n` in the owner table. Cached for myself and
  // its master; O(16384) for anyone else.
  SharedSlots SlotsOf(const ClusterNode* n) const;
  // Number of slots bound to some node.
  int AssignedSlots() const;
  // isSlotUnclaimed: unbound, or bound to a node that stopped claiming it.
  bool SlotUnclaimed(int slot) const {
    return slots[slot] == nullptr || owner_not_claiming_slot.Test(slot);
  }
  // clusterGetMaxEpoch: the greatest configEpoch known, or currentEpoch if
  // greater.
  Epoch MaxEpoch() const;
  // clusterCountNonFailingSlaves.
  int CountNonFailingReplicas(const ClusterNode* n) const;
  // clusterMastersHaveSlaves: some master has at least one replica.
  bool MastersHaveReplicas() const;
  // Clears n's replica list, leaving each replica without a master (the
  // first step of freeClusterNode).
  void OrphanReplicasOf(ClusterNode* n);
  // CHECKs the invariants in the file comment.
  void CheckConsistency() const;

  // --- Table mutators (defined in cluster_state.cc). ---

  // clusterAddNode. REQUIRES: no node with the same name.
  ClusterNode* AddNode(std::unique_ptr<ClusterNode> node);
  // Unlinks `n` from the table (the dict removal of freeClusterNode) and
  // returns it. Slots, replicas and reports are the caller's business.
  std::unique_ptr<ClusterNode> RemoveNode(ClusterNode* n);
  // clusterRenameNode. REQUIRES: no node named `new_name`.
  void RenameNode(ClusterNode* n, const NodeName& new_name);

  // clusterAddSlot: binds an unbound slot (false if already bound). Applies
  // clusterNodeSetSlotBit's MIGRATE_TO rule on a master's first slot.
  bool AddSlot(ClusterNode* n, int slot);
  // clusterDelSlot: unbinds (false if already unbound).
  bool DelSlot(int slot);
  // clusterDelNodeSlots: unbinds every slot of `n`, returns how many.
  int DelNodeSlots(ClusterNode* n);

  // clusterNodeAddSlave / clusterNodeRemoveSlave (list + MIGRATE_TO flag only;
  // replica_of is the caller's).
  bool AddReplica(ClusterNode* master, ClusterNode* replica);
  bool RemoveReplica(ClusterNode* master, ClusterNode* replica);

  // Failure reports. Add returns true if the report is new (else refreshed).
  bool AddFailureReport(ClusterNode* failing, ClusterNode* sender, int64_t now_ms);
  // Drops reports older than max_age_ms (clusterNodeCleanupFailureReports).
  void CleanupFailureReports(ClusterNode* n, int64_t now_ms, int64_t max_age_ms);
  // Returns true if a report by `sender` existed (then also cleans up).
  bool DelFailureReport(ClusterNode* n, ClusterNode* sender, int64_t now_ms,
                        int64_t max_age_ms);
  // Valid reports after cleanup (clusterNodeFailureReportsCount).
  int FailureReportsCount(ClusterNode* n, int64_t now_ms, int64_t max_age_ms);

 private:
  void BumpSlotsVersion(ClusterNode* n);

  // A cheap hash of all 40 name bytes (names are random hex).
  struct NameHash {
    size_t operator()(const NodeName& name) const;
  };
  // Name -> node; every ordered walk uses `nodes`. Valid only while its size
  // equals nodes.size().
  absl::flat_hash_map<NodeName, ClusterNode*, NameHash> index_;  // lookup-only: never iterated
  // uid -> node.
  absl::flat_hash_map<uint64_t, ClusterNode*> uid_index_;  // lookup-only: never iterated
  uint64_t next_uid_ = 1;
  uint64_t next_node_slots_version_ = 1;
};

// Calls fn(slot) for every slot set in `bm`, ascending, while fn returns
// true. O(256 + set bits).
template <typename Fn>
void ForEachSlot(const SlotBitmap& bm, Fn&& fn) {
  const auto& words = bm.words();
  for (size_t w = 0; w < words.size(); ++w) {
    uint64_t bits = words[w];
    while (bits != 0) {
      const int k = __builtin_ctzll(bits);
      bits &= bits - 1;
      if (!fn(static_cast<int>(w * 64 + static_cast<size_t>(k)))) return;
    }
  }
}

// Redis's printed flag names ("myself,master,fail?"), "noflags" when none of the
// printable flags is set (representClusterNodeFlags).
std::string FlagsToString(uint16_t flags);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLUSTER_STATE_H_
