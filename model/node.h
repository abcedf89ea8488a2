// Node: one Redis Cluster 7.0.15 node (a redis-server with cluster-enabled
// yes), as a sans-IO state machine.
//
// The world calls the input methods with the node's local time and routes the
// returned Effects (model/node_io.h). Every input ends like one iteration of
// Redis's event loop: the handler runs, then clusterBeforeSleep (manual and
// automatic failover, clusterUpdateState, nodes.conf save), so a Persist effect
// is produced before any message of the same step leaves (the world writes it
// first). Times stored in ClusterState are Redis-style unix milliseconds:
// mstime = config.clock_base_ms + now.millis(); unixtime = mstime / 1000.
//
// Which Redis functions live where (all of cluster.c unless noted):
//   node.cc          clusterInit, clusterBeforeSleep, clusterDoBeforeSleep,
//                    clusterLinkConnectHandler, freeClusterLink,
//                    setClusterNodeToInboundClusterLink, trace helpers
//   node_cron.cc     clusterCron, clusterNodeCronHandleReconnect,
//                    manualFailoverCheckTimeout, the serverCron pieces that
//                    drive replicationCron and the client-pause timeout
//   node_packet.cc   clusterProcessPacket, getNodeFromLinkAndMsg,
//                    clusterProcessGossipSection, nodeUpdateAddressIfNeeded,
//                    markNodeAsFailingIfNeeded, clearNodeFailureIfNeeded,
//                    clusterProcessPingExtensions
//   node_send.cc     clusterBuildMessageHdr, clusterSendPing,
//                    clusterBroadcastMessage, clusterBroadcastPong,
//                    clusterSendFail, clusterSendUpdate,
//                    clusterRequestFailoverAuth, clusterSendFailoverAuth,
//                    clusterSendMFStart, clusterSendMessage
//   node_config.cc   clusterUpdateSlotsConfigWith, clusterSetNodeAsMaster,
//                    clusterSetMaster, clusterBumpConfigEpochWithoutConsensus,
//                    clusterHandleConfigEpochCollision, clusterDelNode,
//                    clusterStartHandshake, the FORGET blacklist, clusterReset
//   node_failover.cc clusterHandleSlaveFailover, clusterGetSlaveRank,
//                    clusterSendFailoverAuthIfNeeded,
//                    clusterFailoverReplaceYourMaster, resetManualFailover,
//                    clusterHandleManualFailover, clusterHandleSlaveMigration,
//                    clusterUpdateState
//   node_cluster_command.cc  clusterCommand (every CLUSTER subcommand)
//   node_commands.cc the command table and arity checks (processCommand),
//                    SET/GET/DEL/PING/INFO, client-port links, write pause
//   node_persist.cc  clusterLoadConfig, clusterSaveConfig
//   replication.cc   the replication stream (see replication.h)
//   node_client.cc   per-client state: processCommand's cluster redirection
//                    (getNodeByQuery), ASKING/READONLY/READWRITE,
//                    MULTI/EXEC/DISCARD (multi.c), resetClient's ASKING reset
//   node_migrate.cc  migrateCommand, migrateGetSocket, migrateCloseSocket,
//                    migrateCloseTimedoutSockets, and the blocking step
//   node_wait.cc     waitCommand, replicationRequestAckFromSlaves,
//                    processClientsWaitingReplicas (replication.c)
//
// Blocking MIGRATE: Redis runs MIGRATE synchronously (blocking connect,
// writes and reads with the command's timeout) and the whole server waits.
// The node models it as a blocked state: from the MIGRATE until the target's
// replies (or a socket error, or the timeout, checked on every input and on
// the 100 ms Cron) every input except the MIGRATE link's own events is held
// inside the node in arrival order (a Cron is held once: Redis's timer fires
// once late), and the held inputs are then run in order, at that later time.
// OnAccept still registers the link (the kernel accepts into the backlog);
// the in-process admin Command() is served at once (never blocked). A crash
// while blocked loses the held inputs with the node.
//
// Randomness (node names, handshake names, gossip and ping sampling, election
// jitter, replication IDs) comes only from the node's own sim::Rng. Where Redis
// iterates its nodes dict in hash order the node uses ClusterState::nodes order
// (sorted by name).

#ifndef SLOTSIM_MODEL_NODE_H_
#define SLOTSIM_MODEL_NODE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "model/bus_message.h"
#include "model/cluster_state.h"
#include "model/config.h"
#include "model/keyspace.h"
#include "model/node_io.h"
#include "model/repl_frame.h"
#include "model/replication.h"
#include "model/reply.h"
#include "model/types.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace slotsim::model {

