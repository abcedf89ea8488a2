// Node: slot ownership, roles, epochs, node table changes (handshake,
// deletion, FORGET blacklist, CLUSTER RESET).

#include <cstdlib>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/marks.h"
#include "model/node.h"
#include "sim/check.h"

namespace slotsim::model {

void Node::UpdateSlotsConfigWith(ClusterNode* sender, Epoch sender_config_epoch,
                                 const SlotBitmap& slots) {
  ClusterNode* const me = cs_.myself;
  ClusterNode* curmaster = me->is_master() ? me : me->replica_of;
  if (sender == me) {
    MARK("slots: claim about myself discarded");
    return;
  }
  std::vector<int> dirty_slots;
  std::vector<int> rebound;
  ClusterNode* newmaster = nullptr;
  int sender_slots = 0;
  int migrated_our_slots = 0;
  // Redis walks all 16384 slots once; the advertised slots and the slots
  // bound to the sender but no longer advertised are disjoint and neither
  // case changes the other, so two passes give the same result.
  int bound_in_bitmap = 0;
  ForEachSlot(slots, [&](int j) {
    ClusterNode* owner = cs_.slots[j];
    ++sender_slots;
    if (owner == sender) {
      cs_.owner_not_claiming_slot.Clear(j);
      ++bound_in_bitmap;
      return true;
    }
    if (cs_.importing_slots_from.count(j) > 0) {
      MARK("slots: claim of an importing slot ignored");
      return true;
    }
    if (cs_.SlotUnclaimed(j) || owner->config_epoch < sender_config_epoch) {
      if (owner != nullptr && cs_.owner_not_claiming_slot.Test(j)) {
        MARK("slots: not-claimed slot taken over");
      }
      if (owner == me && keyspace_.CountKeysInSlot(j) > 0) dirty_slots.push_back(j);
      if (owner == curmaster) {
        // With curmaster null (a replica that does not know its master)
        // an unbound slot matches too, exactly as in Redis.
        newmaster = sender;
        ++migrated_our_slots;
      }
      cs_.DelSlot(j);
      cs_.AddSlot(sender, j);
      cs_.owner_not_claiming_slot.Clear(j);
      rebound.push_back(j);
      ++bound_in_bitmap;
      DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState | todo::kFsyncConfig);
    } else if (owner->config_epoch == sender_config_epoch) {
      MARK("slots: equal epoch claim does not steal");
    }
    return true;
  });
  if (sender->num_slots > bound_in_bitmap) {
    for (int j = 0; j < kClusterSlots; ++j) {
      if (cs_.slots[j] != sender || slots.Test(j)) continue;
      if (!cs_.owner_not_claiming_slot.Test(j)) {
        MARK("slots: owner stopped claiming a slot");
      }
      cs_.owner_not_claiming_slot.Set(j);
    }
  }
  TraceSlots(sender, rebound);

  if (newmaster != nullptr && curmaster == nullptr) {
    // Redis dereferences curmaster here and crashes; the model records the
    // branch and goes on.
    MARK("slots: replica without master lost a slot claim (Redis would crash)");
    return;
  }
  if (newmaster != nullptr && curmaster->num_slots == 0 &&
      (config_.cluster_allow_replica_migration || sender_slots == migrated_our_slots)) {
    MARK("slots: lost last slot, following the new owner");
    SetMaster(sender);
    DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState | todo::kFsyncConfig);
  } else if (me->replica_of != nullptr && me->replica_of->replica_of != nullptr &&
             me->replica_of->replica_of != me) {
    MARK("slots: sub-replica re-pointed to its grandmaster");
    SetMaster(me->replica_of->replica_of);
    DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState | todo::kFsyncConfig);
  } else if (!dirty_slots.empty()) {
    // delKeysInSlot: 7.0.15 deletes locally without propagating DELs.
    MARK("slots: keys of lost slots deleted");
    for (int j : dirty_slots) keyspace_.DelKeysInSlot(j);
  }
}

