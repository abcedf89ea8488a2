// Node: receiving a cluster-bus packet (clusterProcessPacket and the
// functions it calls).

#include <algorithm>

#include "model/marks.h"
#include "model/node.h"

namespace slotsim::model {

ClusterNode* Node::NodeFromLinkAndMsg(ClusterLink* link, const BusMessage& hdr) {
  if (link->node != nullptr && !link->node->in_handshake()) return link->node;
  ClusterNode* sender = cs_.Find(hdr.sender);
  if (sender != nullptr && link->node == nullptr) SetInboundLink(sender, link);
  return sender;
}

void Node::ProcessBusMessage(ClusterLink* link, const BusMessagePtr& msgp) {
  const BusMessage& hdr = *msgp;
  const MsgType type = hdr.type;
  const int type_index = static_cast<int>(type);
  if (type_index < kMsgTypeCount) ++cs_.stats_received[type_index];
  // Length and version checks cannot fail for packets built by the model.

  ClusterNode* const me = cs_.myself;
  ClusterNode* sender = NodeFromLinkAndMsg(link, hdr);
  if (sender != nullptr) sender->data_received_ms = now_ms_;

  Epoch sender_current_epoch;
  Epoch sender_config_epoch;
  if (sender != nullptr && !sender->in_handshake()) {
    sender_current_epoch = hdr.current_epoch;
    sender_config_epoch = hdr.config_epoch;
    if (sender_current_epoch > cs_.current_epoch) SetCurrentEpoch(sender_current_epoch);
    if (sender_config_epoch > sender->config_epoch) {
      SetConfigEpoch(sender, sender_config_epoch);
      DoBeforeSleep(todo::kSaveConfig | todo::kFsyncConfig);
    }
    sender->repl_offset = hdr.offset;
    sender->repl_offset_time_ms = now_ms_;
    if (cs_.mf_end_ms != 0 && me->is_replica() && me->replica_of == sender &&
        (hdr.mflags & mflags::kPaused) && cs_.mf_master_offset == -1) {
      cs_.mf_master_offset = static_cast<int64_t>(sender->repl_offset);
      DoBeforeSleep(todo::kHandleManualFailover);
      Emit(EventKind::kManualFailover, me, sender, cs_.mf_master_offset,
           "paused master offset received");
    }
  }

  if (type == MsgType::kPing || type == MsgType::kMeet) {
    // Learn our own address from a MEET (or any PING while we have none).
    // The model has no announce-ip, and the socket's local address is our
    // configured ip.
    if ((type == MsgType::kMeet || me->ip.empty()) && me->ip != config_.ip) {
      me->ip = config_.ip;
      DoBeforeSleep(todo::kSaveConfig);
    }
    if (sender == nullptr && type == MsgType::kMeet) {
      ClusterNode* node = CreateNode(nullptr, flags::kHandshake);
      node->ip = hdr.myip;  // announced ip or, in Redis, the socket peer
      node->port = hdr.port;
      node->pport = hdr.pport;
      node->cport = hdr.cport;
      Emit(EventKind::kNodeAdded, node, nullptr, 0, "handshake (MEET received)");
      DoBeforeSleep(todo::kSaveConfig);
      ProcessGossipSection(nullptr, hdr);
    }
    SendPing(link, MsgType::kPong);
  }

  switch (type) {
    case MsgType::kPing:
    case MsgType::kPong:
    case MsgType::kMeet: {
      bool link_freed = false;
      ProcessPingConfig(link, sender, hdr, &link_freed);
      return;
    }
    case MsgType::kFail:
      ProcessFail(sender, hdr);
      return;
    case MsgType::kAuthRequest:
      if (sender != nullptr) SendFailoverAuthIfNeeded(sender, hdr);
      return;
    case MsgType::kAuthAck:
      if (sender == nullptr) return;
      if (sender->is_master() && sender->num_slots > 0 &&
          sender_current_epoch >= cs_.failover_auth_epoch) {
        ++cs_.failover_auth_count;
        DoBeforeSleep(todo::kHandleFailover);
        Emit(EventKind::kVoteReceived, me, sender, cs_.failover_auth_count, "");
      } else {
        MARK("election: ack ignored");
      }
      return;
    case MsgType::kMfStart:
      ProcessMfStart(link, sender);
      return;
    case MsgType::kUpdate:
      ProcessUpdate(sender, hdr);
      return;
    default:
      return;  // PUBLISH, MODULE: not modelled
  }
}

void Node::ProcessPingConfig(ClusterLink* link, ClusterNode* sender,
                             const BusMessage& hdr, bool* link_freed) {
  ClusterNode* const me = cs_.myself;
  const MsgType type = hdr.type;
  if (!link->inbound) {
    ClusterNode* ln = link->node;
    if (ln->in_handshake()) {
      if (sender != nullptr) {
        // The address was already known under its real name.
        MARK("handshake: peer already known");
        if (UpdateAddressIfNeeded(sender, link, hdr)) {
          DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState);
        }
        DelNode(ln);  // also frees this link
        *link_freed = true;
        return;
      }
      RenameNode(ln, hdr.sender);
      SetFlags(ln, (ln->flags & ~flags::kHandshake) |
                       (hdr.flags & (flags::kMaster | flags::kSlave)));
      Emit(EventKind::kHandshakeDone, ln, nullptr, 0, FlagsToString(ln->flags));
      DoBeforeSleep(todo::kSaveConfig);
    } else if (ln->name != hdr.sender) {
      MARK("noaddr: reply carried a different node id");
      SetFlags(ln, ln->flags | flags::kNoAddr);
      ln->ip.clear();
      ln->port = 0;
      ln->pport = 0;
      ln->cport = 0;
      FreeLink(link->id, /*notify_world=*/true);
      DoBeforeSleep(todo::kSaveConfig);
      *link_freed = true;
      return;
    }
  }

