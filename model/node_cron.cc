// Node: the 100 ms tick (serverCron's cluster and replication parts and
// clusterCron).

#include <algorithm>

#include "model/marks.h"
#include "model/node.h"

namespace slotsim::model {

void Node::Cron(sim::Time now, Effects* out) {
  if (InterceptInput(HeldInput::Kind::kCron, LinkId(), nullptr, now, out)) return;
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

// --- Cron indexes. ---

void Node::CronTrack(ClusterNode* n) {
  if (n->is_myself()) return;
  if (!n->link.valid() || n->in_handshake()) cron_unlinked_.emplace(n->uid, n);
  if (n->ping_sent_ms != 0) cron_pinged_.emplace(n->uid, n);
  if (n->timed_out()) cron_pfail_.emplace(n->uid, n);
  if (n->link.valid()) CronPushDue(n);
}

void Node::CronForget(ClusterNode* n) {
  cron_unlinked_.erase(n->uid);
  cron_pinged_.erase(n->uid);
  cron_pfail_.erase(n->uid);
  n->cron_due_ms = 0;  // any queued entry becomes stale
}

void Node::CronPushDue(ClusterNode* n) {
  // pong_received never decreases, so a live entry is never later than
  // the real due time; it is re-queued when popped early.
  if (n->cron_due_ms != 0) return;
  n->cron_due_ms = n->pong_received_ms + NodeTimeout() / 2 + 1;
  cron_due_.emplace(n->cron_due_ms, n->uid);
}

void Node::RenameNode(ClusterNode* n, const NodeName& new_name) {
  CronForget(n);
  cs_.RenameNode(n, new_name);
  CronTrack(n);
}

const Node::OrphanStats& Node::ComputeOrphanStats() {
  if (orphan_stats_version_ == cs_.topology_version) return orphan_stats_;
  OrphanStats st;
  const ClusterNode* me = cs_.myself;
  for (const auto& owned : cs_.nodes) {
    const ClusterNode* node = owned.get();
    if (node->Has(flags::kMyself | flags::kNoAddr | flags::kHandshake)) continue;
    if (!node->is_master() || node->failed()) continue;
    const int okslaves = cs_.CountNonFailingReplicas(node);
    if (okslaves == 0 && node->num_slots > 0 && node->Has(flags::kMigrateTo)) {
      ++st.orphaned_masters;
    }
    st.max_slaves = std::max(st.max_slaves, okslaves);
    if (me->replica_of == node) st.this_slaves = okslaves;
  }
  orphan_stats_ = st;
  orphan_stats_version_ = cs_.topology_version;
  return orphan_stats_;
}

// --- clusterCron. ---

void Node::CronLoopReconnect(int64_t handshake_timeout) {
  cs_.stats_pfail_nodes = 0;
  for (auto it = cron_pfail_.begin(); it != cron_pfail_.end();) {
    ClusterNode* n = it->second;
    if (!n->timed_out()) {
      it = cron_pfail_.erase(it);
      continue;
    }
    if (!n->Has(flags::kMyself | flags::kNoAddr)) ++cs_.stats_pfail_nodes;
    ++it;
  }
  std::vector<ClusterNode*> visit;
  if (cron_full_scan_) {
    cs_.stats_pfail_nodes = 0;
    for (const auto& owned : cs_.nodes) {
      ClusterNode* n = owned.get();
      if (n->timed_out() && !n->Has(flags::kMyself | flags::kNoAddr)) {
        ++cs_.stats_pfail_nodes;
      }
      visit.push_back(n);
    }
  }
  for (auto it = cron_unlinked_.begin(); it != cron_unlinked_.end() && !cron_full_scan_;) {
    ClusterNode* n = it->second;
    if (n->link.valid() && !n->in_handshake()) {
      it = cron_unlinked_.erase(it);
    } else {
      visit.push_back(n);
      ++it;
    }
  }
  if (!cron_full_scan_) std::sort(visit.begin(), visit.end(), ByName());
  // Only the visited node itself can be deleted by its visit.
  for (ClusterNode* n : visit) CronHandleReconnect(n, handshake_timeout);
}

bool Node::CronLoopNodes() {
  ClusterNode* const me = cs_.myself;
  const int64_t nt = NodeTimeout();

  std::vector<ClusterNode*> visit;
  for (auto it = cron_pinged_.begin(); it != cron_pinged_.end();) {
    if (it->second->ping_sent_ms == 0) {
      it = cron_pinged_.erase(it);
    } else {
      visit.push_back(it->second);
      ++it;
    }
  }
  while (!cron_due_.empty() && cron_due_.top().first <= now_ms_) {
    const DueEntry entry = cron_due_.top();
    cron_due_.pop();
    ClusterNode* n = cs_.FindByUid(entry.second);
    if (n == nullptr || n->cron_due_ms != entry.first) continue;  // stale
    n->cron_due_ms = 0;
    if (!n->link.valid() || n->ping_sent_ms != 0) continue;  // re-queued later
    if (n->pong_received_ms + nt / 2 + 1 > now_ms_) {
      CronPushDue(n);  // its pong time moved later
    } else {
      visit.push_back(n);
    }
  }
  if (cs_.mf_end_ms != 0 && me->is_master() && cs_.mf_replica != nullptr) {
    visit.push_back(cs_.mf_replica);
  }
  std::sort(visit.begin(), visit.end(), ByName());
  visit.erase(std::unique(visit.begin(), visit.end()), visit.end());
  if (cron_full_scan_) {
    visit.clear();
    for (const auto& owned : cs_.nodes) visit.push_back(owned.get());
  }

  bool update_state = false;
  for (ClusterNode* node : visit) {
    if (node->Has(flags::kMyself | flags::kNoAddr | flags::kHandshake)) continue;

    const int64_t ping_delay = now_ms_ - node->ping_sent_ms;
    const int64_t data_delay = now_ms_ - node->data_received_ms;
    if (node->link.valid() && node->ping_sent_ms != 0 && ping_delay > nt / 2 &&
        data_delay > nt / 2) {
      if (now_ms_ - FindLink(node->link)->ctime_ms > nt) {
        MARK("bus: link freed after half a timeout without pong or data");
        FreeLink(node->link, /*notify_world=*/true);
      }
    }

    if (node->link.valid() && node->ping_sent_ms == 0 &&
        now_ms_ - node->pong_received_ms > nt / 2) {
      SendPing(node->link, node, MsgType::kPing);
      continue;
    }

    if (cs_.mf_end_ms != 0 && me->is_master() && cs_.mf_replica == node &&
        node->link.valid()) {
      SendPing(node->link, node, MsgType::kPing);
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
  return update_state;
}

void Node::ClusterCron() {
  ++cron_iteration_;
  ClusterNode* me = cs_.myself;
  me->hostname = config_.hostname;  // clusterUpdateMyselfHostname
  const int64_t handshake_timeout = std::max<int64_t>(NodeTimeout(), 1000);

  // cluster-link-sendbuf-limit is not modelled (links have no buffers).
  CronLoopReconnect(handshake_timeout);

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
      SendPing(min_pong_node->link, min_pong_node, MsgType::kPing);
    }
  }

  // Orphaned-master bookkeeping reads FAIL flags, replica lists and slot
  // counts only, none of which the per-node checks below change.
  OrphanStats orphans;
  if (me->is_replica()) orphans = ComputeOrphanStats();

  const bool update_state = CronLoopNodes();

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
    if (orphans.orphaned_masters > 0 && orphans.max_slaves >= 2 &&
        orphans.this_slaves == orphans.max_slaves &&
        config_.cluster_allow_replica_migration) {
      HandleSlaveMigration(orphans.max_slaves);
    }
  }

  if (update_state || cs_.state == ClusterHealth::kFail) UpdateState();
}

}  // namespace slotsim::model
