// Node: the 100 ms tick (serverCron's cluster and replication parts and
// clusterCron).

#include <algorithm>

#include "model/marks.h"
#include "model/node.h"

namespace slotsim::model {

void Node::Cron(sim::Time now, Effects* out) {
  Begin(now, out);
  CheckClientPause();
  // run_with_period(1000) replicationCron: every 10th serverCron call,
  // starting with the first (cronloops == 0).
  if (server_cronloops_ % 10 == 0) {
    const bool paused_for_mf = cs_.mf_end_ms != 0 && WritesPaused();
    repl_.Cron(now_ms_, paused_for_mf, out_);
  }
  ClusterCron();
  ++server_cronloops_;
  End();
}

void Node::CheckClientPause() {
  // checkClientPauseTimeoutAndReturnIfPaused.
  if (pause_end_ms_ != 0 && pause_end_ms_ < now_ms_) UnpauseWrites();
}

bool Node::CronHandleReconnect(ClusterNode* node, int64_t handshake_timeout) {
  if (node->Has(flags::kMyself | flags::kNoAddr)) return false;
  if (node->timed_out()) ++cs_.stats_pfail_nodes;
  if (node->in_handshake() && now_ms_ - node->ctime_ms > handshake_timeout) {
    MARK("handshake: timed out");
    DelNode(node);
    return true;
  }
  if (!node->link.valid()) CreateOutboundLink(node);
  return false;
}

void Node::ManualFailoverCheckTimeout() {
  if (cs_.mf_end_ms != 0 && cs_.mf_end_ms < now_ms_) {
    MARK("manual failover: timed out");
    Emit(EventKind::kManualFailover, cs_.myself, nullptr, 0, "timed out");
    ResetManualFailover();
  }
}

void Node::ClusterCron() {
  ++cron_iteration_;
  ClusterNode* me = cs_.myself;
  me->hostname = config_.hostname;  // clusterUpdateMyselfHostname
  const int64_t nt = NodeTimeout();
  const int64_t handshake_timeout = std::max<int64_t>(nt, 1000);

  cs_.stats_pfail_nodes = 0;
  for (size_t i = 0; i < cs_.nodes.size();) {
    // cluster-link-sendbuf-limit is not modelled (links have no buffers).
    if (!CronHandleReconnect(cs_.nodes[i].get(), handshake_timeout)) ++i;
  }

  // Every 10th tick, ping the node with the oldest pong among 5 random picks.
  if (cron_iteration_ % 10 == 0) {
    ClusterNode* min_pong_node = nullptr;
    int64_t min_pong = 0;
    for (int j = 0; j < 5; ++j) {
      ClusterNode* t = cs_.nodes[rng_.Uniform(cs_.nodes.size())].get();
      if (!t->link.valid() || t->ping_sent_ms != 0) continue;
      if (t->Has(flags::kMyself | flags::kHandshake)) continue;
      if (min_pong_node == nullptr || min_pong > t->pong_received_ms) {
        min_pong_node = t;
        min_pong = t->pong_received_ms;
      }
    }
    if (min_pong_node != nullptr) {
      SendPing(FindLink(min_pong_node->link), MsgType::kPing);
    }
  }

  int orphaned_masters = 0;
  int max_slaves = 0;
  int this_slaves = 0;
  bool update_state = false;
  const bool i_am_replica = me->is_replica();
  for (const auto& owned : cs_.nodes) {
    ClusterNode* node = owned.get();
    if (node->Has(flags::kMyself | flags::kNoAddr | flags::kHandshake)) continue;

    if (i_am_replica && node->is_master() && !node->failed()) {
      const int okslaves = cs_.CountNonFailingReplicas(node);
      if (okslaves == 0 && node->num_slots > 0 && node->Has(flags::kMigrateTo)) {
        ++orphaned_masters;
      }
      max_slaves = std::max(max_slaves, okslaves);
      if (me->replica_of == node) this_slaves = okslaves;
    }

    const int64_t ping_delay = now_ms_ - node->ping_sent_ms;
    const int64_t data_delay = now_ms_ - node->data_received_ms;
    if (node->link.valid()) {
      const ClusterLink* link = FindLink(node->link);
      if (now_ms_ - link->ctime_ms > nt && node->ping_sent_ms != 0 &&
          ping_delay > nt / 2 && data_delay > nt / 2) {
        MARK("bus: link freed after half a timeout without pong or data");
        FreeLink(node->link, /*notify_world=*/true);
      }
    }

    if (node->link.valid() && node->ping_sent_ms == 0 &&
        now_ms_ - node->pong_received_ms > nt / 2) {
      SendPing(FindLink(node->link), MsgType::kPing);
      continue;
    }

    if (cs_.mf_end_ms != 0 && me->is_master() && cs_.mf_replica == node &&
        node->link.valid()) {
      SendPing(FindLink(node->link), MsgType::kPing);
      continue;
    }

    if (node->ping_sent_ms == 0) continue;

    const int64_t node_delay = std::min(ping_delay, data_delay);
    if (node_delay > nt && !node->Has(flags::kPFail | flags::kFail)) {
      MARK("failure detection: PFAIL set");
      SetFlags(node, node->flags | flags::kPFail);
      update_state = true;
    }
  }

  // A replica whose replication is off starts it once its master's address
  // is known.
  if (me->is_replica() && !repl_.has_master() && me->replica_of != nullptr &&
      me->replica_of->has_addr()) {
    repl_.SetMaster(me->replica_of->ip, me->replica_of->port, now_ms_, out_);
  }

  ManualFailoverCheckTimeout();

  if (me->is_replica()) {
    HandleManualFailover();
    HandleSlaveFailover();
    if (orphaned_masters > 0 && max_slaves >= 2 && this_slaves == max_slaves &&
        config_.cluster_allow_replica_migration) {
      HandleSlaveMigration(max_slaves);
    }
  }

  if (update_state || cs_.state == ClusterHealth::kFail) UpdateState();
}

}  // namespace slotsim::model
