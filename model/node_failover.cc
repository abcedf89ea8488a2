// Node: replica failover (automatic and manual), voting, replica migration and
// the cluster state evaluation.

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/marks.h"
#include "model/node.h"

namespace slotsim::model {

void Node::LogCantFailover(CantFailoverReason reason) {
  // clusterLogCantFailover only logs (throttled); the reason is what the
  // model keeps.
  cs_.cant_failover_reason = reason;
}

int Node::GetSlaveRank() {
  const ClusterNode* me = cs_.myself;
  const ClusterNode* master = me->replica_of;
  if (master == nullptr) return 0;
  const int64_t myoffset = repl_.SlaveOffset();
  int rank = 0;
  for (const ClusterNode* r : master->replicas) {
    if (r != me && !r->Has(flags::kNoFailover) &&
        static_cast<int64_t>(r->repl_offset) > myoffset) {
      ++rank;
    }
  }
  return rank;
}

void Node::HandleSlaveFailover() {
  ClusterNode* const me = cs_.myself;
  const int64_t auth_age = now_ms_ - cs_.failover_auth_time_ms;
  const int needed_quorum = cs_.size / 2 + 1;
  const bool manual = cs_.mf_end_ms != 0 && cs_.mf_can_start;
  cs_.todo_before_sleep &= ~todo::kHandleFailover;

  const int64_t nt = NodeTimeout();
  const int64_t auth_timeout = std::max<int64_t>(nt * 2, 2000);
  const int64_t auth_retry_time = auth_timeout * 2;

  if (me->is_master() || me->replica_of == nullptr ||
      (!me->replica_of->failed() && !manual) ||
      (config_.cluster_replica_no_failover && !manual) ||
      me->replica_of->num_slots == 0) {
    if (me->is_replica() && me->replica_of != nullptr && me->replica_of->failed() &&
        config_.cluster_replica_no_failover && !manual) {
      MARK("failover: not attempted (cluster-replica-no-failover)");
    }
    cs_.cant_failover_reason = CantFailoverReason::kNone;
    return;
  }

  // Data age, second resolution.
  int64_t data_age;
  if (repl_.link_up()) {
    data_age = (UnixTime() - repl_.master_last_interaction_s()) * 1000;
  } else {
    data_age = (UnixTime() - repl_.repl_down_since_s()) * 1000;
  }
  if (data_age > nt) data_age -= nt;
  if (config_.cluster_replica_validity_factor != 0 &&
      data_age > config_.repl_ping_replica_period_s * 1000 +
                     nt * config_.cluster_replica_validity_factor) {
    if (!manual) {
      MARK("failover: refused, data too old");
      LogCantFailover(CantFailoverReason::kDataAge);
      return;
    }
  }

  if (auth_age > auth_retry_time) {
    cs_.failover_auth_time_ms =
        now_ms_ + 500 + static_cast<int64_t>(rng_.Uniform(500));
    cs_.failover_auth_count = 0;
    cs_.failover_auth_sent = false;
    cs_.failover_auth_rank = GetSlaveRank();
    cs_.failover_auth_time_ms += static_cast<int64_t>(cs_.failover_auth_rank) * 1000;
    if (cs_.mf_end_ms != 0) {
      cs_.failover_auth_time_ms = now_ms_;
      cs_.failover_auth_rank = 0;
      DoBeforeSleep(todo::kHandleFailover);
    }
    if (cs_.failover_auth_rank > 0) MARK("failover: scheduled with rank > 0");
    Emit(EventKind::kElectionScheduled, me, me->replica_of, cs_.failover_auth_rank,
         absl::StrCat("delay ", cs_.failover_auth_time_ms - now_ms_, " ms, offset ",
                      repl_.SlaveOffset()));
    BroadcastPong(PongTarget::kLocalReplicas);
    return;
  }

  if (!cs_.failover_auth_sent && cs_.mf_end_ms == 0) {
    const int newrank = GetSlaveRank();
    if (newrank > cs_.failover_auth_rank) {
      MARK("failover: rank pushed the election later");
      const int64_t added_delay =
          static_cast<int64_t>(newrank - cs_.failover_auth_rank) * 1000;
      cs_.failover_auth_time_ms += added_delay;
      cs_.failover_auth_rank = newrank;
      Emit(EventKind::kElectionScheduled, me, me->replica_of, newrank,
           absl::StrCat("rank updated, +", added_delay, " ms"));
    }
  }

  if (now_ms_ < cs_.failover_auth_time_ms) {
    LogCantFailover(CantFailoverReason::kWaitingDelay);
    return;
  }
  if (auth_age > auth_timeout) {
    if (cs_.cant_failover_reason != CantFailoverReason::kExpired) {
      MARK("failover: election expired");
    }
    LogCantFailover(CantFailoverReason::kExpired);
    return;
  }

  if (!cs_.failover_auth_sent) {
    SetCurrentEpoch(cs_.current_epoch.Next());
    cs_.failover_auth_epoch = cs_.current_epoch;
    Emit(EventKind::kElectionStarted, me, me->replica_of,
         static_cast<int64_t>(cs_.failover_auth_epoch.value()),
         cs_.mf_end_ms != 0 ? "manual" : "");
    RequestFailoverAuth();
    cs_.failover_auth_sent = true;
    DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState | todo::kFsyncConfig);
    return;
  }