  if (sender != nullptr) {
    const uint16_t nofailover = hdr.flags & flags::kNoFailover;
    if ((sender->flags & flags::kNoFailover) != nofailover) {
      SetFlags(sender, (sender->flags & ~flags::kNoFailover) | nofailover);
    }
  }

  if (sender != nullptr && type == MsgType::kPing && !sender->in_handshake() &&
      UpdateAddressIfNeeded(sender, link, hdr)) {
    DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState);
  }

  if (!link->inbound && type == MsgType::kPong) {
    ClusterNode* n = link->node;
    n->pong_received_ms = now_ms_;
    n->ping_sent_ms = 0;
    CronPushDue(n);
    if (n->timed_out()) {
      MARK("failure detection: PFAIL cleared by pong");
      SetFlags(n, n->flags & ~flags::kPFail);
      DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState);
    } else if (n->failed()) {
      ClearNodeFailureIfNeeded(n);
    }
  }

  if (sender != nullptr) {
    if (hdr.slaveof.empty()) {
      SetNodeAsMaster(sender);
    } else {
      ClusterNode* master = cs_.Find(hdr.slaveof);
      if (sender->is_master()) {
        // A master turned into a replica.
        MARK("role: master announced it is a replica");
        cs_.DelNodeSlots(sender);
        SetFlags(sender, (sender->flags & ~(flags::kMaster | flags::kMigrateTo)) |
                             flags::kSlave);
        Emit(EventKind::kRoleChanged, sender, master, 0, "replica");
        DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState);
      }
      if (master != nullptr && sender->replica_of != master) {
        if (sender->replica_of != nullptr) cs_.RemoveReplica(sender->replica_of, sender);
        cs_.AddReplica(master, sender);
        sender->replica_of = master;
        Emit(EventKind::kRoleChanged, sender, master, 0, "replica of");
        DoBeforeSleep(todo::kSaveConfig);
      }
    }
  }

  ClusterNode* sender_master = nullptr;
  bool dirty_slots = false;
  if (sender != nullptr) {
    sender_master = sender->is_master() ? sender : sender->replica_of;
    if (sender_master != nullptr) {
      dirty_slots = SenderSlotsDirty(sender, sender_master, hdr.myslots);
    }
  }

  if (sender != nullptr && sender->is_master() && dirty_slots) {
    UpdateSlotsConfigWith(sender, hdr.config_epoch, *hdr.myslots);
  }

  if (sender != nullptr && dirty_slots) {
    const Epoch sender_epoch = hdr.config_epoch;
    ForEachSlot(*hdr.myslots, [&](int j) {
      if (cs_.slots[j] == sender || cs_.SlotUnclaimed(j)) return true;
      if (cs_.slots[j]->config_epoch > sender_epoch) {
        MARK("update: sent for stale slot claim");
        SendUpdate(sender->link, cs_.slots[j]);
        return false;  // one UPDATE per packet
      }
      return true;
    });
  }

  if (sender != nullptr && me->is_master() && sender->is_master() &&
      hdr.config_epoch == me->config_epoch) {
    HandleConfigEpochCollision(sender);
  }

  if (sender != nullptr) {
    ProcessGossipSection(sender, hdr);
    sender->hostname = hdr.hostname;  // clusterProcessPingExtensions
  }
}