// Redis constants used by the node (cluster.h / cluster.c).
inline constexpr int64_t kFailReportValidityMult = 2;  // CLUSTER_FAIL_REPORT_VALIDITY_MULT
inline constexpr int64_t kFailUndoTimeMult = 2;        // CLUSTER_FAIL_UNDO_TIME_MULT
inline constexpr int64_t kMfTimeoutMs = 5000;          // CLUSTER_MF_TIMEOUT
inline constexpr int64_t kMfPauseMult = 2;             // CLUSTER_MF_PAUSE_MULT
inline constexpr int64_t kSlaveMigrationDelayMs = 5000;  // CLUSTER_SLAVE_MIGRATION_DELAY
inline constexpr int64_t kBlacklistTtlS = 60;          // CLUSTER_BLACKLIST_TTL
inline constexpr int64_t kMaxRejoinDelayMs = 5000;     // CLUSTER_MAX_REJOIN_DELAY
inline constexpr int64_t kMinRejoinDelayMs = 500;      // CLUSTER_MIN_REJOIN_DELAY
inline constexpr int64_t kWritableDelayMs = 2000;      // CLUSTER_WRITABLE_DELAY
inline constexpr int kClusterPortIncr = 10000;         // CLUSTER_PORT_INCR

class Node {
 public:
  // First start (no nodes.conf, or an empty one: a random name, MYSELF|MASTER,
  // epochs 0, saved with fsync), or restart from nodes.conf text
  // (clusterLoadConfig). A corrupt file is an error, as Redis exits.
  static absl::StatusOr<std::unique_ptr<Node>> Start(sim::Time now,
                                                     NodeConfig config,
                                                     sim::Rng rng,
                                                     const std::string* nodes_conf,
                                                     Effects* out);
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();

  // serverCron's 100 ms tick: replicationCron every 10th tick (starting with
  // the first), clusterCron every tick, client-pause expiry; then
  // clusterBeforeSleep.
  void Cron(sim::Time now, Effects* out);
  // An outbound connect (bus or client port) completed.
  void OnLinkConnected(sim::Time now, LinkId link, Effects* out);
  // A connect failed, or an established link was reset / closed by the peer.
  // Unknown ids (e.g. links this node already closed) are ignored.
  void OnLinkClosed(sim::Time now, LinkId link, Effects* out);
  // A peer connected to our bus port or client port; returns the link's id.
  LinkId OnAccept(sim::Time now, PortKind kind, Effects* out);
  // A payload arrived on `link`.
  void OnReceive(sim::Time now, LinkId link, const Wire& msg, Effects* out);
  // The in-process admin client (redis-cli): runs one command, returns its
  // reply. Never paused (see docs/redis-fidelity.md).
  Reply Command(sim::Time now, const std::vector<std::string>& argv, Effects* out);

  // --- Read-only views for the world, checkers and tests. ---
  const ClusterState& cluster() const { return cs_; }
  const NodeConfig& config() const { return config_; }
  const NodeName& name() const { return cs_.myself->name; }
  bool is_master() const { return cs_.myself->is_master(); }
  const Keyspace& keyspace() const { return keyspace_; }
  const Replication& replication() const { return repl_; }
  // The offset this node announces in bus headers: master_repl_offset for a
  // master, the processed offset for a replica (replicationGetSlaveOffset).
  int64_t announced_offset() const;
  // Unix ms until which writes are paused by a manual failover (0 = none).
  int64_t writes_paused_until_ms() const { return pause_end_ms_; }
  // The nodes.conf text this node would write now.
  std::string NodesConfText() const;
  // Tests only: make clusterCron visit every node (the reference the cron
  // indexes must agree with).
  void set_cron_full_scan_for_testing(bool full) { cron_full_scan_ = full; }
  // Whether the node is blocked in a MIGRATE, and how many inputs it holds.
  bool blocked_in_migrate() const { return migrate_.has_value(); }
  size_t held_inputs() const { return held_inputs_.size(); }

  // Redis mstime() for local time `now`.
  int64_t MsTime(sim::Time now) const { return config_.clock_base_ms + now.millis(); }

 private:
  Node(NodeConfig config, sim::Rng rng);