void Node::SetNodeAsMaster(ClusterNode* n) {
  if (n->is_master()) return;
  if (n->replica_of != nullptr) {
    cs_.RemoveReplica(n->replica_of, n);
    if (n != cs_.myself) n->flags |= flags::kMigrateTo;
  }
  SetFlags(n, (n->flags & ~flags::kSlave) | flags::kMaster);
  n->replica_of = nullptr;
  Emit(EventKind::kRoleChanged, n, nullptr, 0, "master");
  DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState);
}

void Node::SetMaster(ClusterNode* n) {
  ClusterNode* const me = cs_.myself;
  CHECK(n != me);
  CHECK_EQ(me->num_slots, 0);
  if (me->is_master()) {
    SetFlags(me, (me->flags & ~(flags::kMaster | flags::kMigrateTo)) | flags::kSlave);
    CloseAllSlots();
  } else if (me->replica_of != nullptr) {
    cs_.RemoveReplica(me->replica_of, me);
  }
  me->replica_of = n;
  cs_.AddReplica(n, me);
  Emit(EventKind::kRoleChanged, me, n, 0, "replica of");
  repl_.SetMaster(n->ip, n->port, now_ms_, out_);
  ResetManualFailover();
}

bool Node::BumpConfigEpochWithoutConsensus() {
  ClusterNode* const me = cs_.myself;
  const Epoch max_epoch = cs_.MaxEpoch();
  if (me->config_epoch == Epoch(0) || me->config_epoch != max_epoch) {
    MARK("epoch: bumped without consensus");
    SetCurrentEpoch(cs_.current_epoch.Next());
    SetConfigEpoch(me, cs_.current_epoch);
    DoBeforeSleep(todo::kSaveConfig | todo::kFsyncConfig);
    return true;
  }
  return false;
}

void Node::HandleConfigEpochCollision(ClusterNode* sender) {
  ClusterNode* const me = cs_.myself;
  if (sender->config_epoch != me->config_epoch || !sender->is_master() ||
      !me->is_master()) {
    return;
  }
  // Only the node with the smaller name moves.
  if (!(me->name < sender->name)) {
    MARK("epoch collision: the other node moves");
    return;
  }
  MARK("epoch collision: my configEpoch bumped");
  SetCurrentEpoch(cs_.current_epoch.Next());
  SetConfigEpoch(me, cs_.current_epoch);
  Emit(EventKind::kEpochCollision, me, sender,
       static_cast<int64_t>(me->config_epoch.value()), "");
  SaveConfig(/*fsync=*/true);
}

ClusterNode* Node::CreateNode(const NodeName* name, uint16_t node_flags) {
  auto node = std::make_unique<ClusterNode>();
  node->name = name != nullptr ? *name : NodeName::Random(rng_);
  node->ctime_ms = now_ms_;
  node->flags = node_flags;
  ClusterNode* added = cs_.AddNode(std::move(node));
  CronTrack(added);
  return added;
}

void Node::DelNode(ClusterNode* n) {
  // 1) Unbind its slots and open slots.
  for (auto it = cs_.importing_slots_from.begin(); it != cs_.importing_slots_from.end();) {
    it = it->second == n ? cs_.importing_slots_from.erase(it) : std::next(it);
  }
  for (auto it = cs_.migrating_slots_to.begin(); it != cs_.migrating_slots_to.end();) {
    it = it->second == n ? cs_.migrating_slots_to.erase(it) : std::next(it);
  }
  cs_.DelNodeSlots(n);
  // 2) Drop the failure reports it sent.
  const int64_t validity = NodeTimeout() * kFailReportValidityMult;
  for (const auto& other : cs_.nodes) {
    if (other.get() == n || other->fail_reports.empty()) continue;
    cs_.DelFailureReport(other.get(), n, now_ms_, validity);
  }
  // 3) freeClusterNode.
  cs_.OrphanReplicasOf(n);
  if (n->replica_of != nullptr) cs_.RemoveReplica(n->replica_of, n);
  n->replica_of = nullptr;
  if (n->link.valid()) FreeLink(n->link, /*notify_world=*/true);
  if (n->inbound_link.valid()) FreeLink(n->inbound_link, /*notify_world=*/true);
  if (cs_.mf_replica == n) cs_.mf_replica = nullptr;
  Emit(EventKind::kNodeRemoved, n, nullptr, 0, "");
  CronForget(n);
  cs_.RemoveNode(n);
}