  if (cs_.failover_auth_count >= needed_quorum) {
    MARK("failover: election won");
    if (me->config_epoch < cs_.failover_auth_epoch) {
      SetConfigEpoch(me, cs_.failover_auth_epoch);
    }
    FailoverReplaceYourMaster();
  } else {
    LogCantFailover(CantFailoverReason::kWaitingVotes);
  }
}

void Node::SendFailoverAuthIfNeeded(ClusterNode* node, const BusMessage& request) {
  ClusterNode* const me = cs_.myself;
  ClusterNode* master = node->replica_of;
  const Epoch request_current = request.current_epoch;
  const Epoch request_config = request.config_epoch;
  const bool force_ack = (request.mflags & mflags::kForceAck) != 0;

  auto refuse = [&](const char* rule) {
    Emit(EventKind::kVoteRefused, me, node,
         static_cast<int64_t>(cs_.current_epoch.value()), rule);
  };

  // Replicas get every request; only masters with slots may vote.
  if (me->is_replica()) return;
  if (me->num_slots == 0) {
    MARK("vote refused: voter serves no slots");
    refuse("voter serves no slots");
    return;
  }
  if (request_current < cs_.current_epoch) {
    MARK("vote refused: request epoch is stale");
    refuse("request currentEpoch < voter currentEpoch");
    return;
  }
  if (cs_.last_vote_epoch == cs_.current_epoch) {
    MARK("vote refused: already voted in this epoch");
    refuse("already voted for this epoch");
    return;
  }
  if (node->is_master() || master == nullptr || (!master->failed() && !force_ack)) {
    if (node->is_master()) {
      MARK("vote refused: requester is a master");
      refuse("requester is a master");
    } else if (master == nullptr) {
      MARK("vote refused: requester's master unknown");
      refuse("requester's master is unknown");
    } else {
      MARK("vote refused: master is not failing");
      refuse("its master is up");
    }
    return;
  }
  if (now_ms_ - master->voted_time_ms < NodeTimeout() * 2) {
    MARK("vote refused: voted for this master's replica too recently");
    refuse("voted for a replica of this master less than 2*node_timeout ago");
    return;
  }
  bool stale_slot = false;
  ForEachSlot(*request.myslots, [&](int j) {
    stale_slot = !cs_.SlotUnclaimed(j) && cs_.slots[j]->config_epoch > request_config;
    return !stale_slot;
  });
  if (stale_slot) {
    MARK("vote refused: stale slot epoch");
    refuse("a claimed slot has a newer configEpoch");
    return;
  }

  cs_.last_vote_epoch = cs_.current_epoch;
  master->voted_time_ms = now_ms_;
  DoBeforeSleep(todo::kSaveConfig | todo::kFsyncConfig);
  MARK("vote granted");
  if (force_ack) MARK("vote granted: forced (manual failover)");
  if (!node->link.valid()) MARK("vote granted: no outbound link, ack lost");
  Emit(EventKind::kVoteGranted, me, node,
       static_cast<int64_t>(cs_.current_epoch.value()), "");
  SendFailoverAuth(node);
}

void Node::FailoverReplaceYourMaster() {
  ClusterNode* const me = cs_.myself;
  ClusterNode* oldmaster = me->replica_of;
  if (me->is_master() || oldmaster == nullptr) return;

  SetNodeAsMaster(me);
  repl_.UnsetMaster(now_ms_, out_);

  std::vector<int> taken;
  for (int j = 0; j < kClusterSlots; ++j) {
    if (cs_.slots[j] == oldmaster) {
      cs_.DelSlot(j);
      cs_.AddSlot(me, j);
      taken.push_back(j);
    }
  }
  TraceSlots(me, taken);
  Emit(EventKind::kPromoted, me, oldmaster,
       static_cast<int64_t>(me->config_epoch.value()), "");

  UpdateState();
  SaveConfig(/*fsync=*/true);
  BroadcastPong(PongTarget::kAll);
  ResetManualFailover();
}

void Node::ResetManualFailover() {
  if (cs_.mf_replica != nullptr || pause_end_ms_ != 0) UnpauseWrites();
  cs_.mf_end_ms = 0;
  cs_.mf_can_start = false;
  cs_.mf_replica = nullptr;
  cs_.mf_master_offset = -1;
}