  // ---- node.cc: steps, links, trace. ----
  void Begin(sim::Time now, Effects* out);
  void BeforeSleep();  // clusterBeforeSleep
  void End();
  void DoBeforeSleep(int flags) { cs_.todo_before_sleep |= flags; }
  LinkId NewLinkId() { return LinkId(next_link_id_++); }
  ClusterLink* FindLink(LinkId id);
  LinkId CreateOutboundLink(ClusterNode* node);  // createClusterLink + connect
  void FreeLink(LinkId id, bool notify_world);   // freeClusterLink
  void SetInboundLink(ClusterNode* node, ClusterLink* link);
  void LinkConnected(ClusterLink* link);         // clusterLinkConnectHandler
  void Emit(EventKind kind, const ClusterNode* subject, const ClusterNode* peer,
            int64_t value, std::string detail);
  void SetFlags(ClusterNode* n, uint16_t new_flags);  // traces printable changes
  void SetCurrentEpoch(Epoch e);
  void SetConfigEpoch(ClusterNode* n, Epoch e);
  void TraceSlots(const ClusterNode* to, const std::vector<int>& slots);
  int64_t UnixTime() const { return now_ms_ / 1000; }
  int64_t NodeTimeout() const { return config_.cluster_node_timeout_ms; }
  void SaveConfig(bool fsync);  // clusterSaveConfigOrDie

  // ---- node_cron.cc ----
  void ClusterCron();
  void CronLoopReconnect(int64_t handshake_timeout);
  bool CronLoopNodes();  // returns whether a node became PFAIL
  struct OrphanStats {
    int orphaned_masters = 0;
    int max_slaves = 0;
    int this_slaves = 0;
  };
  const OrphanStats& ComputeOrphanStats();
  // The cron's indexes (see "Cron indexes" below) learn about a node.
  void CronTrack(ClusterNode* n);
  void CronForget(ClusterNode* n);
  void CronPushDue(ClusterNode* n);
  void RenameNode(ClusterNode* n, const NodeName& new_name);
  bool CronHandleReconnect(ClusterNode* node, int64_t handshake_timeout);
  void ManualFailoverCheckTimeout();
  void CheckClientPause();

  // ---- node_packet.cc ----
  void ProcessBusMessage(ClusterLink* link, const BusMessagePtr& msg);
  ClusterNode* NodeFromLinkAndMsg(ClusterLink* link, const BusMessage& hdr);
  void ProcessPingConfig(ClusterLink* link, ClusterNode* sender,
                         const BusMessage& hdr, bool* link_freed);
  bool SenderSlotsDirty(ClusterNode* sender, ClusterNode* sender_master,
                        const SharedSlots& hdr_slots);
  void ProcessGossipSection(ClusterNode* sender, const BusMessage& hdr);
  bool UpdateAddressIfNeeded(ClusterNode* node, ClusterLink* link,
                             const BusMessage& hdr);
  void MarkNodeAsFailingIfNeeded(ClusterNode* node);
  void ClearNodeFailureIfNeeded(ClusterNode* node);
  void ProcessFail(ClusterNode* sender, const BusMessage& hdr);
  void ProcessUpdate(ClusterNode* sender, const BusMessage& hdr);
  void ProcessMfStart(ClusterLink* link, ClusterNode* sender);

  // ---- node_send.cc ----
  std::shared_ptr<BusMessage> BuildHeader(MsgType type);
  void SendMessage(LinkId link, BusMessagePtr msg);  // clusterSendMessage
  void SendPing(ClusterLink* link, MsgType type);     // clusterSendPing
  // The same on `link`; `outbound_node` is the node whose outbound link it
  // is (its ping_sent is set by a PING), null for an inbound link.
  void SendPing(LinkId link, ClusterNode* outbound_node, MsgType type);
  void BroadcastMessage(const BusMessagePtr& msg);
  enum class PongTarget { kAll, kLocalReplicas };
  void BroadcastPong(PongTarget target);
  void SendFail(const ClusterNode* failing);
  void SendUpdate(LinkId link, const ClusterNode* node);
  void RequestFailoverAuth();
  void SendFailoverAuth(ClusterNode* node);
  void SendMfStart(ClusterNode* node);

  // ---- node_config.cc ----
  void UpdateSlotsConfigWith(ClusterNode* sender, Epoch sender_config_epoch,
                             const SlotBitmap& slots);
  void SetNodeAsMaster(ClusterNode* n);
  void SetMaster(ClusterNode* n);
  bool BumpConfigEpochWithoutConsensus();
  void HandleConfigEpochCollision(ClusterNode* sender);
  void DelNode(ClusterNode* n);  // clusterDelNode
  ClusterNode* CreateNode(const NodeName* name, uint16_t node_flags);
  // clusterStartHandshake's address checks (inet_pton, port ranges).
  static bool ValidMeetAddress(const std::string& ip, long long port, long long cport);
  bool StartHandshake(const std::string& ip, int port, int cport);
  void BlacklistCleanup();
  void BlacklistAddNode(const ClusterNode* n);
  bool BlacklistExists(const NodeName& name);
  void Reset(bool hard);
  void CloseAllSlots();