namespace {

// inet_pton(AF_INET) accepts exactly four decimal fields 0..255 of one to
// three digits, without leading zeros.
bool ValidIpv4(const std::string& ip) {
  int fields = 0;
  size_t i = 0;
  while (true) {
    size_t j = i;
    int value = 0;
    while (j < ip.size() && ip[j] >= '0' && ip[j] <= '9') {
      if (j - i >= 3) return false;
      value = value * 10 + (ip[j] - '0');
      ++j;
    }
    if (j == i || value > 255 || (j - i > 1 && ip[i] == '0')) return false;
    ++fields;
    if (j == ip.size()) return fields == 4;
    if (ip[j] != '.' || fields == 4) return false;
    i = j + 1;
  }
}

bool ValidIpv6(const std::string& ip) {
  if (ip.find(':') == std::string::npos) return false;
  for (char c : ip) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                    (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool Node::StartHandshake(const std::string& ip, int port, int cport) {
  // Address validation is done by the caller (CLUSTER MEET) through
  // ValidMeetAddress; here only the in-progress check remains.
  for (const auto& owned : cs_.nodes) {
    const ClusterNode* node = owned.get();
    if (!node->in_handshake()) continue;
    if (node->ip == ip && node->port == port && node->cport == cport) {
      MARK("handshake: already in progress for this address");
      return false;
    }
  }
  ClusterNode* n = CreateNode(nullptr, flags::kHandshake | flags::kMeet);
  n->ip = ip;
  n->port = port;
  n->cport = cport;
  Emit(EventKind::kNodeAdded, n, nullptr, 0, absl::StrCat("meet ", ip, ":", port));
  return true;
}

bool Node::ValidMeetAddress(const std::string& ip, long long port, long long cport) {
  if (!ValidIpv4(ip) && !ValidIpv6(ip)) return false;
  return port > 0 && port <= 65535 && cport > 0 && cport <= 65535;
}

void Node::BlacklistCleanup() {
  for (auto it = cs_.blacklist.begin(); it != cs_.blacklist.end();) {
    it = it->second < UnixTime() ? cs_.blacklist.erase(it) : std::next(it);
  }
}

void Node::BlacklistAddNode(const ClusterNode* n) {
  BlacklistCleanup();
  cs_.blacklist[n->name] = UnixTime() + kBlacklistTtlS;
}

bool Node::BlacklistExists(const NodeName& name) {
  if (cs_.blacklist.empty()) return false;
  BlacklistCleanup();
  return cs_.blacklist.count(name) > 0;
}

void Node::CloseAllSlots() {
  cs_.migrating_slots_to.clear();
  cs_.importing_slots_from.clear();
}

void Node::Reset(bool hard) {
  ClusterNode* const me = cs_.myself;
  if (me->is_replica()) {
    SetNodeAsMaster(me);
    repl_.UnsetMaster(now_ms_, out_);
    keyspace_.Clear();  // emptyData
  }
  CloseAllSlots();
  ResetManualFailover();
  std::vector<int> unbound;
  for (int j = 0; j < kClusterSlots; ++j) {
    if (cs_.DelSlot(j)) unbound.push_back(j);
  }
  TraceSlots(nullptr, unbound);
  std::vector<ClusterNode*> others;
  for (const auto& owned : cs_.nodes) {
    if (owned.get() != me) others.push_back(owned.get());
  }
  for (ClusterNode* n : others) DelNode(n);
  if (hard) {
    SetCurrentEpoch(Epoch(0));
    cs_.last_vote_epoch = Epoch(0);
    SetConfigEpoch(me, Epoch(0));
    const NodeName old = me->name;
    RenameNode(me, NodeName::Random(rng_));
    repl_.set_self(me->name);
    Emit(EventKind::kNote, me, nullptr, 0, "hard reset: was " + old.str());
  }
  DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState | todo::kFsyncConfig);
}

}  // namespace slotsim::model