bool Node::SenderSlotsDirty(ClusterNode* sender, ClusterNode* sender_master,
                            const SharedSlots& hdr_slots) {
  // Memoized per sender: a sender keeps sending the same (cached, immutable)
  // bitmap object while its slots do not change, and sender_master's
  // slots_version is unique to its current slot set.
  if (sender->memo_hdr_slots == hdr_slots &&
      sender->memo_hdr_version == sender_master->slots_version) {
    return sender->memo_hdr_dirty;
  }
  // Equal iff the counts match and every advertised slot is bound to
  // sender_master in our table.
  bool dirty = hdr_slots->Count() != sender_master->num_slots;
  if (!dirty) {
    ForEachSlot(*hdr_slots, [&](int j) {
      dirty = cs_.slots[j] != sender_master;
      return !dirty;
    });
  }
  sender->memo_hdr_slots = hdr_slots;
  sender->memo_hdr_version = sender_master->slots_version;
  sender->memo_hdr_dirty = dirty;
  return dirty;
}

bool Node::UpdateAddressIfNeeded(ClusterNode* node, ClusterLink* link,
                                 const BusMessage& hdr) {
  if (link->id == node->link) return false;
  const std::string& ip = hdr.myip;
  if (node->port == hdr.port && node->cport == hdr.cport &&
      node->pport == hdr.pport && ip == node->ip) {
    return false;
  }
  MARK("address: updated from packet");
  node->ip = ip;
  node->port = hdr.port;
  node->pport = hdr.pport;
  node->cport = hdr.cport;
  if (node->link.valid()) FreeLink(node->link, /*notify_world=*/true);
  if (node->Has(flags::kNoAddr)) SetFlags(node, node->flags & ~flags::kNoAddr);
  if (cs_.myself->is_replica() && cs_.myself->replica_of == node) {
    repl_.SetMaster(node->ip, node->port, now_ms_, out_);
  }
  return true;
}

void Node::ProcessGossipSection(ClusterNode* sender, const BusMessage& hdr) {
  ClusterNode* const me = cs_.myself;
  const int64_t report_validity = NodeTimeout() * kFailReportValidityMult;
  const bool sender_is_master = sender != nullptr && sender->is_master();
  // Look every entry up first (independent lookups overlap their cache
  // misses), then process in order. An entry may create a node, so a miss
  // is looked up again when its turn comes.
  gossip_nodes_.clear();
  for (const GossipEntry& g : hdr.gossip) cs_.PrefetchFind(g.name);
  for (const GossipEntry& g : hdr.gossip) {
    ClusterNode* found = cs_.Find(g.name);
    if (found != nullptr) __builtin_prefetch(found);
    gossip_nodes_.push_back(found);
  }
  for (size_t e = 0; e < hdr.gossip.size(); ++e) {
    const GossipEntry& g = hdr.gossip[e];
    const uint16_t gflags = g.flags;
    ClusterNode* node = gossip_nodes_[e] != nullptr ? gossip_nodes_[e] : cs_.Find(g.name);
    if (node != nullptr) {
      if (sender_is_master && node != me) {
        if (gflags & (flags::kFail | flags::kPFail)) {
          if (cs_.AddFailureReport(node, sender, now_ms_)) {
            MARK("failure report: added");
            if (sender->num_slots == 0) MARK("failure report: from a slotless master");
          }
          MarkNodeAsFailingIfNeeded(node);
        } else if (!node->fail_reports.empty()) {
          if (cs_.DelFailureReport(node, sender, now_ms_, report_validity)) {
            MARK("failure report: withdrawn");
          }
        }
      }
      if (!(gflags & (flags::kFail | flags::kPFail)) && node->ping_sent_ms == 0 &&
          cs_.FailureReportsCount(node, now_ms_, report_validity) == 0) {
        const int64_t pongtime = static_cast<int64_t>(g.pong_received_s) * 1000;
        if (pongtime <= now_ms_ + 500 && pongtime > node->pong_received_ms) {
          node->pong_received_ms = pongtime;
        }
      }
      if (node->Has(flags::kFail | flags::kPFail) && !(gflags & flags::kNoAddr) &&
          !(gflags & (flags::kFail | flags::kPFail)) &&
          (node->ip != g.ip || node->port != g.port || node->cport != g.cport)) {
        MARK("address: updated from gossip about a failing node");
        if (node->link.valid()) FreeLink(node->link, /*notify_world=*/true);
        node->ip = g.ip;
        node->port = g.port;
        node->pport = g.pport;
        node->cport = g.cport;
        if (node->Has(flags::kNoAddr)) SetFlags(node, node->flags & ~flags::kNoAddr);
      }
    } else if (sender != nullptr && !(gflags & flags::kNoAddr)) {
      if (BlacklistExists(g.name)) {
        MARK("gossip: forgotten node not re-added");
        continue;
      }
      ClusterNode* added = CreateNode(&g.name, gflags);
      added->ip = g.ip;
      added->port = g.port;
      added->pport = g.pport;
      added->cport = g.cport;
      Emit(EventKind::kNodeAdded, added, sender, 0,
           "gossip: " + FlagsToString(gflags));
    }
  }
}