  // ---- node_failover.cc ----
  void HandleSlaveFailover();
  int GetSlaveRank();
  void SendFailoverAuthIfNeeded(ClusterNode* node, const BusMessage& request);
  void FailoverReplaceYourMaster();
  void ResetManualFailover();
  void HandleManualFailover();
  void HandleSlaveMigration(int max_slaves);
  void UpdateState();
  void LogCantFailover(CantFailoverReason reason);

  // ---- node_commands.cc / node_cluster_command.cc ----
  Reply Dispatch(const std::vector<std::string>& argv, LinkId client);
  Reply ClusterCommand(const std::vector<std::string>& argv);
  Reply InfoCommand(const std::vector<std::string>& argv);
  Reply ExecuteData(const std::vector<std::string>& argv, bool propagate);
  void ApplyReplicated(const std::vector<std::string>& argv);
  bool WritesPaused() const { return pause_end_ms_ != 0; }
  void PauseWrites(int64_t until_ms);
  void UnpauseWrites();
  void ServeClientCommand(LinkId link, const CommandFrame& frame);

  // ---- Data plane: node_client.cc, node_migrate.cc, node_wait.cc. ----
  // Per-client state (the parts of Redis's client struct the model uses).
  struct ClientState {
    bool asking = false;      // CLIENT_ASKING (one-shot, kept inside MULTI)
    bool readonly = false;    // CLIENT_READONLY
    bool multi = false;       // CLIENT_MULTI
    bool dirty_exec = false;  // CLIENT_DIRTY_EXEC
    std::vector<std::vector<std::string>> mstate;  // queued commands
    int64_t woff = 0;         // master_repl_offset after its last write
    // WAIT: blocked until `wait_replicas` acks of `wait_offset`, or the
    // deadline (0 = none). Commands arriving meanwhile wait in `pending`.
    bool blocked = false;
    uint64_t wait_request_id = 0;
    int wait_replicas = 0;
    int64_t wait_offset = 0;
    int64_t wait_deadline_ms = 0;
    std::deque<CommandFrame> pending;
  };
  // An input held while the node is blocked in MIGRATE.
  struct HeldInput {
    enum class Kind { kConnected, kClosed, kReceive, kCron };
    Kind kind = Kind::kCron;
    LinkId link;
    Wire msg;
  };
  // The cached connection of MIGRATE to one target (migrateCachedSocket).
  struct MigrateSocket {
    LinkId link;
    bool connected = false;
    int64_t last_use_s = 0;
    int64_t last_dbid = -1;
    uint64_t next_request_id = 1;
  };
  // The MIGRATE in progress (the node is blocked while it exists).
  struct MigrateOp {
    LinkId client;
    uint64_t request_id = 0;
    std::string target;  // "host:port", the socket cache key
    std::string host;
    int port = 0;
    std::vector<std::string> keys;  // the keys that exist, in argument order
    bool copy = false;
    bool replace = false;
    int64_t dbid = 0;
    int64_t timeout_ms = 0;
    int64_t deadline_ms = 0;
    bool may_retry = true;
    bool select_sent = false;
    uint64_t first_request_id = 0;  // of the batch on the target link
    std::vector<Reply> replies;     // SELECT's (if sent), then one per key
  };
  // Runs one client command (processCommand + call), with its state `c`.
  // Returns nullopt when the reply is deferred (a blocking command).
  std::optional<Reply> RunClientCommand(ClientState* c, LinkId link,
                                        uint64_t request_id,
                                        const std::vector<std::string>& argv);
  // getNodeByQuery + clusterRedirectClient for one command, or for the queued
  // commands of EXEC. nullopt = serve here.
  // checkGoodReplicasStatus: min-replicas-to-write refuses writes (NOREPLICAS)
  // on a master with too few replicas that acked within min-replicas-max-lag.
  bool GoodReplicasOk() const;
  std::optional<Reply> RedirectCheck(const ClientState& c,
                                     const std::vector<std::string>& argv,
                                     bool is_exec);
  Reply ExecCommand(ClientState* c);
  // The command itself (call()), no redirection. `c` may be null (replicated).
  Reply CallCommand(ClientState* c, const std::vector<std::string>& argv,
                    bool propagate);
  Reply DebugCommand(const std::vector<std::string>& argv);
  Reply FunctionCommand(const std::vector<std::string>& argv);
  Reply RestoreCommand(const std::vector<std::string>& argv, bool propagate);
  void SendClientReply(LinkId link, uint64_t request_id, Reply reply);
  void ProcessClientPending(LinkId link);
  void ProcessAllClientsPending();
  // MIGRATE (node_migrate.cc).
  std::optional<Reply> MigrateCommand(LinkId client, uint64_t request_id,
                                      const std::vector<std::string>& argv);
  void MigrateSendBatch();
  void MigrateOnReply(const ReplyFrame& reply);
  // Ends the MIGRATE: `socket_error` (closed / timed out), `timed_out`.
  void MigrateFinish(bool socket_error, bool timed_out);
  void MigrateCloseSocket(const std::string& target);
  void MigrateCloseIdleSockets();
  bool IsMigrateLink(LinkId link) const;
  LinkId CurrentMigrateLink() const;
  // Called first by every input but OnAccept and Command: returns true when
  // the input was consumed (held while blocked, or a MIGRATE link event).
  bool InterceptInput(HeldInput::Kind kind, LinkId link, const Wire* msg,
                      sim::Time now, Effects* out);
  void DrainHeldInputs(sim::Time now, Effects* out);
  // WAIT (node_wait.cc).
  std::optional<Reply> WaitCommand(ClientState* c, LinkId link, uint64_t request_id,
                                   const std::vector<std::string>& argv);
  // beforeSleep's data-plane part: GETACK, processClientsWaitingReplicas,
  // WAIT timeouts, the replication transfer clock. Called by End().
  void DataplaneBeforeSleep();

