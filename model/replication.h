// Replication: the master/replica data stream as far as Redis Cluster's
// failover depends on it (replication.c).
//
// One object per node plays both roles, as a Redis process does:
//  - as a replica (masterhost set): connects to the master's client port,
//    sends PSYNC (cached replid/offset, or "?"), receives +FULLRESYNC (dataset
//    snapshot) or +CONTINUE (backlog tail), applies the command stream,
//    advances its processed offset `reploff` by each command's RESP length,
//    refreshes the master's `lastinteraction` (unix seconds) on every frame,
//    sends REPLCONF ACK once per second, and sets `repl_down_since` when the
//    link drops (replicationHandleMasterDisconnection).
//  - as a source (any node with attached replicas): keeps a replication ID,
//    master_repl_offset and a byte-bounded backlog of frames, answers PSYNC
//    (masterTryPartialResynchronization), feeds every propagated write and a
//    PING every repl-ping-replica-period seconds (replicationFeedSlaves;
//    the PING is suppressed while clients are paused for a manual failover).
//    A replica proxies its master's stream to its own replicas unchanged.
//
// Modelled functions: replicationSetMaster, replicationUnsetMaster,
// replicationCacheMaster(UsingMyself), replicationResurrectCachedMaster,
// replicationGetSlaveOffset, replicationCron, replicationFeedSlaves,
// replicationFeedStreamFromMasterStream, syncCommand (PSYNC),
// masterTryPartialResynchronization, shiftReplicationId, changeReplicationId,
// createReplicationBacklog, replicationSendAck.
//
// Simplifications (docs/redis-fidelity.md): the handshake is one PSYNC frame;
// a full resync is a snapshot of the dataset at the current offset taken at
// once (no child process) whose transfer and load take simulated time on the
// replica (NodeConfig::repl_full_sync_*; state kTransfer, stream frames
// buffered meanwhile); the master counts the replica "online" from the
// moment it answers, with its ack clock started after the estimated load;
// the backlog is trimmed by whole frames. WAIT support: GETACK is answered
// with the offset before the GETACK itself.
//
// Invariants: reploff of a connected replica == its master_repl_offset (it
// proxies the identical stream); master_repl_offset never decreases except on
// a full resync, which adopts the master's offset.

#ifndef SLOTSIM_MODEL_REPLICATION_H_
#define SLOTSIM_MODEL_REPLICATION_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/keyspace.h"
#include "model/node_io.h"
#include "model/repl_frame.h"
#include "model/types.h"
#include "sim/rng.h"

namespace slotsim::model {

// REPL_STATE_* (replica side), collapsed to what the model distinguishes.
enum class ReplState {
  kNone,        // not a replica
  kConnect,     // must connect (retried by the cron)
  kConnecting,  // connect in flight
  kHandshake,   // PSYNC sent, waiting for the answer
  kTransfer,    // +FULLRESYNC received, the snapshot is being transferred
                // and loaded (REPL_STATE_TRANSFER)
  kConnected,   // streaming
};
const char* ReplStateName(ReplState s);

class Replication {
 public:
  // Executes one command of the master's stream on the local dataset.
  using ApplyFn = std::function<void(const std::vector<std::string>& argv)>;

  // The node lends these for the object's lifetime: its config, its random
  // stream (replication IDs), its dataset (snapshots), its link id counter
  // and its command executor.
  Replication(const NodeConfig* config, sim::Rng* rng, Keyspace* keyspace,
              uint64_t* next_link_id, ApplyFn apply);

  // First start: a fresh replication ID (the node's startup).
  void Init(int64_t now_ms);

  // replicationSetMaster: become (or re-point as) a replica of ip:port.
  void SetMaster(const std::string& ip, int port, int64_t now_ms, Effects* out);
  // replicationUnsetMaster: stop replicating, shift the replication ID,
  // disconnect own replicas (they PSYNC back). No-op if not a replica.
  void UnsetMaster(int64_t now_ms, Effects* out);

  // replicationCron (once per second). `pause_ping` = clients are paused for
  // a manual failover, so the periodic PING is not fed.
  void Cron(int64_t now_ms, bool pause_ping, Effects* out);

  // replicationFeedSlaves for a write executed on this node (db 0).
  void Propagate(const std::vector<std::string>& argv, Effects* out);

  // EXEC: the writes propagated between BeginExec and EndExec are fed at
  // EndExec, wrapped in MULTI ... EXEC when there are several (7.0's
  // propagatePendingCommands).
  void BeginExec();
  void EndExec(Effects* out);

  // beforeSleep's "REPLCONF GETACK *" to every replica (a master with
  // replicas only; advances master_repl_offset like any fed command).
  void FeedGetAck(Effects* out);
  // replicationCountAcksByOffset: replicas whose last ACK is >= offset.
  int CountAcksByOffset(int64_t offset) const;
  // refreshGoodSlavesCount: replicas whose last ACK is at most `max_lag_s`
  // seconds old at unix second `now_s`. Redis caches this count and
  // refreshes it once per second (replicationCron) and when a replica comes
  // online or goes; the model counts at the moment it is asked.
  int CountGoodReplicas(int64_t now_s, int64_t max_lag_s) const;
  // Called in every step: finishes a full sync transfer whose time is up.
  void Poll(int64_t now_ms, Effects* out);
  // Simulated duration of a full sync of `frame` (config knobs).
  int64_t FullSyncCostMs(const ReplFrame& frame) const;