void Node::MarkNodeAsFailingIfNeeded(ClusterNode* node) {
  const int needed_quorum = cs_.size / 2 + 1;
  if (!node->timed_out()) return;
  if (node->failed()) return;
  int failures =
      cs_.FailureReportsCount(node, now_ms_, NodeTimeout() * kFailReportValidityMult);
  if (cs_.myself->is_master()) ++failures;
  if (failures < needed_quorum) return;
  MARK("failure detection: FAIL by quorum");
  bool slotless_counted = cs_.myself->is_master() && cs_.myself->num_slots == 0;
  for (const FailReport& fr : node->fail_reports) {
    slotless_counted = slotless_counted || fr.node->num_slots == 0;
  }
  if (slotless_counted) MARK("failure detection: quorum counted a slotless master");
  SetFlags(node, (node->flags & ~flags::kPFail) | flags::kFail);
  node->fail_time_ms = now_ms_;
  SendFail(node);
  DoBeforeSleep(todo::kUpdateState | todo::kSaveConfig);
}

void Node::ClearNodeFailureIfNeeded(ClusterNode* node) {
  if (node->is_replica() || node->num_slots == 0) {
    if (node->is_replica()) {
      MARK("failure detection: FAIL cleared (replica reachable)");
    } else {
      MARK("failure detection: FAIL cleared (slotless master reachable)");
    }
    SetFlags(node, node->flags & ~flags::kFail);
    DoBeforeSleep(todo::kUpdateState | todo::kSaveConfig);
  }
  if (node->is_master() && node->num_slots > 0 &&
      now_ms_ - node->fail_time_ms > NodeTimeout() * kFailUndoTimeMult) {
    MARK("failure detection: FAIL cleared (nobody took the slots)");
    SetFlags(node, node->flags & ~flags::kFail);
    DoBeforeSleep(todo::kUpdateState | todo::kSaveConfig);
  }
}

void Node::ProcessFail(ClusterNode* sender, const BusMessage& hdr) {
  if (sender == nullptr) {
    MARK("fail message: unknown sender ignored");
    return;
  }
  ClusterNode* failing = cs_.Find(hdr.fail_about);
  if (failing != nullptr && !failing->Has(flags::kFail | flags::kMyself)) {
    MARK("failure detection: FAIL from message");
    SetFlags(failing, (failing->flags & ~flags::kPFail) | flags::kFail);
    failing->fail_time_ms = now_ms_;
    DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState);
  }
}

void Node::ProcessMfStart(ClusterLink* link, ClusterNode* sender) {
  if (sender == nullptr || sender->replica_of != cs_.myself) return;
  ResetManualFailover();
  cs_.mf_end_ms = now_ms_ + kMfTimeoutMs;
  cs_.mf_replica = sender;
  PauseWrites(now_ms_ + kMfTimeoutMs * kMfPauseMult);
  MARK("manual failover: master paused writes");
  Emit(EventKind::kManualFailover, cs_.myself, sender, 0, "master: writes paused");
  SendPing(link, MsgType::kPing);
}

void Node::ProcessUpdate(ClusterNode* sender, const BusMessage& hdr) {
  if (sender == nullptr) return;
  ClusterNode* n = cs_.Find(hdr.update_node);
  if (n == nullptr) return;
  if (n->config_epoch >= hdr.update_config_epoch) {
    MARK("update: received, nothing new");
    return;
  }
  MARK("update: received and applied");
  if (n->is_replica()) SetNodeAsMaster(n);
  SetConfigEpoch(n, hdr.update_config_epoch);
  DoBeforeSleep(todo::kSaveConfig | todo::kFsyncConfig);
  UpdateSlotsConfigWith(n, hdr.update_config_epoch, *hdr.update_slots);
}

}  // namespace slotsim::model