  // ---- node_persist.cc ----
  absl::Status LoadConfig(const std::string& text);

  NodeConfig config_;
  sim::Rng rng_;
  ClusterState cs_;
  Keyspace keyspace_;
  uint64_t next_link_id_ = 1;
  Replication repl_;

  // Client-port links accepted or opened by this node that are not
  // replication links (admin and data clients).
  std::map<LinkId, bool> client_links_;  // value: inbound
  struct PausedCommand {
    LinkId link;
    uint64_t request_id = 0;
    std::vector<std::string> argv;
  };
  std::deque<PausedCommand> paused_commands_;
  int64_t pause_end_ms_ = 0;  // CLIENT_PAUSE_WRITE for PAUSE_DURING_FAILOVER

  // Cron indexes. clusterCron visits every node twice per 100 ms tick; in a
  // 1000-node cluster that is 20 million visits per simulated second. These
  // indexes hold a superset of the nodes for which a visit can do anything,
  // and the cron visits only those, in name order, so it does exactly what a
  // full scan would. Entries are hints: each visit re-checks the real
  // condition and stale entries are dropped.
  struct ByName {
    bool operator()(const ClusterNode* a, const ClusterNode* b) const {
      return a->name < b->name;
    }
  };
  // Keyed by ClusterNode::uid (cheap, deterministic); visits are sorted by
  // name before they run.
  using NodeSet = std::map<uint64_t, ClusterNode*>;
  NodeSet cron_unlinked_;  // may lack an outbound link, or be in handshake
  NodeSet cron_pinged_;    // may have a ping outstanding (ping_sent != 0)
  NodeSet cron_pfail_;     // may be PFAIL
  // (first ms at which the half-timeout ping may be due, uid); at most one
  // live entry per node, the one matching its cron_due_ms.
  using DueEntry = std::pair<int64_t, uint64_t>;
  std::priority_queue<DueEntry, std::vector<DueEntry>, std::greater<DueEntry>> cron_due_;
  bool cron_full_scan_ = false;
  std::vector<ClusterNode*> gossip_nodes_;  // ProcessGossipSection scratch
  uint64_t orphan_stats_version_ = 0;
  OrphanStats orphan_stats_;

  uint64_t cron_iteration_ = 0;     // clusterCron's static `iteration`
  uint64_t server_cronloops_ = 0;   // server.cronloops
  uint64_t cluster_pings_sent_ = 0; // clusterSendPing's static counter

  // Data plane (node_client.cc, node_migrate.cc, node_wait.cc).
  std::map<LinkId, ClientState> clients_;  // client links with state
  std::optional<MigrateOp> migrate_;       // set = the node is blocked
  std::map<std::string, MigrateSocket> migrate_sockets_;  // by "host:port"
  std::deque<HeldInput> held_inputs_;      // inputs held during MIGRATE
  bool draining_held_ = false;
  bool get_ack_from_replicas_ = false;     // server.get_ack_from_slaves
  int waiting_clients_ = 0;                // clients blocked in WAIT

  // The current step.
  sim::Time now_;
  int64_t now_ms_ = 0;
  Effects* out_ = nullptr;
  bool persist_fsync_ = false;  // an fsync'd save happened in this step
};

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_NODE_H_