  // Links. Returns false if the link is not a replication link.
  bool OnLinkConnected(LinkId link, int64_t now_ms, Effects* out);
  bool OnLinkClosed(LinkId link, int64_t now_ms, Effects* out);
  // A frame on `link` (the master link, or a client link that sends PSYNC).
  void OnFrame(LinkId link, const ReplFramePtr& frame, int64_t now_ms,
               Effects* out);

  bool IsReplicationLink(LinkId link) const;

  // The node's name, used as the subject of the trace events emitted here.
  void set_self(const NodeName& name) { self_ = name; }

  // --- Queries. ---
  bool has_master() const { return masterhost_.has_value(); }  // masterhost
  const std::string& master_host() const;
  int master_port() const { return masterport_; }
  ReplState state() const { return state_; }
  bool link_up() const { return state_ == ReplState::kConnected; }
  // replicationGetSlaveOffset: processed offset of the (cached) master.
  int64_t SlaveOffset() const;
  int64_t master_repl_offset() const { return master_repl_offset_; }
  // The master client's lastinteraction, unix seconds (0 if no master link).
  int64_t master_last_interaction_s() const;
  int64_t repl_down_since_s() const { return repl_down_since_s_; }
  const std::string& replid() const { return replid_; }
  const std::string& replid2() const { return replid2_; }
  int64_t second_replid_offset() const { return second_replid_offset_; }
  int connected_replicas() const { return static_cast<int>(replicas_.size()); }
  bool has_backlog() const { return backlog_.has_value(); }

  // The "# Replication" section of INFO.
  std::string InfoText(int64_t now_ms) const;

 private:
  struct MasterClient {
    LinkId link;
    std::string replid;
    int64_t reploff = 0;
    int64_t lastinteraction_s = 0;
  };
  struct ReplicaClient {
    std::string ip;
    int listening_port = 0;
    int64_t ack_off = 0;
    int64_t ack_time_s = 0;
  };
  struct Backlog {
    int64_t offset = 0;   // offset of the first byte held
    int64_t histlen = 0;  // bytes held
    std::deque<ReplFramePtr> frames;
  };

  LinkId NewLinkId() { return LinkId((*next_link_id_)++); }
  std::string RandomReplId() { return NodeName::Random(*rng_).str(); }
  static void Send(LinkId link, ReplFramePtr frame, Effects* out);
  static void Close(LinkId link, Effects* out);
  void Note(Effects* out, std::string detail) const;

  void ConnectWithMaster(int64_t now_ms, Effects* out);
  void CancelHandshake(Effects* out);
  void HandleMasterDisconnection(int64_t now_ms, Effects* out);
  void FreeMasterClient(int64_t now_ms, Effects* out);
  void DisconnectReplicas(Effects* out);
  void CreateBacklog();
  void AppendToBacklog(const ReplFramePtr& frame);
  void FeedFrame(const ReplFramePtr& frame, Effects* out);

  void OnPsync(LinkId link, const ReplFrame& frame, int64_t now_ms, Effects* out);
  void OnHandshakeReply(LinkId link, const ReplFrame& frame, int64_t now_ms,
                        Effects* out);
  void OnStreamFrame(const ReplFramePtr& frame, int64_t now_ms, Effects* out);

  const NodeConfig* config_;
  sim::Rng* rng_;
  Keyspace* keyspace_;
  uint64_t* next_link_id_;
  ApplyFn apply_;
  NodeName self_;

  // Replica side.
  std::optional<std::string> masterhost_;
  int masterport_ = 0;
  ReplState state_ = ReplState::kNone;
  // A full sync in transfer: the +FULLRESYNC frame, when its load is done,
  // and the stream frames that arrived meanwhile (applied after the load).
  struct Transfer {
    LinkId link;
    ReplFramePtr frame;
    int64_t done_ms = 0;
    std::vector<ReplFramePtr> buffered;
  };
  std::optional<Transfer> transfer_;
  // Writes of the EXEC being run (BeginExec), not yet fed.
  std::optional<std::vector<std::vector<std::string>>> exec_batch_;
  void PropagateNow(const std::vector<std::string>& argv, Effects* out);
  void LoadTransfer(int64_t now_ms, Effects* out);
  LinkId transfer_link_;  // repl_transfer_s: connecting / handshaking link
  int64_t transfer_lastio_s_ = 0;
  std::optional<MasterClient> master_;
  std::optional<MasterClient> cached_master_;
  int64_t repl_down_since_s_ = 0;

  // Source side.
  std::string replid_;
  std::string replid2_ = std::string(40, '0');
  int64_t second_replid_offset_ = -1;
  int64_t master_repl_offset_ = 0;
  std::optional<Backlog> backlog_;
  int slaveseldb_ = -1;
  std::map<LinkId, ReplicaClient> replicas_;  // by link id: stable order
  int64_t no_replicas_since_s_ = 0;
  uint64_t cron_loops_ = 0;
};

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_REPLICATION_H_