void Node::HandleManualFailover() {
  if (cs_.mf_end_ms == 0) return;
  if (cs_.mf_can_start) return;
  if (cs_.mf_master_offset == -1) return;
  if (cs_.mf_master_offset == repl_.SlaveOffset()) {
    MARK("manual failover: offsets match, can start");
    cs_.mf_can_start = true;
    Emit(EventKind::kManualFailover, cs_.myself, cs_.myself->replica_of,
         cs_.mf_master_offset, "replica: offset reached, election can start");
    DoBeforeSleep(todo::kHandleFailover);
    return;
  }
  DoBeforeSleep(todo::kHandleManualFailover);
}

void Node::HandleSlaveMigration(int max_slaves) {
  ClusterNode* const me = cs_.myself;
  if (cs_.state != ClusterHealth::kOk) return;
  ClusterNode* mymaster = me->replica_of;
  if (mymaster == nullptr) return;
  int okslaves = 0;
  for (const ClusterNode* r : mymaster->replicas) {
    if (!r->failed() && !r->timed_out()) ++okslaves;
  }
  if (okslaves <= config_.cluster_migration_barrier) {
    MARK("replica migration: barrier holds");
    return;
  }

  ClusterNode* target = nullptr;
  ClusterNode* candidate = me;
  for (const auto& owned : cs_.nodes) {
    ClusterNode* node = owned.get();
    int node_okslaves = 0;
    bool is_orphaned = true;
    if (node->is_replica() || node->failed()) is_orphaned = false;
    if (!node->Has(flags::kMigrateTo)) is_orphaned = false;
    if (node->is_master()) node_okslaves = cs_.CountNonFailingReplicas(node);
    if (node_okslaves > 0) is_orphaned = false;
    if (is_orphaned) {
      if (target == nullptr && node->num_slots > 0) target = node;
      if (node->orphaned_time_ms == 0) node->orphaned_time_ms = now_ms_;
    } else {
      node->orphaned_time_ms = 0;
    }
    if (node_okslaves == max_slaves) {
      for (ClusterNode* r : node->replicas) {
        if (r->name < candidate->name) candidate = r;
      }
    }
  }

  if (target != nullptr && candidate == me &&
      now_ms_ - target->orphaned_time_ms > kSlaveMigrationDelayMs) {
    MARK("replica migration: migrating to an orphaned master");
    Emit(EventKind::kReplicaMigration, me, target, 0, "");
    SetMaster(target);
  }
}

void Node::UpdateState() {
  ClusterNode* const me = cs_.myself;
  cs_.todo_before_sleep &= ~todo::kUpdateState;

  if (cs_.first_state_call_ms == 0) cs_.first_state_call_ms = now_ms_;
  if (me->is_master() && cs_.state == ClusterHealth::kFail &&
      now_ms_ - cs_.first_state_call_ms < kWritableDelayMs) {
    MARK("state: writable delay after start");
    return;
  }

  ClusterHealth new_state = ClusterHealth::kOk;
  int size = 0;
  int reachable_masters = 0;
  int bound_slots = 0;
  bool failed_owner = false;
  for (const auto& owned : cs_.nodes) {
    const ClusterNode* node = owned.get();
    bound_slots += node->num_slots;
    if (node->num_slots > 0 && node->failed()) failed_owner = true;
    if (node->is_master() && node->num_slots > 0) {
      ++size;
      if (!node->Has(flags::kFail | flags::kPFail)) ++reachable_masters;
    }
  }
  // Full coverage: every slot bound, no slot owned by a FAIL node (PFAIL is
  // fine). Counting per node is equivalent to Redis's per-slot scan.
  if (config_.cluster_require_full_coverage &&
      (bound_slots < kClusterSlots || failed_owner)) {
    new_state = ClusterHealth::kFail;
  }
  cs_.size = size;

  const int needed_quorum = size / 2 + 1;
  if (reachable_masters < needed_quorum) {
    new_state = ClusterHealth::kFail;
    cs_.among_minority_time_ms = now_ms_;
  }

  if (new_state != cs_.state) {
    const int64_t rejoin_delay =
        std::clamp<int64_t>(NodeTimeout(), kMinRejoinDelayMs, kMaxRejoinDelayMs);
    if (new_state == ClusterHealth::kOk && me->is_master() &&
        now_ms_ - cs_.among_minority_time_ms < rejoin_delay) {
      MARK("state: rejoin delay after minority");
      return;
    }
    cs_.state = new_state;
    Emit(EventKind::kClusterState, me, nullptr, 0,
         new_state == ClusterHealth::kOk ? "ok" : "fail");
  }
}

}  // namespace slotsim::model
